"""Same-event clustering: average-link agglomeration on the combined similarity, cut at a threshold.

Average link (not single link) so that a chain of look-alike reports cannot glue two events
together; pairs whose dates are far apart are kept apart whatever their wording.

Scaling: an average-link cluster cut at threshold t lies inside one connected component of the
graph of pairs with similarity >= t (an average >= t needs at least one pair >= t), so the pairs
are found block by block and each component is clustered on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

DEFAULT_THRESHOLD = 0.30
MAX_DAYS_APART = 7  # reports of one event are published within about a week of each other
BLOCK = 1024
BLOCK_CELLS = 20_000_000  # rows x n per block: ~160 MB of float64 similarities, whatever n is


def _components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _ordinals(dates: Sequence[date | None]) -> tuple[np.ndarray, np.ndarray]:
    known = np.array([d is not None for d in dates], dtype=bool)
    ordinal = np.array([d.toordinal() if d is not None else 0 for d in dates], dtype=np.int64)
    return ordinal, known


def _far_apart(ord_a: np.ndarray, known_a: np.ndarray, ord_b: np.ndarray, known_b: np.ndarray,
               max_days: int) -> np.ndarray:
    far = np.abs(ord_a[:, None] - ord_b[None, :]) > max_days
    return far & known_a[:, None] & known_b[None, :]


def date_conflicts(dates: Sequence[date | None], max_days: int = MAX_DAYS_APART) -> np.ndarray:
    """(n, n) bool: both dates known and further apart than max_days."""
    if not len(dates):
        return np.zeros((0, 0), dtype=bool)
    ordinal, known = _ordinals(dates)
    return _far_apart(ordinal, known, ordinal, known, max_days)


def similarity_matrix(views, dates: Sequence[date | None] | None = None) -> np.ndarray:
    sim = np.asarray((views @ views.T).todense(), dtype=np.float64)
    if dates is not None:
        sim[date_conflicts(dates)] = 0.0
    np.fill_diagonal(sim, 1.0)
    return sim


def average_link(sim: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster labels from average-link agglomeration of a dense similarity matrix."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = sim.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    dist = 1.0 - np.clip(sim, 0.0, 1.0)
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2
    tree = linkage(squareform(dist, checks=False), method="average")
    return fcluster(tree, t=1.0 - threshold, criterion="distance") - 1


def cluster_views(
    views, dates: Sequence[date | None] | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[list[int]]:
    """Groups of row indices, each group one story; groups and members in input order."""
    n = views.shape[0]
    if n == 0:
        return []
    # 1. pairs above the threshold, block by block (keeps memory at rows x n)
    # (date conflicts too: an n x n matrix would be 10 GB at 100,000 articles)
    rows_l, cols_l = [], []
    ordinal, known = _ordinals(list(dates)) if dates is not None else (None, None)
    rows = max(16, min(BLOCK, BLOCK_CELLS // n))
    for start in range(0, n, rows):
        block = np.asarray((views[start : start + rows] @ views.T).todense())
        if ordinal is not None and known is not None:
            stop = start + block.shape[0]
            block[_far_apart(ordinal[start:stop], known[start:stop], ordinal, known,
                             MAX_DAYS_APART)] = 0.0
        r, c = np.nonzero(block >= threshold)
        rows_l.append(r + start)
        cols_l.append(c)
    comp = _components(n, np.concatenate(rows_l), np.concatenate(cols_l))
    # 2. average link inside each component (members found by one sort, not a scan per
    # component: there are thousands of components in a large store)
    labels = np.full(n, -1)
    next_label = 0
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.diff(comp[order])) + 1
    for members in np.split(order, bounds):
        if len(members) == 1:
            labels[members] = next_label
            next_label += 1
            continue
        sub = views[members]
        sim = similarity_matrix(sub, [dates[i] for i in members] if dates is not None else None)
        sub_labels = average_link(sim, threshold)
        for lab in np.unique(sub_labels):
            labels[members[sub_labels == lab]] = next_label
            next_label += 1
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


# Level-1 cut, chosen by grid search on every other topic of the sorted ECB+ dev topic list
# (1, 5, 9, ..., 45); level 2 (same event inside a topic) is the pair model of stories/pairs.py.
TOPIC_THRESHOLD = 0.15
