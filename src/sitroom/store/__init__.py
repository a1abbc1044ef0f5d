"""The store: one SQLite file (WAL) holding articles, parses, mentions, stories and fused results.

The only stage with side effects. Every write happens inside one transaction per batch, so a run
killed at any moment leaves whole batches or nothing; a re-run picks up from what is stored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sitroom import serial
from sitroom.records import (
    ArticleMentions,
    CleanArticle,
    Contradiction,
    ControlRecord,
    Event,
    InputProblem,
    PublicationDate,
    Quote,
    Story,
)
from sitroom.store.fusion import FusionIndex, FusionUpdate, IndexedMention
from sitroom.store.schema import MIGRATIONS, SCHEMA_VERSION
from sitroom.store.story_index import StoryIndex

STORE_NAME = "sitroom.sqlite"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StoreError(RuntimeError):
    pass


class Store(FusionIndex, StoryIndex):
    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            uri = f"file:{urllib.parse.quote(str(self.path))}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=30,
                                      isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.migrate()

    # -- schema ---------------------------------------------------------------------------------
    def migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema {version} is newer than this sitroom "
                             f"({SCHEMA_VERSION}); upgrade sitroom")
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                for statement in _split_sql(MIGRATIONS[number]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # -- runs and problems ----------------------------------------------------------------------
    def begin_run(self, inputs: list[str]) -> int:
        with self.transaction():
            # A run still marked running was killed: say so (one writer per store at a time).
            self.db.execute("UPDATE runs SET status='interrupted' WHERE status='running'")
            cur = self.db.execute("INSERT INTO runs (started, inputs) VALUES (?, ?)",
                                  (_now(), json.dumps(inputs)))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, n_new: int, n_problems: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET finished=?, status=?, n_new=?, n_problems=? "
                            "WHERE run_id=?", (_now(), status, n_new, n_problems, run_id))

    def add_problems(self, run_id: int, problems: Iterable[InputProblem]) -> None:
        rows = [(run_id, p.path, p.line, p.article_id, p.problem) for p in problems]
        if rows:
            with self.transaction():
                self.db.executemany("INSERT INTO problems (run_id, path, line, article_id, problem) "
                                    "VALUES (?, ?, ?, ?, ?)", rows)

    # -- articles -------------------------------------------------------------------------------
    def article_hashes(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT article_id, content_hash FROM articles")}

    def upsert_articles(self, articles: list[CleanArticle], run_id: int) -> None:
        rows = [
            (a.article_id, a.source_path, a.fmt, a.title, a.url, a.outlet, a.wire, a.published,
             a.words, json.dumps(a.boilerplate_lines, ensure_ascii=False),
             json.dumps(a.captions, ensure_ascii=False), a.content_hash, a.text, run_id)
            for a in articles
        ]
        with self.transaction():
            # A changed article loses its parse and mentions: they are recomputed from the new text.
            self.db.executemany("DELETE FROM docs WHERE article_id=?", [(a.article_id,) for a in articles])
            self.db.executemany("DELETE FROM mentions WHERE article_id=?",
                                [(a.article_id,) for a in articles])
            self.db.executemany(
                """INSERT INTO articles (article_id, source_path, fmt, title, url, outlet, wire,
                       published_meta, words, boilerplate, captions, content_hash, text, run_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(article_id) DO UPDATE SET source_path=excluded.source_path,
                       fmt=excluded.fmt, title=excluded.title, url=excluded.url,
                       outlet=excluded.outlet, wire=excluded.wire,
                       published_meta=excluded.published_meta, words=excluded.words,
                       boilerplate=excluded.boilerplate, captions=excluded.captions,
                       content_hash=excluded.content_hash, text=excluded.text, run_id=excluded.run_id""",
                rows,
            )

    def articles(self, texts: bool = True) -> list[CleanArticle]:
        """Every article, by id. texts=False leaves each one's text, boilerplate lines and
        captions empty: for steps that need only ids, titles, sources and hashes, without
        holding every text (the texts are read again, a few at a time, with iter_articles)."""
        return list(self.iter_articles(texts=texts))

    def iter_articles(self, article_ids: Iterable[str] | None = None, texts: bool = True
                      ) -> Iterator[CleanArticle]:
        """Articles one at a time: all (by id), or those of `article_ids` that are stored, in
        that order."""
        columns = ("*" if texts else "article_id, title, source_path, fmt, url, outlet, wire, "
                   "published_meta, content_hash")
        if article_ids is None:
            rows: Iterable[sqlite3.Row] = self.db.execute(
                f"SELECT {columns} FROM articles ORDER BY article_id")  # noqa: S608 (fixed)
        else:
            # each row fetched whole: no statement stays open while the caller writes
            query = f"SELECT {columns} FROM articles WHERE article_id=?"  # noqa: S608 (fixed)
            rows = (row for aid in article_ids
                    for row in self.db.execute(query, (aid,)).fetchall())
        for r in rows:
            yield CleanArticle(
                article_id=r["article_id"], title=r["title"], text=r["text"] if texts else "",
                source_path=r["source_path"], fmt=r["fmt"], url=r["url"], outlet=r["outlet"],
                wire=r["wire"], published=r["published_meta"],
                boilerplate_lines=json.loads(r["boilerplate"]) if texts else [],
                captions=json.loads(r["captions"]) if texts else [],
                content_hash=r["content_hash"])

    def article_ids(self) -> list[str]:
        return [r[0] for r in
                self.db.execute("SELECT article_id FROM articles ORDER BY article_id")]

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- parses ---------------------------------------------------------------------------------
    def parsed_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT d.article_id FROM docs d JOIN articles a USING (article_id) "
            "WHERE d.content_hash = a.content_hash")}

    def own_dates(self) -> dict[str, PublicationDate]:
        """Each parsed article's publication date as found in the article itself."""
        return {r[0]: serial.loads(PublicationDate, r[1]) for r in self.db.execute(
            "SELECT article_id, own_date FROM docs WHERE own_date IS NOT NULL")}

    def iter_docs(self, article_ids: Iterable[str] | None = None) -> Iterator[tuple[str, bytes]]:
        if article_ids is None:
            yield from ((r[0], r[1]) for r in
                        self.db.execute("SELECT article_id, doc FROM docs ORDER BY article_id"))
            return
        for aid in article_ids:
            row = self.db.execute("SELECT doc FROM docs WHERE article_id=?", (aid,)).fetchone()
            if row is not None:
                yield aid, row[0]

    # -- dates and stories ----------------------------------------------------------------------
    def save_stories(self, stories: list[Story], dates: dict[str, PublicationDate]) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM stories")
            self.db.executemany(
                "INSERT INTO stories (story_id, title, origin_article_id, article_ids, lineage, "
                "lineage_key) VALUES (?, ?, ?, ?, ?, ?)",
                [(s.story_id, s.title, s.origin_article_id, json.dumps(s.article_ids),
                  json.dumps([serial.dataclasses.asdict(x) for x in s.lineage], ensure_ascii=False),
                  s.lineage_key)
                 for s in stories])
            self.db.execute("UPDATE articles SET story_id=NULL")
            self.db.executemany("UPDATE articles SET story_id=? WHERE article_id=?",
                                [(s.story_id, aid) for s in stories for aid in s.article_ids])
            self.db.executemany(
                "UPDATE articles SET published=?, published_source=? WHERE article_id=?",
                [(d.date, d.source, aid) for aid, d in dates.items()])

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories by id; `limit`/`offset` read one page of them."""
        from sitroom.records import LineageLink

        out = []
        for r in self.db.execute("SELECT * FROM stories ORDER BY story_id LIMIT ? OFFSET ?",
                                 (-1 if limit is None else limit, offset)):
            out.append(Story(r["story_id"], r["title"], json.loads(r["article_ids"]),
                             r["origin_article_id"],
                             [serial.from_data(LineageLink, x) for x in json.loads(r["lineage"])],
                             r["lineage_key"] or ""))
        return out

    def save_analysed(self, docs: list[tuple[str, str, bytes, PublicationDate]],
                      mentions: list[tuple[str, str, ArticleMentions]]) -> None:
        """A batch's parses and mentions together: one transaction, so both or neither."""
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO docs (article_id, content_hash, doc, own_date) "
                "VALUES (?, ?, ?, ?)",
                [(aid, h, doc, serial.dumps(date)) for aid, h, doc, date in docs])
            self.db.executemany(
                "INSERT OR REPLACE INTO mentions (article_id, context_hash, data) VALUES (?, ?, ?)",
                [(aid, ctx, serial.dumps(m)) for aid, ctx, m in mentions])

    # -- mentions -------------------------------------------------------------------------------
    def mention_contexts(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT article_id, context_hash FROM mentions")}

    def save_mentions(self, rows: list[tuple[str, str, ArticleMentions]]) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO mentions (article_id, context_hash, data) VALUES (?, ?, ?)",
                [(aid, ctx, serial.dumps(m)) for aid, ctx, m in rows])

    def mentions(self) -> list[ArticleMentions]:
        return list(self.iter_mentions())

    def iter_mentions(self) -> Iterator[ArticleMentions]:
        """All stored mentions, one at a time (memory stays flat with the store's size)."""
        for (data,) in self.db.execute("SELECT data FROM mentions ORDER BY article_id"):
            yield serial.loads(ArticleMentions, data)

    def mentions_for(self, article_ids: Iterable[str]) -> dict[str, ArticleMentions]:
        out = {}
        for aid in article_ids:
            row = self.db.execute("SELECT data FROM mentions WHERE article_id=?", (aid,)).fetchone()
            if row is not None:
                out[aid] = serial.loads(ArticleMentions, row[0])
        return out

    # -- fused results --------------------------------------------------------------------------
    def events(self) -> list[Event]:
        return [event_from_row(dict(r)) for r in
                self.db.execute("SELECT * FROM events ORDER BY event_date, event_id")]

    def save_results(self, events: list[Event], quotes: list[Quote],
                     contradictions: list[Contradiction], control: list[ControlRecord]) -> None:
        """Replace every fused table in one transaction: readers see the old set or the new."""
        with self.transaction():
            stamps = self._event_timestamps(events)
            for table in ("events", "quotes", "contradictions", "control"):
                self.db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
            self.db.executemany(
                f"INSERT INTO events ({', '.join(EVENT_FIELDS)}) "  # noqa: S608 (field names)
                f"VALUES ({', '.join('?' * len(EVENT_FIELDS))})",
                [event_values(e, stamps) for e in events])
            self.db.executemany(
                "INSERT OR REPLACE INTO quotes (quote_id, article_id, speaker, speaker_canonical,"
                " speaker_role, kind, stance, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(q.quote_id, q.article_id, q.speaker, q.speaker_canonical, q.speaker_role, q.kind,
                  q.stance, q.text) for q in quotes])
            c_ids = content_ids([(c.kind, c.subject, c.field, c.value_a, c.value_b)
                                 for c in contradictions])
            self.db.executemany(
                "INSERT INTO contradictions (contradiction_id, subject, field, value_a, sources_a,"
                " value_b, sources_b, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(i, c.subject, c.field, c.value_a, json.dumps(c.sources_a, ensure_ascii=False),
                  c.value_b, json.dumps(c.sources_b, ensure_ascii=False), c.kind)
                 for i, c in zip(c_ids, contradictions)])
            k_ids = content_ids([(c.place, c.admin1, c.admin2, c.date, c.holder) for c in control])
            self.db.executemany(
                "INSERT INTO control (control_id, place, admin1, admin2, date, holder, status, "
                "event_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(i, c.place, c.admin1, c.admin2, c.date, c.holder, c.status,
                  json.dumps(c.event_ids)) for i, c in zip(k_ids, control)])

    def _event_timestamps(self, events: list[Event]) -> dict[str, int]:
        """Each event's `timestamp`: the stored one where the stored event is the same in every
        field, else now (ACLED's timestamp says when an event last changed, so a reader can
        fetch only what changed since a time)."""
        now = int(datetime.now(timezone.utc).timestamp())
        stored = {e: dict(r) for e in {ev.event_id for ev in events} for r in
                  self.db.execute("SELECT * FROM events WHERE event_id=?", (e,))}
        stamps = {}
        for e in events:
            old = stored.get(e.event_id)
            same = old is not None and old.get("timestamp") is not None and all(
                _stored_value(e, name) == old.get(name)
                for name in EVENT_FIELDS if name != "timestamp")
            stamps[e.event_id] = int(old["timestamp"]) if same and old else now
        return stamps

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(sql, params)]


class EmbeddingCache(MutableMapping[str, bytes]):
    """The store's `embeddings` table as a mapping; writes are buffered and flushed in one
    transaction (a lost buffer only costs recomputation)."""

    def __init__(self, store: Store):
        self.store = store
        self.pending: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> bytes:
        if key in self.pending:
            return self.pending[key]
        row = self.store.db.execute("SELECT vector FROM embeddings WHERE key=?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return bytes(row[0])

    def __setitem__(self, key: str, value: bytes) -> None:
        self.pending[key] = value
        if len(self.pending) >= 512:
            self.flush()

    def __delitem__(self, key: str) -> None:
        self.pending.pop(key, None)
        self.store.db.execute("DELETE FROM embeddings WHERE key=?", (key,))

    def __iter__(self) -> Iterator[str]:
        yield from (r[0] for r in self.store.db.execute("SELECT key FROM embeddings"))

    def __len__(self) -> int:
        return int(self.store.db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])

    def flush(self) -> None:
        if self.pending:
            with self.store.transaction():
                self.store.db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?)",
                                          list(self.pending.items()))
            self.pending.clear()


EVENT_FIELDS = [f.name for f in dataclasses.fields(Event)]
EVENT_LIST_FIELDS = {f.name for f in dataclasses.fields(Event) if str(f.type).startswith("list")}


def _stored_value(event: Event, name: str) -> Any:
    value = getattr(event, name)
    return json.dumps(value, ensure_ascii=False) if name in EVENT_LIST_FIELDS else value


def event_values(event: Event, stamps: dict[str, int]) -> tuple[Any, ...]:
    """The `events` row of an event: one column per field (lists as JSON), in EVENT_FIELDS
    order, with the timestamp the store gives it."""
    return tuple(stamps.get(event.event_id) if name == "timestamp" else _stored_value(event, name)
                 for name in EVENT_FIELDS)


def event_from_row(row: dict[str, Any]) -> Event:
    return Event(**{name: json.loads(row[name] or "[]") if name in EVENT_LIST_FIELDS
                    else row[name] for name in EVENT_FIELDS})


def content_ids(keys: list[tuple[Any, ...]], taken: Iterable[int] = ()) -> list[int]:
    """Ids of contradictions and control records from what they are about (as event ids are),
    so that a re-run, or one that adds articles, gives a record the id it had: a 52-bit hash
    (exact in JavaScript), the next free number where two keys meet (or meet an id in `taken`:
    rows an update keeps)."""
    ids: list[int] = []
    taken = set(taken)
    for key in keys:
        digest = hashlib.sha1(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()
        number = int(digest[:13], 16) or 1
        while number in taken:
            number = number % (2**52 - 1) + 1
        taken.add(number)
        ids.append(number)
    return ids


def _split_sql(script: str) -> list[str]:
    """Migration scripts hold plain DDL separated by ';' (no triggers), so a split is enough;
    executescript() would commit on its own and break the one-transaction-per-migration rule."""
    return [s.strip() for s in script.split(";") if s.strip()]


def open_store(out_dir: Path, readonly: bool = False) -> Store:
    return Store(Path(out_dir) / STORE_NAME, readonly=readonly)
