"""Fatality policy, in one place: how the figures of a sentence, an article and several sources
become one event's fatalities (ACLED Codebook, fatalities: the most conservative figure is coded;
vague words by the rules in data/events/numbers.json, applied in numbers.py).

- One count per role per mention: the figures a mention gathers (its clause, a following sentence
  that goes on about it, an act folded into it) may restate one toll ("58 were killed ... the 58
  dead"), so the mention keeps the largest, never their sum; the largest upper bound is its range.
- One figure per source: an article that gives a toll and then an update ("rose from 58 to 62")
  gives its lowest figure, and its highest as the top of the range.
- Across sources the lowest is coded and the highest is kept as fatalities_max.
- Tallies over several days or places are aggregate mentions (modality.aggregate_phrase) and
  never reach an event.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitroom.events.numbers import Quantity
from sitroom.records import EventMention


def mention_count(quantities: Iterable[Quantity]) -> tuple[int | None, int | None]:
    """(fatalities, fatalities_max) of one mention from the figures it gathered for a role."""
    qs = list(quantities)
    if not qs:
        return None, None
    low = max(q.low for q in qs)
    highs = [q.high for q in qs if q.high is not None]
    high = max(highs + [low]) if highs else None
    return low, high


def event_count(mentions: Iterable[EventMention], source_of: dict[str, str]) -> tuple[int | None, int | None]:
    """Per source the figure it gives (its lowest, its highest as the range); ACLED keeps the lowest."""
    per_source: dict[str, int] = {}
    per_source_max: dict[str, int] = {}
    for m in mentions:
        if m.fatalities is None:
            continue
        source = source_of.get(m.article_id, m.article_id)
        per_source[source] = min(per_source.get(source, m.fatalities), m.fatalities)
        high = m.fatalities_max if m.fatalities_max is not None else m.fatalities
        per_source_max[source] = max(per_source_max.get(source, high), high)
    if not per_source:
        return None, None
    return min(per_source.values()), max(per_source_max.values())
