"""Headlines: a title that is only a dateline ("This story is from March 1, 2002") is a date,
not a headline; the headline is then the first line of the text that is not a dateline. The
patterns are data (sitroom/data/stories/datelines.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

MAX_HEADLINE_CHARS = 200  # a first line longer than this is a paragraph: cut at a word


@lru_cache(maxsize=1)
def _dateline() -> re.Pattern[str]:
    spec = tomllib.loads(resources.files("sitroom.data").joinpath(
        "stories", "datelines.toml").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in spec["patterns"]), re.IGNORECASE)


def is_dateline(line: str) -> bool:
    return bool(_dateline().fullmatch(line.strip()))


def headline(title: str, text: str) -> str:
    """`title` unless it is empty or a dateline; else the first line of `text` that is neither
    (cut to MAX_HEADLINE_CHARS at a word), else `title` as it is."""
    if title.strip() and not is_dateline(title):
        return title
    for line in text.splitlines():
        line = line.strip()
        if line and not is_dateline(line):
            if len(line) <= MAX_HEADLINE_CHARS:
                return line
            return line[:MAX_HEADLINE_CHARS].rsplit(" ", 1)[0] + "…"
    return title
