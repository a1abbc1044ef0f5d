"""Same-event clustering: average-link agglomeration on the combined similarity, cut at a threshold.

Average link (not single link) so that a chain of look-alike reports cannot glue two events
together; pairs whose dates are far apart are kept apart whatever their wording.

Scaling: an average-link cluster cut at threshold t lies inside one connected component of the
graph of pairs with similarity >= t (an average >= t needs at least one pair >= t), so the pairs
are found block by block and each component is clustered on its own. Two bounds keep this
O(n) in memory and O(n * MAX_TOPIC) in time: each article keeps only its NEIGHBOURS strongest
pairs, and a component larger than MAX_TOPIC is first cut by k-means into regions of similar
articles (bounded_parts).
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import date

import numpy as np

DEFAULT_THRESHOLD = 0.30
MAX_DAYS_APART = 7  # reports of one event are published within about a week of each other
BLOCK = 1024
BLOCK_CELLS = 20_000_000  # rows x n per block: ~160 MB of float64 similarities, whatever n is
# Bounds on the work per topic. A topic of m articles costs m^2 (average link here, the pair
# model of stories/pairs.py); a larger component is cut by k-means (bounded_parts) until its
# parts have at most MAX_TOPIC members. Each article keeps its NEIGHBOURS most similar articles as
# edges. The evaluation sets' results are unchanged with them (ECB+ dev 0.921, NewsWCL50
# 0.9837).
MAX_TOPIC = 400
NEIGHBOURS = 64
SPLIT_DIMENSIONS = 64


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


def _top_pairs(block: np.ndarray, threshold: float, keep: int) -> np.ndarray:
    """Mask of each row's `keep` strongest entries that reach the threshold (ties kept)."""
    mask = block >= threshold
    if block.shape[1] > keep:
        kth = np.partition(block, block.shape[1] - keep, axis=1)[:, block.shape[1] - keep]
        mask &= block >= kth[:, None]
    return mask


def _split_by_label(label: np.ndarray, *arrays: np.ndarray) -> list[list[np.ndarray]]:
    """Rows of `arrays` grouped by label (one sort, not a scan per label)."""
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    return [[a[part] for a in arrays] for part in np.split(order, bounds)]


def bounded_parts(views, members: np.ndarray, cap: int | None = None) -> list[np.ndarray]:
    """A connected component cut into parts of at most `cap` members, each part a region of
    similar articles: k-means (k = twice the parts needed, so uneven regions fit) on the
    component's views reduced to SPLIT_DIMENSIONS, and again on a part still too large.
    Average link and the pair model are quadratic in a part, so their work stays O(n * cap)
    however large a component grows (on a month of one region's news most articles are one
    component at the topic cut). A stricter cut was tried first: it peeled the component's
    rim off as single articles (each then lost its topic) before the dense core fell apart."""
    cap = MAX_TOPIC if cap is None else cap
    if len(members) <= cap:
        return [members]
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD

    sub = views[members]
    dims = min(SPLIT_DIMENSIONS, sub.shape[1] - 1, len(members) - 1)
    dense = (TruncatedSVD(dims, random_state=0).fit_transform(sub) if dims >= 1
             else np.asarray(sub.todense()))
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-9)
    k = -(-2 * len(members) // cap)
    labels = KMeans(k, n_init=1, random_state=0).fit_predict(dense)
    if len(np.unique(labels)) == 1:  # all alike (identical texts): fixed-size slices
        return [members[i : i + cap] for i in range(0, len(members), cap)]
    return [piece for (part,) in _split_by_label(labels, members)
            for piece in bounded_parts(views, part, cap)]


def cluster_views(
    views, dates: Sequence[date | None] | None = None, threshold: float = DEFAULT_THRESHOLD,
    only: AbstractSet[int] | None = None,
) -> list[list[int]]:
    """Groups of row indices, each group one story; groups and members in input order.

    only: when given, a component with none of these rows is returned whole (not clustered).
    """
    n = views.shape[0]
    if n == 0:
        return []
    # 1. pairs above the threshold, block by block (keeps memory at rows x n); each row keeps
    # its NEIGHBOURS strongest pairs, so the pair list is O(n), not O(n^2), in a dense region
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
        r, c = np.nonzero(_top_pairs(block, threshold, NEIGHBOURS))
        rows_l.append(r + start)
        cols_l.append(c)
    comp = _components(n, np.concatenate(rows_l), np.concatenate(cols_l))
    # 2. average link inside each component, cut to at most MAX_TOPIC members (members found
    # by one sort, not a scan per component: there are thousands in a large store)
    labels = np.full(n, -1)
    next_label = 0
    for (members,) in _split_by_label(comp, np.arange(n)):
        if len(members) == 1 or (only is not None and only.isdisjoint(members.tolist())):
            labels[members] = next_label
            next_label += 1
            continue
        for part in bounded_parts(views, members):
            if len(part) == 1:
                labels[part] = next_label
                next_label += 1
                continue
            sub = views[part]
            sim = similarity_matrix(sub, [dates[i] for i in part] if dates is not None else None)
            sub_labels = average_link(sim, threshold)
            for lab in np.unique(sub_labels):
                labels[part[sub_labels == lab]] = next_label
                next_label += 1
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


# Level-1 cut, chosen by grid search on every other topic of the sorted ECB+ dev topic list
# (1, 5, 9, ..., 45); level 2 (same event inside a topic) is the pair model of stories/pairs.py.
TOPIC_THRESHOLD = 0.15
