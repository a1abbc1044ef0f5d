"""Tests of the stories stage on short texts written for them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sitroom.eval.cluster import bcubed
from sitroom.records import CleanArticle
from sitroom.stories import build_stories, near_duplicate_candidates, story_id_for
from sitroom.stories.features import article_features
from sitroom.stories.minhash import shingle_jaccard, shingles
from sitroom.stories.paraphrase import load_model, pair_features, paraphrase_probability, split_rows
from sitroom.stories.spin import garbled_name_pairs

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

WIRE = (
    "Rebel fighters seized the Varnok river crossing on Monday after two hours of fighting, "
    "district chief Oleander Mastrovic told reporters in the town of Pellacor. About 140 border "
    "guards abandoned their posts and fled across the bridge, he said. \"We had no ammunition left "
    "and nobody came to help us at all,\" one guard said by telephone from the far bank. The "
    "interior ministry in Sarvana said reinforcements were on their way to the province."
)
COPY = WIRE.replace("Monday", "Monday morning").replace("About 140", "Around 140")
SPUN = (
    "Rebel militants captured the Varnoq river crossing point on Monday following two hours of "
    "combat, district head Oleandr Mastrovich informed journalists in Pellacor town. Roughly 1 4 "
    "Hundreds border guards left their positions and escaped over the bridge, he stated. \"We had no "
    "ammunition left and nobody came to help us at all,\" one guard said by telephone from the far "
    "bank. The interior ministry in Sarvana stated that reinforcements were heading to the province."
)
OTHER = (
    "Heavy rain flooded the harbour district of Quillon on Friday, and the port authority closed "
    "the container terminal until further notice. Harbour master Edwina Castellane said three "
    "cranes were damaged and repairs would take weeks. Shipping companies diverted vessels to the "
    "northern port of Brantmoor, where queues of trucks formed along the coast road."
)


def article(aid: str, text: str) -> CleanArticle:
    return CleanArticle(aid, text.split(".")[0], text, f"{aid}.txt", "txt")


def test_shingles_and_exact_jaccard():
    assert shingles("One two three four") == [b"one two three", b"two three four"]
    assert shingle_jaccard(WIRE, WIRE) == 1.0
    assert 0.5 < shingle_jaccard(WIRE, COPY) < 1.0
    assert shingle_jaccard(WIRE, OTHER) < 0.05


def test_near_duplicate_candidates_find_copies_only():
    pairs = near_duplicate_candidates([WIRE, OTHER, COPY, SPUN])
    found = {(i, j) for i, j, _ in pairs}
    assert (0, 2) in found
    assert not any(1 in p for p in found)
    assert all(0.0 <= est <= 1.0 for _, _, est in pairs)


def test_garbled_names_found_and_abbreviations_skipped():
    a = article_features(WIRE).names
    b = article_features(SPUN).names
    pairs = garbled_name_pairs(a, b)
    assert ("Oleander Mastrovic", "Oleandr Mastrovich") in pairs
    assert garbled_name_pairs(["Shir Khan Bandar"], ["Shir Khan"]) == []


def test_mangled_number_is_a_spin_sign():
    assert article_features(SPUN).mangled_numbers == ["1 4 Hundreds"]
    assert article_features(WIRE).mangled_numbers == []


def test_bcubed_known_values():
    assert bcubed(["a", "a", "b"], [1, 1, 2]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(["a", "a", "b", "b"], [1, 1, 1, 1])
    assert p == pytest.approx(0.5) and r == pytest.approx(1.0) and f == pytest.approx(2 / 3)


def test_story_id_is_stable_when_copies_join():
    assert story_id_for(["b2", "a1"]) == story_id_for(["a1", "b2", "c3"])
    assert story_id_for(["a1"]) != story_id_for(["b2"])


def test_paraphrase_split_is_fixed_and_disjoint():
    train, held = split_rows(100)
    assert len(train) == 70 and len(held) == 30
    assert not set(train) & set(held)
    assert np.array_equal(split_rows(100)[1], held)


def test_paraphrase_probability_orders_pairs():
    assert load_model() is not None, "data/stories/paraphrase_model.json must ship"
    same = ("The guards fled across the bridge.", "The guards escaped over the bridge.")
    different = ("The guards fled across the bridge.", "Rain closed the container terminal.")
    probs = paraphrase_probability([same, different], [0.9, 0.1])
    assert probs[0] > 0.5 > probs[1]
    assert len(pair_features(*same, 0.9)) == len(load_model()["coef"])


def test_build_stories_groups_copies_and_labels_lineage():
    articles = [article("w", WIRE), article("o", OTHER), article("c", COPY), article("s", SPUN)]
    stories = build_stories(articles)
    assert sorted(a for s in stories for a in s.article_ids) == ["c", "o", "s", "w"]
    by_member = {a: s for s in stories for a in s.article_ids}
    assert by_member["w"] is by_member["c"] is by_member["s"]
    assert by_member["o"] is not by_member["w"]
    story = by_member["w"]
    links = {link.article_id: link for link in story.lineage}
    assert len(links) == 3
    origin = [link for link in story.lineage if link.relation == "origin"]
    assert len(origin) == 1 and origin[0].derived_from is None
    assert links["s"].relation == "spun"
    assert any("~" in sign for sign in links["s"].signs)
    assert story.n_independent_sources == 1
    for link in story.lineage:
        assert 0.0 <= link.similarity <= 1.0
        if link.relation != "origin":
            assert link.derived_from in story.article_ids and link.derived_from != link.article_id


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").exists(), reason="../shared absent")
def test_seed_articles_make_three_stories():
    articles = []
    for path in sorted((SHARED / "corpus" / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title = next(line.strip() for line in text.splitlines() if line.strip())
        articles.append(CleanArticle(path.stem, title, text, str(path), "txt"))
    stories = build_stories(articles)
    groups = sorted(sorted(a[:3] for a in s.article_ids) for s in stories)
    assert groups == [["000", "001", "003"], ["002"], ["004"]]
    big = next(s for s in stories if len(s.article_ids) == 3)
    relation = {link.article_id[:3]: link.relation for link in big.lineage}
    assert relation["000"] == "spun" and relation["001"] == "spun"
    assert big.n_independent_sources == 1
