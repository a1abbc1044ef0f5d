"""Candidate stories for new articles, from indexes the store keeps (no stored text is read).

Grouping joins an article to others through copies (MinHash near-duplicates, DUPLICATE_JACCARD)
and through the combined similarity of words, names and lead meaning, never across more than
MAX_DAYS_APART days. An update therefore regroups a new article only with the stories that hold
(a) a stored article sharing one of its LSH bands whose signature estimate reaches the copy
threshold, or (b) one of its NEAREST stored articles by lead embedding, within the days a story
may span and at least MIN_COSINE alike. What the indexes hold per article: its lead vector
(float16), its day, its MinHash signature and the signature's band keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from sitroom.records import IndexEntry
from sitroom.stories.minhash import NUM_PERM, SEED, _bands_for, signatures

# neighbours by lead meaning whose stories are regrouped with a new article, and how alike at
# least (the topic cut joins articles at a combined similarity of 0.15, a third of it meaning)
NEAREST = 20
MIN_COSINE = 0.35


def band_keys(sig: np.ndarray, threshold: float, num_perm: int = NUM_PERM) -> np.ndarray:
    """(n, bands) the key of each band of each signature, as minhash._buckets computes them
    (two texts are LSH candidates when a band's keys are equal), as signed 64-bit integers."""
    bands, rows = _bands_for(threshold, num_perm)
    weights = np.random.default_rng(SEED).integers(1, 2**63, size=rows, dtype=np.uint64) | 1
    keys = np.stack([(sig[:, b * rows:(b + 1) * rows] * weights).sum(axis=1)
                     for b in range(bands)], axis=1) if len(sig) else np.zeros((0, bands), np.uint64)
    return keys.view(np.int64)


def index_entries(article_ids: Sequence[str], hashes: Sequence[str], texts: Sequence[str],
                  days: Sequence[date | None], leads: np.ndarray, threshold: float
                  ) -> list[IndexEntry]:
    sig = signatures(list(texts))
    keys = band_keys(sig, threshold)
    out = []
    for k, aid in enumerate(article_ids):
        bands = [] if not texts[k].strip() else [(b, int(x)) for b, x in enumerate(keys[k])]
        out.append(IndexEntry(aid, hashes[k], days[k].toordinal() if days[k] else None,
                              np.asarray(leads[k], dtype=np.float16).tobytes(),
                              sig[k].astype(np.uint64).tobytes(), bands))
    return out


def copy_estimate(a: bytes, b: bytes) -> float:
    """The share of equal MinHash slots of two stored signatures (the Jaccard estimate)."""
    x, y = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.mean(x == y))


def nearest(lead: np.ndarray, stored: np.ndarray, k: int = NEAREST,
            min_cosine: float = MIN_COSINE) -> list[int]:
    """Rows of `stored` (float16 lead vectors) most alike `lead`: the k best at min_cosine."""
    if not len(stored):
        return []
    sims = stored.astype(np.float32) @ np.asarray(lead, dtype=np.float32)
    top = np.argsort(-sims, kind="stable")[:k]
    return [int(i) for i in top if sims[i] >= min_cosine]
