"""Quotes stage: direct and indirect quotes with speaker, role and stance.

Interface used by the pipeline:
- extract_quotes(doc, article_id) -> list[Quote]
- canonicalise_speakers(quotes) -> the same quotes with speaker_canonical and speaker_role filled
  across all articles of a run.

Conventions of the Quote records made here: ``speaker`` is the name as written in the article, with
pronouns ("he told AFP") and bare surnames ("Rahman said") resolved to the full name used earlier in
the same article; an unnamed source keeps its description ("an army officer"). A definite role-only
source ("the Taliban spokesman") has ``speaker == speaker_role`` before canonicalisation, which is how
canonicalise_speakers recognises it.
"""

from __future__ import annotations

from typing import Any

from sitroom.quotes.canonical import canonicalise_speakers
from sitroom.quotes.extract import Attribution, extract_attributions, quote_regions
from sitroom.quotes.lexicon import load_lexicon
from sitroom.nlp import doc_text, entities
from sitroom.quotes.speakers import Speaker, describe_source, names_nobody
from sitroom.records import Quote

__all__ = ["extract_quotes", "canonicalise_speakers", "extract_attributions"]

# thoughts and wishes ("he believes", "they want") are attributions but not quotes
QUOTE_CLASSES = ("speech", "according")


def _char_spans(doc: Any, toks: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = -2
    for i in toks:
        t = doc[i]
        if spans and i == prev + 1:
            spans[-1] = (spans[-1][0], t.idx + len(t.text))
        else:
            spans.append((t.idx, t.idx + len(t.text)))
        prev = i
    return spans


def _person_mentions(doc: Any, people: list[Any], attributions: list[Attribution]) -> list[tuple[int, str]]:
    """(token index, name) of people named as subjects outside any quotation or reported content."""
    inside = {i for a in attributions for i in a.content}
    regions = quote_regions(doc_text(doc))
    out: list[tuple[int, str]] = []
    for ent in people:
        if ent.root.dep_ not in ("nsubj", "nsubjpass", "appos"):
            continue
        if any(i in inside for i in range(ent.start, ent.end)):
            continue
        if any(a <= ent.start_char < b for a, b in regions):
            continue
        out.append((ent.start, ent.text))
    return out


def _resolve(
    att: Attribution,
    speaker: Speaker,
    earlier: list[tuple[Attribution, Speaker]],
    mentions: list[tuple[int, str]],
) -> Speaker:
    """Pronouns and surnames point back to the nearest fitting speaker earlier in the article."""
    cue_at = att.cue[0]
    if speaker.pronoun:
        best: tuple[int, Speaker] | None = None
        for prev_att, prev in earlier:
            at = min(prev_att.source) if prev_att.source else prev_att.cue[0]
            if not prev.pronoun and (prev.person or prev.role) and not _plural(prev) and at < cue_at:
                if best is None or at > best[0]:
                    best = (at, prev)
        for at, name in mentions:
            if at < cue_at and (best is None or at > best[0]):
                best = (at, Speaker(name=name, person=True))
        if best is not None:
            prev = best[1]
            return Speaker(name=prev.name, role=prev.role, person=prev.person, role_only=prev.role_only)
        return speaker
    if speaker.person and len(speaker.name.split()) == 1:
        for _, prev in reversed(earlier):
            if prev.person and len(prev.name.split()) > 1 and prev.name.split()[-1] == speaker.name:
                return Speaker(name=prev.name, role=speaker.role or prev.role, person=True)
        for at, name in reversed(mentions):
            words = name.split()
            if at < cue_at and len(words) > 1 and words[-1] == speaker.name:
                return Speaker(name=name, role=speaker.role, person=True)
    return speaker


def _plural(sp: Speaker) -> bool:
    last = sp.name.split()[-1].lower() if sp.name else ""
    return not sp.person and last.endswith("s") and not last.endswith("ss")


def _drop_redundant(attributions: list[Attribution]) -> list[Attribution]:
    """"X said Y, according to AFP": the medium repeats X's quote; keep X's."""
    spoken = [set(a.content) for a in attributions if a.cls != "according"]
    return [
        a
        for a in attributions
        if a.cls != "according" or not any(len(set(a.content) & s) * 2 >= len(a.content) for s in spoken)
    ]


def extract_quotes(doc: Any, article_id: str) -> list[Quote]:
    """Direct and indirect quotes of one article (its cleaned text parsed by spaCy)."""
    lex = load_lexicon()
    attributions = _drop_redundant(extract_attributions(doc, lex, classes=QUOTE_CLASSES))
    earlier: list[tuple[Attribution, Speaker]] = []
    people = [e for e in entities(doc) if e.label_ == "PERSON"]
    mentions = _person_mentions(doc, people, attributions)
    quotes: list[Quote] = []
    for att in sorted(attributions, key=lambda a: a.cue[0]):
        described = describe_source(doc, att.source, lex, people)
        if described is None:
            continue  # "it was reported that ...": nobody to attribute it to
        speaker = _resolve(att, described, earlier, mentions)
        earlier.append((att, speaker))
        if speaker.pronoun or names_nobody(speaker.name):
            continue  # unresolved "he", "they", "it": not worth a row with no speaker
        spans = _char_spans(doc, att.content)
        start, end = spans[0][0], spans[-1][1]
        role = speaker.role
        name = speaker.name
        if speaker.role_only:
            name = role  # marks a role-only source for canonicalise_speakers
        quotes.append(
            Quote(
                quote_id=f"{article_id}:{start}-{end}",
                article_id=article_id,
                speaker=name,
                text=" ... ".join(doc_text(doc)[a:b] for a, b in spans),
                kind="direct" if att.quoted else "indirect",
                stance=att.stance,
                speaker_role=role,
                cue=" ".join(doc[i].text for i in att.cue),
                start=start,
                end=end,
            )
        )
    quotes.sort(key=lambda q: q.start)
    return quotes
