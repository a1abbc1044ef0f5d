"""A standardised logistic regression kept as plain numbers (json), shared by the stories models.

The fitted weights live in data/stories/*.json so that a run needs no pickled estimator, only
numpy; sklearn is used to fit them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float, features: Sequence[str]) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    clf = LogisticRegression(C=c, max_iter=3000).fit(scaler.transform(x), y)
    return {
        "features": list(features),
        "mean": scaler.mean_.tolist(),
        "scale": scaler.scale_.tolist(),
        "coef": clf.coef_[0].tolist(),
        "intercept": float(clf.intercept_[0]),
        "C": c,
    }


def logistic_probability(x: np.ndarray, model: dict) -> np.ndarray:
    if len(x) == 0:
        return np.zeros(0)
    z = (x - np.array(model["mean"])) / np.array(model["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.array(model["coef"]) + model["intercept"])))
