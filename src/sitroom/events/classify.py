"""Trained sub-event-type classifier for sentences and snippets (CASE-2021 task 2 codes).

Features: TF-IDF word 1-2-grams and char 2-5-grams, MiniLM sentence embeddings, counts of the ACLED
cue lexicon (data/events/cues.csv) per sub-type, and cosine similarity of the text to each sub-type's
codebook description. The model is a linear SVM (one-vs-rest, class-balanced). Settings are fixed
constants here; how they were chosen is written in src/sitroom/data/events/README.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sitroom.events.taxonomy import cue_counts, taxonomy

SEED = 13


@dataclass
class ClassifierSettings:
    embed_weight: float = 2.0
    cue_weight: float = 1.0
    desc_weight: float = 1.0
    C: float = 0.5
    model: str = "svc"  # svc | lr


@dataclass
class SubTypeClassifier:
    settings: ClassifierSettings = field(default_factory=ClassifierSettings)
    _word: Any = None
    _char: Any = None
    _model: Any = None
    _codes: list[str] = field(default_factory=list)
    _desc: Any = None

    def _dense(self, texts: Sequence[str], emb: np.ndarray) -> np.ndarray:
        s = self.settings
        cues = np.array([[cue_counts(t).get(c, 0) for c in self._codes] for t in texts], dtype="float32")
        cues = np.log1p(cues) * s.cue_weight
        sims = (emb @ self._desc.T) * s.desc_weight
        return np.hstack([emb * s.embed_weight, cues, sims])

    def _features(self, texts: Sequence[str], emb: np.ndarray, fit: bool) -> Any:
        from scipy.sparse import csr_matrix, hstack

        if fit:
            w = self._word.fit_transform(texts)
            c = self._char.fit_transform(texts)
        else:
            w = self._word.transform(texts)
            c = self._char.transform(texts)
        return hstack([w, c, csr_matrix(self._dense(texts, emb))]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[str], emb: np.ndarray) -> "SubTypeClassifier":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        from sitroom.embed import embed

        tax = taxonomy()
        self._codes = list(tax)
        self._desc = embed([tax[c].description for c in self._codes])
        self._word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        X = self._features(texts, emb, fit=True)
        if self.settings.model == "lr":
            self._model = LogisticRegression(C=self.settings.C, max_iter=5000, class_weight="balanced")
        else:
            self._model = LinearSVC(C=self.settings.C, class_weight="balanced", random_state=SEED)
        self._model.fit(X, list(labels))
        return self

    def decision(self, texts: Sequence[str], emb: np.ndarray) -> tuple[list[str], np.ndarray]:
        X = self._features(texts, emb, fit=False)
        return list(self._model.classes_), self._model.decision_function(X)

    def predict(self, texts: Sequence[str], emb: np.ndarray) -> list[str]:
        X = self._features(texts, emb, fit=False)
        return [str(p) for p in self._model.predict(X)]
