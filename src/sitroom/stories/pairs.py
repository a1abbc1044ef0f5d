"""Same-event decision for two articles of one topic: a logistic regression over similarity views.

Inside a topic (a level-1 group) every report shares the topic's words and names, so no single
cosine tells two look-alike events apart at one fixed cut for short and long texts, small and
large topics. The pair model weighs the views against each other instead:
- global views (IDF of the whole batch): content words, names and numbers, lead meaning,
- topic-local views (IDF refitted on the topic, lead embeddings centred on the topic's mean, so
  what every report of the topic shares weighs little),
- the names of the title and first lines (who the report is about), shared numbers,
- the shorter article's length (long reports share more background with anything).

Its weights and the average-link cut are data (data/stories/story_pair_model.json), fitted by
`train_pair_model` on half of the ECB+ dev topics (see the README there and eval/cluster.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from sitroom.stories.features import ArticleFeatures
from sitroom.stories.logistic import fit_logistic, logistic_probability

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "stories" / "story_pair_model.json"
FALLBACK_CUT = 0.25  # plain topic-local similarity cut used only when the weights file is missing
PAIR_FEATURES = [
    "words_global", "names_global", "lead_meaning_global",
    "words_topic", "names_topic", "lead_meaning_topic_centred",
    "shared_numbers_log", "short_lead_meaning_global", "short_lead_meaning_topic_centred",
    "lead_names_topic", "min_words_log",
]
TRIVIAL_NUMBERS = frozenset({"0", "1", "2"})


def _views(titles, texts, features, embeddings, words=0.0, names=0.0, meaning=0.0,
           centre=False):
    from sitroom.stories.similarity import SimilarityWeights, article_views

    weights = SimilarityWeights(words=words, names=names, meaning=meaning)
    return article_views(titles, texts, features, weights, embeddings, centre)


def _cosines(titles, texts, features, embeddings, words=0.0, names=0.0, meaning=0.0,
             centre=False) -> np.ndarray:
    from sitroom.stories.cluster import similarity_matrix

    return similarity_matrix(_views(titles, texts, features, embeddings, words, names, meaning,
                                    centre))


class PairContext:
    """Per-batch inputs of the pair features; the global views are computed once per batch."""

    def __init__(self, titles: Sequence[str], texts: Sequence[str],
                 features: Sequence[ArticleFeatures], lead_features: Sequence[ArticleFeatures],
                 lead_embeddings: np.ndarray, short_embeddings: np.ndarray) -> None:
        self.titles, self.texts = list(titles), list(texts)
        self.features, self.lead_features = list(features), list(lead_features)
        self.emb = np.asarray(lead_embeddings, dtype=np.float32)
        self.short = np.asarray(short_embeddings, dtype=np.float32)
        # global views as sparse rows: a topic's pairs take their rows' products (a dense n x n
        # matrix of the whole batch would be 80 GB at 100,000 articles)
        self.words_global = _views(titles, texts, features, self.emb, words=1.0)
        self.names_global = _views(titles, texts, features, self.emb, names=1.0)
        self.word_counts = np.array([len(t.split()) for t in texts])

    def subset(self, idx: Sequence[int]) -> "PairContext":
        """The context of some of the batch (global views then read only those articles)."""
        idx = list(idx)
        if idx == list(range(len(self.texts))):
            return self
        pick = lambda values: [values[i] for i in idx]  # noqa: E731
        return PairContext(pick(self.titles), pick(self.texts), pick(self.features),
                           pick(self.lead_features), self.emb[idx], self.short[idx])

    def features_of(self, members: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Index pairs (a[k], b[k]), a < b, positions in `members` in row-major order, and their
        feature rows (arrays throughout: a topic of 3,000 reports has 4.5 million pairs)."""
        idx = list(members)
        n = len(idx)
        sub = lambda values: [values[i] for i in idx]  # noqa: E731
        titles, texts = sub(self.titles), sub(self.texts)
        words_t = _cosines(titles, texts, sub(self.features), self.emb[idx], words=1.0)
        names_t = _cosines(titles, texts, sub(self.features), self.emb[idx], names=1.0)
        lead_names = _cosines(titles, texts, sub(self.lead_features), self.emb[idx], names=1.0)
        # centring needs at least three reports: with two, both deviations are mirror images
        meaning_c = (_cosines(titles, texts, sub(self.features), self.emb[idx], meaning=1.0,
                              centre=True) if n > 2 else np.zeros((n, n)))
        short_c = (_cosines(titles, texts, sub(self.features), self.short[idx], meaning=1.0,
                            centre=True) if n > 2 else np.zeros((n, n)))
        emb, short = self.emb[idx], self.short[idx]
        meaning_g, short_g = emb @ emb.T, short @ short.T
        words_g = (self.words_global[idx] @ self.words_global[idx].T).toarray()
        names_g = (self.names_global[idx] @ self.names_global[idx].T).toarray()
        a, b = np.triu_indices(n, 1)
        words = self.word_counts[idx]
        columns = [
            words_g[a, b], names_g[a, b], meaning_g[a, b],
            words_t[a, b], names_t[a, b], meaning_c[a, b],
            np.log1p(self._shared_numbers(idx)[a, b]), short_g[a, b], short_c[a, b],
            lead_names[a, b], np.log(np.minimum(words[a], words[b]) + 10),
        ]
        x = np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])
        return a, b, x.reshape(len(a), len(PAIR_FEATURES))

    def _shared_numbers(self, idx: list[int]) -> np.ndarray:
        """(n, n) counts of the non-trivial numbers two members both give."""
        from sitroom.stories.similarity import incidence

        marks = incidence([self.features[i].numbers - TRIVIAL_NUMBERS for i in idx])
        return (marks @ marks.T).toarray()


@lru_cache(maxsize=1)
def load_pair_model(path: Path = MODEL_PATH) -> dict | None:
    if not path.exists():
        log.warning("story pair model %s missing; falling back to a plain similarity cut", path)
        return None
    model = json.loads(path.read_text(encoding="utf-8"))
    if model.get("features") != PAIR_FEATURES:
        log.warning("story pair model %s was fitted on other features; ignored", path)
        return None
    return model


def same_event_matrix(context: PairContext, members: Sequence[int], model: dict) -> np.ndarray:
    """(n, n) probabilities that two members of a topic report the same event (diagonal 1)."""
    n = len(members)
    a, b, x = context.features_of(members)
    probs = logistic_probability(x, model)
    sim = np.eye(n)
    sim[a, b] = probs
    sim[b, a] = probs
    return sim


CUT_GRID = tuple(np.round(np.arange(0.3, 0.71, 0.05), 2))
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)


def choose_c(x: np.ndarray, y: np.ndarray, groups: Sequence[str]) -> tuple[float, dict]:
    """Regularisation by leave-one-topic-out pair accuracy (pairs of one topic are not independent)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    folds = GroupKFold(len(set(groups)))
    scores = {c: float(cross_val_score(make_pipeline(StandardScaler(),
                                                     LogisticRegression(C=c, max_iter=3000)),
                                       x, y, groups=list(groups), cv=folds,
                                       scoring="accuracy").mean()) for c in C_GRID}
    return max(scores, key=lambda c: scores[c]), scores


def train_pair_model(articles, gold: Sequence[str], topics: Sequence[str], about: str) -> dict:
    """Fit the pair model on articles with gold event labels; the cut maximises their BCubed F1.

    Training pairs are the pairs inside each level-1 topic group (what the model will judge);
    the label is whether both articles have the same gold event. C by choose_c over `topics`.
    """
    from sitroom.eval.cluster import bcubed
    from sitroom.stories import TOPIC_WEIGHTS, group_articles, pair_context
    from sitroom.stories.cluster import TOPIC_THRESHOLD, cluster_views
    from sitroom.stories.features import article_features
    from sitroom.stories.similarity import article_views

    features = [article_features(a.text) for a in articles]
    context = pair_context(articles, features)
    views = article_views(context.titles, context.texts, features, TOPIC_WEIGHTS, context.emb)
    xs, ys, pair_topics = [], [], []
    for topic in cluster_views(views, None, TOPIC_THRESHOLD):
        if len(topic) < 2:
            continue
        first, second, x = context.features_of(topic)
        xs.append(x)
        ys.extend(int(gold[topic[a]] == gold[topic[b]]) for a, b in zip(first, second))
        pair_topics.extend(topics[topic[a]] for a in first)
    x_all, y_all = np.vstack(xs), np.array(ys)
    c, c_scores = choose_c(x_all, y_all, pair_topics)
    model = fit_logistic(x_all, y_all, c, PAIR_FEATURES)
    model["cv_accuracy_by_C"] = {str(k): round(v, 4) for k, v in c_scores.items()}
    scores = {}
    for cut in CUT_GRID:
        groups = group_articles(articles, features=features, model={**model, "cut": float(cut)},
                                context=context)
        pred = [0] * len(articles)
        for label, members in enumerate(groups):
            for i in members:
                pred[i] = label
        scores[float(cut)] = bcubed(list(gold), pred)[2]
    model["cut"] = max(scores, key=lambda k: scores[k])
    model["training_f1_by_cut"] = {str(k): round(v, 4) for k, v in scores.items()}
    model["n_pairs"] = len(ys)
    model["n_articles"] = len(articles)
    return {"about": about, **model}


def save_pair_model(model: dict, path: Path = MODEL_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    load_pair_model.cache_clear()
