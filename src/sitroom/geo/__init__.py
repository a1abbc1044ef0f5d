"""Geo stage: gazetteer, toponym recognition and resolution, ACLED geo_precision.

Interface used by the pipeline (issue 4 deepens the implementation):
- geoparse(doc, theatre) -> list[Toponym] with resolved places for one spaCy Doc.
- theatre_of(toponyms) -> the countries/admin1s seen, used as a prior for the rest of a story.
"""

from __future__ import annotations

from typing import Any

from sitroom.records import Toponym


def geoparse(doc: Any, theatre: dict[str, float] | None = None) -> list[Toponym]:
    return []


def theatre_of(toponyms: list[Toponym]) -> dict[str, float]:
    counts: dict[str, float] = {}
    for t in toponyms:
        if t.place and t.place.country:
            counts[t.place.country] = counts.get(t.place.country, 0.0) + 1.0
    return counts
