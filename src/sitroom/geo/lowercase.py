"""Place names in text written all in lower case (some archives and feeds fold case: "lucknow:
the all-india ... in ayodhya").

There the recogniser's two usual signals fail: spaCy's tagger finds few places in lower-case
text (and tags common words and people's names as places), and the gazetteer scan of
recognize.find_spans only looks at capitalised words. This module detects such text and reads
its names from the gazetteer under stricter conditions, so that the many common words that are
also some village's name ("police", "bank", "law", "met") do not become places:

- a name that is an English word (spaCy's English lemma lists, WordNet-derived, ship with the
  model: no word-frequency package is installed) is taken only as the main name of a country or
  province or for a town of ENGLISH_PLACE_POP+ people in the article's countries ("mumbai",
  "delhi", "goa"; not "bank", "law", or "region", another name of a Philippine province);
- any other name needs a reading that is a country or province, or a place in a country the
  article's other names or its story are in; a small one (under LOWER_MIN_POP) needs a location
  word before it or a feature word after it ("in ghodasar village");
- a name beside another unknown non-English word is part of a person's or group's name
  ("nirmala deshpande", "alijah kotla"), unless it is a big place, and so is the same name
  anywhere else in the article ("naresh raval ... raval admitted");
- a dateline at a line start ("hyderabad:", "ghodasar-jinjhar (kheda):") names the town.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sitroom.geo.gazetteer import ADMIN1, ADMIN2, COUNTRY, Gazetteer
from sitroom.geo.names import name_key

# Share of alphabetic words written with a capital below which a text counts as case-folded
# (English news: 10-20% of words are capitalised; the bench file of lower-case Times of India
# text: 0.5-3%, its capitals only in a boilerplate header and footer).
LOWERCASE_SHARE = 0.05
LOWERCASE_MIN_WORDS = 30
# An English word is a place only as a country's or province's own name, a town this large by
# its own name ("lucknow"; not "bid", Beed's other name), or a town of WORLD_PLACE_POP+ by any
# ("bombay").
ENGLISH_PLACE_POP = 300_000
# A place this large keeps its name beside unknown words and against a person tag.
BIG_PLACE_POP = 100_000
# A smaller town needs a location word before it or a feature word after it.
LOWER_MIN_POP = 1_000
MAX_TOKENS = 4

_LINE_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<name>[a-z][a-z .'\-]{1,40}?)[ \t]*(?:\((?P<qual>[a-z][a-z .'\-]{1,30})\))?[ \t]*:[ \t]")


@lru_cache(maxsize=8)
def is_lowercased(text: str) -> bool:
    """Whether the text's case has been folded (almost no word begins with a capital)."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < LOWERCASE_MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in words) / len(words) < LOWERCASE_SHARE


@lru_cache(maxsize=1)
def _english() -> tuple[frozenset[str], tuple[Any, ...]]:
    from sitroom.nlp import load_nlp

    lookups = load_nlp().get_pipe("lemmatizer").lookups
    index = lookups.get_table("lemma_index")
    words: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        words.update(index.get(pos, []))
    exc = lookups.get_table("lemma_exc")
    return frozenset(words), tuple(exc.get(pos) for pos in ("noun", "verb", "adj", "adv") if exc.get(pos))


def is_english_word(word: str, lemma: str = "") -> bool:
    """Whether a (lower-case) word, or its lemma, is in the English model's word lists
    (inflected forms such as "met" and "begun" through the lists of irregular forms)."""
    words, exceptions = _english()
    w = word.lower()
    return w in words or (bool(lemma) and lemma.lower() in words) or any(w in t for t in exceptions)


def _is_word(tok: Any) -> bool:
    return tok.is_alpha and not tok.is_stop


def _english_run(doc: Any, i: int, j: int) -> bool:
    return all(is_english_word(t.text, t.lemma_) for t in doc[i:j] if t.is_alpha)


def _best_population(gz: Gazetteer, ids: list[int]) -> int:
    return max((gz.population[k] for k in ids), default=0)


def _broad(gz: Gazetteer, ids: list[int]) -> bool:
    return any(gz.feature[k] in (COUNTRY, ADMIN1) for k in ids)


def _curated(gz: Gazetteer, ids: list[int]) -> bool:
    return any(gz.gid[k].startswith("sitroom:") for k in ids)


def _mojibake(doc: Any, i: int, j: int) -> bool:
    """A word with bytes of a misdecoded quote in it ("gujaratâ" from "gujaratâ€™s"): no name."""
    return any(ch in t.text for t in doc[i:j] for ch in MOJIBAKE)


MOJIBAKE = ("\u00e2", "\u00c3", "\u00c2", "\u20ac", "\ufffd")


def country_named(gz: Gazetteer, ids: list[int], key: str) -> bool:
    """Whether the name is a country's own English short name ("india", "china")."""
    return any(gz.feature[k] == COUNTRY and name_key(gz.country_name(gz.country[k])) == key for k in ids)


def accept_lowercase(doc: Any, gz: Gazetteer, i: int, j: int, ids: list[int], home: set[str],
                     ent_label: list[str], cue: bool, feature_after: bool, not_places: frozenset[str],
                     needs_cue: frozenset[str], known: Any) -> bool:
    """Whether doc[i:j], all in lower case, with gazetteer readings `ids`, is a place name.

    home: alpha-2 codes of the countries the article's datelines, country names and story are
    in; cue / feature_after: a location word before it (or the tagger's place label), a feature
    word ("village") after it; known(word) -> whether a single word is itself a gazetteer name
    (for the neighbour test)."""
    from sitroom.geo.theatre import WORLD_PLACE_POP, world_place

    key = name_key(doc[i:j].text)
    if key in not_places or (key in needs_cue and not cue) or _mojibake(doc, i, j):
        return False
    labels = {ent_label[t] for t in range(i, j)}
    if labels & {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}:
        return False
    if country_named(gz, ids, key):
        return True
    if len(key) < SHORT_NAME and not any(gz.feature[k] == ADMIN1 and (k, key) in gz.primary for k in ids):
        return False  # "ntr", "hai": initials and particles, not the district they spell
    at_home = [k for k in ids if gz.country[k] in home]
    main = [k for k in ids if (k, key) in gz.primary]  # readings of which this is the main name
    if _english_run(doc, i, j):
        # an English word: a province of the article's countries by its own name ("goa"), a big
        # town there ("mumbai"), or a world city by its own name ("london"); not "bank", "law",
        # "centre" (a province of Burkina Faso) or "region" (another name of a Philippine one)
        return (any(gz.feature[k] == ADMIN1 for k in at_home if k in main)
                or _best_population(gz, [k for k in at_home if k in main]) >= ENGLISH_PLACE_POP
                or _best_population(gz, at_home) >= WORLD_PLACE_POP
                or any(world_place(gz, k) for k in main))
    if not at_home:
        # far from the article's countries only a distinctive name: the main name of a capital,
        # or of a province or big town when six letters or more ("kathmandu", "islamabad"; not
        # "sabha", "pujan", "ahmad")
        return any(k in gz.capitals or (len(key) >= 6 and (gz.feature[k] == ADMIN1
                                                           or gz.population[k] >= BIG_PLACE_POP))
                   for k in main)
    if _broad(gz, at_home) or _best_population(gz, at_home) >= BIG_PLACE_POP:
        return True
    pop = _best_population(gz, at_home)
    admin = any(gz.feature[k] == ADMIN2 for k in at_home) or _curated(gz, at_home)
    if "PERSON" in labels and not cue:
        return False
    if not (cue or feature_after) and not admin and pop < LOWER_MIN_POP:
        return False
    return not beside_unknown(doc, i, j, known)


# A name of fewer letters is taken only as a country's or province's own name.
SHORT_NAME = 4


def beside_unknown(doc: Any, i: int, j: int, known: Any) -> bool:
    """Whether doc[i:j] stands beside another word that is neither English nor a place name:
    then it is part of a longer name, a person's or a group's ("naresh raval", "alijah kotla")."""
    for t in (i - 1, j):
        if 0 <= t < len(doc) and _is_word(doc[t]) and not is_english_word(doc[t].text, doc[t].lemma_) \
                and not known(doc[t].text):
            return True
    return False


def line_datelines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the name of each line-start "name:" or "name (district):" in lower-case
    text; the caller checks that the name is a place. The district in brackets is returned
    after the name, as a second candidate for the same line."""
    out: list[tuple[int, int]] = []
    for m in _LINE_DATELINE.finditer(text):
        name = m.group("name").rstrip(" .-")
        if len(name) >= 3:
            out.append((m.start("name"), m.start("name") + len(name)))
        if m.group("qual"):
            q = m.group("qual").strip(" .-")
            s = m.start("qual") + (len(m.group("qual")) - len(m.group("qual").lstrip()))
            out.append((s, s + len(q)))
    return out


def dateline_place(gz: Gazetteer, name: str) -> bool:
    """Whether a lower-case line-start name is a place a dateline would name: a province or
    district, a curated site, or a town of LOWER_MIN_POP+ that is not an English word below
    ENGLISH_PLACE_POP ("note:", "update:" are no datelines)."""
    ids = gz.lookup(name)
    if not ids:
        return False
    words = name.split()
    english = all(is_english_word(w) for w in words)
    pop = _best_population(gz, ids)
    if english:
        return _broad(gz, ids) or pop >= ENGLISH_PLACE_POP
    return _broad(gz, ids) or _curated(gz, ids) or pop >= LOWER_MIN_POP or any(
        gz.feature[k] == ADMIN2 for k in ids)
