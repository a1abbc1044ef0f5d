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


# ------------------------------------------------------------------ sentence_date

from sitroom.time import sentence_date  # noqa: E402

MARCH = PublicationDate("2002-03-10", "text")  # a Sunday


def told(text: str, sentence: str | None = None, trigger: str | None = None,
         pub: PublicationDate = MARCH):
    start = text.index(sentence) if sentence else 0
    end = start + len(sentence) if sentence else len(text)
    at = text.index(trigger) if trigger else None
    return sentence_date(text, start, end, find_timexes(text, pub.date), pub, at)


def test_background_sentences_get_their_own_dates_not_the_report_day() -> None:
    found = told("In March 2001, 33 soldiers were killed in the valley.")
    assert (found.date, found.precision, found.background) == ("2001-03-15", 3, True)
    for text in ("In 1993, riots killed hundreds.", "Last year the militants attacked the town.",
                 "Two years ago the road was cut.", "In the past, mobs burnt the market."):
        found = told(text)
        assert found.background and found.date is None, text
    since = told("Since May, 50 districts have fallen.")
    assert since.background  # a total over a span, not one day's event
    today = told("Police fired on a mob on Friday.")
    assert (today.date, today.precision, today.background) == ("2002-03-08", 1, False)
    month = told("Last month the group took the town.")
    assert not month.background


def test_without_text_a_background_year_gives_no_date() -> None:
    text = "In 1993, riots killed hundreds."
    assert event_date(0, len(text), find_timexes(text, MARCH.date), MARCH) == (None, None)


def test_a_yearless_date_of_an_event_is_its_last_occurrence() -> None:
    # the tagger's TimeML reading of 'june 3' in a March report is this June; an event has happened
    found = told("Rebels stormed the post on june 3 and burnt it.")
    assert found.date == "2001-06-03"
    assert told("A mob burnt shops on february 19 last.").date == "2002-02-19"
    raid = told("Guards are alert since the raid on december 13 last year.", trigger="raid")
    assert (raid.date, raid.background) == ("2001-12-13", True)


def test_narrative_counts_from_the_day_named_before() -> None:
    text = "Police fired on the mob on Thursday. Two days later, the curfew was lifted."
    found = told(text, "Two days later, the curfew was lifted.")
    assert (found.date, found.precision, found.source) == ("2002-03-09", 1, "narrative")
    week = told("Police fired on the mob on March 1. A week later the curfew was lifted.",
                "A week later the curfew was lifted.")
    assert (week.date, week.precision) == ("2002-03-08", 2)
    # counted past the report's day: the report's day at week precision
    late = told("Police fired on Friday. A week later the curfew was lifted.", "A week later the curfew was lifted.")
    assert (late.date, late.precision) == ("2002-03-10", 2)
    before = told("Police fired on the mob on Thursday. The previous day, a mob had burnt a bus.",
                  "The previous day, a mob had burnt a bus.")
    assert before.date == "2002-03-06"


def test_an_undated_sentence_takes_its_paragraphs_day() -> None:
    text = "Police arrested two men on Sunday. The arrests followed a raid.\n\nA mob burnt a bus."
    follow = told(text, "The arrests followed a raid.")
    assert (follow.date, follow.source) == ("2002-03-10", "paragraph")
    text = "Police arrested two men on Friday. The arrests followed a raid.\n\nA mob burnt a bus."
    assert told(text, "The arrests followed a raid.").date == "2002-03-08"
    other = told(text, "A mob burnt a bus.")  # another paragraph: the report's day
    assert (other.date, other.source) == ("2002-03-10", "report")
    after_history = told("In 1993 riots broke out. A mob burnt a bus.", "A mob burnt a bus.")
    assert after_history.source == "report"


def test_page_furniture_is_no_event_date() -> None:
    cite = told('"Rebels take town". Daily News. 22 June 2021. Retrieved 12 September 2021.')
    assert cite.furniture and cite.date is None
    page = told("Published 12 May 2021 Updated 13 May 2021")
    assert page.furniture and page.date is None
    text = ("Updated 13 May 2021: fighters seized the border crossing near the river on Wednesday, "
            "officials in the province said.")
    long = told(text, trigger="seized")
    assert (long.furniture, long.date) == (False, "2002-03-06")


def test_weekday_resolution_and_precision() -> None:
    assert told("On saturday last week a mob attacked his home.").date == "2002-03-02"
    assert told("Police fired in the air till early sunday.").date == "2002-03-10"
    assert told("Troops were deployed late on March 7.").date == "2002-03-07"
    assert told("Clashes went on overnight.").date == "2002-03-10"
    month = told("Earlier this month, a mob burnt shops.")
    assert (month.date, month.precision) == ("2002-03-05", 3)
    week = told("Earlier this week, a mob burnt shops.", pub=PublicationDate("2002-03-07", "text"))
    assert week.precision == 2 and week.date <= "2002-03-07"
