"""Property tests for the number and date parsers of the events and time stages.

Those stages grow on their own branches; every function is looked up at run time and its tests skip
when it is not there (yet), so this file passes before and after their merges.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.hardening.props import PROPERTY

numbers = pytest.importorskip("sitroom.events.numbers")
time_stage = pytest.importorskip("sitroom.time")


def need(module: object, name: str):  # noqa: ANN201 - whatever the stage exposes
    fn = getattr(module, name, None)
    if fn is None:
        pytest.skip(f"{getattr(module, '__name__', module)}.{name} not there yet")
    return fn


def _timex_module():  # noqa: ANN202
    return pytest.importorskip("sitroom.time.timex")


def _periods_module():  # noqa: ANN202
    return pytest.importorskip("sitroom.time.periods")


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def number_vocabulary() -> list[str]:
    rules = need(numbers, "number_rules")()
    words = set()
    for key in ("words", "multipliers", "vague", "vague_as_multiplier"):
        for phrase in rules.get(key, {}):
            words.update(phrase.split())
    return sorted(words | {"more", "than", "at", "least", "to", "-", "and", "about", "over"})


# -------------------------------------------------------------------- events: quantities

@PROPERTY
@given(st.data())
def test_parse_quantity_never_raises_on_words(data: st.DataObject) -> None:
    """Any phrase of number words, ASCII digits (up to 15), ranges and junk: a Quantity or None."""
    parse_quantity = need(numbers, "parse_quantity")
    token = st.one_of(st.sampled_from(number_vocabulary()),
                      st.from_regex(r"\A[0-9]{1,15}(,[0-9]{3})?(\.[0-9]{1,3})?\Z"),
                      st.from_regex(r"\A[0-9]{1,6}-[0-9]{1,6}\Z"),
                      st.text(st.characters(max_codepoint=127), max_size=8))
    words = data.draw(st.lists(token, max_size=6))
    q = parse_quantity(words)
    if q is not None:
        assert q.low >= 0
        assert q.high is None or q.high >= q.low


@PROPERTY
@given(st.integers(min_value=0, max_value=10**9))
def test_parse_quantity_reads_plain_and_grouped_figures(n: int) -> None:
    parse_quantity = need(numbers, "parse_quantity")
    for written in (str(n), f"{n:,}"):
        q = parse_quantity([written])
        assert q is not None and (q.low, q.high, q.vague) == (n, None, False), written


@PROPERTY
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6),
       st.sampled_from(["-", "–", " to "]))
def test_parse_quantity_ranges_are_ordered(a: int, b: int, sep: str) -> None:
    parse_quantity = need(numbers, "parse_quantity")
    q = parse_quantity(f"{a:,}{sep}{b:,}".split())
    assert q is not None and (q.low, q.high) == (min(a, b), max(a, b))


@PROPERTY
@given(st.sampled_from(UNITS), st.sampled_from(["hundred", "thousand"]))
def test_parse_quantity_number_words_with_multipliers(unit: str, multiplier: str) -> None:
    parse_quantity = need(numbers, "parse_quantity")
    q = parse_quantity([unit, multiplier])
    assert q is not None
    assert q.low == (UNITS.index(unit) + 1) * {"hundred": 100, "thousand": 1000}[multiplier]


@pytest.mark.parametrize("words", [["³"], ["10²", "people"], ["1" * 5000], ["9" * 400 + ".5"]])
def test_parse_quantity_on_unicode_and_huge_digits(words: list[str]) -> None:
    parse_quantity = need(numbers, "parse_quantity")
    q = parse_quantity(words)
    assert q is None or q.low >= 0


# -------------------------------------------------------------------- time: timexes and values

ANCHORS = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2050, 12, 31))
                    .map(date.isoformat), st.text(max_size=12), st.just("2021-02-29"))
TIME_WORDS = ["on", "Monday", "last", "next", "week", "month", "year", "July", "4", "2021", "ago",
              "three", "days", "the", "1st", "of", "June,", "since", "early", "late", "mid-", "2020s",
              "-", "12/07/2021", "2021-07-04", "weeks", "spring", "winter", "in", "99999", "0", "31",
              "February", "30", "yesterday", "today", "tonight", "morning", "and", "a", "half",
              "years", "decade", "quarter", "Q3", "earlier", "this", "that", "between", "until"]
TIME_TEXT = st.one_of(st.text(max_size=300),
                      st.lists(st.sampled_from(TIME_WORDS), max_size=16).map(" ".join))


@PROPERTY
@given(TIME_TEXT, ANCHORS)
@example("On 31 February 2021 and on 29 February 2023", "2021-07-04")
@example("99999 years ago", "0001-01-01")
@example("next week", "9999-12-31")
@example("last week", "0001-01-03")
def test_find_timexes_never_raises_and_spans_are_exact(text: str, anchor: str | None) -> None:
    find_timexes = need(time_stage, "find_timexes")
    for t in find_timexes(text, anchor):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert t.value
        assert t.kind in {"DATE", "TIME", "DURATION", "SET"}
        assert t.precision in (None, 1, 2, 3)


@PROPERTY
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)),
       st.sampled_from(["{d} {M} {Y}", "{M} {d}, {Y}", "{Y}-{m:02d}-{d:02d}"]))
def test_find_timexes_reads_full_dates(day: date, form: str) -> None:
    find_timexes = need(time_stage, "find_timexes")
    phrase = form.format(d=day.day, M=MONTHS[day.month - 1], Y=day.year, m=day.month)
    text = f"Fighting broke out on {phrase}, officials said."
    values = [t.value for t in find_timexes(text, "2036-01-01")]
    assert day.isoformat() in values, (phrase, values)


@PROPERTY
@given(st.dates(min_value=date(1990, 1, 10), max_value=date(2035, 12, 31)))
def test_find_timexes_resolves_yesterday_against_the_anchor(anchor: date) -> None:
    find_timexes = need(time_stage, "find_timexes")
    found = find_timexes("The convoy was attacked yesterday.", anchor.isoformat())
    assert (anchor - timedelta(days=1)).isoformat() in [t.value for t in found]


@PROPERTY
@given(st.one_of(st.text(max_size=30),
                 st.from_regex(r"\A(\d{4}(-(\d\d|W\d\d(-WE)?|Q\d|SU|WI|H\d))?(-\d\d)?|P\d+[DWMY]|"
                               r"PRESENT_REF|\d{3}X?)\Z")))
@example("2021-W53")
@example("2021-W99")
@example("0000-00-00")
@example("9999-12-31")
def test_value_range_never_raises(value: str) -> None:
    value_range = need(_periods_module(), "value_range")
    rng = value_range(value)
    if rng is not None:
        assert rng.first <= rng.last


@PROPERTY
@given(st.dates())
def test_value_range_of_a_day_is_that_day(day: date) -> None:
    value_range = need(_periods_module(), "value_range")
    rng = value_range(day.isoformat())
    assert rng is not None and rng.first == rng.last == day


@PROPERTY
@given(st.one_of(st.text(max_size=30),
                 st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n:,}"),
                 st.lists(st.sampled_from(TIME_WORDS + ["twenty", "forty-five"]), max_size=4)
                 .map(" ".join)))
def test_parse_number_never_raises(text: str) -> None:
    parse_number = need(_timex_module(), "parse_number")
    value = parse_number(text)
    if value is not None:
        assert value >= 0
    if re.fullmatch(r"\d{1,3}(?:,\d{3})*", text):
        assert value == float(text.replace(",", ""))


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 60), TIME_TEXT.map(lambda s: s[:20]),
                          st.one_of(st.dates().map(date.isoformat), st.text(max_size=12),
                                    st.just("2021-W27"), st.just("P3D"), st.just("2021-07")),
                          st.sampled_from(["DATE", "DURATION", "TIME", "SET"]),
                          st.sampled_from([None, 1, 2, 3])), max_size=5),
       st.integers(0, 400), st.integers(0, 400),
       st.one_of(st.none(), st.dates().map(date.isoformat)))  # a PublicationDate holds an ISO day
def test_event_date_never_raises(raw: list, s_start: int, s_len: int, published: str | None) -> None:
    event_date = need(time_stage, "event_date")
    from sitroom.records import PublicationDate, TimeExpr

    timexes = [TimeExpr(text, start, start + length, value, kind, precision)
               for start, length, text, value, kind, precision in raw]
    pub = PublicationDate(published, "metadata" if published else "none")
    day, precision = event_date(s_start, s_start + s_len, timexes, pub)
    if day is not None:
        date.fromisoformat(day)
        assert precision in (1, 2, 3)


# -------------------------------------------------------------------- the pipeline isolates bugs

@pytest.mark.slow  # loads spaCy and every stage's data
def test_a_stage_bug_on_one_article_does_not_fail_the_analysis() -> None:
    """Whatever a stage does with an odd number or date, analysing the article finishes."""
    pipeline = pytest.importorskip("sitroom.pipeline")
    mentions_of = need(pipeline, "mentions_of")
    from sitroom.nlp import parse
    from sitroom.records import CleanArticle, PublicationDate

    text = ("Taliban fighters attacked a checkpoint in Kunduz on Monday and ³ soldiers were killed, "
            "officials said. Another 1" + "0" * 400 + " people were wounded on 31 February.")
    article = CleanArticle("odd", "Odd numbers", text, "odd.txt", "txt")
    found = mentions_of(article, parse(text), PublicationDate("2021-07-05", "metadata"), None)
    assert found.article_id == "odd"
