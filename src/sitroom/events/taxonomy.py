"""ACLED taxonomy and lexical cues, loaded from src/sitroom/data/events/ (sources named there)."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "events"


@dataclass(frozen=True)
class SubEventType:
    code: str  # CASE-2021 code, e.g. ARMED_CLASH
    event_type: str  # ACLED event type ("" for the codes outside ACLED)
    sub_event_type: str  # ACLED sub-event type name
    rank: int  # ACLED precedence: lower wins when types co-occur
    description: str


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, SubEventType]:
    raw = json.loads((DATA_DIR / "acled_taxonomy.json").read_text(encoding="utf-8"))
    out: dict[str, SubEventType] = {}
    for row in raw["sub_event_types"]:
        out[row["code"]] = SubEventType(
            row["code"], row["event_type"], row["sub_event_type"], int(row["rank"]), row["description"]
        )
    for row in raw["outside_acled"]:
        out[row["code"]] = SubEventType(row["code"], "", "", 99, row["description"])
    return out


def by_name(sub_event_type: str) -> SubEventType:
    for t in taxonomy().values():
        if t.sub_event_type == sub_event_type:
            return t
    raise KeyError(sub_event_type)


def read_csv_rows(name: str) -> list[dict[str, str]]:
    """Rows of a data CSV/TSV; lines starting with '#' are the provenance header."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines, delimiter="\t" if name.endswith(".tsv") else ","))


@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, list[re.Pattern[str]]]:
    cues: dict[str, list[re.Pattern[str]]] = {}
    for row in read_csv_rows("cues.tsv"):
        cues.setdefault(row["code"], []).append(re.compile(row["pattern"]))
    return cues


def cue_counts(text: str) -> dict[str, int]:
    """How many cue matches each sub-event code has in a text (lower-cased)."""
    low = text.lower()
    return {
        code: sum(len(p.findall(low)) for p in patterns) for code, patterns in cue_patterns().items()
    }
