"""Cheap per-article surface features the stories stage compares: names, numbers, quotes, years.

All regex-based on purpose: they run on every article before any parse and must stay far cheaper
than the spaCy pass; the events and time stages do the careful reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A "name" is a run of capitalised words (with short lower-case joiners such as "bin", "al", "of").
_NAME = re.compile(
    r"\b[A-Z][\w'’\-]+(?:\s+(?:(?:al|el|bin|ibn|de|du|van|von|of|the|ul|ud|e)[\-\s]+)?[A-Z][\w'’\-]+)*"
)
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\d])|(?<![\w.,])\d+(?:\.\d+)?(?![\d])")
# A number that a spinner mangled: digits split by spaces followed by a magnitude word, e.g. "2 5 Hundreds".
_MANGLED_NUMBER = re.compile(
    r"\b\d(?:\s\d){1,3}\s+(?:[Hh]undreds?|[Tt]housands?|[Mm]illions?)\b|\b\d+\s+(?:Hundreds|Thousands|Millions)\b"
)
_QUOTE = re.compile(r"[\"“”]([^\"“”]{25,400})[\"“”]")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_SENT_SPLIT = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘'A-Z0-9])|\n+")


@dataclass
class ArticleFeatures:
    """What one article offers as evidence when compared with others."""

    names: list[str] = field(default_factory=list)  # distinct multi- or single-word names, in order
    numbers: set[str] = field(default_factory=set)  # normalised digits ("2500", "50")
    quotes: list[str] = field(default_factory=list)  # direct quotes, normalised
    years: set[int] = field(default_factory=set)
    mangled_numbers: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


# Capitalised words that start sentences or are calendar words tell nothing about the event.
_NAME_STOP = frozenset(
    """a an the this that these those it its he she they we i you his her their our in on at of for
    to from by with as and or but if when while after before since during about over under into
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december mr mrs ms dr read also source link share
    however meanwhile but some many most several there here what who which why how""".split()
)


# A full stop followed by a lower-case word: a sentence end in text its source lowercased, an
# abbreviation ("approx. five") in text written with capitals.
_LOWER_AFTER_STOP = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘']?[a-z])")
_UPPER_AFTER_STOP = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘']?[A-Z])")
# a stop after one or two letters or after a dotted word is an abbreviation ("mr.", "u.s.")
_ABBREVIATION_BEFORE = re.compile(r"(?:\b[a-z]{1,2}|\.[a-z]+)\.[\"”’']?$")


def _lowercased(text: str) -> bool:
    """Whether a text's source lowercased it (some feeds do): most of its full stops are
    followed by a lower-case word."""
    lower = len(_LOWER_AFTER_STOP.findall(text))
    return lower >= 3 and lower > 2 * len(_UPPER_AFTER_STOP.findall(text))


def split_sentences(text: str) -> list[str]:
    """Sentences by punctuation and capitals (regex: this runs on every article before any
    parse). In lowercased text a capital cannot mark a sentence start, so the stops before
    lower-case words split too; without it a lowercased article came out as a few chunks of
    hundreds of words, which the lineage alignment embeds at the model's full length."""
    parts = _SENT_SPLIT.split(text)
    if _lowercased(text):
        parts = [s for part in parts for s in _split_lowercased(part)]
    return [s.strip() for s in parts if len(s.strip()) > 20]


def _split_lowercased(text: str) -> list[str]:
    out, start = [], 0
    for match in _LOWER_AFTER_STOP.finditer(text):
        if not _ABBREVIATION_BEFORE.search(text[start : match.start()]):
            out.append(text[start : match.start()])
            start = match.end()
    out.append(text[start:])
    return out


def normalise_quote(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def extract_names(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        # drop leading function words capitalised only because they open a sentence
        while words and words[0].lower() in _NAME_STOP:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        if len(name) >= 2:
            seen.setdefault(name, None)
    return list(seen)


def extract_numbers(text: str) -> set[str]:
    out: set[str] = set()
    for match in _NUMBER.finditer(text):
        value = match.group(0).replace(",", "")
        if _YEAR.fullmatch(value):
            continue  # years are compared separately
        out.add(value)
    return out


def article_features(text: str) -> ArticleFeatures:
    return ArticleFeatures(
        names=extract_names(text),
        numbers=extract_numbers(text),
        quotes=[normalise_quote(q) for q in _QUOTE.findall(text)],
        years={int(y) for y in _YEAR.findall(text)},
        mangled_numbers=[m.group(0) for m in _MANGLED_NUMBER.finditer(text)],
        sentences=split_sentences(text),
    )
