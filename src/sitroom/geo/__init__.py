"""Geo stage: gazetteer, toponym recognition and resolution, ACLED geo_precision.

Interface used by the pipeline:
- geoparse(doc, theatre) -> list[Toponym] with resolved places for one spaCy Doc.
- theatre_of(toponyms) -> the countries/admin1s seen, used as a prior for the rest of a story.
- resolve_name(name, theatre) -> Place | None for one location string (events stage).
- precision_for(place, context) -> ACLED geo_precision (1 town/site, 2 near/district, 3 region).

The gazetteer is built by `python -m sitroom.geo.build` (or on first use); see gazetteer.py.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sitroom.geo.gazetteer import ADMIN1, COUNTRY, load_gazetteer
from sitroom.geo.precision import precision_for, precision_in_text
from sitroom.geo.recognize import Span, feature_hint_after, find_spans
from sitroom.geo.resolve import Context, best_candidate, place_of, resolve_name
from sitroom.records import Place, Toponym

__all__ = ["geoparse", "theatre_of", "resolve_name", "precision_for"]

# "X district of Y", "X, Y", "X in Y province": the name after is a container of the name before.
_CONTAINER_GAP = re.compile(r"^(?:\s+(?:district|province|county|city|town|village))?"
                            r"(?:\s*,\s*|\s+(?:of|in)\s+(?:the\s+)?)$", re.IGNORECASE)


def geoparse(doc: Any, theatre: dict[str, float] | None = None, demonyms: bool = False) -> list[Toponym]:
    """Find and resolve the place names of one parsed article.

    demonyms=True also returns adjectival country mentions ("Turkish") resolved to the country,
    as some annotation schemes count them; the pipeline leaves them out.
    """
    gz = load_gazetteer()
    text = doc.text
    spans = find_spans(doc, demonyms=demonyms)
    hints = [feature_hint_after(text, sp.end) for sp in spans]

    # Pass 1: each name on its own (prominence, theatre, hint).
    first: list[int | None] = []
    for sp, hint in zip(spans, hints):
        if sp.kind == "demonym":
            first.append(_country_row(gz, sp.country_hint))
            continue
        pid, _ = best_candidate(gz, sp.text, Context(theatre=theatre, hint=hint))
        first.append(pid)

    # The article's own context: countries and admin1s of its names (each name counts once).
    country_n: Counter[str] = Counter()
    admin1_n: Counter[tuple[str, str]] = Counter()
    seen_keys: dict[str, int | None] = {}
    for sp, pid in zip(spans, first):
        seen_keys.setdefault(sp.text.lower(), pid)
    for pid in seen_keys.values():
        if pid is None:
            continue
        country_n[gz.country[pid]] += 1
        if gz.feature[pid] != COUNTRY and gz.admin1[pid]:
            admin1_n[(gz.country[pid], gz.admin1[pid])] += 1

    out: list[Toponym] = []
    for k, (sp, hint) in enumerate(zip(spans, hints)):
        pid = first[k]
        if sp.kind != "demonym":
            own = first[k]
            countries = dict(country_n)
            admin1s = dict(admin1_n)
            if own is not None and seen_keys.get(sp.text.lower()) == own:
                countries[gz.country[own]] = countries.get(gz.country[own], 0) - 1
                if gz.admin1[own]:
                    key = (gz.country[own], gz.admin1[own])
                    admin1s[key] = admin1s.get(key, 0) - 1
            container = _container(gz, spans, first, k, text)
            ctx = Context(theatre=theatre, countries=countries, admin1s=admin1s,
                          container=container, hint=hint)
            pid, _ = best_candidate(gz, sp.text, ctx)
        place: Place | None = None
        if pid is not None:
            place = place_of(gz, pid)
            place.geo_precision = precision_in_text(place, text, sp.start)
        out.append(Toponym(text=sp.text, start=sp.start, end=sp.end, place=place))
    return out


def _country_row(gz: Any, cc: str) -> int | None:
    for pid in gz.lookup(gz.country_name(cc)):
        if gz.feature[pid] == COUNTRY and gz.country[pid] == cc:
            return pid
    return None


def _container(gz: Any, spans: list[Span], first: list[int | None], k: int, text: str) -> tuple[str, str] | None:
    if k + 1 >= len(spans) or first[k + 1] is None:
        return None
    gap = text[spans[k].end: spans[k + 1].start]
    if len(gap) > 30 or not _CONTAINER_GAP.match(gap):
        return None
    outer = first[k + 1]
    if gz.feature[outer] == COUNTRY:
        return gz.country[outer], ""
    if gz.feature[outer] == ADMIN1:
        return gz.country[outer], gz.admin1[outer]
    return None


def theatre_of(toponyms: list[Toponym]) -> dict[str, float]:
    """Countries ("Afghanistan") and admin1s ("Kunduz, Afghanistan") seen, with counts."""
    counts: dict[str, float] = {}
    for t in toponyms:
        p = t.place
        if not p or not p.country:
            continue
        counts[p.country] = counts.get(p.country, 0.0) + 1.0
        if p.admin1 and p.feature != COUNTRY:
            key = f"{p.admin1}, {p.country}"
            counts[key] = counts.get(key, 0.0) + 1.0
    return counts
