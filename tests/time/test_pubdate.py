"""Publication dates from metadata, text and story, on articles written for these tests."""

from __future__ import annotations

from sitroom.records import CleanArticle, PublicationDate, Story
from sitroom.time import fill_story_dates, publication_date


def article(aid: str, text: str, published: str | None = None) -> CleanArticle:
    return CleanArticle(aid, "", text, f"{aid}.txt", "txt", published=published)


def test_metadata_first() -> None:
    pd = publication_date(article("a", "On July 8, 2021, soldiers patrolled.", published="2021-07-09"))
    assert (pd.date, pd.source) == ("2021-07-09", "metadata")


def test_full_date_in_a_caption() -> None:
    pd = publication_date(article("a", "Photo: On July 8, 2021, soldiers patrolled.\n\nTaliban seized a crossing on Thursday."))
    assert (pd.date, pd.source) == ("2021-07-08", "text")


def test_future_full_date_is_not_the_publication_date() -> None:
    pd = publication_date(article("a", "On March 3, 2020, talks opened. Elections will be held on May 9, 2021."))
    assert pd.date == "2020-03-03"


def test_yearless_dates_are_kept_as_constraints_and_solved_in_the_story() -> None:
    wire = article("w", "KUNDUZ: Rebels seized the crossing on Tuesday, an official said. A 2019 deal stalled.")
    report = article("r", "The envoy said on June 22 that fifty districts had fallen. Rebels took the town on June 21.")
    other = article("o", "Nothing here carries a date.")
    dates = {a.article_id: publication_date(a) for a in (wire, report, other)}
    assert all(d.date is None for d in dates.values())
    assert dates["w"].evidence.startswith("partial:")
    story = Story("s1", "crossing", ["w", "r", "o"], "r")
    filled = fill_story_dates(dates, [story])
    # June 22 falls on a Tuesday in 2021, the first such year after 2019
    assert {a: (d.date, d.source) for a, d in filled.items()} == {
        "w": ("2021-06-22", "story"), "r": ("2021-06-22", "story"), "o": ("2021-06-22", "story")}


def test_copies_share_the_dated_article_of_their_story() -> None:
    dates = {"a": PublicationDate("2021-07-08", "text"), "b": PublicationDate(None, "none")}
    filled = fill_story_dates(dates, [Story("s", "", ["a", "b"], "a")])
    assert (filled["b"].date, filled["b"].source) == ("2021-07-08", "story")
    assert filled["a"].source == "text"


def test_weekday_and_last_month_take_the_year_from_the_collection() -> None:
    text = ("Officials said in a statement on Sunday that soldiers crossed on Saturday. "
            "In late June, militias were raised. Last month the group took a town.")
    dates = {"x": publication_date(article("x", text)), "y": PublicationDate("2021-07-08", "metadata")}
    assert dates["x"].date is None
    filled = fill_story_dates(dates, [Story("s1", "", ["x"], "x"), Story("s2", "", ["y"], "y")])
    # the first Sunday after late June, in the collection's year
    assert (filled["x"].date, filled["x"].source) == ("2021-07-04", "story")
    # alone, a weekday in July recurs every year: left undated rather than guessed
    alone = fill_story_dates({"x": dates["x"]}, [Story("s1", "", ["x"], "x")])
    assert alone["x"].date is None


def test_a_full_date_of_history_does_not_date_the_report() -> None:
    text = ("Far down the page of a long report about the province and its many districts, " * 6
            + "The old commander was killed on September 9, 2001, by two men. His son led the party in 2011.")
    assert publication_date(article("a", text)).date is None


def test_lowercase_scraped_text() -> None:
    pd = publication_date(article("a", "this story is from march 10, 2002\n\nlucknow: on saturday the police said."))
    assert (pd.date, pd.source) == ("2002-03-10", "text")


def test_dateline_without_year_takes_the_collection_year() -> None:
    wire = article("w", "KABUL, July 8 (Reuters) - Fighters seized a town. A 2020 deal stalled.")
    dates = {"w": publication_date(wire), "d": PublicationDate("2021-06-22", "metadata")}
    assert dates["w"].date is None
    filled = fill_story_dates(dates, [Story("s1", "", ["w"], "w"), Story("s2", "", ["d"], "d")])
    assert filled["w"].date == "2021-07-08"


def test_numeric_dates() -> None:
    pd = publication_date(article("a", "Posted 2021-07-08T10:00:00Z\n\nFighters seized a town."))
    assert pd.date == "2021-07-08"


def test_a_history_date_near_the_top_is_not_the_page_date() -> None:
    # the top of a page, but not a dateline: the date of what the sentence tells
    text = ("patna: the bridge, whose old span fell on june 6, 1994, was reopened, the engineer said "
            "on thursday.")
    assert publication_date(article("a", text)).date is None
    # a month-day inside the lead is no dateline either
    lead = article("b", "patna: if the riots answer the train attack of february 27, why now? he said on friday.")
    assert "monthdays" not in publication_date(lead).evidence


def test_a_full_date_beside_a_reporting_verb_must_fit_its_weekday() -> None:
    text = "Far down the page. " * 30 + "The bridge fell on June 6, 1994, he said on Thursday."
    assert publication_date(article("a", text)).date is None  # 6 June 1994 was a Monday
    fitting = "Far down the page. " * 30 + "He said on Thursday, June 9, 1994, that the bridge fell."
    assert publication_date(article("b", fitting)).date == "1994-06-09"


def test_page_furniture_dates_the_page_but_citations_do_not() -> None:
    page = article("p", "Fighters took the town.\n\nPublished 12 May 2021\nUpdated 13 May 2021\n")
    assert publication_date(page).date == "2021-05-13"
    cited = article("c", "Fighters took the town in 2020.\n\n\"Town falls\". Daily News. Retrieved 12 September 2023.")
    assert publication_date(cited).date != "2023-09-12"


def _collection(n: int, day: str) -> dict[str, PublicationDate]:
    return {f"d{i}": PublicationDate(day, "text", "full date in the text") for i in range(n)}


def test_an_outlier_year_of_the_collection_names_no_year_for_others() -> None:
    # twenty pages of 2002 and one dated by the history it tells (1992): an undated page that says
    # 'said on saturday' and names 27 February takes no year from the outlier
    dates = _collection(20, "2002-03-04")
    dates["h"] = publication_date(article("h", "Far down the page. " * 30 + "The mosque fell on december 6, 1992."))
    assert dates["h"].date == "1992-12-06"
    dates["u"] = publication_date(article("u", "The officer said on february 27, a saturday: 'Quiet.' He said on saturday."))
    stories = [Story(f"s{a}", "", [a], a) for a in dates]
    filled = fill_story_dates(dates, stories)
    assert filled["h"].date is None  # in none of the collection's years: history, not the page's date
    assert not (filled["u"].date or "").startswith("1993")


def test_a_story_date_is_not_given_to_a_member_whose_text_tells_another_day() -> None:
    dates = {"a": PublicationDate("2002-03-10", "text"),
             "b": publication_date(article("b", "The minister said on february 27 that calm returned."))}
    filled = fill_story_dates(dates, [Story("s", "", ["a", "b"], "a")])
    assert filled["b"].date != "2002-03-10"


def test_members_far_apart_give_no_story_date() -> None:
    dates = {"a": PublicationDate("2002-03-10", "text"), "b": PublicationDate("1993-02-27", "text"),
             "c": PublicationDate(None, "none", "no date in metadata or text")}
    filled = fill_story_dates(dates, [Story("s", "", ["a", "b", "c"], "b")])
    assert filled["c"].date is None


def test_a_later_report_of_a_story_is_dated_on_the_weekday_it_tells() -> None:
    # the story's first report is of Saturday 2 March; a member that says 'said on tuesday' came later
    dates = {"a": PublicationDate("2002-03-02", "text"),
             "b": publication_date(article("b", "The governor said on tuesday that the order stood."))}
    filled = fill_story_dates(dates, [Story("s", "", ["a", "b"], "a")])
    assert (filled["b"].date, filled["b"].source) == ("2002-03-05", "story")


def test_days_a_reporting_sentence_tells_of_are_not_the_report_day() -> None:
    for text in ("The leader said on tuesday march 15 was a bad date for the rally.",
                 "Police said curfew had been extended till march 18 next.",
                 "He said the rally on march 15 would go on."):
        assert "monthdays" not in publication_date(article("a", text)).evidence, text
    assert "monthdays=06-22" in publication_date(article("b", "The envoy said on June 22 that towns fell.")).evidence


def test_no_day_far_from_every_dated_article_is_guessed() -> None:
    # 6 December recurs on a Thursday in 2001, three months before any dated page of the collection
    dates = _collection(20, "2002-03-04")
    dates["u"] = publication_date(article("u", "Officials said on thursday the site was razed. "
                                                "They said on december 6 it fell."))
    filled = fill_story_dates(dates, [Story(f"s{a}", "", [a], a) for a in dates])
    assert filled["u"].date is None
