"""The stories step of a run: every article grouped, or only the new ones with their candidates.

    new articles -> story index (MinHash bands: copies; lead vectors within the days a story
      spans: near neighbours) -> candidate stories -> those stories' members + the new articles
      regrouped and re-lineaged (stories.build_stories, earlier stories kept) -> store

Every other story stays as stored, with its lineage, dates and mentions. The full path (a
first run, --recluster, caches of another version, or an update that is most of the store)
groups every article, as one run does, and fills the index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitroom import embed, stories
from sitroom import time as time_stage
from sitroom.records import CleanArticle, PublicationDate, Story
from sitroom.stories.cluster import MAX_DAYS_APART
from sitroom.stories.index import copy_estimate, index_entries, nearest
from sitroom.stories.similarity import lead_texts
from sitroom.store import EmbeddingCache, Store
from sitroom.versions import cache_versions

log = logging.getLogger(__name__)

# An update with more new articles than this share of the store groups everything (one pass
# over all texts then costs less than the lookups, and is what one run gives).
FULL_SHARE = 0.5


@dataclass
class StoriesUpdate:
    stories: list[Story]  # every story (complete) or the regrouped ones
    dates: dict[str, PublicationDate]  # publication dates of their members
    complete: bool
    candidates: int = 0  # stored stories regrouped with the new articles
    read: list[str] = field(default_factory=list)  # articles whose texts were read


def _day(pd: PublicationDate | None, article: CleanArticle) -> date | None:
    value = (pd.date if pd else None) or article.published
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _dates(store: Store, articles: list[CleanArticle]) -> dict[str, PublicationDate]:
    own = store.own_dates_of([a.article_id for a in articles])
    return {a.article_id: own.get(a.article_id) or time_stage.publication_date(a)
            for a in articles}


def _entries(articles: list[CleanArticle], dates: dict[str, PublicationDate]
             ) -> tuple[list[Any], Any]:
    """The index entries of these articles, and their lead vectors."""
    from sitroom.stories import DUPLICATE_JACCARD

    leads = embed.embed(lead_texts([a.title for a in articles], [a.text for a in articles]))
    return index_entries([a.article_id for a in articles], [a.content_hash for a in articles],
                         [a.text for a in articles],
                         [_day(dates.get(a.article_id), a) for a in articles], leads,
                         DUPLICATE_JACCARD), leads


def incremental_ok(store: Store, fresh: set[str], recluster: bool) -> bool:
    """Whether this run may regroup only its new articles' candidates (and none at all when
    there are none): the store's caches are of this code's versions and complete, and the run
    before this one finished (an interrupted one may have regrouped stories it did not fuse)."""
    if recluster or not store.count_stories() or store.previous_run_status() != "done":
        return False
    if any(store.meta(k) != v for k, v in cache_versions().items()):
        return False
    total = store.count_articles()
    if len(fresh) > FULL_SHARE * total:
        return False
    indexed = store.story_index_hashes()
    hashes = store.article_hashes()
    return all(indexed.get(a) == h for a, h in hashes.items() if a not in fresh)


def group_stories(store: Store, fresh: set[str], recluster: bool,
                  map_lineage: Callable[..., Iterable[Any]] | None) -> StoriesUpdate:
    cache = EmbeddingCache(store)
    embed.use_cache(cache)
    try:
        if incremental_ok(store, fresh, recluster):
            if not fresh:  # nothing new: every story stays, nothing to fuse again
                return StoriesUpdate([], {}, complete=False)
            return _update(store, fresh, map_lineage)
        return _full(store, fresh, recluster, map_lineage)
    finally:
        embed.use_cache(None)
        cache.flush()


def _full(store: Store, fresh: set[str], recluster: bool,
          map_lineage: Callable[..., Iterable[Any]] | None) -> StoriesUpdate:
    # every text, for grouping and lineage
    articles = store.articles()
    own = store.own_dates()
    dates = {a.article_id: own.get(a.article_id) or time_stage.publication_date(a)
             for a in articles}
    previous = store.stories()
    stories_ = stories.build_stories(
        articles, dates,
        previous_lineage={s.lineage_key: s.lineage for s in previous if s.lineage_key},
        previous_stories=[] if recluster else [s.article_ids for s in previous],
        fresh=fresh, map_lineage=map_lineage)
    dates = time_stage.fill_story_dates(dates, stories_)
    store.save_stories(stories_, dates)
    indexed = store.story_index_hashes()
    missing = [a for a in articles if indexed.get(a.article_id) != a.content_hash]
    for start in range(0, len(missing), 512):
        store.save_story_index(_entries(missing[start:start + 512], dates)[0])
    return StoriesUpdate(stories_, dates, complete=True,
                         read=[a.article_id for a in articles])


def candidate_articles(store: Store, new: list[CleanArticle],
                       dates: dict[str, PublicationDate]) -> tuple[set[str], list[Any]]:
    """Stored articles a new one may be grouped with: its copies (a shared LSH band and a
    signature estimate at the copy threshold) and its nearest leads within MAX_DAYS_APART."""
    from sitroom.stories import DUPLICATE_JACCARD

    entries, leads = _entries(new, dates)
    found: set[str] = set()
    windows: dict[int | None, tuple[list[str], Any]] = {}
    for entry, lead in zip(entries, leads):
        for aid, signature in store.band_matches(entry.bands).items():
            if copy_estimate(entry.signature, signature) >= DUPLICATE_JACCARD:
                found.add(aid)
        if entry.day not in windows:
            windows[entry.day] = store.leads_near(entry.day, MAX_DAYS_APART)
        ids, matrix = windows[entry.day]
        found.update(ids[i] for i in nearest(lead, matrix))
    return found, entries


def _update(store: Store, fresh: set[str], map_lineage: Callable[..., Iterable[Any]] | None
            ) -> StoriesUpdate:
    new = list(store.iter_articles(sorted(fresh)))
    new_dates = _dates(store, new)
    found, entries = candidate_articles(store, new, new_dates)
    candidate_ids = store.story_ids_of(found - fresh)
    # an edited article's old story is regrouped too (it may leave it)
    candidate_ids |= store.story_ids_of(fresh)
    previous = store.stories_by_ids(candidate_ids)
    members = sorted({a for s in previous for a in s.article_ids} | fresh)
    articles = list(store.iter_articles(members))
    dates = _dates(store, articles)
    regrouped = stories.build_stories(
        articles, dates,
        previous_lineage={s.lineage_key: s.lineage for s in previous if s.lineage_key},
        previous_stories=[s.article_ids for s in previous], fresh=fresh,
        map_lineage=map_lineage)
    dates = time_stage.fill_story_dates(dates, regrouped)
    store.replace_stories([s.story_id for s in previous], regrouped, dates)
    store.save_story_index(entries)
    log.info("stories: %d new article(s) regrouped with %d stored story(ies) (%d articles)",
             len(fresh), len(previous), len(articles))
    return StoriesUpdate(regrouped, dates, complete=False, candidates=len(previous),
                         read=members)
