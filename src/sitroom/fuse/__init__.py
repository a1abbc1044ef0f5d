"""Fuse stage: one event per real incident, contradictions, territorial control.

- fuse_events(mentions, stories, previous, articles) -> list[Event], ids stable against `previous`.
- find_contradictions(mentions, stories, articles) -> list[Contradiction]
- control_timeline(events) -> list[ControlRecord]
"""

from sitroom.fuse.contradictions import find_contradictions
from sitroom.fuse.control import control_timeline
from sitroom.fuse.events import fuse_events, mention_key

__all__ = ["control_timeline", "find_contradictions", "fuse_events", "mention_key"]
