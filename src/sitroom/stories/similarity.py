"""Article-to-article similarity for same-event clustering.

Three views, each a set of unit vectors, so a weighted dot product of their concatenation is a
weighted sum of cosines and can be computed in blocks for large batches:
- words: TF-IDF of content words (topic and wording),
- names: TF-IDF of capitalised names and numbers (who, where, how many: what tells two look-alike
  events apart, e.g. two district captures in the same week),
- meaning: all-MiniLM-L6-v2 embedding of title and lead (spun copies that share few words).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sitroom.stories.features import ArticleFeatures

LEAD_CHARS = 1200  # the embedding model reads 256 word pieces; the lead carries the event
SHORT_LEAD_CHARS = 400  # title and first lines (~100 word pieces): who and what, little background


@dataclass(frozen=True)
class SimilarityWeights:
    """Weights of the three views; chosen on a fixed half of ECB+ topics (see eval/cluster.py)."""

    words: float = 0.4
    names: float = 0.35
    meaning: float = 0.25


def _tfidf(docs: Sequence[str], analyzer: str | Callable = "word", **kw) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not any(len(d) and (not isinstance(d, str) or d.strip()) for d in docs):
        return np.zeros((len(docs), 1), dtype=np.float32)
    vec = TfidfVectorizer(sublinear_tf=True, analyzer=analyzer, dtype=np.float32, **kw)
    try:
        return vec.fit_transform(docs)
    except ValueError:  # empty vocabulary (only stop words)
        return np.zeros((len(docs), 1), dtype=np.float32)


def incidence(rows: Sequence[Iterable[Hashable]]) -> Any:
    """(n, vocabulary) 0/1 sparse matrix: row r marks the items of rows[r] (exact, no hashing).
    M @ M.T counts the items each pair of rows shares."""
    from scipy import sparse

    vocab: dict[Hashable, int] = {}
    marked_rows: list[int] = []
    cols: list[int] = []
    for r, items in enumerate(rows):
        for col in {vocab.setdefault(item, len(vocab)) for item in items}:
            marked_rows.append(r)
            cols.append(col)
    return sparse.csr_matrix((np.ones(len(cols), dtype=np.float64), (marked_rows, cols)),
                             shape=(len(rows), max(1, len(vocab))))


def name_tokens(features: ArticleFeatures) -> list[str]:
    """Names as whole phrases and as their words (garbled spellings still share some words)."""
    out: list[str] = []
    for name in features.names:
        low = name.lower()
        out.append(low)
        words = low.split()
        if len(words) > 1:
            out.extend(w for w in words if len(w) > 2)
    out.extend("#" + n for n in features.numbers if n not in {"0", "1", "2"})
    return out


def article_views(
    titles: Sequence[str],
    texts: Sequence[str],
    features: Sequence[ArticleFeatures],
    weights: SimilarityWeights = SimilarityWeights(),
    embeddings: np.ndarray | None = None,
    centre: bool = False,
):
    """Return a sparse (n, d) matrix X whose X @ X.T is the combined similarity.

    centre=True removes the batch's mean embedding first: inside one topic every report is
    "about the same thing" to MiniLM (cosines 0.7-0.9), and only the deviations tell events apart,
    as the topic-local IDF does for words.
    """
    from scipy import sparse

    # a view with weight 0 adds only zeros to X @ X.T: it is not computed at all
    blocks = []
    if weights.words:
        docs = [f"{t}\n{x}" for t, x in zip(titles, texts)]
        words = _tfidf(docs, stop_words="english", min_df=1,
                       token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b")
        blocks.append(sparse.csr_matrix(words) * np.sqrt(weights.words))
    if weights.names:
        names = _tfidf([name_tokens(f) for f in features], analyzer=lambda toks: toks)
        blocks.append(sparse.csr_matrix(names) * np.sqrt(weights.names))
    if weights.meaning:
        if embeddings is None:
            from sitroom.embed import embed

            embeddings = embed(lead_texts(titles, texts))
        emb = np.asarray(embeddings, dtype=np.float32)
        if centre and len(emb) > 1:
            emb = emb - emb.mean(axis=0, keepdims=True)
            emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-6)
        blocks.append(sparse.csr_matrix(emb) * np.sqrt(weights.meaning))
    if not blocks:
        return sparse.csr_matrix((len(titles), 1), dtype=np.float32)
    return sparse.hstack(blocks, format="csr")


def lead_texts(titles: Sequence[str], texts: Sequence[str]) -> list[str]:
    return [f"{t}. {x[:LEAD_CHARS]}" for t, x in zip(titles, texts)]


def short_lead_texts(titles: Sequence[str], texts: Sequence[str]) -> list[str]:
    return [f"{t}. {x[:SHORT_LEAD_CHARS]}" for t, x in zip(titles, texts)]
