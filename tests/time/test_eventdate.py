"""Event dates with ACLED time_precision on sentences written for these tests."""

from __future__ import annotations

from sitroom.records import PublicationDate
from sitroom.time import event_date, event_date_at, find_timexes

PUB = PublicationDate("2021-07-04", "metadata")  # a Sunday


def date_of(sentence: str, pub: PublicationDate = PUB) -> tuple[str | None, int | None]:
    timexes = find_timexes(sentence, pub.date)
    return event_date(0, len(sentence), timexes, pub)


def test_day_precision() -> None:
    assert date_of("Troops crossed around 6:30 p.m. local time on Saturday.") == ("2021-07-03", 1)
    assert date_of("Militants reached the city late on June 21.") == ("2021-06-21", 1)


def test_week_precision_is_the_middle_day_not_after_the_report() -> None:
    # 28 June - 4 July; cut at the report (Sunday) it is the whole week: middle Thursday 1 July
    assert date_of("Last week the district fell.") == ("2021-06-24", 2)
    assert date_of("In the past three days, 10 districts have fallen.") == ("2021-07-03", 2)


def test_month_precision_middle_or_ends() -> None:
    assert date_of("Last month, the group took the town.") == ("2021-06-15", 3)
    assert date_of("In late June, militias were raised.") == ("2021-06-30", 3)
    assert date_of("In early June, militias were raised.") == ("2021-06-01", 3)


def test_no_expression_gives_the_publication_day() -> None:
    assert date_of("Sixty-nine fighters were killed.") == ("2021-07-04", 1)
    assert date_of("Sixty-nine fighters were killed.", PublicationDate(None, "none")) == (None, None)


def test_event_after_two_days_after() -> None:
    text = "The fall of the district comes just two days after NATO forces evacuated the air base."
    timexes = find_timexes(text, PUB.date)
    at = text.index("evacuated")
    assert event_date_at(text, at, 0, len(text), timexes, PUB) == ("2021-07-02", 1)
    assert event_date_at(text, text.index("fall"), 0, len(text), timexes, PUB) == ("2021-07-04", 1)


def test_nearest_expression_to_the_event() -> None:
    text = "The delegation visited Tehran on Wednesday and Moscow on Thursday."
    pub = PublicationDate("2021-07-08", "text")
    timexes = find_timexes(text, pub.date)
    assert event_date_at(text, text.index("Moscow"), 0, len(text), timexes, pub) == ("2021-07-08", 1)
    assert event_date_at(text, text.index("visited"), 0, len(text), timexes, pub) == ("2021-07-07", 1)


def test_spans_are_exposed_for_totals() -> None:
    from sitroom.time import period_of_timex

    text = "In the past three days, 10 districts have fallen; in recent weeks many more."
    spans = [period_of_timex(t, PUB) for t in find_timexes(text, PUB.date)]
    first = spans[0]
    assert first is not None and (first.first.isoformat(), first.last.isoformat()) == ("2021-07-02", "2021-07-04")
    assert spans[1] is None  # 'recent weeks' names no period
