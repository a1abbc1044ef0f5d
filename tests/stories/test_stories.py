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


def _components(n: int, pairs) -> list[list[int]]:
    from sitroom.unionfind import UnionFind

    sets = UnionFind(n)
    for i, j, *_ in pairs:
        sets.union(i, j)
    out: dict[int, list[int]] = {}
    for i in range(n):
        out.setdefault(sets.find(i), []).append(i)
    return sorted(out.values())


def test_near_duplicate_sets_join_what_the_pairs_join():
    # many copies of two texts (each copy a little edited), an unrelated text and an empty one:
    # the sets are the components of near_duplicate_candidates' pairs, found without the pairs
    from sitroom.stories.minhash import near_duplicate_sets

    texts = [WIRE, OTHER, "", SPUN]
    for k in range(12):
        texts.append(WIRE.replace("Monday", f"Monday {k}"))
        texts.append(OTHER.replace("Friday", f"Friday {k}"))
    sets = near_duplicate_sets(texts)
    found = _components(len(texts), [(i, sets.find(i)) for i in range(len(texts))])
    assert found == _components(len(texts), near_duplicate_candidates(texts))
    assert [0] + list(range(4, len(texts), 2)) in found and [2] in found


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


def test_paraphrase_model_file_matches_feature_list():
    from sitroom.stories.paraphrase import FEATURE_NAMES

    model = load_model()
    assert model["features"] == FEATURE_NAMES
    assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURE_NAMES)


def test_paraphrase_features_flag_negation_and_number_mismatch():
    from sitroom.stories.paraphrase import FEATURE_NAMES

    def feature(a: str, b: str, name: str) -> float:
        return pair_features(a, b, 0.9)[FEATURE_NAMES.index(name)]

    assert feature("Police did not arrest 12 men.", "Police arrested 12 men.", "negation_one_side") == 1.0
    assert feature("Police arrested 12 men.", "Police arrested 12 men.", "negation_one_side") == 0.0
    assert feature("Police arrested 12 men.", "Police arrested 21 men.", "numbers_differ") == 1.0
    assert feature("Police may arrest him.", "Police will arrest him.", "modals_symmetric_difference") == 2.0
    assert feature("abc abc", "abc abc", "char3_f") == 1.0
    assert feature("abc abc", "xyz xyz", "word_edit_distance") == 1.0


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


@pytest.mark.parametrize("task_articles, tasks_made", [(64, [[3, 2]]), (3, [[3], [2]])])
def test_lineage_read_through_an_engine_map_is_the_same_and_fills_the_cache(
        monkeypatch, task_articles, tasks_made):
    import sitroom.stories as stories_stage
    from sitroom import embed

    monkeypatch.setattr(stories_stage, "LINEAGE_TASK_ARTICLES", task_articles)
    other_copy = OTHER.replace("on Friday", "on Friday night")
    # the story of two comes first in input order
    articles = [article("o", OTHER), article("w", WIRE), article("c", COPY), article("s", SPUN),
                article("p", other_copy)]
    here = build_stories(articles)
    tasks: list[list[int]] = []

    def engine_map(fn, items):  # an engine's map, in this process
        for item in items:
            tasks.append([len(job.articles) for job in item])
            yield fn(item)

    cache: dict[str, bytes] = {}
    embed.use_cache(cache)
    try:
        there = build_stories(articles, map_lineage=engine_map)
    finally:
        embed.use_cache(None)
    # two stories (of three and two), the larger first: one task, or one each when a task
    # holds three articles; the links still go to their own stories
    assert tasks == tasks_made
    assert [s.lineage for s in there] == [s.lineage for s in here]
    # the sentence vectors the work made (for the spun copy's alignment) are in the cache
    sentences = [s for a in articles if a.article_id in ("w", "s")
                 for s in article_features(a.text).sentences]
    assert all(embed._key(s) in cache for s in sentences)


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


CAPTURE_A = (
    "Rebel fighters captured Dorvant district on Tuesday after a night of fighting, provincial "
    "spokesman Kasimir Olbrecht said. The district police chief, Anselm Reyt, and 23 officers "
    "surrendered at the district centre, Olbrecht said. \"Dorvant has fallen and we are waiting "
    "for help from the capital,\" he told reporters in Merrowgate."
)
CAPTURE_A2 = (
    "Dorvant district fell to rebel fighters on Tuesday, spokesman Kasimir Olbrecht told "
    "reporters in Merrowgate. Police chief Anselm Reyt and 23 of his officers surrendered at the "
    "district centre after a night of clashes, according to Olbrecht."
)
CAPTURE_B = (
    "Rebel fighters captured Silvane district on Wednesday after a night of fighting, provincial "
    "council member Teodora Vasquell said. The district governor, Lucan Feodorow, fled to the "
    "provincial capital of Tamsburg with 41 soldiers, Vasquell said. \"Silvane is lost and nobody "
    "came to help,\" she told reporters in Tamsburg."
)
CAPTURE_B2 = (
    "Silvane district fell to rebel fighters on Wednesday, council member Teodora Vasquell told "
    "reporters in Tamsburg. District governor Lucan Feodorow escaped to the provincial capital with "
    "41 soldiers after a night of clashes, according to Vasquell."
)


def test_pair_model_file_fits_the_feature_list():
    from sitroom.stories.pairs import PAIR_FEATURES, load_pair_model

    model = load_pair_model()
    assert model is not None and model["features"] == PAIR_FEATURES
    assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(PAIR_FEATURES)
    assert 0.0 < model["cut"] < 1.0


def test_look_alike_events_in_one_week_are_two_stories():
    from sitroom.stories import group_articles

    articles = [article("a", CAPTURE_A), article("b", CAPTURE_B), article("a2", CAPTURE_A2),
                article("b2", CAPTURE_B2)]
    groups = sorted(sorted(articles[i].article_id for i in g) for g in group_articles(articles))
    assert groups == [["a", "a2"], ["b", "b2"]]


def test_demo_independent_short_report_is_its_own_story(demo_run: Path) -> None:
    import json

    stories = json.loads((demo_run / "stories.json").read_text())
    stories = stories if isinstance(stories, list) else stories["stories"]
    groups = [sorted(s["article_ids"]) for s in stories]
    assert ["004_ghori_retaken"] in groups
    assert any({"001_afp_torghundi", "002_torghundi_copy", "003_torghundi_spun"} <= set(g)
               for g in groups)


@pytest.fixture
def lineage_calls(monkeypatch) -> list[list[str]]:
    """The member ids of every build_lineage call made during the test, in order."""
    import sitroom.stories.lineage as lineage_module

    calls: list[list[str]] = []
    real = lineage_module.build_lineage

    def counting(story_articles, *rest):
        calls.append([a.article_id for a in story_articles])
        return real(story_articles, *rest)

    monkeypatch.setattr(lineage_module, "build_lineage", counting)
    return calls


def test_lineage_is_reused_only_while_members_texts_and_dates_are_unchanged(lineage_calls):
    arts = [article("a1", WIRE), article("a2", SPUN), article("a3", OTHER)]
    first = build_stories(arts)
    previous = {s.lineage_key: s.lineage for s in first}
    assert all(s.lineage_key for s in first)

    calls = lineage_calls
    calls.clear()  # count from here on
    again = build_stories(arts, previous_lineage=previous)
    assert calls == []  # nothing changed: every story's lineage is taken as stored
    assert [(s.article_ids, s.lineage) for s in again] == [(s.article_ids, s.lineage) for s in first]

    edited = [arts[0], article("a2", SPUN.replace("Pellacor", "Pelacor")), arts[2]]
    build_stories(edited, previous_lineage=previous)
    assert calls == [["a1", "a2"]]  # the story with the edited member is read again


def test_incremental_grouping_keeps_earlier_stories_and_attaches_new_articles():
    from sitroom.stories import keep_previous_stories

    ids = ["a", "b", "c", "d", "n1", "n2", "n3"]
    # the full clustering of this run would merge a's and c's stories and regroup them
    full = [[0, 2, 4], [1, 3], [5, 6]]
    previous = [["a", "b"], ["c"], ["d"]]
    groups = keep_previous_stories(full, ids, previous, fresh={"n1", "n2", "n3"})
    # old stories unchanged; n1 joins the story with most members in its group (a's: tie with
    # c's, the earlier wins), n2 and n3 are new together
    assert groups == [[0, 1, 4], [2], [3], [5, 6]]
    # an edited member (b) reopens its story: a and b go where the clustering puts them, into
    # the kept stories of c and d
    groups = keep_previous_stories(full, ids, previous, fresh={"b", "n1", "n2", "n3"})
    assert groups == [[0, 2, 4], [1, 3], [5, 6]]
    # without earlier stories it is the full clustering
    assert keep_previous_stories(full, ids, [], fresh=set(ids)) == full


def test_a_story_that_gains_a_copy_keeps_its_links_and_links_only_the_copy(lineage_calls):
    arts = [article("a1", WIRE), article("a2", SPUN), article("a3", OTHER)]
    first = build_stories(arts)
    wire_story = next(s for s in first if "a1" in s.article_ids)
    previous = {s.lineage_key: s.lineage for s in first}
    calls = lineage_calls
    calls.clear()  # count from here on
    # a shorter copy: it comes after the origin (a longer one would be the new origin, and the
    # whole story would be read again)
    grown = arts + [article("a4", WIRE.replace("Monday after", "Monday, after"
                                               ).replace(" at all", ""))]
    again = build_stories(grown, previous_lineage=previous,
                          previous_stories=[s.article_ids for s in first], fresh={"a4"})
    story = next(s for s in again if "a1" in s.article_ids)
    assert story.article_ids == ["a1", "a2", "a4"]
    links = {link.article_id: link for link in story.lineage}
    assert [links[a] for a in ("a1", "a2")] == wire_story.lineage  # earlier links as they were
    assert links["a4"].derived_from == "a1" and links["a4"].relation in {"duplicate", "rewrite"}
    # only the new copy and its likely sources were read (the whole story never was)
    assert calls and all("a4" in c for c in calls) and ["a1", "a2", "a4"] not in calls


def test_a_large_story_is_read_in_copy_sets(monkeypatch, lineage_calls):
    import sitroom.stories as stories_module

    arts = [article("w", WIRE), article("c", COPY), article("s", SPUN)]
    features = [article_features(a.text) for a in arts]
    whole = stories_module.story_lineage(arts, features, [None] * 3)
    lineage_calls.clear()
    monkeypatch.setattr(stories_module, "LINEAGE_WHOLE", 2)
    parts = stories_module.story_lineage(arts, features, [None] * 3)
    assert max(len(c) for c in lineage_calls) == 2  # never the whole story: {w, c}, {s}, then the two sets' origins
    links = {link.article_id: link for link in parts}
    assert [link.relation for link in parts].count("origin") == 1
    assert links["s"].relation == "spun" and links["s"].derived_from in {"w", "c"}
    assert {links["w"].derived_from, links["c"].derived_from} - {None} <= {"w", "c"}
    assert [link.relation for link in whole] == [link.relation for link in parts]


@pytest.mark.parametrize("whole", [300, 2])
def test_alignment_sentences_are_all_that_lineage_embeds(monkeypatch, whole):
    """After embed_alignment_sentences, story_lineage only reads the cache: the prefetch names
    exactly the sentences lineage needs, for a whole story and one read in copy sets."""
    import sitroom.stories as stories_module
    from sitroom import embed
    from sitroom.stories.similarity import lead_texts

    monkeypatch.setattr(stories_module, "LINEAGE_WHOLE", whole)
    arts = [article("w", WIRE), article("c", COPY), article("s", SPUN), article("o", OTHER)]
    features = [article_features(a.text) for a in arts]
    story = (arts, features, [None] * len(arts))
    cache: dict[str, bytes] = {}
    monkeypatch.setattr(embed, "_cache", cache)
    embed.embed(lead_texts([a.title for a in arts], [a.text for a in arts]))
    before = set(cache)
    stories_module.embed_alignment_sentences([story])
    assert set(cache) > before  # the spun copy needs its sentences aligned
    expected = stories_module.story_lineage(*story)
    monkeypatch.setattr(embed, "_encode", lambda *a, **k: pytest.fail("lineage embedded again"))
    assert stories_module.story_lineage(*story) == expected
