"""`sitroom eval paraphrase`: see ../shared/DESIGN.md for the data format and metrics (issue 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    raise NotImplementedError("eval paraphrase is not implemented yet (issue 3)")
