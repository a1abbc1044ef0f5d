"""ACLED codes to types: the sub-event type record a CASE/ACLED code stands for.

The coding rules themselves (which code a frame and its participants give) are data:
data/events/frames.toml, read by sitroom.events.frames."""

from __future__ import annotations

from sitroom.events.taxonomy import SubEventType, taxonomy


def sub_type(code: str) -> SubEventType:
    return taxonomy()[code]
