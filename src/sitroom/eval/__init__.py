"""`sitroom eval TASK PATH`: score one component on a standard data set.

Each task is a module in this package with ``evaluate(path: Path) -> dict`` returning metrics as
fractions 0..1 plus ``n``. The CLI prints that dict as the last line of output (JSON).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

class EvalInputError(ValueError):
    """A data set file that cannot be scored; the message names the file and the problem."""


# task name -> module (a registry rather than an if-chain; add a line to add a task)
TASKS: dict[str, str] = {
    "geo": "sitroom.eval.geo",
    "cluster": "sitroom.eval.cluster",
    "paraphrase": "sitroom.eval.paraphrase",
    "events": "sitroom.eval.events",
    "quotes": "sitroom.eval.quotes",
    "time": "sitroom.eval.time",
    "seeds": "sitroom.eval.seeds",
    "police": "sitroom.eval.police",
    "wikievents": "sitroom.eval.wikievents",
}


def run_task(task: str, path: Path, **options: Any) -> dict[str, Any]:
    if task not in TASKS:
        raise KeyError(f"unknown eval task {task!r}; choose from {', '.join(sorted(TASKS))}")
    module = importlib.import_module(TASKS[task])
    return module.evaluate(path, **options)
