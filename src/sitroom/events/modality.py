"""Modality of an event report: reported, claimed (by a party), denied, hedged; and non-event filters
(irrealis, background, aggregate) read from the clause around a trigger. Cue words: data/events/modality.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitroom.events.taxonomy import DATA_DIR

QUOTE_CHARS = "'\"‘’“”"


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    return json.loads((DATA_DIR / "modality.json").read_text(encoding="utf-8"))


@dataclass
class Attribution:
    modality: str  # reported | claimed | denied | hedged
    speaker: str  # words of the source the clause is attributed to ("" if the article itself)
    cue: str


def reporting_verb(trigger: Any, segment: Any = None) -> Any | None:
    """The nearest ancestor verb that reports the trigger's clause (said, told, denied, claimed ...)."""
    c = cues()
    verbs = set(c["report_verbs"]) | set(c["claim_verbs"]) | set(c["deny_verbs"])
    for anc in trigger.ancestors:
        if anc.lemma_.lower() in verbs:
            return anc
    # "..., officials said": the reporting verb may be the root with the trigger clause as its ccomp/
    # parataxis sibling
    root = trigger
    while root.head.i != root.i:
        root = root.head
    if root.lemma_.lower() in verbs and root.i != trigger.i:
        return root
    # the parser sometimes hangs a sentence under a headline glued before it: take the first
    # reporting verb with a subject earlier in the trigger's own segment
    for tok in segment if segment is not None else []:
        if tok.i >= trigger.i:
            break
        if tok.lemma_.lower() in verbs and tok.pos_ == "VERB" and \
                any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return tok
    return None


def speaker_of(verb: Any) -> str:
    # the subject nearest the verb: a headline glued before the sentence may add a second "subject"
    for child in sorted((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), key=lambda c: -c.i):
        words = [t for t in child.subtree]
        # stop at a blank line: a headline glued to the sentence is not part of the speaker
        cut = max((i for i, t in enumerate(words) if t.is_space and "\n" in t.text), default=-1)
        text = " ".join(t.text for t in words[cut + 1:] if not t.is_space)
        if text:
            return text
    if verb.lower_ == "according":
        for child in verb.children:
            for pobj in child.children:
                return " ".join(t.text for t in pobj.subtree)
    return ""


def attribution(trigger: Any, doc_text: str, segment: Any = None) -> Attribution:
    c = cues()
    clause = list(trigger.subtree) + list(trigger.head.children if trigger.dep_ != "ROOT" else [])
    for tok in clause + list(trigger.ancestors):
        if tok.lower_ in c["hedge_words"]:
            return Attribution("hedged", "", tok.text)
    i, j = trigger.idx, trigger.idx + len(trigger.text)
    before = doc_text[max(0, i - 1):i]
    after = doc_text[j:j + 1]
    if before and after and before in QUOTE_CHARS and after in QUOTE_CHARS:
        return Attribution("hedged", "", "scare quotes")  # 'Captures': the outlet keeps its distance
    verb = reporting_verb(trigger, segment)
    if verb is None:
        return Attribution("reported", "", "")
    speaker = speaker_of(verb)
    lemma = verb.lemma_.lower()
    if lemma in c["deny_verbs"]:
        return Attribution("denied", speaker, verb.text)
    if lemma in c["claim_verbs"]:
        return Attribution("claimed", speaker, verb.text)
    return Attribution("reported", speaker, verb.text)


MODALS = {"should", "must", "shall", "can", "may", "might", "could", "would", "will", "'ll", "wo", "ought",
          "need", "ca"}
NEGATORS = {"no", "nobody", "none", "neither", "never", "nothing"}
CONDITIONAL_MARKS = {"if", "whether", "unless", "lest"}
# heads under which an infinitive is a realised act ("were able to arrest", "had to fire")
REALISED_INFINITIVE_HEADS = {"able", "manage", "succeed", "have", "go", "proceed", "come"}


def _negated_or_modal(verb: Any) -> bool:
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ == "aux" and child.lower_ in MODALS:
            return True
        if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
            return True
        if child.dep_ in ("aux", "auxpass") and child.lower_ in ("had", "were", "should") and any(
                s.dep_ in ("nsubj", "nsubjpass") and s.i > child.i for s in verb.children) and \
                verb.dep_ in ("advcl", "ccomp", "conj") and not any(c.dep_ == "mark" for c in verb.children):
            return True  # "had Singhal been detained, the problems would have been fewer"
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in NEGATORS | {"one"} and \
                (child.lower_ != "one" or any(c.lower_ == "no" for c in child.children)):
            return True  # "nobody was arrested", "no one was injured"
    return False


def is_irrealis(trigger: Any) -> bool:
    """Plans, wishes, possibilities, conditions and negations are not events ("aiming to capture it",
    "did not want to seize provinces", "would regain control", "demanded the arrest of", "no arrests
    were made", "orders to arrest anyone", "whether you use force")."""
    from sitroom.events.frames import lexicon

    words = set(cues()["irrealis_words"])
    habitual = set(cues()["habitual_words"])
    demand = set(cues()["demand_words"])
    irrealis_nouns = lexicon()["irrealis_nouns"]
    if _negated_or_modal(trigger):
        return True
    if trigger.pos_ in ("NOUN", "PROPN"):
        if any(c.dep_ == "det" and c.lower_ in NEGATORS for c in trigger.children):
            return True  # "no arrest was made"
        if trigger.dep_ in ("dobj", "pobj", "nsubjpass", "nsubj"):
            # "demanded the arrest of", "called for an attack", "the possibility of his arrest"
            head = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
            if head.lemma_.lower() in words | demand and head.pos_ in ("VERB", "AUX") or \
                    head.lemma_.lower() in irrealis_nouns and head.pos_ in ("NOUN", "PROPN"):
                return True
            if trigger.dep_ in ("nsubjpass", "nsubj", "dobj") and _negated_or_modal(trigger.head):
                return True  # "no arrests could be made", "nobody made arrests"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) and trigger.head.lemma_ == "be" \
            and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in trigger.head.children):
        return True  # "it was their job to fire at the mobs", "it is necessary to arrest them"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children):
        head = trigger.head
        if head.pos_ in ("NOUN", "PROPN", "ADJ") and head.lemma_.lower() not in REALISED_INFINITIVE_HEADS:
            return True  # "orders to arrest", "free to arrest us", "the statement to arrest"
    tok = trigger
    first = trigger  # "some protests and demonstrations": the first conjunct's relation is theirs
    while first.dep_ == "conj" and first.head.pos_ in ("NOUN", "PROPN") and first.head.i != first.i:
        first = first.head
    if trigger.pos_ in ("NOUN", "PROPN") and first.dep_ in ("dobj", "attr", "nsubj") \
            and first.head.pos_ in ("VERB", "AUX"):
        if _negated_or_modal(first.head):
            return True  # "there would have been some protests"
        tok = first.head  # "threatened to stage a dharna": the verb the noun is the object of
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and tok.head.pos_ in (
                "NOUN", "PROPN", "ADJ") and tok.head.lemma_.lower() not in REALISED_INFINITIVE_HEADS:
            return True  # "the decision to hold the dharna"
    crossed_prep = False  # under a preposition the act is a circumstance of the clause above
    while tok.dep_ in ("xcomp", "acl", "advcl", "pcomp", "pobj", "prep", "conj", "ccomp", "acomp") \
            and tok.head.i != tok.i:
        head = tok.head
        crossed_prep = crossed_prep or tok.dep_ == "prep"
        # a conjunct shares its head's clause but not its head's verb ("fighting continued and
        # the rebels had occupied ..."), so the head word itself is only checked for other relations
        if tok.dep_ == "conj" and head.pos_ in ("VERB", "AUX") and _negated_or_modal(head) and not any(
                c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in tok.children):
            return True  # "they will order a lathi charge or arrest us": the conjunct shares "will"
        if tok.dep_ != "conj":
            lemma = head.lemma_.lower()
            if lemma in words or (tok.dep_ in ("xcomp", "ccomp") and lemma in demand):
                return True
            if tok.dep_ == "xcomp" and lemma in habitual and not crossed_prep and (
                    tok.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)):
                return True  # "continue to arrest" (not "continued to seethe, with two killed")
            if tok.dep_ in ("xcomp", "pcomp", "prep", "pobj", "acomp") and head.pos_ in ("VERB", "AUX") and \
                    _negated_or_modal(head):
                return True  # "will not hesitate in arresting", "may be put under house arrest"
            if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in irrealis_nouns \
                    and head.head.pos_ in ("NOUN", "PROPN"):
                return True
        if tok.dep_ == "advcl" and any(c.lower_ == "to" for c in tok.children) and \
                any(c.lower_ == "order" for c in tok.subtree):
            return True
        if tok.dep_ == "ccomp":
            break  # a reported clause is judged by its own words, not by the reporting verb's
        tok = head
    return False


def has_background_cue(text: str) -> str:
    low = " " + text.lower() + " "
    for phrase in cues()["background_phrases"]:
        if phrase in low:
            return phrase
    return ""


def aggregate_phrase(sentence: str) -> str:
    """A phrase that makes a sentence a tally over days or places ("so far", "over the past five
    days", "all over the state", "per cent of"): its figures are no one event's."""
    low = " " + " ".join(sentence.lower().split()) + " "
    for phrase in cues()["aggregate_phrases"]:
        if f" {phrase} " in low or f" {phrase}," in low:
            return phrase
    return ""


def has_aggregate_cue(words: list[str]) -> str:
    agg = set(cues()["aggregate_words"])
    for w in words:
        if w.lower() in agg:
            return w
    return ""
