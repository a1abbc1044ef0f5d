"""The date of an event told in a sentence, with ACLED time_precision, and whether the sentence
tells of the report's days at all.

ACLED (Codebook 2021, "Time precision"; data/time/acled_precision.json): 1 = the day is known; 2 = only
the week or a span of a few days is known, coded on its middle day; 3 = only the month is known, coded
on its middle day, or on its first / last day where the source says the beginning / end of the month.

How a sentence is dated (sentence_date):
- page furniture is no event's date: a date after 'Published', 'Updated', 'Last edited on' dates the
  page, one after 'Retrieved' or 'Archived from the original on' a cited source (pubdate.furniture_kind);
  a sentence holding a citation's date, or a short line of them ('Published 12 May Updated 13 May'),
  is flagged `furniture` and given no date;
- the sentence's own expressions that name a day, week or month: with an event position, the one
  nearest the event (one across a clause boundary counts as further); without, the most precise and
  then the first. A month-day named without a year that would lie after the report takes its past
  reading ('on december 13' in a March report of a past event is last December): an event has happened;
- 'in the past three days', 'in recent days': a span ending on the publication day (precision 2 up to
  a week, 3 up to a month), coded on its middle day;
- 'a week later', 'two days earlier', 'hours later': counted from the narrative's day, the latest
  day named before it in its paragraph (else the report's day); precision by the unit counted;
- 'two days after <event>': the event after 'after' lies that long before the sentence's own date;
- no expression: the day its paragraph last named, in the two sentences before it (a report goes on
  telling the same day: 'On Sunday police arrested two men. The arrests followed a raid.'), else the
  publication date with precision 1 (ACLED codes the report date where the source gives no other).
Week and month ranges that run past the publication day are cut at it: a report cannot tell of a day
after its own ("earlier this week" in a Thursday paper lies between Monday and Thursday).

Background (SentenceDate.background): the sentence's own date lies well before the report (its
period ends more than data/time/background.json's background_days before it: 'In March 2021', 'in
1993', 'last year', 'two years ago'), or opens a span running up to the report ('since May', 'so far
this year': totals and trends), or the sentence places itself in an unspecified past ('in the past',
'years ago'). Such a sentence is no news of the report's day: extraction drops it or keeps it with
its own date (None where the period is too long to code: a year, a decade).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from sitroom.records import PublicationDate, TimeExpr
from sitroom.time.periods import DayRange, parse_day, value_range
from sitroom.time.pubdate import furniture_kind
from sitroom.time.timex import has_future_cue

DURATION_DAYS = re.compile(r"^P(\d+|X)(D|W|M)$")
DURATION_ANY = re.compile(r"^PT?(\d+|X)([A-Z]+)$")
UNIT_DAYS = {"D": 1, "W": 7, "M": 30}
SPAN_WORDS = re.compile(r"\b(past|last|recent|previous)\b", re.I)
CLAUSE_BREAK = re.compile(r"[,;:]|\s(?:and|but|while|whereas|then)\s", re.I)
AFTER_WORDS = re.compile(r"^\s*(after|before)\b", re.I)
YEAR_WRITTEN = re.compile(r"(?<!\d)(?:1[6-9]|20)\d{2}(?!\d)|['’]\d{2}\b")
MONTH_OR_DAY_VALUE = re.compile(r"^(\d{4})(-\d{2}(?:-\d{2})?)(.*)$")
SENTENCE_END = re.compile(r"[.!?][\"”’']?\s")
INHERIT_SENTENCES = 2  # sentences back in its paragraph whose date an undated sentence takes
NARRATIVE_REACH = 1500  # characters back to the day a 'a week later' counts from


@dataclass(frozen=True)
class SentenceDate:
    """What a sentence (or the clause of one event in it) says of its date.

    date / precision: the ISO day and ACLED time_precision to code (None where nothing can be
    coded: an undated report, a background year). background: the sentence tells of a period well
    before the report, not of its days. furniture: the sentence is a page's furniture or a
    citation ('Retrieved 12 September 2021'), no event's report at all. source: what the date rests
    on: "own" (an expression of the sentence), "narrative" ('a week later' counted from a day named
    before), "paragraph" (the day its paragraph named just before), "report" (the publication
    date) or "none". expression: the words it rests on ('' for the publication date)."""

    date: str | None
    precision: int | None
    background: bool = False
    furniture: bool = False
    source: str = "none"
    expression: str = ""


@lru_cache(maxsize=1)
def acled_rules() -> dict:
    text = resources.files("sitroom.data.time").joinpath("acled_precision.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def background_rules() -> dict:
    text = resources.files("sitroom.data.time").joinpath("background.json").read_text(encoding="utf-8")
    return json.loads(text)


def _words_pattern(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _background_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    rules = background_rules()
    since = re.compile(rf"(?<![a-z])(?:{_words_pattern(rules['since_words'])})\s+(?:the\s+)?$", re.I)
    past = re.compile(rf"(?<![a-z])(?:{_words_pattern(rules['past_words'])})(?![a-z])", re.I)
    after = re.compile(rf"^\s*(?:{_words_pattern(rules['narrative_after'])})(?![a-z])", re.I)
    before = re.compile(rf"^\s*(?:{_words_pattern(rules['narrative_before'])})(?![a-z])", re.I)
    return since, past, after, before


def _mod_of(surface: str) -> str:
    low = surface.lower()
    if re.search(r"\b(early|beginning|start)\b", low):
        return "START"
    if re.search(r"\b(late|end)\b", low):
        return "END"
    return ""


def _published_day(published: PublicationDate) -> date | None:
    return parse_day(published.date) if published and published.date else None


def _cut(rng: DayRange, pub: date | None) -> DayRange:
    if pub is not None and rng.first <= pub < rng.last:
        return DayRange(rng.first, pub)
    return rng


def period_of_timex(t: TimeExpr, published: PublicationDate) -> DayRange | None:
    """The days an expression can mean for an event told in a report: a day, a week or month (cut
    at the report's day), or a span ending on the report's day ('in the past three days'). Events
    the stages total over such a span ('10 districts fell in the past three days') can note it."""
    pub = _published_day(published)
    if t.kind in ("DATE", "TIME"):
        day = parse_day(t.value)
        if day is not None:
            return DayRange(day, day)
        rng = value_range(t.value)
        return None if rng is None else _cut(rng, pub)
    if t.kind == "DURATION" and pub is not None and SPAN_WORDS.search(t.text):
        m = DURATION_DAYS.match(t.value)
        if not m:
            return None
        if m.group(1) == "X":
            # 'in recent days' is taken as the last week; vaguer spans name no period
            days = 7 if m.group(2) == "D" else 0
        else:
            days = int(m.group(1)) * UNIT_DAYS[m.group(2)]
        if days < 1:
            return None
        return DayRange(pub - timedelta(days=days - 1), pub)
    return None


def date_of_timex(t: TimeExpr, published: PublicationDate) -> tuple[str | None, int | None]:
    """ACLED date and precision that one expression gives, or (None, None)."""
    rules = acled_rules()
    rng = period_of_timex(t, published)
    if rng is None:
        return None, None
    # precision follows what the expression names ('this week' stays a week even when the report,
    # on a Monday, cuts it to one day); the day coded is the middle of what is left
    named = value_range(t.value) if t.kind in ("DATE", "TIME") else None
    size = (named or rng).days
    if size == 1:
        return rng.first.isoformat(), rules["day"]
    if size <= rules["max_days_for_week_precision"]:
        return rng.middle.isoformat(), rules["week"]
    if size > rules["max_days_for_month_precision"]:
        return None, None
    mod = _mod_of(t.text) if t.kind in ("DATE", "TIME") else ""
    if mod == "START":
        return rng.first.isoformat(), rules["month"]
    if mod == "END":
        return (named or rng).last.isoformat(), rules["month"]
    if named is not None and rng.last < named.last:
        # 'earlier this month' in a report of the 10th: the middle of the days it can mean
        return rng.middle.isoformat(), rules["month"]
    return (rng.first + timedelta(days=14)).isoformat(), rules["month"]


def past_reading(t: TimeExpr, published: PublicationDate, future: bool = False) -> TimeExpr:
    """A month or month-day named without a year, lying after the report, read as its last
    occurrence before it: the tagger reads 'Jan. 14' in a January report forward, as TimeML does
    for schedules, but an event told has happened ('the raid on december 13' in March)."""
    pub = _published_day(published)
    m = MONTH_OR_DAY_VALUE.match(t.value) if t.kind in ("DATE", "TIME") else None
    if future or pub is None or m is None or YEAR_WRITTEN.search(t.text):
        return t
    rng = value_range(t.value[:10]) if parse_day(t.value) else value_range(t.value)
    # a day's grace: a dateline may run a day ahead of the date the page gives itself
    if rng is None or rng.first <= pub + timedelta(days=1):
        return t
    earlier = f"{int(m.group(1)) - 1:04d}{m.group(2)}{m.group(3)}"
    if parse_day(earlier) is None and value_range(earlier) is None:
        return t  # 29 February
    return replace(t, value=earlier)


def _in_sentence(start: int, end: int, timexes: list[TimeExpr]) -> list[TimeExpr]:
    # overlap rather than containment: a sentence splitter may cut '6:30 p.m. | local time on Saturday'
    return [t for t in timexes if t.start < end and t.end > start]


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n\n", 0, pos) + 2 if "\n\n" in text[:pos] else 0


def _shift(day: date, t: TimeExpr, sign: int) -> tuple[date, int] | None:
    """The day a duration away from ``day`` ('a week later'), with the precision its unit allows."""
    m = DURATION_ANY.match(t.value)
    if not m:
        return None
    amount, unit = m.group(1), m.group(2)
    rules = acled_rules()
    if t.value.startswith("PT"):  # 'hours later': the same day or the next; the day is known
        hours = 0 if amount == "X" else int(amount)
        return day + timedelta(days=sign * (hours // 24)), rules["day"]
    if unit not in UNIT_DAYS:
        return None
    if amount == "X":  # 'days later': within a week or so
        if unit != "D":
            return None
        return day + timedelta(days=sign * 3), rules["week"]
    n = int(amount)
    if unit == "D":
        return day + timedelta(days=sign * n), rules["day"]
    if unit == "W":
        return day + timedelta(weeks=sign * n), rules["week"]
    return day + timedelta(days=sign * 30 * n), rules["month"]


def _narrative_day(text: str, before: int, timexes: list[TimeExpr], published: PublicationDate,
                   limit: int | None = None) -> tuple[date, str] | None:
    """The latest day named before ``before`` in its paragraph (within reach, after ``limit``)."""
    floor = max(_paragraph_start(text, before), before - NARRATIVE_REACH, limit or 0)
    for t in sorted(timexes, key=lambda x: x.start, reverse=True):
        if t.end > before or t.start < floor:
            continue
        if furniture_kind(text, t.start):
            continue
        day = parse_day(past_reading(t, published).value) if t.kind in ("DATE", "TIME") else None
        if day is not None:
            return day, t.text
    return None


@dataclass(frozen=True)
class _Dated:
    t: TimeExpr
    value: str | None
    precision: int | None
    source: str


def _own_dates(text: str | None, start: int, end: int, event_at: int | None, inside: list[TimeExpr],
               timexes: list[TimeExpr], published: PublicationDate) -> list[_Dated]:
    """The dates the sentence's own expressions give (furniture left out)."""
    pub = _published_day(published)
    since, _, narrative_after, narrative_before = _background_patterns()
    out: list[_Dated] = []
    for t in inside:
        future = text is not None and has_future_cue(text[max(start, t.start - 100):t.start])
        t = past_reading(t, published, future)
        value, precision = date_of_timex(t, published)
        source = "own"
        if value is None and t.kind == "DURATION" and text is not None:
            tail = text[t.end:t.end + 15]
            if AFTER_WORDS.match(tail) and not (event_at is not None and event_at > t.end):
                continue  # 'comes two days after X': X's time, not this clause's
            sign = 1 if narrative_after.match(tail) and not AFTER_WORDS.match(tail) else (
                -1 if narrative_before.match(tail) and not AFTER_WORDS.match(tail) else 0)
            if sign:
                reference = _narrative_day(text, t.start, timexes, published)
                base = reference[0] if reference else pub
                shifted = _shift(base, t, sign) if base is not None else None
                if shifted is not None and pub is not None and shifted[0] > pub:
                    # counted past the report's day: the day counted from was earlier than read
                    shifted = (pub, max(shifted[1], acled_rules()["week"]))
                if shifted is not None:
                    value, precision, source = shifted[0].isoformat(), shifted[1], "narrative"
        out.append(_Dated(t, value, precision, source))
    return out


def _after_shift(text: str, event_at: int, start: int, end: int, inside: list[TimeExpr],
                 timexes: list[TimeExpr], published: PublicationDate) -> SentenceDate | None:
    """'X comes two days after Y happened': Y (at event_at) lies two days before X's date."""
    for t in inside:
        if t.kind != "DURATION" or t.end > event_at:
            continue
        m = AFTER_WORDS.match(text[t.end: t.end + 12])
        # the event after 'after' is in the same clause ('two days after US and NATO forces
        # evacuated'), not beyond a comma ('a week after the raid, police arrested ...')
        if not m or re.search(r"[,;:]", text[t.end:event_at]):
            continue
        others = [o for o in inside if o is not t and not (t.end <= o.start < event_at)]
        base = sentence_date(text, start, end, others, published)
        base_day = parse_day(base.date)
        if base_day is None:
            continue
        sign = -1 if m.group(1).lower() == "after" else 1
        shifted = _shift(base_day, t, sign)
        if shifted is not None:
            return SentenceDate(shifted[0].isoformat(), shifted[1], False, False, "own",
                                text[t.start:t.end + m.end()])
    return None


def _is_background(d: _Dated, text: str | None, start: int, published: PublicationDate) -> bool:
    pub = _published_day(published)
    if pub is None or d.t.kind not in ("DATE", "TIME"):
        return False
    days = background_rules()["background_days"]
    since, _, _, _ = _background_patterns()
    rng = period_of_timex(d.t, published)
    if rng is None:
        return False
    if text is not None and since.search(text[max(start, d.t.start - 20):d.t.start]):
        return rng.first < pub  # 'since May': a total over the span up to the report
    if rng.last < pub - timedelta(days=days):
        return True
    # a period too long to code that began well before the report ('earlier this year', 'in 2002')
    return d.value is None and rng.first < pub - timedelta(days=days)


def sentence_date(text: str | None, start: int, end: int, timexes: list[TimeExpr],
                  published: PublicationDate, event_at: int | None = None) -> SentenceDate:
    """The date of the event told in text[start:end] (a sentence or the clause of one event).

    text: the article's text the offsets point into (None: only the expressions' values are used,
    without furniture, narrative and paragraph reading); timexes: the article's expressions
    (find_timexes over the same text); event_at: the trigger's offset, where the sentence tells
    several things (the expression nearest it is taken)."""
    inside = _in_sentence(start, end, timexes)
    if text is not None:
        kinds = {t.start: furniture_kind(text, t.start) for t in inside}
        if any(k == "citation" for k in kinds.values()) or (any(kinds.values())
                                                            and len(text[start:end].split()) <= 12):
            # a citation or a page's date line: no event is told, so no date is given
            return SentenceDate(None, None, False, True, "none", "")
        inside = [t for t in inside if not kinds[t.start]]
        if event_at is not None:
            shifted = _after_shift(text, event_at, start, end, inside, timexes, published)
            if shifted is not None:
                return shifted
    dated = _own_dates(text, start, end, event_at, inside, timexes, published)
    codable = [d for d in dated if d.value is not None]
    chosen: _Dated | None = None
    if codable and event_at is not None and text is not None:
        def distance(d: _Dated) -> int:
            t = d.t
            gap = text[min(t.end, event_at): max(t.start, event_at)]
            far = t.start - event_at if t.start >= event_at else event_at - t.end
            # an expression after the trigger ('seized the crossing on Tuesday') is its usual place,
            # and one across a clause boundary ('..., and Moscow on Thursday') belongs to another clause
            return far + (0 if t.start >= event_at else 5) + 40 * len(CLAUSE_BREAK.findall(gap))
        chosen = min(codable, key=lambda d: (distance(d), d.precision))
    elif codable:
        chosen = min(codable, key=lambda d: (d.precision, d.t.start))
    if chosen is not None:
        background = _is_background(chosen, text, start, published)
        return SentenceDate(chosen.value, chosen.precision, background, False, chosen.source, chosen.t.text)
    # expressions that name no codable period: a background year or decade ('in 1993', 'last year')
    # leaves the event undated rather than dated to the report
    if any(_is_background(d, text, start, published) for d in dated) or (
            text is not None and _background_patterns()[1].search(text[start:end])):
        return SentenceDate(None, None, True, False, "none", dated[0].t.text if dated else "")
    if text is not None:
        inherited = _paragraph_date(text, start, timexes, published)
        if inherited is not None:
            return inherited
    if published.date:
        return SentenceDate(published.date, acled_rules()["day"], False, False, "report", "")
    return SentenceDate(None, None, False, False, "none", "")


def _paragraph_date(text: str, start: int, timexes: list[TimeExpr],
                    published: PublicationDate) -> SentenceDate | None:
    """The date of the last dated sentence just before, in the same paragraph, where it tells of
    the report's days (a day or week, not background)."""
    floor = _paragraph_start(text, start)
    cuts = [m.end() for m in SENTENCE_END.finditer(text, floor, start)]
    if len(cuts) > INHERIT_SENTENCES:
        floor = cuts[-INHERIT_SENTENCES - 1]
    candidates = [t for t in _in_sentence(floor, start, timexes) if t.end <= start]
    for t in sorted(candidates, key=lambda x: x.start, reverse=True):
        if furniture_kind(text, t.start):
            continue
        for d in _own_dates(text, floor, start, None, [t], timexes, published):
            if d.value is None:
                continue
            # the latest date told decides: after a background sentence the narrative is history
            if d.precision in (1, 2) and not _is_background(d, text, floor, published):
                return SentenceDate(d.value, d.precision, False, False, "paragraph", t.text)
            return None
    return None


def event_date(sentence_start: int, sentence_end: int, timexes: list[TimeExpr], published: PublicationDate,
               text: str | None = None, event_at: int | None = None) -> tuple[str | None, int | None]:
    """(ISO date, ACLED time_precision) of the event told in a sentence: sentence_date's date.
    Pass the article's text (and the trigger's offset) for furniture, narrative and paragraph
    reading; without them only the expressions' values are used."""
    found = sentence_date(text, sentence_start, sentence_end, timexes, published, event_at)
    return found.date, found.precision


def event_date_at(
    text: str,
    event_start: int,
    sentence_start: int,
    sentence_end: int,
    timexes: list[TimeExpr],
    published: PublicationDate,
) -> tuple[str | None, int | None]:
    """The date of the event whose trigger starts at event_start (a char offset in text)."""
    return event_date(sentence_start, sentence_end, timexes, published, text, event_start)
