"""`sitroom bench --stream`: update latency against the size of the store.

Grows one store through the sizes asked for (the bench file, then perturbed copies of it with
new ids, as `--grow` does), and at each size measures, on a copy of the store, one update of
each arrival size (new perturbed copies never seen before): wall and CPU seconds and peak
memory (PSS of the run and its workers), each update a `sitroom run` in a child process, as a
user's update would be. The growth ratio (latency at the largest size over the smallest) is
what tells whether an update's cost follows the store.

`--equivalence N:K` also feeds the first N articles in K arrivals and in one run and compares
the two stores, ids aside (sitroom.compare).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from sitroom.bench import (
    corpus_records,
    perturbed_copies,
    run_end_to_end,
    write_feed,
)


def _ints(text: str) -> list[int]:
    return sorted({int(x) for x in text.split(",") if x.strip()})


def stream_records(records: list[dict], total: int, tag: str) -> list[dict]:
    """`total` articles: the bench file first, then perturbed copies; `tag` marks the ids of
    a set of arrivals so that they are new to the store."""
    grown = perturbed_copies(records, total) if total > len(records) else records[:total]
    return [dict(r, id=f"{r['id']}{tag}") if tag else r for r in grown]


def arrivals(records: list[dict], k: int, offset: int) -> list[dict]:
    """k articles never in the store: perturbed copies past the grown corpus, with new ids."""
    extra = perturbed_copies(records, offset + k)[offset:]
    return [dict(r, id=f"{r['id']}~arrival{k}") for r in extra]


def _measure(out: Path, feed: Path, engine: str, workers: int | None) -> dict[str, float]:
    got = run_end_to_end(feed, out, engine, workers)
    return {"seconds": round(got["seconds"], 2), "cpu_seconds": round(got["cpu_seconds"], 2),
            "peak_mb": round(got["peak_mb"], 1)}


def _changes_of_last_run(out: Path) -> dict[str, int]:
    from sitroom.store import open_store

    store = open_store(out, readonly=True)
    try:
        runs = store.rows("SELECT MAX(run_id) AS r FROM runs")
        counts: dict[str, int] = {}
        for c in store.changes(run_id=runs[0]["r"]):
            counts[c["change"]] = counts.get(c["change"], 0) + 1
        return counts
    finally:
        store.close()


def bench_stream(args: argparse.Namespace) -> int:
    found = corpus_records(args, "sitroom bench --stream")
    if found is None:
        return 2
    corpus, records = found
    sizes = _ints(args.sizes)
    ks = _ints(args.arrivals)
    report: dict[str, Any] = {"corpus": str(corpus), "cores": os.cpu_count(), "sizes": sizes,
                              "arrivals": ks, "updates": []}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store_dir = Path(args.keep) if args.keep else tmp / "store"
        built = 0
        grown = stream_records(records, max(sizes), "")
        for size in sizes:
            feed = tmp / f"grow-{size}.jsonl"
            write_feed(feed, grown[built:size])
            got = _measure(store_dir, feed, args.engine, args.workers)
            print(f"sitroom bench --stream: store grown {built} -> {size} articles in "
                  f"{got['seconds']:.1f} s", file=sys.stderr)
            report.setdefault("growth", []).append({"from": built, "to": size, **got})
            built = size
            for k in ks:
                trial = tmp / f"trial-{size}-{k}"
                shutil.copytree(store_dir, trial)
                feed = tmp / f"new-{size}-{k}.jsonl"
                write_feed(feed, arrivals(records, k, max(sizes)))
                got = _measure(trial, feed, args.engine, args.workers)
                row = {"store": size, "new": k, **got, "changes": _changes_of_last_run(trial)}
                report["updates"].append(row)
                print(f"  store {size:>7}  +{k:<5} new: {got['seconds']:8.2f} s wall "
                      f"{got['cpu_seconds']:8.2f} s CPU  peak {got['peak_mb']:.0f} MB  "
                      f"{row['changes']}", file=sys.stderr)
                shutil.rmtree(trial)
        for k in ks:
            rows = [r for r in report["updates"] if r["new"] == k]
            if len(rows) >= 2 and rows[0]["seconds"]:
                report[f"growth_ratio_{k}_new"] = round(rows[-1]["seconds"] / rows[0]["seconds"], 3)
                report[f"growth_ratio_{k}_new_cpu"] = round(
                    rows[-1]["cpu_seconds"] / rows[0]["cpu_seconds"], 3)
        if args.equivalence:
            report["equivalence"] = equivalence(records, args.equivalence, tmp, args)
    print(json.dumps(report, sort_keys=True))
    return 0


def equivalence(records: list[dict], spec: str, tmp: Path, args: argparse.Namespace
                ) -> dict[str, Any]:
    """The first N articles in K arrivals against one run: the two stores compared."""
    from sitroom.compare import compare_stores

    n_text, _, k_text = spec.partition(":")
    n, k = int(n_text), int(k_text or 1)
    subset = records[:n]
    whole, parts = tmp / "eq-one", tmp / "eq-parts"
    feed = tmp / "eq-all.jsonl"
    write_feed(feed, subset)
    one = _measure(whole, feed, args.engine, args.workers)
    step = -(-n // k)
    seconds = []
    for start in range(0, n, step):
        part = tmp / f"eq-{start}.jsonl"
        write_feed(part, subset[start:start + step])
        seconds.append(_measure(parts, part, args.engine, args.workers)["seconds"])
    agreement = compare_stores(whole, parts)
    out = {"articles": n, "arrivals": k, "one_run_s": one["seconds"], "update_s": seconds,
           **agreement.as_dict()}
    print(f"sitroom bench --stream: {n} articles in {k} arrivals vs one run: "
          f"{json.dumps(agreement.as_dict())}", file=sys.stderr)
    return out
