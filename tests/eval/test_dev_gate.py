"""The evaluation gate: each pinned dev figure of the event evaluations (dev_figures.json) holds.

These run the whole pipeline over the dev sets in ../shared (minutes), and skip without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED

PINS = json.loads((Path(__file__).parent / "dev_figures.json").read_text(encoding="utf-8"))


def _figure(result: dict, dotted: str) -> float:
    value = result
    for part in dotted.split("."):
        value = value[part]
    return float(value)


@pytest.mark.parametrize("task", ["police", "wikievents", "events"])
def test_dev_figures_hold(task: str, tmp_path: Path) -> None:
    from sitroom.eval import police, wikievents, events

    pin = PINS[task]
    path = SHARED / pin["file"]
    if not path.exists():
        pytest.skip(f"{path} is not there")
    evaluate = {"police": police.evaluate, "wikievents": wikievents.evaluate, "events": events.evaluate}[task]
    options = {"out": str(tmp_path / task)} if task != "events" else {}
    result = evaluate(path, quiet=True, **options)
    low = {name: (_figure(result, name), floor) for name, floor in pin["figures"].items()
           if _figure(result, name) < floor - PINS["tolerance"]}
    assert not low, f"{task}: dev figures fell below their pins (measured, pinned): {low}"
