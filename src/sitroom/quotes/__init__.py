"""Quotes stage: direct and indirect quotes with speaker, role and stance.

Interface used by the pipeline (issue 7 deepens the implementation):
- extract_quotes(doc, article_id) -> list[Quote]
- canonicalise_speakers(quotes) -> the same quotes with speaker_canonical filled across articles.
"""

from __future__ import annotations

from typing import Any

from sitroom.records import Quote


def extract_quotes(doc: Any, article_id: str) -> list[Quote]:
    return []


def canonicalise_speakers(quotes: list[Quote]) -> list[Quote]:
    for q in quotes:
        q.speaker_canonical = q.speaker_canonical or q.speaker
    return quotes
