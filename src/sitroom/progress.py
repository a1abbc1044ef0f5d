"""Progress bars on stderr (tqdm), silenced by --quiet or when stderr is not a terminal in tests."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, quiet: bool, total: int | None = None,
             unit: str = "art") -> Iterator[T]:
    yield from tqdm(items, desc=desc, total=total, unit=unit, disable=quiet, file=sys.stderr,
                    dynamic_ncols=True, leave=False, mininterval=0.5)


def step(label: str, quiet: bool) -> None:
    """A line on stderr naming the step a run starts ("sitroom: grouping stories"), so a long
    step (model loading takes up to a minute) is never silent; --quiet silences it."""
    if not quiet:
        print(f"sitroom: {label}", file=sys.stderr, flush=True)
