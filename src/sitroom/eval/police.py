"""`sitroom eval police FILE.jsonl`: IndiaPoliceEvents sentence labels against the event mentions
the pipeline stores per article (issue 21).

FILE holds one gold sentence a line: {"doc_id", "sent_id", "sent_text", "sent_labels"} (the dev
half, ../shared/eval/events/india_police_events_sents_dev.jsonl, holds the odd doc ids). The
documents are read from the bench file (--docs, default ../shared/eval/bench/
india_police_events_docs.jsonl: {"doc_id", "doc_text"}); those whose doc_id appears in FILE are
run through sitroom.pipeline.run as one article each (article id = the doc_id), exactly as
`sitroom run` would, and the mentions it stores per article (not the fused events) are scored.

Labels of a predicted mention (rules and lists in data/eval/police.json):
- ARREST: sub_event_type "Arrests".
- FORCE: actor1 is state forces (actor type "State forces", or an ACLED state-forces name,
  "Military Forces of X" / "Police Forces of X") and the mention is violent: event type Battles,
  Violence against civilians or Explosions/Remote violence, or sub-event type Excessive force
  against protesters, Protest with intervention or Mob violence.
- KILL: FORCE and fatalities > 0, or FORCE told by a word of killing ("people killed in police
  firing": someone was killed, though the report gives no figure; lethal_triggers).

A mention of scope "named" (an act named but not told as happening: "demanded the arrest of its
leaders") has no label; every other stored mention (incidents, aggregates, background, references
to acts told elsewhere) says that the act happened.

Matching (sitroom.eval.stored_mentions): a mention counts for a gold sentence of its own document
when their normalised words overlap by at least 60% of either sentence's words.

Scores, per label L, at the sentence level:
- a gold sentence labelled L is a true positive when some mention labelled L counts for it;
- a mention labelled L that counts for no gold sentence labelled L is a false positive; false
  positives are counted once per distinct mention sentence (normalised words) of a document;
- n_pred = true positives + false positives, n_gold = gold sentences labelled L;
  precision = TP / n_pred, recall = TP / n_gold, F1 their harmonic mean (0 when undefined).

Baseline: keyword rules (data/eval/police.json) applied to each gold sentence's own text; a
sentence they label is a predicted "mention" with that sentence, scored by the same function.

Options: out (keep the store in that folder; a re-run re-analyses only what changed: parses
are reused by content hash, mentions by content, context and sitroom.pipeline.MENTIONS_VERSION),
limit (the first N documents of FILE), docs (the documents file), errors (write every false
positive and false negative, per label, as JSON lines).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitroom.eval import EvalInputError
from sitroom.eval.stored_mentions import (Document, json_lines, mention_summary, overlaps, prf,
                                          run_pipeline, words, write_json_lines)
from sitroom.records import EventMention

LABELS = ("ARREST", "FORCE", "KILL")
DOCS_FILE = Path("eval") / "bench" / "india_police_events_docs.jsonl"


@dataclass(frozen=True)
class GoldSentence:
    doc_id: str
    sent_id: int
    text: str
    labels: frozenset[str]


@dataclass
class Predicted:
    """One predicted mention: its document, sentence and labels (and the mention, for errors)."""

    doc_id: str
    sentence: str
    labels: frozenset[str]
    mention: EventMention | None = None


@dataclass
class LabelErrors:
    false_positives: list[tuple[Predicted, list[GoldSentence]]] = field(default_factory=list)
    false_negatives: list[GoldSentence] = field(default_factory=list)


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return json.loads(resources.files("sitroom.data.eval").joinpath("police.json")
                      .read_text(encoding="utf-8"))


def is_state_forces(mention: EventMention) -> bool:
    actor = mention.actor1
    if actor is None:
        return False
    sf = rules()["state_forces"]
    return actor.actor_type in sf["actor_types"] or any(
        actor.name.startswith(prefix) for prefix in sf["name_prefixes"])


def is_violent(mention: EventMention) -> bool:
    v = rules()["violent"]
    return mention.event_type in v["event_types"] or mention.sub_event_type in v["sub_event_types"]


def mention_labels(mention: EventMention) -> frozenset[str]:
    labels: set[str] = set()
    if mention.scope == "named":
        return frozenset(labels)  # "demanded the arrest of its leaders": no arrest told
    if mention.sub_event_type in rules()["arrest_sub_event_types"]:
        labels.add("ARREST")
    if is_state_forces(mention) and is_violent(mention):
        labels.add("FORCE")
        if (mention.fatalities or 0) > 0 or _lethal_trigger().search(mention.trigger):
            labels.add("KILL")
    return frozenset(labels)


@lru_cache(maxsize=1)
def _lethal_trigger() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(rules()["lethal_triggers"]) + ")", re.I)


@lru_cache(maxsize=1)
def _baseline_rules() -> dict[str, list[list[list[re.Pattern[str]]]]]:
    base = rules()["baseline"]
    terms = {name: [re.compile(r"\b" + p) for p in patterns] for name, patterns in base["terms"].items()}
    return {label: [[terms[name] for name in rule] for rule in alternatives]
            for label, alternatives in base["rules"].items()}


def keyword_labels(text: str) -> frozenset[str]:
    """The keyword baseline's labels of one sentence."""
    joined = " ".join(words(text))
    return frozenset(label for label, alternatives in _baseline_rules().items()
                     if any(all(any(p.search(joined) for p in group) for group in rule)
                            for rule in alternatives))


def baseline_predictions(gold: list[GoldSentence]) -> list[Predicted]:
    out = []
    for g in gold:
        labels = keyword_labels(g.text)
        if labels:
            out.append(Predicted(g.doc_id, g.text, labels))
    return out


def score(gold: list[GoldSentence], predicted: list[Predicted], labels: tuple[str, ...] = LABELS
          ) -> tuple[dict[str, dict[str, Any]], dict[str, LabelErrors]]:
    """Per-label sentence-level P/R/F1 (see the module docstring), and the errors behind them."""
    by_doc: dict[str, list[tuple[GoldSentence, Counter[str]]]] = defaultdict(list)
    for g in gold:
        by_doc[g.doc_id].append((g, Counter(words(g.text))))
    matched: list[list[GoldSentence]] = []  # per prediction: the gold sentences it counts for
    for p in predicted:
        pw = Counter(words(p.sentence))
        matched.append([g for g, gw in by_doc.get(p.doc_id, []) if overlaps(pw, gw)])
    metrics: dict[str, dict[str, Any]] = {}
    errors: dict[str, LabelErrors] = {}
    for label in labels:
        found: set[GoldSentence] = set()
        false_pos: dict[tuple[str, tuple[str, ...]], tuple[Predicted, list[GoldSentence]]] = {}
        for p, hits in zip(predicted, matched):
            if label not in p.labels:
                continue
            right = [g for g in hits if label in g.labels]
            if right:
                found.update(right)
            else:
                false_pos.setdefault((p.doc_id, tuple(words(p.sentence))), (p, hits))
        n_gold = sum(1 for g in gold if label in g.labels)
        metrics[label] = prf(len(found), len(found) + len(false_pos), n_gold)
        errors[label] = LabelErrors(list(false_pos.values()),
                                    [g for g in gold if label in g.labels and g not in found])
    return metrics, errors


def read_gold(path: Path) -> list[GoldSentence]:
    out = []
    for lineno, r in json_lines(path):
        try:
            out.append(GoldSentence(str(r["doc_id"]), int(r["sent_id"]), str(r["sent_text"]),
                                    frozenset(r.get("sent_labels") or [])))
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalInputError(f"{path}:{lineno}: not a gold sentence record (doc_id, sent_id, "
                                 f"sent_text, sent_labels): {type(exc).__name__}: {exc}") from exc
    if not out:
        raise EvalInputError(f"{path}: no gold sentences")
    return out


def default_docs(gold_path: Path) -> Path | None:
    """The bench file: beside the gold file's data folder (../shared/eval/), else ../shared."""
    from sitroom.bench import default_corpus

    for base in Path(gold_path).resolve().parents:
        if (base / DOCS_FILE).exists():
            return base / DOCS_FILE
    return default_corpus()


def read_documents(path: Path, wanted: list[str]) -> list[Document]:
    """The documents of `path` (JSONL, the field names ingest accepts) whose ids are `wanted`, in
    that order."""
    from sitroom.ingest import JSONL_FIELDS

    def first(record: dict[str, Any], name: str) -> Any:
        return next((record[k] for k in JSONL_FIELDS[name] if record.get(k) is not None), None)

    keep = set(wanted)
    found: dict[str, Document] = {}
    for _, record in json_lines(path):
        if not isinstance(record, dict):
            continue
        doc_id, text = first(record, "id"), first(record, "text")
        if doc_id is not None and str(doc_id) in keep and isinstance(text, str):
            found[str(doc_id)] = Document(str(doc_id), text, first(record, "published"))
    missing = [d for d in wanted if d not in found]
    if missing:
        raise EvalInputError(f"{path}: {len(missing)} document(s) of the gold file are missing "
                         f"(first: {missing[:5]})")
    return [found[d] for d in wanted]


def predictions_from(mentions: dict[str, Any]) -> list[Predicted]:
    """Every stored event mention, with its labels (unlabelled ones are kept: errors show them)."""
    return [Predicted(doc_id, m.sentence, mention_labels(m), m)
            for doc_id, article in mentions.items() for m in article.events]


def _mention_json(m: EventMention | None) -> dict[str, Any] | None:
    return mention_summary(m) if m is not None else None


def error_rows(errors: dict[str, LabelErrors], predicted: list[Predicted]) -> list[dict[str, Any]]:
    """JSON-ready rows: each false positive with the gold sentences its mention counts for, each
    false negative with every mention (of any label) that counts for its sentence."""
    rows: list[dict[str, Any]] = []
    by_doc: dict[str, list[Predicted]] = defaultdict(list)
    for p in predicted:
        by_doc[p.doc_id].append(p)
    for label, err in errors.items():
        for p, hits in err.false_positives:
            rows.append({"label": label, "kind": "false_positive", "doc_id": p.doc_id,
                         "sentence": p.sentence, "mention": _mention_json(p.mention),
                         "gold_sentences": [{"sent_id": g.sent_id, "text": g.text,
                                             "labels": sorted(g.labels)} for g in hits]})
        for g in err.false_negatives:
            gw = Counter(words(g.text))
            near = [p for p in by_doc.get(g.doc_id, []) if overlaps(Counter(words(p.sentence)), gw)]
            rows.append({"label": label, "kind": "false_negative", "doc_id": g.doc_id,
                         "sent_id": g.sent_id, "sentence": g.text, "gold_labels": sorted(g.labels),
                         "mentions": [dict(_mention_json(p.mention) or {}, labels=sorted(p.labels))
                                      for p in near]})
    return rows


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    path = Path(path)
    gold = read_gold(path)
    doc_ids = list(dict.fromkeys(g.doc_id for g in gold))  # file order
    if options.get("limit"):
        doc_ids = doc_ids[:int(options["limit"])]
        keep = set(doc_ids)
        gold = [g for g in gold if g.doc_id in keep]
    docs_path = Path(options["docs"]) if options.get("docs") else default_docs(path)
    if docs_path is None or not docs_path.exists():
        raise EvalInputError(f"{path}: the documents file was not found (looked for {DOCS_FILE} "
                         "above it and in ../shared); give it with --docs")
    documents = read_documents(docs_path, doc_ids)
    mentions = run_pipeline(documents, "police", options.get("out"), bool(options.get("quiet")))
    predicted = predictions_from(mentions)
    metrics, errors = score(gold, predicted)
    baseline, _ = score(gold, baseline_predictions(gold))
    if options.get("errors"):
        write_json_lines(Path(options["errors"]), error_rows(errors, predicted))
    return {**metrics, "baseline": baseline, "n_docs": len(doc_ids), "n_sentences": len(gold)}
