"""A small sanity run of the CASE-2021 classifier on the shared dev file (skipped without ../shared)."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CASE = SHARED / "eval" / "events" / "case2021_task2_dev.tsv"


@pytest.mark.shared
@pytest.mark.skipif(not CASE.exists(), reason="../shared/eval/events absent")
def test_classifier_learns_from_some_rows_and_predicts_others():
    from sitroom.eval.events import read_case_tsv
    from sitroom.events.classify import SubTypeClassifier, embed_inputs as embed

    texts, labels = read_case_tsv(CASE)
    assert len(texts) > 400
    keep = {"GRENADE", "SUIC_BOMB", "ARREST", "PEACE_PROTEST", "AIR_STRIKE"}
    rows = [(t, y) for t, y in zip(texts, labels) if y in keep]
    train, test = rows[::2], rows[1::2]  # disjoint halves
    emb_tr = embed([t for t, _ in train])
    emb_te = embed([t for t, _ in test])
    model = SubTypeClassifier().fit([t for t, _ in train], [y for _, y in train], emb_tr)
    pred = model.predict([t for t, _ in test], emb_te)
    acc = sum(p == y for p, (_, y) in zip(pred, test)) / len(test)
    assert acc > 0.7
