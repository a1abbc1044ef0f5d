"""`sitroom eval wikievents`: reading the WikiEvents format, which mentions predict which class,
the detection and per-role head-word scoring, and one run of the real pipeline on a tiny file of
our own."""

import json
from pathlib import Path

import pytest

from sitroom.eval.wikievents import ATTACK, DIE, classes_of, evaluate, head_word, read_gold, score
from sitroom.records import Actor, EventMention

GOLD = Path(__file__).parent / "fixtures" / "wikievents_dev.jsonl"
S0 = "A roadside bomb killed two soldiers near Kandar on Monday."
S1 = "Rebels attacked a police post in Velmar."
S2 = "The minister spoke to reporters in the capital."


def last_word(text):
    return text.split()[-1].lower().strip(".") if text.split() else ""


def mention(sentence, trigger, event_type, actor1=None, actor2=None, place="", fatalities=None):
    return EventMention(article_id="w1", sentence=sentence, sent_start=0, trigger=trigger,
                        event_type=event_type, sub_event_type="",
                        actor1=Actor(actor1, "", actor1) if actor1 else None,
                        actor2=Actor(actor2, "", actor2) if actor2 else None,
                        location_text=place, fatalities=fatalities)


def test_read_gold_keeps_attack_and_die_events_with_their_sentences():
    documents, events = read_gold(GOLD)
    assert [d.doc_id for d in documents] == ["w1", "w2"]
    assert documents[0].text == " ".join([S0, S1, S2])  # not the glued "Monday.Rebels"
    assert [(e.event_class, e.trigger) for e in events] == [
        (DIE, "killed"), (ATTACK, "bomb"), (ATTACK, "attacked"), (DIE, "shot dead")]
    assert events[2].sentence == S1
    assert ("ExplosiveDevice", "bomb") in events[1].arguments


def test_read_gold_names_the_bad_line(tmp_path):
    bad = tmp_path / "dev.jsonl"
    bad.write_text('{"doc_id": "x", "sentences": []}\n')
    with pytest.raises(ValueError, match=r"dev.jsonl:1: not a WikiEvents document record"):
        read_gold(bad)


def test_classes_of_a_mention():
    assert classes_of(mention(S1, "attacked", "Battles")) == [ATTACK]
    assert classes_of(mention(S0, "blast", "Explosions/Remote violence", fatalities=2)) == [ATTACK, DIE]
    # a killing word alone predicts a death; a word that merely starts alike does not
    assert classes_of(mention(S0, "died", "Strategic developments")) == [DIE]
    assert classes_of(mention(S0, "diesel", "Strategic developments")) == []
    assert classes_of(mention(S2, "rally", "Protests")) == []


def test_detection_and_role_arithmetic():
    _, gold = read_gold(GOLD)
    predicted = {
        "w1": [
            # one mention predicts both the bombing and the deaths of the first sentence
            mention(S0, "killed", "Explosions/Remote violence", actor2="two soldiers",
                    place="Kandar", fatalities=2),
            mention(S1, "attacked", "Battles", actor1="Rebels", actor2="police", place="Velmar"),
            # an attack where the gold has none: a false event with a false place
            mention(S2, "clash", "Battles", place="Kandar"),
        ],
        "w2": [],
    }
    metrics, matching = score(gold, predicted, head=last_word)
    assert metrics["detection"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "n_gold": 4, "n_pred": 4}
    assert metrics["detection_by_type"][ATTACK] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8,
                                                   "n_gold": 2, "n_pred": 3}
    assert metrics["detection_by_type"][DIE]["recall"] == 0.5  # w2's killing was not found
    assert [g.doc_id for g in matching.unmatched_gold] == ["w2"]
    # attacker: Rebels right; the Killer of w2 missed
    assert metrics["attacker"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "n_gold": 2, "n_pred": 1}
    # target: "two soldiers" (head soldiers) right, "police" is not the post
    assert metrics["target"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "n_gold": 2, "n_pred": 2}
    assert metrics["victim"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "n_gold": 2, "n_pred": 1}
    # place: Kandar twice (the bombing and the deaths), Velmar; the false event's Kandar is wrong
    assert metrics["place"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "n_gold": 4, "n_pred": 4}
    assert metrics["instrument"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "n_gold": 1, "n_pred": 0}
    assert metrics["macro_arg_f1"] == round((0.6667 + 0.6667 + 0.75) / 3, 4)


def test_matching_is_one_to_one_and_prefers_agreeing_triggers():
    _, gold = read_gold(GOLD)
    twice = [mention(S1, "raid", "Battles"), mention(S1, "attacked", "Battles", actor1="Rebels")]
    metrics, matching = score([g for g in gold if g.doc_id == "w1"], {"w1": twice}, head=last_word)
    assert metrics["detection_by_type"][ATTACK]["n_pred"] == 2
    assert len(matching.pairs[ATTACK]) == 1
    (i, g), = matching.pairs[ATTACK]
    assert i == 1 and g.trigger == "attacked"  # the mention whose trigger agrees gets the event
    assert metrics["attacker"]["precision"] == 1.0


def test_head_word_is_the_syntactic_head():
    assert head_word("a major general") == "general"
    assert head_word("the city of Lyon") == "city"
    assert head_word("  ") == ""


@pytest.mark.slow
def test_evaluate_runs_the_pipeline(tmp_path):
    errors = tmp_path / "errors.jsonl"
    result = evaluate(GOLD, out=tmp_path / "store", errors=errors, quiet=True)
    roles = ("attacker", "victim", "target", "place", "instrument")
    assert set(result) == {"detection", "detection_by_type", *roles, "macro_arg_f1", "n_docs", "n_events"}
    assert result["n_docs"] == 2 and result["n_events"] == 4
    for block in [result["detection"], *result["detection_by_type"].values(), *(result[r] for r in roles)]:
        assert set(block) == {"precision", "recall", "f1", "n_gold", "n_pred"}
        assert all(0.0 <= block[k] <= 1.0 for k in ("precision", "recall", "f1"))
    assert result["instrument"]["n_pred"] == 0
    json.dumps(result)
    kinds = {json.loads(line)["kind"] for line in errors.read_text().splitlines()}
    assert kinds <= {"detection_false_negative", "detection_false_positive",
                     "argument_false_positive", "argument_false_negative"}
