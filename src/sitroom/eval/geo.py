"""`sitroom eval geo`: see ../shared/DESIGN.md for the data format and metrics (issue 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    raise NotImplementedError("eval geo is not implemented yet (issue 4)")
