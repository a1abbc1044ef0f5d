"""The read model: every output record as the files, the exports, the API and the page give it,
read from the store, with the one set of filters they all share.

Filters compare text ignoring case and accents (`fold`), in Python functions registered on the
connection, so that no request text becomes SQL or a LIKE pattern: a filter is a fixed clause and
a bound parameter. Records carry lists as lists.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sitroom.outputs import acled
from sitroom.outputs.columns import table
from sitroom.outputs.acled import fold
from sitroom.store import Store

MAX_FILTER_CHARS = 200  # longer than any place, actor or phrase a filter needs
LIST_COLUMNS = {key: {c.name for c in table(key).columns if c.type == "list"}
                for key in ("articles", "stories", "events", "quotes", "contradictions", "control")}


class FilterError(ValueError):
    """A filter value that cannot mean anything (bad date, empty range, control character)."""


def _contains(haystack: str | None, needle: str) -> bool:
    return bool(haystack) and needle in fold(haystack)


def _list_contains(items_json: str | None, needle: str) -> bool:
    return any(needle in fold(str(item)) for item in json.loads(items_json or "[]"))


def register(db: sqlite3.Connection) -> None:
    """The comparison functions the filters' clauses call."""
    db.create_function("sitroom_fold", 1, lambda s: None if s is None else fold(str(s)),
                       deterministic=True)
    db.create_function("sitroom_contains", 2, _contains, deterministic=True)
    db.create_function("sitroom_list_contains", 2, _list_contains, deterministic=True)


def clean_text(name: str, value: str | None) -> str | None:
    """A text filter as compared: folded; refused when too long or holding control characters
    (a NUL once turned a substring filter into "match everything")."""
    if value is None:
        return None
    if len(value) > MAX_FILTER_CHARS:
        raise FilterError(f"{name}: at most {MAX_FILTER_CHARS} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise FilterError(f"{name}: control characters are not allowed")
    return fold(value.strip())


def _day(name: str, value: str | date | None) -> str | None:
    if value is None or isinstance(value, date):
        return value.isoformat() if value else None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise FilterError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


# ------------------------------------------------------------------------------ filters

@dataclass
class EventFilter:
    """Events matching every given field: dates inclusive (undated events are left out by a date
    filter); country, admin1, admin2, location, event_type, sub_event_type equal; actor part of
    actor1 or actor2; q part of an evidence sentence. Text ignores case and accents."""

    date_from: str | date | None = None
    date_to: str | date | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    q: str | None = None

    EQUAL = ("country", "admin1", "admin2", "location", "event_type", "sub_event_type")

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition (fixed text) and its parameters; FilterError for a value that
        cannot mean anything."""
        clauses: list[str] = []
        params: list[Any] = []
        start, end = _day("date_from", self.date_from), _day("date_to", self.date_to)
        if start and end and start > end:
            raise FilterError(f"date_from ({start}) is after date_to ({end})")
        if start:
            clauses.append("event_date >= ?")
            params.append(start)
        if end:  # event_date may be a month or carry a time: its first ten characters count
            clauses.append("substr(event_date, 1, 10) <= ?")
            params.append(end)
        for name in self.EQUAL:
            value = clean_text(name, getattr(self, name))
            if value is not None:
                clauses.append(f"sitroom_fold({name}) = ?")  # fixed column names
                params.append(value)
        actor = clean_text("actor", self.actor)
        if actor is not None:
            clauses.append("(sitroom_contains(actor1, ?) OR sitroom_contains(actor2, ?))")
            params += [actor, actor]
        q = clean_text("q", self.q)
        if q is not None:
            clauses.append("sitroom_list_contains(evidence, ?)")
            params.append(q)
        return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


def _where(pairs: list[tuple[str, str | None]]) -> tuple[str, list[Any]]:
    """Equality filters (folded) on the given columns (fixed names of this module)."""
    clauses, params = [], []  # type: list[str], list[Any]
    for column, value in pairs:
        folded = clean_text(column, value)
        if folded is not None:
            clauses.append(f"sitroom_fold({column}) = ?")
            params.append(folded)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


# ------------------------------------------------------------------------------ reading

def _rows(store: Store, sql: str, params: list[Any] | tuple[Any, ...] = ()
          ) -> Iterator[dict[str, Any]]:
    """Rows one at a time (the cursor is closed however the caller stops)."""
    register(store.db)
    cursor = store.db.execute(sql, tuple(params))
    try:
        for row in cursor:
            yield dict(row)
    finally:
        cursor.close()


def _count(store: Store, table_name: str, where: str, params: list[Any]) -> int:
    register(store.db)
    return int(store.db.execute(f"SELECT COUNT(*) FROM {table_name} {where}",  # noqa: S608
                                tuple(params)).fetchone()[0])


def _page(limit: int | None, offset: int) -> tuple[str, tuple[int, int]]:
    return " LIMIT ? OFFSET ?", (-1 if limit is None else limit, offset)


def _lists(record: dict[str, Any], names: set[str]) -> dict[str, Any]:
    for name in names:
        if name in record and isinstance(record[name], str | type(None)):
            record[name] = json.loads(record[name] or "[]")
    return record


def outlets_of(store: Store, article_ids: list[str]) -> list[str]:
    """The wires and outlets of these articles, each once, in article order."""
    out: list[str] = []
    for aid in article_ids:
        row = store.db.execute("SELECT wire, outlet FROM articles WHERE article_id = ?",
                               (aid,)).fetchone()
        if row is None:
            continue
        for name in [*(row[0] or "").split(";"), row[1] or ""]:
            if name.strip() and name.strip() not in out:
                out.append(name.strip())
    return out


def count_events(store: Store, filt: EventFilter | None = None) -> int:
    where, params = (filt or EventFilter()).where()
    return _count(store, "events", where, params)


def run_timestamp(store: Store) -> int | None:
    """Unix time of the newest run: the timestamp of events stored before events had one."""
    row = store.db.execute("SELECT COALESCE(finished, started) FROM runs "
                           "ORDER BY run_id DESC LIMIT 1").fetchone()
    if not row or not row[0]:
        return None
    return int(datetime.fromisoformat(row[0]).timestamp())


def _event_record(store: Store, row: dict[str, Any], key: str = "events",
                  fallback_time: int | None = None) -> dict[str, Any]:
    record = _lists(row, LIST_COLUMNS["events"])
    if record.get("timestamp") is None:
        record["timestamp"] = fallback_time
    record = acled.derive(record, outlets_of(store, record["article_ids"]))
    if key == "acled":
        record = acled.acled_row(record)
    return {name: record.get(name) for name in table(key).names} if record else {}


def events(store: Store, filt: EventFilter | None = None, limit: int | None = None,
           offset: int = 0, key: str = "events") -> Iterator[dict[str, Any]]:
    """Event records by date (undated last), with every column of columns.toml's table `key`:
    "events", or "acled" (then only the events ACLED could hold: dated, with a country)."""
    where, params = (filt or EventFilter()).where()
    tail, page = _page(limit, offset)
    sql = (f"SELECT * FROM events {where} "  # noqa: S608 (fixed clauses)
           "ORDER BY event_date IS NULL, event_date, event_id" + tail)
    fallback_time = run_timestamp(store)
    for row in _rows(store, sql, [*params, *page]):
        record = _event_record(store, row, key, fallback_time)
        if record:
            yield record


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    rows = list(_rows(store, "SELECT * FROM events WHERE event_id = ?", (event_id,)))
    return _event_record(store, rows[0], "events", run_timestamp(store)) if rows else None


def acled_rows(store: Store, filt: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    return events(store, filt, key="acled")


def article_filter(story_id: str | None = None) -> tuple[str, list[Any]]:
    if story_id is None:
        return "", []
    return "WHERE story_id = ?", [story_id]


def count_articles(store: Store, story_id: str | None = None) -> int:
    return _count(store, "articles", *article_filter(story_id))


def articles(store: Store, story_id: str | None = None, limit: int | None = None,
             offset: int = 0) -> Iterator[dict[str, Any]]:
    where, params = article_filter(story_id)
    tail, page = _page(limit, offset)
    sql = ("SELECT article_id, title, outlet, wire, published, published_source, story_id, words, "
           f"boilerplate, url FROM articles {where} ORDER BY article_id" + tail)  # noqa: S608
    for r in _rows(store, sql, [*params, *page]):
        r["boilerplate_lines"] = len(json.loads(r.pop("boilerplate") or "[]"))
        yield r


def quote_filter(article_id: str | None = None, speaker: str | None = None
                 ) -> tuple[str, list[Any]]:
    """Quotes of an article (exact id) and whose speaker (as named, or canonical) holds
    `speaker`."""
    clauses, params = [], []  # type: list[str], list[Any]
    if article_id is not None:
        clauses.append("article_id = ?")
        params.append(article_id)
    folded = clean_text("speaker", speaker)
    if folded is not None:
        clauses.append("(sitroom_contains(speaker, ?) OR sitroom_contains(speaker_canonical, ?))")
        params += [folded, folded]
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def count_quotes(store: Store, article_id: str | None = None, speaker: str | None = None) -> int:
    return _count(store, "quotes", *quote_filter(article_id, speaker))


def quotes(store: Store, article_id: str | None = None, speaker: str | None = None,
           limit: int | None = None, offset: int = 0) -> Iterator[dict[str, Any]]:
    where, params = quote_filter(article_id, speaker)
    tail, page = _page(limit, offset)
    names = table("quotes").names
    sql = f"SELECT * FROM quotes {where} ORDER BY article_id, quote_id" + tail  # noqa: S608
    for r in _rows(store, sql, [*params, *page]):
        yield {name: r.get(name) for name in names}


def count_contradictions(store: Store) -> int:
    return _count(store, "contradictions", "", [])


def contradictions(store: Store, limit: int | None = None, offset: int = 0
                   ) -> Iterator[dict[str, Any]]:
    tail, page = _page(limit, offset)
    names = table("contradictions").names
    for r in _rows(store, "SELECT * FROM contradictions ORDER BY subject, field, contradiction_id" + tail, page):
        _lists(r, LIST_COLUMNS["contradictions"])
        yield {name: r.get(name) for name in names}


def control_filter(place: str | None = None, admin1: str | None = None) -> tuple[str, list[Any]]:
    return _where([("place", place), ("admin1", admin1)])


def count_control(store: Store, place: str | None = None, admin1: str | None = None) -> int:
    return _count(store, "control", *control_filter(place, admin1))


def _event_points(store: Store) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Coordinates of each located event by id, and of the first located event at each place
    (its location or district, folded)."""
    by_id: dict[str, tuple[float, float]] = {}
    by_place: dict[str, tuple[float, float]] = {}
    for r in _rows(store, "SELECT event_id, location, admin2, latitude, longitude FROM events "
                          "WHERE latitude IS NOT NULL AND longitude IS NOT NULL "
                          "ORDER BY event_date IS NULL, event_date, event_id"):
        point = (r["latitude"], r["longitude"])
        by_id[r["event_id"]] = point
        for key in (r["location"], r["admin2"]):
            if key:
                by_place.setdefault(fold(key), point)
    return by_id, by_place


def control(store: Store, place: str | None = None, admin1: str | None = None,
            limit: int | None = None, offset: int = 0) -> Iterator[dict[str, Any]]:
    """Control records, each placed at its events (else at an event at the same place)."""
    where, params = control_filter(place, admin1)
    tail, page = _page(limit, offset)
    by_id, by_place = _event_points(store)
    names = table("control").names
    sql = f"SELECT * FROM control {where} ORDER BY place, date, control_id" + tail  # noqa: S608
    for r in _rows(store, sql, [*params, *page]):
        _lists(r, LIST_COLUMNS["control"])
        located = [by_id[i] for i in r["event_ids"] if i in by_id]
        point = located[0] if located else by_place.get(fold(r["place"] or ""))
        r["latitude"], r["longitude"] = point if point else (None, None)
        yield {name: r.get(name) for name in names}


def count_stories(store: Store) -> int:
    return _count(store, "stories", "", [])


def stories(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    out = []
    for s in store.stories(limit, offset):
        out.append({
            "story_id": s.story_id,
            "title": s.title,
            "article_ids": s.article_ids,
            "origin_article_id": s.origin_article_id,
            "n_independent_sources": s.n_independent_sources,
            "lineage": [{"article_id": x.article_id, "derived_from": x.derived_from,
                         "relation": x.relation, "similarity": round(x.similarity, 3),
                         "signs": x.signs} for x in s.lineage],
        })
    return out
