"""`sitroom eval wikievents FILE.jsonl`: event detection and argument head-word F1 on WikiEvents
(issue 21), for its Conflict.Attack and Life.Die events.

FILE holds one document a line: {"doc_id", "sentences": [[tokens, text], ...], "entity_mentions",
"event_mentions": [{"event_type", "trigger": {"text", "sent_idx", ...}, "arguments": [{"entity_id",
"role", "text"}]}]} (../shared/eval/events/wikievents/dev.jsonl). Each document goes through
sitroom.pipeline.run as one article whose text is its sentences joined by spaces (the file's
"text" field glues some sentences together, "in SyriaThe desert", which would hide words and
sentence ends); no date is given. The event mentions the pipeline stores per article are scored.

Correspondences (data/eval/wikievents.json):
- A mention predicts a Conflict.Attack when its event type is Battles, Explosions/Remote violence,
  Violence against civilians or Riots; a Life.Die when it has fatalities > 0 or its trigger is a
  killing word (kill*, die/died, dead, death, murder, ...). One mention may predict both.
- Roles: attacker = Attacker (Attack) and Killer (Die) -> the mention's actor1; target = Target
  (Attack) -> actor2; victim = Victim (Die) -> actor2; place = Place (both) -> the mention's
  location_text, else its resolved place's name; instrument = Instrument and ExplosiveDevice
  (Attack) -> a mention's `instrument`, which EventMention does not have: sitroom extracts no
  instruments, so instrument has no predictions (precision and recall 0).

Detection: a mention predicting class C and a gold event of C are a candidate pair when the
mention's sentence overlaps the gold event's sentence (normalised words shared by at least 60% of
either, sitroom.eval.stored_mentions). Pairs whose triggers also agree (a word of each with the
same first four letters, or the whole of the shorter word) weigh 2, others 1; the one-to-one
assignment of largest weight (scipy's linear_sum_assignment) gives the matched pairs. Per class
and overall (micro): TP = matched pairs, n_pred = mentions predicting the class, n_gold = gold
events.

Arguments, per role: a gold item is one argument of that role of one gold event (its head word);
a predicted item is one mention's argument for that role, per class the mention predicts (when
the role applies to that class and the mention fills it). A predicted item is right when its
mention is matched to a gold event of that class and its head equals the head of an argument of
that role of that event not already credited. Head word: the syntactic head (spaCy's root of
the phrase parsed alone, with the project's model) of the argument's text, lower-cased; for our
arguments the text is Actor.surface (or the place text). macro_arg_f1 is the mean F1 of
attacker, victim and place.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitroom.eval import EvalInputError
from sitroom.eval.stored_mentions import (Document, json_lines, mention_summary, overlaps, prf,
                                          run_pipeline, words, write_json_lines)
from sitroom.records import EventMention

ATTACK, DIE = "Conflict.Attack", "Life.Die"
CLASSES = (ATTACK, DIE)


@dataclass(frozen=True)
class GoldEvent:
    doc_id: str
    event_id: str
    event_class: str  # Conflict.Attack | Life.Die
    sentence: str
    trigger: str
    arguments: tuple[tuple[str, str], ...]  # (role, text)


@dataclass
class Matching:
    """What score() found, for the error dump."""

    pairs: dict[str, list[tuple[int, GoldEvent]]] = field(default_factory=dict)  # class -> (mention, gold)
    unmatched_gold: list[GoldEvent] = field(default_factory=list)
    unmatched_pred: list[tuple[str, int]] = field(default_factory=list)  # (class, mention index)
    argument_misses: list[dict[str, Any]] = field(default_factory=list)


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return json.loads(resources.files("sitroom.data.eval").joinpath("wikievents.json")
                      .read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _killing_triggers() -> list[re.Pattern[str]]:
    return [re.compile(r"\b" + p) for p in rules()["classes"][DIE]["killing_triggers"]]


def classes_of(mention: EventMention) -> list[str]:
    """The WikiEvents classes a mention predicts (see the module docstring)."""
    out = []
    if mention.event_type in rules()["classes"][ATTACK]["event_types"]:
        out.append(ATTACK)
    trigger = " ".join(words(mention.trigger))
    if (mention.fatalities or 0) > 0 or any(p.search(trigger) for p in _killing_triggers()):
        out.append(DIE)
    return out


def predicted_text(mention: EventMention, role: str) -> str:
    """The surface text of a mention's argument for a role ('' when it has none)."""
    what = rules()["roles"][role]["predicted"]
    if what in ("actor1", "actor2"):
        actor = getattr(mention, what)
        return (actor.surface or actor.name) if actor is not None else ""
    if what == "place":
        return mention.location_text or (mention.place.name if mention.place else "")
    value = getattr(mention, what, None)  # a field EventMention may gain (instrument)
    return value if isinstance(value, str) else ""


@lru_cache(maxsize=4096)
def head_word(text: str) -> str:
    """The syntactic head of a phrase parsed alone, lower-cased ('' for no words)."""
    from sitroom.nlp import parse

    text = " ".join(text.split())
    if not words(text):
        return ""
    return parse(text)[:].root.text.lower()


def _triggers_agree(a: str, b: str) -> bool:
    for x in words(a):
        for y in words(b):
            n = min(4, len(x), len(y))
            if x[:n] == y[:n]:
                return True
    return False


def _roles_for(event_class: str) -> dict[str, set[str]]:
    """Our role name -> the WikiEvents roles it stands for in that class."""
    out: dict[str, set[str]] = {}
    for role, spec in rules()["roles"].items():
        names = {name for cls, name in spec["gold"] if cls == event_class}
        if names:
            out[role] = names
    return out


def score(gold: list[GoldEvent], predicted: dict[str, list[EventMention]],
          head: Callable[[str], str] = head_word) -> tuple[dict[str, Any], Matching]:
    """Detection and per-role argument P/R/F1 (module docstring). `predicted`: mentions per doc."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    flat = [(doc_id, m) for doc_id, ms in sorted(predicted.items()) for m in ms]
    mention_classes = [classes_of(m) for _, m in flat]
    gold_words = {id(g): Counter(words(g.sentence)) for g in gold}
    matching = Matching()
    detection: dict[str, dict[str, Any]] = {}
    for cls in CLASSES:
        preds = [i for i, cs in enumerate(mention_classes) if cls in cs]
        golds = [g for g in gold if g.event_class == cls]
        weight = np.zeros((len(preds), len(golds)))
        for a, i in enumerate(preds):
            doc_id, m = flat[i]
            mw = Counter(words(m.sentence))
            for b, g in enumerate(golds):
                if g.doc_id == doc_id and overlaps(mw, gold_words[id(g)]):
                    weight[a, b] = 2.0 if _triggers_agree(m.trigger, g.trigger) else 1.0
        rows, cols = linear_sum_assignment(weight, maximize=True) if weight.size else ([], [])
        pairs = [(preds[a], golds[b]) for a, b in zip(rows, cols) if weight[a, b] > 0]
        matching.pairs[cls] = pairs
        paired_pred = {i for i, _ in pairs}
        paired_gold = {id(g) for _, g in pairs}
        matching.unmatched_gold += [g for g in golds if id(g) not in paired_gold]
        matching.unmatched_pred += [(cls, i) for i in preds if i not in paired_pred]
        detection[cls] = prf(len(pairs), len(preds), len(golds))
    tp = sum(len(p) for p in matching.pairs.values())
    metrics: dict[str, Any] = {
        "detection": prf(tp, sum(d["n_pred"] for d in detection.values()),
                         sum(d["n_gold"] for d in detection.values())),
        "detection_by_type": detection,
    }
    for role in rules()["roles"]:
        n_gold = n_pred = right = 0
        for cls in CLASSES:
            names = _roles_for(cls).get(role)
            if not names:
                continue
            gold_heads = {id(g): [head(t) for r, t in g.arguments if r in names]
                          for g in gold if g.event_class == cls}
            n_gold += sum(len(h) for h in gold_heads.values())
            partner = {i: g for i, g in matching.pairs[cls]}
            for i, cs in enumerate(mention_classes):
                if cls not in cs:
                    continue
                text = predicted_text(flat[i][1], role)
                if not text:
                    continue
                n_pred += 1
                g = partner.get(i)
                h = head(text)
                open_heads = gold_heads.get(id(g), []) if g is not None else []
                if h and h in open_heads:
                    open_heads.remove(h)  # each gold argument credited once
                    right += 1
                else:
                    matching.argument_misses.append(
                        {"kind": "argument_false_positive", "role": role, "class": cls,
                         "mention": i, "predicted": text, "head": h,
                         "gold_event": g.event_id if g is not None else None,
                         "gold": [t for r, t in g.arguments if r in names] if g is not None else []})
            matched_to = {id(g): i for i, g in matching.pairs[cls]}
            for g in gold:
                left = gold_heads.get(id(g))
                if left:
                    matching.argument_misses.append(
                        {"kind": "argument_false_negative", "role": role, "class": cls,
                         "mention": matched_to.get(id(g)), "gold_event": g.event_id,
                         "doc_id": g.doc_id, "sentence": g.sentence, "missing_heads": left,
                         "gold": [t for r, t in g.arguments if r in names]})
        metrics[role] = prf(right, n_pred, n_gold)
    macro = rules()["macro_roles"]
    metrics["macro_arg_f1"] = round(sum(metrics[r]["f1"] for r in macro) / len(macro), 4)
    return metrics, matching


def read_gold(path: Path) -> tuple[list[Document], list[GoldEvent]]:
    """The documents (sentences joined by spaces) and their Attack and Die events."""
    documents: list[Document] = []
    events: list[GoldEvent] = []
    for lineno, r in json_lines(path):
        try:
            doc_id = str(r["doc_id"])
            sentences = [s[1] for s in r["sentences"]]
            entities = {e["id"]: e["text"] for e in r.get("entity_mentions", [])}
            for e in r["event_mentions"]:
                cls = next((c for c in CLASSES if e["event_type"].startswith(c + ".")
                            or e["event_type"] == c), None)
                if cls is None:
                    continue
                trigger = e["trigger"]
                args = tuple((a["role"], entities.get(a.get("entity_id"), a.get("text", "")))
                             for a in e.get("arguments", []))
                events.append(GoldEvent(doc_id, str(e.get("id", "")), cls,
                                        sentences[int(trigger["sent_idx"])], trigger["text"], args))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise EvalInputError(f"{path}:{lineno}: not a WikiEvents document record (doc_id, "
                                 f"sentences, entity_mentions, event_mentions): "
                                 f"{type(exc).__name__}: {exc}") from exc
        documents.append(Document(doc_id, " ".join(sentences)))
    if not documents:
        raise EvalInputError(f"{path}: no documents")
    return documents, events


def error_rows(matching: Matching, predicted: dict[str, list[EventMention]]) -> list[dict[str, Any]]:
    flat = [(doc_id, m) for doc_id, ms in sorted(predicted.items()) for m in ms]
    rows: list[dict[str, Any]] = []
    for g in matching.unmatched_gold:
        gw = Counter(words(g.sentence))
        near = [mention_summary(m) for d, m in flat if d == g.doc_id and overlaps(Counter(words(m.sentence)), gw)]
        rows.append({"kind": "detection_false_negative", "class": g.event_class, "doc_id": g.doc_id,
                     "event_id": g.event_id, "trigger": g.trigger, "sentence": g.sentence,
                     "arguments": [list(a) for a in g.arguments], "mentions_in_sentence": near})
    for cls, i in matching.unmatched_pred:
        rows.append({"kind": "detection_false_positive", "class": cls, "doc_id": flat[i][0],
                     "mention": mention_summary(flat[i][1])})
    for miss in matching.argument_misses:
        i = miss["mention"]
        row = {k: v for k, v in miss.items() if k != "mention"}
        if i is not None:
            row.update(doc_id=flat[i][0], mention=mention_summary(flat[i][1]))
        rows.append(row)
    return rows


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    path = Path(path)
    documents, gold = read_gold(path)
    if options.get("limit"):
        documents = documents[:int(options["limit"])]
        keep = {d.doc_id for d in documents}
        gold = [g for g in gold if g.doc_id in keep]
    stored = run_pipeline(documents, "wikievents", options.get("out"), bool(options.get("quiet")))
    predicted = {doc_id: m.events for doc_id, m in stored.items()}
    metrics, matching = score(gold, predicted)
    if options.get("errors"):
        write_json_lines(Path(options["errors"]), error_rows(matching, predicted))
    return {**metrics, "n_docs": len(documents), "n_events": len(gold)}
