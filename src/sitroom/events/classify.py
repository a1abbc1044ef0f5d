"""Trained sub-event-type classifier for sentences and snippets (CASE-2021 task 2 codes).

Features: TF-IDF word 1-2-grams and char 2-5-grams, MiniLM sentence embeddings, counts of the ACLED
cue lexicon (data/events/cues.tsv) per sub-type, and cosine similarity of the text to each sub-type's
codebook description. The model is a class-balanced linear SVM and a class-balanced logistic
regression on the same features, their per-row standardised scores summed. Settings are fixed
constants here; how they were chosen is written in src/sitroom/data/events/README.md. The pipeline does
not need this model: extraction is rule-based on the parse; the classifier serves `sitroom eval events`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
import re
from typing import Any

import numpy as np

from sitroom.events.taxonomy import cue_counts, taxonomy

SEED = 13
EMB_DIM = 384
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(\s+[A-Z\"“'‘]|\s*$)", re.S)


def first_sentence(text: str) -> str:
    """The snippet's first sentence: CASE snippets usually state the event first, then context."""
    m = _FIRST_SENTENCE.match(text.strip())
    return m.group(1) if m else text


def embed_inputs(texts: Sequence[str]) -> np.ndarray:
    """What the classifier reads besides the words: MiniLM vectors of each text and of its first
    sentence, side by side (n x 768)."""
    from sitroom.embed import embed

    return np.hstack([embed(list(texts)), embed([first_sentence(t) for t in texts])])


@dataclass
class ClassifierSettings:
    embed_weight: float = 2.0
    cue_weight: float = 1.0
    desc_weight: float = 2.0
    C: float = 0.5
    lr_C: float = 10.0
    first_weight: float = 0.0  # weight of the first sentence's own embedding and description sims
    model: str = "ensemble"  # svc | lr | ensemble (both, decisions standardised and summed)


@dataclass
class SubTypeClassifier:
    settings: ClassifierSettings = field(default_factory=ClassifierSettings)
    _word: Any = None
    _char: Any = None
    _model: Any = None
    _models: list[Any] = field(default_factory=list)
    _codes: list[str] = field(default_factory=list)
    _desc: Any = None

    def _dense(self, texts: Sequence[str], emb: np.ndarray) -> np.ndarray:
        s = self.settings
        full, first = emb[:, :EMB_DIM], emb[:, EMB_DIM:]
        cues = np.array([[cue_counts(t).get(c, 0) for c in self._codes] for t in texts], dtype="float32")
        cues = np.log1p(cues) * s.cue_weight
        sims = (full @ self._desc.T) * s.desc_weight
        parts = [full * s.embed_weight, cues, sims]
        if s.first_weight and first.shape[1]:
            parts += [first * s.first_weight, (first @ self._desc.T) * s.first_weight]
        return np.hstack(parts)

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
        self._models = []
        if self.settings.model in ("lr", "ensemble"):
            self._models.append(LogisticRegression(C=self.settings.lr_C, max_iter=5000, class_weight="balanced"))
        if self.settings.model in ("svc", "ensemble"):
            self._models.append(LinearSVC(C=self.settings.C, class_weight="balanced", random_state=SEED))
        for m in self._models:
            m.fit(X, list(labels))
        self._model = self._models[0]
        return self

    def decision(self, texts: Sequence[str], emb: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Per-class scores; with several models, each model's scores standardised per row and summed."""
        X = self._features(texts, emb, fit=False)
        total = None
        for m in self._models:
            d = m.decision_function(X)
            d = (d - d.mean(axis=1, keepdims=True)) / (d.std(axis=1, keepdims=True) + 1e-9)
            total = d if total is None else total + d
        return [str(c) for c in self._model.classes_], total

    def predict(self, texts: Sequence[str], emb: np.ndarray) -> list[str]:
        classes, scores = self.decision(texts, emb)
        return [classes[i] for i in scores.argmax(axis=1)]
