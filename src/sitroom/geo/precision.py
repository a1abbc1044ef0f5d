"""ACLED geo_precision: 1 a named town or site, 2 near a town / its outskirts / a district,
3 only a province, region or country (ACLED Codebook, "Geo-precision"). Cue words are data in
src/sitroom/data/geo/cues.toml."""

from __future__ import annotations

import re
from functools import lru_cache

from sitroom.geo.names import name_key, skeleton_key
from sitroom.records import Place

_REGIONAL = {"country", "admin1", "continent", "region"}
_AREAL = {"admin2", "river"}  # a district or a river reach: somewhere along/within it


@lru_cache(maxsize=1)
def _near_pattern() -> re.Pattern[str]:
    from sitroom.geo.recognize import cues

    phrases = sorted(cues()["precision"]["near_before"], key=len, reverse=True)
    alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    # a near-cue, then up to a few words (numbers, "the", "city of") before the name
    return re.compile(rf"\b(?:{alt})\b(?:\s+(?:the|city|town|village|district|of|\d+|[a-z]+))?\s*$",
                      re.IGNORECASE)


def base_precision(place: Place) -> int:
    if place.feature in _REGIONAL:
        return 3
    if place.feature in _AREAL:
        return 2
    return 1


def precision_in_text(place: Place, text: str, start: int) -> int:
    """Precision of the place named at text[start:...], from the words just before it."""
    base = base_precision(place)
    if base == 3:
        return 3
    before = text[max(0, start - 40): start]
    if _near_pattern().search(before):
        return 2
    return base


def precision_for(place: Place, context: str) -> int:
    """ACLED geo_precision of `place` as described by `context` (the sentence or phrase naming it).

    "near X", "outskirts of X", "20 km north of X" -> 2; a district -> 2; a province or
    country alone -> 3; a named town, crossing or base -> 1.
    """
    base = base_precision(place)
    if base == 3 or not context:
        return base
    key, skel = name_key(place.name), skeleton_key(place.name)
    ctx_key_positions = []
    # Find where the place is named (any spelling whose folded or transliteration key matches).
    for m in re.finditer(r"[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,4}", context):
        words = m.group(0).split()
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            if name_key(cand) == key or skeleton_key(cand) == skel:
                ctx_key_positions.append(m.start())
                break
    if not ctx_key_positions:
        return base
    return max(precision_in_text(place, context, pos) for pos in ctx_key_positions)
