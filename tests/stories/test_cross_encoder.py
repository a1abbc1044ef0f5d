"""Tests of the paraphrase cross-encoder (LoRA adapter over MiniLM) and how it joins the
feature model."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sitroom.stories import cross_encoder as ce
from sitroom.stories import paraphrase

SAME = ("The guards fled across the bridge on Monday.",
        "On Monday the guards escaped over the bridge.")
OTHER = ("The guards fled across the bridge on Monday.",
         "Heavy rain closed the container terminal.")


def test_adapter_ships_small_and_matches_its_settings():
    assert ce.ADAPTER_PATH.exists(), "data/stories/paraphrase_cross_encoder.npz must ship"
    assert ce.ADAPTER_PATH.stat().st_size < 2_000_000
    with np.load(ce.ADAPTER_PATH) as data:
        top, rank = int(data["top_layers"]), int(data["rank"])
        assert data["head_w"].shape == (384,)
        for k in range(top):
            for target in ce.TARGETS:
                assert data[f"{k}.{target}.A"].shape[0] == rank
                assert data[f"{k}.{target}.B"].shape[1] == rank
        assert f"{top}.{ce.TARGETS[0]}.A" not in data


def test_zero_adapter_leaves_the_base_encoder_unchanged():
    with np.load(ce.ADAPTER_PATH) as data:
        arrays = {k: (np.zeros_like(v) if k.endswith(".B") else v) for k, v in data.items()}
    model = ce.build_cross_encoder(arrays)
    enc = model["tokenizer"](["guards fled"], ["guards escaped"], return_tensors="pt")
    with torch.inference_mode():
        hidden = ce._lower_states(model["bert"], enc, model["n_lower"])
        for layer in model["top"]:
            hidden = layer(hidden, ce._additive_mask(enc["attention_mask"]))
        base = model["bert"](**enc).last_hidden_state
    assert torch.allclose(hidden, base, atol=1e-5)


def test_merging_does_not_touch_the_bi_encoder():
    from sitroom.embed import embed

    before = embed(["The guards fled across the bridge."])
    ce.load_cross_encoder()
    assert np.allclose(embed(["The guards fled across the bridge."]), before, atol=1e-6)


def test_cross_encoder_orders_pairs_and_ignores_batching():
    logits = ce.cross_encoder_logits([SAME, OTHER])
    assert logits[0] > 0 > logits[1]
    alone = ce.cross_encoder_logits([OTHER])
    assert alone[0] == pytest.approx(logits[1], abs=1e-4)


def test_cross_encoder_is_asked_only_inside_the_band(monkeypatch):
    model = paraphrase.load_model()
    combo = model["cross_encoder"]
    assert 0.0 < combo["weight"] < 1.0 and 0.0 <= combo["band"][0] < combo["band"][1] <= 1.0
    asked: list[int] = []

    def fake_logits(pairs, encoder=None):
        asked.append(len(pairs))
        return np.full(len(pairs), 8.0)

    monkeypatch.setattr(ce, "cross_encoder_logits", fake_logits)
    features_only = {k: v for k, v in model.items() if k != "cross_encoder"}
    alone = paraphrase.paraphrase_probability([SAME, OTHER], [0.8, 0.3], features_only)
    assert not asked
    # a band around the first pair's feature probability only: only that pair is sent, and a
    # confident cross-encoder raises its probability
    band = [float(alone[0]) - 1e-6, float(alone[0]) + 1e-6]
    assert not band[0] <= alone[1] <= band[1]
    probs = paraphrase.paraphrase_probability([SAME, OTHER], [0.8, 0.3],
                                              {**model, "cross_encoder": {**combo, "band": band}})
    assert asked == [1]
    assert probs[0] > alone[0] and probs[1] == pytest.approx(alone[1])


def test_training_learns_a_toy_task():
    pairs = [SAME, OTHER] * 8
    labels = [1, 0] * 8
    arrays = ce.train_cross_encoder(pairs, labels, seed=1, epochs=3)
    assert arrays["0.attention.self.query.B"].any()
    logits = ce.cross_encoder_logits([SAME, OTHER], ce.build_cross_encoder(arrays))
    assert logits[0] > logits[1]
