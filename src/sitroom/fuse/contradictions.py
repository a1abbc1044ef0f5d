"""Contradictions: the same quantity or claim given different values by different sources.

Three kinds (contract column `kind`):
- number: one quantity with different figures (inside a story: a copy's figure against its
  source's; across the run: country-wide counts of places held, e.g. districts taken);
- claim_denial: an event reported by some and denied by others;
- fact: a place said to face one country by one source and another country by another.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sitroom.events.actors import named_group_in, says_in_a_country
from sitroom.fuse.rules import fuse_rules
from sitroom.records import ArticleMentions, CleanArticle, Contradiction, Event, Quote, Story

_SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘]?[A-Z])|\n+")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
                 "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_FRACTIONS = {"half": 0.5, "a half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3,
              "a quarter": 0.25, "one quarter": 0.25}
_NUM = r"\d[\d,.]*(?:\s*[-–]\s*\d[\d,.]*)?(?:\s+\d+)*(?:\s+(?:hundreds?|thousands?|millions?))?"
_ATTRIBUTION = re.compile(
    r"(?P<src>(?:[A-Z][\w’'-]*\s+){0,6}(?:[a-z]+\s+){0,3}?(?:officials?|spokes(?:man|woman|person)|"
    r"ministry|envoy|government|officers?|sources?|[A-Z][\w-]+))\s+"
    r"(?:said|say|says|stated|told|warned|claimed|reported|announced)\b")


@dataclass
class QuantityClaim:
    article_id: str
    subject: str  # normalised noun phrase, e.g. "us troops", "districts"
    value_text: str  # as written: "more than 50 of the country's 370"
    value: float | None
    source: str
    sentence: str
    country_wide: bool
    held_by: str = ""


def sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in _SENT_SPLIT.split(text):
        start = text.find(part, pos)
        if part.strip():
            out.append((start, part.strip()))
        pos = max(pos, start + len(part))
    return out


def parse_quantity(text: str) -> float | None:
    """'2,500-3,500' -> 2500; 'more than 50' -> 50; 'a third of the 421' -> 140.3; else None."""
    t = text.lower()
    for word, fraction in _FRACTIONS.items():
        m = re.search(rf"\b{word}\s+of\s+(?:the\s+)?(?:country's\s+)?(\d[\d,]*)", t)
        if m:
            return fraction * float(m.group(1).replace(",", ""))
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)(?!\s+\d)", t)
    if m and not re.search(r"\d\s+\d", t):
        value = float(m.group(1).replace(",", ""))
        if re.search(r"\bthousands?\b", t):
            value *= 1000
        elif re.search(r"\bhundreds?\b", t):
            value *= 100
        return value
    for word, value in _NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", t):
            return float(value)
    return None


def _quote_speaker(quotes: list[Quote], offset: int) -> str:
    for q in quotes:
        if q.start - 200 <= offset <= q.end + 5:
            return q.speaker_canonical or q.speaker
    return ""


def _attribution(sentence: str) -> str:
    m = _ATTRIBUTION.search(sentence)
    if not m:
        return ""
    src = re.sub(r"^(?:At the time of the attack,\s*|Meanwhile,\s*|However,\s*)", "", m.group("src"))
    return re.sub(r"^(?:the|a|an)\s+", "", src.strip(), flags=re.I)


def quantity_claims(article: CleanArticle, quotes: list[Quote]) -> list[QuantityClaim]:
    rules = fuse_rules()["contradictions"]
    nouns = "|".join(rules["quantity_nouns"])
    verbs = "|".join(rules["control_verbs"])
    pattern = re.compile(
        rf"(?P<value>(?:(?:more than|over|about|around|nearly|almost|at least|some|roughly)\s+)?"
        rf"(?:(?:a|one|two) (?:third|half|quarter)s? of (?:the )?(?:country's )?\d[\d,]*|{_NUM}"
        rf"(?: of (?:the )?(?:country['’]s )?\d[\d,]*)?))\s+"
        rf"(?P<subject>(?:[A-Z][A-Za-z.]*\s?(?:[A-Z]\.?\s)?){{0,2}}(?:{nouns}))\b", re.I)
    found = []
    for start, sent in sentences(article.text):
        for m in pattern.finditer(sent):
            subject = re.sub(r"[^a-z ]", "", m.group("subject").lower())
            subject = re.sub(r"\bu s\b", "us", re.sub(r"\s+", " ", subject)).strip()
            head = subject.split()[-1]
            country_wide = bool(re.search(
                r"\bof (?:the )?(?:country['’]s )?\d|\bin \d+ provinces\b|\bacross the country\b|"
                r"\bthe country['’]s\b", sent, re.I)) or says_in_a_country(sent)
            held = bool(re.search(rf"\b(?:{verbs})\w*\b", sent, re.I)) and head in (
                "districts", "areas", "regions")
            source = (_quote_speaker(quotes, start + m.start()) or _attribution(sent)
                      or article.wire or article.outlet or article.article_id)
            holder = named_group_in(sent) if held else ""
            found.append(QuantityClaim(article.article_id, subject, m.group("value").strip(),
                                       parse_quantity(m.group("value")), source, sent,
                                       country_wide and held, holder))
    return found


def _differs(a: QuantityClaim, b: QuantityClaim) -> bool:
    if a.value is not None and b.value is not None:
        return abs(a.value - b.value) > 0.1 * max(a.value, b.value)
    return _norm_value(a.value_text) != _norm_value(b.value_text)


def _norm_value(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def number_contradictions(claims: list[QuantityClaim], story_of: dict[str, str]
                          ) -> list[Contradiction]:
    out: list[Contradiction] = []
    # 1) country-wide counts of places held, across the whole run
    held = [c for c in claims if c.country_wide]
    by_value: dict[str, list[QuantityClaim]] = defaultdict(list)
    for c in held:
        by_value[_norm_value(c.value_text)].append(c)
    if len(by_value) > 1:
        groups = sorted(by_value.values(), key=lambda g: -len({x.article_id for x in g}))
        first = groups[0]
        subject = f"districts held by the {first[0].held_by}".replace("the  ", "").strip()
        if not first[0].held_by:
            subject = "districts held"
        for other in groups[1:]:
            if not _differs(first[0], other[0]):
                continue
            out.append(Contradiction(
                subject=subject, field="count",
                value_a=first[0].value_text, sources_a=_sources(first),
                value_b=other[0].value_text, sources_b=_sources(other), kind="number"))
    # 2) inside a story: the same specific quantity (a named group, e.g. "US troops") with two figures
    by_subject: dict[tuple[str, str], list[QuantityClaim]] = defaultdict(list)
    for c in claims:
        if c.country_wide or len(c.subject.split()) < 2:
            continue
        by_subject[(story_of.get(c.article_id, c.article_id), c.subject)].append(c)
    for (_, subject), group in by_subject.items():
        values: dict[str, list[QuantityClaim]] = defaultdict(list)
        for c in group:
            values[_norm_value(c.value_text)].append(c)
        if len(values) < 2 or len({c.article_id for c in group}) < 2:
            continue
        ordered = sorted(values.values(), key=lambda g: (-len(g), g[0].article_id))
        for other in ordered[1:]:
            if {c.article_id for c in other} == {c.article_id for c in ordered[0]}:
                continue  # one article giving two figures is not a disagreement between sources
            if _differs(ordered[0][0], other[0]):
                out.append(Contradiction(subject, "count", ordered[0][0].value_text,
                                         _sources(ordered[0]), other[0].value_text, _sources(other),
                                         "number"))
    return out


def _sources(claims: list[QuantityClaim]) -> list[str]:
    seen: list[str] = []
    for c in claims:
        label = f"{c.source} ({c.article_id})"
        if label not in seen:
            seen.append(label)
    return seen


def claim_denials(events: list[Event]) -> list[Contradiction]:
    out = []
    for e in events:
        if e.claim_status not in ("disputed", "denied"):
            continue
        deniers = [s[len("denied by "):] for s in e.sources if s.startswith("denied by ")]
        asserters = [s for s in e.sources if not s.startswith("denied by ")]
        place = e.location or e.admin1 or "unknown place"
        taken = f"{e.sub_event_type.lower()} by {e.actor1}" if e.actor1 else e.sub_event_type.lower()
        out.append(Contradiction(
            subject=f"{place}: {e.sub_event_type}", field="claim",
            value_a=f"reported: {taken}", sources_a=asserters or e.article_ids,
            value_b="denied", sources_b=deniers or e.article_ids, kind="claim_denial"))
    return out


@dataclass
class BorderStatement:
    place: str
    country: str
    article_id: str
    sentence: str


def border_statements(article: CleanArticle, mentions: ArticleMentions) -> list[BorderStatement]:
    """'<place> ..., which borders <country>' / '<place>, a town ... across from <country>'."""
    phrases = sorted(fuse_rules()["contradictions"]["border_phrases"], key=len, reverse=True)
    phrase_re = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)
    countries = {t.text: t for t in mentions.toponyms if t.place and t.place.feature == "country"}
    out = []
    for t in mentions.toponyms:
        if not t.place or t.place.feature == "country":
            continue
        window = article.text[t.end:t.end + 90]
        stop = re.search(r"[.;]|\band\s+(?:the|a)\b", window)
        window = window[: stop.start()] if stop else window
        m = phrase_re.search(window)
        if not m:
            continue
        # "Imam Sahib district of Kunduz, which borders ...": the statement is about the first place
        # named, so a place standing between it and the phrase starts no statement of its own.
        if any(o is not t and o.start < t.start and t.start - o.end < 25 and
               not re.search(r"[.;]", article.text[o.end:t.start]) for o in mentions.toponyms):
            continue
        after = window[m.end():]
        for name in countries:
            if re.match(rf"\s*(?:the\s+)?{re.escape(name)}\b", after):
                out.append(BorderStatement(t.place.name or t.text, countries[name].place.name,
                                           article.article_id, window))
    return out


def fact_contradictions(statements: list[BorderStatement]) -> list[Contradiction]:
    by_place: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s in statements:
        by_place[s.place][s.article_id].add(s.country)
    out = []
    for place, per_article in by_place.items():
        if len(per_article) < 2:
            continue
        by_country: dict[str, list[str]] = defaultdict(list)
        for aid, countries in per_article.items():
            by_country[", ".join(sorted(countries))].append(aid)
        sets = {aid: c for aid, c in per_article.items()}
        values = list(by_country.items())
        for i in range(len(values)):
            for j in range(i + 1, len(values)):
                a_countries = sets[values[i][1][0]]
                b_countries = sets[values[j][1][0]]
                if a_countries.isdisjoint(b_countries):
                    out.append(Contradiction(place, "borders", values[i][0], sorted(values[i][1]),
                                             values[j][0], sorted(values[j][1]), "fact"))
    return out


def find_contradictions(mentions: list[ArticleMentions], stories: list[Story],
                        articles: dict[str, CleanArticle] | None = None,
                        events: list[Event] | None = None) -> list[Contradiction]:
    articles = articles or {}
    return contradictions_of(((articles[am.article_id], am) for am in mentions
                              if am.article_id in articles), stories, events)


def contradictions_of(reports: Iterable[tuple[CleanArticle, ArticleMentions]],
                      stories: list[Story], events: list[Event] | None = None
                      ) -> list[Contradiction]:
    """find_contradictions over (article, its mentions) pairs taken one at a time: a caller can
    read them from the store as they are used instead of holding every text and place name."""
    story_of = {aid: s.story_id for s in stories for aid in s.article_ids}
    claims: list[QuantityClaim] = []
    borders: list[BorderStatement] = []
    for article, am in reports:
        claims.extend(quantity_claims(article, am.quotes))
        borders.extend(border_statements(article, am))
    return (claim_denials(events or []) + number_contradictions(claims, story_of)
            + fact_contradictions(borders))
