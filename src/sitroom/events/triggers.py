"""Event triggers on the dependency parse: the trigger words of data/events/frames.toml, each with
its part of speech and grammar check (sitroom.events.frames.CHECKS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitroom.events.frames import CHECKS, TriggerEntry, trigger_entries

POS_OK = {"VERB": ("VERB", "AUX"), "NOUN": ("NOUN", "PROPN"), "ANY": ("VERB", "AUX", "NOUN", "PROPN")}

# the small model lemmatises some nominalisations and participles poorly: surface form -> lemma
LEMMA_FIXES = {"fighting": "fighting", "firing": "firing", "shelling": "shelling", "bombing": "bombing",
               "pelting": "pelting", "rioting": "rioting", "airstrike": "airstrike", "airstrikes": "airstrike",
               "air-strike": "airstrike", "air-strikes": "airstrike", "overran": "overrun",
               "overrun": "overrun", "overrunning": "overrun", "lathicharged": "lathicharge", "shootout": "shootout"}


@dataclass
class Trigger:
    token: Any  # the head token (spaCy Token)
    frame: str
    words: str  # surface words of the trigger


def _lemma(tok: Any) -> str:
    fixed = LEMMA_FIXES.get(tok.lower_)
    if fixed is not None and (tok.pos_ in ("NOUN", "PROPN") or fixed not in ("fighting", "firing", "shelling",
                                                                                "bombing", "pelting", "rioting")):
        return fixed
    return tok.lemma_.lower()


def _matches(tok: Any, entry: TriggerEntry) -> bool:
    if tok.pos_ not in POS_OK[entry.pos]:
        return False
    if entry.particle and entry.particle not in {c.lemma_.lower() for c in tok.children}:
        return False
    return not entry.check or CHECKS[entry.check](tok)


def find_triggers(sent: Any) -> list[Trigger]:
    entries = trigger_entries()
    found: list[Trigger] = []
    for tok in sent:
        for entry in entries.get(_lemma(tok), []):
            if _matches(tok, entry):
                words = tok.text if not entry.particle else f"{tok.text} {entry.particle}"
                found.append(Trigger(tok, entry.frame, words))
                break
    return found
