"""Airports for the gazetteer, read at build time from the installed `airportsdata` package
(MIT licence; a fork of mwgg/Airports whose new rows are checked against national Aeronautical
Information Publications, ARINC and IATA: ~28,000 airports with ICAO/IATA codes, name, city,
subdivision, country and coordinates).

"Heathrow", "Gatwick", "O'Hare" name airports that no populated-place source has. Only airports
with an IATA code are read (scheduled-service fields; the ~20,000 private strips named after
their town would only add namesakes). An airport is indexed under:
- its full name ("London Heathrow Airport"), and the same without a parenthesis;
- its own name with "Airport" ("Heathrow Airport", "Logan Airport"): a name no town has;
- its own name bare ("Heathrow", "Schiphol", "London Heathrow") only where no populated place or
  admin unit of that name lies within NAMESAKE_KM of the field: a field called after its own town
  ("Robinson Municipal", "Luton") must not add a second reading of the town's name, while a far
  namesake (Heathrow, Florida) is left to the resolver, where an airport has a low prior.
Bare IATA codes are never indexed ("LAX" is also a word, "BOS" an abbreviation).
"""

from __future__ import annotations

import re
from typing import Iterator

from sitroom.geo.names import name_key

AIRPORT = "airport"
# A town of the airport's name this close is the town the field is named after (Luton, Stansted
# Mountfitchet 5 km from its airport); big-city airports lie up to ~25 km out.
NAMESAKE_KM = 40.0
_SUFFIX = re.compile(
    r"(?:^|\s+)(?:(?:International|Intl|Int'l|National|Ntl|Regional|Municipal|Domestic|Intercontinental|"
    r"Metropolitan|County|City)\s+)*(?:Airport|Airfield|Air\s+Field|Aerodrome|Airstrip|Airpark|"
    r"Air\s+Park)$", re.IGNORECASE)
_LEADING = re.compile(r"^(?:Airport|Aeroporto|Aeropuerto|Aéroport)\s+", re.IGNORECASE)
_PAREN = re.compile(r"\s*\([^)]*\)")


def airport_names(name: str, city: str) -> tuple[list[str], list[str]]:
    """(names always indexed, bare names indexed only without a nearby namesake) of one airport.

    >>> airport_names("London Heathrow Airport", "London")
    (['London Heathrow Airport', 'Heathrow Airport'], ['London Heathrow', 'Heathrow'])
    """
    full = _PAREN.sub("", name).strip()
    always = [name, full] if full != name else [name]
    towns = [t.strip() for t in (city, *city.split(",")) if t.strip()]
    # the field's own name: without its town in front ("London Heathrow") and without the airport
    # words ("Amsterdam Airport Schiphol", "Chicago O'Hare International Airport")
    own = full
    for town in towns:
        if own.lower().startswith(town.lower() + " "):
            own = own[len(town):].strip()
            break
    own = _SUFFIX.sub("", _LEADING.sub("", own)).strip()
    if own == full or not own or any(name_key(own) == name_key(t) for t in towns):
        return always, []  # "Air Base", "Kabul International Airport": nothing of its own
    always.append(f"{own} Airport")
    bare = [own]
    core = _SUFFIX.sub("", full).strip()
    if core not in (own, full):
        bare.insert(0, core)  # "London Heathrow"
    return list(dict.fromkeys(always)), [b for b in dict.fromkeys(bare) if len(b) >= 3]


def iata_airports() -> Iterator[dict]:
    """airportsdata's rows that carry an IATA code."""
    import airportsdata

    for row in airportsdata.load("IATA").values():
        if row.get("iata") and row.get("name") and row.get("country"):
            yield row
