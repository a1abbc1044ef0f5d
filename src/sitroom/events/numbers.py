"""Numbers in event sentences: digits, number words and ACLED's vague words, by role (killed, wounded ...)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitroom.events.taxonomy import DATA_DIR


@lru_cache(maxsize=1)
def number_rules() -> dict[str, Any]:
    return json.loads((DATA_DIR / "numbers.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Quantity:
    low: int
    high: int | None = None  # upper end of a range ("2,500-3,500"), None if a single figure
    vague: bool = False


_RANGE = re.compile(r"^([0-9][0-9,]{0,15})\s*(?:-|–|to)\s*([0-9][0-9,]{0,15})$")


def parse_quantity(words: list[str]) -> Quantity | None:
    """Read a quantity from the words of a number phrase ("more than 300", "several hundred", "dozens")."""
    rules = number_rules()
    text = " ".join(w.lower() for w in words).strip()
    text = re.sub(r"^(as many as|as few as|more than|over|at least|nearly|about|around|some|up to|almost|roughly)\s+", "", text)
    m = _RANGE.match(text)
    if m:
        a, b = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
        return Quantity(min(a, b), max(a, b))
    toks = text.split()
    if not toks:
        return None
    value: int | None = None
    vague = False
    i = 0
    while i < len(toks):
        tok = toks[i]
        two = " ".join(toks[i:i + 2])
        if two in rules["vague"] and (i + 2 >= len(toks) or toks[i + 2] not in rules["multipliers"]):
            return Quantity(int(rules["vague"][two]), vague=True)
        digits = tok.replace(",", "")
        # ASCII digits only: str.isdigit() also accepts "³", which int() refuses
        if digits.isascii() and digits.isdigit() and len(digits) <= 15:
            value = (value or 0) + int(digits)
        elif re.fullmatch(r"[0-9]{1,15}(\.[0-9]+)?", tok):
            value = int(float(tok))
        elif tok in rules["multipliers"] and value is not None:
            value *= int(rules["multipliers"][tok])  # "two dozen" = 24, "three hundred"
        elif tok in rules["words"]:
            value = (value or 0) + int(rules["words"][tok])
        elif tok in rules["vague_as_multiplier"] and i + 1 < len(toks) and toks[i + 1] in rules["multipliers"]:
            value = int(rules["vague_as_multiplier"][tok])
            vague = True
        elif tok in rules["vague"]:
            return Quantity(int(rules["vague"][tok]), vague=True)
        i += 1
    return Quantity(value, vague=vague) if value is not None else None


@lru_cache(maxsize=1)
def role_of_lemma() -> dict[str, str]:
    out: dict[str, str] = {}
    for role, lemmas in number_rules()["roles"].items():
        for lemma in lemmas:
            out.setdefault(lemma, role)
    return out


def number_phrase(noun: Any) -> Quantity | None:
    """The quantity attached to a noun token: its nummod/quantmod children, or the noun itself
    when it is a number ("five of the soldiers", "hundreds of them")."""
    rules = number_rules()
    if noun.like_num or noun.lower_ in rules["multipliers"] or noun.pos_ == "NUM":
        words = [t.text for t in noun.lefts if t.dep_ in ("quantmod", "advmod", "nummod", "compound", "amod")]
        return parse_quantity(words + [noun.text])
    words: list[str] = []
    for child in noun.children:
        if child.dep_ in ("nummod", "quantmod") or (child.dep_ == "amod" and child.lower_ in ("several", "many")):
            words.extend(t.text for t in child.subtree)
    if words:
        return parse_quantity(words)
    if noun.lower_ in rules["vague"]:
        return parse_quantity([noun.text])
    return None


RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
SINGULAR_DETS = {"a", "an", "one"}


def _singular_person(noun: Any) -> bool:
    """'a woman was killed', 'a vhp supporter died': one person, though no figure is given."""
    from sitroom.events.frames import lexicon

    return noun.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in SINGULAR_DETS for c in noun.children) \
        and (noun.lemma_.lower() in lexicon()["people_nouns"] or noun.ent_type_ == "PERSON")


def numbers_in(sent: Any) -> dict[str, list[Quantity]]:
    """Role -> quantities for every role word in the sentence or clause (its tokens): the passive
    subject, object or subject of the role word, the noun a participle or relative clause
    describes ("84 persons who were killed", "one person killed"), the object of "left ... dead"."""
    roles = role_of_lemma()
    found: dict[str, list[Quantity]] = {}
    under = number_rules().get("killed_under", {})
    for tok in sent:
        role = roles.get(tok.lemma_.lower())
        if role is None and tok.pos_ == "ADJ" and tok.head.lemma_.lower() in under.get(tok.lower_, ()):
            role = "killed"  # "four persons were burnt alive"
        if role is None or tok.pos_ not in ("VERB", "ADJ", "NOUN"):
            continue
        candidates = [c for c in tok.children if c.dep_ in ("nsubjpass", "nsubj", "dobj")]
        if tok.dep_ == "conj" and not candidates:  # "five were wounded and one died": own subject first
            candidates = [c for c in tok.head.children if c.dep_ in ("nsubjpass", "nsubj")]
        if tok.pos_ == "ADJ" and tok.dep_ in ("amod",):
            candidates = [tok.head]
        if tok.pos_ == "ADJ" and tok.dep_ in ("oprd", "acomp", "xcomp", "advmod"):
            # "shot dead", "left two dead", "found dead": the governing verb's object or subject
            candidates = [c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
        if tok.pos_ == "VERB" and (tok.dep_ == "acl" or
                                   (tok.dep_ == "relcl" and any(c.lower_ in RELATIVE_PRONOUNS for c in candidates))):
            candidates = [tok.head] + [c for c in candidates if c.lower_ not in RELATIVE_PRONOUNS]
        for cand in candidates:
            q = number_phrase(cand)
            if q is None:
                # "200 of the soldiers": the number may sit on an "of"-head; "soldiers" may carry it
                for gc in cand.children:
                    if gc.dep_ == "prep" and gc.lower_ == "of":
                        for pobj in gc.children:
                            q = q or number_phrase(pobj)
            if q is None and role == "killed" and _singular_person(cand):
                q = Quantity(1)
            if q is not None:
                found.setdefault(role, []).append(q)
                break
    return found
