"""Word normalisation and the 60% overlap rule shared by the mention evaluations."""

from collections import Counter

from sitroom.eval.stored_mentions import overlaps, prf, words


def test_words_lowercase_and_strip_punctuation():
    assert words("Police FIRED, tear-gas!") == ["police", "fired", "tear", "gas"]
    # doubled apostrophes (as in the gold files) and a real apostrophe split alike
    assert words("west bengal''s police") == words("West Bengal's police") == [
        "west", "bengal", "s", "police"]


def test_mojibake_is_repaired_on_both_sides_alike():
    broken = "the proposed \u00e2\u20ac\u02dcbhoomi pujan\u00e2\u20ac\u2122 was stopped"
    clean = "The proposed \u2018bhoomi pujan\u2019 was stopped"
    assert words(broken) == words(clean) == ["the", "proposed", "bhoomi", "pujan", "was", "stopped"]


def test_mojibake_cut_in_half_leaves_no_fragment():
    # a gold file that splits sentences inside an encoded quote: ftfy alone keeps "pujanâ"
    assert words("pujan\u00e2\u20ac") == ["pujan"]
    assert words("\u2122, even if it was symbolic") == ["even", "if", "it", "was", "symbolic"]
    # letters with accents that are not mojibake stay
    assert words("Café in Málaga") == ["café", "in", "málaga"]


def test_overlap_is_sixty_percent_of_either_side():
    five = "police arrested three men today".split()
    assert overlaps(five, "police arrested three others".split())  # 3 of 4 (75%) of the second
    assert overlaps(five, "police arrested three".split() + ["x"] * 20)  # 3 of 5 of the first
    assert not overlaps(five, "police arrested".split() + ["x"] * 20)  # 2 of 5, 2 of 22
    assert not overlaps([], five) and not overlaps(five, [])
    # words count as multisets: the second "police" of the first finds no partner
    assert not overlaps(Counter(["police", "police", "a"]), Counter(["police", "b", "c"]))
    assert overlaps(Counter(["police", "police", "a"]), Counter(["police", "police", "c"]))


def test_prf_arithmetic_and_empty_cases():
    assert prf(2, 4, 5) == {"precision": 0.5, "recall": 0.4, "f1": 0.4444, "n_gold": 5, "n_pred": 4}
    assert prf(0, 0, 3)["precision"] == 0.0 and prf(0, 0, 3)["f1"] == 0.0
    assert prf(0, 2, 0)["recall"] == 0.0


def test_a_kept_store_warns_when_the_code_changed_under_the_same_mentions_version(
        tmp_path, monkeypatch, capsys):
    from sitroom import pipeline
    from sitroom.eval import stored_mentions

    (tmp_path / stored_mentions.INPUT_DIR).mkdir()
    monkeypatch.setattr(stored_mentions, "code_fingerprint", lambda: "code-a")
    stored_mentions._warn_if_stale(tmp_path, "police")  # first run: nothing to compare
    stored_mentions._warn_if_stale(tmp_path, "police")  # same code
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(stored_mentions, "code_fingerprint", lambda: "code-b")
    stored_mentions._warn_if_stale(tmp_path, "police")
    assert "MENTIONS_VERSION" in capsys.readouterr().err
    # a bumped version recomputes the mentions: nothing to warn about
    monkeypatch.setattr(pipeline, "MENTIONS_VERSION", "bumped")
    monkeypatch.setattr(stored_mentions, "code_fingerprint", lambda: "code-c")
    stored_mentions._warn_if_stale(tmp_path, "police")
    assert capsys.readouterr().err == ""

