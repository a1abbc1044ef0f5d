"""Event triggers on the dependency parse (lexicon: data/events/triggers.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitroom.events.taxonomy import read_csv_rows

POS_OK = {"VERB": ("VERB", "AUX"), "NOUN": ("NOUN", "PROPN"), "ANY": ("VERB", "AUX", "NOUN", "PROPN")}
# words that must sit under a trigger for it to count (a frame's argument requirements, kept in code
# because they are about grammar, not vocabulary)
AIR_WORDS = {"air", "drone", "aerial", "missile"}
PLACE_OBJECTS = {"base", "post", "posts", "checkpoint", "checkpoints", "outpost", "outposts", "area", "district",
                 "city", "town", "village", "position", "positions", "headquarters", "airport", "crossing"}
TIME_NOUNS = {"time", "day", "night", "morning", "evening", "afternoon", "week", "hour"}
INCURSION_OBJECTS = {"outskirt", "outskirts", "entrance", "gate", "gates", "edge", "centre", "center"}


@dataclass(frozen=True)
class TriggerEntry:
    lemma: str  # head lemma
    particle: str  # second word that must be a child (object or particle), "" if none
    pos: str
    frame: str


@dataclass
class Trigger:
    token: Any  # the head token (spaCy Token)
    frame: str
    words: str  # surface words of the trigger


@lru_cache(maxsize=1)
def trigger_entries() -> dict[str, list[TriggerEntry]]:
    out: dict[str, list[TriggerEntry]] = {}
    for row in read_csv_rows("triggers.tsv"):
        parts = row["lemma"].split()
        entry = TriggerEntry(parts[0], parts[1] if len(parts) > 1 else "", row["pos"], row["frame"])
        out.setdefault(entry.lemma, []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: e.particle == "")  # multi-word entries first
    return out


def _lemma(tok: Any) -> str:
    lemma = tok.lemma_.lower()
    # the small model lemmatises some nominalisations and participles poorly
    if tok.lower_ in ("fighting",) and tok.pos_ == "NOUN":
        return "fighting"
    if tok.lower_ in ("airstrike", "airstrikes", "air-strike", "air-strikes"):
        return "airstrike"
    if tok.lower_ in ("overran", "overrun", "overrunning"):
        return "overrun"
    return lemma


def _frame_ok(tok: Any, entry: TriggerEntry) -> bool:
    kids = {c.lemma_.lower() for c in tok.children}
    sub = {t.lemma_.lower() for t in tok.subtree}
    if entry.particle and entry.particle not in kids:
        return False
    if entry.frame == "FALL":
        # "X fell to Y", "fallen into the hands of Y", "the fall of X" (not "prices fell")
        if tok.pos_ == "NOUN":
            return "of" in kids
        return bool({"to", "into"} & kids) or "hand" in sub
    if entry.frame == "INCURSION":
        return bool(INCURSION_OBJECTS & sub)
    if entry.frame == "AIR_STRIKE" and entry.lemma == "strike":
        return bool(AIR_WORDS & kids)
    if entry.frame == "CROSS":
        if entry.lemma == "cross":
            objs = {c.lemma_.lower() for c in tok.children if c.dep_ == "dobj"
                    and c.ent_type_ not in ("TIME", "DATE") and c.lemma_.lower() not in TIME_NOUNS}
            # "crossed the border", "crossed into X", or troops who "crossed" (no object)
            return bool({"into", "to", "over"} & kids) or bool(objs & {"border", "frontier", "river", "bridge"}) \
                or not objs
        return bool({"across", "to", "into", "border"} & kids)
    if entry.frame == "WITHDRAW":
        # leaving a base, post or town (not "withdrawing from Afghanistan": a country is no territory
        # that changes hands)
        objs = {c.lower_ for c in tok.subtree if c.dep_ in ("dobj", "pobj")}
        return bool(objs & PLACE_OBJECTS)
    if entry.frame == "TAKE" and entry.lemma in ("capture", "seize") and tok.pos_ == "NOUN":
        return "of" in kids  # "the capture of Shir Khan"
    return True


def find_triggers(sent: Any) -> list[Trigger]:
    entries = trigger_entries()
    found: list[Trigger] = []
    for tok in sent:
        lemma = _lemma(tok)
        for entry in entries.get(lemma, []):
            if tok.pos_ not in POS_OK[entry.pos]:
                continue
            if not _frame_ok(tok, entry):
                continue
            words = tok.text if not entry.particle else f"{tok.text} {entry.particle}"
            found.append(Trigger(tok, entry.frame, words))
            break
    return found
