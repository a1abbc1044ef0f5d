"""Rule-based temporal tagger and normaliser (HeidelTime-style, our own patterns and code).

Why our own rules rather than dateparser: dateparser parses a string it is handed but does not find
expressions in running text, and it resolves bare weekdays and relative phrases ("on Tuesday",
"last week", "the third quarter", "two days ago") without the news conventions TimeML and ACLED use.

How it works: every rule is a regular expression built from the word lists in data/time/lexicon.json
plus a normaliser that turns a match into a TimeML TIMEX3 (type, value, mod) against an anchor day
(the document creation / publication date). All rules run over the text; overlapping candidates are
resolved leftmost-longest; a second pass fills values that depend on neighbouring expressions
("a year earlier" after "the third quarter", "6:30 p.m. ... on Saturday").
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from sitroom.records import TimeExpr
from sitroom.time.periods import (
    last_day_of_month,
    add_months,
    add_quarters,
    iso_week_value,
    parse_day,
    quarter_of,
)

log = logging.getLogger(__name__)



@lru_cache(maxsize=1)
def lexicon() -> dict:
    text = resources.files("sitroom.data.time").joinpath("lexicon.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass
class Candidate:
    start: int
    end: int
    kind: str  # DATE | TIME | DURATION | SET
    value: str
    mod: str = ""
    priority: int = 5  # lower wins among equally long overlapping candidates
    needs: str = ""  # a second-pass resolution this value waits for ("year_ago", "time_day")


@dataclass(frozen=True)
class Context:
    text: str
    anchor: date | None

    def before(self, start: int, width: int = 100) -> str:
        """The words before an expression within its sentence (where its tense cues are)."""
        left = max(self.text.rfind(". ", 0, start), self.text.rfind("\n", 0, start), start - width) + 1
        return self.text[left:start]


# --------------------------------------------------------------------------------------------
# regex fragments built from the lexicon


def _alt(words: list[str]) -> str:
    """An alternation that prefers longer words (so 'sept' wins over 'sep')."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _cap_alt(words: list[str], need_period: set[str], ambiguous: set[str]) -> str:
    """Month or weekday names. Abbreviations must be capitalised and need a period or a following
    digit (so that names like 'Jan' or 'Sun' are not taken); full names may be lowercase (scraped text
    often is), except those that are also common words ('may', 'march'), which lowercase count only
    before a number."""
    parts = []
    for w in sorted(words, key=len, reverse=True):
        cased = f"(?:{w.capitalize()}|{w.upper()})"
        if w in need_period:
            parts.append(cased + r"(?:\.|(?=\s+\d))")
        elif w in ambiguous:
            parts.append(f"(?:{cased}\\b|{w}(?=\\s+\\d))")
        else:
            parts.append(f"(?:{cased}|{w})\\b")
    return "|".join(parts)


@dataclass(frozen=True)
class Fragments:
    month: str
    weekday: str
    number: str
    vague: str
    ordinal: str
    unit: str
    mod: str
    approx: str
    pod: str
    season: str


@lru_cache(maxsize=1)
def fragments() -> Fragments:
    lex = lexicon()
    need_period = set(lex["abbreviations_need_period"])
    number_words = [w for w in lex["numbers"]]
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    ones = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    compound = f"(?:{_alt(tens)})[\\s-](?:{_alt(ones)})"
    number = (
        r"(?:(?<![\d.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:\s+1/2)?"
        f"|{compound}|(?:{_alt(number_words)})(?:\\s+and\\s+a\\s+half)?)"
    )
    units = sorted(lex["units"], key=len, reverse=True)
    unit = "(?:" + "|".join(units) + ")(?:s|es)?"
    return Fragments(
        month=_cap_alt(list(lex["months"]), need_period, set(lex["ambiguous_lowercase"])),
        weekday=_cap_alt(list(lex["weekdays"]), need_period, set(lex["ambiguous_lowercase"])),
        number=number,
        vague=_alt(lex["vague_numbers"]),
        ordinal=_alt(list(lex["ordinals"])),
        unit=unit,
        mod=_alt(list(lex["modifiers"])),
        approx=_alt(lex["approx_modifiers"]),
        pod=_alt(list(lex["parts_of_day"])),
        season=_alt(list(lex["seasons"])),
    )


def parse_number(text: str) -> float | None:
    lex = lexicon()
    t = re.sub(r"\s+", " ", text.strip().lower())
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t.endswith(" 1/2"):
        t, half = t[: -len(" 1/2")], 0.5
    if re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?", t):
        return float(t.replace(",", "")) + half
    if t in lex["numbers"]:
        return float(lex["numbers"][t]) + half
    parts = re.split(r"[\s-]", t)
    if len(parts) == 2 and parts[0] in lex["numbers"] and parts[1] in lex["numbers"]:
        return float(lex["numbers"][parts[0]] + lex["numbers"][parts[1]]) + half
    return None


def unit_code(word: str) -> str:
    units = lexicon()["units"]
    w = word.lower()
    for cand in (w, w[:-2] if w.endswith("es") else w, w[:-1] if w.endswith("s") else w):
        if cand in units:
            return units[cand]
    return ""


def duration_value(amount: float | None, code: str) -> str:
    """P3D, PT5H, P2Y6M, PXW ... (TimeML duration values)."""
    if code == "WE":
        code = "D"
        amount = None if amount is None else amount * 2
    time_unit = code.startswith("T")
    letter = code[1:] if time_unit else code
    prefix = "PT" if time_unit else "P"
    if letter == "DE":
        letter, amount = "Y", None if amount is None else amount * 10
    elif letter == "CE":
        letter, amount = "Y", None if amount is None else amount * 100
    elif letter == "F":
        letter, amount = "W", None if amount is None else amount * 2
    if amount is None:
        return f"{prefix}X{'E' if code == 'CE' else 'DE' if code == 'DE' else letter}"
    if amount != int(amount):
        whole = int(amount)
        sub = {"Y": ("M", 6), "M": ("D", 15), "D": ("H", 12), "H": ("M", 30), "W": ("D", 3)}.get(letter)
        if sub:
            sub_letter, sub_amount = sub
            if not time_unit and sub_letter == "H":
                return f"P{whole}DT12H" if whole else "PT12H"
            head = f"{whole}{letter}" if whole else ""
            return f"{prefix}{head}{sub_amount}{sub_letter}"
    return f"{prefix}{int(amount)}{letter}"


# --------------------------------------------------------------------------------------------
# resolution against the anchor


@lru_cache(maxsize=1)
def _future_cue_pattern() -> re.Pattern:
    cues = sorted(lexicon()["future_cues"], key=len, reverse=True)
    return re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(c) for c in cues) + r")(?![a-z])")


def has_future_cue(words: str) -> bool:
    """Whether the words (those before an expression) speak of the future ('will', 'plans to')."""
    return _future_cue_pattern().search(words.lower().replace("’", "'")) is not None


def resolve_weekday(anchor: date, weekday: int, relation: str, future: bool) -> date:
    """News convention: a bare weekday is the most recent one on or before the anchor, or the next
    one on or after it where the sentence speaks of the future ('will meet on Friday')."""
    back = (anchor.weekday() - weekday) % 7
    forward = (weekday - anchor.weekday()) % 7
    if relation in ("last", "past", "previous"):
        return anchor - timedelta(days=back or 7)
    if relation in ("next", "coming", "following"):
        return anchor + timedelta(days=forward or 7)
    if relation == "this":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(days=weekday)
    if future:
        return anchor + timedelta(days=forward)
    return anchor - timedelta(days=back)


def resolve_year_of_month(anchor: date, month: int, day: int | None, relation: str, future: bool) -> int:
    """The year of a month (and day) named without one: TimeML's reading, the anchor's year,
    unless the date would lie well in the future of a past-tense report (then last year) or well
    in the past of a future-tense sentence (then next year); 'well' is more than four months.
    Reports often name dates a few weeks ahead without a future word ('payable Nov. 21', 'the
    Jan. 14 meeting'); an event, which has happened, takes the past reading instead
    (eventdate.past_reading)."""
    if relation in ("last", "past", "previous"):
        return anchor.year if (month, day or 1) < (anchor.month, anchor.day if day else 1) else anchor.year - 1
    if relation in ("next", "coming", "following"):
        return anchor.year if (month, day or 1) > (anchor.month, anchor.day if day else 1) else anchor.year + 1
    if relation == "this":
        return anchor.year
    if not future and month - anchor.month > 4:
        return anchor.year - 1
    if future and anchor.month - month > 4:
        return anchor.year + 1
    return anchor.year


def shift_value(anchor: date, code: str, delta: int) -> str:
    """The value of 'last week' (delta -1), 'this month' (0), 'next year' (+1) ..."""
    if code == "D":
        return (anchor + timedelta(days=delta)).isoformat()
    if code == "W":
        return iso_week_value(anchor + timedelta(weeks=delta))
    if code == "WE":
        saturday = anchor + timedelta(days=(5 - anchor.weekday()))
        return iso_week_value(saturday + timedelta(weeks=delta)) + "-WE"
    if code == "F":
        return iso_week_value(anchor + timedelta(weeks=2 * delta))
    if code == "M":
        y, m = add_months(anchor.year, anchor.month, delta)
        return f"{y:04d}-{m:02d}"
    if code == "Q":
        y, q = add_quarters(*quarter_of(anchor), delta)
        return f"{y:04d}-Q{q}"
    if code == "Y":
        return f"{anchor.year + delta:04d}"
    if code == "DE":
        return f"{anchor.year // 10 + delta:03d}"
    if code == "CE":
        return f"{anchor.year // 100 + delta:02d}"
    return ""


def ago_value(anchor: date, amount: float, code: str, sign: int) -> str:
    """'three weeks ago' -> the week three weeks before the anchor, at the unit's granularity."""
    n = int(round(amount)) * sign
    if code.startswith("T"):
        hours = n if code == "TH" else 0
        return (anchor + timedelta(hours=hours)).isoformat()
    if code == "D":
        return (anchor + timedelta(days=n)).isoformat()
    if code == "W":
        return iso_week_value(anchor + timedelta(weeks=n))
    if code == "M":
        y, m = add_months(anchor.year, anchor.month, n)
        return f"{y:04d}-{m:02d}"
    if code == "Q":
        y, q = add_quarters(*quarter_of(anchor), n)
        return f"{y:04d}-Q{q}"
    if code == "Y":
        return f"{anchor.year + n:04d}"
    if code == "DE":
        return f"{(anchor.year + 10 * n) // 10:03d}"
    if code == "CE":
        return f"{(anchor.year + 100 * n) // 100:02d}"
    return ""


# --------------------------------------------------------------------------------------------
# rules: (name, pattern, handler, priority). Handlers return a Candidate or None.

Handler = Callable[[re.Match, Context], "Candidate | None"]


def _mod_code(text: str | None) -> str:
    if not text:
        return ""
    key = re.sub(r"\s+", " ", text.strip().lower()).rstrip("-").strip()
    mods = lexicon()["modifiers"]
    return mods.get(key, mods.get(key + "-", ""))


def _month_num(text: str) -> int:
    return lexicon()["months"][text.rstrip(".").lower()]


def _weekday_num(text: str) -> int:
    return lexicon()["weekdays"][text.rstrip(".").lower()]


def _relation(text: str | None) -> str:
    if not text:
        return ""
    t = text.strip().lower()
    if t in ("last", "past", "previous", "preceding", "prior"):
        return "last"
    if t in ("next", "coming", "following", "upcoming"):
        return "next"
    if t in ("this", "current", "same", "present", "that", "the same"):
        return "this"
    return t


def _cand(m: re.Match, kind: str, value: str, mod: str = "", needs: str = "",
          group: int | str = 0) -> Candidate:
    return Candidate(m.start(group), m.end(group), kind, value, mod, needs=needs)


def h_full_date(m: re.Match, ctx: Context) -> Candidate | None:
    try:
        d = date(int(m.group("year")), _month_num(m.group("mon")), int(m.group("day")))
    except ValueError:
        return None
    return _cand(m, "DATE", d.isoformat())


def h_numeric_date(m: re.Match, ctx: Context) -> Candidate | None:
    y = int(m.group("y"))
    if y < 100:
        y += 1900 if y > 40 else 2000
    month, day = int(m.group("m")), int(m.group("d"))
    if month > 12 >= day:
        month, day = day, month  # 22/06/2021: day first, as outside the US
    try:
        d = date(y, month, day)
    except ValueError:
        return None
    return _cand(m, "DATE", d.isoformat())


def h_month_day(m: re.Match, ctx: Context) -> Candidate | None:
    month, day = _month_num(m.group("mon")), int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    year_shift, rel = _year_suffix(m)
    if ctx.anchor is None:
        return _cand(m, "DATE", f"XXXX-{month:02d}-{day:02d}")
    if year_shift is not None:
        year = ctx.anchor.year + year_shift
    else:
        future = has_future_cue(ctx.before(m.start()))
        year = resolve_year_of_month(ctx.anchor, month, day, rel, future)
    try:
        return _cand(m, "DATE", date(year, month, day).isoformat())
    except ValueError:
        return None


def _year_suffix(m: re.Match) -> tuple[int | None, str]:
    """What a word after a month or a month-day says of its year: 'may 25 last year' (-1), 'this
    year' (0), 'next year' (+1); 'february 19 last' (Indian and British usage: its most recent
    occurrence, relation 'last') or 'march 15 next' (relation 'next')."""
    groups = m.groupdict()
    if groups.get("sufyear"):
        return {"last": -1, "this": 0, "next": 1}[groups["suf"].lower()], ""
    return None, _relation(groups.get("sufbare") or groups.get("sufbare_next"))


def h_month_suffix(m: re.Match, ctx: Context) -> Candidate | None:
    """'in may last', 'march last year': a month whose year a following word gives."""
    month = _month_num(m.group("mon"))
    year_shift, rel = _year_suffix(m)
    if ctx.anchor is None:
        return _cand(m, "DATE", f"XXXX-{month:02d}")
    year = (ctx.anchor.year + year_shift if year_shift is not None
            else resolve_year_of_month(ctx.anchor, month, None, rel, False))
    return _cand(m, "DATE", f"{year:04d}-{month:02d}")


def h_month_year(m: re.Match, ctx: Context) -> Candidate | None:
    return _cand(m, "DATE", f"{int(m.group('year')):04d}-{_month_num(m.group('mon')):02d}",
                 _mod_code(m.group("mod")))


def h_month_spelled_year(m: re.Match, ctx: Context) -> Candidate | None:
    inner = next(rules_by_name()["spelled_year"].pattern.finditer(m.group("sy")), None)
    if inner is None or inner.start() != 0:
        return None
    year = h_spelled_year(inner, ctx)
    if year is None:
        return None
    return Candidate(m.start(), m.start("sy") + inner.end(), "DATE", f"{year.value}-{_month_num(m.group('mon')):02d}")


def h_month(m: re.Match, ctx: Context) -> Candidate | None:
    mon_text = m.group("mon")
    rel = _relation(m.group("rel"))
    mod = _mod_code(m.group("mod"))
    month = _month_num(mon_text)
    if mon_text.rstrip(".").lower() == "may" and not (rel or mod or m.group("prep")):
        return None  # the modal verb 'May' at a sentence start
    start = m.start("mod") if m.group("mod") else (m.start("rel") if m.group("rel") else m.start("mon"))
    if ctx.anchor is None:
        return Candidate(start, m.end(), "DATE", f"XXXX-{month:02d}", mod)
    future = has_future_cue(ctx.before(m.start()))
    year = resolve_year_of_month(ctx.anchor, month, None, rel, future)
    return Candidate(start, m.end(), "DATE", f"{year:04d}-{month:02d}", mod)


def h_year(m: re.Match, ctx: Context) -> Candidate | None:
    year = int(m.group("year"))
    if year < 1930 and not (m.group("prep") or m.group("mod") or m.group("fiscal")):
        return None  # old four-digit numbers are more often quantities than years
    start = m.start("mod") if m.group("mod") else (m.start("fiscal") if m.group("fiscal") else m.start("year"))
    return Candidate(start, m.end(), "DATE", f"{year:04d}", _mod_code(m.group("mod")))


def h_decade(m: re.Match, ctx: Context) -> Candidate | None:
    return _cand(m, "DATE", m.group("dec"), _mod_code(m.group("mod")))


def h_season(m: re.Match, ctx: Context) -> Candidate | None:
    code = lexicon()["seasons"][m.group("season").lower()]
    rel = _relation(m.group("rel"))
    mod = _mod_code(m.group("mod"))
    start = m.start("lead")
    lead = (m.group("lead") or "").strip().lower()
    if not (m.group("prepw") or m.group("year") or (lead and lead != "the")):
        return None  # 'the fall of the city': 'fall' and 'spring' are more often not seasons
    if m.group("year"):
        return Candidate(start, m.end(), "DATE", f"{m.group('year')}-{code}", mod)
    if ctx.anchor is None:
        return Candidate(start, m.end(), "DATE", f"XXXX-{code}", mod)
    year = ctx.anchor.year + (-1 if rel == "last" else 1 if rel == "next" else 0)
    return Candidate(start, m.end(), "DATE", f"{year:04d}-{code}", mod)


def h_weekday(m: re.Match, ctx: Context) -> Candidate | None:
    wd = _weekday_num(m.group("wd"))
    rel = _relation(m.group("rel") or m.group("wsufbare"))
    week_word = (m.group("wsuf") or "").lower()
    if ctx.anchor is None:
        value = f"XXXX-WXX-{wd + 1}"
    elif week_word:
        # 'saturday last week': that weekday in the week before the anchor's (ISO weeks)
        delta = {"last": -1, "this": 0, "next": 1}[week_word]
        monday = ctx.anchor - timedelta(days=ctx.anchor.weekday()) + timedelta(weeks=delta)
        value = (monday + timedelta(days=wd)).isoformat()
    else:
        future = has_future_cue(ctx.before(m.start()))
        value = resolve_weekday(ctx.anchor, wd, rel, future).isoformat()
    # 'Friday night' is dated to the day: TimeML annotators mostly wrote the plain date, and ACLED
    # needs no more than the day
    return _cand(m, "DATE", value)


def h_day_word(m: re.Match, ctx: Context) -> Candidate | None:
    word = m.group("dw").lower()
    offset = lexicon()["day_words"][word]
    pod_word = (m.group("pod") or "").lower()
    pod = lexicon()["parts_of_day"].get(pod_word, "")
    if word == "tonight":
        pod = "NI"
    if ctx.anchor is None:
        return _cand(m, "DATE", "PRESENT_REF" if offset == 0 else ("PAST_REF" if offset < 0 else "FUTURE_REF"))
    value = (ctx.anchor + timedelta(days=offset)).isoformat()
    return _cand(m, "TIME" if pod else "DATE", f"{value}T{pod}" if pod else value)


def h_this_pod(m: re.Match, ctx: Context) -> Candidate | None:
    rel = m.group("rel").lower()
    pod = lexicon()["parts_of_day"][m.group("pod").lower()]
    offset = -1 if rel in ("last", "yesterday") else (1 if rel == "tomorrow" else 0)
    if rel == "last" and pod != "NI":
        return None
    if ctx.anchor is None:
        return None
    return _cand(m, "TIME", f"{(ctx.anchor + timedelta(days=offset)).isoformat()}T{pod}")


def h_overnight(m: re.Match, ctx: Context) -> Candidate | None:
    # news 'overnight' is the night that ends on the day of the report
    if ctx.anchor is None:
        return None
    return _cand(m, "TIME", f"{ctx.anchor.isoformat()}TNI")


def h_relative_unit(m: re.Match, ctx: Context) -> Candidate | None:
    """last week, this month, next year, earlier this year, the past decade, the weekend, the quarter."""
    unit_word = m.group("unit").lower()
    rel_word = (m.group("rel") or "").lower()
    if unit_word == "period":
        if rel_word != "latest":
            return None
        unit_word = "quarter"
    code = unit_code(unit_word)
    mod = _mod_code(m.group("mod"))
    pre = (m.group("pre") or "").lower()
    if m.group("yend"):
        if code != "Y":
            return None
        mod = "END"
    if pre in ("earlier", "later") and not rel_word:
        return None
    rel = _relation(rel_word)
    if code == "DE" and rel_word in ("past", "last"):
        return _cand(m, "DURATION", "P10Y")
    if rel_word == "past" and code in ("W", "M", "D"):
        return _cand(m, "DURATION", duration_value(1, code))
    if rel_word == "past" and code == "Y" and ctx.anchor is not None:
        return _cand(m, "DATE", shift_value(ctx.anchor, "Y", -1))
    if code in ("TS", "TM", "TH", "D"):
        return None
    if ctx.anchor is None:
        return _cand(m, "DATE", "PRESENT_REF" if rel == "this" else ("PAST_REF" if rel == "last" else "FUTURE_REF"), mod)
    if (m.group("fisc") or "").lower() == "fiscal" and code == "Y" and not rel_word and not m.group("yend"):
        return _cand(m, "DURATION", "P1Y")  # 'the fiscal year' is its length unless 'this/current'
    if (m.group("fisc") or m.group("yend")) and code == "Y" and rel_word in ("", "current", "this", "the"):
        return _cand(m, "DATE", shift_value(ctx.anchor, "Y", 0), mod)
    if rel_word == "latest" and code == "Q":
        # the latest quarter reported on is the last complete one
        return _cand(m, "DATE", shift_value(ctx.anchor, "Q", -1), mod)
    if not rel_word and not m.group("the") and not mod:
        return None  # 'any given week' names no particular week
    if not rel_word:
        # 'the week', 'the month', 'the quarter', 'the weekend' read against the anchor
        if code == "Y":
            return _cand(m, "DURATION", "P1Y")
        if code == "Q":
            return _cand(m, "DATE", "", mod, needs="quarter_ref")
        if code == "WE":
            delta = -1 if ctx.anchor.weekday() <= 2 else 0
            return _cand(m, "DATE", shift_value(ctx.anchor, "WE", delta), mod)
        return _cand(m, "DATE", shift_value(ctx.anchor, code, 0), mod)
    delta = {"last": -1, "this": 0, "next": 1}.get(rel, None)
    if delta is None:
        return None
    if code == "WE" and rel == "last":
        # 'last weekend': the weekend before the anchor's week unless the anchor is itself after it
        delta = -1 if ctx.anchor.weekday() < 5 else 0
    return _cand(m, "DATE", shift_value(ctx.anchor, code, delta), mod)


def h_ago(m: re.Match, ctx: Context) -> Candidate | None:
    amount_text = m.group("num")
    amount = parse_number(amount_text) if amount_text else None
    code = unit_code(m.group("unit"))
    direction = m.group("dir").lower()
    sign = 1 if direction in ("later", "from now", "hence") else -1
    if direction in ("later", "after", "before") or (direction == "earlier" and code != "Y"):
        # 'two days after X' is a duration anchored to an event, not to the document date
        end = m.start("dir")
        while end > m.start() and ctx.text[end - 1].isspace():
            end -= 1
        value = duration_value(amount, code)
        return Candidate(m.start(), end, "DURATION", value)
    if ctx.anchor is None or amount is None:
        return _cand(m, "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if code == "Y" and amount == 1:
        return _cand(m, "DATE", "", needs="year_ago")
    return _cand(m, "DATE", ago_value(ctx.anchor, amount, code, sign))


NARRATIVE_OFFSETS = {"previous": -1, "preceding": -1, "before": -1, "next": 1, "following": 1,
                     "after": 1, "same": 0, "that": 0}
NARRATIVE_REACH = 1500  # characters back to the date a 'the previous day' is read against


def h_narrative_day(m: re.Match, ctx: Context) -> Candidate | None:
    """'the previous day', 'the day before', 'the next morning', 'that same day': a day counted
    from the narrative's own day (the latest day named before it), resolved in the second pass."""
    word = (m.group("rel") or m.group("dir") or m.group("that")).lower()
    pod = lexicon()["parts_of_day"].get((m.group("unit") or m.group("unit2") or "").lower(), "")
    return _cand(m, "TIME" if pod else "DATE", "", needs=f"narrative:{NARRATIVE_OFFSETS[word]}:{pod}")


def _narrative_value(c: Candidate, reference: date) -> str:
    _, offset, pod = c.needs.split(":")
    day = (reference + timedelta(days=int(offset))).isoformat()
    return f"{day}T{pod}" if pod else day


def h_year_ago_adj(m: re.Match, ctx: Context) -> Candidate | None:
    return _cand(m, "DATE", "", needs="year_ago")


def _is_age(m: re.Match, ctx: Context) -> bool:
    tail = ctx.text[m.start("unit") - 1: m.end() + 8].lower()
    return any(s.strip() and s.strip("- ") in tail.replace("-", " ").replace("  ", " ")
               for s in lexicon()["age_suffixes"]) and ("old" in tail)


def h_duration(m: re.Match, ctx: Context) -> Candidate | None:
    if _is_age(m, ctx):
        return None  # '6-year-old' and '44 years old' are ages, not time expressions
    code = unit_code(m.group("unit"))
    num_text = m.group("num")
    amount = parse_number(num_text) if num_text else None
    if num_text and amount is None and num_text.lower() in ("the", "past", "coming", "recent", "more"):
        if not m.group("lead"):
            return None
    if code == "TS" and num_text and num_text.lower() in ("a", "an"):
        return None  # 'a second time'
    if code == "Q" and m.group("lead") is None and amount is None:
        return None
    return _cand(m, "DURATION", duration_value(amount, code))


def h_bare_plural(m: re.Match, ctx: Context) -> Candidate | None:
    code = unit_code(m.group("unit"))
    lead = m.group("lead").lower()
    if lead in ("recent", "coming", "past"):
        if code == "Y":
            return _cand(m, "DATE", "PAST_REF" if lead != "coming" else "FUTURE_REF")
        return _cand(m, "DURATION", duration_value(None, code))
    return _cand(m, "DURATION", duration_value(None, code), group="unit")


def h_quarter(m: re.Match, ctx: Context) -> Candidate | None:
    ordinal = lexicon()["ordinals"].get((m.group("ord") or "").lower())
    if ordinal is None or ordinal < 1 or ordinal > 4:
        return None
    year_text = m.group("year")
    qyear = (m.group("qyear") or "").lower()
    if qyear[:4].isdigit():
        year_text = qyear
    if year_text and year_text.isdigit():
        return _cand(m, "DATE", f"{year_text}-Q{ordinal}")
    if ctx.anchor is None:
        return _cand(m, "DATE", f"XXXX-Q{ordinal}")
    year, current = quarter_of(ctx.anchor)
    if year_text:
        low = year_text.lower()
        year += -1 if "last" in low else (1 if "next" in low else 0)
    elif ordinal > current:
        year -= 1
    if qyear.startswith("year") or qyear.startswith("last"):
        year -= 1
    elif qyear.startswith("next"):
        year += 1
    return _cand(m, "DATE", f"{year:04d}-Q{ordinal}")


def h_year_period(m: re.Match, ctx: Context) -> Candidate | None:
    """'the 1988 quarter', "last year's period": the reported quarter, in that year."""
    year_text = m.group("year").lower()
    if ctx.anchor is None:
        return None
    base_year, base_q = add_quarters(*quarter_of(ctx.anchor), -1)
    if year_text[:4].isdigit():
        year = int(year_text[:4])
    else:
        year = base_year + (-1 if year_text.startswith("last") else 1 if year_text.startswith("next") else 0)
    return _cand(m, "DATE", f"{year:04d}-Q{base_q}")


@lru_cache(maxsize=1)
def holidays() -> dict[str, dict]:
    text = resources.files("sitroom.data.time").joinpath("holidays.json").read_text(encoding="utf-8")
    return json.loads(text)["holidays"]


def holiday_in_year(rule: dict, year: int) -> date:
    if "fixed" in rule:
        return date(year, *rule["fixed"])
    if "after_first_monday" in rule:
        first = date(year, rule["after_first_monday"], 1)
        monday = first + timedelta(days=(0 - first.weekday()) % 7)
        return monday + timedelta(days=1)
    month, weekday, n = rule["nth_weekday"]
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, last_day_of_month(year, month))
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def h_holiday(m: re.Match, ctx: Context) -> Candidate | None:
    key = re.sub(r"\s+", " ", m.group("hol").lower()).replace("’", "'")
    rule = holidays().get(key)
    if rule is None:
        return None
    if m.group("year"):
        return _cand(m, "DATE", holiday_in_year(rule, int(m.group("year"))).isoformat())
    if ctx.anchor is None:
        return None
    rel = _relation(m.group("rel"))
    this_year = holiday_in_year(rule, ctx.anchor.year)
    if rel == "last":
        day = this_year if this_year < ctx.anchor else holiday_in_year(rule, ctx.anchor.year - 1)
    elif rel == "next":
        day = this_year if this_year > ctx.anchor else holiday_in_year(rule, ctx.anchor.year + 1)
    else:
        future = has_future_cue(ctx.before(m.start()))
        year = resolve_year_of_month(ctx.anchor, this_year.month, this_year.day, "", future)
        day = holiday_in_year(rule, year)
    return _cand(m, "DATE", day.isoformat())


def h_spelled_year(m: re.Match, ctx: Context) -> Candidate | None:
    numbers = lexicon()["numbers"]
    if m.group("century"):
        tens = numbers[m.group("tens").lower()]
        ones = numbers[m.group("ones").lower()] if m.group("ones") else 0
        return _cand(m, "DATE", f"{numbers[m.group('century').lower()] * 100 + tens + ones:04d}")
    ones = numbers[m.group("ones2").lower()] if m.group("ones2") else 0
    return _cand(m, "DATE", f"{2000 + ones:04d}")


def h_half(m: re.Match, ctx: Context) -> Candidate | None:
    half = 1 if m.group("ord").lower() == "first" else 2
    year_text = m.group("year")
    if year_text and year_text.isdigit():
        return _cand(m, "DATE", f"{year_text}-H{half}")
    if ctx.anchor is None:
        return None
    year = ctx.anchor.year
    if year_text:
        low = year_text.lower()
        year += -1 if "last" in low else (1 if "next" in low else 0)
    elif half == 2 and ctx.anchor.month <= 6:
        year -= 1
    return _cand(m, "DATE", f"{year:04d}-H{half}")


def h_reference(m: re.Match, ctx: Context) -> Candidate | None:
    word = re.sub(r"\s+", " ", m.group("ref").lower())
    return _cand(m, "DATE", lexicon()["reference_words"][word])


def h_set_word(m: re.Match, ctx: Context) -> Candidate | None:
    return _cand(m, "SET", lexicon()["set_words"][m.group("sw").lower()])


def h_every(m: re.Match, ctx: Context) -> Candidate | None:
    if m.group("wd"):
        return _cand(m, "SET", f"XXXX-WXX-{_weekday_num(m.group('wd')) + 1}")
    code = unit_code(m.group("unit"))
    amount = parse_number(m.group("num")) if m.group("num") else 1
    return _cand(m, "SET", duration_value(amount, code))


def h_clock(m: re.Match, ctx: Context) -> Candidate | None:
    hour = int(m.group("h"))
    minute = int(m.group("mi") or 0)
    ampm = (m.groupdict().get("ampm") or "").lower().replace(".", "").replace(" ", "")
    if hour > 23 or minute > 59 or (ampm and hour > 12):
        return None
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    day = ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"
    return _cand(m, "TIME", f"{day}T{hour:02d}:{minute:02d}", needs="time_day")


def h_named_time(m: re.Match, ctx: Context) -> Candidate | None:
    clock = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[m.group("nt").lower()]
    day = ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"
    return _cand(m, "TIME", f"{day}T{clock}", needs="time_day")


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    handler: Handler
    priority: int


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    f = fragments()
    lex = lexicon()
    ordinal_q = r"first|second|third|fourth|1st|2nd|3rd|4th|final|last"
    rel_words = r"last|next|this|past|previous|coming|current|following|latest|prior|same|that"
    refs = _alt([w for w in lex["reference_words"] if w not in lex["reference_words_need_context"]])
    prep = r"(?P<prep>\b(?:in|since|of|by|until|till|from|to|through|during|before|after|on|early|late|mid|until|between|and)\s+)?"
    # a word after a date that gives its year ('may 25 last year', 'february 19 last'); a bare
    # 'last' or 'next' is no suffix where a time word follows ('june 3 last week')
    time_words = r"week|weekend|month|year|quarter|decade|century|day|night|time|minute|hour|season|summer|winter|spring|autumn|fall|morning|evening|afternoon"
    year_suffix = (rf"(?:,?\s+(?P<suf>last|this|next)\s+(?P<sufyear>year)\b"
                   rf"|\s+(?P<sufbare>last)\b(?!\s+(?:{time_words})\b)|\s+(?P<sufbare_next>next)(?=\s*[.,;:)]))")
    # fixed-width look-behinds, one per preposition (Python's re has no variable-width ones)
    preceded_by_preposition = "|".join(rf"(?<=\b{w}\s)" for w in ("in", "of", "since", "during", "until", "till", "from", "by"))
    full_months = _alt([w for w in lex["months"] if w not in lex["abbreviations_need_period"]])
    specs: list[tuple[str, str, Handler, int]] = [
        ("full_mdy", rf"(?P<mon>{f.month})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", h_full_date, 1),
        ("full_dmy", rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{f.month}),?\s+(?P<year>\d{{4}})\b", h_full_date, 1),
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:\b|(?=T\d))", h_numeric_date, 1),
        ("slash", r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b", h_numeric_date, 2),
        ("month_day", rf"(?P<mon>{f.month})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.,]?\d)(?:{year_suffix})?", h_month_day, 2),
        ("day_month", rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{f.month})(?:{year_suffix})?", h_month_day, 2),
        ("month_suffix", rf"(?:{preceded_by_preposition})(?P<mon>{full_months})(?:{year_suffix})", h_month_suffix, 2),
        ("month_year", rf"(?:(?P<mod>{f.mod})[\s-]*)?(?P<mon>{f.month}),?\s+(?:of\s+)?(?P<year>(?:1[6-9]|20)\d{{2}})\b", h_month_year, 2),
        ("month_spelled_year", rf"(?P<mon>{f.month})\s+(?P<sy>(?:nineteen|twenty)[\s-]+\w+(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?)", h_month_spelled_year, 2),
        ("month", rf"{prep}(?:(?P<mod>{f.mod})[\s-]*|(?P<rel>last|next|this|that|past|coming)\s+)?(?P<mon>{f.month})(?!\s*\d)", h_month, 3),
        ("year", rf"(?<![\d$.,£€/-]){prep}(?:(?P<mod>{f.mod})[\s-]*)?(?:(?P<fiscal>fiscal(?:\s+year)?|calendar(?:\s+year)?|the\s+year|model\s+year)\s+)?(?P<year>(?:1[6-9]|20)\d{{2}})\b(?!\s*(?:%|percent|[-–,.]?\d|/|:))", h_year, 4),
        ("decade", rf"(?:the\s+)?(?:(?P<mod>{f.mod})[\s-]*)?(?P<dec>(?:1[6-9]|20)\d)0'?s\b", h_decade, 3),
        ("season", rf"(?:\b(?P<prepw>in|during|since|until|by|of)\s+)?(?P<lead>(?:(?P<rel>last|next|this|past|coming)\s+|(?P<mod>{f.mod})[\s-]*|the\s+)?)(?P<season>{f.season})\b(?:\s+(?:of\s+)?(?P<year>\d{{4}}))?", h_season, 3),
        ("weekday", rf"(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>{f.weekday})(?:\s+(?P<pod>{f.pod}))?"
                    rf"(?:\s+(?P<wsuf>last|this|next)\s+week\b|\s+(?P<wsufbare>last)\b(?!\s+(?:{time_words})\b))?", h_weekday, 3),
        ("day_word", r"\b(?P<dw>today|yesterday|tomorrow|tonight)\b(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?", h_day_word, 3),
        ("this_pod", r"\b(?P<rel>this|last|yesterday|tomorrow)\s+(?P<pod>morning|afternoon|evening|night)\b", h_this_pod, 2),
        ("overnight", r"\bovernight\b", h_overnight, 5),
        ("narrative_day", r"\b(?:the\s+(?P<rel>previous|preceding|next|following|same)\s+(?P<unit>day|night|morning|afternoon|evening)"
                          r"|the\s+(?:day|night)\s+(?P<dir>before|after)|(?P<that>that)\s+(?:same\s+)?(?P<unit2>day|night|morning|afternoon|evening))\b",
         h_narrative_day, 2),
        ("quarter", rf"(?:the\s+)?(?:(?P<qyear>(?:1[6-9]|20)\d{{2}}|year[\s-]ago|year[\s-]earlier|(?:last|next|this)\s+year['’]s)\s+)?(?:(?:latest|last|previous|current|this|same|fiscal|calendar)\s+)?(?P<ord>{ordinal_q})(?:[\s-]+fiscal)?[\s-]+quarter(?:\s+of\s+(?P<year>\d{{4}}|(?:this|last|next)\s+year|the\s+year|fiscal\s+\d{{4}}))?", h_quarter, 2),
        ("year_period", r"(?:the\s+)?(?P<year>(?:1[6-9]|20)\d{2}|(?:last|next|this)\s+year['’]s)\s+(?:quarter|period)\b", h_year_period, 2),
        ("holiday", rf"(?:(?P<rel>last|next|this)\s+)?(?P<hol>{_alt(list(holidays()))})(?:\s+(?P<year>(?:1[6-9]|20)\d{{2}}))?\b", h_holiday, 2),
        ("spelled_year", r"\b(?P<century>nineteen|twenty)[\s-]+(?P<tens>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?P<ones>one|two|three|four|five|six|seven|eight|nine))?\b|\b(?:the\s+year\s+|in\s+)two\s+thousand(?:\s+and)?(?:[\s-]+(?P<ones2>one|two|three|four|five|six|seven|eight|nine|ten))?\b", h_spelled_year, 3),
        ("half", r"(?:the\s+)?(?P<ord>first|second)[\s-]+half(?:\s+of\s+(?P<year>\d{4}|(?:this|last|next)\s+year|the\s+year))?\b", h_half, 3),
        ("year_ago_adj", r"(?:the\s+)?\byear[\s-](?:ago|earlier)(?:\s+(?:quarter|period))?\b", h_year_ago_adj, 2),
        ("ago", rf"(?:(?:{f.approx})\s+)?(?P<num>{f.number}|{f.vague})[\s-]+(?P<unit>{f.unit})\s+(?P<dir>ago|earlier|later|before|after|from\s+now|hence)\b", h_ago, 2),
        ("relative_unit", rf"(?:(?P<pre>earlier|later)\s+)?(?P<the>the\s+)?(?:(?P<mod>{f.mod})[\s-]*)?(?:(?P<rel>{rel_words})\s+)?(?:(?P<fisc>fiscal|full|calendar)\s+)?\b(?P<unit>week|month|year|quarter|weekend|decade|century|fortnight|day|period)\b(?!s\b|-)(?:(?P<yend>['’]s\s+end|[\s-]end)\b)?", h_relative_unit, 4),
        ("duration", rf"(?P<lead>(?:the\s+)?(?:(?:past|last|next|first|coming|previous|latest|final|recent|following|initial)\s+))?(?:(?:{f.approx})\s+)?(?P<num>{f.number}|{f.vague})[\s-]+(?:more\s+|full\s+|straight\s+|consecutive\s+)?(?P<unit>{f.unit})\b(?:[\s-]+(?:long|old))?", h_duration, 4),
        ("bare_plural", r"\b(?P<lead>for|in|over|within|after|take|takes|took|taking|last|lasted|recent|coming|past|the)\s+(?P<unit>days|weeks|months|years|decades|centuries|hours|minutes)\b", h_bare_plural, 6),
        ("every", rf"\b(?:every|each|per)\s+(?:(?P<num>{f.number})\s+)?(?:(?P<unit>{f.unit})\b|(?P<wd>{f.weekday}))", h_every, 3),
        ("set_word", rf"\b(?P<sw>{_alt(list(lex['set_words']))})\b", h_set_word, 4),
        ("clock", r"\b(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b)", h_clock, 2),
        ("clock24", r"(?<=\bat\s)(?P<h>\d{1,2}):(?P<mi>\d{2})\b", h_clock, 3),
        ("named_time", r"\b(?P<nt>noon|midday|midnight)\b", h_named_time, 4),
        ("reference", rf"(?<![\w-])(?P<ref>{refs})(?![\w-])", h_reference, 7),
    ]
    flags_ci = re.IGNORECASE
    built = []
    for name, pattern, handler, priority in specs:
        # every expression starts at a word start: saying so first lets the engine skip the
        # positions inside words at once (a fivefold speed-up on news text)
        pattern = r"(?<![A-Za-z0-9])(?=[A-Za-z0-9'])" + pattern
        # month and weekday names are case-sensitive (built capitalised); everything else is not
        if name in ("full_mdy", "full_dmy", "month_day", "day_month", "month_year", "month", "weekday", "every",
                    "year", "month_spelled_year"):
            compiled = re.compile(_case_insensitive_except_names(pattern))
        else:
            compiled = re.compile(pattern, flags_ci)
        built.append(Rule(name, compiled, handler, priority))
    return tuple(built)


@lru_cache(maxsize=1)
def rules_by_name() -> dict[str, Rule]:
    return {r.name: r for r in rules()}


def _case_insensitive_except_names(pattern: str) -> str:
    """Make the lowercase keyword parts case-insensitive with inline groups, names stay cased."""
    f = fragments()
    for frag in (f.month, f.weekday):
        pattern = pattern.replace(frag, "\x00" + str(id(frag)) + "\x00")
    pattern = f"(?i:{pattern})"
    for frag in (f.month, f.weekday):
        pattern = pattern.replace("\x00" + str(id(frag)) + "\x00", f"(?-i:{frag})")
    return pattern


# --------------------------------------------------------------------------------------------
# the tagger


@lru_cache(maxsize=8)
def _matches(text: str) -> tuple[tuple[int, re.Match[str]], ...]:
    """(rule index, match) of every rule over a text. The scan does not depend on the anchor
    date, and it is most of the tagger's cost: an article is tagged twice, without a date (for
    its publication date) and with it (for its mentions), and scanned once."""
    return tuple((k, m) for k, rule in enumerate(rules()) for m in rule.pattern.finditer(text)
                 if m.end() != m.start())


def _candidates(ctx: Context) -> Iterator[Candidate]:
    all_rules = rules()
    for k, m in _matches(ctx.text):
        rule = all_rules[k]
        try:
            cand = rule.handler(m, ctx)
        except (ValueError, KeyError, IndexError, OverflowError) as exc:
            # one odd match (an impossible date, a number out of range) must not lose the text
            log.warning("time rule %s skipped %r: %s", rule.name, m.group(0), exc)
            continue
        if cand is None:
            continue
        cand.priority = rule.priority
        yield cand


def _trim(cand: Candidate, text: str) -> Candidate:
    start, end = cand.start, cand.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return replace(cand, start=start, end=end)


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Leftmost-longest without overlaps; ties go to the rule with the lower priority number."""
    chosen: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


def _merge_clock_and_day(chosen: list[Candidate], ctx: Context) -> list[Candidate]:
    """'9 a.m. EST Tuesday', '6:30 p.m. local time on Saturday', 'noon Thursday', 'Friday at 10 p.m.':
    one TIME expression on the day named next to the clock time."""
    zones = "|".join(re.escape(z) for z in lexicon()["timezones"])
    after_clock = re.compile(rf"^\s*(?:\(?(?:{zones})\)?\s*)?,?\s*(?:on\s+)?$")
    before_clock = re.compile(r"^\s*,?\s*(?:at\s+|,\s*)?(?:about\s+|around\s+)?$")
    out: list[Candidate] = []
    i = 0
    while i < len(chosen):
        c = chosen[i]
        if c.needs == "time_day":
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            prev = out[-1] if out else None
            if nxt is not None and parse_day(nxt.value) and after_clock.match(ctx.text[c.end:nxt.start]):
                day = parse_day(nxt.value)
                out.append(Candidate(c.start, nxt.end, "TIME", day.isoformat() + c.value[c.value.index("T"):]))
                i += 2
                continue
            if prev is not None and parse_day(prev.value) and prev.kind == "DATE" \
                    and before_clock.match(ctx.text[prev.end:c.start]):
                day = parse_day(prev.value)
                out[-1] = Candidate(prev.start, c.end, "TIME", day.isoformat() + c.value[c.value.index("T"):])
                i += 1
                continue
            c = replace(c, needs="")
        out.append(c)
        i += 1
    return out


def _second_pass(chosen: list[Candidate], ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    last_quarter: tuple[int, int] | None = None
    narrative: tuple[int, date] | None = None  # (end, day) of the latest day named
    for i, c in enumerate(chosen):
        if c.needs.startswith("narrative:"):
            if narrative is not None and c.start - narrative[0] <= NARRATIVE_REACH:
                reference = narrative[1]
            else:
                reference = ctx.anchor
            c = replace(c, value="" if reference is None else _narrative_value(c, reference), needs="")
        if parse_day(c.value) is not None and c.kind in ("DATE", "TIME"):
            narrative = (c.end, parse_day(c.value))  # 'the next day ... the next day' walks on
        if c.kind == "DATE" and re.fullmatch(r"\d{4}-Q[1-4]", c.value):
            # 'the quarter' is the one being reported: the latest named so far, not one compared with
            quarter = (int(c.value[:4]), int(c.value[-1]))
            if last_quarter is None or quarter > last_quarter:
                if ctx.anchor is None or quarter <= quarter_of(ctx.anchor):
                    last_quarter = quarter
        if c.needs == "quarter_ref":
            if ctx.anchor is None:
                c = replace(c, value="XXXX-QX")
            elif last_quarter is not None:
                c = replace(c, value=f"{last_quarter[0]:04d}-Q{last_quarter[1]}")
            else:
                y, q = add_quarters(*quarter_of(ctx.anchor), -1)
                c = replace(c, value=f"{y:04d}-Q{q}")
        elif c.needs == "year_ago":
            if ctx.anchor is None:
                c = replace(c, value="PAST_REF")
            else:
                window = ctx.text[max(0, c.start - 300): c.end + 60].lower()
                if "quarter" in window:
                    base = last_quarter or add_quarters(*quarter_of(ctx.anchor), -1)
                    y, q = add_quarters(base[0], base[1], -4)
                    c = replace(c, value=f"{y:04d}-Q{q}")
                else:
                    c = replace(c, value=f"{ctx.anchor.year - 1:04d}")
        out.append(c)
    return out


def acled_precision(kind: str, value: str) -> int | None:
    """ACLED time_precision of a value: 1 day, 2 week, 3 month; None where it is no single period."""
    if kind not in ("DATE", "TIME"):
        return None
    if parse_day(value) is not None:
        return 1
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return 2
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return 3
    return None


def tag(text: str, anchor: date | None) -> list[TimeExpr]:
    ctx = Context(text, anchor)
    chosen = _select([_trim(c, text) for c in _candidates(ctx)])
    resolved = _second_pass(_merge_clock_and_day(chosen, ctx), ctx)
    out = []
    for c in resolved:
        if not c.value:
            continue
        out.append(TimeExpr(text=text[c.start:c.end], start=c.start, end=c.end, value=c.value,
                            kind=c.kind, precision=acled_precision(c.kind, c.value)))
    return out


def find_timexes(text: str, anchor: str | None) -> list[TimeExpr]:
    anchor_day = parse_day(anchor) if anchor else None
    return tag(text, anchor_day)
