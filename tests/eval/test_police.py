"""`sitroom eval police`: labels of mentions, the keyword baseline, the sentence-level scoring,
and one run of the real pipeline over a tiny gold file of our own."""

import json
from pathlib import Path

import pytest

from sitroom.eval.police import (GoldSentence, Predicted, baseline_predictions, evaluate,
                                 keyword_labels, mention_labels, read_gold, score)
from sitroom.records import Actor, EventMention

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = FIXTURES / "police_gold.jsonl"
DOCS = FIXTURES / "police_docs.jsonl"

POLICE = Actor("Police Forces of India", "State forces", "police")


def mention(doc, sentence, sub="Arrests", event_type="Strategic developments", actor1=POLICE,
            fatalities=None):
    return EventMention(article_id=doc, sentence=sentence, sent_start=0, trigger="x",
                        event_type=event_type, sub_event_type=sub, actor1=actor1,
                        fatalities=fatalities)


def test_labels_follow_sub_type_actor_type_and_fatalities():
    assert mention_labels(mention("1", "s")) == {"ARREST"}
    attack = dict(sub="Attack", event_type="Violence against civilians")
    assert mention_labels(mention("1", "s", **attack)) == {"FORCE"}
    assert mention_labels(mention("1", "s", fatalities=2, **attack)) == {"FORCE", "KILL"}
    assert mention_labels(mention("1", "s", fatalities=0, **attack)) == {"FORCE"}
    # state forces by ACLED's naming alone (no type), of any country
    army = Actor("Military Forces of Chile", "", "soldiers")
    assert mention_labels(mention("1", "s", actor1=army, **attack)) == {"FORCE"}
    rioters = Actor("Rioters (India)", "Rioters", "a mob")
    assert mention_labels(mention("1", "s", actor1=rioters, fatalities=3, **attack)) == frozenset()
    assert mention_labels(mention("1", "s", actor1=None, fatalities=3, **attack)) == frozenset()
    # police breaking up a protest counts; police at a peaceful protest does not
    assert mention_labels(mention("1", "s", sub="Protest with intervention", event_type="Protests")) == {"FORCE"}
    assert mention_labels(mention("1", "s", sub="Peaceful protest", event_type="Protests")) == frozenset()
    # an arrest named but not told as happening ("demanded the arrest of its leaders")
    named = mention("1", "s")
    named.scope = "named"
    assert mention_labels(named) == frozenset()


def test_keyword_baseline():
    assert keyword_labels("Police lathi-charged the crowd.") == {"FORCE"}
    assert keyword_labels("two were killed in police firing") == {"FORCE", "KILL"}
    assert keyword_labels("About 100 people were shot dead by police.") >= {"KILL"}
    assert keyword_labels("Police arrested 40 people.") == {"ARREST"}
    assert keyword_labels("The minister said the town was calm.") == frozenset()


def gold():
    return read_gold(GOLD)


def test_read_gold():
    g = gold()
    assert [(s.doc_id, s.sent_id) for s in g] == [("1", 0), ("1", 1), ("1", 2), ("3", 0), ("3", 1)]
    assert g[3].labels == {"ANY_ACTION", "FORCE", "KILL"}


def test_read_gold_names_the_bad_line(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"doc_id": 1, "sent_id": 0, "sent_text": "x", "sent_labels": []}\n{"doc_id": 1}\n')
    with pytest.raises(ValueError, match=r"gold.jsonl:2: not a gold sentence record"):
        read_gold(bad)


def test_scoring_arithmetic():
    attack = dict(sub="Attack", event_type="Violence against civilians")
    predicted = [
        # our sentence splits and cases differ from the gold's: still the same sentence
        Predicted("1", "Rampur: Police arrested three men near the old bus stand on Monday night.",
                  frozenset({"ARREST"})),
        # an arrest where the gold has none; twice from one sentence: one false positive
        Predicted("1", "The three were released on bail the next morning.", frozenset({"ARREST"})),
        Predicted("1", "The three were released on bail the next morning.", frozenset({"ARREST"})),
        # the right sentence but in another document: a false positive, not a hit
        Predicted("3", "Later the police used tear gas to scatter a crowd that had set fire to two shops.",
                  mention_labels(mention("3", "", **attack))),
        Predicted("3", "Two men were killed when the police opened fire on rioters in Kheda town on "
                       "Tuesday.", mention_labels(mention("3", "", fatalities=2, **attack))),
    ]
    metrics, errors = score(gold(), predicted)
    assert metrics["ARREST"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "n_gold": 1, "n_pred": 2}
    # FORCE: doc 3 sentence 0 found; doc 1 sentence 2 missed; the tear-gas mention of doc 3 is false
    assert metrics["FORCE"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "n_gold": 2, "n_pred": 2}
    assert metrics["KILL"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "n_gold": 1, "n_pred": 1}
    assert [g.sent_id for g in errors["FORCE"].false_negatives] == [2]
    assert [p.doc_id for p, _ in errors["FORCE"].false_positives] == ["3"]
    assert [p.sentence for p, _ in errors["ARREST"].false_positives] == [
        "The three were released on bail the next morning."]


def test_one_mention_spanning_two_gold_sentences_finds_both():
    # our sentence splitter may join two gold sentences: each is 100% inside the mention's
    g = [GoldSentence("9", 0, "police held two men.", frozenset({"ARREST"})),
         GoldSentence("9", 1, "police held a third later.", frozenset({"ARREST"}))]
    p = [Predicted("9", "Police held two men. Police held a third later.", frozenset({"ARREST"}))]
    metrics, _ = score(g, p)
    assert metrics["ARREST"]["recall"] == 1.0 and metrics["ARREST"]["n_pred"] == 2


def test_baseline_scores_the_gold_sentences_themselves():
    metrics, _ = score(gold(), baseline_predictions(gold()))
    assert metrics["ARREST"]["recall"] == 1.0
    assert metrics["KILL"]["recall"] == 1.0 and metrics["KILL"]["precision"] == 1.0


@pytest.mark.slow
def test_evaluate_runs_the_pipeline_and_keeps_its_store(tmp_path, monkeypatch):
    from sitroom import pipeline
    from sitroom.store import open_store

    monkeypatch.setenv("SITROOM_WORKERS", "1")  # in-process: the extraction calls can be counted
    out = tmp_path / "store"
    errors = tmp_path / "errors.jsonl"
    result = evaluate(GOLD, docs=DOCS, out=out, errors=errors, quiet=True)
    assert set(result) == {"ARREST", "FORCE", "KILL", "baseline", "n_docs", "n_sentences"}
    assert result["n_docs"] == 2 and result["n_sentences"] == 5
    for block in [result[k] for k in ("ARREST", "FORCE", "KILL")] + list(result["baseline"].values()):
        assert set(block) == {"precision", "recall", "f1", "n_gold", "n_pred"}
        assert all(0.0 <= block[k] <= 1.0 for k in ("precision", "recall", "f1"))
    assert (result["ARREST"]["n_gold"], result["FORCE"]["n_gold"], result["KILL"]["n_gold"]) == (1, 2, 1)
    json.dumps(result)
    for row in map(json.loads, errors.read_text().splitlines()):
        assert row["label"] in ("ARREST", "FORCE", "KILL")
        assert row["kind"] in ("false_positive", "false_negative")
    store = open_store(out, readonly=True)
    assert store.article_ids() == ["1", "3"]  # doc 2 is not in the gold file
    contexts = store.mention_contexts()
    store.close()

    calls = []
    real = pipeline.events_stage.extract_event_mentions

    def counting(*args):
        calls.append(args[1])
        return real(*args)

    monkeypatch.setattr(pipeline.events_stage, "extract_event_mentions", counting)
    assert evaluate(GOLD, docs=DOCS, out=out, quiet=True) == result
    assert calls == []  # nothing changed: mentions reused
    # a new mentions version: every article's mentions are read again
    from sitroom import versions

    monkeypatch.setattr(pipeline, "MENTIONS_VERSION", "test-bump")
    monkeypatch.setattr(versions, "MENTIONS_VERSION", "test-bump")  # the store's cache versions
    monkeypatch.setattr(pipeline, "STORY_CONTEXT_PREFIX", "storytest-bump:")
    assert evaluate(GOLD, docs=DOCS, out=out, quiet=True) == result
    assert sorted(calls) == ["1", "3"]
    store = open_store(out, readonly=True)
    assert all(store.mention_contexts()[a] != contexts[a] for a in contexts)
    store.close()


def test_cli_reports_a_bad_gold_file_by_name(tmp_path, capsys):
    from sitroom.cli import main

    bad = tmp_path / "sents.jsonl"
    bad.write_text("not json\n")
    assert main(["eval", "police", str(bad), "--limit", "3"]) == 2
    err = capsys.readouterr().err
    assert "sents.jsonl:1" in err and "broken JSON" in err


def test_cli_passes_the_options(tmp_path, monkeypatch, capsys):
    from sitroom import cli, eval as eval_pkg

    seen = {}
    monkeypatch.setattr(eval_pkg, "run_task", lambda task, path, **o: seen.update(o) or {"ok": 1})
    assert cli.main(["eval", "police", str(GOLD), "--out", str(tmp_path), "--limit", "3",
                     "--errors", "e.jsonl", "--docs", str(DOCS), "-q"]) == 0
    assert seen == {"quiet": True, "out": str(tmp_path), "limit": 3, "errors": "e.jsonl",
                    "docs": str(DOCS)}
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"ok": 1}
