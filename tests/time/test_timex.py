"""The rule-based tagger on short sentences written for these tests."""

from __future__ import annotations

import pytest

from sitroom.time import find_timexes

ANCHOR = "2021-07-04"  # a Sunday


def values(text: str, anchor: str | None = ANCHOR) -> list[tuple[str, str, str]]:
    return [(t.text, t.kind, t.value) for t in find_timexes(text, anchor)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops crossed on Saturday.", ("Saturday", "DATE", "2021-07-03")),
        ("The ministry said on Sunday.", ("Sunday", "DATE", "2021-07-04")),
        ("Talks will resume on Tuesday.", ("Tuesday", "DATE", "2021-07-06")),
        ("Fighting broke out late on June 21.", ("June 21", "DATE", "2021-06-21")),
        ("They met on 8 July 2021 in Kabul.", ("8 July 2021", "DATE", "2021-07-08")),
        ("Prices rose last week.", ("last week", "DATE", "2021-W25")),
        ("Earlier this week the pass was closed.", ("Earlier this week", "DATE", "2021-W26")),
        ("In late June the militias were revived.", ("late June", "DATE", "2021-06")),
        ("Last month the town fell.", ("Last month", "DATE", "2021-06")),
        ("It has been quiet since May.", ("May", "DATE", "2021-05")),
        ("The base was built in 2007.", ("2007", "DATE", "2007")),
        ("Sales fell in the fourth quarter.", ("the fourth quarter", "DATE", "2020-Q4")),
        ("The siege lasted three days.", ("three days", "DURATION", "P3D")),
        ("Ten districts fell in the past three days.", ("the past three days", "DURATION", "P3D")),
        ("A 16-hour flight followed.", ("16-hour", "DURATION", "PT16H")),
        ("Two years ago the road was cut.", ("Two years ago", "DATE", "2019")),
        ("Clashes went on overnight.", ("overnight", "TIME", "2021-07-04TNI")),
        ("Convoys leave daily.", ("daily", "SET", "P1D")),
        ("Prices are high now.", ("now", "DATE", "PRESENT_REF")),
        ("He came back yesterday.", ("yesterday", "DATE", "2021-07-03")),
        ("The 1990s were hard.", ("The 1990s", "DATE", "199")),
    ],
)
def test_single_expression(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in values(text)


def test_clock_time_takes_the_day_named_beside_it() -> None:
    found = values("Afghan troops crossed around 6:30 p.m. local time on Saturday.")
    assert found == [("6:30 p.m. local time on Saturday", "TIME", "2021-07-03T18:30")]


def test_duration_before_after_stays_a_duration() -> None:
    found = values("The fall comes just two days after forces left the base.")
    assert ("two days", "DURATION", "P2D") in found
    assert all(kind != "DATE" or value != "2021-FA" for _, kind, value in found)  # 'the fall' of a town


def test_words_that_only_look_like_dates() -> None:
    assert values("May God protect them, said Jan Khan.") == []
    assert values("The Taliban's march through the north went on.") == []
    assert values("A 6-year-old boy was hurt.") == []
    assert values("Any given week may differ.") == []


def test_without_anchor_values_keep_unknown_parts() -> None:
    found = values("Officials said on Tuesday that on June 22 the town fell.", anchor=None)
    assert ("Tuesday", "DATE", "XXXX-WXX-2") in found
    assert ("June 22", "DATE", "XXXX-06-22") in found


def test_precision_follows_acled() -> None:
    by_text = {t.text: t.precision for t in find_timexes("On Friday, last week and last month.", ANCHOR)}
    assert by_text == {"Friday": 1, "last week": 2, "last month": 3}


def test_offsets_point_at_the_text() -> None:
    text = "Kabul, July 8, 2021 - Officials said on Thursday."
    for t in find_timexes(text, "2021-07-08"):
        assert text[t.start:t.end] == t.text


def test_lowercase_names_except_common_words() -> None:
    found = values("on saturday the march 15 rally was banned; the march went on in june.")
    assert ("saturday", "DATE", "2021-07-03") in found
    assert ("march 15", "DATE", "2021-03-15") in found
    assert ("june", "DATE", "2021-06") in found
    assert not any(text == "march" for text, _, _ in found)


def test_clock_times() -> None:
    assert ("at 14:30", "TIME", "2021-07-04T14:30") in values("The blast came at 14:30 near the gate.") or \
        ("14:30", "TIME", "2021-07-04T14:30") in values("The blast came at 14:30 near the gate.")
    assert ("noon Thursday", "TIME", "2021-07-01T12:00") in values("They met at noon Thursday.")


def test_impossible_dates_are_skipped() -> None:
    assert values("It happened on February 31 and on 13/45/2020.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a word after the date gives its year (Indian and British usage: 'last' = its latest occurrence)
        ("A boy taken on february 19 last was found.", ("february 19 last", "DATE", "2021-02-19")),
        ("A boy taken on 19 february last was found.", ("19 february last", "DATE", "2021-02-19")),
        ("The board was formed in may last.", ("may last", "DATE", "2021-05")),
        ("The board was formed in october last.", ("october last", "DATE", "2020-10")),
        ("Guards recall the raid of december 13 last year.", ("december 13 last year", "DATE", "2020-12-13")),
        ("Guards will stay, in view of the raid on december 13 last year.",
         ("december 13 last year", "DATE", "2020-12-13")),
        ("Prices rose in March last year.", ("March last year", "DATE", "2020-03")),
        # a weekday of another week
        ("A mob came on saturday last week.", ("saturday last week", "DATE", "2021-06-26")),
        ("Troops left on Friday next week.", ("Friday next week", "DATE", "2021-07-09")),
        ("The mob came on saturday last, an officer said.", ("saturday last", "DATE", "2021-07-03")),
    ],
)
def test_year_or_week_given_after_the_date(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in values(text)


def test_a_time_word_after_last_is_its_own_expression() -> None:
    found = values("Shops shut on june 3 last week.")
    assert ("june 3", "DATE", "2021-06-03") in found


def test_days_counted_from_the_narrative_day() -> None:
    found = values("Police fired on June 21. The previous day a mob had gathered.")
    assert ("The previous day", "DATE", "2021-06-20") in found
    found = values("Police fired on June 21. The next morning the curfew was lifted. The next day shops opened.")
    assert ("The next morning", "TIME", "2021-06-22TMO") in found
    assert ("The next day", "DATE", "2021-06-23") in found
    # no day named before: the report's own day is the narrative day
    assert ("the day before", "DATE", "2021-07-03") in values("Shops had shut the day before.")


def test_last_after_a_month_day_is_its_latest_occurrence_before_the_anchor() -> None:
    # in a paper of 10 February, 'february 19 last' is a year back, not nine days ahead
    assert ("february 19 last", "DATE", "2020-02-19") in values("He was taken on february 19 last.", "2021-02-10")
