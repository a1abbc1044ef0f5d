"""`sitroom eval events FILE.tsv`: CASE-2021 task 2 sub-event-type classification (issue 6).

The file has columns id, EventSnippet, SubType. The classifier (sitroom.events.classify) is trained
and scored by stratified k-fold cross-validation with a fixed seed: every snippet is predicted by a
model that never saw it. Metrics: accuracy, macro_f1, weighted_f1 over sub-types, and n.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FOLDS = 5
SPLIT_SEED = 0  # the split the settings in ClassifierSettings were compared on (see data/events/README.md)


def read_case_tsv(path: Path) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            text, label = (row.get("EventSnippet") or "").strip(), (row.get("SubType") or "").strip()
            if not text or not label:
                log.warning("%s:%d: skipped (no snippet or no label)", path, i)
                continue
            texts.append(text)
            labels.append(label)
    return texts, labels


def cross_validate(texts: list[str], labels: list[str], folds: int = FOLDS, seed: int = SPLIT_SEED,
                   quiet: bool = False) -> list[str]:
    """Out-of-fold predictions for every row."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold
    from tqdm import tqdm

    from sitroom.events.classify import SubTypeClassifier, embed_inputs

    emb = embed_inputs(texts)
    y = np.array(labels)
    pred = np.empty(len(y), dtype=object)
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y))
    for train, test in tqdm(splits, desc="events cv", disable=quiet):
        model = SubTypeClassifier().fit([texts[i] for i in train], y[train], emb[train])
        pred[test] = model.predict([texts[i] for i in test], emb[test])
    return [str(p) for p in pred]


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    texts, labels = read_case_tsv(Path(path))
    folds = int(options.get("folds") or FOLDS)
    seed = int(options.get("seed") if options.get("seed") is not None else SPLIT_SEED)
    pred = cross_validate(texts, labels, folds, seed, quiet=bool(options.get("quiet")))
    return {
        "accuracy": round(float(accuracy_score(labels, pred)), 4),
        "macro_f1": round(float(f1_score(labels, pred, average="macro")), 4),
        "weighted_f1": round(float(f1_score(labels, pred, average="weighted")), 4),
        "n": len(labels),
        "folds": folds,
    }
