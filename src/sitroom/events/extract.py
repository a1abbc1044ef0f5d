"""Event mentions from one parsed article: triggers -> arguments -> ACLED rules -> filters -> article rules."""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import Any

from sitroom.events.acled import sub_type
from sitroom.events.actors import ArticleActors, demonyms, match_actor, police_forces, state_forces
from sitroom.events.frames import (Frame, Participants, code_for, frames, is_claimable, lexicon,
                                   meets_requirement, territorial_codes)
from sitroom.events.modality import aggregate_phrase, attribution, cues, has_aggregate_cue, has_background_cue, is_irrealis
from sitroom.events.fatalities import mention_count
from sitroom.events.numbers import Quantity, numbers_in
from sitroom.nlp import doc_text, entities
from sitroom.events.triggers import Trigger, find_triggers
from sitroom.records import Actor, EventMention, Place, PublicationDate, TimeExpr, Toponym

log = logging.getLogger(__name__)

CLAUSAL = {"ccomp", "advcl", "relcl", "conj", "parataxis", "xcomp", "csubj", "acl"}
# a nominal event under these prepositions is a time reference or circumstance of another event
# ("after an hour of fighting", "at the time of the attack", "crossed under attack")
CIRCUMSTANCE_PREPS = {"after", "following", "before", "amid", "during", "since", "at", "despite", "under",
                      "without", "until"}
# marks of a clause that times another ("after the riots broke out, ..."); not "when", whose
# clause is as often the event itself ("when police opened fire")
CIRCUMSTANCE_MARKS = {"after", "before", "since", "until", "till", "following", "once"}
PAST_ADVERBS = {"before", "previously", "formerly", "once", "historically"}
AGGREGATE_MIN_TERRITORIES = 20  # "more than 50 districts": a tally, not one event
TERRITORY_NOUNS = {"district", "districts", "area", "areas", "province", "provinces", "region", "regions",
                   "village", "villages", "town", "towns", "city", "cities", "post", "posts"}
ANAPHORIC_DETS = {"the", "these", "those", "such"}
DENIAL_OBJECTS = {"report", "claim", "allegation", "it", "this", "that", "account", "rumour", "rumor"}
# "fighting is underway/ongoing" describes a situation; ACLED needs a dated incident
ONGOING_WORDS = {"underway", "ongoing"}
# a mention's scope: "event" (an incident the article reports) or what else the sentence says of
# such acts; only events are fused into rows, the rest stay as the article's mentions
EVENT = "event"
NAMED = "named"  # an act named but not told as happening ("demanded the arrest of its leaders")
# types of one violent incident, whose doer one report of it may name for another
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}


@dataclass
class PlaceSpan:
    text: str
    start: int
    end: int
    place: Place | None
    is_country: bool
    token_i: int = -1  # index of the token the name starts in (-1: carried over from context)


@dataclass
class Candidate:
    mention: EventMention
    frame: str
    code: str
    own_date: bool  # the date came from an expression in the trigger's clause
    rank: int
    order: int
    extra_numbers: dict[str, list[Quantity]] = field(default_factory=dict)
    own_place: bool = True  # the place is named in the trigger's clause (not carried over from context)
    agent_named: bool = False  # actor1 is named in the text (not the frame's default)


# ---------------------------------------------------------------- spans and clauses

def local_clause(trigger: Any) -> list[Any]:
    """Tokens of the trigger's own clause: its verb's subtree without nested clauses of other verbs."""
    head = trigger
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    path = {trigger.i} | {a.i for a in trigger.ancestors}
    out: list[Any] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ in CLAUSAL and child.i not in path and child.pos_ in ("VERB", "AUX"):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def segments(sent: Any) -> list[Any]:
    """A sentence cut at blank lines: the parser sometimes joins a headline or caption to the next
    paragraph, and a headline's subject must not become the next sentence's speaker."""
    cuts = [t.i for t in sent if t.is_space and t.text.count("\n") >= 2]
    if not cuts:
        return [sent]
    doc = sent.doc
    out, start = [], sent.start
    for c in cuts + [sent.end]:
        if c > start and any(not t.is_space for t in doc[start:c]):
            out.append(doc[start:c])
        start = c + 1
    return out


def phrase_tokens(tok: Any) -> list[Any]:
    """A noun phrase without its relative/participial clauses."""
    out: list[Any] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "appos", "punct")
                     or (c.dep_ == "appos" and c.head.i == tok.i))
    return sorted(out, key=lambda t: t.i)


def _span(tokens: list[Any]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def text_of(tokens: list[Any]) -> str:
    return " ".join(t.text for t in tokens)


def place_spans(doc: Any, toponyms: list[Toponym]) -> list[PlaceSpan]:
    countries = set(demonyms())
    if toponyms:
        spans = [PlaceSpan(t.text, t.start, t.end, t.place,
                           (t.place is not None and (t.place.feature == "country" or not t.place.admin1))
                           or _bare(t.text) in countries) for t in toponyms]
    else:
        # geo stage absent: spaCy's place entities are the fallback (no coordinates)
        spans = [PlaceSpan(e.text, e.start_char, e.end_char, None, _bare(e.text) in countries)
                 for e in entities(doc) if e.label_ in ("GPE", "LOC", "FAC")]
    # the token each name starts in, found once per article (bisect over token offsets)
    starts = [t.idx for t in doc]
    for sp in spans:
        sp.token_i = max(0, bisect.bisect_right(starts, sp.start) - 1)
    return sorted(spans, key=lambda s: s.start)


def _bare(name: str) -> str:
    return name.lower().removeprefix("the ").strip()


def _is_destination(tok: Any, trigger: Any) -> bool:
    """Inside "into X", "to X", "across X", "towards X" below the trigger (where people went), or
    a thing's "from X" (where it came from): not where the event happened."""
    t = tok
    while t.i != trigger.i and t.head.i != t.i:
        if t.dep_ == "pobj" and t.head.lower_ in ("into", "to", "across", "towards", "toward"):
            # "the riots spread to Vadodara": where they spread is where they are
            return t.head.head.lemma_.lower() not in lexicon()["spread_verbs"]
        if t.dep_ == "pobj" and t.head.lower_ == "from" and t.head.head.pos_ in ("NOUN", "PROPN"):
            return True  # "25 trucks from Karnataka were burnt": where the trucks came from
        if t.dep_ == "pobj" and t.head.lower_ != "of":
            return False  # the place's own preposition ("looting goods in Bhavnagar") decides
        t = t.head
    return False


# ---------------------------------------------------------------- arguments

def _children(tok: Any, deps: tuple[str, ...]) -> list[Any]:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok: Any, preps: tuple[str, ...]) -> list[Any]:
    out = []
    for p in tok.children:
        if p.dep_ in ("prep", "agent") and p.lower_ in preps:
            out.extend(c for c in p.children if c.dep_ == "pobj")
    return out


def _reporting(tok: Any) -> bool:
    """A verb that reports (said, told, claimed, denied): its subject is a source, never the doer."""
    c = cues()
    return tok.lemma_.lower() in set(c["report_verbs"]) | set(c["claim_verbs"]) | set(c["deny_verbs"])


# nouns whose doer a death or injury "in" them names ("killed in police firing")
CAUSE_NOUNS = {"firing", "fire", "attack", "clash", "clashes", "shooting", "shootout", "encounter", "blast",
               "explosion", "bombing", "shelling", "airstrike", "strike", "violence", "riot", "riots", "ambush",
               "raid", "operation", "crossfire", "stampede"}


def _noun_agent(noun: Any) -> list[Any]:
    """The doer a noun names in its own phrase: "police firing", "the army's raid", "firing by police"."""
    agents = [o for a in noun.children if a.dep_ in ("prep", "agent") and a.lower_ == "by"
              for o in a.children if o.dep_ == "pobj"]
    if agents:
        return agents
    poss = _children(noun, ("poss",))
    if poss:
        return poss
    from sitroom.events.actors import lexicon_side

    return [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")
            and (lexicon_side(c.lower_) or lexicon_side(c.lemma_.lower()))]


def _noun_agent_word(tok: Any) -> str | None:
    """The side an actor word names ("police" in the small model's misparse of "police firing")."""
    from sitroom.events.actors import lexicon_side

    return lexicon_side(tok.lower_) or lexicon_side(tok.lemma_.lower())


def agent_tokens(trigger: Any) -> list[Any]:
    tok = trigger
    for _ in range(4):
        agents = [o for a in _children(tok, ("agent",)) for o in a.children if o.dep_ == "pobj"]
        if agents:
            return agents
        subj = _children(tok, ("nsubj",))
        if subj and _elided_passive(tok):
            break  # "four were burnt alive and two killed in police firing": "two" are victims
        if subj and _reporting(tok):
            return []  # a source is no doer
        if subj and tok.lemma_.lower() not in lexicon()["victim_subject_verbs"]:  # who "died" is a victim
            return subj
        if subj:
            break
        if _children(tok, ("nsubjpass",)):
            break  # "a mosque was attacked": a passive without "by" names no doer
        if tok.pos_ in ("NOUN", "PROPN"):
            own = _noun_agent(tok)
            if own:
                return own
        if tok.tag_ == "VBG" and tok.dep_ in ("conj", "advcl") and trigger.tag_ == "VBG":
            # "Taliban militants have conducted offensives, overrunning ... and capturing ...":
            # a participle's doer is the subject of the sentence's main clause
            root = tok.head
            while root.head.i != root.i:  # the main clause (Token.sent would rescan the document)
                root = root.head
            subj = _children(root, ("nsubj",))
            if subj and not _reporting(root):
                return subj
        if tok.dep_ == "xcomp" and _children(tok.head, ("dobj",)):
            return _children(tok.head, ("dobj",))  # "forcing the police to open fire": object control
        if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.i != tok.i and not _reporting(tok.head):
            tok = tok.head  # "seized X and took control of Y": shared subject
            continue
        if tok.dep_ in ("acl", "relcl") and tok.tag_ == "VBG":
            return [tok.head]  # "Taliban fighters, overrunning dozens of districts"
        break
    # "four people were killed in police firing": the doer of the act the deaths were "in"
    preps = ("in", "during", "to") if trigger.lemma_.lower() in lexicon()["victim_subject_verbs"] else ("in", "during")
    causes = _prep_objects(trigger, preps) + [o for d in trigger.children if d.lower_ in ("due", "owing")
                                             for o in _prep_objects(d, ("to",))
                                             + [c for c in d.children if c.dep_ == "pobj"]]
    # the small model also reads "died in police firing" as a clause: "firing" a verb under "in",
    # "police" its subject
    causes += [c for p in trigger.children if p.dep_ == "prep" and p.lower_ in preps
               for c in p.children if c.dep_ == "pcomp" and c.lower_ in CAUSE_NOUNS]
    doc = trigger.doc
    for cause in causes:
        if cause.lower_ in CAUSE_NOUNS or cause.lemma_.lower() in CAUSE_NOUNS:
            own = _noun_agent(cause) or \
                [c for c in cause.children if c.dep_ == "nsubj" and _noun_agent_word(c)]
            if own:
                return own
        # the small model reads "in police firing" as "police" with "firing" hanging on it or
        # beside it
        nxt = doc[cause.i + 1] if cause.i + 1 < len(doc) else None
        if _noun_agent_word(cause) and nxt is not None and nxt.lower_ in CAUSE_NOUNS:
            return [cause]
    return []


def _elided_passive(verb: Any) -> bool:
    """A past participle joined to a passive verb with its auxiliary left out ("were burnt and two
    killed"): the small model makes its subject an active one."""
    return (verb.tag_ == "VBN" and verb.dep_ == "conj"
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
            and any(c.dep_ == "auxpass" for c in verb.head.children))


def patient_tokens(trigger: Any) -> list[Any]:
    out = _children(trigger, ("dobj", "nsubjpass", "attr"))
    if trigger.lemma_.lower() in lexicon()["victim_subject_verbs"] or _elided_passive(trigger):
        out += _children(trigger, ("nsubj",))  # "three persons died"
    if trigger.dep_ == "relcl" and any(o.lower_ in ("who", "that", "which", "whom") for o in out):
        out = [o for o in out if o.lower_ not in ("who", "that", "which", "whom")] + [trigger.head]
    if trigger.dep_ == "acl" and trigger.tag_ == "VBN" and not out:
        out = [trigger.head]  # "one person killed in police firing"
    if trigger.pos_ == "NOUN":
        out += _prep_objects(trigger, ("of",))
    for d in list(out):
        if d.lemma_.lower() == "control":  # "took control of X"
            out += _prep_objects(d, ("of", "over"))
    return out


def actors_in(tokens: list[Any], ctx: ArticleActors, countries: bool = False) -> list[tuple[Actor, str]]:
    """Actors named in noun phrases: each head and its conjuncts ("Afghan and Taliban forces")."""
    found: list[tuple[Actor, str]] = []
    for tok in tokens:
        words = phrase_tokens(tok)
        heads = [tok] + [c for c in tok.subtree if c.dep_ == "conj" and c.head.i in {w.i for w in words}]
        for h in heads:
            ph = text_of(phrase_tokens(h)) if h.i != tok.i else text_of(words)
            got = match_actor(ph, ctx, countries)
            if got is None:
                # nationality adjective conjoined with an actor ("Afghan and Taliban forces")
                continue
            if all(got[0].name != a.name for a, _ in found):
                found.append(got)
        whole = match_actor(text_of(words), ctx, countries)
        # "Afghan and Taliban forces": the second actor is the head noun with the nationality
        for cj in [c for c in tok.subtree if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "ADJ")]:
            got = match_actor(cj.text, ctx, countries)
            if got and all(got[0].name != a.name for a, _ in found):
                found.append(got)
        if whole and all(whole[0].name != a.name for a, _ in found):
            found.append(whole)
    return found


# ---------------------------------------------------------------- filters

def non_event_reason(trig: Trigger, clause: list[Any], patients: list[Any], sentence: str = "") -> str:
    tok = trig.token
    if is_irrealis(tok):
        return "irrealis or negated"
    doc = tok.doc
    figure = _figurative_phrase(tok)
    if figure:
        return f"figurative ({figure})"
    # the words just before the trigger, within its sentence ("nearly two decades of fighting")
    window: list[Any] = []
    for i in range(tok.i - 1, max(-1, tok.i - 5), -1):
        window.insert(0, doc[i])
        if doc[i].is_sent_start:
            break
    cue = has_background_cue(text_of(window + clause))
    for anc in [tok] + list(tok.ancestors):
        # inside "after [nearly two decades of fighting X and helping Y fight Z]": the phrase the
        # preposition hangs on
        if anc.dep_ in ("pobj", "pcomp"):
            cue = cue or has_background_cue(text_of(list(anc.head.head.subtree)))
            break
        if anc.i != tok.i and anc.pos_ in ("VERB", "AUX") and _children(anc, ("nsubj", "nsubjpass")):
            break
    if cue:
        return f"background ({cue})"
    tally = aggregate_phrase(sentence or text_of(clause))
    if tally:
        return f"aggregate ({tally})"
    ptoks = [t for p in patients for t in phrase_tokens(p)]
    subj_words = [w.text for t in clause if t.dep_ == "nsubj" for w in phrase_tokens(t)]
    agg = has_aggregate_cue([t.text for t in ptoks] + subj_words)
    if agg:
        return f"aggregate ({agg})"
    for t in ptoks:
        if t.like_num and t.head.lower_ in TERRITORY_NOUNS or (t.like_num and t.head.lower_ == "of"):
            q = _int(t.text)
            if q is not None and q >= AGGREGATE_MIN_TERRITORIES:
                return f"aggregate ({t.text} {t.head.text})"
    for p in patients:
        dets = {c.lower_ for c in p.children if c.dep_ == "det"}
        nums = any(c.like_num or c.dep_ == "nummod" for c in p.children)
        if p.tag_ in ("NNS",) and dets & ANAPHORIC_DETS and not nums and p.lower_ in TERRITORY_NOUNS:
            return "anaphoric summary of earlier events"
    if trig.frame in ("TAKE", "FALL", "REGAIN"):
        for p in patients:
            nums = any(c.like_num or c.dep_ == "nummod" or c.lower_ in ("several", "many", "dozens")
                       for c in p.children)
            dets = [c for c in p.children if c.dep_ in ("det", "poss")]
            if p.tag_ == "NNS" and p.lower_ in TERRITORY_NOUNS and not nums and not dets and \
                    not any(c.dep_ in ("compound",) and c.pos_ == "PROPN" for c in p.children):
                return "unspecified territory (bare plural)"
    # (the small model tags some of these participles VBD)
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if tok.pos_ in ("NOUN", "PROPN") and nxt is not None and nxt.text in ("-", "–") and not nxt.whitespace_ \
            and not tok.whitespace_:
        return "part of a compound modifier (riot-hit, clash-prone)"
    if tok.pos_ in ("NOUN", "PROPN") and any(c.lower_ in lexicon()["irrealis_modifiers"] and c.dep_ == "amod"
                                             for c in tok.children):
        return "irrealis or negated (a possible, planned or feared act)"
    present_passive = tok.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.lower_ == "being" for c in tok.children) \
        and any(c.dep_ == "aux" and c.tag_ in ("VBP", "VBZ") for c in tok.children)
    if tok.pos_ == "VERB" and (tok.tag_ in ("VBP", "VBZ") or present_passive) and tok.idx > 0 and \
            "\n" in doc_text(doc)[:tok.idx] and not any(t.ent_type_ in ("DATE", "TIME") for t in clause):
        return "generic present (they kill innocent people, people are being killed), not a dated report"
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and not (
            trig.frame == "FORCE" and tok.head.lemma_.lower() in lexicon()["people_nouns"] | lexicon()["crowd_nouns"]):
        # (not "police had to lathi-charge activists", a verb read as a noun before its object)
        return "part of a compound noun (arrest warrant, attack helicopter)"
    if trig.frame == "CLASH" and not any(t.ent_type_ in ("DATE", "TIME") for t in clause) and \
            any(t.lower_ in ONGOING_WORDS for t in clause):
        return "ongoing situation, not a dated incident"
    misparsed_noun = tok.dep_ == "acl" and tok.lower_ in CAUSE_NOUNS and bool(_noun_agent_word(tok.head))
    if tok.dep_ in ("amod", "acl") and tok.tag_ in ("VBN", "VBG", "VBD") and not _children(tok, ("agent",)) \
            and not misparsed_noun:
        return "descriptive participle (the arrested men): a reference"
    # "after some 70 people had been killed", "after the riots broke out": an undated act in a
    # clause that times another is that act named, not reported (with a date of its own, "after
    # fighters on June 21 overran the district", it is reported)
    verb = tok if tok.pos_ in ("VERB", "AUX") else next(
        (a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is not None and verb.dep_ in ("advcl", "conj") and not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree):
        mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ in CIRCUMSTANCE_MARKS), None)
        if mark is not None:
            return f"circumstance of another event ({mark.text} ...)"
    t, steps = tok, 0
    while t.dep_ in ("pobj", "pcomp", "prep") and steps < 4:
        if t.dep_ in ("pobj", "pcomp") and t.head.lower_ in CIRCUMSTANCE_PREPS:
            return f"circumstance of another event ({t.head.text} ...)"
        t, steps = t.head, steps + 1
    if any(c.dep_ == "advmod" and c.lower_ in PAST_ADVERBS for c in clause if c.head.i == clause[0].i
           or c.head.pos_ in ("VERB", "AUX")):
        return "past background (before/previously)"
    first_conj = tok
    while first_conj.dep_ == "conj" and first_conj.head.i != first_conj.i:
        first_conj = first_conj.head
    if tok.pos_ in ("NOUN", "PROPN") and any(c.lower_ in ("these", "those", "previous", "such", "recent", "earlier", "past", "similar",
                                                                  "frequent")
                                             for c in list(tok.children) + list(first_conj.children)):
        return "anaphoric or past reference"
    if tok.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "amod" and c.tag_ == "JJR" for c in tok.children):
        return "anaphoric or past reference (compared: 'worse riots')"
    if trig.frame in ("KILL", "EXPLOSION") and not any(_noun_agent_word(a) for a in agent_tokens(tok)):
        low = f" {(sentence or text_of(clause)).lower()} "
        cue = next((w for w in lexicon()["accident_words"] if re.search(rf"\b{re.escape(w)}\b", low)), "")
        if cue:
            return f"accident or disaster ({cue})"
    if trig.frame == "PROTEST":
        reason = _not_a_demonstration(tok, clause)
        if reason:
            return reason
    for anc in [tok] + list(tok.ancestors):
        if anc.dep_ == "relcl" and anc.head.ent_type_ == "PERSON" and trig.frame in ("KILL", "EXPLOSION", "ATTACK") \
                and anc.tag_ == "VBN":
            return "biographical background"
    return ""


def _not_a_demonstration(tok: Any, clause: list[Any]) -> str:
    """'walked out in protest', 'resigned in protest': the protest is the motive of another act;
    'opposition members protested in the assembly': parliamentary business."""
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ("in", "as") and \
            tok.head.head.pos_ in ("VERB", "AUX"):
        return "motive of another act (in protest)"
    chamber = lexicon()["legislature_words"]
    if any(o.lemma_.lower() in chamber for p in clause if p.dep_ == "prep" and p.lower_ in ("in", "inside")
           for o in p.children if o.dep_ == "pobj"):
        return "inside a legislature: parliamentary business, not a demonstration"
    # "the opposition walked out of the assembly to protest the suspension": a walkout
    governing = tok.head if tok.dep_ in ("advcl", "xcomp") else None
    if governing is not None and (governing.lemma_.lower() == "walk" and any(
            c.lower_ == "out" for c in governing.children) or governing.lemma_.lower() == "walkout"):
        return "inside a legislature: a walkout, not a demonstration"
    return ""


def _int(text: str) -> int | None:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        return None


# ---------------------------------------------------------------- main

def extract(doc: Any, article_id: str, published: PublicationDate, timexes: list[TimeExpr],
            toponyms: list[Toponym]) -> list[EventMention]:
    from sitroom import time as time_stage

    ctx = ArticleActors.from_text(
        doc_text(doc), [t.place.country for t in toponyms if t.place is not None and t.place.country])
    places = place_spans(doc, toponyms)
    resolve = _name_resolver(toponyms)
    accepted: list[Candidate] = []
    others: list[Candidate] = []
    order = 0
    for sent in (seg for s in doc.sents for seg in segments(s)):
        sent_cands: list[Candidate] = []
        triggers = find_triggers(sent)
        spans = [_span(local_clause(t.token)) for t in triggers]
        for k, trig in enumerate(triggers):
            foreign = [sp for j, sp in enumerate(spans) if j != k and not (sp[0] <= trig.token.idx < sp[1])]
            cand = _candidate(trig, sent, doc, article_id, published, timexes, places, ctx, accepted + sent_cands,
                              time_stage, resolve, order, foreign)
            order += 1
            if cand is None:
                continue
            if cand == "continuation":
                _attach_numbers(sent, (accepted + sent_cands)[-1] if accepted or sent_cands else None)
                continue
            if cand.mention.scope != EVENT:
                others.append(cand)  # said of such acts, not an incident: kept out of the article rules
                continue
            sent_cands.append(cand)
        denial = _denial(sent, accepted, ctx) if not sent_cands else None
        if denial is not None:
            accepted.append(denial)
        for cand in _collapse_sentence(sent_cands, others):
            if _untold_death(cand, sent, timexes, places):
                cand.mention.scope = "reference"
                cand.mention.notes += "; deaths with no doer, time or place of their own: told elsewhere"
                others.append(cand)
            else:
                accepted.append(cand)
    kept = _article_rules(accepted) + _collapse_sentence_scoped(others)
    return [c.mention for c in sorted(kept, key=lambda c: c.order)]


def _untold_death(cand: Candidate, sent: Any, timexes: list[TimeExpr], places: list[PlaceSpan]) -> bool:
    """Deaths a sentence tells with no doer, no time and no place ("thousands have been killed",
    "she was brutally killed"): the toll of an event told elsewhere, or rhetoric, not an incident."""
    m = cand.mention
    frame = frames().get(cand.frame)
    if m.actor1 is not None or frame is None or frame.no_agent != "victims":
        return False
    inside = range(sent.start_char, sent.end_char)
    return not any(t.start in inside for t in timexes) and not any(p.start in inside for p in places)


def _name_resolver(toponyms: list[Toponym]) -> Any:
    try:
        from sitroom import geo
    except ImportError:  # pragma: no cover - geo is part of the package
        return None
    fn = getattr(geo, "resolve_name", None)
    if fn is None:
        return None
    theatre = geo.theatre_of(toponyms) if hasattr(geo, "theatre_of") else None

    def resolve(name: str) -> Place | None:
        try:
            return fn(name, theatre)
        except Exception as exc:  # a resolver failure must not lose the event
            log.debug("resolve_name(%r) failed: %s", name, exc)
            return None

    return resolve


# why a trigger is not an event of the article's day, and what it is instead (None: no mention)
SCOPE_OF_REASON = {"background": "background", "aggregate": "aggregate", "anaphoric summary": "reference",
                   "unspecified territory": "aggregate", "circumstance of another event": "reference",
                   "past background": "background", "anaphoric or past reference": "reference",
                   "biographical background": "background", "history": "background",
                   "descriptive participle": "reference", "motive of another act": "reference",
                   "inside a legislature": "reference"}


def scope_of(reason: str) -> str | None:
    for prefix, scope in SCOPE_OF_REASON.items():
        if reason.startswith(prefix):
            return scope
    return None


def _reported_as_happening(noun: Any, timexes: list[TimeExpr]) -> bool:
    """An event noun reports an incident when the sentence says it happened: it is the subject of
    an occurrence verb ("clashes broke out", "the blast killed 12"), the object of a verb of doing
    ("launched an attack", "staged a dharna"), "there was an attack", it carries its own date or
    its own toll ("an attack on Monday", "an attack that killed five"). Elsewhere ("the riots would
    not be investigated", "victims of the riots") it refers to an event told elsewhere."""
    lex = lexicon()
    head = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in lex["occurrence_verbs"]:
        return True
    if noun.dep_ == "dobj" and head.lemma_.lower() in lex["doing_verbs"]:
        return True
    if noun.dep_ == "pobj" and head.head.lemma_.lower() in lex["doing_verbs"]:
        return True  # "resorted to a lathicharge"
    if noun.dep_ == "attr" and any(c.dep_ == "expl" for c in head.children):
        return True  # "there was firing"
    if noun.dep_ == "ROOT" or head.i == noun.i:
        return True  # a headline or a verbless line ("Police firing in Vadodara")
    start, end = noun.left_edge.idx, noun.right_edge.idx + len(noun.right_edge.text)
    if any(start <= t.start < end for t in timexes):
        return True
    if _tallied(noun):
        return True  # "the figure of arrests has crossed 3,000": a tally of acts that happened
    if noun.dep_ == "compound":
        return True  # a trigger kept as a compound is a verb read before its object ("lathi-charge activists")
    if noun.dep_ == "pobj":
        # "77 deaths due to police firing", "injuries in the firing": the harm it caused says it
        # happened
        prep, gov = noun.head, noun.head.head
        if gov.lower_ in ("due", "owing") and gov.head.i != gov.i:
            gov = gov.head
        # (not "deaths in the riots": the riots of a season, named)
        if prep.lower_ in ("in", "during", "to", "from") and noun.lemma_.lower() not in lex["season_nouns"] and (
                gov.pos_ == "NOUN" and gov.lemma_.lower() in lex["harm_nouns"]
                or gov.pos_ == "VERB" and gov.lemma_.lower() in lex["harm_verbs"]):
            return True  # "six people were injured in police firing"
    roles = {"kill", "die", "injure", "wound", "leave", "claim"}
    return any(c.dep_ in ("relcl", "acl") and c.lemma_.lower() in roles for c in noun.children)


def _tallied(noun: Any) -> bool:
    return noun.dep_ == "pobj" and noun.head.lower_ == "of" and \
        noun.head.head.lemma_.lower() in lexicon()["tally_nouns"]


def _presupposed(noun: Any) -> bool:
    """A definite or possessed event noun ("the arrests", "his arrest", "these attacks") refers to
    acts that took place."""
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ANAPHORIC_DETS | {"this", "that"})
               for c in noun.children)


def _target_tokens(tok: Any) -> list[Any]:
    """Whom an act is aimed at besides its object: "fired on the mob", "lobbed shells at them",
    and the object of its purpose clause ("fired in the air to disperse the mob")."""
    out = _prep_objects(tok, ("on", "at", "upon", "against", "into"))
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB":
            out += [o for o in c.children if o.dep_ == "dobj"]
    return out


def _thing_side(tokens: list[Any]) -> str:
    """'property' when the act's object is a house, shop or vehicle; 'civilian' for people words."""
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    if words & lexicon()["property_nouns"]:
        return "property"
    if words & lexicon()["people_nouns"] or any(t.ent_type_ == "PERSON" for t in tokens):
        return "civilian"
    return ""


def _has_people(tokens: list[Any]) -> bool:
    for t in tokens:
        if t.ent_type_ in ("PERSON", "NORP") or t.lemma_.lower() in lexicon()["people_nouns"] \
                or t.lower_ in lexicon()["people_nouns"]:
            return True
        if t.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "nummod" or c.like_num for c in t.children):
            return True  # "17 ram sevaks", "two of them"
        if t.like_num and t.dep_ in ("nsubjpass", "dobj", "nsubj"):
            return True
    return False


def _default_agent(frame: Frame, ctx: ArticleActors) -> tuple[Actor | None, str]:
    if frame.default_agent == "main_nonstate" and ctx.main_nonstate is not None:
        return Actor(ctx.main_nonstate.name, ctx.main_nonstate.actor_type, ""), "nonstate"
    if frame.default_agent == "state":
        return state_forces(ctx), "state"
    if frame.default_agent == "police":
        return police_forces(ctx), "state"
    if frame.default_agent == "protesters":
        # ACLED names every protest's first actor "Protesters (Country)", whoever organised it
        found = match_actor("protesters", ctx)
        if found is not None:
            return Actor(found[0].name, found[0].actor_type, ""), found[1]
    return None, ""


def _as_victims(actor: tuple[Actor, str], ctx: ArticleActors) -> tuple[Actor, str]:
    """An identity group harmed is civilians of that group (ACLED: the victims are Civilians, the
    group their associate)."""
    a, side = actor
    if side != "identity":
        return actor
    civ = match_actor("civilians", ctx)
    if civ is None:
        return actor
    return Actor(civ[0].name, civ[0].actor_type, a.surface, assoc=a.name), "civilian"


def _candidate(trig: Trigger, sent: Any, doc: Any, article_id: str, published: PublicationDate,
               timexes: list[TimeExpr], places: list[PlaceSpan], ctx: ArticleActors,
               previous: list[Candidate], time_stage: Any, resolve: Any, order: int,
               foreign: list[tuple[int, int]] = ()) -> Any:
    """One trigger to a candidate mention, None (no event), or "continuation" (numbers for the last one).

    ``foreign`` are the clause spans of the sentence's other triggers: their date expressions belong
    to them ("regained X, which was attacked on Wednesday")."""
    tok = trig.token
    frame = frames()[trig.frame]
    clause = local_clause(tok)
    patients = patient_tokens(tok)
    reason = non_event_reason(trig, clause, patients, sent.text)
    scope = EVENT
    if reason:
        scope = scope_of(reason)
        log.debug("%s: %r is no event of its own (%s): %s", article_id, trig.words, reason, sent.text[:80])
        if scope is None:
            return None
    if scope == EVENT and tok.pos_ in ("NOUN", "PROPN") and not _reported_as_happening(tok, timexes):
        # "informed about the arrests", "his arrest": a definite or possessed act is one that
        # happened, told elsewhere; "a fit case for arrest", "demanded a ban and arrest of its
        # leaders": an act only named
        scope = "reference" if _presupposed(tok) else NAMED
        reason = "an event named, not reported as happening"
    if scope == EVENT and _tallied(tok):
        scope, reason = "aggregate", "aggregate (a tally of such acts)"
    # participants
    agents = agent_tokens(tok)
    if frame.place_is_subject:
        hands = [o for h in _prep_objects(tok, ("into", "to")) for o in ([h] + _prep_objects(h, ("of",)))]
        agents = [h for h in hands if h.lemma_.lower() != "hand"]
        patients = _children(tok, ("nsubj",)) + (_prep_objects(tok, ("of",)) if tok.pos_ == "NOUN" else [])
    agent_actors = actors_in(agents, ctx, countries=True)
    # the object of a territory frame is a place ("the police headquarters"), not an actor
    patient_actors = [] if frame.object_is_place else actors_in(patients, ctx)
    opponents = actors_in(_prep_objects(tok, ("from", "with", "against", "between")), ctx)
    targets = [] if frame.object_is_place else _target_tokens(tok)
    target_actors = actors_in(targets, ctx)
    if frame.symmetric and len(agent_actors) < 2:
        agent_actors += [a for a in opponents + patient_actors + target_actors
                         if a[0].name not in {x[0].name for x in agent_actors}]
    if frame.no_agent == "victims" and not patient_actors and _has_people(patients):
        civ = match_actor("civilians", ctx)  # "three others died": people, of no named side
        if civ is not None:
            patient_actors = [(Actor(civ[0].name, civ[0].actor_type, text_of(phrase_tokens(patients[0]))), "civilian")]
    if frame.no_agent == "victims" and not agent_actors:
        return "continuation" if previous and previous[-1].mention.sent_start >= _prev_sent_start(sent) \
            and previous[-1].mention.sent_start != sent.start_char \
            and not _names_another_place(sent, previous[-1], places) \
            else _without_agent(trig, frame, patient_actors, sent, doc, article_id, published, timexes,
                                places, ctx, previous, time_stage, resolve, order, scope)
    actor1, side1 = agent_actors[0] if agent_actors else (None, "")
    if actor1 is None or (side1 == "civilian" and frame.default_agent == "protesters"):
        # "people took to the streets to protest": who protests is a protester (ACLED)
        actor1, side1 = _default_agent(frame, ctx)
    victims = [a for a in patient_actors + target_actors if actor1 is None or a[0].name != actor1.name]
    if not frame.symmetric:
        victims = [_as_victims(v, ctx) for v in victims]
    victim_side = victims[0][1] if victims else ("" if frame.object_is_place else _thing_side(patients + targets))
    # "clashes in Kalat left two dead": a toll in the clause says people were harmed
    clause_numbers = numbers_in(clause)
    harmed = any(role in ("killed", "wounded") for role in clause_numbers)
    parts = Participants(side1, victim_side, {side1, victim_side} | {a[1] for a in agent_actors + opponents}
                         - {""}, _has_people(agents + patients + targets) or bool(agent_actors or victims) or harmed)
    if not meets_requirement(frame, parts):
        log.debug("%s: %r lacks the participants of %s (%s): %s", article_id, trig.words, frame.name,
                  frame.requires, sent.text[:80])
        return None
    clause_text = text_of(clause)
    # the act's purpose tells whom it was aimed at ("fired 50 rounds to disperse the mob")
    purposes = [c for c in tok.children if c.dep_ in ("advcl", "xcomp")
                and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
    # an act others made happen ("mobs went on the rampage, forcing the police to open fire") is
    # coded with what caused it: the sentence
    caused = tok.dep_ == "xcomp" and bool(_children(tok.head, ("dobj",)))
    coding_text = sent.text if frame.object_is_place or caused else " ".join(
        [clause_text] + [text_of(list(p.subtree)) for p in purposes])
    code = code_for(frame, parts, coding_text)
    if code is None:
        log.debug("%s: %r is no ACLED event here (actor side %r)", article_id, trig.words, side1)
        return None
    set_ = sub_type(code)
    actor2 = _second_actor(code, actor1, side1, agent_actors, victims, opponents, ctx)
    # place: the patient's place, else one in the clause (not a destination, not a country), else context
    loc_patients, loc_clause = patients, clause
    if frame.name == "PROTEST":
        # "a bandh to protest the killings in Godhra": the place of what is protested is not the
        # protest's
        issue = {t.i for p in patients + _prep_objects(tok, ("against", "over")) for t in p.subtree}
        loc_patients, loc_clause = [], [t for t in clause if t.i not in issue]
    loc = _location(tok, loc_patients, loc_clause, places, ctx.state)
    own_place = loc is not None
    if loc is None and frame.needs_place:
        # these frames name the place left in their object; "withdrew from its base" cannot be coded
        log.debug("%s: %r names no place it left", article_id, trig.words)
        return None
    if loc is None and frame.name != "PROTEST":
        # a place in the trigger's dependent clauses ("fled to X as the Taliban occupied Y") still
        # belongs to this event; the reporting frame's places (datelines, speakers' titles) do not
        loc = _location(tok, [], list(tok.subtree), places, ctx.state)
    if loc is None:
        loc = _where_clause_place(tok, places, ctx.state)
    if loc is None:
        loc = _inherited_location(sent, previous, places)
    place = loc.place if loc is not None else None
    if loc is not None and place is None and resolve is not None:
        place = resolve(loc.text)
    # date: the clause's own expression when it has one, else the sentence's
    c_start, c_end = clause[0].idx, clause[-1].idx + len(clause[-1].text)
    own = any(c_start <= t.start < c_end for t in timexes)
    start, end = (c_start, c_end) if own else (sent.start_char, sent.end_char)
    usable = timexes if own else [t for t in timexes if not any(a <= t.start < b for a, b in foreign)]
    bounds = _span_bound_spans(tok, sent)
    usable = [t for t in usable if not any(a <= t.start < b for a, b in bounds)]
    found = time_stage.sentence_date(doc_text(doc), start, end, usable, published)
    date, precision, basis = found.date, found.precision, found.source
    if scope == EVENT and tok.pos_ in ("NOUN", "PROPN") and _presupposed(tok) and basis in ("report", "none") \
            and not frame.object_is_place and not clause_numbers and not own:
        # "why the riots took place", "the Gujarat riots were a reaction to ...": a known event
        # named again, with no date or toll of its own
        scope, reason = "reference", "a known event named again (definite, no date or toll of its own)"
    if found.background and scope == EVENT:
        # "overran dozens of districts since May 1": a span up to the report, or long before it
        scope, reason = "background", f"dated to a span or period before the report ({found.expression})"
    shift = _relative_shift(tok, timexes)
    if shift is not None:
        # "X comes two days after Y": Y's date is X's date minus the duration
        rest = [t for t in usable if not (c_start <= t.start < c_end)]
        main_date, main_precision = time_stage.event_date(sent.start_char, sent.end_char, rest, published)
        if main_date:
            try:
                date = (Date.fromisoformat(main_date[:10]) + timedelta(days=shift)).isoformat()
                precision = main_precision
                own, basis = True, "own"
            except ValueError:
                pass
    if date and _too_old(date, published) and scope == EVENT:
        log.debug("%s: %r dated %s is history, not news", article_id, trig.words, date)
        scope = "background"
    attr = attribution(tok, doc_text(doc), sent)
    modality, by = attr.modality, attr.speaker
    if modality == "reported" and by and actor1 is not None and is_claimable(frame, parts, coding_text):
        spoke = match_actor(by, ctx)
        if spoke is not None and spoke[0].name == actor1.name:
            modality = "claimed"  # a party to the event reports its own success
    toll_clause = clause
    if tok.dep_ == "acl" and tok.head.dep_ == "pobj" and tok.head.head.dep_ == "prep":
        # "six were injured in police firing" read as "police" + a participle: the toll is the
        # clause's the phrase hangs on
        toll_clause = local_clause(tok.head.head.head)
    nums = numbers_in(toll_clause) or numbers_in(sent)  # the clause's own toll first ("6 injured in X, 12 killed by Y")
    mention = EventMention(
        article_id=article_id, sentence=sent.text.strip(), sent_start=sent.start_char, trigger=trig.words,
        event_type=set_.event_type, sub_event_type=set_.sub_event_type, actor1=actor1, actor2=actor2,
        place=place, location_text=loc.text if loc is not None else "", date=date, time_precision=precision,
        date_basis=basis if date else "", modality=modality, attributed_to=by,
        notes=f"frame {frame.name}" + (f"; {attr.cue}" if attr.cue else "") + (f"; {reason}" if reason else ""),
        scope=scope,
    )
    cand = Candidate(mention, frame.name, code, own, set_.rank, order, nums, own_place,
                     agent_named=bool(agent_actors))
    _finish_numbers(cand)
    return cand


def _prev_sent_start(sent: Any, back: int = 1) -> int:
    """Start offset of the sentence ``back`` sentences before this one (sentence starts are read
    from the tokens' is_sent_start flags: Token.sent would rescan the whole document each time)."""
    doc = sent.doc
    i, seen = sent.start, 0
    while i > 0 and seen < back:
        i -= 1
        if doc[i].is_sent_start:
            seen += 1
    return doc[i].idx


def _without_agent(trig: Trigger, frame: Frame, patient_actors: list[tuple[Actor, str]], sent: Any, doc: Any,
                   article_id: str, published: PublicationDate, timexes: list[TimeExpr],
                   places: list[PlaceSpan], ctx: ArticleActors, previous: list[Candidate],
                   time_stage: Any, resolve: Any, order: int, scope: str = EVENT) -> Candidate | None:
    """Deaths reported without a perpetrator: combatants killed in fighting -> Armed clash between
    the victims' side and its enemy; civilians -> Attack by an unidentified actor."""
    victim, side = _as_victims(patient_actors[0], ctx) if patient_actors else (None, "")
    if victim is None:
        return None
    if side == "nonstate":
        actor1, actor2 = state_forces(ctx), victim
    elif side == "state":
        actor1 = ctx.main_nonstate or Actor("Unidentified Armed Group", "Political militia", "")
        actor2 = victim
    else:
        actor1, actor2 = None, victim
    code = "ARMED_CLASH" if side in ("state", "nonstate") else "ATTACK"
    set_ = sub_type(code)
    clause = local_clause(trig.token)
    loc = _location(trig.token, [], clause, places, ctx.state)
    own_place = loc is not None
    loc = loc or _where_clause_place(trig.token, places, ctx.state) or _inherited_location(sent, previous, places)
    place = loc.place if loc else None
    if loc is not None and place is None and resolve is not None:
        place = resolve(loc.text)
    found = time_stage.sentence_date(None, sent.start_char, sent.end_char, timexes, published)
    date, precision = found.date, found.precision
    if date and _too_old(date, published) and scope == EVENT:
        scope = "background"
    attr = attribution(trig.token, doc_text(doc), sent)
    mention = EventMention(
        article_id=article_id, sentence=sent.text.strip(), sent_start=sent.start_char, trigger=trig.words,
        event_type=set_.event_type, sub_event_type=set_.sub_event_type, actor1=actor1, actor2=actor2,
        place=place, location_text=loc.text if loc else "", date=date, time_precision=precision,
        date_basis=found.source if date else "", modality=attr.modality, attributed_to=attr.speaker, notes=f"frame {frame.name} (no perpetrator named)",
        scope=scope)
    # the clause's own toll first ("four were burnt alive and two killed in police firing")
    cand = Candidate(mention, frame.name, code, False, set_.rank, order, numbers_in(clause) or numbers_in(sent),
                     own_place=own_place)
    _finish_numbers(cand)
    return cand


def _second_actor(code: str, actor1: Actor | None, side1: str, agents: list[tuple[Actor, str]],
                  patients: list[tuple[Actor, str]], others: list[tuple[Actor, str]],
                  ctx: ArticleActors) -> Actor | None:
    name1 = actor1.name if actor1 else ""
    for a, _side in agents[1:] + others + patients:
        if a.name != name1:
            return a
    if code == "NON_STATE_ACTOR_OVERTAKES_TER" or (code == "ARMED_CLASH" and side1 == "nonstate"):
        return state_forces(ctx)
    if code in ("GOV_REGAINS_TERIT",) or (code == "ARMED_CLASH" and side1 == "state"):
        return ctx.main_nonstate
    return None


def _location(trigger: Any, patients: list[Any], clause: list[Any], places: list[PlaceSpan],
              state: str = "") -> PlaceSpan | None:
    from sitroom.geo.theatre import is_dateline

    text = doc_text(trigger.doc)

    def spans_in(tokens: list[Any]) -> list[PlaceSpan]:
        by_i = {t.i: t for t in tokens}
        found = [p for p in places if p.token_i in by_i and not _is_destination(by_i[p.token_i], trigger)]
        # "ahmedabad: the riots spread to vadodara": the dateline is where the report was filed
        told = [p for p in found if not is_dateline(text, p.start, p.end)]
        return told or found

    ptoks = [t for p in patients for t in p.subtree]
    for group in (spans_in(ptoks), spans_in(clause)):
        finer = [p for p in group if not p.is_country]
        # a place resolved inside the article's country beats one resolved abroad (a garbled
        # "Islamic Qala" may resolve to a namesake elsewhere)
        home = [p for p in finer if p.place is not None and state and p.place.country == state]
        if home or finer:
            return (home or finer)[0]
    return None


def _names_another_place(sent: Any, previous: Candidate, places: list[PlaceSpan]) -> bool:
    """The sentence names a place other than the previous event's: its deaths are not that
    event's toll told on ("... in Bhavnagar. There was also a clash in Deodhar, where four were
    burnt alive")."""
    here = {_bare(p.text) for p in places if sent.start_char <= p.start < sent.end_char and not p.is_country}
    return bool(here - {_bare(previous.mention.location_text)})


def _where_clause_place(trigger: Any, places: list[PlaceSpan], state: str) -> PlaceSpan | None:
    """'a clash in Deodhar near Palanpur, where two were killed': a 'where' clause happens at the
    place it hangs on."""
    for anc in [trigger] + list(trigger.ancestors):
        if anc.dep_ == "relcl" and any(c.lower_ == "where" for c in anc.children):
            head = anc.head
            phrase = [t for t in head.subtree if not (anc.left_edge.i <= t.i <= anc.right_edge.i)]
            return _location(head, [], phrase, places, state)
    return None


def _inherited_location(sent: Any, previous: list[Candidate], places: list[PlaceSpan]) -> PlaceSpan | None:
    """No place in the clause: the event happened where the article's last event was, if that was
    reported within the last few sentences, else at the last specific place named just before."""
    window_start = _prev_sent_start(sent, back=3)
    # a withdrawal's place is the facility left (its object), not the scene of the reporting
    last_mention = next((c for c in reversed(previous) if c.mention.location_text
                         and not (c.frame in frames() and frames()[c.frame].needs_place)), None)
    if last_mention is not None and last_mention.mention.sent_start >= window_start:
        m = last_mention.mention
        return PlaceSpan(m.location_text, -1, -1, m.place, False)
    text = doc_text(sent.doc)
    para_start = _paragraph_start(text, sent.start_char, back=1)
    before = [p for p in places if max(window_start, para_start) <= p.start and p.end <= sent.start_char
              and not p.is_country]
    if before:
        return before[-1]
    # else where the article is filed from: the last dateline ("faizabad: over 80 workers were
    # taken into custody ..."); a local report's dateline is its scene
    from sitroom.geo.theatre import is_dateline

    datelines = [p for p in places if p.end <= sent.end_char and not p.is_country and p.place is not None
                 and is_dateline(text, p.start, p.end)]
    return datelines[-1] if datelines else None


def _paragraph_start(text: str, pos: int, back: int = 1) -> int:
    """Start of the paragraph ``back`` paragraphs before the one holding ``pos`` (blank-line paragraphs,
    or lines when the text has no blank lines)."""
    sep = "\n\n" if "\n\n" in text else "\n"
    start = text.rfind(sep, 0, pos)
    for _ in range(back):
        if start <= 0:
            return 0
        # skip runs of blank lines
        k = start
        while k > 0 and text[k - 1] in "\n \t\r":
            k -= 1
        start = text.rfind(sep, 0, k)
    return max(start, 0)


_DURATION = re.compile(r"^P(\d+)([DW])$")


def _figurative_phrase(trigger: Any) -> str:
    """The figurative phrase (lexicon figurative_phrases) the trigger word stands in, if any: "a
    riot of colours", "a war of words", "a price war"."""
    doc = trigger.doc
    low = " " + " ".join(t.lower_ for t in doc[max(0, trigger.i - 3): trigger.i + 4]) + " "
    word = trigger.lower_
    for phrase in lexicon()["figurative_phrases"]:
        if f" {word} " in f" {phrase} " and f" {phrase} " in low:
            return phrase
    return ""


def _span_bound_spans(trigger: Any, sent: Any) -> list[tuple[int, int]]:
    """Character spans of the clauses and phrases that bound a span ("since the US began its
    withdrawal on May 1") and do not hold the trigger: their dates are not the trigger's."""
    words = set(lexicon()["span_bound_words"])
    out = []
    for tok in sent:
        if tok.lower_ not in words or tok.dep_ not in ("mark", "prep"):
            continue
        # a clause's mark heads its verb's subtree; a phrase's own date ("overran districts since
        # May 1") is the trigger's when the phrase hangs on it
        head = tok.head if tok.dep_ == "mark" else tok
        # ... but the end of a span ("remanded them to custody till April 6") never dates the act
        ends_span = tok.dep_ == "prep" and tok.lower_ in ("until", "till")
        if head.i == trigger.i or trigger in head.subtree or (
                tok.dep_ == "prep" and tok.head.i == trigger.i and not ends_span):
            continue
        sub = list(head.subtree)
        out.append((sub[0].idx, sub[-1].idx + len(sub[-1].text)))
    return out


def _relative_shift(trigger: Any, timexes: list[TimeExpr]) -> int | None:
    """Days between this clause and its main clause when it is anchored by "N days after/before"."""
    if trigger.dep_ != "advcl":
        return None
    for mark in trigger.children:
        if mark.dep_ != "mark" or mark.lower_ not in ("after", "before"):
            continue
        mods = [t for c in list(mark.children) + list(trigger.children) if c.dep_ == "npadvmod"
                for t in c.subtree]
        for tx in timexes:
            m = _DURATION.match(tx.value or "")
            if m and tx.kind == "DURATION" and any(tx.start <= t.idx < tx.end for t in mods):
                days = int(m.group(1)) * (7 if m.group(2) == "W" else 1)
                return -days if mark.lower_ == "after" else days
    return None


def _too_old(iso: str, published: PublicationDate) -> bool:
    if not published.date:
        return False
    try:
        event = Date.fromisoformat(iso[:10])
        pub = Date.fromisoformat(published.date[:10])
    except ValueError:
        return False
    return (pub - event).days > 366


def _finish_numbers(cand: Candidate) -> None:
    m = cand.mention
    m.numbers = {role: [q.low for q in qs] for role, qs in cand.extra_numbers.items()}
    m.fatalities, m.fatalities_max = mention_count(cand.extra_numbers.get("killed", []))


def _attach_numbers(sent: Any, target: Candidate | None) -> None:
    if target is None:
        return
    for role, qs in numbers_in(sent).items():
        target.extra_numbers.setdefault(role, []).extend(qs)
    _finish_numbers(target)
    target.mention.notes += "; numbers from the next sentence"


def _collapse_sentence(cands: list[Candidate], folded: list[Candidate] | None = None) -> list[Candidate]:
    """One incident per place and day in a sentence: co-occurring types go by the ACLED hierarchy
    ("seized the crossing ... soldiers fled across the border" is one takeover). A folded act stays
    a mention of its own as a part of the incident ("opened fire and arrested 39": the arrests are
    part of the firing event), appended to ``folded``."""
    kept: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (c.rank, c.order)):
        twin = next((k for k in kept if _same_incident(k, cand)), None)
        if twin is None:
            kept.append(cand)
            continue
        for role, qs in cand.extra_numbers.items():
            if role not in twin.extra_numbers:
                twin.extra_numbers[role] = qs
        if twin.mention.actor1 is None and cand.mention.actor1 is not None and cand.agent_named \
                and cand.mention.event_type in VIOLENT_TYPES:
            # "four were killed in police firing": the deaths and the firing are one incident, and
            # the firing names who did it
            twin.mention.actor1 = cand.mention.actor1
        twin.mention.notes += f"; also {cand.mention.sub_event_type} ({cand.mention.trigger})"
        _finish_numbers(twin)
        other_doer = cand.agent_named and cand.mention.actor1 is not None and (
            twin.mention.actor1 is None or twin.mention.actor1.name != cand.mention.actor1.name)
        if folded is not None and (cand.mention.sub_event_type != twin.mention.sub_event_type or other_doer):
            cand.mention.scope = "reference"
            cand.mention.notes += f"; part of the {twin.mention.sub_event_type} ({twin.mention.trigger})"
            folded.append(cand)
    return sorted(kept, key=lambda c: c.order)


def _collapse_sentence_scoped(cands: list[Candidate]) -> list[Candidate]:
    """Non-event mentions: one per sentence, trigger frame and scope."""
    seen: set[tuple[int, str, str]] = set()
    out = []
    for c in cands:
        key = (c.mention.sent_start, c.mention.sub_event_type, c.mention.scope)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _same_incident(a: Candidate, b: Candidate) -> bool:
    if a.agent_named and b.agent_named and a.mention.actor1 is not None and b.mention.actor1 is not None \
            and a.mention.actor1.name != b.mention.actor1.name:
        return False  # "six were injured in police firing, 12 were killed by the rioters": two acts
    if a.frame == b.frame and a.agent_named != b.agent_named:
        return False  # "four were burnt alive and two killed in police firing": two killings
    la, lb = a.mention.location_text, b.mention.location_text
    same_place = not la or not lb or la == lb
    same_day = a.mention.date == b.mention.date
    return same_place and same_day


def _denial(sent: Any, previous: list[Candidate], ctx: ArticleActors) -> Candidate | None:
    """"X denied these reports": the previous event, as denied by X (fusion then marks it disputed)."""
    if not previous:
        return None
    deny = set(cues()["deny_verbs"])
    for tok in sent:
        if tok.lemma_.lower() in deny and tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            if not any(o.lemma_.lower() in DENIAL_OBJECTS for o in objs):
                continue
            speaker = " ".join(t.text for c in tok.children if c.dep_ == "nsubj" for t in c.subtree)
            src = previous[-1]
            m = src.mention
            denied = EventMention(
                article_id=m.article_id, sentence=sent.text.strip(), sent_start=sent.start_char,
                trigger=tok.text, event_type=m.event_type, sub_event_type=m.sub_event_type,
                actor1=m.actor1, actor2=m.actor2, place=m.place, location_text=m.location_text, date=m.date,
                time_precision=m.time_precision, modality="denied", attributed_to=speaker,
                notes=f"denial of: {m.sentence[:120]}")
            return Candidate(denied, src.frame, src.code, src.own_date, src.rank, src.order)
    return None


def _article_rules(cands: list[Candidate]) -> list[Candidate]:
    # 1. a mention without its own date takes the date of a dated mention of the same kind and place
    for c in cands:
        if c.own_date or not c.own_place:
            continue
        twin = next((d for d in cands if d.own_date and d.own_place and d.code == c.code
                     and d.mention.location_text == c.mention.location_text), None)
        if twin is not None:
            c.mention.date, c.mention.time_precision = twin.mention.date, twin.mention.time_precision
    # 2. ACLED: a takeover reversed within a day is an armed clash
    for c in cands:
        if c.code != "NON_STATE_ACTOR_OVERTAKES_TER" or not c.mention.location_text:
            continue
        regained = [d for d in cands if d.code == "GOV_REGAINS_TERIT" and d.own_place
                    and d.mention.location_text == c.mention.location_text
                    and _days_apart(c.mention.date, d.mention.date) <= 1]
        if regained:
            st = sub_type("ARMED_CLASH")
            c.code, c.rank = "ARMED_CLASH", st.rank
            c.mention.event_type, c.mention.sub_event_type = st.event_type, st.sub_event_type
            c.mention.notes += "; takeover reversed within a day -> Armed clash (ACLED)"
            c.frame = "REVERSED_TAKEOVER"  # the attack itself: not folded into the retaking below
    # 3. hierarchy across sentences: fighting at the place and on the day of a territory change is
    #    part of that change (its numbers go with it)
    out: list[Candidate] = []
    for c in cands:
        if c.code == "ARMED_CLASH" and c.mention.location_text and c.mention.modality != "denied" \
                and c.frame != "REVERSED_TAKEOVER":
            host = next((d for d in cands if d.code in territorial_codes() - {"NON_VIOL_TERRIT_TRANSFER"}
                         and d.own_place
                         and d.mention.location_text == c.mention.location_text
                         and d.mention.date == c.mention.date), None)
            if host is not None:
                for role, qs in c.extra_numbers.items():
                    host.extra_numbers.setdefault(role, []).extend(qs)
                _finish_numbers(host)
                host.mention.notes += f"; with fighting: {c.mention.sentence[:80]}"
                continue
        out.append(c)
    return out


def _days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0
    try:
        return abs((Date.fromisoformat(a[:10]) - Date.fromisoformat(b[:10])).days)
    except ValueError:
        return 99
