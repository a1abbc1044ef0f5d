"""Events stage: ACLED-typed event mentions with actors, numbers and modality.

Interface used by the pipeline:
- extract_event_mentions(doc, article_id, published, timexes, toponyms) -> list[EventMention]

Modules: triggers (lexicon on the parse), acled (codebook rules), actors, numbers, modality,
extract (the sentence and article rules), classify (trained sub-type classifier for snippets),
taxonomy (data loading).
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
    from sitroom.events.extract import extract

    return extract(doc, article_id, published, timexes, toponyms)
