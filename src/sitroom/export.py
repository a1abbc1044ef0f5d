"""Contract files, all written from the store (see ../shared/DESIGN.md, "Output contract").

Each file is written to a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

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


def write_atomic(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    return buf.getvalue()


def _joined(value: str) -> str:
    """JSON list in the store -> ';'-joined cell in the CSV."""
    return ";".join(str(x) for x in json.loads(value or "[]"))


def article_rows(store: Store) -> list[dict[str, Any]]:
    rows = store.rows("SELECT article_id, title, outlet, wire, published, published_source, "
                      "story_id, words, boilerplate FROM articles ORDER BY article_id")
    for r in rows:
        r["boilerplate_lines"] = len(json.loads(r.pop("boilerplate")))
    return rows


def event_rows(store: Store) -> list[dict[str, Any]]:
    rows = store.rows("SELECT * FROM events ORDER BY event_date, event_id")
    for r in rows:
        for key in ("article_ids", "sources"):
            r[key] = _joined(r[key])
        r["evidence"] = " | ".join(json.loads(r["evidence"] or "[]"))
    return rows


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


def export_all(store: Store, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    clean_dir = out / "clean"
    clean_dir.mkdir(exist_ok=True)
    for r in store.db.execute("SELECT article_id, text FROM articles"):
        write_atomic(clean_dir / f"{r[0]}.txt", r[1] + "\n")
    write_atomic(out / "articles.csv", _csv(ARTICLE_COLUMNS, article_rows(store)))
    write_atomic(out / "stories.json",
                 json.dumps(story_records(store), ensure_ascii=False, indent=1) + "\n")
    write_atomic(out / "events.csv", _csv(EVENT_COLUMNS, event_rows(store)))
    write_atomic(out / "quotes.csv", _csv(QUOTE_COLUMNS, store.rows(
        "SELECT * FROM quotes ORDER BY article_id, quote_id")))
    write_atomic(out / "contradictions.csv", _csv(CONTRADICTION_COLUMNS, contradiction_rows(store)))
    write_atomic(out / "control.csv", _csv(CONTROL_COLUMNS, control_rows(store)))
    from sitroom.report import render_report

    write_atomic(out / "report.html", render_report(store))
