"""The PolNeAR reader and metrics, on a two-sentence article written for this test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.eval.quotes import evaluate, read_brat, tokens_in, word_tokens

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TEXT = "The mayor said the bridge was closed. Officials declined to comment.\n"
ANN = (
    "T1\tSource 0 9\tThe mayor\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 36\tthe bridge was closed\n"
    "T4\tAttribution 10 14\tsaid\n"
    "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    "T5\tCue 48 60\tdeclined to\n"
    "T6\tContent 50 52;60 68\tdiscontinuous\n"
    "E2\tAttribution-no-source:T5 Cue:T5 Content:T6\n"
    "E3\tAttribution:T9 Cue:T2\n"  # refers to a missing span and has no content: ignored
)


def test_read_brat_keeps_events_with_cue_and_content():
    atts = read_brat(ANN)
    assert len(atts) == 2
    assert atts[0].source == [(0, 9)] and atts[0].content == [(15, 36)]
    assert atts[1].source == [] and atts[1].content == [(50, 52), (60, 68)]


def test_tokens_in_counts_words_overlapping_spans():
    words = word_tokens(TEXT)
    got = tokens_in([(15, 36)], words)
    assert [TEXT[words[k][0] : words[k][1]] for k in sorted(got)] == ["the", "bridge", "was", "closed"]


def test_evaluate_on_tiny_folder(tmp_path: Path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "doc1_ab12.ann").write_text(ANN.split("T5")[0], encoding="utf-8")
    m = evaluate(tmp_path, quiet=True)
    assert m["n"] == 1 and m["n_docs"] == 1
    assert m["content_f1"] == 1.0  # "the bridge was closed" exactly
    assert m["source_accuracy"] == 1.0
    assert 0.0 < m["cue_f1"] <= 1.0
    json.dumps(m)


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "eval" / "quotes" / "dev").exists(), reason="needs ../shared")
def test_sanity_on_two_polnear_dev_articles():
    m = evaluate(SHARED / "eval" / "quotes" / "dev", quiet=True, limit=2)
    assert m["n_docs"] == 2 and m["n"] > 0
    assert 0.3 < m["content_f1"] <= 1.0
