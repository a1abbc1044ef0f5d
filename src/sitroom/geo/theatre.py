"""An article's and a story's theatre (the countries and provinces it is about), and what it
licenses: which readings of a name the theatre allows.

A theatre is a dict of weights keyed by country name ("India") and "admin1, country"
("Gujarat, India"), as pipeline.story_theatre and geo.theatre_of build it. It is built from the
names that say beyond doubt where they are (`firm`): a name all of whose readings in other
countries are small namesakes (NAMESAKE_RATIO times smaller) of its readings in one country
("Godhra", "Gujarat", "Kabul"; not "Newton", "Moura", "Hyderabad"), then the other names read in
those countries. Between namesakes the theatre decides (`licensed`, `choose`):

- a place in a country that is neither in the theatre nor named in the article (by a country or
  province name or a nationality: "Malian troops") is not read there, unless it is a world place
  (a national capital or a city of WORLD_PLACE_POP+: "Paris" needs no "France");
- within a theatre country that the theatre knows provinces of, a small town (under
  SMALL_TOWN_POP) or a looser spelling is read only in one of those provinces, and a namesake in
  one of them beats a namesake elsewhere in the country;
- with no licensed reading the name stays unresolved, and an event there keeps the theatre's
  country and province at geo_precision 3 (`theatre_place`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from sitroom.geo.gazetteer import ADMIN1, ADMIN2, CITY, COUNTRY, Gazetteer, load_gazetteer
from sitroom.geo.names import name_key
from sitroom.records import Place, Toponym

# A reading is firm when every reading of the name in another country is this many times
# smaller (resolve.NAMESAKE_RATIO, the ratio at which a namesake counts as small).
FIRM_RATIO = 30.0
# Needs no country named: national capitals and cities this large (a place news names bare).
WORLD_PLACE_POP = 1_000_000
# Under this a town is read outside the theatre's provinces only where the text puts it there
# (resolve_spans.STRAY_POPULATION, the size below which a town counts as small).
SMALL_TOWN_POP = 30_000
# A province holding more than this share of a country's province weight is the theatre's
# province (theatre_place); with none, the country alone.
MAIN_ADMIN1_SHARE = 0.5
_BROAD = {COUNTRY, "continent", "region"}


def _strength(gz: Gazetteer, pid: int) -> int:
    return max(gz.population[pid], 1)


def firm(gz: Gazetteer, name: str, pid: int) -> bool:
    """Whether `name` read as `pid` names pid's country beyond doubt: no reading of the name in
    another country is within FIRM_RATIO of its strongest reading in pid's country (population;
    a country or province counts its people)."""
    ids = gz.lookup(name)
    if pid not in ids:
        return False
    cc = gz.country[pid]
    if not cc:
        return False
    here = max(_strength(gz, i) for i in ids if gz.country[i] == cc)
    return all(_strength(gz, i) * FIRM_RATIO < here for i in ids if gz.country[i] != cc)


def theatre_of(toponyms: list[Toponym], text: str = "") -> dict[str, float]:
    """Countries ("Afghanistan") and admin1s ("Kunduz, Afghanistan") an article is about, with
    counts: each firm name (see `firm`) counts for its country and province, then each other name
    read in one of those countries; names read in other countries count for nothing (a namesake
    abroad, "Newton" read in Canada, must not make its country the story's). A country needs its
    own name, a province's, a dateline (given the article's text), or two distinct firm names."""
    gz = load_gazetteer()
    rows = [(t, _row_of(gz, t.place)) for t in toponyms if t.place is not None and t.place.country]
    # a country counts once the article names it or one of its provinces, or names two distinct
    # places firmly in it: one odd word that only some far town is called ("sabha", Libya) does
    # not make a theatre
    firm_names: dict[str, set[str]] = {}
    for t, pid in rows:
        if pid is not None and firm(gz, t.text, pid):
            sure = gz.feature[pid] in (COUNTRY, ADMIN1) or (text and is_dateline(text, t.start, t.end))
            weight = {name_key(t.text), "*"} if sure else {name_key(t.text)}
            firm_names.setdefault(t.place.country, set()).update(weight)
    firm_cc = {cc for cc, names in firm_names.items() if "*" in names or len(names) >= 2}
    counts: dict[str, float] = {}
    for t, pid in rows:
        p = t.place
        if p.country not in firm_cc:
            continue
        counts[p.country] = counts.get(p.country, 0.0) + 1.0
        if p.admin1 and p.feature != COUNTRY:
            key = f"{p.admin1}, {p.country}"
            counts[key] = counts.get(key, 0.0) + 1.0
    return counts


# a name opening a line before ":", "(" or a dash ("KABUL (Reuters) -", "lucknow:")
_DATELINE_AFTER = re.compile(r"\s*(?:,[^\n:(]{1,30})?\s*(?::|\(|\u2014|\u2013|-{1,2}\s)")


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is a dateline: first on its line, before ":", "("
    or a dash."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and bool(_DATELINE_AFTER.match(text, end))


def _row_of(gz: Gazetteer, place: Place) -> int | None:
    """The gazetteer row a Place was made from (by its id and name)."""
    ids = _rows_by_gid(gz).get(place.gazetteer_id, ())
    return next((i for i in ids if gz.name[i] == place.name), ids[0] if ids else None)


@lru_cache(maxsize=1)
def _rows_by_gid(gz: Gazetteer) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for i, g in enumerate(gz.gid):
        out.setdefault(g, []).append(i)
    return {g: tuple(v) for g, v in out.items()}


@dataclass
class Licence:
    """What an article's theatre and text allow: alpha-2 codes of its countries, and
    (alpha-2, admin1) of its provinces."""

    countries: set[str] = field(default_factory=set)
    admin1s: set[tuple[str, str]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.countries)

    def knows_provinces_of(self, cc: str) -> bool:
        return any(c == cc for c, _ in self.admin1s)


def licence_of(gz: Gazetteer, theatre: dict[str, float] | None) -> Licence:
    """The countries and provinces a theatre dict names (any weight above 0)."""
    lic = Licence()
    codes = _codes(gz)
    for key, weight in (theatre or {}).items():
        if weight <= 0:
            continue
        parts = key.rsplit(", ", 1)
        cc = codes.get(parts[-1])
        if cc is None:
            continue
        lic.countries.add(cc)
        if len(parts) == 2:
            lic.admin1s.add((cc, parts[0]))
    return lic


@lru_cache(maxsize=1)
def _codes(gz: Gazetteer) -> dict[str, str]:
    return {name: cc for cc, name in gz.country_names.items()}


def demonym_countries(gz: Gazetteer, text: str) -> set[str]:
    """Countries named by a nationality in the text ("Malian troops", "afghan officials")."""
    words = re.findall(r"[^\W\d_]{3,}", text)
    out: set[str] = set()
    for word in set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}:
        cc = gz.demonyms.get(name_key(word))
        if cc and len(cc) == 2:
            out.add(cc)
    return out


def world_place(gz: Gazetteer, pid: int) -> bool:
    """A place news names without its country: a national capital or a city of WORLD_PLACE_POP+."""
    return pid in gz.capitals or (gz.feature[pid] == CITY and gz.population[pid] >= WORLD_PLACE_POP)


def licensed(gz: Gazetteer, pid: int, lic: Licence, loose: bool = False) -> bool:
    """Whether the licence allows reading a name as `pid` (see the module's docstring); loose:
    the reading came from a looser spelling or a part of the name, not an exact name."""
    feature = gz.feature[pid]
    if feature in _BROAD:
        return True
    cc = gz.country[pid]
    if cc not in lic.countries:
        return world_place(gz, pid) and not loose
    if feature == ADMIN1 or not lic.knows_provinces_of(cc):
        return True
    small = loose or (feature != ADMIN2 and gz.population[pid] < SMALL_TOWN_POP)
    return not small or (cc, gz.admin1[pid]) in lic.admin1s


def choose(gz: Gazetteer, ranked_ids: Iterable[int], lic: Licence, loose: bool = False) -> int | None:
    """The best licensed reading of a name (ranked_ids best first), a namesake inside the
    licence's provinces before one elsewhere in the country unless that one is a world place."""
    ok = [i for i in ranked_ids if licensed(gz, i, lic, loose)]
    if not ok:
        return None
    top = ok[0]
    if gz.feature[top] in _BROAD or gz.feature[top] == ADMIN1 or world_place(gz, top):
        return top
    # a world place over a village namesake FIRM_RATIO times smaller (Dubai over a Dubai in
    # Uttar Pradesh, whatever the theatre)
    world = next((i for i in ok if world_place(gz, i)
                  and gz.population[i] > FIRM_RATIO * gz.population[top]), None)
    if world is not None:
        return world
    inside = [i for i in ok if (gz.country[i], gz.admin1[i]) in lic.admin1s
              and gz.feature[i] not in _BROAD and gz.feature[i] != ADMIN1]
    if inside and (gz.country[top], gz.admin1[top]) not in lic.admin1s:
        return inside[0]
    return top


def main_country_and_admin1(theatre: dict[str, float] | None) -> tuple[str, str]:
    """(country name, admin1 or "") the theatre weighs most: its heaviest country and, where one
    province holds more than MAIN_ADMIN1_SHARE of that country's province weight, that province."""
    if not theatre:
        return "", ""
    countries: Counter[str] = Counter()
    admin1s: Counter[tuple[str, str]] = Counter()
    for key, weight in theatre.items():
        parts = key.rsplit(", ", 1)
        if len(parts) == 2:
            admin1s[(parts[1], parts[0])] += weight
        else:
            countries[key] += weight
    if not countries:
        return "", ""
    country = max(countries, key=lambda c: (countries[c], c))
    own = {a: w for (c, a), w in admin1s.items() if c == country}
    total = sum(own.values())
    best = max(own, key=lambda a: (own[a], a), default="")
    return country, (best if best and own[best] > MAIN_ADMIN1_SHARE * total else "")


def theatre_place(theatre: dict[str, float] | None) -> Place | None:
    """Where an event stands whose own place cannot be resolved: the theatre's main country
    and, where the theatre has one, its main province, at geo_precision 3 (ACLED: only the
    region is known). None for an empty theatre."""
    from sitroom.geo.resolve import place_of

    country, admin1 = main_country_and_admin1(theatre)
    if not country:
        return None
    gz = load_gazetteer()
    cc = _codes(gz).get(country)
    if cc is None:
        return None
    pid = None
    if admin1:
        pid = next((i for i in gz.lookup(admin1) if gz.feature[i] == ADMIN1 and gz.country[i] == cc
                    and gz.admin1[i] == admin1), None)
    if pid is None:
        pid = next((i for i in gz.lookup(country) if gz.feature[i] == COUNTRY and gz.country[i] == cc), None)
    if pid is None:
        return None
    return place_of(gz, pid, precision=3)


def article_licence(gz: Gazetteer, theatre: dict[str, float] | None, text: str,
                    readings: list[tuple[str, str, int | None, bool]]) -> Licence:
    """The licence of one article: its story's theatre, the nationalities in its text, and its
    own names (name, span kind, reading, placed by a container named after it): a
    country or province read, a firm name, a dateline or a container gives its country, and a
    province, a dateline, a firm big place or a container gives its province too."""
    lic = licence_of(gz, theatre)
    lic.countries |= demonym_countries(gz, text)
    for name, kind, pid, placed in readings:
        if pid is None or not gz.country[pid]:
            continue
        cc, a1, feature = gz.country[pid], gz.admin1[pid], gz.feature[pid]
        sure = feature in (COUNTRY, ADMIN1) or kind == "dateline" or placed or firm(gz, name, pid)
        if not sure:
            continue
        lic.countries.add(cc)
        if a1 and feature != COUNTRY and (feature == ADMIN1 or kind == "dateline" or placed
                                          or gz.population[pid] >= SMALL_TOWN_POP):
            lic.admin1s.add((cc, a1))
    return lic


__all__ = ["firm", "theatre_of", "theatre_place", "licensed", "choose", "licence_of", "article_licence",
           "Licence", "demonym_countries", "world_place", "main_country_and_admin1"]
