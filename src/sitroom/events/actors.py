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
    """Nationality words and country names -> country: data/events/demonyms.tsv, then every
    country's demonym from the gazetteer (countryinfo and data/geo/demonyms.csv), so that "{STATE}"
    is filled for forces of any country. Country names come from the gazetteer, as places do."""
    out = {r["word"]: r["country"] for r in read_csv_rows("demonyms.tsv")}
    try:
        from sitroom.geo.gazetteer import load_gazetteer

        gz = load_gazetteer()
    except Exception:  # noqa: BLE001 - without a gazetteer the events stage keeps its own list
        return out
    for key, cc in gz.demonyms.items():
        word = key.strip().lower()
        if len(word) >= 4 and word.isalpha() and word not in out:
            out[word] = gz.country_name(cc)
    return out


@dataclass(frozen=True)
class IdentityEntry:
    word: str
    name: str  # "Hindu Group ({STATE})"
    kind: str  # religious | ethnic


@lru_cache(maxsize=1)
def identity_entries() -> dict[str, IdentityEntry]:
    return {r["word"]: IdentityEntry(r["word"], r["name"], r["kind"]) for r in read_csv_rows("identity_groups.tsv")}


@lru_cache(maxsize=1)
def _identity_regex() -> re.Pattern[str]:
    words = sorted(identity_entries(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def lexicon_side(word: str) -> str | None:
    """The side a single word names in the actor tables ("police" -> state, "mob" -> rioter,
    "hindus" -> identity), or None."""
    for e in actor_entries():
        if e.phrase == word:
            return e.side
    if word in identity_entries():
        return "identity"
    return None


@lru_cache(maxsize=1)
def _actor_regex() -> re.Pattern[str]:
    alts = "|".join(re.escape(e.phrase) for e in actor_entries())
    return re.compile(rf"(?<![\w-])({alts})(?![\w-])")


@lru_cache(maxsize=1)
def _demonym_regex() -> re.Pattern[str]:
    words = sorted(demonyms(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


def named_group_in(text: str) -> str:
    """The first named non-state armed group a text names ("Taliban" in "districts the Taliban
    hold"), by the actor table; "" if none."""
    for m in _actor_regex().finditer(text.lower()):
        entry = _entry(m.group(1))
        if entry.side == "nonstate":
            return entry.name
    return ""


@lru_cache(maxsize=1)
def _in_country_regex() -> re.Pattern[str]:
    names = sorted({c.lower() for c in demonyms().values() if c}, key=len, reverse=True)
    return re.compile(r"\bin (?:the )?(?:" + "|".join(re.escape(n) for n in names) + r")\b")


def says_in_a_country(text: str) -> bool:
    """'... 50 districts in Afghanistan': the text places something in a whole country."""
    return bool(_in_country_regex().search(text.lower()))


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
    ident = _identity_regex().search(low)
    if ident is not None:
        got = _identity_actor(identity_entries()[ident.group(1)], matches, phrase, ctx)
        if got is not None:
            return got
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


def _fill(template: str, country: str) -> str:
    if not country:
        return template.replace(" of {STATE}", "").replace(" ({STATE})", "")
    return template.replace("{STATE}", _the(country))


def _identity_actor(ident: IdentityEntry, matches: list[ActorEntry], phrase: str, ctx: ArticleActors
                    ) -> tuple[Actor, str] | None:
    """A phrase with an identity word: "hindu youths" -> the identity group; "a muslim mob" ->
    Rioters with the group as associate; "fulani gunmen" -> the ethnic militia; state forces and
    named groups stay themselves."""
    low = phrase.lower()
    country = country_in(low) or ctx.state
    group = _fill(ident.name, country)
    surface = phrase.strip()
    sides = {e.side for e in matches}
    if sides & {"state", "nonstate", "external"}:
        return None
    if sides & {"rioter", "protester", "civilian"}:
        entry = next(e for e in matches if e.side in ("rioter", "protester", "civilian"))
        return Actor(_fill(entry.name, country), entry.actor_type, surface, assoc=group), entry.side
    words = low.split()
    people = {"youths", "youth", "men", "people", "group", "groups", "community", "communities", "members",
              "villagers", "residents", "families", "militia", "militias", "gunmen", "militants", "herdsmen",
              "fighters"}
    if sides & {"generic_nonstate"} or ident.word.endswith("s") and words and words[-1] == ident.word \
            or set(words) & people:
        return Actor(group, "Identity militia", surface), "identity"
    return None


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


def police_forces(ctx: ArticleActors) -> Actor:
    name = f"Police Forces of {_the(ctx.state)}" if ctx.state else "Police Forces"
    return Actor(name, "State forces", "")
