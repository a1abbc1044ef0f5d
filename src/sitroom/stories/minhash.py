"""Near-duplicate candidates: MinHash signatures of word 3-gram shingles, banded LSH.

Uses `rensa` (MinHash in Rust) when installed, else `datasketch`; both give the same kind of
estimate. Tokenising works on UTF-8 bytes with `bytes.translate` because the pure-Python regex
tokeniser alone was slower than the 5,000 articles/s this stage must reach.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Sequence
from itertools import combinations

import numpy as np

from sitroom.unionfind import UnionFind

NUM_PERM = 128
SEED = 1729
SHINGLE = 3
DEFAULT_THRESHOLD = 0.5

_PUNCT_BYTES = string.punctuation.encode()
_TRANSLATE = bytes.maketrans(_PUNCT_BYTES, b" " * len(_PUNCT_BYTES))
# Typographic punctuation is multi-byte in UTF-8; replace it before the byte-wise translate.
_TYPOGRAPHIC = [ch.encode() for ch in "“”‘’—–…«»\u00a0"]


def tokens(text: str) -> list[bytes]:
    data = text.lower().encode("utf-8", "ignore")
    for mark in _TYPOGRAPHIC:
        if mark in data:
            data = data.replace(mark, b" ")
    return data.translate(_TRANSLATE).split()


def shingles(text: str, k: int = SHINGLE) -> list[bytes]:
    toks = tokens(text)
    if len(toks) < k:
        return [b" ".join(toks)] if toks else []
    return list(map(b" ".join, zip(*(toks[i:] for i in range(k)))))


def shingle_jaccard(a: str, b: str) -> float:
    """Exact Jaccard of the shingle sets (used to label a pair once it is a candidate)."""
    sa, sb = set(shingles(a)), set(shingles(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _bands_for(threshold: float, num_perm: int) -> tuple[int, int]:
    """Pick (bands, rows) whose S-curve midpoint (1/b)^(1/r) is closest to the threshold."""
    best = (num_perm, 1)
    best_err = 1.0
    for rows in range(1, num_perm + 1):
        if num_perm % rows:
            continue
        bands = num_perm // rows
        err = abs((1.0 / bands) ** (1.0 / rows) - threshold)
        if err < best_err:
            best, best_err = (bands, rows), err
    return best


def signatures(texts: Sequence[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """(n, num_perm) MinHash signatures of each text's shingle set.

    One rensa update per text with byte shingles measured faster (CPU time) than hashing the
    whole batch with numpy first and handing rensa a flat matrix.
    """
    try:
        import rensa
    except ImportError:  # pragma: no cover - exercised only where rensa is absent
        rensa = None
    rows = []
    if rensa is not None:
        for text in texts:
            mh = rensa.RMinHash(num_perm, SEED)
            sh = shingles(text)
            if sh:
                mh.update(sh)
            rows.append(mh.digest())
        return np.asarray(rows, dtype=np.uint64).reshape(len(texts), num_perm)
    from datasketch import MinHash

    for text in texts:
        mh = MinHash(num_perm=num_perm, seed=SEED)
        sh = shingles(text)
        if sh:
            mh.update_batch(sh)
        rows.append(mh.hashvalues)
    return np.asarray(rows, dtype=np.uint64).reshape(len(texts), num_perm)


# A bucket larger than this is empty or boilerplate text, not copies.
MAX_BUCKET = 200


def _buckets(sig: np.ndarray, threshold: float, num_perm: int) -> Iterator[list[int]]:
    """Banded LSH: per band, the rows (in increasing order) whose band of the signature is
    identical, in buckets of 2 to MAX_BUCKET rows."""
    bands, rows = _bands_for(threshold, num_perm)
    weights = np.random.default_rng(SEED).integers(1, 2**63, size=rows, dtype=np.uint64) | 1
    for b in range(bands):
        keys = (sig[:, b * rows : (b + 1) * rows] * weights).sum(axis=1)  # wraps mod 2^64
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        for start, size in zip(starts[sizes > 1], sizes[sizes > 1]):
            if size <= MAX_BUCKET:
                yield sorted(order[start : start + size].tolist())


def near_duplicate_candidates(
    texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD, num_perm: int = NUM_PERM
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, estimated Jaccard) of texts that LSH proposes and whose estimate >= threshold.

    Banded LSH: two texts are candidates when any band of their signatures is identical; the
    estimate (share of equal signature slots) then filters out the band's false positives.
    """
    n = len(texts)
    if n < 2:
        return []
    sig = signatures(texts, num_perm)
    pairs: set[tuple[int, int]] = set()
    for bucket in _buckets(sig, threshold, num_perm):
        pairs.update(combinations(bucket, 2))
    empty = np.array([not t.strip() for t in texts])
    out: list[tuple[int, int, float]] = []
    for i, j in sorted(pairs):
        if empty[i] or empty[j]:
            continue
        est = float(np.mean(sig[i] == sig[j]))
        if est >= threshold:
            out.append((i, j, est))
    return out


def near_duplicate_sets(
    texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD, num_perm: int = NUM_PERM
) -> UnionFind:
    """The sets that near_duplicate_candidates' pairs join, found without listing the pairs.

    A text with k copies gives k*(k-1)/2 pairs: the bench corpus grown to 100,000 articles
    (some 80 copies of each of its 1,257 texts) would give ~4 million, ~1 GB as Python tuples.
    Joining needs only the pairs whose texts are not in one set yet; the sets are the same
    (the connected components of the pairs do not depend on the order they are joined in).
    """
    n = len(texts)
    sets = UnionFind(n)
    if n < 2:
        return sets
    sig = signatures(texts, num_perm)
    empty = [not t.strip() for t in texts]
    for bucket in _buckets(sig, threshold, num_perm):
        members = [i for i in bucket if not empty[i]]
        if len({sets.find(i) for i in members}) < 2:
            continue  # all joined already (the usual case after the first band)
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if sets.find(i) != sets.find(j) and float(np.mean(sig[i] == sig[j])) >= threshold:
                    sets.union(i, j)
    return sets
