"""Time stage: publication dates, temporal expressions, event dates with ACLED time_precision.

Interface used by the pipeline:
- publication_date(article) -> PublicationDate from metadata, else the text (pubdate.py).
- fill_story_dates(dates, stories) -> dates completed from the other articles of each story and the
  collection (pubdate.py).
- find_timexes(text, anchor) -> TimeML-style temporal expressions normalised against the anchor date
  (timex.py: a rule-based tagger whose word lists live in data/time/).
- sentence_date(text, start, end, timexes, published, event_at=None) -> SentenceDate: the date and
  ACLED time_precision of the event told in text[start:end] (the trigger at event_at), whether the
  sentence is background (tells of a period well before the report), whether it is page furniture
  or a citation, and what the date rests on (eventdate.py).
- event_date(start, end, timexes, published, text=None, event_at=None) -> (ISO date, precision):
  sentence_date's date; event_date_at(text, event_at, start, end, timexes, published) the same.
- furniture_kind(text, start) -> "publication" | "citation" | "": whether a date at that offset is
  a page's own date or a cited source's ('Published ...', 'Retrieved ...'): never an event's.
"""

from __future__ import annotations

from sitroom.time.eventdate import (
    SentenceDate,
    date_of_timex,
    event_date,
    event_date_at,
    past_reading,
    period_of_timex,
    sentence_date,
)
from sitroom.time.pubdate import fill_story_dates, furniture_kind, publication_date
from sitroom.time.timex import find_timexes

__all__ = [
    "SentenceDate",
    "date_of_timex",
    "event_date",
    "event_date_at",
    "fill_story_dates",
    "find_timexes",
    "furniture_kind",
    "past_reading",
    "period_of_timex",
    "publication_date",
    "sentence_date",
]
