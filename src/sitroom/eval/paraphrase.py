"""`sitroom eval paraphrase MSRP.tsv`: accuracy and F1 on the held-aside part of the file.

The rows are split by a fixed seed (sitroom.stories.paraphrase.split_rows): 70% may be used to
train the classifier (`retrain=True` refits it from this file; otherwise the committed weights,
trained on that same 70% of msr_paraphrase_train.txt, are used) and only the other 30%, which
nothing was fitted or tuned on, is scored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def evaluate(path: Path, retrain: bool = False, quiet: bool = False, **options: Any) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    from sitroom.stories.paraphrase import (
        is_paraphrase_batch,
        load_model,
        pair_cosines,
        read_msrp,
        split_rows,
        train_model,
    )

    rows = read_msrp(path)
    if retrain or load_model() is None:
        train_model(path)
    _, held_idx = split_rows(len(rows))
    held = [rows[i] for i in held_idx]
    pairs = [(a, b) for _, a, b in held]
    gold = [lab for lab, _, _ in held]
    pred = is_paraphrase_batch(pairs, pair_cosines(pairs)).astype(int).tolist()
    return {
        "accuracy": round(accuracy_score(gold, pred), 4),
        "f1": round(f1_score(gold, pred), 4),
        "n": len(held),
        "n_train_rows_not_scored": len(rows) - len(held),
    }
