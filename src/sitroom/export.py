"""Contract files, all written from the store (see ../shared/DESIGN.md, "Output contract").

Each file is written to a temporary name and renamed, so a reader never sees half a file. Rows go
from the store to the file as they are read: at 100,000 articles quotes.csv alone is ~100 MB, which
the run need not hold. A cleaned text already on disk as the store has it is left alone, so an
incremental run writes only the texts that are new or changed.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sitroom.store import Store

ARTICLE_COLUMNS = ["article_id", "title", "outlet", "wire", "published", "published_source",
                   "story_id", "words", "boilerplate_lines"]
EVENT_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude",
                 "longitude", "geo_precision", "fatalities", "fatalities_max", "claim_status",
                 "n_reports", "n_independent_sources", "article_ids", "sources", "notes", "evidence"]
QUOTE_COLUMNS = ["quote_id", "article_id", "speaker", "speaker_canonical", "speaker_role", "kind",
                 "stance", "text"]
CONTRADICTION_COLUMNS = ["subject", "field", "value_a", "sources_a", "value_b", "sources_b", "kind"]
CONTROL_COLUMNS = ["place", "admin1", "admin2", "date", "holder", "status", "event_ids"]


@contextmanager
def atomic_file(path: Path) -> Iterator[TextIO]:
    """A text file open for writing that appears at `path` whole, or not at all."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        yield fh
    os.replace(tmp, path)


def write_atomic(path: Path, data: str) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> None:
    with atomic_file(path) as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})


def iter_rows(store: Store, sql: str) -> Generator[dict[str, Any], None, None]:
    """A query's rows one at a time (the cursor is closed however the caller stops)."""
    cursor = store.db.execute(sql)
    try:
        for row in cursor:
            yield dict(row)
    finally:
        cursor.close()


def _joined(value: str) -> str:
    """JSON list in the store -> ';'-joined cell in the CSV."""
    return ";".join(str(x) for x in json.loads(value or "[]"))


def article_rows(store: Store) -> Iterator[dict[str, Any]]:
    for r in iter_rows(store, "SELECT article_id, title, outlet, wire, published, published_source, "
                          "story_id, words, boilerplate FROM articles ORDER BY article_id"):
        r["boilerplate_lines"] = len(json.loads(r.pop("boilerplate")))
        yield r


def event_rows(store: Store) -> Iterator[dict[str, Any]]:
    for r in iter_rows(store, "SELECT * FROM events ORDER BY event_date, event_id"):
        for key in ("article_ids", "sources"):
            r[key] = _joined(r[key])
        r["evidence"] = " | ".join(json.loads(r["evidence"] or "[]"))
        yield r


def story_records(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
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


def contradiction_rows(store: Store) -> list[dict[str, Any]]:
    rows = store.rows("SELECT * FROM contradictions ORDER BY contradiction_id")
    for r in rows:
        r["sources_a"], r["sources_b"] = _joined(r["sources_a"]), _joined(r["sources_b"])
    return rows


def control_rows(store: Store) -> list[dict[str, Any]]:
    rows = store.rows("SELECT * FROM control ORDER BY place, date, control_id")
    for r in rows:
        r["event_ids"] = _joined(r["event_ids"])
    return rows


def write_clean_texts(store: Store, clean_dir: Path) -> int:
    """clean/ARTICLE_ID.txt for every article whose file is missing or differs from the store
    (reading a file back costs a fraction of writing it); returns how many were written."""
    clean_dir.mkdir(exist_ok=True)
    written = 0
    for article_id, text in store.db.execute("SELECT article_id, text FROM articles"):
        path = clean_dir / f"{article_id}.txt"
        data = (text + "\n").encode("utf-8")
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
        except OSError:  # missing (or unreadable: written anew)
            pass
        write_atomic(path, text + "\n")
        written += 1
    return written


def write_stories_json(store: Store, path: Path, page: int = 1_000) -> None:
    """stories.json as json.dumps(story_records(store), indent=1) writes it, a page of stories at
    a time."""
    with atomic_file(path) as fh:
        fh.write("[")
        offset = 0
        while records := story_records(store, page, offset):
            for record in records:
                fh.write("," if offset else "")
                fh.write("\n " + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n "))
                offset += 1
        fh.write("\n]\n" if offset else "]\n")


def export_all(store: Store, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_clean_texts(store, out / "clean")
    write_csv(out / "articles.csv", ARTICLE_COLUMNS, article_rows(store))
    write_stories_json(store, out / "stories.json")
    write_csv(out / "events.csv", EVENT_COLUMNS, event_rows(store))
    write_csv(out / "quotes.csv", QUOTE_COLUMNS,
              iter_rows(store, "SELECT * FROM quotes ORDER BY article_id, quote_id"))
    write_csv(out / "contradictions.csv", CONTRADICTION_COLUMNS, contradiction_rows(store))
    write_csv(out / "control.csv", CONTROL_COLUMNS, control_rows(store))
    from sitroom.report import render_report

    write_atomic(out / "report.html", render_report(store))
