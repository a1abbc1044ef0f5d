"""Event frames (data/events/frames.toml): triggers, the participants that make a trigger an event,
and the ACLED coding rules, with the grammar checks the table names (a registry, not if-chains).

A frame is read in three steps by extract.py: a trigger word passes its grammar check (`CHECKS`),
its participants meet the frame's requirement (`REQUIREMENTS`), and the first of its rules whose
conditions hold gives the CASE/ACLED code (`code_for`)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitroom.events.taxonomy import DATA_DIR

ARMED = frozenset({"state", "nonstate", "external"})


@dataclass(frozen=True)
class Rule:
    code: str  # CASE/ACLED code; "" means: no event
    agent: frozenset[str] = frozenset()  # actor1's side must be one of these (empty: any)
    target: frozenset[str] = frozenset()  # the victim's or target's side
    text: str = ""  # a [patterns] name that must match the clause
    not_text: str = ""  # a [patterns] name that must not match
    not_armed: bool = False  # no participant is an armed actor
    claimable: bool | None = None  # overrides the frame's flag for this outcome


@dataclass(frozen=True)
class Frame:
    name: str
    requires: str = "any"
    default_agent: str = ""
    object_is_place: bool = False
    place_is_subject: bool = False
    no_agent: str = ""
    symmetric: bool = False
    needs_place: bool = False
    claimable: bool = False
    territorial: bool = False
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class TriggerEntry:
    lemma: str  # head lemma
    particle: str  # second word that must be a child (object or particle), "" if none
    pos: str  # VERB | NOUN | ANY
    frame: str
    check: str = ""  # a CHECKS name, "" if none


@dataclass
class Participants:
    """Who takes part in a candidate event, by side (see frames.toml for the sides)."""

    agent_side: str = ""
    target_side: str = ""
    sides: set[str] = field(default_factory=set)  # every participant's side, agent and target included
    people: bool = False  # human participants are named (a count, a person noun, an actor)


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return tomllib.loads((DATA_DIR / "frames.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    raw = tomllib.loads((DATA_DIR / "lexicon.toml").read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    return {k: re.compile(v) for k, v in _table()["patterns"].items()}


@lru_cache(maxsize=1)
def frames() -> dict[str, Frame]:
    out: dict[str, Frame] = {}
    for name, row in _table()["frames"].items():
        rules = tuple(Rule(r["code"], frozenset(r.get("agent", ())), frozenset(r.get("target", ())),
                           r.get("text", ""), r.get("not_text", ""), bool(r.get("not_armed", False)),
                           r.get("claimable"))
                      for r in row.get("rules", ()))
        out[name] = Frame(name, row.get("requires", "any"), row.get("default_agent", ""),
                          bool(row.get("object_is_place")), bool(row.get("place_is_subject")),
                          row.get("no_agent", ""), bool(row.get("symmetric")),
                          bool(row.get("needs_place")), bool(row.get("claimable")),
                          bool(row.get("territorial")), rules)
    return out


def parse_trigger(spec: str, frame: str) -> TriggerEntry:
    """'lemma[ particle][/POS][?check]' -> TriggerEntry."""
    words, _, check = spec.partition("?")
    words, _, pos = words.partition("/")
    parts = words.split()
    return TriggerEntry(parts[0], parts[1] if len(parts) > 1 else "", pos or "ANY", frame, check)


@lru_cache(maxsize=1)
def trigger_entries() -> dict[str, list[TriggerEntry]]:
    out: dict[str, list[TriggerEntry]] = {}
    for name, row in _table()["frames"].items():
        for spec in row.get("triggers", ()):
            entry = parse_trigger(spec, name)
            if entry.check and entry.check not in CHECKS:
                raise ValueError(f"frames.toml: frame {name} trigger {spec!r} names an unknown check")
            out.setdefault(entry.lemma, []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: e.particle == "")  # multi-word entries first
    return out


def territorial_codes() -> frozenset[str]:
    """Codes that territorial frames can give (a change of who holds a place)."""
    return frozenset(r.code for f in frames().values() if f.territorial for r in f.rules if r.code)


def code_for(frame: Frame, parts: Participants, clause_text: str) -> str | None:
    """The CASE/ACLED code the frame's first matching rule gives, or None for no event."""
    rule = matching_rule(frame, parts, clause_text)
    return (rule.code or None) if rule is not None else None


def is_claimable(frame: Frame, parts: Participants, clause_text: str) -> bool:
    rule = matching_rule(frame, parts, clause_text)
    return frame.claimable if rule is None or rule.claimable is None else rule.claimable


def matching_rule(frame: Frame, parts: Participants, clause_text: str) -> Rule | None:
    low = clause_text.lower()
    pats = patterns()
    for rule in frame.rules:
        if rule.agent and parts.agent_side not in rule.agent:
            continue
        if rule.target and parts.target_side not in rule.target:
            continue
        if rule.text and not pats[rule.text].search(low):
            continue
        if rule.not_text and pats[rule.not_text].search(low):
            continue
        if rule.not_armed and parts.sides & ARMED:
            continue
        return rule
    return None


# ---------------------------------------------------------------- participant requirements

REQUIREMENTS: dict[str, Callable[[Participants], bool]] = {
    "any": lambda p: True,
    # a state, rebel, militia or external force does it
    "armed_agent": lambda p: p.agent_side in ARMED,
    # an armed actor, rioters or a mob take part, or people or property are harmed
    "violent_party": lambda p: bool(p.sides & (ARMED | {"rioter", "identity", "protester"}))
    or p.target_side in ("civilian", "property") or p.people,
    "people": lambda p: p.people or bool(p.sides - {"property"}),
}


def meets_requirement(frame: Frame, parts: Participants) -> bool:
    return REQUIREMENTS[frame.requires](parts)


# ---------------------------------------------------------------- grammar checks on the trigger

CHECKS: dict[str, Callable[[Any], bool]] = {}


def check(name: str) -> Callable[[Callable[[Any], bool]], Callable[[Any], bool]]:
    def register(fn: Callable[[Any], bool]) -> Callable[[Any], bool]:
        CHECKS[name] = fn
        return fn
    return register


def _kids(tok: Any) -> set[str]:
    return {c.lemma_.lower() for c in tok.children}


def _objects(tok: Any, deps: tuple[str, ...] = ("dobj", "nsubjpass")) -> list[Any]:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok: Any, preps: tuple[str, ...] | None = None) -> list[Any]:
    return [o for p in tok.children if p.dep_ in ("prep", "agent") and (preps is None or p.lower_ in preps)
            for o in p.children if o.dep_ == "pobj"]


def _in_class(tokens: list[Any], word_class: str) -> bool:
    words = lexicon()[word_class]
    return any(t.lemma_.lower() in words or t.lower_ in words for t in tokens)


def _compound_words(tok: Any) -> list[Any]:
    """A noun with its compounds and modifiers ("tear gas shells", "police firing")."""
    return [tok] + [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]


def _object_words(tok: Any) -> list[Any]:
    return [w for o in _objects(tok) for w in _compound_words(o)]


@check("noun_of")
def _noun_of(tok: Any) -> bool:
    return tok.pos_ not in ("NOUN", "PROPN") or "of" in _kids(tok)  # "the capture of Shir Khan"


@check("fall_to")
def _fall_to(tok: Any) -> bool:
    kids = _kids(tok)
    if tok.pos_ in ("NOUN", "PROPN"):
        return "of" in kids
    owners = _prep_objects(tok, ("to", "into"))
    # "fell to the Taliban", "fell into the hands of ...", not "fell into a ditch"
    return any(o.lemma_.lower() == "hand" or o.pos_ == "PROPN" or o.ent_type_ in ("ORG", "NORP")
               or _is_actor_word(o) for o in owners)


@check("place_object")
def _place_object(tok: Any) -> bool:
    objs = _objects(tok, ("dobj", "nsubjpass", "pobj"))
    return any(o.pos_ == "PROPN" or o.ent_type_ in ("GPE", "LOC", "FAC") for o in objs) or \
        _in_class(objs, "place_objects")


@check("not_as")
def _not_as(tok: Any) -> bool:
    return "as" not in _kids(tok)  # "has taken over as acting chief justice": an appointment


@check("incursion_object")
def _incursion_object(tok: Any) -> bool:
    return bool(lexicon()["incursion_objects"] & {t.lemma_.lower() for t in tok.subtree})


@check("blown_object")
def _blown_object(tok: Any) -> bool:
    """'blew up a bridge', 'blew himself up' (not 'the row blew up')."""
    return any(c.dep_ == "dobj" for c in tok.children)


@check("air_word")
def _air_word(tok: Any) -> bool:
    return bool(lexicon()["air_words"] & _kids(tok))


@check("crossing_object")
def _crossing_object(tok: Any) -> bool:
    time_nouns = lexicon()["time_nouns"]
    objs = {c.lemma_.lower() for c in tok.children if c.dep_ == "dobj"
            and c.ent_type_ not in ("TIME", "DATE") and c.lemma_.lower() not in time_nouns}
    # "crossed the border", "crossed into X", or troops who "crossed" (no object)
    return bool({"into", "to", "over"} & _kids(tok)) or bool(objs & {"border", "frontier", "river", "bridge"}) \
        or not objs


@check("across_or_into")
def _across_or_into(tok: Any) -> bool:
    return bool({"across", "to", "into", "border"} & _kids(tok))


@check("left_place")
def _left_place(tok: Any) -> bool:
    objs = {c.lower_ for c in tok.subtree if c.dep_ in ("dobj", "pobj")}
    plural = {w + "s" for w in lexicon()["place_objects"]}
    return bool(objs & (lexicon()["place_objects"] | plural))


@check("armed_party")
def _armed_party(tok: Any) -> bool:
    sent = tok.sent if tok.doc.has_annotation("SENT_START") else tok.doc
    return any(_is_actor_word(t, armed_only=True) for t in sent)


@check("firing_sense")
def _firing_sense(tok: Any) -> bool:
    """'fired 40 rounds', 'fired at the mob', 'fired in the air'; not 'was fired from his job'."""
    if _in_class(_object_words(tok), "ammunition"):
        return True
    if _prep_objects(tok, ("at", "on", "upon", "into", "towards")):
        return True
    if any(o.lemma_.lower() == "air" for o in _prep_objects(tok, ("in", "into"))):
        return True
    if any(c.dep_ == "nsubjpass" for c in tok.children):
        return False
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and _is_actor_word(tok.head, armed_only=True) \
            and tok.head.dep_ == "pobj":
        return True  # "injured in police firing", read by the small model as "police" + "firing"
    return any(_is_actor_word(s, armed_only=True) for s in tok.children if s.dep_ == "nsubj")


@check("firing_noun")
def _firing_noun(tok: Any) -> bool:
    """'police firing', 'firing by the police', 'firing on mobs', 'killed in the firing'."""
    if any(_is_actor_word(c) for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nmod")):
        return True
    if _prep_objects(tok, ("by", "on", "at", "upon")):
        return True
    head = tok.head
    return tok.dep_ == "pobj" and head.lower_ in ("in", "during") and \
        head.head.lemma_.lower() in ("kill", "die", "injure", "wound", "hurt", "sustain", "receive")


@check("baton_charge")
def _baton_charge(tok: Any) -> bool:
    doc = tok.doc
    before = [doc[i].lower_ for i in range(max(0, tok.i - 2), tok.i)]
    return bool(lexicon()["baton_words"] & set(before)) or \
        any(c.lower_ in lexicon()["baton_words"] for c in tok.children)


@check("teargas_object")
def _teargas_object(tok: Any) -> bool:
    words = {t.lemma_.lower() for o in _objects(tok) for t in o.subtree}
    return "teargas" in words or ("tear" in words and ("gas" in words or "shell" in words))


@check("force_object")
def _force_object(tok: Any) -> bool:
    return _in_class(_object_words(tok), "force_means")


@check("crowd_object")
def _crowd_object(tok: Any) -> bool:
    return _in_class(_object_words(tok), "crowd_nouns")


@check("people_object")
def _people_object(tok: Any) -> bool:
    objs = _objects(tok)
    return any(o.ent_type_ == "PERSON" or o.lemma_.lower() in lexicon()["people_nouns"]
               or o.lower_ in lexicon()["people_nouns"] or o.lemma_.lower() in lexicon()["crowd_nouns"]
               for o in objs)


@check("arrest_sense")
def _arrest_sense(tok: Any) -> bool:
    """Not 'helped to arrest the deteriorating situation', 'arrest the decline': what is arrested
    is a course of things, not a person (lexicon arrest_figurative_objects); and not an arrest for
    an ordinary crime ('arrested a couple for stealing gold'), which ACLED does not code."""
    objs = _objects(tok) if tok.pos_ not in ("NOUN", "PROPN") else _prep_objects(tok, ("of",))
    return not _in_class(objs, "arrest_figurative_objects") and not _for_ordinary_crime(tok)


def _for_ordinary_crime(tok: Any) -> bool:
    """The arrest's reason ('for allegedly stealing', 'caught stealing', 'in a theft case') is an
    ordinary crime (lexicon ordinary_crime_words)."""
    reasons = [w for c in tok.children if c.dep_ in ("prep", "advcl", "xcomp") and c.lower_ in ("for", "in")
               or c.dep_ in ("advcl", "xcomp") for w in c.subtree]
    held = [h for o in _objects(tok) for h in (o, *o.conjuncts)]  # "a couple and a housewife who ..."
    reasons += [w for o in held for c in o.children if c.dep_ in ("acl", "relcl") for w in c.subtree]
    return _in_class(reasons, "ordinary_crime_words")


@check("to_death")
def _to_death(tok: Any) -> bool:
    return any(o.lemma_.lower() == "death" for o in _prep_objects(tok, ("to",)))


@check("alive")
def _alive(tok: Any) -> bool:
    return any(c.lower_ == "alive" for c in tok.children)


@check("property_object")
def _property_object(tok: Any) -> bool:
    return _in_class(_object_words(tok), "property_nouns")


@check("on_fire")
def _on_fire(tok: Any) -> bool:
    return any(o.lemma_.lower() == "fire" for o in _prep_objects(tok, ("on",)))  # "set on fire"


@check("stone_object")
def _stone_object(tok: Any) -> bool:
    return _in_class(_object_words(tok), "missiles_thrown")


@check("rampage_act")
def _rampage_act(tok: Any) -> bool:
    if tok.pos_ == "VERB":
        return tok.dep_ not in ("amod", "acl")  # "a rampaging mob" describes the mob
    return tok.dep_ == "pobj" and tok.head.lower_ == "on"  # "went on the rampage"


@check("of_people")
def _of_people(tok: Any) -> bool:
    return "of" in _kids(tok)


@check("in_custody")
def _in_custody(tok: Any) -> bool:
    """'taken into custody', 'remanded in police custody' (a doer's custody, not 'custody battle')."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("into", "in", "to") and tok.head.head.pos_ == "VERB"


@check("not_a_vehicle")
def _not_a_vehicle(tok: Any) -> bool:
    """'detained 40 workers', 'detained him'; not 'the express was detained at the station'."""
    held = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
    return not any(_in_class([h], "vehicle_words") or h.lower_ == "it" for h in held)


@check("held_person")
def _held_person(tok: Any) -> bool:
    """'50 persons were held', 'picked up by police', 'caught two militants'; not 'held a meeting'."""
    if any(c.dep_ == "prep" and c.lower_ in ("responsible", "liable") for c in tok.children) or \
            any(c.dep_ in ("acomp", "oprd") for c in tok.children):
        return False  # "held responsible"
    people = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
    if not people:
        return False
    ok = any(p.lemma_.lower() in lexicon()["people_nouns"] or p.lower_ in lexicon()["people_nouns"]
             or p.ent_type_ == "PERSON"
             # "50 were held", "two were picked up" (not "one such sabha was held")
             or p.pos_ == "NUM" or (p.tag_ == "NNS" and any(c.dep_ == "nummod" for c in p.children))
             or _is_actor_word(p) for p in people)
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    by_police = any(_is_actor_word(o) for o in _prep_objects(tok, ("by",)))
    if tok.lemma_.lower() == "hold":
        return ok and passive  # "were held"; "held talks" is active
    return ok and (passive or by_police or any(_is_actor_word(s, armed_only=True)
                                               for s in tok.children if s.dep_ == "nsubj"))


@check("to_jail")
def _to_jail(tok: Any) -> bool:
    return any(o.lemma_.lower() in ("jail", "prison", "lockup", "custody") for o in _prep_objects(tok, ("to",)))


@check("behind_bars")
def _behind_bars(tok: Any) -> bool:
    return any(o.lemma_.lower() in ("bar", "bars") for o in _prep_objects(tok, ("behind",)))


@check("to_force")
def _to_force(tok: Any) -> bool:
    """'resorted to firing', 'resort to a lathicharge'."""
    objs = _prep_objects(tok, ("to",)) + [c for p in tok.children if p.dep_ == "prep" and p.lower_ == "to"
                                          for c in p.children if c.dep_ == "pcomp"]
    return any(o.lower_ in ("firing", "lathicharge", "force") or o.lemma_.lower() in lexicon()["force_means"]
               for o in objs)


@check("territory_object")
def _territory_object(tok: Any) -> bool:
    """Territory is taken: a named place or a place word ("seized the district centre", "the capture
    of Kunduz"); not weapons, drugs or people ("seized explosives")."""
    objs = _objects(tok, ("dobj", "nsubjpass"))
    if tok.pos_ in ("NOUN", "PROPN"):
        objs = _prep_objects(tok, ("of",))
        if not objs:
            return False
    if not objs:
        return tok.pos_ == "VERB"  # "the Taliban captured it" / intransitive: the frame's requirements decide
    for o in objs:
        if o.pos_ == "NOUN" and _in_class([o], "building_objects"):
            continue  # "stormed the temple": an attack (frame ATTACK, storm?building_object)
        if o.pos_ == "PROPN" or o.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
        words = [o] + [c for c in o.children if c.dep_ in ("compound", "amod")]
        if _in_class(words, "place_objects") or (o.lemma_.lower() in lexicon()["pronouns_of_place"]):
            return True
        if o.lemma_.lower() == "control":
            return True
    return False


@check("control_noun")
def _control_noun(tok: Any) -> bool:
    return any(c.lemma_.lower() == "control" and c.pos_ == "NOUN" for c in tok.children)


@check("protest_noun")
def _protest_noun(tok: Any) -> bool:
    return "of" not in _kids(tok)  # not "a demonstration of strength"


@check("protest_verb")
def _protest_verb(tok: Any) -> bool:
    """'demonstrated outside the assembly', not 'demonstrated the danger', 'demonstrated that it
    had a majority', 'which other states have demonstrated' (showing, not protesting)."""
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in tok.children):
        return False
    return not (tok.dep_ == "relcl" and any(c.lower_ in ("which", "that", "what") for c in tok.children))


@check("protest_march")
def _protest_march(tok: Any) -> bool:
    return False  # "march" is too often a month or a parade; kept out until measured


@check("called_or_observed")
def _called_or_observed(tok: Any) -> bool:
    head = tok.head
    return head.lemma_.lower() in lexicon()["strike_observed_verbs"] and head.pos_ in ("VERB", "AUX")


@check("staged")
def _staged(tok: Any) -> bool:
    head = tok.head.head if tok.dep_ == "pobj" else tok.head
    return head.lemma_.lower() in lexicon()["dharna_verbs"]


@check("booked")
def _booked(tok: Any) -> bool:
    """'booked for murder', 'booked under poto' (charged by the police), not 'booked tickets'."""
    return any(c.dep_ == "nsubjpass" for c in tok.children) and bool(_prep_objects(tok, ("for", "under")))


@check("building_object")
def _building_object(tok: Any) -> bool:
    return _in_class([o for o in _objects(tok, ("dobj", "nsubjpass")) if o.pos_ == "NOUN"], "building_objects")


@check("physical_object")
def _physical_object(tok: Any) -> bool:
    """'attacked the convoy', 'fought the rebels' (not 'attacking the government for its policy',
    'fight fake cases'): an object, if any, that is no institution, idea or statement."""
    return not _in_class(_objects(tok, ("dobj",)), "verbal_targets")


@check("taken_out")
def _taken_out(tok: Any) -> bool:
    """'took out a procession', 'a procession was taken out' (not 'the wedding procession')."""
    return tok.head.lemma_.lower() in lexicon()["procession_verbs"] and tok.dep_ in ("dobj", "nsubjpass")


@check("weapon_object")
def _weapon_object(tok: Any) -> bool:
    return _in_class(_object_words(tok), "weapon_nouns")


@check("hurled")
def _hurled(tok: Any) -> bool:
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in lexicon()["grenade_verbs"]:
        return True
    # "a grenade attack", "a grenade blast"
    return tok.dep_ == "compound" and head.lemma_.lower() in ("attack", "blast", "explosion")


def _is_actor_word(tok: Any, armed_only: bool = False) -> bool:
    from sitroom.events.actors import lexicon_side

    side = lexicon_side(tok.lower_) or lexicon_side(tok.lemma_.lower())
    if armed_only:
        return side in ARMED or side == "generic_nonstate"
    return side is not None
