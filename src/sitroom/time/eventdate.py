"""The date of an event told in a sentence, with ACLED time_precision.

ACLED (Codebook 2021, "Time precision"; data/time/acled_precision.json): 1 = the day is known; 2 = only
the week or a span of a few days is known, coded on its middle day; 3 = only the month is known, coded
on its middle day, or on its first / last day where the source says the beginning / end of the month.

How a sentence is dated:
- the temporal expressions inside the sentence that name a day, week or month (DATE or TIME values);
  with an event position (event_date_at), the one nearest the event; without, the most precise and
  then the first;
- "in the past three days", "in recent days": a span ending on the publication day (precision 2 up to
  a week, 3 up to a month), coded on its middle day;
- "two days after <event>": the event after "after" lies that long before the sentence's own date (the
  publication date unless the sentence names another), likewise "before";
- no expression at all: the publication date with precision 1. News reports what happened on the day
  of the report or the day before; ACLED codes the report date where the source gives no other, and
  the events stage may pass the dates of neighbouring sentences instead when it links them.
Week and month ranges that run past the publication day are cut at it: a report cannot tell of a day
after its own ("earlier this week" in a Thursday paper lies between Monday and Thursday).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from sitroom.records import PublicationDate, TimeExpr
from sitroom.time.periods import DayRange, parse_day, value_range

DURATION_DAYS = re.compile(r"^P(\d+|X)(D|W|M)$")
UNIT_DAYS = {"D": 1, "W": 7, "M": 30}
SPAN_WORDS = re.compile(r"\b(past|last|recent|previous)\b", re.I)
CLAUSE_BREAK = re.compile(r"[,;:]|\s(?:and|but|while|whereas|then)\s", re.I)
AFTER_WORDS = re.compile(r"^\s*(after|before)\b", re.I)


@lru_cache(maxsize=1)
def acled_rules() -> dict:
    text = resources.files("sitroom.data.time").joinpath("acled_precision.json").read_text(encoding="utf-8")
    return json.loads(text)


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
    # ACLED codes the middle of the month (the 15th), or the report's day if that comes first
    return min(rng.first + timedelta(days=14), rng.last).isoformat(), rules["month"]


def _in_sentence(start: int, end: int, timexes: list[TimeExpr]) -> list[TimeExpr]:
    # overlap rather than containment: a sentence splitter may cut '6:30 p.m. | local time on Saturday'
    return [t for t in timexes if t.start < end and t.end > start]


def event_date(
    sentence_start: int, sentence_end: int, timexes: list[TimeExpr], published: PublicationDate
) -> tuple[str | None, int | None]:
    dated = []
    for t in _in_sentence(sentence_start, sentence_end, timexes):
        value, precision = date_of_timex(t, published)
        if value is not None:
            dated.append((precision, t.start, value))
    if dated:
        precision, _, value = min(dated)
        return value, precision
    if published.date:
        return published.date, acled_rules()["day"]
    return None, None


def _shift(day: date, t: TimeExpr, sign: int) -> tuple[date, int] | None:
    m = DURATION_DAYS.match(t.value)
    if not m or m.group(1) == "X":
        return None
    n, unit = int(m.group(1)), m.group(2)
    rules = acled_rules()
    if unit == "D":
        return day + timedelta(days=sign * n), rules["day"]
    if unit == "W":
        return day + timedelta(weeks=sign * n), rules["week"]
    return day + timedelta(days=sign * 30 * n), rules["month"]


def event_date_at(
    text: str,
    event_start: int,
    sentence_start: int,
    sentence_end: int,
    timexes: list[TimeExpr],
    published: PublicationDate,
) -> tuple[str | None, int | None]:
    """The date of the event whose trigger starts at event_start (a char offset in text)."""
    inside = _in_sentence(sentence_start, sentence_end, timexes)
    # 'X comes two days after Y happened': Y lies two days before the sentence's own date
    for t in inside:
        if t.kind != "DURATION" or t.end > event_start:
            continue
        m = AFTER_WORDS.match(text[t.end: t.end + 12])
        if not m:
            continue
        others = [o for o in inside if o is not t]
        base_value, _ = event_date(sentence_start, sentence_end, others, published)
        base = parse_day(base_value)
        if base is None:
            continue
        sign = -1 if m.group(1).lower() == "after" else 1
        shifted = _shift(base, t, sign)
        if shifted is not None:
            return shifted[0].isoformat(), shifted[1]
    dated = []
    for t in inside:
        value, precision = date_of_timex(t, published)
        if value is None:
            continue
        distance = t.start - event_start if t.start >= event_start else event_start - t.end
        gap = text[min(t.end, event_start): max(t.start, event_start)]
        # an expression after the trigger ('seized the crossing on Tuesday') is its usual place, and
        # one across a clause boundary ('..., and Moscow on Thursday') belongs to another clause
        penalty = (0 if t.start >= event_start else 5) + 40 * len(CLAUSE_BREAK.findall(gap))
        dated.append((distance + penalty, precision, value))
    if dated:
        _, precision, value = min(dated)
        return value, precision
    return event_date(sentence_start, sentence_end, [], published)
