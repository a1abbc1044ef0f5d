"""Stories stage: near-duplicates, spun copies, lineage and same-event clustering.

Interface used by the pipeline:
- build_stories(articles, published) -> list[Story], every article in exactly one story.
- group_articles(articles, published) -> index groups (what `sitroom eval cluster` scores).
- near_duplicate_candidates(texts) -> MinHash LSH pairs (what `sitroom bench` times alone).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

import numpy as np

from sitroom.records import CleanArticle, PublicationDate, Story
from sitroom.stories.cluster import (
    ATTACH_THRESHOLD,
    EVENT_THRESHOLD,
    TOPIC_THRESHOLD,
    attach_singletons,
    average_link,
    event_threshold_for,
    cluster_views,
    similarity_matrix,
)
from sitroom.stories.features import ArticleFeatures, article_features
from sitroom.stories.minhash import near_duplicate_candidates
from sitroom.stories.similarity import SimilarityWeights, article_views, lead_texts
from sitroom.unionfind import UnionFind

__all__ = ["build_stories", "group_articles", "near_duplicate_candidates", "story_id_for"]

DUPLICATE_JACCARD = 0.5  # MinHash estimate above which two texts are copies: always one story


def story_id_for(article_ids: list[str]) -> str:
    """Stable id from the story's smallest member id (ids survive new copies joining)."""
    return "S" + hashlib.sha1(min(article_ids).encode()).hexdigest()[:10]


def _article_date(
    article: CleanArticle, published: dict[str, PublicationDate] | None
) -> date | None:
    value = None
    if published and article.article_id in published:
        value = published[article.article_id].date
    value = value or article.published
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


TOPIC_WEIGHTS = SimilarityWeights(words=0.34, names=0.33, meaning=0.33)
EVENT_WEIGHTS = SimilarityWeights(words=0.25, names=0.5, meaning=0.25)


def group_articles(
    articles: Sequence[CleanArticle],
    published: dict[str, PublicationDate] | None = None,
    features: Sequence[ArticleFeatures] | None = None,
    embeddings: np.ndarray | None = None,
    topic_threshold: float = TOPIC_THRESHOLD,
    event_threshold: float = EVENT_THRESHOLD,
    attach_threshold: float = ATTACH_THRESHOLD,
) -> list[list[int]]:
    """Indices of `articles` grouped into stories (same real-world event or episode).

    Two levels: a loose cut gathers articles on one topic; inside each topic the IDF is refitted
    on that topic's articles alone, so the words every report of the topic shares weigh little
    and the names, places and numbers of each event decide (two district captures in one week
    share "Taliban", "district", "captured" but not the district's name or the officials quoted).
    Articles with dates more than a week apart are never put together.
    """
    if not articles:
        return []
    if features is None:
        features = [article_features(a.text) for a in articles]
    titles = [a.title for a in articles]
    texts = [a.text for a in articles]
    if embeddings is None:
        from sitroom.embed import embed

        embeddings = embed(lead_texts(titles, texts))
    dates = [_article_date(a, published) for a in articles]
    views = article_views(titles, texts, features, TOPIC_WEIGHTS, embeddings)
    groups: list[list[int]] = []
    for topic in cluster_views(views, dates, topic_threshold):
        if len(topic) < 3:
            groups.append(topic)
            continue
        local = article_views([titles[i] for i in topic], [texts[i] for i in topic],
                              [features[i] for i in topic], EVENT_WEIGHTS, embeddings[topic])
        sim = similarity_matrix(local, [dates[i] for i in topic])
        words = [len(titles[i].split()) + len(texts[i].split()) for i in topic]
        cut = event_threshold_for(words, event_threshold)
        labels = attach_singletons(sim, average_link(sim, cut), attach_threshold, words)
        for lab in np.unique(labels):
            groups.append([topic[i] for i in np.flatnonzero(labels == lab)])
    return _merge_near_duplicates(groups, texts)


def _merge_near_duplicates(groups: list[list[int]], texts: Sequence[str]) -> list[list[int]]:
    """Copies found by MinHash always share a story, whatever the clustering said."""
    label = {i: g for g, members in enumerate(groups) for i in members}
    sets = UnionFind(len(groups))
    for i, j, _ in near_duplicate_candidates(texts, DUPLICATE_JACCARD):
        sets.union(label[i], label[j])
    merged: dict[int, list[int]] = {}
    for g, members in enumerate(groups):
        merged.setdefault(sets.find(g), []).extend(members)
    return sorted((sorted(m) for m in merged.values()), key=lambda m: m[0])


def build_stories(
    articles: list[CleanArticle], published: dict[str, PublicationDate] | None = None
) -> list[Story]:
    from sitroom.stories.lineage import build_lineage

    features = [article_features(a.text) for a in articles]
    groups = group_articles(articles, published, features=features)
    stories: list[Story] = []
    for members in groups:
        story_articles = [articles[i] for i in members]
        story_features = [features[i] for i in members]
        dates = [_article_date(a, published) for a in story_articles]
        lineage = build_lineage(story_articles, story_features, dates)
        origin = next(link.article_id for link in lineage if link.relation == "origin")
        ids = [a.article_id for a in story_articles]
        stories.append(
            Story(
                story_id=story_id_for(ids),
                title=next(a.title for a in story_articles if a.article_id == origin),
                article_ids=ids,
                origin_article_id=origin,
                lineage=lineage,
            )
        )
    return stories
