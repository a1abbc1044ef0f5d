"""Sentence-pair paraphrase decision: logistic regression on MiniLM cosine and surface overlap,
joined, where it is unsure, by a small MiniLM cross-encoder (sitroom.stories.cross_encoder).

The model is a few dozen numbers (see data/stories/paraphrase_model.json and its README) plus the
cross-encoder's adapter (data/stories/paraphrase_cross_encoder.npz); both are trained by
`train_model` on a fixed split of the MSR Paraphrase Corpus training file, never on the rows
`sitroom eval paraphrase` reports. Without the weights file, a cosine cut is the fallback; without
the adapter, the feature model decides alone.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Sequence, Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "stories" / "paraphrase_model.json"
FALLBACK_COSINE = 0.8  # used only when the weights file is missing
SPLIT_SEED = 20240611
HELD_ASIDE_SHARE = 0.3
# widening of the feature-probability band where the cross-encoder is asked, beyond the band where
# it changed decisions on the validation fold (a margin for pairs unlike those 571)
BAND_MARGIN = 0.05

_WORD = re.compile(r"\w+")
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_CAP = re.compile(r"\b[A-Z][a-zA-Z]+")
_TOKEN = re.compile(r"\w+|n't")
_NEGATION = frozenset("not no never n't nothing none nobody neither nor cannot without".split())
_MODALS = frozenset("may might could can would should must will shall".split())
_STOP = frozenset(
    "a an the of to in on at for and or but is are was were be been by with as from that this it "
    "its he she they his her their said says will would has have had not".split()
)

FEATURE_NAMES = [
    "cosine", "word_jaccard", "content_overlap_min", "content_overlap_max", "char3_jaccard",
    "numbers_equal", "numbers_only_one_side", "length_ratio", "length_diff", "names_jaccard",
    "cosine_x_jaccard", "bigram_jaccard",
    "unmatched_a", "unmatched_b", "unmatched_max", "unmatched_min", "unmatched_share_a",
    "unmatched_share_b", "names_symmetric_difference", "word_sequence_ratio",
    "p1_ab", "p1_ba", "p1_min", "p2_ab", "p2_ba", "p2_min", "p3_ab", "p3_ba", "p3_min",
    "p4_ab", "p4_ba", "p4_min",
    *(f"char{n}_{kind}" for n in (2, 3, 4, 5) for kind in ("pmin", "pmax", "f")),
    "word_edit_distance", "word_indel_similarity", "char_edit_distance",
    "negation_one_side", "modals_symmetric_difference", "numbers_differ", "numbers_jaccard",
    "word1_f", "word2_f", "word3_f", "unmatched_chars", "unmatched_total", "max_words",
    "cosine_squared",
]


def _stem(word: str) -> str:
    """Crude suffix stripping: enough to match "seized"/"seizes" without a stemmer dependency."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class _Side:
    """What the pair features need from one sentence, computed once per sentence: lineage
    compares each sentence with several others, and this was most of a pair's cost."""

    words: tuple[str, ...]  # \w+ of the lowercased text
    word_set: frozenset[str]
    content: frozenset[str]  # word_set without stop words
    numbers: frozenset[str]
    caps: frozenset[str]  # capitalised words as written
    caps_lower: frozenset[str]
    char3: frozenset[str]  # of the lowercased text as written
    bigrams: frozenset[tuple[str, str]]
    stems: tuple[str, ...]
    stem_content: frozenset[str]  # stems without stop words
    stem_grams: tuple[Counter, ...]  # stem n-grams, n = 1-4
    stem_gram_sets: tuple[frozenset, ...]
    squashed: str  # lowercased, whitespace runs as one space
    char_grams: tuple[Counter, ...]  # of `squashed`, n = 2-5
    tokens: frozenset[str]  # words and "n't", for negation and modals
    word_grams: tuple[Counter, ...]  # word n-grams, n = 1-3


def _grams(seq: Sequence, n: int) -> list:
    return [tuple(seq[i : i + n]) for i in range(len(seq) - n + 1)]


@lru_cache(maxsize=8192)
def _side(text: str) -> _Side:
    lower = text.lower()
    words = _WORD.findall(lower)
    stems = [_stem(w) for w in words]
    squashed = " ".join(lower.split())
    stem_grams = tuple(Counter(_grams(stems, n)) for n in (1, 2, 3, 4))
    word_set = frozenset(words)
    return _Side(
        words=tuple(words), word_set=word_set, content=word_set - _STOP,
        numbers=frozenset(_NUM.findall(text)), caps=frozenset(_CAP.findall(text)),
        caps_lower=frozenset(w.lower() for w in _CAP.findall(text)),
        char3=frozenset(lower[i : i + 3] for i in range(max(0, len(text) - 2))),
        bigrams=frozenset(zip(words, words[1:])), stems=tuple(stems),
        stem_content=frozenset(stems) - _STOP, stem_grams=stem_grams,
        stem_gram_sets=tuple(frozenset(c) for c in stem_grams), squashed=squashed,
        char_grams=tuple(Counter(squashed[i : i + n] for i in range(len(squashed) - n + 1))
                         for n in (2, 3, 4, 5)),
        tokens=frozenset(_TOKEN.findall(squashed)),
        word_grams=tuple(Counter(_grams(words, n)) for n in (1, 2, 3)),
    )


def _ngram_precision(grams_a: Counter, grams_b: frozenset) -> float:
    """Share of a's n-grams (with repeats) that occur in b."""
    total = sum(grams_a.values())
    return sum(c for g, c in grams_a.items() if g in grams_b) / total if total else 0.0


def _difference_features(a: _Side, b: _Side) -> list[float]:
    """What is left over once shared words are set aside, and BLEU-like n-gram precisions."""
    from difflib import SequenceMatcher

    ca, cb = a.stem_content, b.stem_content
    ua, ub = ca - cb, cb - ca
    out = [
        float(len(ua)), float(len(ub)), float(max(len(ua), len(ub))), float(min(len(ua), len(ub))),
        len(ua) / max(1, len(ca)), len(ub) / max(1, len(cb)),
        float(len(a.caps_lower ^ b.caps_lower)),
        SequenceMatcher(None, a.stems, b.stems, autojunk=False).ratio(),
    ]
    for k in range(4):
        pa = _ngram_precision(a.stem_grams[k], b.stem_gram_sets[k])
        pb = _ngram_precision(b.stem_grams[k], a.stem_gram_sets[k])
        out += [pa, pb, min(pa, pb)]
    return out


def _precisions(grams_a: Counter, grams_b: Counter) -> tuple[float, float, float]:
    """(min, max, F) of the BLEU-style clipped precisions in both directions (each gram of a
    counts at most as often as it occurs in b; their F is BLEU-style recall too)."""
    total_a, total_b = sum(grams_a.values()), sum(grams_b.values())
    shared = sum((grams_a & grams_b).values())
    pa = shared / total_a if total_a else 0.0
    pb = shared / total_b if total_b else 0.0
    return min(pa, pb), max(pa, pb), 2 * pa * pb / (pa + pb) if pa + pb else 0.0


def _mt_features(a: _Side, b: _Side, cosine: float) -> list[float]:
    """MT-metric style features (Madnani et al. 2012): character n-gram precision/recall, token and
    character edit distance, clipped word n-gram F, and mismatches of negation, modals and numbers."""
    from rapidfuzz.distance import Indel, Levenshtein

    out: list[float] = []
    for grams_a, grams_b in zip(a.char_grams, b.char_grams):
        out += _precisions(grams_a, grams_b)
    wa, wb = list(a.words), list(b.words)
    ta, tb = a.tokens, b.tokens
    out += [
        Levenshtein.normalized_distance(wa, wb), Indel.normalized_similarity(wa, wb),
        Levenshtein.normalized_distance(a.squashed, b.squashed),
        float(bool(_NEGATION & ta) != bool(_NEGATION & tb)), float(len((_MODALS & ta) ^ (_MODALS & tb))),
        float(a.numbers != b.numbers), _jaccard(a.numbers, b.numbers),
    ]
    for grams_a, grams_b in zip(a.word_grams, b.word_grams):
        out.append(_precisions(grams_a, grams_b)[2])
    # Long unmatched words stand in for rare (informative) ones without shipping a frequency list.
    sa, sb = a.stem_content, b.stem_content
    out += [float(sum(len(w) for w in (sa - sb)) + sum(len(w) for w in (sb - sa))),
            float(len(sa - sb) + len(sb - sa)), float(max(len(wa), len(wb))), cosine * cosine]
    return out


def _jaccard(a: AbstractSet, b: AbstractSet) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def pair_features(a: str, b: str, cosine: float) -> list[float]:
    sa, sb = _side(a), _side(b)
    ca, cb = sa.content, sb.content
    inter = len(ca & cb)
    na, nb = len(sa.words), len(sb.words)
    word_j = _jaccard(sa.word_set, sb.word_set)
    return [
        cosine,
        word_j,
        inter / max(1, min(len(ca), len(cb))),
        inter / max(1, max(len(ca), len(cb))),
        _jaccard(sa.char3, sb.char3),
        1.0 if sa.numbers == sb.numbers else 0.0,
        float(len(sa.numbers ^ sb.numbers)),
        min(na, nb) / max(1, max(na, nb)),
        abs(na - nb) / 10.0,
        _jaccard(sa.caps, sb.caps),
        cosine * word_j,
        _jaccard(sa.bigrams, sb.bigrams),
        *_difference_features(sa, sb),
        *_mt_features(sa, sb, cosine),
    ]


@lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """Hash of the weights files (the feature model's and the cross-encoder adapter's; a missing
    one counts as empty): results computed with other weights are not reused."""
    import hashlib

    from sitroom.stories.cross_encoder import ADAPTER_PATH

    digest = hashlib.sha1()
    for path in (MODEL_PATH, ADAPTER_PATH):
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> dict | None:
    if not path.exists():
        log.warning("paraphrase model %s missing; falling back to cosine >= %.2f", path,
                    FALLBACK_COSINE)
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def paraphrase_probability(pairs: Sequence[tuple[str, str]], cosines: Sequence[float],
                           model: dict | None = None) -> np.ndarray:
    model = model if model is not None else load_model()
    if model is None:
        return (np.asarray(cosines, dtype=float) >= FALLBACK_COSINE).astype(float)
    from sitroom.stories.logistic import logistic_probability

    x = np.array([pair_features(a, b, float(c)) for (a, b), c in zip(pairs, cosines)], dtype=float)
    prob = logistic_probability(x, model)
    combo = model.get("cross_encoder")
    if combo is None or len(prob) == 0:
        return prob
    from sitroom.stories.cross_encoder import cross_encoder_logits, load_cross_encoder

    # The cross-encoder costs a MiniLM pass per pair: it is asked only where the feature model is
    # unsure (outside the band, it did not change a decision on the validation fold), and loaded
    # only when such a pair comes.
    unsure = np.flatnonzero((prob >= combo["band"][0]) & (prob <= combo["band"][1]))
    encoder = load_cross_encoder() if len(unsure) else None
    if encoder is not None:
        p = np.clip(prob[unsure], 1e-6, 1 - 1e-6)
        ce = cross_encoder_logits([pairs[i] for i in unsure], encoder)
        z = (1 - combo["weight"]) * np.log(p / (1 - p)) + combo["weight"] * ce
        prob = prob.copy()
        prob[unsure] = 1.0 / (1.0 + np.exp(-z))
    return prob


def is_paraphrase_batch(pairs: Sequence[tuple[str, str]], cosines: Sequence[float]) -> np.ndarray:
    model = load_model()
    threshold = model["threshold"] if model else 0.5
    return paraphrase_probability(pairs, cosines, model) >= threshold


# --- training and data -------------------------------------------------------------------------


def read_msrp(path: Path) -> list[tuple[int, str, str]]:
    """(label, sentence 1, sentence 2) rows of an MSRP TSV (header: Quality, #1 ID, #2 ID, ...)."""
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines()):
        parts = line.split("\t")
        if i == 0 or len(parts) < 5:
            continue
        try:
            rows.append((int(parts[0]), parts[3], parts[4]))
        except ValueError:
            log.warning("%s:%d: not a paraphrase row; skipped", path, i + 1)
    return rows


def split_rows(n: int, seed: int = SPLIT_SEED, held_aside: float = HELD_ASIDE_SHARE):
    """Fixed (train, held-aside) index split of n rows."""
    perm = np.random.default_rng(seed).permutation(n)
    cut = int(round(n * (1 - held_aside)))
    return np.sort(perm[:cut]), np.sort(perm[cut:])


def pair_cosines(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    from sitroom.embed import embed

    va = embed([a for a, _ in pairs])
    vb = embed([b for _, b in pairs])
    return (va * vb).sum(axis=1)


def _fit_cross_encoder(pairs: list[tuple[str, str]], y: np.ndarray, z: np.ndarray, c: float,
                       threshold: float, folds) -> dict:
    """Train the cross-encoder adapter and choose how it joins the feature model.

    On the first of the 5 folds of the training part (validation fold; the cross-encoder and a
    feature model are fitted on the other four): the weight w of the cross-encoder's log-odds in
    (1 - w)·logit(p_features) + w·logit_ce is the one with the lowest validation log-loss, and the
    band of feature probabilities where the cross-encoder is asked is the narrowest one holding
    every validation pair whose decision it changed, widened by BAND_MARGIN. Then the adapter is
    trained on the whole training part and written to cross_encoder.ADAPTER_PATH.
    """
    from sklearn.linear_model import LogisticRegression

    from sitroom.stories.cross_encoder import (
        ADAPTER_PATH,
        build_cross_encoder,
        cross_encoder_logits,
        load_cross_encoder,
        train_cross_encoder,
    )

    fit_idx, val_idx = next(iter(folds.split(z, y)))
    clf = LogisticRegression(C=c, max_iter=5000).fit(z[fit_idx], y[fit_idx])
    p_val = np.clip(clf.predict_proba(z[val_idx])[:, 1], 1e-6, 1 - 1e-6)
    arrays = train_cross_encoder([pairs[i] for i in fit_idx], y[fit_idx], SPLIT_SEED)
    ce_val = cross_encoder_logits([pairs[i] for i in val_idx], build_cross_encoder(arrays))
    y_val = y[val_idx]
    feature_logit = np.log(p_val / (1 - p_val))

    def combined(w: float) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-((1 - w) * feature_logit + w * ce_val)))

    def log_loss(p: np.ndarray) -> float:
        p = np.clip(p, 1e-6, 1 - 1e-6)
        return float(-np.mean(y_val * np.log(p) + (1 - y_val) * np.log(1 - p)))

    weights = np.round(np.arange(0.0, 1.001, 0.05), 2)
    weight = float(weights[int(np.argmin([log_loss(combined(w)) for w in weights]))])
    changed = (combined(weight) >= threshold) != (p_val >= threshold)
    band = [0.0, 0.0]
    if changed.any():
        band = [max(0.0, float(p_val[changed].min()) - BAND_MARGIN),
                min(1.0, float(p_val[changed].max()) + BAND_MARGIN)]
    in_band = (p_val >= band[0]) & (p_val <= band[1])
    final = np.where(in_band, combined(weight), p_val)
    report = {
        "weight": weight,
        "band": [round(band[0], 3), round(band[1], 3)],
        "validation": {
            "n": int(len(val_idx)),
            "accuracy_features": round(float(((p_val >= threshold) == y_val).mean()), 4),
            "accuracy_cross_encoder": round(float(((ce_val > 0) == y_val).mean()), 4),
            "accuracy_combined": round(float(((final >= threshold) == y_val).mean()), 4),
            "share_in_band": round(float(in_band.mean()), 4),
        },
    }
    log.info("cross-encoder on the validation fold: %s", report)
    full = train_cross_encoder(pairs, y, SPLIT_SEED)
    ADAPTER_PATH.parent.mkdir(parents=True, exist_ok=True)
    np.savez(ADAPTER_PATH, **full)
    load_cross_encoder.cache_clear()
    return report


def train_model(msrp_path: Path, out_path: Path | None = MODEL_PATH,
                cosines: np.ndarray | None = None, cross_encoder: bool = True) -> dict:
    """Fit the logistic regression on the fixed training part; returns (and writes) the weights.

    C is chosen by 5-fold cross-validation inside the training part; the decision threshold is
    the probability maximising accuracy on out-of-fold predictions of the training part.
    `cosines` (one per row of the whole file, from `pair_cosines`) may be passed to save time.
    With `cross_encoder`, the cross-encoder adapter is trained too (_fit_cross_encoder: about
    half an hour on two CPU cores).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
    from sklearn.preprocessing import StandardScaler

    from sitroom.stories.logistic import fit_logistic

    rows = read_msrp(msrp_path)
    train_idx, _ = split_rows(len(rows))
    train = [rows[i] for i in train_idx]
    pairs = [(a, b) for _, a, b in train]
    y = np.array([lab for lab, _, _ in train])
    cos = pair_cosines(pairs) if cosines is None else np.asarray(cosines)[train_idx]
    x = np.array([pair_features(a, b, float(c)) for (a, b), c in zip(pairs, cos)])
    scaler = StandardScaler().fit(x)
    z = scaler.transform(x)
    folds = StratifiedKFold(5, shuffle=True, random_state=SPLIT_SEED)
    search = GridSearchCV(LogisticRegression(max_iter=5000), {"C": [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]},
                          cv=folds, scoring="accuracy").fit(z, y)
    best_c = float(search.best_params_["C"])
    oof = cross_val_predict(LogisticRegression(C=best_c, max_iter=5000), z, y, cv=folds,
                            method="predict_proba")[:, 1]
    grid = np.round(np.arange(0.3, 0.71, 0.01), 2)
    threshold = float(grid[int(np.argmax([((oof >= t) == y).mean() for t in grid]))])
    model = {
        "about": "Logistic regression for sentence-pair paraphrase; trained by "
        "sitroom.stories.paraphrase.train_model on the fixed training part (seed "
        f"{SPLIT_SEED}, {1 - HELD_ASIDE_SHARE:.0%}) of msr_paraphrase_train.txt; C by 5-fold CV, "
        "threshold by out-of-fold accuracy. 'cross_encoder': how the cross-encoder "
        "(paraphrase_cross_encoder.npz) joins it, chosen on the first of those folds.",
        **fit_logistic(x, y, best_c, FEATURE_NAMES),
        "threshold": threshold,
        "n_train": int(len(y)),
    }
    if cross_encoder:
        model["cross_encoder"] = _fit_cross_encoder(pairs, y, z, best_c, threshold, folds)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        load_model.cache_clear()
        model_fingerprint.cache_clear()
    return model
