"""Attribution extraction on a spaCy dependency parse: cue (speech verb), source (who), content (what).

Rules, not a trained model: the parse already gives subject, clausal complement and object of a
speech verb, and quotation marks give the exact extent of direct speech; a lexicon of cue verbs
(data/quotes/cue_verbs.csv) decides which verbs introduce attributions and what their object is.

An ``Attribution`` keeps token indices for every part so that the PolNeAR evaluation can score
spans, while ``sitroom.quotes`` turns it into the pipeline's ``Quote`` record.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitroom.nlp import doc_text
from sitroom.quotes.lexicon import CueVerb, Lexicon, load_lexicon

OPEN_QUOTES = "“„«"
CLOSE_QUOTES = "”»"
STRAIGHT_QUOTES = '"'
QUOTE_MARK = re.compile("``|''|[\n" + OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTES + "]")
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
    phrase: set[int] = field(default_factory=set)  # the cue verb's own phrase: "Cruz said Monday"
    quote_regions: set[int] = field(default_factory=set)

    @property
    def start_token(self) -> int:
        return min(self.content)


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included; an unclosed quote ends at the line end.

    Marks: curly quotes and guillemets, straight double quotes, and the ASCII typesetting pairs
    ``...'' and ''...'' (used by some wires and archives).
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in QUOTE_MARK.finditer(text):
        mark, i = m.group(), m.start()
        if mark == "\n":
            if open_at is not None:
                regions.append((open_at, i))
                open_at = None
        elif mark in OPEN_QUOTES or mark == "``":
            open_at = i if open_at is None else open_at
        elif mark in CLOSE_QUOTES:
            if open_at is not None:
                regions.append((open_at, m.end()))
                open_at = None
        elif open_at is None:  # straight quotes and '' toggle
            open_at = i
        else:
            regions.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        regions.append((open_at, len(text)))
    return [r for r in regions if r[1] - r[0] > 2]




def sentence_bounds(doc: Any) -> list[tuple[int, int]]:
    """(start, end) token bounds of each token's sentence, computed once.

    Token.sent re-checks the whole Doc's annotation on every call (linear in the Doc), so it is
    never used per token here.
    """
    bounds: list[tuple[int, int]] = [(0, len(doc))] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            bounds[i] = (sent.start, sent.end)
    return bounds


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


def _subject_of(verb: Any, lex: Lexicon) -> Any | None:
    """The speaker of a cue verb: its own subject, a passive agent, or the subject of its head."""
    seen = 0
    cur = verb
    head = verb.head
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and head.dep_ == "ccomp" and _is_cue(head.head, lex):
        # "Lyons said the Taliban had taken 50 districts, warning that ...": Lyons warns
        cur = head.head
    while cur is not None and seen < 4:
        for c in cur.children:
            if c.dep_ in SUBJECT_DEPS and _is_dateline(c, verb):
                continue  # "new delhi: prime minister vajpayee said": the parse's other subject
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


def _is_dateline(tok: Any, verb: Any) -> bool:
    """A phrase that opens its sentence and ends at a colon before the verb: a dateline
    ("new delhi: ...", "KABUL: ..."), which case-folded text lets the parser read as a subject."""
    span = sorted(t.i for t in tok.subtree)
    doc = tok.doc
    end = span[-1] + 1
    return (end < len(doc) and doc[end].text == ":" and end < verb.i
            and (span[0] == tok.sent.start or doc[span[0] - 1].is_space))


def _is_cue(tok: Any, lex: Lexicon) -> CueVerb | None:
    if not tok.tag_.startswith("VB"):
        return None
    return lex.cues.get(tok.lemma_.lower())


def _content_from_verb(verb: Any, cue: CueVerb, cue_tokens: list[int]) -> set[int]:
    content: set[int] = set()
    for c in verb.children:
        if c.dep_ == "xcomp" and not cue.xcomp:
            continue
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
    if not content and verb.dep_ in ("ccomp", "parataxis") and (verb.head.i < verb.i or verb.dep_ == "parataxis"):
        # "The situation is changing, he told reporters." / "The problem, she said, is that ...":
        # the cue hangs off the reported clause
        head = verb.head
        while head.dep_ in ("aux", "auxpass") and head.head.i != head.i:
            head = head.head  # the parser sometimes hangs the cue on an auxiliary ("is now closed")
        content = _subtree(head) - _subtree(verb)
    return content


def _after_colon(doc: Any, verb: Any, tok_region: list[int], sents: list[tuple[int, int]]) -> set[int]:
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
    if "\n" in doc_text(doc)[doc[j].idx : doc[k].idx]:
        # "... as follows:" closing a paragraph: the next paragraph is what was said
        nxt = _line_of(doc_text(doc), doc[k].idx)
        return {i for i in range(k, len(doc)) if doc[i].idx < nxt[1]}
    if tok_region[k] >= 0:
        r = tok_region[k]
        return {i for i in range(k, len(doc)) if tok_region[i] == r}
    return set(range(k, sents[k][1]))


MAX_GAP = 8  # tokens between a quotation and its cue phrase ("”, Sarandon, 69, told")


def _adjacent_quote(
    doc: Any, verb: Any, tok_region: list[int], regions: Sequence[tuple[int, int]]
) -> tuple[set[int], set[int]]:
    """A quotation right before ("“...,” Ramos told AFP") or after ("said, “...”") the cue phrase.

    Returns the quotation's tokens and, for a quotation before the cue, the words between them
    (the speaker when the parser did not attach it as subject).
    """
    line = _line_of(doc_text(doc), verb.idx)
    # before: walk left over at most MAX_GAP tokens with no verb among them
    j = verb.i - 1
    between: list[int] = []
    while j >= 0 and tok_region[j] < 0 and len(between) <= MAX_GAP and doc[j].idx >= line[0]:
        if doc[j].pos_ in ("VERB", "AUX"):
            break
        between.append(j)
        j -= 1
    if j >= 0 and tok_region[j] >= 0 and doc[j].idx >= line[0] and len(between) <= MAX_GAP:
        r = tok_region[j]
        speaker = {i for i in between if not doc[i].is_punct and not doc[i].like_num}
        return {i for i in range(max(0, j - 400), j + 1) if tok_region[i] == r}, speaker
    # after: the cue's own phrase (subject after the verb, hearer) then a quotation
    k = verb.i + 1
    gap = 0
    while k < len(doc) and tok_region[k] < 0 and gap <= MAX_GAP and doc[k].idx < line[1]:
        if doc[k].pos_ in ("VERB", "AUX"):
            return set(), set()
        gap += 1
        k += 1
    if k < len(doc) and tok_region[k] >= 0 and doc[k].idx < line[1]:
        r = tok_region[k]
        return {i for i in range(k, min(len(doc), k + 400)) if tok_region[i] == r}, set()
    return set(), set()


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
    doc: Any, content: set[int], cue_sent: tuple[int, int], tok_region: list[int]
) -> tuple[set[int], set[int]]:
    """Extend content to whole quotations it touches (direct speech is quoted whole)."""
    touched = {tok_region[i] for i in content if tok_region[i] >= 0}
    if not touched:
        return content, set()
    extended = set(content)
    for i in range(max(0, cue_sent[0] - 80), min(len(doc), cue_sent[1] + 400)):
        if tok_region[i] in touched:
            extended.add(i)
    return extended, touched


def extract_attributions(doc: Any, lexicon: Lexicon | None = None, classes: Iterable[str] | None = None) -> list[Attribution]:
    """All attributions in a Doc, in text order; ``classes`` limits cue classes (speech, cognition, according)."""
    lex = lexicon or load_lexicon()
    allowed = set(classes) if classes is not None else {"speech", "cognition", "evidence", "according"}
    regions = quote_regions(doc_text(doc))
    tok_region = _token_regions(doc, regions)
    sents = sentence_bounds(doc)
    found: list[Attribution] = []
    for tok in doc:
        if tok_region[tok.i] >= 0:
            continue  # a verb inside a quotation is the speaker's own words
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            if "according" in allowed:
                att = _according_to(doc, tok, tok_region, sents)
                if att is not None:
                    found.append(att)
            continue
        cue = _is_cue(tok, lex)
        if cue is None or cue.cls not in allowed:
            continue
        if tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl") and not any(c.dep_ in SUBJECT_DEPS for c in tok.children):
            continue  # "when asked about ...", "Asked what ...": the speaker is being addressed
        cue_tokens = [tok.i]
        for c in tok.children:
            # "has also said", "did not deny": auxiliaries and adverbs right before the verb
            if c.dep_ in ("neg", "aux", "auxpass", "advmod", "prt") and abs(c.i - tok.i) <= 3 and not c.is_punct:
                if c.dep_ != "advmod" or c.i < tok.i:
                    cue_tokens.append(c.i)
        content = _content_from_verb(tok, cue, cue_tokens)
        line = _line_of(doc_text(doc), tok.idx)
        content = {i for i in content if line[0] <= doc[i].idx < line[1]}
        if not content:
            content = _after_colon(doc, tok, tok_region, sents)
        subj = _subject_of(tok, lex)
        source = _subtree(subj) if subj is not None else set()
        if not content:
            content, between = _adjacent_quote(doc, tok, tok_region, regions)
            if not source and between:
                source = between
        if subj is not None and subj.dep_ != "nsubj" and tok.dep_ == "relcl" and subj.i == tok.head.i:
            source = {subj.i} | {t.i for c in subj.children if c.dep_ in ("compound", "amod", "det", "poss") for t in c.subtree}
        source = {i for i in source if line[0] <= doc[i].idx < line[1]}
        content -= source | set(cue_tokens)
        content, touched = _snap_to_quotes(doc, content, sents[tok.i], tok_region)
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
                phrase=_subtree(tok) - set(cleaned),
            )
        )
    if "speech" in allowed:
        found.extend(_speaker_colons(doc, found, tok_region))
    _attach_continuations(doc, found, tok_region)
    _attach_quoted_sentences(doc, found, tok_region)
    found.sort(key=lambda a: a.start_token)
    return found


MAX_NAME = 6  # tokens of a "Name:" speaker label


def _speaker_colons(doc: Any, found: list[Attribution], tok_region: list[int]) -> list[Attribution]:
    """Transcript and excerpt labels: "Chris Matthews: Seriously, ..." / "More from Jones: “...”".

    The words before the colon must be a person's name (a PERSON entity) or follow "from"; place
    names are datelines ("KUNDUZ: The Taliban ..."), not speakers.
    """
    text = doc_text(doc)
    owned = {i for a in found for i in (*a.content, *a.cue, *a.source)}
    out: list[Attribution] = []
    for colon in doc:
        if colon.text != ":" or tok_region[colon.i] >= 0 or colon.i in owned:
            continue
        line = _line_of(text, colon.idx)
        j = colon.i - 1
        name: list[int] = []
        while j >= 0 and doc[j].idx >= line[0] and len(name) < MAX_NAME:
            t = doc[j]
            if t.pos_ == "PROPN" or (t.text in ".-" and not t.whitespace_):
                name.insert(0, j)
                j -= 1
            else:
                break
        if not name:
            continue
        before = doc[j] if j >= 0 and doc[j].idx >= line[0] else None
        after_from = before is not None and before.lower_ == "from"
        if before is not None and not after_from and before.text not in "-—–\"“":
            continue
        if any(doc[i].ent_type_ in ("GPE", "LOC", "NORP") for i in name):
            continue
        if not after_from and not any(doc[i].ent_type_ == "PERSON" for i in name):
            continue
        k = colon.i + 1
        while k < len(doc) and doc[k].is_space and doc[k].idx < line[1]:
            k += 1
        if k >= len(doc) or doc[k].idx >= line[1]:
            continue
        if tok_region[k] >= 0:
            content = {i for i in range(k, min(len(doc), k + 400)) if tok_region[i] == tok_region[k]}
        else:
            content = {i for i in range(k, len(doc)) if doc[i].idx < line[1]}
        cleaned = _clean(doc, content, tok_region)
        if sum(1 for i in cleaned if doc[i].is_alpha) < 3 or any(i in owned for i in cleaned):
            continue
        n_quoted = sum(1 for i in cleaned if tok_region[i] >= 0)
        out.append(
            Attribution(cue=[colon.i], source=name, content=cleaned, lemma=":", cls="speech", stance="assert",
                        quoted=n_quoted * 2 >= len(cleaned), phrase={colon.i, *name})
        )
        owned |= set(cleaned) | set(name) | {colon.i}
    return out


def _line_of(text: str, at: int) -> tuple[int, int]:
    """Character bounds of the line (paragraph) around ``at``: attributions do not cross them."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, (len(text) if end < 0 else end)


def _according_to(doc: Any, tok: Any, tok_region: list[int], sents: list[tuple[int, int]]) -> Attribution | None:
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
    s0, s1 = sents[tok.i]
    clause = _subtree(head) if head.i not in phrase else set(range(s0, s1))
    line = _line_of(doc_text(doc), tok.idx)
    content = {i for i in clause - phrase - source if s0 <= i < s1 and line[0] <= doc[i].idx < line[1]}
    cleaned = _clean(doc, content, tok_region)
    if sum(1 for i in cleaned if not doc[i].is_punct) < 2:
        return None
    return Attribution(cue=[tok.i, to.i], source=sorted(source), content=cleaned, lemma="according to", cls="according", stance="assert")


def _attach_continuations(doc: Any, found: list[Attribution], tok_region: list[int]) -> None:
    """A quotation with no cue of its own continues the quoted attribution just before it.

    "“A,” Varmus said. “B. C.”" and "“A,” he said, “B.”": B and C belong to Varmus's / his quote,
    as long as nothing but that attribution's own cue and source lies between them.
    """
    quoted = sorted((a for a in found if a.quoted), key=lambda a: max(a.content))
    if not quoted:
        return
    owned = {i for a in found for i in (*a.content, *a.cue, *a.source)}
    region_tokens: dict[int, list[int]] = {}
    for i, r in enumerate(tok_region):
        if r >= 0:
            region_tokens.setdefault(r, []).append(i)
    for r in sorted(region_tokens):
        toks = region_tokens[r]
        if any(i in owned for i in toks) or sum(1 for i in toks if doc[i].is_alpha) < 2:
            continue
        before = [a for a in quoted if max((*a.content, *a.cue, *a.source)) < toks[0]]
        if not before:
            continue
        last = max(before, key=lambda a: max((*a.content, *a.cue, *a.source, *a.phrase)))
        own = set(last.content) | set(last.cue) | set(last.source)
        gap = range(max(own) + 1, toks[0])
        if any(not (doc[i].is_punct or doc[i].is_space or i in last.phrase) for i in gap):
            continue
        if doc_text(doc)[doc[max(own)].idx : doc[toks[0]].idx].count("\n\n") > 1:
            continue
        last.content = sorted(set(last.content) | set(toks))
        owned |= set(toks)


def _attach_quoted_sentences(doc: Any, found: list[Attribution], tok_region: list[int]) -> None:
    """A quoted sentence with no cue of its own continues the previous quoted attribution (sentence level)."""
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
