"""Toponym recognition: spaCy NER plus gazetteer matching, datelines and demonyms.

spaCy's small model misses or mislabels many places of conflict news ("Shir Khan Bandar" comes out
as a PERSON), so capitalised token runs are also matched against the gazetteer (a longest-match
scan over name keys; our own loop because the keys are folded forms, which PhraseMatcher cannot
look up). A gazetteer-only match is kept when its place is prominent or a location word stands
before it. Datelines ("KUNDUZ:", "KABUL (Reuters) -") are read at line starts.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sitroom.geo.gazetteer import ADMIN1, ADMIN2, COUNTRY, DATA, Gazetteer, load_gazetteer
from sitroom.geo.lowercase import (MAX_TOKENS as FOLDED_MAX_TOKENS, BIG_PLACE_POP, MOJIBAKE, accept_lowercase, beside_unknown,
                                   country_named,
                                   dateline_place, is_english_word, is_lowercased, line_datelines)
from sitroom.geo.names import name_key
from sitroom.geo.theatre import licence_of
from sitroom.nlp import doc_text, entities

PLACE_LABELS = {"GPE", "LOC"}
MAX_TOKENS = 6
# Inside a multiword name these lower-case words may appear ("Bosnia and Herzegovina", "Isle of Man").
_INNER_WORDS = {"of", "de", "del", "da", "do", "la", "le", "al", "el", "and", "e", "i", "ye", "y", "-", "'s",
                "upon", "on", "sur", "am", "an", "der", "du", "des", "wa", "ul", "us", "ud"}
_DATELINE = re.compile(r"(?m)^\s*(?P<name>[A-Z][A-Z .'\-]{2,40}?)\s*(?:,\s*[A-Z][A-Za-z .]+)?\s*(?::|\(|—|–|-{1,2}\s)")
# Prominence a gazetteer-only name needs to be taken without a location word before it.
MIN_POP_ALONE = 100_000


@dataclass(frozen=True)
class Span:
    start: int  # character offsets in the doc text
    end: int
    text: str
    kind: str  # ner | gazetteer | dateline | demonym
    country_hint: str = ""  # demonyms: alpha-2 of the country, or the name of a region ("Europe")


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    with (DATA / "cues.toml").open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=None)
def cue_words(section: str, key: str) -> frozenset[str]:
    """A list of cues.toml as a set ("resolution", "facility_words")."""
    return frozenset(cues()[section][key])


@lru_cache(maxsize=1)
def _needs_cue() -> frozenset[str]:
    return frozenset(name_key(n) for n in cues()["recognition"]["needs_cue"])


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    return frozenset(name_key(n) for n in cues()["recognition"]["not_places"])


def _institution_words() -> frozenset[str]:
    return cue_words("recognition", "institution_words")


@lru_cache(maxsize=1)
def _region_demonyms() -> dict[str, str]:
    """'European' -> 'Europe': adjectives of continents and regions (data/geo/region_demonyms.csv)."""
    with (DATA / "region_demonyms.csv").open(encoding="utf-8") as f:
        return {name_key(r["demonym"]): r["region"] for r in csv.DictReader(f)}


def _demonym_of(gz: Gazetteer, key: str) -> str | None:
    return gz.demonyms.get(key) or _region_demonyms().get(key)


@lru_cache(maxsize=1)
def _disease_words() -> frozenset[str]:
    return frozenset(cues()["recognition"]["disease_words"])


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    return frozenset(w.split()[-1] for w in cues()["location_cues"]["prepositions"])


def _capitalised(tok: Any) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and (t[0].isalpha())


def _has_location_cue(doc: Any, start_tok: int) -> bool:
    i = start_tok - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in _cue_words()


def _prominent(gz: Gazetteer, ids: list[int]) -> bool:
    for i in ids:
        f = gz.feature[i]
        if f in (COUNTRY, ADMIN1) or gz.gid[i].startswith("sitroom:"):
            return True
        if gz.population[i] >= MIN_POP_ALONE:
            return True
    return False


def _max_pop(gz: Gazetteer, ids: list[int]) -> int:
    return max((gz.population[i] for i in ids), default=0)


def find_spans(doc: Any, demonyms: str = "", theatre: dict[str, float] | None = None) -> list[Span]:
    """Place-name spans of a parsed article; demonyms: "" (none), "adjectival" or "all";
    theatre: the story's countries, which lower-case text needs to tell names from words."""
    gz = load_gazetteer()
    text = doc_text(doc)
    folded = is_lowercased(text)
    spans: list[Span] = []
    taken = [False] * len(doc)
    ent_label = [""] * len(doc)
    ent_of: list[Any] = [None] * len(doc)
    ents = entities(doc)
    for ent in ents:
        for t in range(ent.start, ent.end):
            ent_label[t] = ent.label_
            ent_of[t] = ent

    def take(a: int, b: int, kind: str, hint: str = "") -> None:
        # Leading "the" and trailing possessive are not part of the name.
        while a < b and doc[a].lower_ == "the":
            a += 1
        while b > a and doc[b - 1].text in {"'s", "’s", "'", "’"}:
            b -= 1
        if a >= b or any(taken[a:b]):
            return
        if name_key(doc[a:b].text) in _not_places():
            return
        if b < len(doc) and doc[b].lower_ in _disease_words():
            return
        if eponym_after(text, doc[b - 1].idx + len(doc[b - 1].text)) and not any(
                gz.feature[k] in (COUNTRY, ADMIN1) for k in gz.lookup(doc[a:b].text)):
            return  # "Newton's third law": a person's name, whatever town shares it
        for t in range(a, b):
            taken[t] = True
        s, e = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        spans.append(Span(s, e, text[s:e], kind, hint))

    # 0. In case-folded text, first the line-start datelines ("hyderabad:", "ghodasar-jinjhar
    # (kheda):"), which with the story's theatre and the country names tell the article's
    # countries (`home`), against which the tagger's places and the words are then read.
    home: set[str] = set()
    if folded:
        for s0, e0 in line_datelines(text):
            span = doc.char_span(s0, e0, alignment_mode="expand")
            if span is not None and not any(taken[span.start:span.end]) and dateline_place(gz, span.text):
                take(span.start, span.end, "dateline")
        home = _folded_home(doc, gz, theatre, spans)

    # 1. NER places, widened to a longer gazetteer name around them where there is one
    # ("Fort St. John" cut at "Fort St.", "New Milford" tagged from "Milford").
    for ent in ents:
        if ent.label_ in PLACE_LABELS and folded and not _plausible_folded_ent(doc, gz, ent, home, ent_label):
            continue
        if ent.label_ in PLACE_LABELS:
            a, b = _widen(doc, gz, ent.start, ent.end, taken)
            for a, b in _two_names(doc, gz, a, b):
                take(a, b, "ner")
        elif ent.label_ == "FAC" and gz.lookup(ent.text):
            take(ent.start, ent.end, "ner")
        elif demonyms and ent.label_ == "NORP":
            plural = doc[ent.end - 1].tag_ in ("NNS", "NNPS")
            if plural and demonyms != "all":
                continue  # "Canadians" are people; only adjectival use ("Turkish troops") counts
            key = name_key(ent.text)
            cc = _demonym_of(gz, key) or (_demonym_of(gz, key[:-1]) if plural and key.endswith("s") else None)
            if cc:
                take(ent.start, ent.end, "demonym", cc)
            elif ent.end - ent.start > 1:
                # "Turkish-Russian relations": each adjective of a compound
                for t in range(ent.start, ent.end):
                    cc = _demonym_of(gz, name_key(doc[t].text))
                    if cc and doc[t].tag_ in ("JJ", "NNP"):
                        take(t, t + 1, "demonym", cc)
        elif demonyms == "adjectival" and ent.label_ in ("ORG", "FAC", "LAW"):
            # "the Turkish Embassy", "the Canadian Press": schemes that count adjectival uses
            # count the one that opens a name
            t = ent.start + (doc[ent.start].lower_ == "the")
            cc = _demonym_of(gz, name_key(doc[t].text)) if t < ent.end - 1 else None
            if cc and doc[t].tag_ in ("JJ", "NNP"):
                take(t, t + 1, "demonym", cc)

    # 2. Gazetteer matches over capitalised runs (longest first at each position).
    toks = _token_table(doc)
    capitalised = [bool(t) and t[0].isupper() and t[0].isalpha() for t in toks.text]
    i = 0
    n = len(doc)
    while i < n:
        if taken[i] or not capitalised[i]:
            i += 1
            continue
        found = 0
        for j in range(min(n, i + MAX_TOKENS), i, -1):
            if not capitalised[j - 1] and not toks.text[j - 1].isupper():
                continue
            if any(taken[i:j]):
                continue
            if any(not capitalised[k] and toks.lower[k] not in _INNER_WORDS for k in range(i, j)):
                continue
            surface = text[toks.start[i]:toks.end[j - 1]]
            ids = gz.lookup(surface)
            if not ids:
                continue
            if _accept_gazetteer_match(doc, gz, i, j, ids, ent_label, ent_of):
                found = j
            break
        if found:
            take(i, found, "gazetteer")
            i = found
        else:
            i += 1

    # 3. Datelines: an upper-case place name opening a line, before ":" or "(Reuters)".
    for m in _DATELINE.finditer(text):
        name = m.group("name").strip(" .-")
        if len(name) < 3 or not gz.lookup(name.title()):
            continue
        s = m.start("name") + (len(m.group("name")) - len(m.group("name").lstrip()))
        span = doc.char_span(s, s + len(name), alignment_mode="expand")
        if span is not None and any(taken[span.start:span.end]):
            # already found as a name ("WASHINGTON (AP) -" tagged by the NER): it is still the
            # dateline, and a dateline names a town
            for k, sp in enumerate(spans):
                if (sp.start, sp.end) == (span.start_char, span.end_char) and sp.kind != "demonym":
                    spans[k] = replace(sp, kind="dateline")
        elif span is not None:
            # the dateline's position says place: a town of 1,000 or an admin unit will do
            ids = gz.lookup(name.title())
            if _prominent(gz, ids) or _max_pop(gz, ids) >= 1000 or any(
                    gz.feature[k] == ADMIN2 for k in ids):
                take(span.start, span.end, "dateline")

    # 3a. In case-folded text, the gazetteer scan of lowercase.py over all words.
    if folded:
        _scan_folded(doc, gz, taken, ent_label, theatre, spans, take)

    # 3b. A style-book province abbreviation after "Town, " ("Churchill, Man.", "Barrie, Ont.").
    words = toks.text
    for t in range(2, n):
        if taken[t] or not taken[t - 2] or words[t - 1] != ",":
            continue
        dot = t + 1 < n and words[t + 1] == "."
        if words[t] in gz.abbreviations:
            take(t, t + 1, "gazetteer")
        elif dot and words[t] + "." in gz.abbreviations:
            take(t, t + 2, "gazetteer")  # "Man" "." split by the tokenizer

    # 4. One sense per article: a name taken as a place once is a place where it recurs, also
    # inside an organisation's name ("the Metcalfe County Sheriff's Office"), but not where the
    # tagger reads a person.
    names = {tuple(t.text for t in doc.char_span(sp.start, sp.end) or ()) for sp in spans
             if sp.kind != "demonym" and len(sp.text) >= 3 and sp.text[0].isupper()}
    names.discard(())
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(names, key=len, reverse=True):
        by_first.setdefault(words[0], []).append(words)
    for i in range(n):
        if taken[i] or toks.text[i] not in by_first:
            continue
        for words in by_first[toks.text[i]]:
            j = i + len(words)
            if j > n or any(taken[i:j]) or tuple(toks.text[i:j]) != words:
                continue
            if ent_label[i] == "PERSON" or (j < n and ent_label[j] == "PERSON"):
                continue  # a surname that is also a place ("Steele") is not made a place again
            take(i, j, "repeat")
            break
    spans.sort(key=lambda sp: sp.start)
    return spans


def _plausible_folded_ent(doc: Any, gz: Gazetteer, ent: Any, home: set[str], ent_label: list[str]) -> bool:
    """In case-folded text the tagger calls many words places ("singh", "sabha", "kishangarh
    curfew"): a place entity with readings is kept as a word of the scan would be (the tag
    counting as a location word), one without only with a feature word inside or after it
    ("ghodasar village") or a location word before it ("in sultan shahi")."""
    from sitroom.geo.resolve import split_hint

    ids = gz.lookup(ent.text)
    if ids:
        return accept_lowercase(doc, gz, ent.start, ent.end, ids, home, ent_label, True, False,
                                _not_places(), _needs_cue(), _known_at(gz, home))
    if any(ch in ent.text for ch in MOJIBAKE) or not ent.text[:1].isalpha():
        return False
    if split_hint(ent.text)[1]:
        return True
    if feature_hint_after(doc_text(doc), doc[ent.end - 1].idx + len(doc[ent.end - 1].text)):
        return True
    # a place preposition right before it ("in sultan shahi"; not "of", "to" or "from", which
    # people's names follow as often)
    i = ent.start - 1
    return i >= 0 and doc[i].lower_ in _FOLDED_CUES


_FOLDED_CUES = frozenset({"in", "at", "near", "outside", "around", "across", "into", "towards", "toward"})


def _names_of_people(doc: Any, gz: Gazetteer, taken: list[bool], known: Any) -> set[str]:
    """Keys of the single words with a gazetteer reading that stand somewhere in the article
    beside another word neither English nor a place (lowercase.beside_unknown)."""
    out: set[str] = set()
    for t, tok in enumerate(doc):
        if (not taken[t] and tok.is_alpha and not tok.is_stop and not is_english_word(tok.text, tok.lemma_)
                and gz.lookup(tok.text) and beside_unknown(doc, t, t + 1, known)):
            out.add(name_key(tok.text))
    return out


def _known_at(gz: Gazetteer, home: set[str]) -> Any:
    """known(word): whether a word names a place in one of the home countries."""
    return lambda w: any(gz.country[k] in home for k in gz.lookup(w))


def _folded_home(doc: Any, gz: Gazetteer, theatre: dict[str, float] | None, spans: list[Span]) -> set[str]:
    """The countries a case-folded article is about, as far as its words tell before its names
    are read: its story's theatre, its datelines' countries, and the countries and provinces it
    names by their own names (a province only where its name is no other country's province)."""
    home = set(licence_of(gz, theatre).countries)
    for sp in spans:
        ids = gz.lookup(sp.text)
        if sp.kind == "dateline" and ids:
            home.add(gz.country[max(ids, key=lambda k: gz.population[k])])
        elif sp.kind != "demonym":
            home |= _named_countries(gz, name_key(sp.text), ids)
    home |= _words_home(doc, gz)
    home.discard("")
    return home


def _words_home(doc: Any, gz: Gazetteer) -> frozenset[str]:
    """The part of _folded_home its words alone tell (single words and word pairs), a function
    of the doc only: built once per Doc (find_spans reads the home four times per call)."""
    key = ("sitroom", "geo_words_home")
    cached = doc.user_data.get(key)
    if cached is not None:
        return cached
    toks = _token_table(doc)
    home: set[str] = set()
    seen: set[str] = set()
    for text, lower, alpha, stop in zip(toks.text, toks.lower, toks.alpha, toks.stop):
        if alpha and not stop and len(text) >= 4 and text not in seen:
            seen.add(text)
            home |= _named_countries(gz, lower, gz.lookup(text))
    pairs: set[str] = set()
    for k in range(len(toks.text) - 1):  # "uttar pradesh", "sri lanka"
        if toks.alpha[k] and toks.alpha[k + 1]:
            pair = f"{toks.lower[k]} {toks.lower[k + 1]}"
            if pair not in pairs:
                pairs.add(pair)
                home |= _named_countries(gz, pair, gz.by_key.get(pair, []))
    cached = doc.user_data[key] = frozenset(home)
    return cached


@dataclass(frozen=True)
class _Tokens:
    """A Doc's per-token attributes as Python lists: the scans read them millions of times,
    and each spaCy Token access builds an object."""
    text: list[str]
    lower: list[str]
    alpha: list[bool]
    stop: list[bool]
    start: list[int]  # character offsets
    end: list[int]


def _token_table(doc: Any) -> _Tokens:
    key = ("sitroom", "geo_tokens")
    table = doc.user_data.get(key)
    if table is None:
        toks = list(doc)
        table = doc.user_data[key] = _Tokens(
            [t.text for t in toks], [t.lower_ for t in toks], [t.is_alpha for t in toks],
            [t.is_stop for t in toks], [t.idx for t in toks], [t.idx + len(t.text) for t in toks])
    return table


def _named_countries(gz: Gazetteer, key: str, ids: list[int]) -> set[str]:
    if country_named(gz, ids, key) and key not in _needs_cue():
        return {gz.country[k] for k in ids if gz.feature[k] == COUNTRY}
    # (a province of a million or more: "sabha", a Libyan district, is also the Indian word for
    # a house of parliament)
    provinces = {gz.country[k] for k in ids if gz.feature[k] == ADMIN1 and (k, key) in gz.primary
                 and gz.population[k] >= HOME_PROVINCE_POP}
    return provinces if len(provinces) == 1 and not is_english_word(key) else set()


HOME_PROVINCE_POP = 1_000_000


def _scan_folded(doc: Any, gz: Gazetteer, taken: list[bool], ent_label: list[str],
                 theatre: dict[str, float] | None, spans: list[Span], take: Any) -> None:
    """The gazetteer scan of case-folded text (lowercase.py says which names it takes): first
    the countries and provinces, which with the names found so far tell the article's countries,
    then every other name, longest first at each position."""
    fw = cues()["feature_words"]
    features = {w for kind in ("admin1", "admin2", "city") for w in fw[kind] if " " not in w}
    home = _folded_home(doc, gz, theatre, spans)
    # one sense per article: a name that stands once as part of a person's name ("naresh raval")
    # is that person's where it stands alone too ("raval admitted")
    people = _names_of_people(doc, gz, taken, _known_at(gz, home))
    toks = _token_table(doc)
    text = doc_text(doc)
    alpha, stop, lower = toks.alpha, toks.stop, toks.lower
    # a word a multiword name may hold: a word, a hyphen or an inner word ("of", "and")
    inner_ok = [a or t == "-" or w in _INNER_WORDS for a, t, w in zip(alpha, toks.text, lower)]
    # the gazetteer's readings of the word runs, shared by both passes and every call on this Doc
    looked = doc.user_data.setdefault(("sitroom", "geo_folded_lookups"), {})
    for broad_only in (True, False):
        home = _folded_home(doc, gz, theatre, spans)
        known = _known_at(gz, home)
        i, n = 0, len(doc)
        while i < n:
            if taken[i] or not alpha[i] or stop[i]:
                i += 1
                continue
            found = 0
            for j in range(min(n, i + FOLDED_MAX_TOKENS), i, -1):
                if not alpha[j - 1] or stop[j - 1] or any(taken[i:j]):
                    continue
                if not all(inner_ok[i:j]):
                    continue
                surface = text[toks.start[i]:toks.end[j - 1]]
                ids = looked.get(surface)
                if ids is None:
                    ids = looked[surface] = gz.lookup(surface)
                if not ids:
                    continue
                if broad_only and not any(gz.feature[k] in (COUNTRY, ADMIN1) for k in ids):
                    break
                if name_key(surface) in people and not any(
                        gz.feature[k] in (COUNTRY, ADMIN1, ADMIN2) or gz.population[k] >= BIG_PLACE_POP
                        for k in ids):
                    break
                after = j < n and lower[j] in features
                if accept_lowercase(doc, gz, i, j, ids, home, ent_label, _has_location_cue(doc, i), after,
                                    _not_places(), _needs_cue(), known):
                    found = j
                break
            if found:
                take(i, found, "gazetteer")
                i = found
            else:
                i += 1


# "Newton's third law", "Murphy's law": a name before "'s" and an eponym's word is a person's.
@lru_cache(maxsize=1)
def _eponym_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in cues()["recognition"]["eponym_words"])
    return re.compile(rf"['\u2019]+s\s+(?:[a-z]+\s+){{0,2}}?(?:{words})(?=\s*(?:[^\w\s]|$|of\b|and\b|that\b))",
                      re.IGNORECASE)


def eponym_after(text: str, end: int) -> bool:
    """Whether the name ending at `end` is followed by "'s (third) law" and the like."""
    return bool(_eponym_pattern().match(text, end, end + 60))


# (not provinces: a province's name is often a common word too, "Valley" in "Salinas Valley")
_BROAD_FEATURES = (COUNTRY, "continent", "region")


def _two_names(doc: Any, gz: Gazetteer, a: int, b: int) -> list[tuple[int, int]]:
    """A tagged run that is no name as a whole but two countries or regions side by
    side ("Cyprus, Greece Italy or Spain" with a comma lost; "Asia-Pacific"): the two names."""
    if b - a < 2 or b - a > 3 or gz.lookup(doc[a:b].text):
        return [(a, b)]
    first, last = doc[a], doc[b - 1]
    if b - a == 3 and doc[a + 1].text not in ("-", "\u2013"):
        return [(a, b)]
    # (not a direction before a name: "Western US" is a part of the country, whatever else
    # "Western" names)
    if all(name_key(t.text) not in _not_places()
           and any(gz.feature[i] in _BROAD_FEATURES for i in gz.lookup(t.text)) for t in (first, last)):
        return [(a, a + 1), (b - 1, b)]
    return [(a, b)]


def _widen(doc: Any, gz: Gazetteer, start: int, end: int, taken: list[bool]) -> tuple[int, int]:
    """The longest capitalised run around [start, end) (up to 2 tokens each side) that the
    gazetteer knows as one name; the span itself if none is longer."""
    best = (start, end)
    for a in range(max(0, start - 2), start + 1):
        for b in range(min(len(doc), end + 2), end - 1, -1):
            if (a, b) == (start, end) or b - a <= best[1] - best[0]:
                continue
            extra = list(range(a, start)) + list(range(end, b))
            if any(taken[t] or not (_capitalised(doc[t]) or doc[t].lower_ in _INNER_WORDS
                                    or doc[t].text == ".") for t in extra):
                continue
            if doc[a].lower_ in _INNER_WORDS or doc[b - 1].lower_ in _INNER_WORDS or doc[b - 1].text == ".":
                continue
            surface = doc_text(doc)[doc[a].idx: doc[b - 1].idx + len(doc[b - 1].text)]
            if gz.by_key.get(name_key(surface)):
                best = (a, b)
    return best


def _names_an_institution(doc: Any, gz: Gazetteer, i: int, j: int, ids: list[int]) -> bool:
    """"Danbury police", "Litchfield Superior Court": a town's name opening an institution's name."""
    if j >= len(doc) or doc[j].lower_ not in _institution_words():
        return False
    if name_key(doc[i:j].text) in _needs_cue():
        return False
    return _max_pop(gz, ids) >= 1000 or any(gz.feature[k] in (ADMIN1, ADMIN2) for k in ids)


def _accept_gazetteer_match(doc: Any, gz: Gazetteer, i: int, j: int, ids: list[int],
                            ent_label: list[str], ent_of: list[Any]) -> bool:
    surface_key = name_key(doc[i:j].text)
    # Inside a longer person/organisation/work name ("Jack London", "Bank of America"): not a place.
    # A prominent place inside an organisation's name ("Kentucky State Police", "CTV Edmonton")
    # is still a place name; inside a person's or a work's name it is not.
    prominent = _prominent(gz, ids)
    for t in range(i, j):
        ent = ent_of[t]
        if ent is not None and ent.label_ not in PLACE_LABELS and (ent.start < i or ent.end > j):
            if ent.label_ in ("ORG", "FAC") and _names_an_institution(doc, gz, i, j, ids):
                return True
            if not (ent.label_ in ("ORG", "FAC") and prominent and surface_key not in _needs_cue()):
                return False
            return True
    labels = {ent_label[t] for t in range(i, j)}
    if labels & {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
                 "EVENT", "WORK_OF_ART", "LAW"}:
        return False
    if labels & {"NORP", "LANGUAGE"}:
        # mislabelled place names ("Aleppo" as NORP); true demonyms are handled elsewhere
        return prominent and surface_key not in gz.demonyms
    cue = _has_location_cue(doc, i)
    single = j - i == 1
    if single and (doc[i].is_stop or doc[i].is_sent_start and not cue):
        # A capitalised first word of a sentence is capitalised for grammar, not as a name.
        if not (doc[i].is_sent_start and _prominent(gz, ids) and not doc[i].is_stop):
            return False
    if surface_key in _needs_cue() and not cue:
        return False
    if "ORG" in labels:
        # the small model often calls a bare city name an organisation ("Edmonton")
        return prominent or cue and _max_pop(gz, ids) >= 1000 or _names_an_institution(doc, gz, i, j, ids)
    if "PERSON" in labels:
        # a person of exactly this extent: only big or curated places, or after a location word
        # (a district's population says nothing here: "King" is a county and a surname)
        return (cue and (prominent or _max_pop(gz, ids) >= 1000)) \
            or any(gz.feature[k] == "city" and gz.population[k] >= 500_000 for k in ids) \
            or any((gz.feature[k] in (COUNTRY, ADMIN1) or gz.gid[k].startswith("sitroom:"))
                   and (k, surface_key) in gz.primary for k in ids)
    if _prominent(gz, ids):
        return True
    # Smaller places: need a location word before them, or a multiword name.
    return cue or (not single and _max_pop(gz, ids) >= 5000)


def feature_hint_after(doc_text: str, end: int) -> str:
    """'Kunduz province', 'Panjwai district', 'Spin Boldak crossing': the word after the name."""
    m = re.match(r"\s+([A-Za-z]+(?:\s+[A-Za-z]+)?)", doc_text[end:end + 30])
    if not m:
        return ""
    words = m.group(1).lower().split()
    fw = cues()["feature_words"]
    for w in (" ".join(words), words[0]):
        for feature in ("admin1", "admin2", "city", "crossing", "base"):
            if w in fw[feature]:
                return {"admin1": ADMIN1, "admin2": ADMIN2}.get(feature, feature)
    return ""


# "the state of Washington", "the city of Kandahar": "the", a feature word and "of" right before
# the name ("the Imam Sahib district of Kunduz" is Imam Sahib's word, not Kunduz's). Fewer words
# than after a name: "the Department of State", "the Port of Spain" name something else.
_BEFORE_WORDS = {"state": ADMIN1, "province": ADMIN1, "governorate": ADMIN1, "oblast": ADMIN1,
                 "prefecture": ADMIN1, "emirate": ADMIN1, "district": ADMIN2, "county": ADMIN2,
                 "municipality": ADMIN2, "parish": ADMIN2, "borough": ADMIN2, "city": "city",
                 "town": "city", "village": "city"}
_BEFORE = re.compile(r"\b[Tt]he\s+(?P<word>[A-Za-z]+)\s+of\s+$")


def feature_hint_before(doc_text: str, start: int) -> str:
    """'the state of Washington', 'the town of Holliday': the feature word before the name."""
    m = _BEFORE.search(doc_text[max(0, start - 24):start])
    return _BEFORE_WORDS.get(m.group("word").lower(), "") if m else ""
