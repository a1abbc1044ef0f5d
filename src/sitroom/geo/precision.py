"""ACLED geo_precision: 1 a named town or site, 2 near a town / its outskirts / a district,
3 only a province, region or country (ACLED Codebook, "Geo-precision"). Cue words are data in
src/sitroom/data/geo/cues.toml."""

from __future__ import annotations

import re
from functools import lru_cache

from sitroom.geo.names import name_key
from sitroom.records import Place

_REGIONAL = {"country", "admin1"}


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
    if place.feature == "admin2":
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
    key = name_key(place.name)
    ctx_key_positions = []
    low = context
    # Find where the place is named (any spelling whose folded form equals the place's).
    for m in re.finditer(r"[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,4}", low):
        words = m.group(0).split()
        for n in range(len(words), 0, -1):
            if name_key(" ".join(words[:n])) == key:
                ctx_key_positions.append(m.start())
                break
    if not ctx_key_positions:
        return base
    return max(precision_in_text(place, context, pos) for pos in ctx_key_positions) if base != 3 else 3
