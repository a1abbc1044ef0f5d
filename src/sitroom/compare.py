"""Two stores compared with their ids aside: do updates give what one run gives?

What `sitroom bench --stream` and the update tests report: stories as sets of members, events as
every field but their id and timestamp, and the share of events that agree in type, date,
province and actors (the issue's 98% criterion), matched as multisets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sitroom.records import Event
from sitroom.store import open_store

ID_FIELDS = ("event_id", "timestamp")


def event_fields(e: Event) -> tuple[Any, ...]:
    return tuple(sorted((k, repr(v)) for k, v in asdict(e).items() if k not in ID_FIELDS))


def event_core(e: Event) -> tuple[Any, ...]:
    return (e.event_type, e.sub_event_type, e.event_date, e.admin1, e.actor1, e.actor2)


@dataclass
class Agreement:
    stories_a: int
    stories_b: int
    stories_same: int  # member sets in both
    events_a: int
    events_b: int
    events_same: int  # identical in every field but id and timestamp
    events_core_same: int  # same type, sub-type, date, admin1 and actors

    @property
    def identical(self) -> bool:
        return (self.stories_same == self.stories_a == self.stories_b
                and self.events_same == self.events_a == self.events_b)

    @property
    def core_agreement(self) -> float:
        """Matched events over the larger of the two counts (1.0 when both have none)."""
        larger = max(self.events_a, self.events_b)
        return self.events_core_same / larger if larger else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "identical": self.identical,
                "core_agreement": round(self.core_agreement, 4)}


def _matched(a: list[Any], b: list[Any]) -> int:
    return sum((Counter(a) & Counter(b)).values())


def compare_stores(dir_a: Path, dir_b: Path) -> Agreement:
    sa, sb = open_store(Path(dir_a), readonly=True), open_store(Path(dir_b), readonly=True)
    try:
        stories_a = [frozenset(s.article_ids) for s in sa.stories()]
        stories_b = [frozenset(s.article_ids) for s in sb.stories()]
        events_a, events_b = sa.events(), sb.events()
    finally:
        sa.close()
        sb.close()
    return Agreement(len(stories_a), len(stories_b), _matched(stories_a, stories_b),
                     len(events_a), len(events_b),
                     _matched([event_fields(e) for e in events_a], [event_fields(e) for e in events_b]),
                     _matched([event_core(e) for e in events_a], [event_core(e) for e in events_b]))
