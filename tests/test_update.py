"""Updates against one run on the seeds: the same stories and events, ids aside; a change log
that names every changed event; the fusion index complete after every update."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.compare import compare_stores
from sitroom.pipeline import RunOptions, run
from sitroom.store import open_store


def test_seeds_in_three_arrivals_give_what_one_run_gives(tmp_path: Path, seeds_dir: Path,
                                                         seeds_run: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    out = tmp_path / "out"
    before: set[str] = set()
    for k, part in enumerate((seeds[:2], seeds[2:4], seeds[4:])):
        result = run(part, RunOptions(out_dir=out, quiet=True))
        assert result.incremental == (k > 0)  # later updates regroup only their candidates
        store = open_store(out, readonly=True)
        ids = {e.event_id for e in store.events()}
        logged = {c["event_id"] for c in store.changes(run_id=store.rows(
            "SELECT MAX(run_id) AS r FROM runs")[0]["r"])}
        store.close()
        # every event that is new since the last update is in the change log
        assert ids - before <= logged
        before = ids
    # the same input again: nothing new, nothing regrouped nor fused again, nothing logged
    again = run(seeds[4:], RunOptions(out_dir=out, quiet=True))
    assert again.incremental and again.n_processed == 0 and again.fusion.n_refused_mentions == 0
    agreement = compare_stores(seeds_run, out)
    assert agreement.identical, agreement.as_dict()
    for name in ("contradictions.csv", "control.csv", "quotes.csv"):
        assert (out / name).read_text() == (seeds_run / name).read_text(), name
    lines = [json.loads(x) for x in (out / "changes.jsonl").read_text().splitlines()]
    assert {x["change"] for x in lines} <= {"added", "changed", "merged", "retired"}
    assert {x["event_id"] for x in lines if x["change"] == "added"} >= before
