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

from sitroom.geo.gazetteer import COUNTRY, load_gazetteer
from sitroom.geo.precision import precision_for, precision_in_text
from sitroom.geo.recognize import Span, feature_hint_after, find_spans
from sitroom.geo.resolve import Context, best_candidate, place_of, resolve_name
from sitroom.records import Place, Toponym

__all__ = ["geoparse", "theatre_of", "resolve_name", "precision_for", "find_spans", "resolve_spans",
           "warm_up"]

# "X district of Y", "X, Y", "X in Y province": the name after is a container of the name before.
_CONTAINER_GAP = re.compile(r"^(?:\s+(?:district|province|county|city|town|village))?"
                            r"(?:\s*,\s*|\s+(?:of|in)\s+(?:the\s+)?)$", re.IGNORECASE)


def geoparse(doc: Any, theatre: dict[str, float] | None = None, demonyms: str = "") -> list[Toponym]:
    """Find and resolve the place names of one parsed article.

    demonyms="adjectival" also returns adjectival country mentions ("Turkish troops") resolved to
    the country, "all" also plural nouns ("Canadians"), as some annotation schemes count them;
    the pipeline leaves them out (default "").
    """
    return resolve_spans(doc.text, find_spans(doc, demonyms=demonyms), theatre)


def resolve_spans(text: str, spans: list[Span], theatre: dict[str, float] | None = None) -> list[Toponym]:
    """Resolve recognised spans of one article, each in the light of the others."""
    gz = load_gazetteer()
    hints = [feature_hint_after(text, sp.end) for sp in spans]

    # Pass 1: each name on its own (prominence, theatre, hint).
    first: list[int | None] = []
    memo: dict[tuple[str, str], int | None] = {}  # a name repeated in an article resolves once
    for sp, hint in zip(spans, hints):
        if sp.kind == "demonym":
            first.append(_country_row(gz, sp.country_hint))
            continue
        if (sp.text, hint) not in memo:
            memo[(sp.text, hint)] = best_candidate(gz, sp.text, Context(theatre=theatre, hint=hint))[0]
        first.append(memo[(sp.text, hint)])

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
    memo2: dict[tuple, int | None] = {}
    for k, (sp, hint) in enumerate(zip(spans, hints)):
        pid = first[k]
        container = _container(gz, spans, first, k, text) if sp.kind != "demonym" else None
        if sp.kind != "demonym" and (sp.text, hint, container) in memo2:
            pid = memo2[(sp.text, hint, container)]
        elif sp.kind != "demonym":
            own = first[k]
            countries = dict(country_n)
            admin1s = dict(admin1_n)
            if own is not None and seen_keys.get(sp.text.lower()) == own:
                countries[gz.country[own]] = countries.get(gz.country[own], 0) - 1
                if gz.admin1[own]:
                    key = (gz.country[own], gz.admin1[own])
                    admin1s[key] = admin1s.get(key, 0) - 1
            ctx = Context(theatre=theatre, countries=countries, admin1s=admin1s,
                          container=container, hint=hint)
            pid, _ = best_candidate(gz, sp.text, ctx)
            memo2[(sp.text, hint, container)] = pid
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
    if gz.country[outer] and gz.admin1[outer]:
        return gz.country[outer], gz.admin1[outer]
    return None


def warm_up() -> None:
    """Load the gazetteer and build the lazy indexes once (a second or two), before timing work."""
    from sitroom.geo.precision import _near_pattern
    from sitroom.geo.resolve import _notable_by_country

    _notable_by_country(load_gazetteer())
    _near_pattern()
    resolve_name("Kabul, Afghanistan")


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
