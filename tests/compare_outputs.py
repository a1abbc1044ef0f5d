"""Comparing the outputs of two runs: the same but for the wall-clock time each event changed."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def comparable_output(path: Path) -> str:
    """An output file's text with its `timestamp` column (when each event last changed, Unix
    seconds: two runs of the same input a second apart differ there) blanked."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix != ".csv":
        return text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or "timestamp" not in rows[0]:
        return text
    at = rows[0].index("timestamp")
    for row in rows[1:]:
        if len(row) > at:
            row[at] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
