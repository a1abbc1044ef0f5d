"""Time stage: publication dates, temporal expressions, event dates with ACLED time_precision.

Interface used by the pipeline:
- publication_date(article) -> PublicationDate from metadata, else the text (pubdate.py).
- fill_story_dates(dates, stories) -> dates completed from the other articles of each story and the
  collection (pubdate.py).
- find_timexes(text, anchor) -> TimeML-style temporal expressions normalised against the anchor date
  (timex.py: a rule-based tagger whose word lists live in data/time/).
- event_date(sentence_start, sentence_end, timexes, published) -> (ISO date, ACLED time_precision)
  for an event told in that sentence; event_date_at(...) does the same for an event at a given
  character offset (eventdate.py).
"""

from __future__ import annotations

from sitroom.time.eventdate import date_of_timex, event_date, event_date_at, period_of_timex
from sitroom.time.pubdate import fill_story_dates, publication_date
from sitroom.time.timex import find_timexes

__all__ = [
    "date_of_timex",
    "event_date",
    "event_date_at",
    "fill_story_dates",
    "period_of_timex",
    "find_timexes",
    "publication_date",
]
