"""Sentence-pair cross-encoder: the packaged all-MiniLM-L6-v2 reading both sentences at once.

The base weights stay frozen; only low-rank (LoRA, Hu et al. 2021) updates of the linear maps of the
top layers and a one-unit head on the mean-pooled output are trained, so the trained numbers fit
in a small data file (data/stories/paraphrase_cross_encoder.npz, see its README). At load time the
updates are merged into a copy of the top layers (W + s·B·A): a run costs one plain MiniLM pass
per pair, nothing more. The embeddings and the frozen lower layers are shared with sitroom.embed's
bi-encoder (no second copy of the weights in memory).

LoRA is written here (a few lines) rather than taken from `peft`, which would add accelerate,
huggingface_hub and others for one matrix product per layer.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

ADAPTER_PATH = (Path(__file__).resolve().parents[1] / "data" / "stories"
                / "paraphrase_cross_encoder.npz")
# Settings of the committed adapter (how each was chosen: data/stories/README.md).
TOP_LAYERS = 3      # LoRA on the top 3 of the 6 layers; the lower 3 stay exactly the bi-encoder's
RANK = 8
ALPHA = 16.0        # LoRA scale s = ALPHA / RANK
LEARNING_RATE = 1e-3
EPOCHS = 2
BATCH = 16
MAX_TOKENS = 96     # a pair of MSRP sentences is <= 83 word pieces for 99% of the training part
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value",
           "attention.output.dense", "intermediate.dense", "output.dense")
INFER_BATCH = 32


def _module(layer: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        layer = getattr(layer, part)
    return layer


def _set_module(layer: Any, dotted: str, value: Any) -> None:
    *path, last = dotted.split(".")
    setattr(_module(layer, ".".join(path)) if path else layer, last, value)


def _lora_class() -> type:
    import torch
    from torch import nn

    class LoRALinear(nn.Module):
        """y = W x + b + s · B A x, with W, b frozen."""

        def __init__(self, base: nn.Linear, rank: int, scale: float):
            super().__init__()
            self.base, self.scale = base, scale
            self.A = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
            self.B = nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.A.T @ self.B.T) * self.scale

    return LoRALinear


def _additive_mask(mask: Any) -> Any:
    """(batch, tokens) 0/1 mask -> additive (batch, 1, 1, tokens) mask for BertLayer."""
    return (1.0 - mask[:, None, None, :].float()) * -1e9


def _mean_pool(hidden: Any, mask: Any) -> Any:
    m = mask[..., None].to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)


def _tokenize(tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    return tokenizer([a for a, _ in pairs], [b for _, b in pairs], truncation=True,
                     max_length=MAX_TOKENS, padding=True, return_tensors="pt")


def _lower_states(bert: Any, enc: Any, n_lower: int) -> Any:
    """Hidden states after the frozen lower layers (and the attention mask)."""
    hidden = bert.embeddings(input_ids=enc["input_ids"], token_type_ids=enc["token_type_ids"])
    ext = _additive_mask(enc["attention_mask"])
    for layer in bert.encoder.layer[:n_lower]:
        hidden = layer(hidden, ext)
    return hidden


@lru_cache(maxsize=1)
def load_cross_encoder(path: Path = ADAPTER_PATH) -> dict | None:
    """The base encoder, merged top layers and head; None when the adapter file is missing."""
    if not path.exists():
        log.warning("cross-encoder adapter %s missing; paraphrase decisions use the feature "
                    "model only", path)
        return None
    with np.load(path) as data:
        return build_cross_encoder(dict(data))


def build_cross_encoder(arrays: dict[str, np.ndarray]) -> dict:
    """Merge the adapter arrays (from train_cross_encoder) into a copy of the top layers."""
    import torch

    from sitroom.embed import load_encoder

    encoder = load_encoder()
    bert = encoder[0].auto_model
    n_layers = len(bert.encoder.layer)
    top_layers = int(arrays["top_layers"])
    scale = float(arrays["alpha"]) / int(arrays["rank"])
    merged = copy.deepcopy(bert.encoder.layer[n_layers - top_layers:])
    with torch.no_grad():
        for k, layer in enumerate(merged):
            for target in TARGETS:
                a = arrays[f"{k}.{target}.A"].astype(np.float32)
                delta = arrays[f"{k}.{target}.B"].astype(np.float32) @ a
                _module(layer, target).weight += torch.from_numpy(delta * scale)
    merged.eval()
    return {
        "tokenizer": encoder.tokenizer,
        "bert": bert,
        "n_lower": n_layers - top_layers,
        "top": merged,
        "head_w": torch.from_numpy(arrays["head_w"].astype(np.float32)),
        "head_b": float(arrays["head_b"]),
    }


def cross_encoder_logits(pairs: Sequence[tuple[str, str]], model: dict | None = None) -> np.ndarray:
    """Paraphrase log-odds per (a, b) pair; longest pairs batched together to save padding."""
    model = model if model is not None else load_cross_encoder()
    if model is None or not pairs:
        return np.zeros(len(pairs))
    import torch

    order = np.argsort([len(a) + len(b) for a, b in pairs], kind="stable")
    out = np.zeros(len(pairs))
    with torch.inference_mode():
        for start in range(0, len(order), INFER_BATCH):
            idx = order[start : start + INFER_BATCH]
            enc = _tokenize(model["tokenizer"], [pairs[i] for i in idx])
            hidden = _lower_states(model["bert"], enc, model["n_lower"])
            ext = _additive_mask(enc["attention_mask"])
            for layer in model["top"]:
                hidden = layer(hidden, ext)
            pooled = _mean_pool(hidden, enc["attention_mask"])
            out[idx] = (pooled @ model["head_w"] + model["head_b"]).float().numpy()
    return out


# --- training ------------------------------------------------------------------------------------


def train_cross_encoder(pairs: Sequence[tuple[str, str]], labels: Sequence[int], seed: int,
                        epochs: int = EPOCHS, eval_pairs: Sequence[tuple[str, str]] = (),
                        eval_labels: Sequence[int] = ()) -> dict[str, np.ndarray]:
    """Fit the LoRA updates and head on (pairs, labels); returns the arrays of the adapter file.

    AdamW (weight decay 0.01), linear warm-up over 10% of the steps then linear decay, dropout 0.1
    as in the base model, batches of similar length in shuffled order. The lower layers are frozen,
    so their output is computed once per pair and reused every epoch (the training cost is the top
    layers only). With eval pairs, the accuracy on them is logged after each epoch.
    """
    import torch
    from torch import nn

    from sitroom.embed import load_encoder

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    encoder = load_encoder()
    tokenizer, bert = encoder.tokenizer, encoder[0].auto_model
    n_lower = len(bert.encoder.layer) - TOP_LAYERS
    y = torch.tensor(np.asarray(labels), dtype=torch.float32)

    def lower_states(ps: Sequence[tuple[str, str]]) -> list[Any]:
        states: list[Any] = [None] * len(ps)
        order = np.argsort([len(a) + len(b) for a, b in ps], kind="stable")
        with torch.inference_mode():
            for s in range(0, len(order), 32):
                idx = order[s : s + 32]
                enc = _tokenize(tokenizer, [ps[i] for i in idx])
                hidden = _lower_states(bert, enc, n_lower)
                for row, i in enumerate(idx):
                    states[i] = hidden[row, : int(enc["attention_mask"][row].sum())].clone()
        return states

    train_states, eval_states = lower_states(pairs), lower_states(eval_pairs)
    lora = _lora_class()
    top = copy.deepcopy(bert.encoder.layer[n_lower:])
    for p in top.parameters():
        p.requires_grad_(False)
    for layer in top:
        for target in TARGETS:
            _set_module(layer, target, lora(_module(layer, target), RANK, ALPHA / RANK))
    head = nn.Linear(bert.config.hidden_size, 1)
    prior = float(y.mean())
    nn.init.zeros_(head.weight)
    nn.init.constant_(head.bias, math.log(prior / (1 - prior)))

    def forward(states: list[Any], idx: Sequence[int], training: bool) -> Any:
        width = max(len(states[i]) for i in idx)
        hidden = torch.zeros(len(idx), width, bert.config.hidden_size)
        mask = torch.zeros(len(idx), width)
        for row, i in enumerate(idx):
            hidden[row, : len(states[i])] = states[i]
            mask[row, : len(states[i])] = 1
        top.train(training)
        ext = _additive_mask(mask)
        for layer in top:
            hidden = layer(hidden, ext)
        pooled = nn.functional.dropout(_mean_pool(hidden, mask), 0.1, training)
        return head(pooled).squeeze(-1)

    params = [p for p in [*top.parameters(), *head.parameters()] if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * math.ceil(len(pairs) / BATCH)
    warm = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    lengths = np.array([len(s) for s in train_states])
    for epoch in range(epochs):
        # similar lengths per batch (less padding), jittered so batches differ between epochs
        order = np.argsort(lengths + rng.random(len(lengths)) * 8, kind="stable")
        batches = [order[s : s + BATCH] for s in range(0, len(order), BATCH)]
        rng.shuffle(batches)
        total = 0.0
        for idx in batches:
            logits = forward(train_states, idx, True)
            loss = nn.functional.binary_cross_entropy_with_logits(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        message = (f"cross-encoder epoch {epoch + 1}/{epochs}: "
                   f"training loss {total / len(pairs):.4f}")
        if eval_pairs:
            with torch.no_grad():
                chunks = [list(range(s, min(s + 64, len(eval_states))))
                          for s in range(0, len(eval_states), 64)]
                logits = np.concatenate([forward(eval_states, c, False).numpy() for c in chunks])
            message += f", accuracy {((logits > 0) == np.asarray(eval_labels)).mean():.4f}"
        log.info(message)

    arrays: dict[str, np.ndarray] = {
        "top_layers": np.array(TOP_LAYERS), "rank": np.array(RANK), "alpha": np.array(ALPHA),
        "head_w": head.weight.detach().numpy()[0].astype(np.float32),
        "head_b": head.bias.detach().numpy().astype(np.float32)[0],
    }
    for k, layer in enumerate(top):
        for target in TARGETS:
            module = _module(layer, target)
            arrays[f"{k}.{target}.A"] = module.A.detach().numpy().astype(np.float32)
            arrays[f"{k}.{target}.B"] = module.B.detach().numpy().astype(np.float32)
    return arrays
