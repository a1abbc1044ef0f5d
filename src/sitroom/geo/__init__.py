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
from functools import lru_cache
from typing import Any

from sitroom.geo.gazetteer import ADMIN1, ADMIN2, CITY, COUNTRY, haversine_km, load_gazetteer
from sitroom.geo.lowercase import is_lowercased
from sitroom.geo.names import name_key
from sitroom.geo.precision import precision_for, precision_in_text
from sitroom.geo.recognize import Span, cue_words, cues, feature_hint_after, feature_hint_before, find_spans
from sitroom.geo.theatre import article_licence, choose, theatre_of, theatre_place
from sitroom.geo.resolve import (NAMESAKE_RATIO, PARTS_MIN_POP, Context, _named_after_place, best_candidate, candidates,
                                 place_of, ranked, resolve_name, split_hint)
from sitroom.nlp import doc_text
from sitroom.records import Place, Toponym

__all__ = ["geoparse", "geoparse_alone", "theatre_of", "theatre_place", "resolve_name", "precision_for", "find_spans",
           "resolve_spans", "warm_up"]

# "X district of Y", "X, Y", "X in Y province": the name after is a container of the name before.
# A direction before the container ("Monroe County in northeast Missouri") still makes it one.
_CONTAINER_GAP = re.compile(r"^(?:\s+(?:district|province|county|city|town|village))?"
                            r"(?:\s*,\s*|\s+(?:of|in)\s+(?:the\s+)?"
                            r"(?:(?:far\s+)?(?:north|south|east|west|central|north-?east|north-?west|"
                            r"south-?east|south-?west)(?:ern)?\s+(?:part\s+of\s+)?)?)$", re.IGNORECASE)
# "the Dayton suburb of West Chester": the name after lies at the town before.
_SUBURB_GAP = re.compile(r"^(?:['\u2019]s)?\s+(?:suburbs?|neighbou?rhood)\s+of\s+$",
                         re.IGNORECASE)


def geoparse(doc: Any, theatre: dict[str, float] | None = None, demonyms: str = "") -> list[Toponym]:
    """Find and resolve the place names of one parsed article, in the light of its story's
    theatre (see theatre.py: with one, namesakes outside it need their country in the text).

    demonyms="adjectival" also returns adjectival country mentions ("Turkish troops") resolved to
    the country, "all" also plural nouns ("Canadians"), as some annotation schemes count them;
    the pipeline leaves them out (default "").
    """
    spans = find_spans(doc, demonyms=demonyms, theatre=theatre)
    if theatre:
        spans = [_widen_garbled(doc_text(doc), sp, theatre) for sp in spans]
    return resolve_spans(doc_text(doc), spans, theatre)


def geoparse_alone(doc: Any, demonyms: str = "") -> list[Toponym]:
    """What geoparse gives with the article's own places as its theatre (an article read alone):
    geoparse(doc, theatre_of(geoparse(doc))), recognising the names once instead of twice (twice
    in case-folded text, where the theatre's countries let more names be read)."""
    spans = find_spans(doc, demonyms=demonyms)
    theatre = theatre_of(resolve_spans(doc_text(doc), spans, None), doc_text(doc))
    if theatre:
        if is_lowercased(doc_text(doc)):
            spans = find_spans(doc, demonyms=demonyms, theatre=theatre)
        spans = [_widen_garbled(doc_text(doc), sp, theatre) for sp in spans]
    return resolve_spans(doc_text(doc), spans, theatre)


_WORD_BEFORE = re.compile(r"(?P<word>[A-Z][a-z]{2,})\s+$")


def _widen_garbled(text: str, span: Span, theatre: dict[str, float]) -> Span:
    """A spun copy garbles a name's first word into a common word ("Islamic Qala" for Islam
    Qala) that the recogniser leaves outside the name. With the story's countries known, take the
    word back in when the two words together are a curated conflict place (the project's
    supplement: crossings, bases, districts) of those countries."""
    if span.kind == "demonym":
        return span
    m = _WORD_BEFORE.search(text[max(0, span.start - 20):span.start])
    if not m:
        return span
    gz = load_gazetteer()
    joined = f"{m.group('word')} {span.text}"
    ids = candidates(gz, joined, Context(theatre=theatre))
    if any(gz.gid[i].startswith("sitroom:") for i in ids):
        start = span.start - (len(m.group(0)))
        return Span(start, span.end, text[start:span.end], span.kind, span.country_hint)
    return span


@lru_cache(maxsize=2)
def _body(kind: str = "town_bodies") -> re.Pattern[str]:
    """Words after a name that only a town's name takes ('St. Thomas police', 'Hinton mayor':
    town_bodies), or only a province's ('New York Governor', "Ohio's state legislature":
    province_bodies)."""
    words = sorted(cues()["resolution"][kind], key=len, reverse=True)
    return re.compile(r"(?:['\u2019]s)?\s+(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)",
                      re.IGNORECASE)


def resolve_spans(text: str, spans: list[Span], theatre: dict[str, float] | None = None) -> list[Toponym]:
    """Resolve recognised spans of one article, each in the light of the others."""
    gz = load_gazetteer()
    # A dateline names a town by news convention ("VICTORIA -", "GEORGETOWN, Ky."), and so does a
    # name before a town's own body ("St. Thomas police"), unless a feature word follows it
    # ("PLYMOUTH CO."); a feature word before it ("the state of Washington") or a province's
    # office after it ("New York Governor") names the province.
    town_body, province_body = _body("town_bodies"), _body("province_bodies")
    hints = [feature_hint_after(text, sp.end) or feature_hint_before(text, sp.start)
             or (CITY if sp.kind == "dateline" or (town_body.match(text, sp.end)
                                                    and not _small_namesake_of_province(gz, sp.text)) else "")
             or (ADMIN1 if province_body.match(text, sp.end) else "") for sp in spans]
    hints_first = list(hints)

    # Pass 1: each name on its own (prominence, theatre, hint).
    first: list[int | None] = []
    memo: dict[tuple[str, str], list[tuple[float, int]]] = {}  # a repeated name resolves once
    spans = list(spans)
    for k, (sp, hint) in enumerate(zip(spans, hints)):
        if sp.kind == "demonym":
            first.append(_country_row(gz, sp.country_hint))
            continue
        if (sp.text, hint) not in memo:
            memo[(sp.text, hint)] = ranked(gz, sp.text, Context(theatre=theatre, hint=hint))
        scored = memo[(sp.text, hint)]
        if not scored and (cc := gz.demonyms.get(name_key(sp.text))):
            # an adjective of nationality the tagger took for a name ("Emirati handler"): the
            # country, as for a demonym span
            spans[k] = sp = Span(sp.start, sp.end, sp.text, "demonym", cc)
            first.append(_country_row(gz, cc))
            continue
        first.append(scored[0][1] if scored else None)
    near = _Nearby(gz, memo)

    # How people write provinces: "Buffalo, New York" (a town, then its province) and lists of
    # provinces ("Ohio, New York and Texas") name the province, not its namesake city.
    for k, sp in enumerate(spans):
        if not hints[k] and sp.kind != "demonym" and first[k] is not None and gz.feature[first[k]] == CITY:
            if (_province_by_position(gz, text, spans, first, k)
                    or _speaks_in_provinces(gz, spans, first, k)):
                hints[k] = ADMIN1

    # Pass 2 (and on): each name in the light of the others' readings from the pass before; a
    # further pass lets a name settled by its neighbours in pass 2 (Middlesex read in Ontario by
    # coherence) lend its country and province to the rest.
    resolved: list[tuple[int | None, bool]] = []
    for _ in range(CONTEXT_PASSES):
        resolved = _in_context(gz, text, spans, hints, hints_first, first, memo, near, theatre)
        first = [pid for pid, _ in resolved]
    resolved = _close_pair(gz, spans, resolved, memo, hints_first)
    resolved = _first_part_of_country(gz, spans, resolved)
    focus_memo: list[tuple[int, int] | None] = []

    def article_focus(minimum: int = FOCUS_MIN) -> int | None:
        # found once, and only for an article that needs it
        if not focus_memo:
            focus_memo.append(_focus_town(gz, spans, resolved))
        found = focus_memo[0]
        return found[1] if found is not None and found[0] >= minimum else None

    # One sense per article: a name placed by its container or a feature word once ("Paris,
    # Missouri") keeps that place where it recurs bare ("... of Paris, were ejected").
    anchored: dict[str, int] = {}
    out: list[Toponym] = []
    # "Washington Square in New Orleans", "Holliday, Missouri" (only a Holliday in Texas on file):
    # a small town read outside the place the text puts it in is a place the gazetteer lacks there
    resolved = [(None, firm) if (_outside_container(gz, spans, resolved, k, text)
                                 or _outside_suburb_town(gz, spans, resolved, k, text)) else (pid, firm)
                for k, (pid, firm) in enumerate(resolved)]
    # A name inside an armed group's or party's name ("Islamic State Khorasan") is no town.
    refused = [sp.kind != "demonym" and pid is not None and gz.feature[pid] not in (COUNTRY, ADMIN1)
               and _in_group_name(text, sp) for sp, (pid, _) in zip(spans, resolved)]
    resolved = [(None, firm) if no else (pid, firm) for no, (pid, firm) in zip(refused, resolved)]
    sited = [False] * len(spans)  # a site's name whose reading the theatre put aside
    if theatre is not None:
        resolved, refused, sited = _in_theatre(gz, text, spans, resolved, refused, memo, hints_first, theatre)
    for sp, (pid, firm) in zip(spans, resolved):
        if firm and pid is not None and sp.kind != "demonym":
            anchored.setdefault(name_key(sp.text), pid)
    for k, (sp, (pid, firm)) in enumerate(zip(spans, resolved)):
        if not firm and sp.kind != "demonym" and pid is not None:
            alt = anchored.get(name_key(sp.text))
            if alt is not None and gz.feature[alt] == gz.feature[pid]:
                pid = alt
        place: Place | None = None
        if (pid is not None and not firm and sp.kind != "demonym"
                and (_facility_after(text, sp.end) or _names_a_site(sp.text)
                     or _stray(gz, spans, resolved, k)
                     or _loose(gz, sp.text, pid))
                and (focus := article_focus()) is not None
                and not _holds(gz, pid, focus)):
            # "Carnegie Library", "Hampton Avenue" in an article about New Orleans or St. Louis:
            # the site lies in the article's town, whatever far place its name recalls; so does
            # a small namesake abroad ("Abbasiya" read in Israel, in an article about Cairo).
            place = place_of(gz, focus)
            place.geo_precision = 3
        elif pid is not None:
            place = place_of(gz, pid)
            place.geo_precision = precision_in_text(place, text, sp.start)
        elif refused[k]:
            pass  # a namesake outside the theatre, or a name inside a group's: unresolved
        elif sp.kind != "demonym" and (outer := _place_it_lies_in(gz, spans, resolved, k, text)) is not None:
            # A place the gazetteer lacks, named with its container ("Greenlane, Auckland",
            # "Fort Detrick, Maryland"): placed at the container, as ACLED places a village it
            # cannot find at the district or town it lies in, at no better than precision 2.
            place = place_of(gz, outer)
            place.geo_precision = max(place.geo_precision or 2, 2)
        elif sp.kind != "demonym" and (focus := article_focus(FOCUS_MIN_UNKNOWN)) is not None:
            # Any other name the gazetteer lacks (a street, a neighbourhood, a landmark: "River
            # North", "the West Wing") most likely lies in the town the article is about; placed
            # there at precision 3, since how far from it is unknown. Here even an article's only
            # town will do: the name has no reading of its own to lose.
            place = place_of(gz, focus)
            place.geo_precision = 3
        elif sited[k]:
            # a hotel, gate or street the text puts in no town: within the theatre, at its
            # country and province (ACLED: precision 3)
            place = theatre_place(theatre_of(out) or theatre)
        out.append(Toponym(text=sp.text, start=sp.start, end=sp.end, place=place))
    return out


def _in_theatre(gz: Any, text: str, spans: list[Span], resolved: list[tuple[int | None, bool]],
                refused: list[bool], memo: dict, hints_first: list[str], theatre: dict[str, float]
                ) -> tuple[list[tuple[int | None, bool]], list[bool], list[bool]]:
    """Readings checked against the article's licence (theatre.py): its story's theatre, its
    nationalities and its own firm names. A reading outside it gives way to the best licensed
    namesake, else the name stays unresolved (refused); a site's name ("Baron Hotel") read
    outside the theatre's provinces is a site within the theatre (sited), not the far town."""
    # (a container named after it, "Khanpur, Rajasthan", tells its province; a feature word,
    # "Khanpur taluka", does not)
    readings = [(sp.text, sp.kind, pid, _unknown_in(spans, resolved, k, text) is not None)
                for k, (sp, (pid, _)) in enumerate(zip(spans, resolved)) if sp.kind != "demonym"]
    lic = article_licence(gz, theatre, text, readings)
    lic.countries |= {sp.country_hint for sp in spans if sp.kind == "demonym" and len(sp.country_hint) == 2}
    out = list(resolved)
    refused = list(refused)
    sited = [False] * len(spans)
    if not lic:
        return out, refused, sited
    for k, (sp, (pid, placed)) in enumerate(zip(spans, resolved)):
        if sp.kind == "demonym" or pid is None:
            continue
        if not placed and (_facility_after(text, sp.end) or _names_a_site(sp.text)):
            if (gz.country[pid], gz.admin1[pid]) not in lic.admin1s or gz.feature[pid] == ADMIN1:
                out[k], sited[k] = (None, placed), True
            continue
        order = [pid] + [i for _, i in memo.get((sp.text, hints_first[k]), []) if i != pid]
        best = choose(gz, order, lic, loose=_loose(gz, sp.text, pid))
        if best is None:
            out[k], refused[k] = (None, placed), True
        elif best != pid:
            out[k] = (best, placed)
    return out, refused, sited


def _group_pattern(section: str, folded: bool) -> re.Pattern[str]:
    words = "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in
                     sorted(cues()["groups"][section], key=len, reverse=True))
    flags = re.IGNORECASE if folded else 0
    if section == "heads":
        # more capitalised words may stand between ("Islamic State Wilayat Khorasan"), except
        # in case-folded text, where every word would
        between = r"e|i|ul|al" if folded else r"[A-Z][\w'\u2019-]*|e|i|ul|al"
        return re.compile(rf"(?<![\w-])(?:{words})(?:[\s-]+(?:{between}))*[\s-]+$", flags)
    return re.compile(rf"^[\s-]+(?:{words})(?![\w-])", flags)


@lru_cache(maxsize=4)
def _group_patterns(folded: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _group_pattern("heads", folded), _group_pattern("tails", folded)


def _in_group_name(text: str, sp: Span) -> bool:
    """Whether a name stands inside an armed group's or party's name: a group word of
    cues.toml [groups] before it in the same run of capitalised words ("Islamic State
    Khorasan", "Tehrik-e-Taliban Pakistan") or right after it ("Baloch Liberation Army")."""
    heads, tails = _group_patterns(is_lowercased(text))
    return bool(heads.search(text[max(0, sp.start - 60):sp.start]) or tails.match(text, sp.end, sp.end + 40))


CONTEXT_PASSES = 1  # 2 was tried on the odd halves: -0.003, +0.002, -0.001 (TR-News, GWN, GeoVirus)


def _in_context(gz: Any, text: str, spans: list[Span], hints: list[str], hints_first: list[str],
                first: list[int | None], memo: dict, near: "_Nearby",
                theatre: dict[str, float] | None) -> list[tuple[int | None, bool]]:
    """One resolution pass with the article's context taken from `first`; (id, placed firmly by
    a container or feature word) per span."""
    # The article's own context: countries and admin1s of its names (each name counts once).
    country_n: Counter[str] = Counter()
    admin1_n: Counter[tuple[str, str]] = Counter()
    seen_keys: dict[str, int | None] = {}
    for sp, pid in zip(spans, first):
        seen_keys.setdefault(sp.text.lower(), pid)
    named: set[tuple[str, str]] = set()  # provinces the article names as such
    for pid in seen_keys.values():
        if pid is None:
            continue
        country_n[gz.country[pid]] += 1
        if gz.feature[pid] != COUNTRY and gz.admin1[pid]:
            admin1_n[(gz.country[pid], gz.admin1[pid])] += 1
        if gz.feature[pid] == ADMIN1:
            named.add((gz.country[pid], gz.admin1[pid]))

    resolved: list[tuple[int | None, bool]] = []
    memo2: dict[tuple, int | None] = {}
    for k, (sp, hint) in enumerate(zip(spans, hints)):
        pid = first[k]
        container = (_container(gz, spans, first, k, text) or _demonym_container(gz, text, sp.start)
                     if sp.kind != "demonym" else None)
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
            own_unit = {(gz.country[own], gz.admin1[own])} if own is not None and gz.feature[own] == ADMIN1 else set()
            ctx = Context(theatre=theatre, countries=countries, admin1s=admin1s,
                          container=container, hint=hint, named_admin1s=frozenset(named - own_unit),
                          support=near.support(sp.text, memo.get((sp.text, hints_first[k]), [])))
            pid, _ = best_candidate(gz, sp.text, ctx)
            memo2[(sp.text, hint, container)] = pid
        resolved.append((pid, container is not None or bool(hint)))
    return resolved


CLOSE_PAIR_KM = 15.0


def _first_part_of_country(gz: Any, spans: list[Span],
                           resolved: list[tuple[int | None, bool]]) -> list[tuple[int | None, bool]]:
    """A country named for two parts is written by its first where the article has named it whole
    ("Trinidad and Tobago" ... "the ministry in Trinidad"; "Bosnia"): that name is the country's,
    not a namesake town's (Trinidad, Colorado)."""
    countries = {gz.name[pid]: pid for pid, _ in resolved if pid is not None and gz.feature[pid] == COUNTRY}
    if not countries:
        return resolved
    out = list(resolved)
    for k, (sp, (pid, firm)) in enumerate(zip(spans, resolved)):
        if sp.kind == "demonym" or firm or (pid is not None and gz.feature[pid] == COUNTRY):
            continue
        whole = next((c for name, c in countries.items() if name.startswith(sp.text + " and ")), None)
        if whole is not None:
            out[k] = (whole, False)
    return out


def _close_pair(gz: Any, spans: list[Span], resolved: list[tuple[int | None, bool]], memo: dict,
                hints_first: list[str]) -> list[tuple[int | None, bool]]:
    """Two names read as towns in two different countries, each with a plausible reading (within
    PLAUSIBLE_MARGIN of its best on its own) within CLOSE_PAIR_KM of the other's: the article is
    about that place ("Edmonton" and "Enfield", both in north London, read as the Alberta city
    and a Connecticut town), since namesakes of two names seldom lie that close by chance."""
    own: dict[str, list[int]] = {}
    for k, (sp, (pid, firm)) in enumerate(zip(spans, resolved)):
        if sp.kind != "demonym" and pid is not None and not firm and gz.feature[pid] in (CITY, ADMIN2):
            own.setdefault(name_key(sp.text), []).append(k)
    keys = list(own)
    if len(keys) < 2:
        return resolved
    options: dict[str, list[int]] = {}
    for key in keys:
        k = own[key][0]
        options[key] = _plausible_readings(gz, memo.get((spans[k].text, hints_first[k]), []))
    out = list(resolved)
    for x, a in enumerate(keys):
        for b in keys[x + 1:]:
            pa, pb = out[own[a][0]][0], out[own[b][0]][0]
            if gz.country[pa] == gz.country[pb]:
                continue
            pair = next(((i, j) for i in options[a] for j in options[b] if gz.country[i] == gz.country[j]
                         and haversine_km(gz.lat[i], gz.lon[i], gz.lat[j], gz.lon[j]) <= CLOSE_PAIR_KM), None)
            if pair is not None:
                for key, pid in zip((a, b), pair):
                    for k in own[key]:
                        out[k] = (pid, False)
    return out


# Coherence (see resolve.COHERENCE): another name supports a candidate when one of its own
# plausible readings (a town or district scoring within PLAUSIBLE_MARGIN of its best reading on
# its own) lies within COHERENCE_KM. The margin keeps far-fetched namesakes out: every US state
# has a small Rome and a Geneva, which must not pull the Italian capital over.
PLAUSIBLE_MARGIN = 2.0
COHERENCE_KM = 60.0
_CELL = 0.5  # degrees; a 3x3 block of cells covers COHERENCE_KM at any latitude below ~60°


def _plausible_readings(gz: Any, scored: list[tuple[float, int]]) -> list[int]:
    """A name's town/district readings scoring within PLAUSIBLE_MARGIN of its best reading."""
    if not scored:
        return []
    top = scored[0][0]
    return [i for s, i in scored if s >= top - PLAUSIBLE_MARGIN and gz.feature[i] in (CITY, ADMIN2)]


class _Nearby:
    """Plausible town/district readings of an article's names, bucketed by grid cell."""

    def __init__(self, gz: Any, ranked_by_name: dict[tuple[str, str], list[tuple[float, int]]]) -> None:
        self.gz = gz
        self.cells: dict[tuple[int, int], list[tuple[str, int]]] = {}
        for (text, _), scored in ranked_by_name.items():
            if not scored:
                continue
            key = name_key(text)
            for i in _plausible_readings(gz, scored):
                self.cells.setdefault(self._cell(i), []).append((key, i))

    def _cell(self, i: int) -> tuple[int, int]:
        return int(self.gz.lat[i] // _CELL), int(self.gz.lon[i] // _CELL)

    def support(self, text: str, scored: list[tuple[float, int]]) -> dict[int, int]:
        """Candidate id -> number of other names with a plausible reading within COHERENCE_KM."""
        if len(scored) < 2 or not self.cells:
            return {}
        gz, own = self.gz, name_key(text)
        out: dict[int, int] = {}
        for _, i in scored[:SUPPORT_TOP]:
            if gz.feature[i] not in (CITY, ADMIN2):
                continue
            ci, cj = self._cell(i)
            names: set[str] = set()
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    for key, j in self.cells.get((ci + di, cj + dj), ()):
                        if key != own and key not in names and haversine_km(
                                gz.lat[i], gz.lon[i], gz.lat[j], gz.lon[j]) <= COHERENCE_KM:
                            names.add(key)
            if names:
                out[i] = len(names)
        return out


SUPPORT_TOP = 30  # candidates of one name looked at (the rest trail far behind on prominence)

_LIST_GAP = re.compile(r"^\s*(?:,|,?\s+and|,?\s+or|;)\s*$")
TOWN_IN_CITY_KM = 40.0


def _province_by_position(gz: Any, text: str, spans: list[Span], first: list[int | None], k: int) -> bool:
    """Whether the k-th name, read as a city in pass 1, is a province by its position."""
    key = name_key(spans[k].text)
    units = [i for i in gz.lookup(spans[k].text) if gz.feature[i] == ADMIN1]
    if not units:
        return False
    prev = first[k - 1] if k > 0 else None
    if prev is not None and text[spans[k - 1].end:spans[k].start] in (",", ", "):
        # "Buffalo, New York": the town before lies in a province of this name and is not a part of
        # the namesake city itself ("Queens, New York")
        if gz.feature[prev] in (CITY, ADMIN2) and name_key(gz.admin1[prev]) == key:
            city = first[k]
            far = haversine_km(gz.lat[prev], gz.lon[prev], gz.lat[city], gz.lon[city]) > TOWN_IN_CITY_KM
            return far
    # a list whose neighbours are provinces of the same country
    countries = {gz.country[i] for i in units}
    neighbours = []
    for j, gap in ((k - 1, text[spans[k - 1].end:spans[k].start] if k > 0 else ""),
                   (k + 1, text[spans[k].end:spans[k + 1].start] if k + 1 < len(spans) else "")):
        if 0 <= j < len(spans) and first[j] is not None and _LIST_GAP.match(gap):
            neighbours.append((first[j], j))
    # (a neighbour read otherwise in pass 1 still counts if its name is a province of that
    # country: "Georgia, Oklahoma, Pennsylvania", Georgia first read as the country)
    read = [j for j, _ in neighbours if gz.feature[j] == ADMIN1 and gz.country[j] in countries]
    return bool(read) and all(any(gz.feature[i] == ADMIN1 and gz.country[i] in countries
                                  for i in gz.lookup(spans[n].text)) for _, n in neighbours)


PROVINCE_ARTICLE = 3  # set on the odd halves (2 and 4 tried)


def _speaks_in_provinces(gz: Any, spans: list[Span], first: list[int | None], k: int) -> bool:
    """An article that names PROVINCE_ARTICLE+ other provinces of a country, and fewer of its towns,
    counts by province ("three in Texas, two in Kansas ... New York has confirmed 28"): a name
    that is a province of that country there means the province."""
    units = {gz.country[i] for i in gz.lookup(spans[k].text) if gz.feature[i] == ADMIN1}
    cc = gz.country[first[k]]
    if cc not in units:
        return False
    own = name_key(spans[k].text)
    provinces: set[str] = set()
    towns: set[str] = set()
    for sp, pid in zip(spans, first):
        key = name_key(sp.text)
        if pid is None or key == own or gz.country[pid] != cc:
            continue
        if gz.feature[pid] == ADMIN1:
            provinces.add(key)
        elif gz.feature[pid] in (CITY, ADMIN2):
            towns.add(key)
    return len(provinces) >= PROVINCE_ARTICLE and len(towns) < len(provinces)


def _country_row(gz: Any, cc: str) -> int | None:
    if len(cc) > 2:  # a region's demonym ("European") names the region
        return next((pid for pid in gz.lookup(cc) if gz.feature[pid] in ("continent", "region")), None)
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
    if _in_province_list(gz, spans, k, text, gz.country[outer]):
        return None
    if gz.feature[outer] == COUNTRY:
        return gz.country[outer], ""
    if gz.country[outer] and gz.admin1[outer]:
        return gz.country[outer], gz.admin1[outer]
    return None


# "the English city of Salisbury", "the Syrian town of Douma": an adjective of nationality before a
# town's feature word names the country the town lies in.
_DEMONYM_BEFORE = re.compile(r"\b[Tt]he\s+(?P<demonym>[A-Z][a-z]+)\s+(?:city|town|village|port|capital|"
                             r"county|district|province|state|region)\s+of\s+$")


def _demonym_container(gz: Any, text: str, start: int) -> tuple[str, str] | None:
    m = _DEMONYM_BEFORE.search(text[max(0, start - 40):start])
    if not m:
        return None
    cc = gz.demonyms.get(name_key(m.group("demonym")))
    return (cc, "") if cc and len(cc) == 2 else None


FOCUS_KM = 100.0  # 30, 50 and 100 tried on the odd halves: 100 best or tied on all three
# distinct local places (or one and its named province): one town named twice is no focus
FOCUS_MIN = 2
# for a name the gazetteer lacks (no reading of its own), one town will do (s-geo4, odd halves)
FOCUS_MIN_UNKNOWN = 1
DATELINE_FOCUS = 1_000  # a dateline's town is the focus whatever else the article names


def _focus_town(gz: Any, spans: list[Span],
                resolved: list[tuple[int | None, bool]]) -> tuple[int, int] | None:
    """The town an article is about: its dateline town, else the town where its local names
    cluster. Each town read in the article scores the number of distinct local places (towns,
    districts) read within FOCUS_KM of it, itself included, plus one if the article names its
    province; the best town (ties: more mentions, then more people) comes back with its score,
    which callers hold against FOCUS_MIN or FOCUS_MIN_UNKNOWN."""
    local: dict[int, int] = {}  # pid -> mentions
    named_units: set[tuple[str, str]] = set()
    for sp, (pid, _) in zip(spans, resolved):
        if pid is None or sp.kind == "demonym":
            continue
        if sp.kind == "dateline" and gz.feature[pid] == CITY:
            return DATELINE_FOCUS, pid
        if gz.feature[pid] in (CITY, ADMIN2):
            local[pid] = local.get(pid, 0) + 1
        elif gz.feature[pid] == ADMIN1:
            named_units.add((gz.country[pid], gz.admin1[pid]))
    # and it lies in the article's main country (the country its names are placed in most often)
    by_country = Counter(gz.country[pid] for _, (pid, _) in zip(spans, resolved)
                         if pid is not None and gz.country[pid])
    most = max(by_country.values(), default=0)
    best: tuple | None = None
    for p, mentions in local.items():
        if gz.feature[p] != CITY or by_country[gz.country[p]] < most:
            continue
        near = sum(1 for q in local
                   if haversine_km(gz.lat[p], gz.lon[p], gz.lat[q], gz.lon[q]) <= FOCUS_KM)
        key = (near + ((gz.country[p], gz.admin1[p]) in named_units), mentions, gz.population[p])
        if best is None or key > best[0]:
            best = (key, p)
    if best is None:
        return None
    return best[0][0], best[1]


@lru_cache(maxsize=2)
def _facility_pattern(folded: bool = False) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in cues()["resolution"]["facility_words"])
    if folded:  # case-folded text: "the baron hotel", the site's word right after the name
        return re.compile(rf"(?:['\u2019]s)?\s+(?:{words})(?!\w)", re.IGNORECASE)
    return re.compile(rf"(?:['\u2019]s)?(?:\s+[A-Z][\w'\u2019.&-]*){{0,3}}?\s+(?:{words})(?!\w)")


def _facility_words() -> frozenset[str]:
    return cue_words("resolution", "facility_words")


def _names_a_site(name: str) -> bool:
    """Whether a name of two or more words ends in a site's word ("Washington Square", "Windsor
    Castle", "St George's Chapel"): a building, street or square, not the place a reading of the
    whole name (a town called Washington Square) or of its first words may be."""
    words = name.split()
    if len(words) < 2:
        return False
    # (a case-folded name: "sabarmati ashram", "jama masjid")
    return words[-1] in _facility_words() or (name.islower() and words[-1].title() in _facility_words())


def _facility_after(text: str, end: int) -> bool:
    """Whether the name ending at `end` begins the name of a building, street or site."""
    return bool(_facility_pattern(is_lowercased(text)).match(text, end))


# 5k, 20k, 30k, 50k and 100k tried on the odd halves: 30k best or tied on all three
STRAY_POPULATION = 30_000


def _stray(gz: Any, spans: list[Span], resolved: list[tuple[int | None, bool]], k: int) -> bool:
    """A small town read in a country that no other name of the article is placed in."""
    pid = resolved[k][0]
    if (pid is None or gz.feature[pid] not in (CITY, ADMIN2)
            or gz.population[pid] >= STRAY_POPULATION):
        return False
    own = name_key(spans[k].text)
    return not any(q is not None and gz.country[q] == gz.country[pid] and name_key(sp.text) != own
                   for sp, (q, _) in zip(spans, resolved))


_ACRONYM = re.compile(r"^[A-Z]{2,5}$")


def _loose(gz: Any, name: str, pid: int) -> bool:
    """Whether a town, district or province reading came from no exact name of the gazetteer: a
    looser spelling ("Kfraya" read as Kifri, Iraq) or a part of the name (resolve._sub_name),
    weaker evidence than the town the article is about."""
    if gz.feature[pid] not in (CITY, ADMIN2, ADMIN1):
        return False
    if _ACRONYM.match(name) and gz.feature[pid] != ADMIN1 and gz.population[pid] < PARTS_MIN_POP:
        # "the OAS in Washington", "the CHU in Montpellier": an organisation's acronym that spells
        # a small town's name (Oas, Philippines) is no better evidence than a looser spelling
        return True
    base = split_hint(name)[0]
    return not any(gz.lookup(n) for n in (name, base, _named_after_place(base)) if n)


def _holds(gz: Any, pid: int, town: int) -> bool:
    """Whether the place read as `pid` holds the town or lies within FOCUS_KM of it."""
    if gz.feature[pid] == COUNTRY:
        return gz.country[pid] == gz.country[town]
    if gz.feature[pid] == ADMIN1:
        return (gz.country[pid], gz.admin1[pid]) == (gz.country[town], gz.admin1[town])
    return haversine_km(gz.lat[pid], gz.lon[pid], gz.lat[town], gz.lon[town]) <= FOCUS_KM


def _unknown_in(spans: list[Span], resolved: list[tuple[int | None, bool]], k: int,
                text: str) -> int | None:
    """The resolved place right after the k-th name when the text says it contains it."""
    if k + 1 >= len(spans) or resolved[k + 1][0] is None or spans[k + 1].kind == "demonym":
        return None
    gap = text[spans[k].end:spans[k + 1].start]
    return resolved[k + 1][0] if len(gap) <= 30 and _CONTAINER_GAP.match(gap) else None


def _small_namesake_of_province(gz: Any, name: str) -> bool:
    """Whether every town of this name is NAMESAKE_RATIO times smaller than a province of it: then
    "Queensland Police" is the state's police force, not a hamlet's ("St. Thomas police" keeps
    the Ontario city, a town of a size with the Jamaican parish)."""
    ids = gz.lookup(name)
    town = max((gz.population[i] for i in ids if gz.feature[i] == CITY), default=0)
    province = max((gz.population[i] for i in ids if gz.feature[i] == ADMIN1), default=0)
    return province > NAMESAKE_RATIO * town


def _place_it_lies_in(gz: Any, spans: list[Span], resolved: list[tuple[int | None, bool]], k: int,
                      text: str) -> int | None:
    """The container named right after the k-th name, else the town it is a suburb of."""
    outer = _unknown_in(spans, resolved, k, text)
    return outer if outer is not None else _suburb_town(gz, spans, resolved, k, text)


def _suburb_town(gz: Any, spans: list[Span], resolved: list[tuple[int | None, bool]], k: int,
                 text: str) -> int | None:
    """The town read right before the k-th name when the text makes the name its suburb ("the
    Dayton suburb of West Chester")."""
    if k == 0 or spans[k - 1].kind == "demonym" or spans[k].kind == "demonym":
        return None
    town = resolved[k - 1][0]
    if town is None or gz.feature[town] != CITY:
        return None
    return town if _SUBURB_GAP.match(text[spans[k - 1].end:spans[k].start]) else None


def _outside_suburb_town(gz: Any, spans: list[Span], resolved: list[tuple[int | None, bool]], k: int,
                         text: str) -> bool:
    """Whether the k-th name, said to be a suburb of the town before it, is read as a town or site
    of under PARTS_MIN_POP people farther than FOCUS_KM from that town: a namesake elsewhere (West
    Chester, Pennsylvania for the one by Dayton), so the suburb is a place the gazetteer lacks."""
    pid = resolved[k][0]
    if pid is None or gz.feature[pid] in _BROAD or gz.population[pid] >= PARTS_MIN_POP:
        return False
    town = _suburb_town(gz, spans, resolved, k, text)
    return town is not None and haversine_km(gz.lat[pid], gz.lon[pid], gz.lat[town], gz.lon[town]) > FOCUS_KM


def _outside_container(gz: Any, spans: list[Span], resolved: list[tuple[int | None, bool]], k: int,
                       text: str) -> bool:
    """Whether the k-th name, read as a town or site of under PARTS_MIN_POP people, is read outside
    the place named right after it as its container (itself read from an exact name): another
    country, for a looser reading; another province; or farther than FOCUS_KM from a container
    town (not in a list of towns: "Vancouver, Calgary, Edmonton")."""
    pid = resolved[k][0]
    if (pid is None or spans[k].kind == "demonym" or gz.feature[pid] in _BROAD
            or gz.population[pid] >= PARTS_MIN_POP):
        return False
    outer = _unknown_in(spans, resolved, k, text)
    if (outer is None or not gz.country[outer] or _loose(gz, spans[k + 1].text, outer)
            or _in_province_list(gz, spans, k, text, gz.country[outer])):
        return False
    if gz.country[pid] != gz.country[outer]:
        # only against a looser reading ("Kfraya in Idlib" read as Kifri, Iraq); an exact one
        # abroad is as likely a name inside another ("St. Gregory of Narek in Vatican"). And a
        # container read in a country nothing else of the article is in may be the misreading.
        own = name_key(spans[k + 1].text)
        return _loose(gz, spans[k].text, pid) and any(
            q is not None and gz.country[q] == gz.country[outer] and name_key(sp.text) != own
            for sp, (q, _) in zip(spans, resolved))
    if gz.feature[outer] in (ADMIN1, ADMIN2):
        return gz.admin1[pid] != gz.admin1[outer]
    if gz.feature[outer] == CITY and not _in_town_list(spans, k, text):
        return haversine_km(gz.lat[pid], gz.lon[pid], gz.lat[outer], gz.lon[outer]) > FOCUS_KM
    return False


def _in_town_list(spans: list[Span], k: int, text: str) -> bool:
    """Whether names k and k+1 are items of a list ("Vancouver, Calgary, Edmonton")."""
    before = k > 0 and _LIST_GAP.match(text[spans[k - 1].end:spans[k].start])
    after = k + 2 < len(spans) and _LIST_GAP.match(text[spans[k + 1].end:spans[k + 2].start])
    return bool(before or after)


_BROAD = {COUNTRY, ADMIN1, "continent", "region"}


def _in_province_list(gz: Any, spans: list[Span], k: int, text: str, cc: str) -> bool:
    """"Georgia, Oklahoma, Pennsylvania and Wisconsin": a name that is itself a province of the
    next name's country, inside a list of names, is one more item of the list, not a town in the
    province after it."""
    if not any(gz.feature[i] == ADMIN1 and gz.country[i] == cc for i in gz.lookup(spans[k].text)):
        return False
    # before it a comma ("Georgia, Oklahoma, Pennsylvania"), not the list's last "and" ("Florida
    # and Washington, D.C."), or after the next name the list goes on
    before = k > 0 and text[spans[k - 1].end:spans[k].start].strip() == ","
    after = k + 2 < len(spans) and _LIST_GAP.match(text[spans[k + 1].end:spans[k + 2].start])
    return bool(before or after)


def warm_up() -> None:
    """Load the gazetteer and build the lazy indexes once (a second or two), before timing work."""
    from sitroom.geo.precision import _near_pattern
    from sitroom.geo.resolve import _notable_by_country

    _notable_by_country(load_gazetteer())
    _near_pattern()
    resolve_name("Kabul, Afghanistan")
