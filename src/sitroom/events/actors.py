"""Actor normalisation: surface phrases -> ACLED-style actor names and types (data/events/actors.tsv)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from sitroom.events.taxonomy import read_csv_rows
from sitroom.records import Actor


@dataclass(frozen=True)
class ActorEntry:
    phrase: str
    name: str
    actor_type: str
    side: str  # state | nonstate | generic_nonstate | civilian | protester | rioter | external


@lru_cache(maxsize=1)
def actor_entries() -> list[ActorEntry]:
    rows = read_csv_rows("actors.tsv")
    entries = [ActorEntry(r["phrase"], r["name"], r["actor_type"], r["side"]) for r in rows]
    return sorted(entries, key=lambda e: -len(e.phrase))  # longest phrase wins


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    return {r["word"]: r["country"] for r in read_csv_rows("demonyms.tsv")}


@lru_cache(maxsize=1)
def _actor_regex() -> re.Pattern[str]:
    alts = "|".join(re.escape(e.phrase) for e in actor_entries())
    return re.compile(rf"(?<![\w-])({alts})(?![\w-])")


@lru_cache(maxsize=1)
def _demonym_regex() -> re.Pattern[str]:
    words = sorted(demonyms(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


def country_in(text: str) -> str:
    """The first nationality word or country name in a phrase, as a country."""
    m = _demonym_regex().search(text.lower())
    return demonyms()[m.group(1)] if m else ""


@dataclass
class ArticleActors:
    """Article-level context for resolving actors: its country and its main named non-state actor."""

    state: str  # country whose forces "the army", "security forces" refer to
    main_nonstate: Actor | None

    @classmethod
    def from_text(cls, text: str, place_countries: list[str] | None = None) -> "ArticleActors":
        low = text.lower()
        countries: Counter[str] = Counter(demonyms()[m.group(1)] for m in _demonym_regex().finditer(low))
        for c in place_countries or []:
            countries[c] += 2  # resolved places are better evidence than words
        state = countries.most_common(1)[0][0] if countries else ""
        named: Counter[str] = Counter()
        first: dict[str, ActorEntry] = {}
        for m in _actor_regex().finditer(low):
            entry = _entry(m.group(1))
            if entry.side == "nonstate":
                named[entry.name] += 1
                first.setdefault(entry.name, entry)
        main = None
        if named:
            name = named.most_common(1)[0][0]
            main = Actor(name, first[name].actor_type, first[name].phrase)
        return cls(state, main)


def _entry(phrase: str) -> ActorEntry:
    for e in actor_entries():
        if e.phrase == phrase:
            return e
    raise KeyError(phrase)


def match_actor(phrase: str, ctx: ArticleActors, countries: bool = False) -> tuple[Actor, str] | None:
    """Resolve a noun phrase to an ACLED actor; returns (actor, side) or None when it names no actor.

    The first actor word in the phrase decides ("Taliban fighters" -> Taliban, "Afghan soldiers" ->
    Military Forces of Afghanistan); nationality words fill the {STATE} slot.
    """
    low = phrase.lower()
    matches = [_entry(m.group(1)) for m in _actor_regex().finditer(low)]
    if not matches:
        country = _country_as_actor(low) if countries else ""
        if country:
            return Actor(f"Military Forces of {_the(country)}", "State forces", phrase.strip()), \
                "state" if country == ctx.state else "external"
        return None
    entry = min(matches, key=lambda e: _PRIORITY.get(e.side, 2) - (0.5 if e.side == "state" and country_in(low) else 0))
    surface = phrase.strip()
    if entry.side == "generic_nonstate":
        if ctx.main_nonstate is not None:
            return Actor(ctx.main_nonstate.name, ctx.main_nonstate.actor_type, surface), "nonstate"
        country = country_in(low) or ctx.state
        name = f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group"
        return Actor(name, "Political militia", surface), "nonstate"
    country = country_in(low) or ctx.state
    name = entry.name
    if "{STATE}" in name:
        if not country:
            return Actor(name.replace(" of {STATE}", "").replace(" ({STATE})", ""), entry.actor_type,
                         surface), entry.side
        name = name.replace("{STATE}", _the(country))
    side = "external" if entry.side == "state" and ctx.state and country and country != ctx.state \
        else entry.side
    return Actor(name, entry.actor_type if side != "external" else "External/Other forces", surface), side


# which actor word names the actor when a phrase has several ("Taliban fighters", "US and NATO forces"):
# a named armed group, then nationality-qualified state forces, then others, then generic words
_PRIORITY = {"nonstate": 0, "state": 1.2, "external": 1.2, "civilian": 2, "protester": 2, "rioter": 2,
             "generic_nonstate": 3}
_THE = {"United States", "United Kingdom"}


def _the(country: str) -> str:
    return f"the {country}" if country in _THE else country


def _country_as_actor(low: str) -> str:
    """A phrase that is just a country name ("the United States withdrew") stands for its forces."""
    words = low.strip().removeprefix("the ").strip()
    country = demonyms().get(words, "")
    return country if country and words == country.lower() or words in ("us", "u.s.") else ""


def state_forces(ctx: ArticleActors) -> Actor:
    name = f"Military Forces of {_the(ctx.state)}" if ctx.state else "Military Forces"
    return Actor(name, "State forces", "")
