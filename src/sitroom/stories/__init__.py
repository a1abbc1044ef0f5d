"""Stories stage: near-duplicates, spun copies, lineage and same-event clustering.

Interface used by the pipeline (issue 3 deepens the implementation):
- build_stories(articles, published) -> list[Story], every article in exactly one story.
"""

from __future__ import annotations

import hashlib

from sitroom.records import CleanArticle, LineageLink, PublicationDate, Story


def story_id_for(article_ids: list[str]) -> str:
    """Stable id from the story's origin article (ids survive new copies joining)."""
    return "S" + hashlib.sha1(min(article_ids).encode()).hexdigest()[:10]


def build_stories(
    articles: list[CleanArticle], published: dict[str, PublicationDate] | None = None
) -> list[Story]:
    # Until clustering lands every article is a story of its own: a true, if coarse, answer.
    return [
        Story(
            story_id=story_id_for([a.article_id]),
            title=a.title,
            article_ids=[a.article_id],
            origin_article_id=a.article_id,
            lineage=[LineageLink(a.article_id, None, "origin", 1.0)],
        )
        for a in articles
    ]
