"""Fuse stage: one event per real incident, contradictions, territorial control.

- fuse_events(mentions, stories, previous, articles) -> list[Event], ids stable against `previous`.
- find_contradictions(mentions, stories, articles) -> list[Contradiction]; contradictions_of(
  (article, mentions) pairs, stories) the same over pairs read one at a time
- control_timeline(events) -> list[ControlRecord]
"""

from sitroom.fuse.contradictions import contradictions_of, find_contradictions
from sitroom.fuse.control import control_timeline
from sitroom.fuse.events import fuse_events, mention_key

__all__ = ["contradictions_of", "control_timeline", "find_contradictions", "fuse_events",
           "mention_key"]
