"""One declaration of the columns: the store, the records, the files, the API and the data
dictionary all agree with it."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from sitroom.outputs import dictionary
from sitroom.outputs.columns import arrow_schema, code_sets, response_model, table, tables
from sitroom.records import Event
from sitroom.store import open_store

ROOT = Path(__file__).resolve().parents[2]
# Event fields that are not output columns: the keys fusion uses to keep event ids stable.
INTERNAL_EVENT_FIELDS = {"mention_keys"}


def test_every_event_field_is_a_store_column_and_a_declared_output_column(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    db = sqlite3.connect(tmp_path / "sitroom.sqlite")
    stored = {r[1] for r in db.execute("PRAGMA table_info(events)")}
    db.close()
    fields = {f.name for f in dataclasses.fields(Event)}
    assert stored == fields  # a new Event field needs a migration adding its column
    events = table("events")
    declared = {c.name for c in events.columns if not c.derived}
    assert fields - INTERNAL_EVENT_FIELDS == declared  # ... and a line in columns.toml
    assert {c.name for c in events.columns if c.derived} & fields == set()


def test_every_code_set_named_by_a_column_exists_and_every_type_maps() -> None:
    sets = code_sets()
    for t in tables().values():
        for c in t.columns:
            assert c.codes is None or c.codes in sets, (t.key, c.name)
            assert c.description, (t.key, c.name)
        assert arrow_schema(t.key).names == t.names
        assert list(response_model(t.key).model_fields) == t.names


def test_the_committed_data_dictionary_is_what_the_code_generates() -> None:
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary.markdown(), \
        "regenerate: sitroom schema --markdown > docs/data-dictionary.md"


def test_the_dictionary_names_every_column_and_code(capsys: object) -> None:
    from sitroom.cli import main

    text = dictionary.markdown()
    for t in tables().values():
        for c in t.columns:
            assert f"`{c.name}`" in text
    for name in ("time_precision", "geo_precision", "claim_status", "relation", "quote_kind",
                 "contradiction_kind", "control_status", "inter", "disorder_type", "region"):
        for code in code_sets()[name].values:
            assert code.meaning in text or not code.meaning, (name, code.code)
    assert main(["schema"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "acled.csv" in out and "event_id_cnty" in out and "claim_status" in out
