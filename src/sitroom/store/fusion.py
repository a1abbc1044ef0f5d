"""The store's fusion index and change log: what an update reads instead of every mention.

- fusion_articles: the state (fuse.incremental.article_states) each article was last fused in;
- fusion_mentions / fusion_blocks: every fused incident mention, its event, its blocks and date
  window, so that an update finds the stored mentions a new one may join by lookups;
- fact_claims: each article's figures and border statements (contradictions per story/place);
- changes: the change log (events added, changed, merged, retired, and why) of every update.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sitroom import serial
from sitroom.records import Contradiction, ControlRecord, Event, EventMention, FusedMention, Quote

# bound on the parameters of one `IN (...)` (SQLite's limit is 32,766 in current builds)
_CHUNK = 500


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def select_in(db: sqlite3.Connection, sql: str, values: Iterable[Any]) -> Iterator[sqlite3.Row]:
    """Rows of `sql`, whose `{marks}` stands for the placeholders of an IN list, over `values`
    (in chunks that stay under SQLite's limit on parameters)."""
    for chunk in _chunks(values):
        yield from db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()


@dataclass
class IndexedMention:
    fused: FusedMention
    event_id: str | None
    root: str = ""  # the article its article comes from (fusion's story key, fuse.story_roots)
    blocks: list[tuple[str, str | None, str | None]] = field(default_factory=list)


@dataclass
class FusionUpdate:
    """Everything one update writes after fusing, saved in one transaction."""

    retired_ids: list[str]  # stored events replaced by `events` (re-fused, merged or gone)
    events: list[Event]
    mentions: list[IndexedMention]  # the re-fused mentions, with their new events
    dirty_articles: list[str]  # articles whose mentions and claims are replaced
    states: dict[str, str]  # article -> state it was fused in (dirty articles)
    gone_articles: list[str]  # articles no longer in the store
    # quotes of dirty articles, and others whose canonical speaker changed, each with the
    # speaker and role as its article read them (canonicalisation's input)
    quotes: list[tuple[Quote, str, str]]
    claims: list[tuple[str, str, str, str, int, str]]  # fact_claims rows of dirty articles
    contradictions: dict[str, list[Contradiction]]  # scope -> its contradictions (replaced)
    control_places: list[str]  # places whose control rows are replaced by `control`
    control: list[ControlRecord]
    changes: list[tuple[str, str, dict[str, Any]]]  # (change, event_id, detail)
    run_id: int | None = None
    # of the dirty articles, those with an incident mention naming no place of its own
    placeless: set[str] = field(default_factory=set)


class FusionIndex:
    """Mixed into Store (uses self.db and self.transaction)."""

    db: sqlite3.Connection

    def fusion_states(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT article_id, state FROM fusion_articles")}

    def count_events(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def _indexed(self, rows: Iterable[sqlite3.Row]) -> list[IndexedMention]:
        return [IndexedMention(FusedMention(r["article_id"], r["seq"],
                                            serial.loads(EventMention, r["data"]),
                                            r["denied_by"], bool(r["inherited"])),
                               r["event_id"], r["root"])
                for r in rows]

    def fused_mentions_of_articles(self, article_ids: Iterable[str]) -> list[IndexedMention]:
        return self._fused_where("article_id", article_ids)

    def fused_mentions_of_events(self, event_ids: Iterable[str]) -> list[IndexedMention]:
        return self._fused_where("event_id", event_ids)

    def _fused_where(self, column: str, values: Iterable[str]) -> list[IndexedMention]:
        return self._indexed(select_in(
            self.db, f"SELECT * FROM fusion_mentions WHERE {column} IN ({{marks}})", values))

    def fusion_candidates(self, block: str, lo: str | None, hi: str | None
                          ) -> list[tuple[str, int]]:
        """Stored mentions (article id, seq) in `block` whose date window may meet [lo, hi]
        (all of the block's for an undated mention; undated stored ones always)."""
        if lo is None or hi is None:
            where, params = "block=?", (block,)
        else:
            where = "block=? AND (lo IS NULL OR (lo <= ? AND hi >= ?))"
            params = (block, hi, lo)
        return [(r[0], r[1]) for r in self.db.execute(
            f"SELECT article_id, seq FROM fusion_blocks WHERE {where}", params)]  # noqa: S608

    def fused_mentions_by_keys(self, keys: Iterable[tuple[str, int]]) -> list[IndexedMention]:
        out: list[IndexedMention] = []
        for aid, seq in keys:
            out += self._indexed(self.db.execute(
                "SELECT * FROM fusion_mentions WHERE article_id=? AND seq=?", (aid, seq)).fetchall())
        return out

    def fused_article_flags(self, article_ids: Iterable[str]) -> set[str]:
        """Of these articles, those fused with an incident mention that names no place of its
        own (it may take one from its story: fuse.events.inherit_places)."""
        return {r[0] for r in select_in(
            self.db, "SELECT article_id FROM fusion_articles WHERE placeless=1 AND article_id IN "
            "({marks})", article_ids)}

    def events_by_ids(self, event_ids: Iterable[str]) -> list[Event]:
        from sitroom.store import event_from_row

        out: list[Event] = []
        for chunk in _chunks(event_ids):
            out += [event_from_row(dict(r)) for r in self.db.execute(
                f"SELECT * FROM events WHERE event_id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                chunk)]
        return out

    def event_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT event_id FROM events")}

    def events_at_places(self, places: Iterable[str]) -> list[Event]:
        """Events whose control place (location, else province) is one of `places`."""
        from sitroom.store import event_from_row

        out: list[Event] = []
        for chunk in _chunks(places):
            marks = ",".join("?" * len(chunk))
            out += [event_from_row(dict(r)) for r in self.db.execute(
                f"SELECT * FROM events WHERE (location IN ({marks})) OR "  # noqa: S608
                f"((location IS NULL OR location='') AND admin1 IN ({marks}))", chunk + chunk)]
        return out

    def stored_quotes(self, exclude: Iterable[str] = ()) -> list[tuple[Quote, str, str]]:
        """Every stored quote but those of `exclude` articles, by article and as written, with
        its speaker's canonical name and role as its article read them (canonicalise_speakers'
        input: the columns speaker_canonical and speaker_role hold its output)."""
        skip = set(exclude)
        out = []
        for r in self.db.execute("SELECT * FROM quotes ORDER BY article_id, rowid"):
            if r["article_id"] in skip:
                continue
            canonical = r["read_canonical"] if r["read_role"] is not None else r["speaker_canonical"]
            role = r["read_role"] if r["read_role"] is not None else r["speaker_role"]
            out.append((Quote(r["quote_id"], r["article_id"], r["speaker"], r["text"], r["kind"],
                              r["stance"], r["speaker_canonical"] or "", r["speaker_role"] or ""),
                        canonical or "", role or ""))
        return out

    def fact_claims(self, article_ids: Iterable[str] = (), story_ids: Iterable[str] = (),
                    border_places: Iterable[str] = (), country_wide: bool = False
                    ) -> list[tuple[str, str, str | None, str, int, str]]:
        """fact_claims rows (article_id, kind, story_id, key, country_wide, data) of these
        articles, of these stories, border statements about these places, and (country_wide)
        every country-wide count; each row once, by article."""
        seen: dict[int, tuple[str, str, str | None, str, int, str]] = {}
        queries: list[tuple[str, list[Any]]] = []
        for chunk in _chunks(article_ids):
            queries.append((f"article_id IN ({','.join('?' * len(chunk))})", chunk))
        for chunk in _chunks(story_ids):
            queries.append((f"story_id IN ({','.join('?' * len(chunk))})", chunk))
        for chunk in _chunks(border_places):
            queries.append((f"kind='border' AND key IN ({','.join('?' * len(chunk))})", chunk))
        if country_wide:
            queries.append(("country_wide=1", []))
        for where, params in queries:
            for r in self.db.execute(
                    f"SELECT rowid, article_id, kind, story_id, key, country_wide, data "  # noqa: S608
                    f"FROM fact_claims WHERE {where}", params):
                seen[r[0]] = (r[1], r[2], r[3], r[4], r[5], r[6])
        # by article, each article's rows in the order they were written (as it gives them)
        return [seen[k] for k in sorted(seen, key=lambda k: (seen[k][0], k))]

    def save_fusion(self, update: FusionUpdate) -> None:
        """One update's fused results, in one transaction: readers see the old set or the new."""
        from sitroom.store import EVENT_FIELDS, content_ids, event_values

        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.transaction():  # type: ignore[attr-defined]
            stamps = self._event_timestamps(update.events)  # type: ignore[attr-defined]
            db = self.db
            for chunk in _chunks(update.retired_ids):
                db.execute(f"DELETE FROM events WHERE event_id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                           chunk)
            db.executemany(
                f"INSERT OR REPLACE INTO events ({', '.join(EVENT_FIELDS)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(EVENT_FIELDS))})",
                [event_values(e, stamps) for e in update.events])
            gone = list(update.dirty_articles) + list(update.gone_articles)
            keys = [(m.fused.article_id, m.fused.seq) for m in update.mentions]
            for table in ("fusion_mentions", "fusion_blocks"):
                db.executemany(f"DELETE FROM {table} WHERE article_id=?",  # noqa: S608
                               [(a,) for a in gone])
                db.executemany(f"DELETE FROM {table} WHERE article_id=? AND seq=?", keys)  # noqa: S608
            db.executemany(
                "INSERT INTO fusion_mentions (article_id, seq, mention_key, event_id, denied_by,"
                " root, inherited, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(m.fused.article_id, m.fused.seq, _key(m.fused), m.event_id, m.fused.denied_by,
                  m.root, int(m.fused.inherited), serial.dumps(m.fused.mention))
                 for m in update.mentions])
            db.executemany(
                "INSERT INTO fusion_blocks (block, lo, hi, article_id, seq) VALUES (?, ?, ?, ?, ?)",
                [(b, lo, hi, m.fused.article_id, m.fused.seq)
                 for m in update.mentions for b, lo, hi in m.blocks])
            db.executemany("DELETE FROM fusion_articles WHERE article_id=?",
                           [(a,) for a in update.gone_articles])
            db.executemany(
                "INSERT OR REPLACE INTO fusion_articles (article_id, state, placeless) VALUES (?, ?, ?)",
                [(a, st, int(a in update.placeless)) for a, st in update.states.items()])
            # quotes
            db.executemany("DELETE FROM quotes WHERE article_id=?", [(a,) for a in gone])
            db.executemany(
                "INSERT OR REPLACE INTO quotes (quote_id, article_id, speaker, speaker_canonical,"
                " speaker_role, kind, stance, text, read_canonical, read_role)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(q.quote_id, q.article_id, q.speaker, q.speaker_canonical, q.speaker_role, q.kind,
                  q.stance, q.text, canonical, role) for q, canonical, role in update.quotes])
            # claims behind contradictions
            db.executemany("DELETE FROM fact_claims WHERE article_id=?", [(a,) for a in gone])
            db.executemany(
                "INSERT INTO fact_claims (article_id, kind, story_id, key, country_wide, data) "
                "VALUES (?, ?, ?, ?, ?, ?)", update.claims)
            # contradictions, per scope
            db.executemany("DELETE FROM contradictions WHERE scope=?",
                           [(s,) for s in update.contradictions])
            taken = {r[0] for r in db.execute("SELECT contradiction_id FROM contradictions")}
            rows = [(scope, c) for scope, found in update.contradictions.items() for c in found]
            c_ids = content_ids([(c.kind, c.subject, c.field, c.value_a, c.value_b)
                                 for _, c in rows], taken)
            db.executemany(
                "INSERT INTO contradictions (contradiction_id, subject, field, value_a, sources_a,"
                " value_b, sources_b, kind, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(i, c.subject, c.field, c.value_a, json.dumps(c.sources_a, ensure_ascii=False),
                  c.value_b, json.dumps(c.sources_b, ensure_ascii=False), c.kind, scope)
                 for i, (scope, c) in zip(c_ids, rows)])
            # control, per place
            db.executemany("DELETE FROM control WHERE place=?", [(p,) for p in update.control_places])
            taken = {r[0] for r in db.execute("SELECT control_id FROM control")}
            k_ids = content_ids([(c.place, c.admin1, c.admin2, c.date, c.holder)
                                 for c in update.control], taken)
            db.executemany(
                "INSERT INTO control (control_id, place, admin1, admin2, date, holder, status, "
                "event_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(i, c.place, c.admin1, c.admin2, c.date, c.holder, c.status,
                  json.dumps(c.event_ids)) for i, c in zip(k_ids, update.control)])
            db.executemany(
                "INSERT INTO changes (run_id, at, change, event_id, detail) VALUES (?, ?, ?, ?, ?)",
                [(update.run_id, now, change, eid, json.dumps(detail, ensure_ascii=False))
                 for change, eid, detail in update.changes])

    def changes(self, run_id: int | None = None) -> Iterator[dict[str, Any]]:
        """The change log, oldest first (of one run with `run_id`)."""
        sql = "SELECT * FROM changes" + (" WHERE run_id=?" if run_id is not None else "")
        for r in self.db.execute(sql + " ORDER BY change_id",
                                 () if run_id is None else (run_id,)).fetchall():
            yield {"change_id": r["change_id"], "run_id": r["run_id"], "at": r["at"],
                   "change": r["change"], "event_id": r["event_id"], **json.loads(r["detail"])}


def _key(f: FusedMention) -> str:
    from sitroom.fuse.events import mention_key

    return mention_key(f.mention)
