"""A story is titled by a real headline: a dateline ("This story is from March 1, 2002") is a
date, not a title."""

from __future__ import annotations

import pytest

from sitroom.records import CleanArticle
from sitroom.stories import story_title
from sitroom.titles import headline, is_dateline


@pytest.mark.parametrize("line", [
    "This story is from March 1, 2002", "Updated: 10 July 2021 14:03 IST", "July 10, 2021",
    "10 July 2021", "Sept. 3, 2021", "2021-07-10", "2021-07-10T08:30:00Z", "Kabul, July 10, 2021",
    "By Staff Reporter | Mar 10, 2002, 01:23 IST", "10/07/2021"])
def test_datelines(line: str) -> None:
    assert is_dateline(line)


@pytest.mark.parametrize("line", [
    "Taliban seize Torghundi crossing on Turkmen border", "March of the Taliban reaches Kunduz",
    "Taliban kill 12 people in 2021 attacks", "Police fire on protesters in Ahmedabad",
    "2021-07-10 was the day Herat fell", "Published reports say the district fell"])
def test_headlines(line: str) -> None:
    assert not is_dateline(line)


def _article(aid: str, title: str, text: str) -> CleanArticle:
    return CleanArticle(article_id=aid, title=title, text=text, source_path=f"{aid}.txt", fmt="txt")


def test_story_title_skips_a_dateline_title() -> None:
    dated = _article("a", "This story is from March 1, 2002",
                     "March 1, 2002\nPolice open fire on mob in old city\nAHMEDABAD: Police ...")
    assert story_title([dated], "a") == "Police open fire on mob in old city"
    copy = _article("b", "Mob attacked in old city, police fire", "AHMEDABAD: ...")
    assert story_title([dated, copy], "a") == "Mob attacked in old city, police fire"
    kept = _article("c", "Taliban take Kunduz", "KUNDUZ: ...")
    assert story_title([kept, copy], "c") == "Taliban take Kunduz"


def test_headline_of_a_long_first_line_is_cut_at_a_word() -> None:
    line = "word " * 100
    got = headline("", line)
    assert got.endswith("…") and len(got) <= 121 and " wor…" not in got


def test_headline_from_text_is_its_first_sentence_without_the_place_dateline() -> None:
    assert headline("This story is from March 1, 2002",
                    "ahmedabad: police fired on a mob on friday. three died.") == \
        "Police fired on a mob on friday"
    assert headline("", "KABUL, July 10 (Reuters) - Fighters took the crossing. More.") == \
        "Fighters took the crossing"
    assert headline("", "Police opened fire: three were killed.") == \
        "Police opened fire: three were killed"  # three words before a colon: not a place
