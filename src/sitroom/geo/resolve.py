"""Toponym resolution: rank a name's gazetteer candidates and build a records.Place.

Score of a candidate = prominence (log population, feature kind, main name vs alternate spelling)
+ a feature hint from the words around the name ("Kunduz province" -> admin1)
+ the theatre prior (countries/admin1s of the story) + the article's own context (countries and
admin1s of the other names in the article) + containment ("Panjwai district of Kandahar",
"Edmonton, Alberta"). Weights were set by reasoning about the kinds of evidence, then checked on
the project's own fixtures; those set by measuring an evaluation file (CONTEXT_ADMIN1_SHARE on
TR-News; NAMED_ADMIN1, COHERENCE and NAMESAKE_RATIO on the odd halves of all three files) are
marked, and data/geo/README.md accounts for what was read and measured where.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass, replace
from typing import Any

from sitroom.geo.airports import AIRPORT
from sitroom.geo.gazetteer import ADMIN1, ADMIN2, CITY, COUNTRY, Gazetteer, load_gazetteer
from sitroom.geo.names import name_key
from sitroom.records import Place

# An airport has no population: a low prior, so that a town of its name (Heathrow, Florida) keeps
# the name unless the article's country or province is the airport's.
AIRPORT_BONUS = 2.0
# Prominence added per feature kind: a bare country or province name nearly always means the
# country/province; curated supplement rows (crossings, bases) are notable although unpopulated.
FEATURE_BONUS = {COUNTRY: 6.0, ADMIN1: 2.0, ADMIN2: -0.5, CITY: 0.0, "continent": 6.0, "region": 4.0,
                 AIRPORT: AIRPORT_BONUS}
# An admin unit named after its main city ("Kabul", "Moscow") usually means the city when the
# city holds at least this share of the unit's people.
CITY_SHARE = 0.25
CAPITAL_BONUS = 1.0
CURATED_BONUS = 5.5
PRIMARY_NAME_BONUS = 2.0
HINT_BONUS = 6.0
THEATRE_COUNTRY, THEATRE_ADMIN1 = 3.0, 2.0
CONTEXT_COUNTRY, CONTEXT_SHARE, CONTEXT_ADMIN1 = 1.0, 2.5, 1.2
CONTEXT_ADMIN1_SHARE = 1.5  # set on TR-News (1.0-3.0 tried); GWN and GeoVirus were the check
CONTAINMENT_BONUS = 8.0
NAMED_ADMIN1 = 2.0  # checked on the odd halves of the three evaluation files
# Coherence: a town or district is more likely where other names of the same article have a
# plausible reading close by ("London" beside "St. Thomas" and "Middlesex": Ontario).
COHERENCE, COHERENCE_CAP = 0.5, 2  # set on the odd halves (0.4-0.75, cap 2-3 tried)
MAIN_COUNTRY_SHARE = 0.5
NAMESAKE_RATIO = 30.0  # set on the odd halves (10 and 30 tied, 100 lost); see ranked()

_SUFFIX_HINT = re.compile(
    r"^(?P<name>.+?)\s+(?P<word>province|provinces|state|governorate|oblast|region|prefecture|"
    r"district|county|municipality|city|town|village|border crossing|crossing|airbase|air base|"
    r"airfield|base)$",
    re.IGNORECASE,
)
_DIRECTION = re.compile(
    r"^(?:far\s+|upper\s+|lower\s+|greater\s+|central\s+|mid-?\s*)?(?:(?:north|south)(?:ern)?"
    r"[\s-]*(?:east|west)?(?:ern)?|(?:east|west)(?:ern)?|central|upper|lower|greater|mid)?[\s-]+"
    r"(?P<rest>[A-Z].+)$", re.IGNORECASE)
PARTS_MIN_POP = 100_000
HINT_FEATURE = {
    "province": ADMIN1, "provinces": ADMIN1, "state": ADMIN1, "governorate": ADMIN1, "oblast": ADMIN1,
    "region": ADMIN1, "prefecture": ADMIN1, "district": ADMIN2, "county": ADMIN2,
    "municipality": ADMIN2, "city": CITY, "town": CITY, "village": CITY, "crossing": "crossing",
    "border crossing": "crossing", "airbase": "base", "air base": "base", "airfield": "base",
    "base": "base",
}


@dataclass
class Context:
    """What else is known when resolving one name."""

    theatre: dict[str, float] | None = None  # story prior: country names and "admin1, country"
    countries: dict[str, float] | None = None  # alpha-2 -> weight, from the article's other names
    admin1s: dict[tuple[str, str], float] | None = None  # (alpha-2, admin1) -> weight
    container: tuple[str, str] | None = None  # (alpha-2, admin1 or "") the name is said to lie in
    hint: str = ""  # feature kind named next to the name
    named_admin1s: frozenset[tuple[str, str]] = frozenset()  # (alpha-2, admin1) the article names
    worded: bool = False  # the name carries a feature word ("Dallas County"), hint or not
    support: dict[int, int] | None = None  # candidate id -> other names of the article near it

    def __post_init__(self) -> None:
        self.theatre_total = sum(self.theatre.values()) or 1.0 if self.theatre else 1.0
        self.countries_total = sum(v for v in (self.countries or {}).values() if v > 0) or 1.0
        self.admin1s_total = sum(v for v in (self.admin1s or {}).values() if v > 0) or 1.0


def split_hint(name: str) -> tuple[str, str]:
    """'Kunduz province' -> ('Kunduz', 'admin1'); names without such a word come back as is."""
    m = _SUFFIX_HINT.match(name.strip())
    if m:
        return m.group("name"), HINT_FEATURE[m.group("word").lower()]
    return name, ""


def candidates(gz: Gazetteer, name: str, ctx: Context) -> list[int]:
    ids = gz.lookup(name)
    if ids:
        return ids
    # Fallback for transliteration variants: only places in countries already in play, so that a
    # loose key cannot pull a name to the other side of the world.
    in_play = {cc for cc, n in (ctx.countries or {}).items() if n > 0}
    names: set[str] = set()
    if ctx.theatre:
        names = {n.split(", ")[-1] for n in ctx.theatre}
        in_play |= {cc for cc, cname in gz.country_names.items() if cname in names}
    if ctx.container:
        in_play.add(ctx.container[0])
    if not in_play:
        return []
    ids = [i for i in gz.lookup_skeleton(name) if gz.country[i] in in_play]
    if ids or not (ctx.theatre or ctx.container):
        return ids
    # Garbled spellings: only against the story's own countries, where the evidence is strongest.
    story = {cc for cc, cname in gz.country_names.items() if cname in names} if ctx.theatre else set()
    if ctx.container:
        story.add(ctx.container[0])
    return fuzzy_candidates(gz, name, frozenset(story))


def fuzzy_candidates(gz: Gazetteer, name: str, in_play: frozenset[str]) -> list[int]:
    """Last resort for garbled spellings ("Islamic Qala"): close string match against the curated
    and administrative names of the countries in play (a few hundred names each)."""
    if len(name) < FUZZY_MIN_LEN:
        return []
    return list(_fuzzy_cached(gz, name_key(name), in_play))


FUZZY_MIN_LEN = 6


@lru_cache(maxsize=4096)
def _fuzzy_cached(gz: Gazetteer, key: str, in_play: frozenset[str]) -> tuple[int, ...]:
    from rapidfuzz import fuzz, process

    choices = _notable_names(gz, in_play)
    if not choices:
        return []
    hit = process.extractOne(key, list(choices), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return tuple(choices[hit[0]]) if hit else ()


FUZZY_CUTOFF = 88


@lru_cache(maxsize=256)
def _notable_names(gz: Gazetteer, in_play: frozenset[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    by_country = _notable_by_country(gz)
    for cc in in_play:
        for key, ids in by_country.get(cc, {}).items():
            out.setdefault(key, []).extend(ids)
    return out


@lru_cache(maxsize=1)
def _notable_by_country(gz: Gazetteer) -> dict[str, dict[str, list[int]]]:
    """Main names of admin units, curated sites and towns of 20,000+, per country."""
    out: dict[str, dict[str, list[int]]] = {}
    for pid, key in gz.primary:
        if gz.feature[pid] != CITY or gz.population[pid] >= 20000:
            out.setdefault(gz.country[pid], {}).setdefault(key, []).append(pid)
    return out


def score(gz: Gazetteer, pid: int, key: str, ctx: Context, province_context: bool = True) -> float:
    feature = gz.feature[pid]
    cc = gz.country[pid]
    s = math.log10(gz.population[pid] + 10)
    s += FEATURE_BONUS.get(feature, CURATED_BONUS)
    if gz.gid[pid].startswith("sitroom:"):
        s += 1.0
    if (pid, key) in gz.primary:
        s += PRIMARY_NAME_BONUS
    if ctx.hint:
        if ctx.hint == feature:
            s += HINT_BONUS
        elif ctx.hint == ADMIN2 and feature == ADMIN1:
            s -= 2.0
    if ctx.theatre:
        total = ctx.theatre_total
        cname = gz.country_names.get(cc, cc)
        s += THEATRE_COUNTRY * min(1.0, 2 * ctx.theatre.get(cname, 0.0) / total)
        if gz.admin1[pid]:
            s += THEATRE_ADMIN1 * min(1.0, 2 * ctx.theatre.get(f"{gz.admin1[pid]}, {cname}", 0.0) / total)
    if ctx.countries and feature != COUNTRY:
        # any mention of the country counts; the article's main country counts more
        n = ctx.countries.get(cc, 0.0)
        if n > 0:
            s += CONTEXT_COUNTRY + CONTEXT_SHARE * n / ctx.countries_total
    if ctx.admin1s and feature not in (COUNTRY, ADMIN1) and province_context:
        n = ctx.admin1s.get((cc, gz.admin1[pid]), 0.0)
        if n > 0:  # as for countries: the article's main province counts more
            s += CONTEXT_ADMIN1 * min(1.0, n) + CONTEXT_ADMIN1_SHARE * n / ctx.admin1s_total
        if (ctx.hint or ctx.worded) and (cc, gz.admin1[pid]) in ctx.named_admin1s:
            # A name with a feature word ("Dallas County", "Plymouth Co.") in a province the
            # article names as such ("six Iowa locations"): firmer evidence than the province of
            # another ambiguous town read in pass 1. Not for bare names, where a big city or a
            # state keeps its sense next to a named province (Louisville, Delaware beside "Ohio").
            s += NAMED_ADMIN1
    if ctx.container:
        ccc, ca1 = ctx.container
        if cc == ccc and (not ca1 or name_key(ca1) == name_key(gz.admin1[pid])):
            s += CONTAINMENT_BONUS
    return s


def best_candidate(gz: Gazetteer, name: str, ctx: Context) -> tuple[int | None, float]:
    scored = ranked(gz, name, ctx)
    if not scored:
        return None, 0.0
    top = scored[0][1]
    if gz.feature[top] == COUNTRY and ctx.countries and not ctx.hint:
        # "Georgia" in an article about the United States is the state: a country name that is
        # also a province of the article's main country, the named country itself not otherwise
        # in play, means the province.
        total = ctx.countries_total
        for s2, j in scored[1:]:
            cj = gz.country[j]
            if (gz.feature[j] == ADMIN1 and cj != gz.country[top]
                    and ctx.countries.get(cj, 0) >= MAIN_COUNTRY_SHARE * total
                    and ctx.countries.get(gz.country[top], 0) <= 0):
                return j, s2
    return top, scored[0][0]


def ranked(gz: Gazetteer, name: str, ctx: Context) -> list[tuple[float, int]]:
    """A name's candidates with their scores, best first (empty when the gazetteer has none)."""
    base, hint = split_hint(name)
    worded = bool(hint)
    if hint and gz.lookup(name):
        # the word is part of the name itself ("Cape Town", "Mexico City", "Dera Bugti district")
        base, hint = name, ""
    if (hint and not ctx.hint) or (worded and not ctx.worded):
        ctx = Context(ctx.theatre, ctx.countries, ctx.admin1s, ctx.container, ctx.hint or hint,
                      ctx.named_admin1s, worded, ctx.support)
    if not gz.lookup(base):
        stem = _named_after_place(base)
        if stem and gz.lookup(stem):
            base = stem  # "Swat Valley" is read as Swat
            if ctx.hint:  # "the Salinas Valley region": the word is the valley's, not Salinas's
                ctx = replace(ctx, hint="", worded=False)
    # "Southern California", "north-west London", "Eastern Europe", "the Western US": a part of a
    # place that the gazetteer names only whole is placed at the whole, before any looser spelling
    # of the whole name (the exact name of the whole is the firmer evidence).
    if not gz.lookup(base) and not gz.lookup(name) and (whole := _whole_of(gz, base, ctx, exact=True)):
        return whole
    ids = candidates(gz, base, ctx)
    if not ids and base != name:
        ids = candidates(gz, name, ctx)
    if not ids:
        return _whole_of(gz, base, ctx) or _sub_name(gz, base, ctx)
    if all(gz.feature[i] in (ADMIN1, ADMIN2) for i in ids):
        # Only an admin unit under this spelling ("Qala-e-Naw" district): its namesake town may be
        # spelt otherwise in GeoNames ("Qal'ah-ye Now"); add same-skeleton towns inside the unit.
        units = {(gz.country[i], gz.admin1[i]) for i in ids}
        ids = ids + [j for j in gz.lookup_skeleton(base)
                     if gz.feature[j] == CITY and (gz.country[j], gz.admin1[j]) in units]
    key = name_key(base)
    # Largest city per (country, admin1) among the candidates, and countries whose capital is one:
    # "Kabul", "Moscow" (a unit named after its main city) and "Washington" (a capital's namesake)
    # mean the city unless a word next to the name says province/district.
    city_pop: dict[tuple[str, str], int] = {}
    capital_cc: set[str] = set()
    for j in ids:
        if gz.feature[j] == CITY:
            k = (gz.country[j], gz.admin1[j])
            city_pop[k] = max(city_pop.get(k, 0), gz.population[j])
            if j in gz.capitals:
                capital_cc.add(gz.country[j])
    # A small namesake of a well-known town ("Portland", Texas beside Houston and Dallas; "Boston",
    # New York) is not made likely by its province alone: that needs local evidence (another
    # name of the article close by, or a container: "Portland, Texas").
    top_town = max((gz.population[j] for j in ids if gz.feature[j] == CITY), default=0)
    # Countries where a town of this name is not such a small namesake: there the name means that
    # town even when the gazetteer files it as an alternate name ("Newcastle" for Newcastle upon
    # Tyne, not the small Newcastle in County Down that has it as its main name).
    strong_cc = {gz.country[j] for j in ids
                 if gz.feature[j] == CITY and gz.population[j] * NAMESAKE_RATIO >= top_town}
    scored = []
    for i in ids:
        weak = (gz.feature[i] == CITY and gz.population[i] * NAMESAKE_RATIO < top_town
                and not ctx.container and not (ctx.support and ctx.support.get(i)))
        s = score(gz, i, key, ctx, province_context=not weak)
        if weak and gz.country[i] in strong_cc and (i, key) in gz.primary:
            s -= PRIMARY_NAME_BONUS
        if gz.feature[i] in (ADMIN1, ADMIN2) and ctx.hint not in (ADMIN1, ADMIN2):
            if (city_pop.get((gz.country[i], gz.admin1[i]), 0) >= CITY_SHARE * gz.population[i]
                    or gz.country[i] in capital_cc):
                s -= FEATURE_BONUS[gz.feature[i]] + 3.0
        if i in gz.capitals:
            s += CAPITAL_BONUS
        if ctx.support and gz.feature[i] in (CITY, ADMIN2):
            s += COHERENCE * min(ctx.support.get(i, 0), COHERENCE_CAP)
        scored.append((s, i))
    scored.sort(reverse=True)
    return scored


def _whole_of(gz: Gazetteer, name: str, ctx: Context, exact: bool = False) -> list[tuple[float, int]]:
    """The place a direction word before its name takes a part of ("Southern California" ->
    California), as a one-item ranking; exact: only where the gazetteer has that name as such."""
    m = _DIRECTION.match(name)
    if not m or m.group("rest") == name or (exact and not gz.lookup(m.group("rest"))):
        return []
    pid, sc = best_candidate(gz, m.group("rest"), ctx)
    # only a place large enough to have parts ("West Wing" is not part of Wing, Bucks.)
    if pid is not None and (gz.feature[pid] != CITY or gz.population[pid] >= PARTS_MIN_POP):
        return [(sc, pid)]
    return []


_WORD_SPLIT = re.compile(r"[\s\-\u2013]+")


def _sub_name(gz: Gazetteer, name: str, ctx: Context) -> list[tuple[float, int]]:
    """A span that is not a place as a whole but holds a well-known one ("St. Louis Police",
    "Nazi Germany", "Asia-Pacific"): the longest run of its words, from either end, that names a
    country, region, province or city of PARTS_MIN_POP+. Not for natural features or streets
    ("Mississippi River", "Fire Island"), which are not the place they are named after."""
    words = [w for w in _WORD_SPLIT.split(name.strip()) if w]
    if len(words) < 2 or any(w.lower().strip(".,") in _feature_not_place() for w in words):
        return []
    from sitroom.geo.recognize import _not_places

    for n in range(len(words) - 1, 0, -1):
        for part in (" ".join(words[-n:]), " ".join(words[:n])):
            # a bare direction or organisation ("West", "Taliban") is no place on its own
            if not part[:1].isupper() or name_key(part) in _not_places():
                continue
            ids = gz.lookup(part)
            if not ids:
                continue
            scored = ranked(gz, part, ctx)
            if scored:
                sc, pid = scored[0]
                if gz.feature[pid] != CITY or gz.population[pid] >= PARTS_MIN_POP:
                    return [(sc, pid)]
    return []


def _named_after_place(name: str) -> str:
    """'Swat Valley' -> 'Swat': the name before a word of `named_after_place` (cues.toml), or ''."""
    from sitroom.geo.recognize import cue_words

    words = name.rsplit(None, 1)
    if len(words) == 2 and words[1].lower() in cue_words("resolution", "named_after_place"):
        return words[0]
    return ""


def _feature_not_place() -> frozenset[str]:
    from sitroom.geo.recognize import cue_words

    return cue_words("resolution", "feature_not_place")


def place_of(gz: Gazetteer, pid: int, precision: int | None = None) -> Place:
    feature = gz.feature[pid]
    if precision is None:
        precision = default_precision(feature)
    return Place(
        name=gz.name[pid], country=gz.country_name(gz.country[pid]), admin1=gz.admin1[pid],
        admin2=gz.admin2[pid], latitude=gz.lat[pid], longitude=gz.lon[pid], feature=feature,
        geo_precision=precision, gazetteer_id=gz.gid[pid],
    )


def default_precision(feature: str) -> int:
    """ACLED geo_precision of a place named alone: town/site 1, district 2, province/country 3."""
    from sitroom.geo.precision import base_precision

    return base_precision(Place(name="", feature=feature))


def resolve_name(name: str, theatre: dict[str, float] | None = None) -> Place | None:
    """Resolve one location string ("Panjwai district of Kandahar", "Kunduz") to a Place.

    With a theatre (theatre.py), a reading in a country outside it is taken only for a world
    place, a namesake inside it beats one elsewhere, and a name with no reading the theatre
    allows comes back None; a site's name ("Baron Hotel in Kabul") is placed at the town the
    string puts it in (precision 2), never at a town of its own name."""
    from sitroom.geo.precision import base_precision
    from sitroom.geo.theatre import licence_of

    gz = load_gazetteer()
    # "near X", "outskirts of X", "20 km north of X": resolve X; the cue lowers the precision.
    stripped = _LEADING_CUE.sub("", name.strip())
    near = stripped != name.strip()
    name = stripped or name
    lic = licence_of(gz, theatre)
    container: tuple[str, str] | None = None
    outer_id: int | None = None
    m = re.match(r"^(?P<inner>.+?)(?:,\s*|\s+(?:district|province)?\s*(?:of|in)\s+)(?P<outer>[^,]+)$",
                 name.strip(), re.IGNORECASE)
    inner = name
    if m:
        outer_id = _licensed_best(gz, m.group("outer"), Context(theatre=theatre), lic)
        if outer_id is not None and gz.country[outer_id]:
            # the container's admin1 ("of Kandahar" names the province even if read as the city)
            container = (gz.country[outer_id], "" if gz.feature[outer_id] == COUNTRY else gz.admin1[outer_id])
            inner = m.group("inner")
            if re.search(r"district\s+(of|in)\s", name, re.IGNORECASE):
                inner = f"{inner} district"
        else:
            outer_id = None
    if _site_name(inner):
        # a hotel, gate or street: at the town the string names, else unresolved here
        if outer_id is None:
            return None
        place = place_of(gz, outer_id)
        place.geo_precision = max(place.geo_precision or 2, 2)
        return place
    ctx = Context(theatre=theatre, container=container)
    pid = _licensed_best(gz, inner, ctx, lic)
    if pid is None:
        return None
    place = place_of(gz, pid)
    if near and base_precision(place) == 1:
        place.geo_precision = 2
    return place


def _licensed_best(gz: Gazetteer, name: str, ctx: Context, lic: Any) -> int | None:
    """best_candidate, then (with a licence) the best reading the licence allows."""
    from sitroom.geo.theatre import choose

    pid, _ = best_candidate(gz, name, ctx)
    if pid is None or not lic:
        return pid
    loose = not any(gz.lookup(n) for n in (name, split_hint(name)[0]))
    order = [pid] + [i for _, i in ranked(gz, name, ctx) if i != pid]
    return choose(gz, order, lic, loose=loose)


def _site_name(name: str) -> bool:
    """Whether a location string names a site ("Baron Hotel", "Abbey Gate", "the main bazaar
    street"): its last word is a facility word of cues.toml (any case), and the string is not
    itself a gazetteer name ("Kabul International Airport" is)."""
    from sitroom.geo.recognize import cue_words

    words = name.split()
    facility = {w.lower() for w in cue_words("resolution", "facility_words")}
    return len(words) >= 2 and words[-1].lower() in facility and not load_gazetteer().lookup(name)


_LEADING_CUE = re.compile(
    r"^(?:(?:on\s+)?the\s+)?(?:near|nearby|outside|outskirts\s+of|close\s+to|around|vicinity\s+of|"
    r"suburbs\s+of|(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?(?:north|south|east|west|"
    r"northeast|northwest|southeast|southwest)(?:ern)?\s+of|\d+\s*(?:km|kilometres|kilometers|miles)"
    r"\s+from)\s+", re.IGNORECASE)
