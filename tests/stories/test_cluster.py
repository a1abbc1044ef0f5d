"""Bounds on the work per topic (stories/cluster.py) and copies grouped once (stories/__init__)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from sitroom.records import CleanArticle
from sitroom.stories import cluster


def _blobs(per_blob: int, blobs: int, seed: int = 3) -> sparse.csr_matrix:
    """Unit rows around `blobs` orthogonal directions: one topic each, all above a loose cut."""
    rng = np.random.default_rng(seed)
    rows = []
    for b in range(blobs):
        centre = np.zeros(8)
        centre[b] = 1.0
        centre[7] = 0.8  # shared by every row, so all rows form one component at 0.15
        for _ in range(per_blob):
            v = centre + rng.normal(0, 0.05, 8)
            rows.append(v / np.linalg.norm(v))
    return sparse.csr_matrix(np.array(rows))


def test_large_component_is_cut_into_bounded_parts_of_similar_rows():
    views = _blobs(6, 3)
    members = np.arange(18)
    parts = cluster.bounded_parts(views, members, cap=7)
    assert sorted(np.concatenate(parts).tolist()) == list(range(18))
    assert max(len(p) for p in parts) <= 7
    assert all(len({int(i) // 6 for i in p}) == 1 for p in parts)  # no part mixes two blobs
    assert cluster.bounded_parts(views, members, cap=18) == [members]


def test_cluster_views_bounds_topics_and_keeps_small_components(monkeypatch):
    views = _blobs(6, 3)
    whole = cluster.cluster_views(views, None, 0.15)
    assert len(whole) == 1  # one component, one average-link topic
    monkeypatch.setattr(cluster, "MAX_TOPIC", 7)
    groups = cluster.cluster_views(views, None, 0.15)
    assert max(len(g) for g in groups) <= 7
    assert sorted(i for g in groups for i in g) == list(range(18))


def test_top_pairs_keeps_each_rows_strongest():
    block = np.array([[1.0, 0.9, 0.5, 0.2, 0.1], [0.9, 1.0, 0.3, 0.4, 0.05]])
    mask = cluster._top_pairs(block, 0.15, 3)
    assert mask.tolist() == [[True, True, True, False, False], [True, True, False, True, False]]


def test_copies_are_grouped_once_and_stay_together(monkeypatch):
    import sitroom.stories as stories

    base = ("Rebel fighters seized the Varnok river crossing on Monday after two hours of "
            "fighting, district chief Oleander Mastrovic told reporters in the town of Pellacor. ")
    other = ("Heavy rain flooded the harbour district of Quillon on Friday, and the port "
             "authority closed the container terminal until further notice. ")
    texts = [base * 3, other * 3, base * 3 + "He said more later.", other * 3 + "Ships waited."]
    articles = [CleanArticle(f"a{i}", t.split(",")[0], t, "test", "jsonl")
                for i, t in enumerate(texts)]
    seen: list[int] = []

    def fake(arts, *args):
        seen.append(len(arts))
        return [[k] for k in range(len(arts))]  # every distinct text its own story

    monkeypatch.setattr(stories, "_group_distinct", fake)
    assert stories.copy_sets(texts) == [[0, 2], [1, 3]]
    assert stories.group_articles(articles) == [[0, 2], [1, 3]]
    assert seen == [2]  # the pair model saw each text once, not each copy
