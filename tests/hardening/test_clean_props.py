"""Property tests for clean: any text gives a CleanArticle; a line of ordinary prose is never lost;
furniture goes; cleaning what was cleaned changes nothing."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from sitroom.clean import clean_article, clean_text, load_rules
from sitroom.records import RawArticle
from tests.hardening.props import PROPERTY

# Words that no boilerplate, caption, credit or blurb rule looks at: sentences made of them are
# story text by any reading.
PROSE_WORDS = ["fighters", "attacked", "a", "checkpoint", "near", "the", "village", "on", "monday",
               "officials", "said", "two", "soldiers", "were", "wounded", "in", "clashes", "police",
               "residents", "fled", "toward", "river", "after", "shelling", "overnight", "army",
               "district", "governor", "announced", "curfew", "market", "road", "closed", "three",
               "civilians", "killed", "according", "to", "local", "hospital", "staff", "convoy"]

PROSE_LINE = st.lists(st.sampled_from(PROSE_WORDS), min_size=13, max_size=30).map(
    lambda ws: (" ".join(ws)).capitalize() + ".")

FURNITURE = ["Share this article", "Advertisement", "[ad_1]", "Source link", "Leave a Reply",
             "Related Articles", "Photo: AFP", "Read more: the full story", "Tags: war, politics",
             "Follow us on Twitter", "Back to top", "2/5", "Copyright 2021 Example Media",
             "With reporting by AFP", "All rights reserved."]

JUNK_LINE = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"),
                    max_size=60)


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


@PROPERTY
@given(st.text(max_size=3000), st.one_of(st.none(), st.text(max_size=200)))
@example("\n" * 5000, None)
@example("\r\r\n\u2028\u2029\x85\x0b\x0c", "")
@example("a" + " " * 3000 + "b", None)
@example("\ud800 lone surrogate", "\udc00")
@example("Ã©tÃ© Ã  Kaboul", None)
def test_any_text_gives_a_clean_article(text: str, title: str | None) -> None:
    raw = RawArticle("a1", text, "x.txt", "txt", title=title)
    cleaned = clean_article(raw)
    assert cleaned.article_id == "a1"
    assert re.fullmatch(r"[0-9a-f]{64}", cleaned.content_hash)
    assert "\r" not in cleaned.text
    assert cleaned.text == cleaned.text.strip()
    assert "\n\n\n" not in cleaned.text
    assert cleaned.words >= 0


@PROPERTY
@given(st.lists(st.one_of(PROSE_LINE, JUNK_LINE, st.sampled_from(FURNITURE)), max_size=12),
       PROSE_LINE, st.integers(min_value=0, max_value=12))
def test_a_line_of_prose_is_never_lost(others: list[str], story_line: str, at: int) -> None:
    """A sentence that matches no rule survives, whatever junk surrounds it (it is a lede-length
    sentence, so it is body text even when it comes first)."""
    lines = list(others)
    lines.insert(min(at, len(lines)), story_line)
    cleaned = clean_text("\n".join(lines), None, load_rules())
    assert story_line in _lines(cleaned.text)


@PROPERTY
@given(st.text(st.sampled_from("abcdefgh "), min_size=12, max_size=50).filter(
           lambda t: len(t.split()) >= 3),
       st.lists(st.one_of(PROSE_LINE, st.sampled_from(FURNITURE)), min_size=1, max_size=10))
def test_furniture_goes_prose_stays_and_cleaning_is_idempotent(title: str, body: list[str]) -> None:
    title = " ".join(title.split())
    raw = "\n\n".join([title, *body])
    first = clean_text(raw, None, load_rules())
    # every prose line, in order, once (a repeated sentence is dropped), and nothing else; with
    # no prose, the headline is all there is and stays the body (issue 24: no item lost)
    firsts: dict[str, str] = {}
    for ln in body:
        if ln not in FURNITURE:
            firsts.setdefault(ln.lower(), ln)
    prose = list(firsts.values()) or [title]
    assert _lines(first.text) == prose
    assert first.title == title
    again = clean_text(first.text, first.title, load_rules())
    assert again.text == first.text
    assert again.title == first.title


@PROPERTY
@given(PROSE_LINE, st.sampled_from(["\r\n", "\n", "\r", "\n\n", "\n  \t\n\n"]))
def test_line_endings_do_not_matter(line: str, sep: str) -> None:
    text = sep.join(["Headline of some length here", line, line.upper(), line.lower()])
    reference = clean_text("\n".join(["Headline of some length here", line, line.upper(),
                                      line.lower()]), None, load_rules())
    assert _lines(clean_text(text, None, load_rules()).text) == _lines(reference.text)
