"""Time stage: publication dates, temporal expressions, event dates with ACLED time_precision.

Interface used by the pipeline (issue 5 deepens the implementation):
- publication_date(article) -> PublicationDate from metadata, else the text.
- fill_story_dates(dates, stories) -> dates completed from the other articles of each story.
- find_timexes(text, anchor) -> temporal expressions normalised against the anchor date.
- event_date(sentence_start, sentence_end, timexes, published) -> (ISO date, time_precision).
"""

from __future__ import annotations

from sitroom.records import CleanArticle, PublicationDate, Story, TimeExpr


def publication_date(article: CleanArticle) -> PublicationDate:
    if article.published:
        return PublicationDate(article.published, "metadata")
    return PublicationDate(None, "none")


def fill_story_dates(
    dates: dict[str, PublicationDate], stories: list[Story]
) -> dict[str, PublicationDate]:
    return dict(dates)


def find_timexes(text: str, anchor: str | None) -> list[TimeExpr]:
    return []


def event_date(
    sentence_start: int, sentence_end: int, timexes: list[TimeExpr], published: PublicationDate
) -> tuple[str | None, int | None]:
    if published.date:
        return published.date, 1
    return None, None
