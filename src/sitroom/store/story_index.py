"""The store's story index (candidate stories for new articles) and its meta table.

- story_index: per article its content hash, day, lead vector (float16) and MinHash signature;
- story_bands: the signature's LSH band keys (copies share one);
- meta: what the stored caches were computed with (versions), so a run knows whether it may
  update incrementally.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

import numpy as np

from sitroom import serial
from sitroom.records import IndexEntry, LineageLink, PublicationDate, Story
from sitroom.store.fusion import _chunks, select_in


class StoryIndex:
    """Mixed into Store (uses self.db and self.transaction)."""

    db: sqlite3.Connection

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str]) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            self.db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                list(values.items()))

    def story_index_hashes(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT article_id, content_hash FROM story_index")}

    def save_story_index(self, entries: list[IndexEntry]) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            ids = [(e.article_id,) for e in entries]
            self.db.executemany("DELETE FROM story_bands WHERE article_id=?", ids)
            self.db.executemany(
                "INSERT OR REPLACE INTO story_index (article_id, content_hash, day, lead, "
                "signature) VALUES (?, ?, ?, ?, ?)",
                [(e.article_id, e.content_hash, e.day, e.lead, e.signature) for e in entries])
            self.db.executemany(
                "INSERT INTO story_bands (band, key, article_id) VALUES (?, ?, ?)",
                [(b, k, e.article_id) for e in entries for b, k in e.bands])

    def band_matches(self, bands: list[tuple[int, int]]) -> dict[str, bytes]:
        """Stored articles sharing one of these (band, key): article id -> signature."""
        out: dict[str, bytes] = {}
        for band, key in bands:
            for aid, sig in self.db.execute(
                    "SELECT i.article_id, i.signature FROM story_bands b JOIN story_index i "
                    "USING (article_id) WHERE b.band=? AND b.key=?", (band, key)):
                out[aid] = bytes(sig)
        return out

    def leads_near(self, day: int | None, days: int) -> tuple[list[str], np.ndarray]:
        """Stored lead vectors of articles within `days` of `day`, and of undated ones (all of
        them for an undated `day`): (ids, float16 matrix)."""
        if day is None:
            rows = self.db.execute("SELECT article_id, lead FROM story_index").fetchall()
        else:
            rows = self.db.execute(
                "SELECT article_id, lead FROM story_index WHERE day IS NULL OR day BETWEEN ? AND ?",
                (day - days, day + days)).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float16)
        return [r[0] for r in rows], np.stack([np.frombuffer(r[1], dtype=np.float16) for r in rows])

    def story_ids_of(self, article_ids: Iterable[str]) -> set[str]:
        return {r[0] for r in select_in(
            self.db, "SELECT story_id FROM articles WHERE story_id IS NOT NULL AND article_id IN "
            "({marks})", article_ids)}

    def stories_by_ids(self, story_ids: Iterable[str]) -> list[Story]:
        out: list[Story] = []
        for chunk in _chunks(sorted(story_ids)):
            for r in self.db.execute(
                    f"SELECT * FROM stories WHERE story_id IN ({','.join('?' * len(chunk))}) "  # noqa: S608
                    "ORDER BY story_id", chunk):
                out.append(Story(r["story_id"], r["title"], json.loads(r["article_ids"]),
                                 r["origin_article_id"],
                                 [serial.from_data(LineageLink, x) for x in json.loads(r["lineage"])],
                                 r["lineage_key"] or ""))
        return out

    def previous_run_status(self) -> str | None:
        """How the run before the latest one ended (done, interrupted, failed, empty)."""
        row = self.db.execute("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1 OFFSET 1"
                              ).fetchone()
        return None if row is None else str(row[0])

    def ids_without_story(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT article_id FROM articles WHERE story_id IS NULL")}

    def count_stories(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def own_dates_of(self, article_ids: Iterable[str]) -> dict[str, PublicationDate]:
        return {r[0]: serial.loads(PublicationDate, r[1]) for r in select_in(
            self.db, "SELECT article_id, own_date FROM docs WHERE own_date IS NOT NULL AND "
            "article_id IN ({marks})", article_ids)}

    def replace_stories(self, removed: Iterable[str], stories: list[Story],
                        dates: dict[str, PublicationDate]) -> None:
        """An update's stories: the `removed` ones (regrouped) give way to `stories`; their
        members' story ids and dates are set. Every other story stays as stored."""
        with self.transaction():  # type: ignore[attr-defined]
            gone = sorted(set(removed))
            self.db.executemany("DELETE FROM stories WHERE story_id=?", [(s,) for s in gone])
            self.db.executemany("UPDATE articles SET story_id=NULL WHERE story_id=?",
                                [(s,) for s in gone])
            self.db.executemany(
                "INSERT OR REPLACE INTO stories (story_id, title, origin_article_id, article_ids, "
                "lineage, lineage_key) VALUES (?, ?, ?, ?, ?, ?)",
                [(s.story_id, s.title, s.origin_article_id, json.dumps(s.article_ids),
                  json.dumps([serial.dataclasses.asdict(x) for x in s.lineage], ensure_ascii=False),
                  s.lineage_key) for s in stories])
            self.db.executemany("UPDATE articles SET story_id=? WHERE article_id=?",
                                [(s.story_id, aid) for s in stories for aid in s.article_ids])
            self.db.executemany(
                "UPDATE articles SET published=?, published_source=? WHERE article_id=?",
                [(d.date, d.source, aid) for aid, d in dates.items()])
