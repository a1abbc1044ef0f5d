"""Calendar arithmetic on TimeML-style values (our own: the stdlib has no ISO-week/quarter helpers).

A TimeML DATE value carries its granularity in its shape: 2021-06-22 (day), 2021-W25 (ISO week),
2021-W25-WE (weekend), 2021-06 (month), 2021-Q2 (quarter), 2021-SU (season), 2021-H1 (half),
2021 (year), 202 (decade), 20 (century); TIME values add THH:MM or a part of day (T MO/AF/EV/NI).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
SEASON_RE = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
HALF_RE = re.compile(r"^(\d{4})-H([12])$")
YEAR_RE = re.compile(r"^(\d{4})$")

# months each season covers in the northern hemisphere (middle month first is not needed: we keep ranges)
SEASON_MONTHS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def parse_day(value: str | None) -> date | None:
    """The calendar day of a day-granular value (2021-06-22 or 2021-06-22T18:30), else None."""
    if not value:
        return None
    m = DAY_RE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def iso_week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def add_quarters(year: int, quarter: int, delta: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + delta
    return index // 4, index % 4 + 1


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class DayRange:
    """The first and last day a value covers."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def middle(self) -> date:
        return self.first + timedelta(days=(self.days - 1) // 2)


def value_range(value: str) -> DayRange | None:
    """The days a DATE value covers; None for values that are not anchored in the calendar."""
    try:
        return _value_range(value)
    except ValueError:  # an impossible week or day number
        return None


def _value_range(value: str) -> DayRange | None:
    day = parse_day(value)
    if day is not None:
        return DayRange(day, day)
    m = WEEK_RE.match(value)
    if m:
        monday = week_monday(int(m.group(1)), int(m.group(2)))
        if m.group(3):
            return DayRange(monday + timedelta(days=5), monday + timedelta(days=6))
        return DayRange(monday, monday + timedelta(days=6))
    m = MONTH_RE.match(value)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            return None
        return DayRange(date(y, mo, 1), date(y, mo, last_day_of_month(y, mo)))
    m = QUARTER_RE.match(value)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        first_month = 3 * (q - 1) + 1
        return DayRange(date(y, first_month, 1),
                        date(y, first_month + 2, last_day_of_month(y, first_month + 2)))
    m = HALF_RE.match(value)
    if m:
        y, h = int(m.group(1)), int(m.group(2))
        return DayRange(date(y, 1, 1), date(y, 6, 30)) if h == 1 else DayRange(date(y, 7, 1), date(y, 12, 31))
    m = SEASON_RE.match(value)
    if m:
        y = int(m.group(1))
        start, end = SEASON_MONTHS[m.group(2)]
        if start > end:  # winter runs into the next year
            return DayRange(date(y, start, 1), date(y + 1, end, last_day_of_month(y + 1, end)))
        return DayRange(date(y, start, 1), date(y, end, last_day_of_month(y, end)))
    m = YEAR_RE.match(value)
    if m:
        y = int(m.group(1))
        return DayRange(date(y, 1, 1), date(y, 12, 31))
    return None
