"""Who is speaking: the name and role in a source phrase, pronouns and surnames resolved in-article.

"Kunduz provincial council member Khaliddin Hakmi" -> name "Khaliddin Hakmi", role "Kunduz
provincial council member"; "Tariq Arian, a spokesman for the Ministry of Interior" -> role
"Ministry of Interior spokesman"; "he" -> the nearest earlier named speaker of the article.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom.quotes.lexicon import Lexicon
from sitroom.nlp import entities

PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
DETERMINERS = {"a", "an", "the", "its", "his", "her", "their"}
NAME_JOINERS = {"-", "'", "’"}
# "spokesman for the Ministry of Interior" -> "Ministry of Interior spokesman"
OF_PHRASE = re.compile(r"^(?P<head>(?:\w+ )?\w+) (?:of|for|to) (?:the )?(?P<org>.+)$")
MINISTRY_OF = re.compile(r"\bMinistry of (?:the )?(\w+)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def non_speaker_words() -> frozenset[str]:
    text = resources.files("sitroom.data").joinpath("quotes", "non_speakers.csv").read_text(
        encoding="utf-8")
    rows = csv.DictReader(io.StringIO("\n".join(
        line for line in text.splitlines() if not line.startswith("#"))))
    return frozenset(r["word"].strip().lower() for r in rows)


def names_nobody(name: str) -> bool:
    """A speaker "name" that says nobody: only pronouns, determiners and function words
    ("they", "it", "the"), or no letter at all."""
    words = re.findall(r"[^\W\d_]+", name.lower())
    return not words or all(w in non_speaker_words() for w in words)


@dataclass
class Speaker:
    name: str  # person or organisation name as written, or the source phrase when unnamed
    role: str = ""
    person: bool = False  # a named person (not an organisation or a bare description)
    pronoun: bool = False  # needs resolving to an antecedent
    role_only: bool = False  # "the Taliban spokesman": a definite description, no name


def _name_chain(head: Any, lex: Lexicon, span_ids: set[int]) -> list[Any]:
    """The run of proper-noun tokens ending at ``head`` (stopping at role words: "Governor")."""
    doc = head.doc
    if head.pos_ != "PROPN" or head.lower_ in lex.role_nouns:
        return []
    i = head.i
    while i - 1 in span_ids:
        prev = doc[i - 1]
        if prev.pos_ == "PROPN" and prev.lower_ not in lex.role_nouns:
            i -= 1
        elif prev.text in NAME_JOINERS and i - 2 in span_ids and not prev.whitespace_:
            i -= 1
        elif not prev.whitespace_ and prev.is_alpha and prev.lower_ not in lex.role_nouns:
            i -= 1  # "Mohib-ul": pieces glued without spaces
        else:
            break
    j = head.i
    while j + 1 in span_ids:
        nxt = doc[j + 1]
        if not doc[j].whitespace_ and (nxt.is_alpha or nxt.text in NAME_JOINERS):
            j += 1  # "Mohib-ul Rahman" split by the tokenizer
        else:
            break
    while j > i and doc[j].text in NAME_JOINERS:
        j -= 1
    return [doc[k] for k in range(i, j + 1)]


def _strip_edges(words: list[Any]) -> list[Any]:
    while words and (words[0].is_punct or words[0].lower_ in DETERMINERS or words[0].is_space):
        words = words[1:]
    while words and (words[-1].is_punct or words[-1].is_space or words[-1].tag_ == "POS"):
        words = words[:-1]
    return words


def _text(words: list[Any]) -> str:
    if not words:
        return ""
    doc = words[0].doc
    return re.sub(r"\s+", " ", doc[words[0].i : words[-1].i + 1].text).strip()


def normalise_role(role: str) -> str:
    """Put "X of/for the Y" titles into the "Y X" form news use most ("Interior Ministry spokesman")."""
    role = re.sub(r"\s+", " ", role).strip(" ,;:")
    role = re.sub(r"^(?:a|an|the)\s+", "", role, flags=re.IGNORECASE)
    role = MINISTRY_OF.sub(lambda mm: f"{mm.group(1)} Ministry", role)
    m = OF_PHRASE.match(role)
    if m and len(m.group("org").split()) <= 6 and not re.search(r"\b(?:of|for|to|on)\b", m.group("org")):
        role = f"{m.group('org')} {m.group('head')}"
    return role


def describe_source(doc: Any, source: list[int], lex: Lexicon, people: list[Any] | None = None) -> Speaker | None:
    """Name, role and kind of the source phrase of an attribution.

    ``people``: the Doc's PERSON entities, computed once per Doc by the caller (doc.ents builds
    new Span objects on every access).
    """
    # a dateline or label glued before a colon ("new delhi: uttar pradesh governor ... said") is
    # never part of who speaks
    colons = [k for k, i in enumerate(sorted(source)) if doc[i].text == ":"]
    if colons:
        source = sorted(source)[colons[-1] + 1:]
    if not source:
        return None
    if people is None:
        people = [e for e in entities(doc) if e.label_ == "PERSON"]
    ids = set(source)
    toks = [doc[i] for i in source]
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    root = roots[0] if roots else toks[0]
    if root.lower_ in PERSONAL_PRONOUNS and len(toks) <= 2:
        return Speaker(name=root.text, pronoun=True)
    # the name: the root itself ("Khaliddin Hakmi said"), or an appositive ("the head ..., Sayed Jan Khakriwal")
    candidates = [root] + [c for c in root.children if c.dep_ == "appos" and c.i in ids]
    name_toks: list[Any] = []
    for cand in candidates:
        if cand.ent_type_ == "PERSON":
            # the entity is better than the proper-noun run: "for Afghanistan Deborah Lyons"
            ent = next((e for e in people if e.start <= cand.i < e.end), None)
            if ent is not None:
                name_toks = [t for t in ent if t.i in ids]
        if not name_toks:
            name_toks = _name_chain(cand, lex, ids)
        if name_toks:
            break
    ents = [e for e in people if e.start in ids and e.end - 1 in ids]
    if not name_toks and ents:
        ent = max(ents, key=len)
        name_toks = list(ent)
    name_ids = {t.i for t in name_toks}
    is_person = bool(name_toks) and (
        any(t.ent_type_ == "PERSON" for t in name_toks)
        or any(t.lower_ in lex.role_nouns for t in toks if t.i not in name_ids)
        or (len(name_toks) >= 2 and not any(t.ent_type_ in ("ORG", "GPE", "NORP", "FAC") for t in name_toks))
    )
    # the role: the rest of the phrase, without determiners, punctuation and relative clauses
    rel = {t.i for t in toks if t.dep_ in ("relcl", "acl") for t in t.subtree}
    rest = [t for t in toks if t.i not in name_ids and t.i not in rel]
    role = ""
    if name_toks and rest:
        before = _strip_edges([t for t in rest if t.i < name_toks[0].i])
        after = _strip_edges([t for t in rest if t.i > name_toks[-1].i])
        parts = [p for p in (before, after) if p and any(t.lower_ in lex.role_nouns for t in p)]
        role = " ".join(normalise_role(_text(p)) for p in parts)
    if name_toks:
        return Speaker(name=_text(name_toks), role=role, person=is_person)
    described = _strip_edges([t for t in toks if t.i not in rel])
    definite = bool(toks) and toks[0].lower_ == "the"
    has_role = any(t.lemma_.lower() in lex.role_nouns or t.lower_ in lex.role_nouns for t in described)
    role = normalise_role(_text(described)) if has_role else ""
    # keep an indefinite article in the name: "an army officer" is nobody in particular
    kept = [t for t in toks if t.i not in rel]
    while kept and (kept[0].is_punct or kept[0].is_space or kept[0].lower_ == "the"):
        kept = kept[1:]
    while kept and (kept[-1].is_punct or kept[-1].is_space):
        kept = kept[:-1]
    role_only = definite and bool(role) and root.tag_ in ("NN", "NNP")
    return Speaker(name=role if role_only else (_text(kept) or _text(toks)), role=role, role_only=role_only)
