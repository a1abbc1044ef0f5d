"""Name keys: how place names are compared, so that spellings of one name meet.

Two keys: `name_key` folds case, accents, apostrophes and punctuation ("Qal'ah-ye Now" ->
"qalah ye now"); `skeleton_key` further folds the usual ways Persian/Pashto/Arabic names are
written in Latin letters (connector particles -e-/-i-/-ye-, q/k, kh/k, vowels), so that
"Qala-e-Naw", "Qala-i-Naw" and "Qal'eh-ye Now" share one key. The skeleton is lossy and is only
used as a fallback when the exact key finds nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u02be\u02bf'`\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Connector particles of Persian/Arabic compound names written in Latin letters (ezafe, article).
_CONNECTORS = frozenset({"e", "i", "ye", "yi", "y", "ul", "ol", "al", "el", "us", "ud", "ad", "wa", "o"})
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "c"), ("zh", "z"), ("th", "t"),
             ("dh", "d"), ("ph", "f"), ("q", "k"), ("w", "v"), ("ou", "u"))
_VOWELS = re.compile(r"[aeiouyhv]")  # h and v/w are mostly vowel-ish in these transliterations


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Case-, accent- and punctuation-folded form; 'Saint'/'St.' meet; a leading 'the' drops."""
    s = unidecode(_APOSTROPHES.sub("", name)).lower()
    s = _APOSTROPHES.sub("", s)
    s = _NON_ALNUM.sub(" ", s).strip()
    tokens = s.split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    tokens = ["st" if t == "saint" else t for t in tokens]
    return " ".join(tokens)


def dotless_key(name: str) -> str:
    """'U.S.' -> 'us', 'B.C.' -> 'bc': abbreviations written with dots."""
    return name_key(name.replace(".", ""))


@lru_cache(maxsize=200_000)
def skeleton_key(name: str) -> str:
    """Transliteration-insensitive key: consonant skeleton of the name without connectors."""
    out: list[str] = []
    for token in name_key(name).split():
        if token in _CONNECTORS:
            continue
        for a, b in _DIGRAPHS:
            token = token.replace(a, b)
        head, rest = token[0], _VOWELS.sub("", token[1:])
        token = head + rest
        token = re.sub(r"(.)\1+", r"\1", token)
        out.append(token)
    return "".join(out)
