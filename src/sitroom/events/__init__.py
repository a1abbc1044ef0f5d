"""Events stage: ACLED-typed event mentions with actors, numbers and modality.

Interface used by the pipeline (issue 6 deepens the implementation):
- extract_event_mentions(doc, article_id, published, timexes, toponyms) -> list[EventMention]
"""

from __future__ import annotations

from typing import Any

from sitroom.records import EventMention, PublicationDate, TimeExpr, Toponym


def extract_event_mentions(
    doc: Any,
    article_id: str,
    published: PublicationDate,
    timexes: list[TimeExpr],
    toponyms: list[Toponym],
) -> list[EventMention]:
    return []
