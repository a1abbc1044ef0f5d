"""Fuse stage: one event per real incident, contradictions, territorial control.

Interface used by the pipeline (issue 7 deepens the implementation):
- fuse_events(mentions, stories, previous) -> list[Event] with ids stable against `previous`.
- find_contradictions(mentions, stories) -> list[Contradiction]
- control_timeline(events) -> list[ControlRecord]
"""

from __future__ import annotations

from sitroom.records import ArticleMentions, Contradiction, ControlRecord, Event, Story


def fuse_events(
    mentions: list[ArticleMentions], stories: list[Story], previous: list[Event]
) -> list[Event]:
    return []


def find_contradictions(mentions: list[ArticleMentions], stories: list[Story]) -> list[Contradiction]:
    return []


def control_timeline(events: list[Event]) -> list[ControlRecord]:
    return []
