"""Output files, all written from the store through the read model (sitroom.outputs.query).

`export_all` writes the contract files of ../shared/DESIGN.md ("Output contract") plus acled.csv
and events.geojson after every run; `export_file` writes one format (acled, csv, geojson,
parquet, xlsx) of the events, or of another output, filtered (`sitroom export`). Columns come from
sitroom/data/outputs/columns.toml.

Each file is written to a temporary name and renamed, so a reader never sees half a file. Rows go
from the store to the file as they are read: at 100,000 articles quotes.csv alone is ~100 MB,
which the run need not hold. CSVs start with a UTF-8 byte-order mark, which Excel needs to read
them as UTF-8 (every CSV reader that knows UTF-8 skips it; Python's: encoding="utf-8-sig"). A
cleaned text already on disk as the store has it is left alone, so an incremental run writes
only the texts that are new or changed.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from sitroom.outputs import query
from sitroom.outputs.columns import arrow_schema, csv_columns, table
from sitroom.store import Store

ARTICLE_COLUMNS = csv_columns("articles")
EVENT_COLUMNS = csv_columns("events")
QUOTE_COLUMNS = csv_columns("quotes")
CONTRADICTION_COLUMNS = csv_columns("contradictions")
CONTROL_COLUMNS = csv_columns("control")
ACLED_COLUMNS = csv_columns("acled")
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark
FORMATS = ("acled", "csv", "geojson", "parquet", "xlsx")
EXTENSIONS = {"acled": ".csv", "csv": ".csv", "geojson": ".geojson", "parquet": ".parquet",
              "xlsx": ".xlsx"}
# What `sitroom export --table` can write besides the events, and how its records are read.
TABLES: dict[str, Callable[[Store], Iterable[dict[str, Any]]]] = {
    "articles": lambda store: query.articles(store),
    "quotes": lambda store: query.quotes(store),
    "contradictions": lambda store: query.contradictions(store),
    "control": lambda store: query.control(store),
}

# Kept for the callers of earlier releases: the read model is the one reader.
story_records = query.stories


@contextmanager
def atomic_file(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file open for writing that appears at `path` whole, or not at all."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            yield fh
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


@contextmanager
def atomic_binary(path: Path) -> Iterator[BinaryIO]:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            yield fh
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def write_atomic(path: Path, data: str) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


def csv_cell(name: str, value: Any) -> Any:
    """A value as a CSV cell: lists ';'-joined (evidence ' | '-joined), None empty."""
    if isinstance(value, list):
        return (" | " if name == "evidence" else ";").join(str(x) for x in value)
    return "" if value is None else value


def write_csv_rows(fh: TextIO, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: csv_cell(k, row.get(k)) for k in columns})
        n += 1
    return n


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    """A CSV (with a byte-order mark) of these columns. Returns the row count."""
    with atomic_file(path, CSV_ENCODING) as fh:
        return write_csv_rows(fh, columns, rows)


def iter_rows(store: Store, sql: str) -> Generator[dict[str, Any], None, None]:
    """A query's rows one at a time (the cursor is closed however the caller stops)."""
    cursor = store.db.execute(sql)
    try:
        for row in cursor:
            yield dict(row)
    finally:
        cursor.close()


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
        while records := query.stories(store, page, offset):
            for record in records:
                fh.write("," if offset else "")
                fh.write("\n " + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n "))
                offset += 1
        fh.write("\n]\n" if offset else "]\n")


# ------------------------------------------------------------------------------ GeoJSON

def feature(record: dict[str, Any], id_key: str | None) -> dict[str, Any] | None:
    """A record with coordinates as an RFC 7946 Feature (a Point, longitude first); None
    without coordinates."""
    lat, lon = record.get("latitude"), record.get("longitude")
    if lat is None or lon is None:
        return None
    out: dict[str, Any] = {"type": "Feature"}
    if id_key:
        out["id"] = record[id_key]
    out["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
    out["properties"] = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
    return out


def write_geojson(path: Path, records: Iterable[dict[str, Any]], id_key: str | None) -> int:
    """An RFC 7946 FeatureCollection (WGS 84, no `crs` member) of the records with coordinates,
    one feature a line; returns how many."""
    n = 0
    with atomic_file(path) as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        for record in records:
            f = feature(record, id_key)
            if f is None:
                continue
            fh.write(("," if n else "") + "\n" + json.dumps(f, ensure_ascii=False, allow_nan=False))
            n += 1
        fh.write("\n]}\n")
    return n


# ------------------------------------------------------------------------------ Parquet, xlsx

def write_parquet(path: Path, key: str, records: Iterable[dict[str, Any]], batch: int = 10_000
                  ) -> int:
    """Parquet (pyarrow) with the declared schema, written in row groups of `batch` records."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(key)
    names = schema.names
    n = 0
    with atomic_binary(path) as fh, pq.ParquetWriter(fh, schema) as writer:
        chunk: list[dict[str, Any]] = []

        def flush() -> None:
            columns = {name: [r.get(name) for r in chunk] for name in names}
            writer.write_table(pa.table(columns, schema=schema))
            chunk.clear()

        for record in records:
            chunk.append(record)
            n += 1
            if len(chunk) >= batch:
                flush()
        if chunk or n == 0:
            flush()
    return n


def write_xlsx(path: Path, key: str, records: Iterable[dict[str, Any]]) -> int:
    """An Excel workbook: the records on one sheet (lists ';'-joined, header frozen and
    filterable), and the column dictionary on a second."""
    from openpyxl import Workbook

    t = table(key)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t.key)
    sheet.freeze_panes = "A2"
    sheet.append(t.names)
    n = 0
    for record in records:
        row = []
        for name in t.names:
            value = record.get(name)
            if isinstance(value, list):
                value = ";".join(str(x) for x in value)
            row.append(_excel_cell(value))
        sheet.append(row)
        n += 1
    sheet.auto_filter.ref = f"A1:{_column_letter(len(t.names))}{n + 1}"
    about = book.create_sheet("columns")
    about.append(["column", "type", "meaning"])
    for c in t.columns:
        about.append([c.name, c.type, c.description])
    with atomic_binary(path) as fh:
        book.save(fh)
    return n


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(n))


def _excel_cell(value: Any) -> Any:
    """Text that Excel would run as a formula ("=cmd|...") is given a leading apostrophe."""
    if isinstance(value, str):
        if value[:1] in ("=", "+", "-", "@") and not _number_like(value):
            return "'" + value
        return value[:32_767]  # Excel's limit for one cell
    return value


def _number_like(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------ entry points

def export_file(store: Store, fmt: str, path: Path, filt: query.EventFilter | None = None,
                key: str = "events") -> int:
    """One export of the events (filtered) or of another table: acled.csv, CSV, GeoJSON, Parquet
    or xlsx. Returns how many records it holds."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "acled":
        key = "acled"
    if key in ("events", "acled"):
        def records() -> Iterable[dict[str, Any]]:
            return query.events(store, filt, key=key)
    elif key in TABLES:
        if filt is not None and not filt.is_empty():
            raise ValueError(f"the filters apply to events, not to {key}")

        def records() -> Iterable[dict[str, Any]]:
            return TABLES[key](store)
    else:
        raise ValueError(f"unknown table {key!r}")
    if fmt in ("acled", "csv"):
        return write_csv(path, table(key).names, records())
    if fmt == "geojson":
        if key not in ("events", "acled", "control"):
            raise ValueError(f"{key} have no coordinates: no GeoJSON")
        return write_geojson(path, records(), "event_id" if key == "events" else None)
    if fmt == "parquet":
        return write_parquet(path, key, records())
    return write_xlsx(path, key, records())


def write_changes(store: Store, path: Path) -> int:
    """DIR/changes.jsonl: the store's change log, one JSON object a line, oldest first (events
    added, changed, merged, retired by each update, and why). Returns the line count."""
    n = 0
    with atomic_file(path) as fh:
        for change in store.changes():
            fh.write(json.dumps(change, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def export_all(store: Store, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_clean_texts(store, out / "clean")
    write_csv(out / "articles.csv", ARTICLE_COLUMNS, query.articles(store))
    write_stories_json(store, out / "stories.json")
    write_csv(out / "events.csv", EVENT_COLUMNS, query.events(store))
    write_csv(out / "acled.csv", ACLED_COLUMNS, query.acled_rows(store))
    write_geojson(out / "events.geojson", query.events(store), "event_id")
    write_geojson(out / "control.geojson", query.control(store), None)
    write_csv(out / "quotes.csv", QUOTE_COLUMNS, query.quotes(store))
    write_csv(out / "contradictions.csv", CONTRADICTION_COLUMNS, query.contradictions(store))
    write_csv(out / "control.csv", CONTROL_COLUMNS, query.control(store))
    write_changes(store, out / "changes.jsonl")
    from sitroom.report import render_report

    write_atomic(out / "report.html", render_report(store))
