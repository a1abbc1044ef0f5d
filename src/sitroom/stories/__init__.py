"""Stories stage: near-duplicates, spun copies, lineage and same-event clustering.

Interface used by the pipeline:
- build_stories(articles, published) -> list[Story], every article in exactly one story.
- group_articles(articles, published) -> index groups (what `sitroom eval cluster` scores).
- near_duplicate_candidates(texts) -> MinHash LSH pairs (what `sitroom bench` times alone).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from sitroom.records import CleanArticle, LineageLink, PublicationDate, Story
from sitroom.stories.cluster import (
    TOPIC_THRESHOLD,
    average_link,
    cluster_views,
    date_conflicts,
    similarity_matrix,
)
from sitroom.stories.features import ArticleFeatures, article_features
from sitroom.stories.minhash import near_duplicate_candidates, near_duplicate_sets
from sitroom.stories.pairs import (
    FALLBACK_CUT,
    PairContext,
    load_pair_model,
    same_event_matrix,
)
from sitroom.stories.similarity import (
    SimilarityWeights,
    article_views,
    lead_texts,
    short_lead_texts,
)

__all__ = ["build_stories", "copy_sets", "group_articles", "near_duplicate_candidates", "story_id_for"]

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
EVENT_WEIGHTS = SimilarityWeights(words=0.25, names=0.5, meaning=0.25)  # fallback without a model


def pair_context(articles: Sequence[CleanArticle], features: Sequence[ArticleFeatures],
                 embeddings: np.ndarray | None = None,
                 short_embeddings: np.ndarray | None = None) -> PairContext:
    from sitroom.embed import embed

    titles = [a.title for a in articles]
    texts = [a.text for a in articles]
    short = short_lead_texts(titles, texts)
    if embeddings is None:
        embeddings = embed(lead_texts(titles, texts))
    if short_embeddings is None:
        short_embeddings = embed(short)
    return PairContext(titles, texts, features, [article_features(t) for t in short],
                       embeddings, short_embeddings)


def copy_sets(texts: Sequence[str]) -> list[list[int]]:
    """Indices joined by MinHash near-duplicate pairs (copies of one text), each set in input
    order, sets ordered by their first member."""
    sets = near_duplicate_sets(texts, DUPLICATE_JACCARD)
    out: dict[int, list[int]] = {}
    for i in range(len(texts)):
        out.setdefault(sets.find(i), []).append(i)
    return list(out.values())


def group_articles(
    articles: Sequence[CleanArticle],
    published: dict[str, PublicationDate] | None = None,
    features: Sequence[ArticleFeatures] | None = None,
    topic_threshold: float = TOPIC_THRESHOLD,
    model: dict | None = None,
    context: PairContext | None = None,
    only: AbstractSet[int] | None = None,
) -> list[list[int]]:
    """Indices of `articles` grouped into stories (same real-world event or episode).

    Copies (MinHash near-duplicates) always share a story, so each set of copies is grouped as
    one article, its first. Grouping the copies one by one and joining their groups afterwards
    chained unrelated reports: average link is free to put two copies of one text in different
    groups (each beside some other near-identical report), and joining those groups merged
    everything they held; on the bench corpus grown with perturbed copies one "story" took a
    third of the corpus. Grouping each text once also makes the pair model's work grow with
    the distinct texts, not with the copies.

    only: when given, a topic with none of these indices is returned whole, unsplit (the pair
    model is the costly part; an incremental run needs it only where its new articles are).
    """
    if not articles:
        return []
    copies = copy_sets([a.text for a in articles])
    firsts = [members[0] for members in copies]
    groups = _group_distinct(
        [articles[i] for i in firsts], published,
        None if features is None else [features[i] for i in firsts], topic_threshold, model,
        None if context is None else context.subset(firsts),
        None if only is None else {k for k, members in enumerate(copies)
                                   if not only.isdisjoint(members)})
    return sorted((sorted(i for k in group for i in copies[k]) for group in groups),
                  key=lambda g: g[0])


def _group_distinct(
    articles: Sequence[CleanArticle],
    published: dict[str, PublicationDate] | None,
    features: Sequence[ArticleFeatures] | None,
    topic_threshold: float,
    model: dict | None,
    context: PairContext | None,
    only: AbstractSet[int] | None,
) -> list[list[int]]:
    """group_articles over texts that are not copies of each other.

    Two levels: a loose cut on the combined similarity gathers articles on one topic; inside each
    topic the pair model (stories/pairs.py) gives the probability that two reports tell of the
    same event, from global and topic-local views (IDF refitted on the topic, embeddings centred
    on it, names of the title and lead), and average link cuts at the model's cut. Two district
    captures in one week share "Taliban", "district", "captured" but not the district's name or
    the officials quoted. Articles with dates more than a week apart are never put together.
    """
    if features is None:
        features = [article_features(a.text) for a in articles]
    if context is None:
        context = pair_context(articles, features)
    if model is None:
        model = load_pair_model()
    titles = [a.title for a in articles]
    texts = [a.text for a in articles]
    dates = [_article_date(a, published) for a in articles]
    views = article_views(titles, texts, features, TOPIC_WEIGHTS, context.emb)
    groups: list[list[int]] = []
    for topic in cluster_views(views, dates, topic_threshold, only):
        if len(topic) < 2 or (only is not None and only.isdisjoint(topic)):
            groups.append(topic)
            continue
        topic_dates = [dates[i] for i in topic]
        if model is None:
            local = article_views([titles[i] for i in topic], [texts[i] for i in topic],
                                  [features[i] for i in topic], EVENT_WEIGHTS, context.emb[topic])
            sim, cut = similarity_matrix(local, topic_dates), FALLBACK_CUT
        else:
            sim, cut = same_event_matrix(context, topic, model), float(model["cut"])
            sim[date_conflicts(topic_dates)] = 0.0
        labels = average_link(sim, cut)
        for lab in np.unique(labels):
            groups.append([topic[i] for i in np.flatnonzero(labels == lab)])
    return groups


# Stories up to this size get one lineage over all members. Lineage is quadratic in a story
# (shingle overlaps, candidate parents), so a larger one is read by story_lineage in copy sets.
LINEAGE_WHOLE = 300


# A story as story_lineage reads it: its articles, their features and dates.
StoryRead = tuple[list[CleanArticle], list[ArticleFeatures], list[date | None]]


def _lineage_parts(articles: Sequence[CleanArticle], features: Sequence[ArticleFeatures],
                   dates: Sequence[date | None]) -> list[list[int]]:
    """The member positions story_lineage reads with one build_lineage each, in order: the
    whole story, or each copy set and then the sets' origins (an origin is first in its set's
    lineage order, so the parts are known before any is read)."""
    from sitroom.stories.lineage import lineage_order

    if len(articles) <= LINEAGE_WHOLE:
        return [list(range(len(articles)))]
    sets = copy_sets([a.text for a in articles])
    if len(sets) == 1:
        return [list(range(len(articles)))]
    heads = [members[lineage_order([articles[i] for i in members], [features[i] for i in members],
                                   [dates[i] for i in members])[0]]
             for members in sets]
    return [*sets, heads]


def story_lineage(articles: Sequence[CleanArticle], features: Sequence[ArticleFeatures],
                  dates: Sequence[date | None]) -> list[LineageLink]:
    """build_lineage, bounded for large stories: those are read as their copy sets (copy_sets),
    each set's lineage on its own and the sets' origins against each other, so the cost is the
    sum of the squares of the parts (a story has at most MAX_TOPIC distinct texts) instead of
    the square of the story: one story of the bench corpus grown to 100,000 would hold some
    20,000 copies of 260 texts. A copy then names a source in its own set, as it almost always
    would anyway (copies are each other's closest texts)."""
    from sitroom.stories.lineage import build_lineage

    links: dict[str, LineageLink] = {}
    # the origins' part comes last, so its links (the sets' origins against each other) win
    for members in _lineage_parts(articles, features, dates):
        part = build_lineage([articles[i] for i in members], [features[i] for i in members],
                             [dates[i] for i in members])
        links.update((link.article_id, link) for link in part)
    return [links[a.article_id] for a in articles]


def story_alignment_sentences(articles: Sequence[CleanArticle],
                              features: Sequence[ArticleFeatures],
                              dates: Sequence[date | None]) -> list[str]:
    """The sentences story_lineage will embed (see lineage.alignment_sentences)."""
    from sitroom.stories.lineage import alignment_sentences

    return [s for members in _lineage_parts(articles, features, dates)
            for s in alignment_sentences([articles[i] for i in members],
                                         [features[i] for i in members],
                                         [dates[i] for i in members])]


def embed_alignment_sentences(stories: Sequence[StoryRead]) -> None:
    """Embed, in one call, the sentences the lineage of these stories needs and the cache in
    use lacks; story_lineage then reads them from the cache. Sorted by length across stories,
    the encoder pads less and runs fuller batches than story by story."""
    from sitroom import embed

    texts = list(dict.fromkeys(s for parts in stories for s in story_alignment_sentences(*parts)))
    if texts:
        embed.embed(texts)


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def lineage_key(articles: Sequence[CleanArticle], dates: Sequence[date | None]) -> str:
    """What a story's lineage is a function of: its members' texts and dates (in member order),
    and the lineage code and paraphrase model that read them."""
    from sitroom.stories.lineage import LINEAGE_VERSION
    from sitroom.stories.paraphrase import model_fingerprint

    parts = [LINEAGE_VERSION, model_fingerprint()]
    parts += [f"{a.article_id}:{_text_hash(a.text)}:{d.isoformat() if d else ''}"
              for a, d in zip(articles, dates)]
    return hashlib.sha1("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def kept_stories(article_ids: Sequence[str], previous: Sequence[Sequence[str]],
                 fresh: AbstractSet[str]) -> list[list[int]]:
    """Earlier stories (as positions in article_ids) whose members are all still there and
    none of them new or edited."""
    index = {aid: i for i, aid in enumerate(article_ids)}
    return [[index[m] for m in members] for members in previous
            if members and all(m in index and m not in fresh for m in members)]


def keep_previous_stories(groups: list[list[int]], article_ids: Sequence[str],
                          previous: Sequence[Sequence[str]], fresh: AbstractSet[str]
                          ) -> list[list[int]]:
    """Groups for an incremental run: stories of an earlier run stay as they were, and each
    new article joins the story the full clustering puts it with.

    The pair model reads each topic in its own light (IDF and mean meaning of the topic), so ten
    new articles could regroup a hundred old stories: their ids, events and lineage would churn
    although nothing new was said about them. An earlier story is kept when all its members are
    still there unchanged (none in `fresh`, the articles new or edited in this run). A new
    article goes to the kept story with most members in its full-clustering group, or, with
    none, stays with the other new articles of that group.
    """
    return _attach_to_kept(groups, kept_stories(article_ids, previous, fresh))


def _attach_to_kept(groups: list[list[int]], kept: list[list[int]]) -> list[list[int]]:
    """keep_previous_stories with the kept stories already found (they are not changed)."""
    kept = [list(members) for members in kept]
    story_of = {i: s for s, members in enumerate(kept) for i in members}
    others: list[list[int]] = []
    for group in groups:
        votes = Counter(story_of[i] for i in group if i in story_of)
        loose = [i for i in group if i not in story_of]
        if not loose:
            continue
        if votes:
            kept[min(votes, key=lambda s: (-votes[s], s))].extend(loose)
        else:
            others.append(loose)
    return sorted((sorted(g) for g in kept + others), key=lambda g: g[0])


@dataclass
class LineageJob:
    """One story whose lineage is to be read, with the embedding-cache entries its members
    already have (a worker away from the store reads those instead of embedding again)."""

    articles: list[CleanArticle]
    features: list[ArticleFeatures]
    dates: list[date | None]
    vectors: dict[str, bytes] = field(default_factory=dict)


def lineage_of_stories(jobs: list[LineageJob]
                       ) -> tuple[list[list[LineageLink]], dict[str, bytes]]:
    """Engine work: each job's story_lineage, and the embedding-cache entries made on the way
    (sentence vectors) for the driver to store."""
    from sitroom import embed

    outer = embed.cache_in_use()
    given: dict[str, bytes] = {}
    for job in jobs:
        given.update(job.vectors)
    cache = dict(given)
    try:
        embed.use_cache(cache)
        embed_alignment_sentences([(job.articles, job.features, job.dates) for job in jobs])
        out = [story_lineage(job.articles, job.features, job.dates) for job in jobs]
    finally:
        embed.use_cache(outer)
    return out, {k: v for k, v in cache.items() if k not in given}


def _lineage_job(articles: list[CleanArticle], features: list[ArticleFeatures],
                 dates: list[date | None]) -> LineageJob:
    from sitroom.embed import cached_entries
    from sitroom.stories.lineage import MAX_SENTENCES

    texts = lead_texts([a.title for a in articles], [a.text for a in articles])
    texts += [s for f in features for s in f.sentences[:MAX_SENTENCES]]
    return LineageJob(articles, features, dates, cached_entries(texts))


# Articles per engine task when lineage is read by an engine's workers: small stories are
# bundled (a task per story would cost a round trip each); a large story is one task.
LINEAGE_TASK_ARTICLES = 64
# Stories whose alignment sentences are embedded together when the driver reads lineage itself
# (a bound on the sentences held at once, not a tuning knob).
LINEAGE_TASK_STORIES = 64

MapFn = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]


# A story whose lineage is to be read: its articles and their dates. Their features are
# computed when the story is read (_with_features): held for every story at once they were the
# stage's largest holder after the texts (~4 MB per 1,000 articles).
StoryParts = tuple[list[CleanArticle], list[date | None]]


def _with_features(job: StoryParts) -> StoryRead:
    articles, dates = job
    return articles, [article_features(a.text) for a in articles], dates


def _lineages(jobs: list[StoryParts], map_lineage: MapFn | None) -> list[list[LineageLink]]:
    """story_lineage of every story, here or through map_lineage (an engine's map)."""
    from sitroom import embed

    if map_lineage is None:
        outer = embed.cache_in_use()
        out_here: list[list[LineageLink]] = []
        try:
            for start in range(0, len(jobs), LINEAGE_TASK_STORIES):
                chunk = [_with_features(job) for job in jobs[start : start + LINEAGE_TASK_STORIES]]
                # without a store's cache, a scratch one carries the vectors to story_lineage
                embed.use_cache(outer if outer is not None else {})
                embed_alignment_sentences(chunk)
                out_here.extend(story_lineage(*job) for job in chunk)
        finally:
            embed.use_cache(outer)
        return out_here

    # largest stories first, so that the last tasks are small and no worker idles long while
    # another reads a large story (lineage costs grow with the square of a story's size)
    order = sorted(range(len(jobs)), key=lambda k: -len(jobs[k][0]))

    def tasks() -> Iterator[list[LineageJob]]:
        # built as the engine takes them: a job carries its members' cached vectors
        task: list[LineageJob] = []
        for k in order:
            if task and sum(len(j.articles) for j in task) + len(jobs[k][0]) > LINEAGE_TASK_ARTICLES:
                yield task
                task = []
            task.append(_lineage_job(*_with_features(jobs[k])))
        if task:
            yield task

    out: list[list[LineageLink]] = [[] for _ in jobs]
    done = iter(order)
    cache = embed.cache_in_use()
    for links, made in map_lineage(lineage_of_stories, tasks()):
        for story_links in links:
            out[next(done)] = story_links
        if cache is not None:
            cache.update(made)
    return out


def story_title(members: list[CleanArticle], origin: str) -> str:
    """The story's headline: the origin's title, unless it is a dateline ("This story is from
    March 1, 2002"): then another member's real title, else the first line of the origin's text
    that is not a dateline (sitroom.titles)."""
    from sitroom.titles import headline, is_dateline

    first = next(a for a in members if a.article_id == origin)
    if first.title.strip() and not is_dateline(first.title):
        return first.title
    for a in members:
        if a.title.strip() and not is_dateline(a.title):
            return a.title
    return headline(first.title, first.text)


def build_stories(
    articles: list[CleanArticle], published: dict[str, PublicationDate] | None = None,
    previous_lineage: Mapping[str, list[LineageLink]] | None = None,
    previous_stories: Sequence[Sequence[str]] | None = None,
    fresh: AbstractSet[str] = frozenset(),
    map_lineage: MapFn | None = None,
) -> list[Story]:
    """Stories of the articles. previous_lineage (lineage_key -> links, from an earlier run)
    is reused for stories whose key is unchanged: lineage is this stage's costly part and
    most stories of an incremental run do not change. previous_stories (member ids of an
    earlier run's stories) with `fresh` (ids new or edited since) keep earlier stories stable
    (keep_previous_stories). map_lineage (an engine's map) reads the lineage of new stories
    on the engine's workers; the result is the same as without it."""
    from sitroom.stories.lineage import extend_lineage

    previous_lineage = previous_lineage or {}
    # No features of every article up front: grouping computes them for one text of each copy
    # set, lineage for one story at a time (the results are the same, features being a function
    # of the text alone; the few distinct texts are read twice, ~1 ms each).
    ids = [a.article_id for a in articles]
    kept: list[list[int]] = []
    if previous_stories:
        # only the topics holding articles outside the kept stories need splitting
        kept = kept_stories(ids, previous_stories, fresh)
        settled = {i for members in kept for i in members}
        loose = set(range(len(articles))) - settled
        groups = _attach_to_kept(group_articles(articles, published, only=loose), kept)
    else:
        groups = group_articles(articles, published)
    kept_of = {i: s for s, members in enumerate(kept) for i in members}
    lineages: list[list[LineageLink] | None] = []
    keys: list[str] = []
    jobs: dict[int, StoryParts] = {}
    for g, members in enumerate(groups):
        story_articles = [articles[i] for i in members]
        dates = [_article_date(a, published) for a in story_articles]
        key = lineage_key(story_articles, dates)
        lineage = previous_lineage.get(key)
        grown = {kept_of[i] for i in members if i in kept_of}
        if lineage is None and len(grown) == 1:
            # a kept story with new members: its links stay, the new members are linked to it
            old = kept[grown.pop()]
            earlier = previous_lineage.get(lineage_key([articles[i] for i in old],
                                                       [_article_date(articles[i], published)
                                                        for i in old]))
            if earlier:
                settled_here = set(old)
                lineage = extend_lineage(earlier, *_with_features((story_articles, dates)),
                                         {p for p, i in enumerate(members)
                                          if i not in settled_here})
        if lineage is None and len(members) == 1:
            lineage = story_lineage(*_with_features((story_articles, dates)))
        if lineage is None:
            jobs[g] = (story_articles, dates)
        lineages.append(lineage)
        keys.append(key)
    for g, lineage in zip(jobs, _lineages(list(jobs.values()), map_lineage)):
        lineages[g] = lineage
    stories: list[Story] = []
    for members, lineage, key in zip(groups, lineages, keys):
        assert lineage is not None
        story_articles = [articles[i] for i in members]
        origin = next(link.article_id for link in lineage if link.relation == "origin")
        ids = [a.article_id for a in story_articles]
        stories.append(
            Story(
                story_id=story_id_for(ids),
                title=story_title(story_articles, origin),
                article_ids=ids,
                origin_article_id=origin,
                lineage=lineage,
                lineage_key=key,
            )
        )
    return stories
