"""Lexicons of the quotes stage, read from src/sitroom/data/quotes/ (sources in the README there)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "quotes"


@dataclass(frozen=True)
class CueVerb:
    lemma: str
    cls: str  # speech | cognition
    stance: str  # assert | deny
    object: str  # content | hearer | none: what a direct object of the verb is
    preps: frozenset[str]  # particles/prepositions whose phrase is the content ("call for")
    xcomp: bool = True  # "vowed to fight" is content; "continued to fight" is not


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, CueVerb]
    role_nouns: frozenset[str]
    abbreviations: dict[str, str]  # lower-cased short form -> lower-cased long form


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    cues = {
        r["lemma"]: CueVerb(
            lemma=r["lemma"],
            cls=r["cls"],
            stance=r["stance"],
            object=r["object"],
            preps=frozenset(p for p in (r.get("preps") or "").split("|") if p),
            xcomp=(r.get("xcomp") or "yes") == "yes",
        )
        for r in _rows("cue_verbs.csv")
    }
    roles = frozenset(r["noun"].lower() for r in _rows("role_nouns.csv"))
    abbreviations = {r["short"].lower(): r["long"].lower() for r in _rows("abbreviations.csv")}
    return Lexicon(cues=cues, role_nouns=roles, abbreviations=abbreviations)
