"""The first N bench articles in K arrivals: updates through the story index, updates that group
every article (as main did), and one run, compared ids aside (sitroom.compare).

    PYTHONPATH=src HF_HUB_OFFLINE=1 python tools/stream_equivalence.py OUT_DIR [N] [K]

Prints each comparison as JSON (docs/engine.md quotes the figures for 200 in 4).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    import sitroom.incremental.stories as stories_step
    from sitroom.bench import default_corpus, load_records, write_feed
    from sitroom.compare import compare_stores
    from sitroom.pipeline import RunOptions, run

    root = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    corpus = default_corpus()
    if corpus is None:
        sys.exit("no bench file (../shared/eval/bench/india_police_events_docs.jsonl)")
    records = load_records(corpus, n)
    root.mkdir(parents=True, exist_ok=True)
    write_feed(root / "all.jsonl", records)
    step = -(-n // k)
    parts = []
    for start in range(0, n, step):
        part = root / f"part{start}.jsonl"
        write_feed(part, records[start:start + step])
        parts.append(part)
    run([root / "all.jsonl"], RunOptions(out_dir=root / "one", quiet=True))
    for part in parts:
        run([part], RunOptions(out_dir=root / "indexed", quiet=True))
    stories_step.incremental_ok = lambda *args, **kwargs: False  # group every article each time
    for part in parts:
        run([part], RunOptions(out_dir=root / "all_grouped", quiet=True))
    for a, b in (("one", "indexed"), ("one", "all_grouped"), ("all_grouped", "indexed")):
        print(json.dumps({"a": a, "b": b, **compare_stores(root / a, root / b).as_dict()}))


if __name__ == "__main__":
    main()
