"""Attribution extraction on a spaCy dependency parse: cue (speech verb), source (who), content (what).

Rules, not a trained model: the parse already gives subject, clausal complement and object of a
speech verb, and quotation marks give the exact extent of direct speech; a lexicon of cue verbs
(data/quotes/cue_verbs.csv) decides which verbs introduce attributions and what their object is.

An ``Attribution`` keeps token indices for every part so that the PolNeAR evaluation can score
spans, while ``sitroom.quotes`` turns it into the pipeline's ``Quote`` record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitroom.quotes.lexicon import CueVerb, Lexicon, load_lexicon

OPEN_QUOTES = "“„«"
CLOSE_QUOTES = "”»"
STRAIGHT_QUOTES = '"'
SUBJECT_DEPS = ("nsubj",)
CLAUSE_DEPS = ("ccomp", "xcomp")
OBJECT_DEPS = ("dobj", "obj")
HEARER_DEPS = ("dative",)
# a cue verb reached through these relations shares the subject of its head ("denied ... and said")
SUBJECT_SHARING_DEPS = ("conj", "xcomp", "advcl")
PRONOUNS = {"he", "she", "him", "her"}


@dataclass
class Attribution:
    """One attribution relation in a Doc, as sorted token indices."""

    cue: list[int]
    source: list[int]
    content: list[int]
    lemma: str
    cls: str  # speech | cognition | according
    stance: str  # assert | deny
    quoted: bool = False  # content (mostly) inside quotation marks
    quote_regions: set[int] = field(default_factory=set)

    @property
    def start_token(self) -> int:
        return min(self.content)


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included; an unclosed quote ends at the line end."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None:
            regions.append((open_at, i))
            open_at = None
        elif ch in OPEN_QUOTES:
            open_at = i if open_at is None else open_at
        elif ch in CLOSE_QUOTES:
            if open_at is not None:
                regions.append((open_at, i + 1))
                open_at = None
        elif ch in STRAIGHT_QUOTES:
            if open_at is None:
                open_at = i
            else:
                regions.append((open_at, i + 1))
                open_at = None
    if open_at is not None:
        regions.append((open_at, len(text)))
    return [r for r in regions if r[1] - r[0] > 2]


def _token_regions(doc: Any, regions: Sequence[tuple[int, int]]) -> list[int]:
    """For every token, the index of the quotation it lies in (marks included), or -1."""
    out = [-1] * len(doc)
    k = 0
    for tok in doc:
        while k < len(regions) and regions[k][1] <= tok.idx:
            k += 1
        if k < len(regions) and regions[k][0] <= tok.idx < regions[k][1]:
            out[tok.i] = k
    return out


def _subtree(tok: Any) -> set[int]:
    return {t.i for t in tok.subtree}


def _subject_of(verb: Any) -> Any | None:
    """The speaker of a cue verb: its own subject, a passive agent, or the subject of its head."""
    seen = 0
    cur = verb
    while cur is not None and seen < 4:
        for c in cur.children:
            if c.dep_ in SUBJECT_DEPS:
                if c.tag_ in ("WP", "WDT") and cur.dep_ == "relcl":
                    return cur.head  # "officials who said": the officials
                return c
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
        if cur.dep_ == "relcl":  # "the official, who said ..."
            return cur.head
        if cur.dep_ in SUBJECT_SHARING_DEPS and cur.head.i != cur.i:
            cur = cur.head
            seen += 1
            continue
        return None
    return None


def _is_cue(tok: Any, lex: Lexicon) -> CueVerb | None:
    if not tok.tag_.startswith("VB"):
        return None
    return lex.cues.get(tok.lemma_.lower())


def _content_from_verb(verb: Any, cue: CueVerb, cue_tokens: list[int]) -> set[int]:
    content: set[int] = set()
    for c in verb.children:
        if c.dep_ in CLAUSE_DEPS and c.i > verb.i:
            content |= _subtree(c)
        elif c.dep_ in CLAUSE_DEPS and c.i < verb.i:
            # fronted clause: "“We are ending the war,” he said."
            content |= _subtree(c)
        elif c.dep_ in OBJECT_DEPS and cue.object == "content":
            content |= _subtree(c)
        elif c.dep_ == "prep" and c.lower_ in cue.preps:
            cue_tokens.append(c.i)
            for p in c.children:
                content |= _subtree(p)
        elif c.dep_ == "prt" and c.lower_ in cue.preps:
            cue_tokens.append(c.i)
        elif c.dep_ in OBJECT_DEPS and cue.object == "hearer":
            # "urged the parties to negotiate": the xcomp of the object clause is the content
            for g in c.children:
                if g.dep_ in CLAUSE_DEPS:
                    content |= _subtree(g)
    if not content and verb.dep_ in ("ccomp", "parataxis") and verb.head.i < verb.i:
        # "The situation is changing, he told reporters.": the cue hangs off the reported clause
        head = verb.head
        content = _subtree(head) - _subtree(verb)
    return content


def _after_colon(doc: Any, verb: Any, tok_region: list[int], regions: Sequence[tuple[int, int]]) -> set[int]:
    """Content introduced by a colon after the cue phrase ("told the Council: “...”")."""
    last = max(t.i for t in verb.subtree)
    j = last + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    if j >= len(doc) or doc[j].text != ":":
        # the colon may be inside the verb's subtree (parser attaches it as punct)
        colon = [t.i for t in verb.children if t.text == ":" and t.i > verb.i]
        if not colon:
            return set()
        j = colon[0]
    k = j + 1
    while k < len(doc) and doc[k].is_space:
        k += 1
    if k >= len(doc):
        return set()
    if tok_region[k] >= 0:
        r = tok_region[k]
        return {i for i in range(k, len(doc)) if tok_region[i] == r}
    sent = doc[k].sent
    return set(range(k, sent.end))


def _clean(doc: Any, content: set[int], tok_region: list[int]) -> list[int]:
    """Trim punctuation and spaces at the edges of content runs, keeping quotation marks."""
    toks = sorted(content)
    keep = [i for i in toks if not doc[i].is_space]
    # trim edges outside quotations
    while keep and tok_region[keep[-1]] < 0 and (doc[keep[-1]].is_punct or doc[keep[-1]].is_space):
        keep.pop()
    while keep and tok_region[keep[0]] < 0 and (doc[keep[0]].is_punct or doc[keep[0]].is_space):
        if doc[keep[0]].text in OPEN_QUOTES + STRAIGHT_QUOTES:
            break
        keep.pop(0)
    return keep


def _snap_to_quotes(
    doc: Any, content: set[int], cue_sent: Any, tok_region: list[int]
) -> tuple[set[int], set[int]]:
    """Extend content to whole quotations it touches (direct speech is quoted whole)."""
    touched = {tok_region[i] for i in content if tok_region[i] >= 0}
    if not touched:
        return content, set()
    extended = set(content)
    for i in range(max(0, cue_sent.start - 80), min(len(doc), cue_sent.end + 400)):
        if tok_region[i] in touched:
            extended.add(i)
    return extended, touched


def extract_attributions(doc: Any, lexicon: Lexicon | None = None, classes: Iterable[str] | None = None) -> list[Attribution]:
    """All attributions in a Doc, in text order; ``classes`` limits cue classes (speech, cognition, according)."""
    lex = lexicon or load_lexicon()
    allowed = set(classes) if classes is not None else {"speech", "cognition", "according"}
    regions = quote_regions(doc.text)
    tok_region = _token_regions(doc, regions)
    found: list[Attribution] = []
    for tok in doc:
        if tok_region[tok.i] >= 0:
            continue  # a verb inside a quotation is the speaker's own words
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            if "according" in allowed:
                att = _according_to(doc, tok, tok_region)
                if att is not None:
                    found.append(att)
            continue
        cue = _is_cue(tok, lex)
        if cue is None or cue.cls not in allowed:
            continue
        cue_tokens = [tok.i]
        for c in tok.children:
            if c.dep_ == "neg":
                cue_tokens.append(c.i)
        content = _content_from_verb(tok, cue, cue_tokens)
        if not content:
            content = _after_colon(doc, tok, tok_region, regions)
        subj = _subject_of(tok)
        source = _subtree(subj) if subj is not None else set()
        if subj is not None and subj.dep_ != "nsubj" and tok.dep_ == "relcl" and subj.i == tok.head.i:
            source = {subj.i} | {t.i for c in subj.children if c.dep_ in ("compound", "amod", "det", "poss") for t in c.subtree}
        line = _line_of(doc.text, tok.idx)
        source = {i for i in source if line[0] <= doc[i].idx < line[1]}
        content = {i for i in content if line[0] <= doc[i].idx < line[1]}
        content -= source | set(cue_tokens)
        content, touched = _snap_to_quotes(doc, content, tok.sent, tok_region)
        content -= source | set(cue_tokens)
        cleaned = _clean(doc, content, tok_region)
        if sum(1 for i in cleaned if not doc[i].is_punct) < 2:
            continue
        n_quoted = sum(1 for i in cleaned if tok_region[i] >= 0)
        found.append(
            Attribution(
                cue=sorted(cue_tokens),
                source=sorted(source - set(cleaned)),
                content=cleaned,
                lemma=cue.lemma,
                cls=cue.cls,
                stance=cue.stance,
                quoted=n_quoted * 2 >= len(cleaned),
                quote_regions=touched,
            )
        )
    _attach_continuations(doc, found, tok_region)
    found.sort(key=lambda a: a.start_token)
    return found


def _line_of(text: str, at: int) -> tuple[int, int]:
    """Character bounds of the line (paragraph) around ``at``: attributions do not cross them."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, (len(text) if end < 0 else end)


def _according_to(doc: Any, tok: Any, tok_region: list[int]) -> Attribution | None:
    """"According to X, Y": X is the source, the rest of the clause is the content."""
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    source = _subtree(pobj) if pobj is not None else set()
    phrase = _subtree(tok) | _subtree(to) | {tok.i, to.i}
    # the clause the phrase modifies: climb to the nearest verb
    head = tok.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    clause = _subtree(head) if head.i not in phrase else set(range(tok.sent.start, tok.sent.end))
    line = _line_of(doc.text, tok.idx)
    content = {i for i in clause - phrase - source if tok.sent.start <= i < tok.sent.end and line[0] <= doc[i].idx < line[1]}
    cleaned = _clean(doc, content, tok_region)
    if sum(1 for i in cleaned if not doc[i].is_punct) < 2:
        return None
    return Attribution(cue=[tok.i, to.i], source=sorted(source), content=cleaned, lemma="according to", cls="according", stance="assert")


def _attach_continuations(doc: Any, found: list[Attribution], tok_region: list[int]) -> None:
    """A quoted sentence with no cue of its own continues the previous quoted attribution."""
    if not found:
        return
    covered = {i for a in found for i in (*a.content, *a.cue, *a.source)}
    by_end = sorted(found, key=lambda a: max(a.content))
    for sent in doc.sents:
        toks = [t.i for t in sent if not t.is_space]
        if not toks or tok_region[toks[0]] < 0 or any(i in covered for i in toks):
            continue
        if any(tok_region[i] < 0 and not doc[i].is_punct for i in toks):
            continue  # partly outside quotes: not a pure continuation
        prev = [a for a in by_end if max(a.content) < toks[0] and a.quoted]
        if not prev:
            continue
        last = prev[-1]
        # only if nothing but other quoted material lies between them
        gap = range(max(last.content) + 1, toks[0])
        if any(i not in covered and tok_region[i] < 0 and not doc[i].is_space and not doc[i].is_punct for i in gap):
            continue
        last.content = sorted(set(last.content) | set(toks))
        covered |= set(toks)
