"""Acceptance on the five seed articles (skipped when ../shared is absent).

Stories are built here from seeds_gold.json, as the stories stage would group them; the time stage
itself knows nothing about these articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.records import CleanArticle, Story
from sitroom.time import event_date_at, fill_story_dates, find_timexes, publication_date

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not SEEDS.exists(), reason="../shared seeds not present")]

ACCEPTED = {"000": {"2021-06-22", "2021-06-23"}, "001": {"2021-06-22", "2021-06-23"},
            "003": {"2021-06-22", "2021-06-23"}, "002": {"2021-07-08", "2021-07-09"},
            "004": {"2021-07-04"}}

# (article prefix, words of the event's sentence at the trigger, gold date, gold precision)
EVENTS = [
    ("003", "captured Shir Khan dry port", "2021-06-22", 1),
    ("003", "crossed into Tajikistan under attack", "2021-06-22", 1),
    ("003", "overran the Imam Sahib", "2021-06-21", 1),
    ("003", "reached the outskirts of Mazar", "2021-06-21", 1),
    ("003", "have been recaptured", "2021-06-22", 1),
    ("002", "seized control of a key area", "2021-07-08", 1),
    ("002", "occupied five areas of Herat", "2021-07-08", 1),
    ("002", "attacked by the Taliban on Wednesday", "2021-07-07", 1),
    ("002", "69 Taliban fighters were killed", "2021-07-08", 1),
    ("004", "crossed around 6:30", "2021-07-03", 1),
    ("004", "10 districts have fallen", "2021-07-03", 2),
    ("004", "captured a key area", "2021-07-04", 1),
    ("004", "evacuated their main Bagram", "2021-07-02", 1),
    ("000", "had occupied the main border crossing", "2021-06-22", 1),
]


@pytest.fixture(scope="module")
def seeds() -> tuple[dict[str, CleanArticle], dict]:
    articles = {}
    for path in sorted(SEEDS.glob("*.txt")):
        articles[path.stem] = CleanArticle(path.stem, "", path.read_text(encoding="utf-8"), str(path), "txt")
    dates = {aid: publication_date(a) for aid, a in articles.items()}
    gold = json.loads((SHARED / "corpus" / "seeds_gold.json").read_text(encoding="utf-8"))
    stories = [Story(f"s{i}", s["story"], s["articles"], s["articles"][0])
               for i, s in enumerate(gold["stories"])]
    return articles, fill_story_dates(dates, stories)


def test_every_seed_is_dated(seeds) -> None:
    _, dates = seeds
    for aid, pd in dates.items():
        assert pd.date in ACCEPTED[aid[:3]], (aid, pd)
    assert dates[next(a for a in dates if a.startswith("002"))].source == "text"


def _sentence_bounds(text: str, at: int) -> tuple[int, int]:
    """The sentence around a position, as the pipeline's spaCy parse splits it."""
    from sitroom.nlp import load_nlp

    paragraph_start = text.rfind("\n", 0, at) + 1
    paragraph_end = text.find("\n", at)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    for sent in load_nlp()(text[paragraph_start:paragraph_end]).sents:
        if sent.start_char <= at - paragraph_start < sent.end_char:
            return paragraph_start + sent.start_char, paragraph_start + sent.end_char
    return paragraph_start, paragraph_end


@pytest.mark.parametrize(("prefix", "words", "gold_date", "gold_precision"), EVENTS)
def test_gold_event_dates(seeds, prefix: str, words: str, gold_date: str, gold_precision: int) -> None:
    articles, dates = seeds
    aid = next(a for a in articles if a.startswith(prefix))
    text = articles[aid].text
    at = text.index(words)
    start, end = _sentence_bounds(text, at)
    timexes = find_timexes(text, dates[aid].date)
    assert event_date_at(text, at, start, end, timexes, dates[aid]) == (gold_date, gold_precision)
