"""The one declaration of every output's columns (sitroom/data/outputs/columns.toml), and what is
derived from it: CSV headers, the API's response models, the Parquet schema, GeoJSON properties
and the data dictionary all read these tables, so a column is added in one place.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

TYPES = ("text", "integer", "number", "date", "list", "records")


@dataclass(frozen=True)
class Code:
    code: str
    meaning: str
    legacy: int | None = None  # the number an older ACLED export wrote for it


@dataclass(frozen=True)
class CodeSet:
    name: str
    source: str
    values: tuple[Code, ...]

    @property
    def codes(self) -> list[str]:
        return [v.code for v in self.values]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    codes: str | None = None  # name of a CodeSet
    derived: bool = False  # written from other fields when read, not stored
    of: str | None = None  # records: the table of the nested objects


@dataclass(frozen=True)
class Table:
    key: str
    file: str
    title: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _data(name: str) -> str:
    return resources.files("sitroom.data").joinpath("outputs", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    raw = tomllib.loads(_data("columns.toml"))
    out = {}
    for key, spec in raw.items():
        columns = tuple(Column(**c) for c in spec["columns"])
        for c in columns:
            if c.type not in TYPES:
                raise ValueError(f"columns.toml: {key}.{c.name}: unknown type {c.type!r}")
        out[key] = Table(key, spec["file"], spec["title"], spec["description"], columns)
    return out


def table(key: str) -> Table:
    return tables()[key]


def csv_columns(key: str) -> list[str]:
    return table(key).names


@lru_cache(maxsize=1)
def raw_codes() -> dict[str, Any]:
    return tomllib.loads(_data("codes.toml"))


@lru_cache(maxsize=1)
def code_sets() -> dict[str, CodeSet]:
    sets = {name: CodeSet(name, spec["source"], tuple(
        Code(str(v["code"]), v.get("meaning", ""), v.get("legacy")) for v in spec["values"]))
        for name, spec in raw_codes().items()}
    taxonomy = json.loads(resources.files("sitroom.data").joinpath(
        "events", "acled_taxonomy.json").read_text(encoding="utf-8"))
    source = "ACLED Codebook, 'Event types and sub-event types' (data/events/acled_taxonomy.json)"
    sets["event_type"] = CodeSet("event_type", source, tuple(
        Code(t, "") for t in taxonomy["event_types"]))
    sets["sub_event_type"] = CodeSet("sub_event_type", source, tuple(
        Code(s["sub_event_type"], f"{s['event_type']}: {s['description']}")
        for s in taxonomy["sub_event_types"]))
    return sets


# ------------------------------------------------------------------------------ derived schemas

def _python_type(column: Column) -> Any:
    if column.type == "records":
        return list[response_model(column.of or "")]  # type: ignore[misc]
    return {"text": str, "date": str, "integer": int, "number": float,
            "list": list[str]}[column.type]


@lru_cache(maxsize=None)
def response_model(key: str) -> Any:
    """A pydantic model of the table's records as the API answers them (lists as lists)."""
    from pydantic import Field, create_model

    t = table(key)
    fields: dict[str, Any] = {}
    for c in t.columns:
        kind = _python_type(c)
        if c.required or c.type in ("list", "records"):
            fields[c.name] = (kind, Field(description=c.description))
        else:
            fields[c.name] = (kind | None, Field(None, description=c.description))
    name = "".join(part.capitalize() for part in key.split("_")) + "Out"
    return create_model(name, __doc__=t.description, **fields)


def arrow_schema(key: str) -> Any:
    """The pyarrow schema of the table (lists as list<string>; nested records as JSON text)."""
    import pyarrow as pa

    kinds = {"text": pa.string(), "date": pa.string(), "integer": pa.int64(),
             "number": pa.float64(), "list": pa.list_(pa.string()), "records": pa.string()}
    return pa.schema([pa.field(c.name, kinds[c.type], nullable=not c.required,
                               metadata={"description": c.description})
                      for c in table(key).columns])
