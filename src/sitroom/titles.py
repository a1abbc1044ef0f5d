"""Headlines: a title that is only a dateline ("This story is from March 1, 2002") is a date,
not a headline; the headline is then the first line of the text that is not a dateline. The
patterns are data (sitroom/data/stories/datelines.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

MAX_HEADLINE_CHARS = 120  # a headline taken from the text: its first sentence, cut at a word


@lru_cache(maxsize=1)
def _spec() -> dict[str, object]:
    return tomllib.loads(resources.files("sitroom.data").joinpath(
        "stories", "datelines.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _dateline() -> re.Pattern[str]:
    patterns = _spec()["patterns"]
    assert isinstance(patterns, list)
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _place_dateline() -> re.Pattern[str]:
    return re.compile(str(_spec()["place_prefix"]), re.IGNORECASE)


def _from_text(line: str) -> str:
    """A headline from a line of body text: its first sentence without the place dateline
    ("AHMEDABAD: "), capitalised, cut at a word past MAX_HEADLINE_CHARS."""
    line = _place_dateline().sub("", line, count=1).strip() or line
    line = re.split(r"(?<=[.!?])\s+", line, maxsplit=1)[0].rstrip(".")
    line = line[:1].upper() + line[1:]
    if len(line) <= MAX_HEADLINE_CHARS:
        return line
    return line[:MAX_HEADLINE_CHARS].rsplit(" ", 1)[0] + "…"


def is_dateline(line: str) -> bool:
    return bool(_dateline().fullmatch(line.strip()))


def headline(title: str, text: str) -> str:
    """`title` unless it is empty or a dateline; else one from the first line of `text` that is
    neither (its first sentence, see _from_text), else `title` as it is."""
    if title.strip() and not is_dateline(title):
        return title
    for line in text.splitlines():
        line = line.strip()
        if line and not is_dateline(line):
            return _from_text(line)
    return title
