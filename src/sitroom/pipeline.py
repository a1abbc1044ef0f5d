"""The local engine: runs the stages in order over the store.

    ingest -> clean -> store -> parse (spaCy, batched) -> publication dates -> stories
           -> story dates -> mentions (geo, time, events, quotes) -> fuse -> store -> exports

Each step reads what the store holds and writes whole batches, so an interrupted run is finished by
running it again, and a run over an existing DIR only analyses what is new or changed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import time
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sitroom import events as events_stage
from sitroom import embed, geo, quotes
from sitroom import time as time_stage
from sitroom.clean import clean_article
from sitroom.engines import Engine, LocalEngine, make_engine
from sitroom.ingest import TEXT_SUFFIXES, discover, iter_inputs
from sitroom.progress import progress, step
from sitroom.records import (
    ArticleMentions,
    CleanArticle,
    InputProblem,
    PublicationDate,
    Story,
    Toponym,
)
from sitroom.store import EmbeddingCache, Store, open_store
from sitroom.store.lock import writer_lock
from sitroom.incremental.stories import group_stories
from sitroom.versions import MENTIONS_VERSION, cache_versions  # the caches' keys: versions.py

log = logging.getLogger(__name__)

BATCH = 64  # articles per store transaction and per spaCy batch


@dataclass
class RunOptions:
    out_dir: Path
    quiet: bool = False
    engine: str = "local"
    scheduler: str | None = None
    export: bool = True
    engine_obj: Engine | None = None  # an engine made by the caller (tests, bench), kept open
    workers: int | None = None  # local engine's worker processes (None: one per core)
    batch: int = BATCH  # articles per engine task (tests use small ones to exercise the pool)
    # regroup every article from scratch instead of keeping the stories of earlier runs
    recluster: bool = False
    # another run writing the same DIR: wait for it to end (else refuse at once, StoreBusy)
    wait: bool = False


@dataclass
class RunResult:
    out_dir: Path
    n_processed: int = 0  # articles read and stored (new or changed) in this run
    n_unchanged: int = 0
    n_articles: int = 0  # in the store after the run
    n_stories: int = 0
    n_events: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per step (bench, -v)
    touched: bool = True  # False: no input path exists, so out_dir was neither made nor opened
    # True: only the new articles' candidate stories were regrouped (sitroom.incremental)
    incremental: bool = False
    fusion: Any = None  # what the fuse step did (incremental.fusion.FuseSummary)

    def summary(self) -> str:
        if not self.touched:
            return (f"sitroom: nothing to read ({len(self.problems)} problem(s)); "
                    f"{self.out_dir} left as it was")
        return (f"sitroom: {self.n_processed} new or changed article(s), {self.n_unchanged} "
                f"unchanged, {len(self.problems)} problem(s); store holds {self.n_articles} "
                f"article(s) in {self.n_stories} stories, {self.n_events} events -> {self.out_dir}")


def demo_corpus() -> list[Path]:
    """The bundled demo's article files (not the README beside them, which describes them)."""
    folder = Path(str(resources.files("sitroom.data").joinpath("demo")))
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)


# spaCy's memory grows with the characters in one nlp.pipe batch (~0.7 GB per 200,000 chars
# with en_core_web_sm), so a batch of 64 long articles could take tens of GB. Batches are cut
# at this many characters as well as at BATCH articles; ordinary news (~5,000 chars) is unaffected.
MAX_BATCH_CHARS = 300_000
# After analysing this many articles the local engine's workers (~1.5 GB each) are stopped before
# the stories stage; restarting them (the fork server's model load) for the story re-analysis costs
# ~11 s of CPU, <2% of the work.
RELEASE_AFTER = 2000
# Story re-analysis goes to the engine's workers while they are up (they hold the models). When
# none are running (an incremental run analyses its few new articles in the driver), fewer
# re-reads than this run in the driver: re-reading one (its place names, ~20 ms) costs far less
# than starting the workers' fork server (~15 s of CPU to load the models).
INLINE_BELOW_COLD = 1000
# Input of at least this many bytes (~500 news articles) starts the workers' fork server before
# ingest, so that loading the models (~11 s of one core) overlaps reading the input; smaller
# input (an incremental run of a few articles) may need no workers at all.
PRESTART_BYTES = 1_000_000
# Batches at the end of the analysis cut small, per worker (see _text_batches).
TAIL_TASKS = 2


def input_bytes(paths: list[Path], enough: int = PRESTART_BYTES) -> int:
    """Bytes in the input files ingest will read (ingest.discover), counted until `enough`."""
    total = 0
    for path in discover(paths):
        if isinstance(path, InputProblem):
            continue  # ingest reports it
        try:
            total += path.stat().st_size
        except OSError:
            continue  # likewise
        if total >= enough:
            break
    return total


def _text_batches(articles: Iterable[CleanArticle], size: int = BATCH,
                  max_chars: int = MAX_BATCH_CHARS, total: int | None = None,
                  workers: int = 1) -> Iterator[list[CleanArticle]]:
    """Batches of at most `size` articles and `max_chars` characters, in input order. Given the
    `total` to come, the last TAIL_TASKS x `workers` x `size` articles go in batches of a quarter
    of `size`: a batch of 64 is ~8 s of one core, and a worker done with its last one would idle
    while another finishes a whole batch."""
    from sitroom.nlp import MAX_CHARS

    tail_from = None if total is None else total - TAIL_TASKS * max(1, workers) * size
    small = max(1, size // 4)
    batch: list[CleanArticle] = []
    chars = 0
    batch_start = 0  # position of the batch's first article in the input
    for position, article in enumerate(articles):
        n = min(len(article.text), MAX_CHARS)  # what spaCy is actually given
        limit = small if tail_from is not None and batch_start >= tail_from else size
        if batch and (len(batch) >= limit or chars + n > max_chars):
            yield batch
            batch, chars, batch_start = [], 0, position
        batch.append(article)
        chars += n
    if batch:
        yield batch


def ingest_into_store(paths: list[Path], store: Store, run_id: int, quiet: bool
                      ) -> tuple[int, int, list[InputProblem]]:
    known = store.article_hashes()
    problems: list[InputProblem] = []
    batch: list[CleanArticle] = []
    n_new = n_unchanged = 0
    for item in progress(iter_inputs(paths), "ingest", quiet):
        if isinstance(item, InputProblem):
            log.info("%s", item.message())
            problems.append(item)
            continue
        article = clean_article(item)
        if not article.text.strip():
            problems.append(InputProblem(item.source_path, "no text left after removing "
                                         "boilerplate; skipped", article_id=item.article_id))
            continue
        if known.get(article.article_id) == article.content_hash:
            n_unchanged += 1
            continue
        batch.append(article)
        n_new += 1
        if len(batch) >= BATCH:
            store.upsert_articles(batch, run_id)
            batch = []
    if batch:
        store.upsert_articles(batch, run_id)
    store.add_problems(run_id, problems)
    return n_new, n_unchanged, problems


def load_doc(data: bytes) -> Any:
    from spacy.tokens import Doc

    from sitroom.nlp import load_nlp

    return Doc(load_nlp().vocab).from_bytes(data)


def context_hash(article: CleanArticle, published: PublicationDate, members: list[str]) -> str:
    """What an article's mentions depend on besides its text: its date and its story's members
    (the story's places are the prior for resolving this article's place names)."""
    key = "|".join([MENTIONS_VERSION, article.content_hash, published.date or "", published.source,
                    ",".join(sorted(members))])
    return hashlib.sha1(key.encode()).hexdigest()


def _guarded(stage: str, article_id: str, fn: Any, *args: Any) -> list[Any]:
    """One stage on one article. Text from the web can hit a bug in any stage; that article then
    lacks that stage's mentions (logged) instead of failing the run, and every re-run with it."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - isolate the article; the log names the bug
        log.warning("%s: %s failed (%s: %s); its %s mentions are left out", article_id, stage,
                    type(exc).__name__, str(exc)[:200], stage)
        return []


def mentions_of(article: CleanArticle, doc: Any, published: PublicationDate,
                theatre: dict[str, float] | None,
                toponyms: list[Toponym] | None = None) -> ArticleMentions:
    """Everything one article says, given its parse, date and the places of its story (and its
    place names when the caller has already resolved them with that theatre)."""
    aid = article.article_id
    if toponyms is None:
        toponyms = (_guarded("geo", aid, geo.geoparse_alone, doc) if theatre is None
                    else _guarded("geo", aid, geo.geoparse, doc, theatre))
    timexes = _guarded("time", aid, time_stage.find_timexes, article.text, published.date)
    return ArticleMentions(
        article_id=aid,
        published=published,
        timexes=timexes,
        toponyms=toponyms,
        events=_guarded("events", aid, events_stage.extract_event_mentions, doc, aid, published,
                        timexes, toponyms),
        quotes=_guarded("quotes", aid, quotes.extract_quotes, doc, aid),
    )


@dataclass
class Analysed:
    article_id: str
    content_hash: str
    doc: bytes
    context: str
    mentions: ArticleMentions


@dataclass
class AnalysedBatch:
    results: list[Analysed]
    embeddings: dict[str, bytes]  # embedding cache entries for the stories stage


def embedding_texts(article: CleanArticle) -> list[str]:
    """The texts the stories stage embeds for every article: its title and lead, long and short
    (grouping). Embedding them here, beside the parse and on every worker, leaves the stories
    stage only cache reads. Sentences are embedded later, and only for the few articles whose
    lineage needs a paraphrase alignment (they were half of this stage's cost). If the stories
    stage embeds something else, these are merely cache misses there: results never depend on
    this list."""
    from sitroom.stories import similarity

    return (similarity.lead_texts([article.title], [article.text])
            + similarity.short_lead_texts([article.title], [article.text]))


def analyse_batch(articles: list[CleanArticle]) -> AnalysedBatch:
    """Per-article work, run by an engine: parse, then read mentions as if the article stood alone
    (most do; the story step redoes the few whose story or date says otherwise); and embed what
    the stories stage will embed."""
    from sitroom.nlp import parse_many

    out = []
    for article, doc in zip(articles, parse_many([a.text for a in articles], batch_size=BATCH)):
        published = time_stage.publication_date(article)
        out.append(Analysed(article.article_id, article.content_hash,
                            doc.to_bytes(exclude=["tensor", "user_data"]),
                            context_hash(article, published, [article.article_id]),
                            mentions_of(article, doc, published, None)))
    texts = [t for a in articles for t in _guarded("embed", a.article_id, embedding_texts, a)]
    return AnalysedBatch(out, embed.vectors_for_cache(texts))


@dataclass
class StoryJob:
    articles: list[CleanArticle]
    docs: dict[str, bytes]
    dates: dict[str, PublicationDate]
    theatre: dict[str, float]
    members: list[str]
    # stored mentions of this code version with the same date: if the story's theatre resolves
    # the article's place names as before, nothing else can differ and they are kept
    previous: dict[str, ArticleMentions] = field(default_factory=dict)


def reanalyse_stories(jobs: list[StoryJob]) -> list[tuple[str, str, ArticleMentions]]:
    return [row for job in jobs for row in reanalyse_story(job)]


def _job_chunks(jobs: Iterable[StoryJob], size: int = BATCH) -> Iterator[list[StoryJob]]:
    """Stories grouped into engine tasks of about `size` articles: per-story tasks would cost
    a round trip each, and a small update stays one task (run in the driver, no pool)."""
    chunk: list[StoryJob] = []
    n = 0
    for job in jobs:
        chunk.append(job)
        n += len(job.articles)
        if n >= size:
            yield chunk
            chunk, n = [], 0
    if chunk:
        yield chunk


def reanalyse_story(job: StoryJob) -> list[tuple[str, str, ArticleMentions]]:
    rows = []
    for article in job.articles:
        aid = article.article_id
        published = job.dates[aid]
        doc = load_doc(job.docs[aid])
        toponyms = _guarded("geo", aid, geo.geoparse, doc, job.theatre)
        prev = job.previous.get(aid)
        if prev is not None and prev.published == published and prev.toponyms == toponyms:
            # dates, times, events and quotes are functions of (text, date, place names): equal
            mentions = prev
        else:
            mentions = mentions_of(article, doc, published, job.theatre, toponyms)
        rows.append((aid, story_context(article, published, job.members, job.theatre), mentions))
    return rows


def analyse_new(store: Store, engine: Engine, quiet: bool, batch: int = BATCH) -> int:
    """Parse, read and embed the articles not analysed yet; returns how many. Their texts are
    read from the store as the engine takes them: held all at once they would add to this
    step's peak, the workers' (~3 GB on two cores)."""
    done = store.parsed_ids()
    todo = [aid for aid in store.article_ids() if aid not in done]
    if not todo:
        return 0
    if not engine.warm:
        step("loading models (spaCy, MiniLM, gazetteer: up to a minute)", quiet)
    step(f"analysing articles ({len(todo)})", quiet)
    bar = progress(iter(range(len(todo))), "analyse", quiet, total=len(todo))
    cache = EmbeddingCache(store)
    batches = _text_batches(store.iter_articles(todo), batch, total=len(todo),
                            workers=getattr(engine, "workers", 1))
    for done_batch in engine.map(analyse_batch, batches):
        results = done_batch.results
        store.save_analysed([(r.article_id, r.content_hash, r.doc, r.mentions.published)
                             for r in results],
                            [(r.article_id, r.context, r.mentions) for r in results])
        cache.update(done_batch.embeddings)
        for _ in results:
            next(bar, None)
    cache.flush()
    return len(todo)


# Story contexts carry the mentions version and the theatre they were read with in the clear,
# so mentions stored under any story's context are recognised as this version's, and a story
# whose theatre only drifted keeps them.
STORY_CONTEXT_PREFIX = f"story{MENTIONS_VERSION}:"
# A story's theatre drifts as members join; mentions read with shares all within this of the
# current theatre's are kept (resolution weighs a place by its share: a drift of 0.02 moves a
# candidate's score by at most 0.04 of the theatre weight).
THEATRE_DRIFT = 0.02


def story_theatre(members: Iterable[str], own: dict[str, dict[str, float]]) -> dict[str, float]:
    """A story's places as shares of its members' place names, rounded to 0.01 (shares below
    0.005 dropped): geoparse reads a theatre only as shares, so the rounded one resolves as the
    exact one does."""
    counts: dict[str, float] = {}
    for aid in members:
        for country, weight in own.get(aid, {}).items():
            counts[country] = counts.get(country, 0.0) + weight
    total = sum(counts.values())
    shares = {k: round(v / total, 2) for k, v in sorted(counts.items())} if total else {}
    return {k: v for k, v in shares.items() if v > 0}


def story_context(article: CleanArticle, published: PublicationDate, members: list[str],
                  theatre: dict[str, float]) -> str:
    """What an article's mentions depend on besides its text: its date and, in a story of
    several, the story's rounded theatre (the prior for resolving its place names), which the
    context carries after a "|". An article alone keeps the context analyse_batch gave it."""
    if len(members) == 1:
        return context_hash(article, published, members)
    key = "|".join([article.content_hash, published.date or "", published.source])
    return (STORY_CONTEXT_PREFIX + hashlib.sha1(key.encode()).hexdigest() + "|"
            + json.dumps(theatre, sort_keys=True, separators=(",", ":")))


def read_as_now(stored: str | None, wanted: str) -> bool:
    """Whether mentions stored under context `stored` stand for those of context `wanted`: the
    same, or both story contexts of the same text and date whose theatres differ by at most
    THEATRE_DRIFT in every share."""
    if stored == wanted:
        return True
    if not stored or not stored.startswith(STORY_CONTEXT_PREFIX):
        return False
    head, _, old = stored.partition("|")
    want_head, _, now = wanted.partition("|")
    if head != want_head or not now:
        return False
    try:
        before, after = json.loads(old), json.loads(now)
    except ValueError:
        return False
    return all(abs(before.get(k, 0.0) - after.get(k, 0.0)) <= THEATRE_DRIFT + 1e-9
               for k in set(before) | set(after))


def update_story_mentions(store: Store, stories_: list[Story], dates: dict[str, PublicationDate],
                          engine: Engine, quiet: bool, complete: bool = True) -> None:
    """Redo the mentions of articles whose story's places or whose date changed what they mean.

    Texts, parses (~50 KB each) and stored mentions are read per story as the engine takes the
    work, so memory does not grow with the number of stale articles; deciding which are stale
    needs only each article's content hash (articles read without their texts). stories_:
    every story (complete) or those an update regrouped (only their members are read)."""
    members = None if complete else [aid for s in stories_ for aid in s.article_ids]
    by_id = {a.article_id: a for a in store.iter_articles(members, texts=False)}
    stored = store.mention_contexts()
    own_theatre = {m.article_id: geo.theatre_of(m.toponyms) for m in
                   (store.iter_mentions() if members is None
                    else store.mentions_for(members).values())}
    todo: list[tuple[Story, list[str], dict[str, float]]] = []
    for story in stories_:
        # an article alone is read with its own places as its theatre, as analyse_batch does
        theatre = (story_theatre(story.article_ids, own_theatre) if len(story.article_ids) > 1
                   else own_theatre.get(story.article_ids[0], {}))
        stale = [aid for aid in story.article_ids
                 if not read_as_now(stored.get(aid), story_context(
                     by_id[aid], dates[aid], story.article_ids, theatre))]
        if stale:
            todo.append((story, stale, theatre))
    if not todo:
        return

    def reusable(aid: str, m: ArticleMentions) -> bool:
        # only mentions written by this code version (read alone, or in any story) with the
        # same date may be kept
        if m.published != dates[aid]:
            return False
        context = stored.get(aid, "")
        return (context.startswith(STORY_CONTEXT_PREFIX)
                or context == context_hash(by_id[aid], m.published, [aid]))

    def jobs() -> Iterator[StoryJob]:
        # A story's stale members go in slices of at most BATCH: each member is read on its own
        # (in the light of the story's members and theatre), and at 100,000 articles one story
        # held 19,000 of them, whose texts and parses in one task took 2 GB in the driver.
        for story, stale_all, theatre in todo:
            for k in range(0, len(stale_all), BATCH):
                stale = stale_all[k:k + BATCH]
                previous = {a: m for a, m in store.mentions_for(stale).items() if reusable(a, m)}
                yield StoryJob(list(store.iter_articles(stale)), dict(store.iter_docs(stale)),
                               {a: dates[a] for a in stale}, theatre, story.article_ids, previous)

    total = sum(len(stale) for _, stale, _ in todo)
    bar = progress(iter(range(total)), "stories' mentions", quiet, total=total)
    runner: Engine = engine if engine.warm or total >= INLINE_BELOW_COLD else LocalEngine()
    for rows in runner.map(reanalyse_stories, _job_chunks(jobs())):
        store.save_mentions(rows)
        for _ in rows:
            next(bar, None)


def fuse_and_store(store: Store, stories_: list[Story], fresh: set[str] | frozenset[str] = frozenset(),
                   run_id: int | None = None, complete: bool = True) -> Any:
    """Fuse the mentions of new or changed articles, and what they touch, into events, quotes,
    contradictions, control and the change log (sitroom.incremental.fusion); returns what it
    did (FuseSummary)."""
    from sitroom.incremental.fusion import fuse_update

    return fuse_update(store, stories_, fresh, run_id, complete)


def _return_free_memory() -> None:
    """The stories step leaves much of the driver's heap free (texts, features), which glibc
    keeps; the workers story_mentions may start would sit beside it (-120 MB of the driver's
    PSS at 3,000 articles)."""
    from sitroom.engines import return_free_heap

    gc.collect()
    return_free_heap()


@contextmanager
def _step(result: RunResult, name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        result.seconds[name] = result.seconds.get(name, 0.0) + time.perf_counter() - start
        log.debug("step %s: %.2f s", name, result.seconds[name])


def run(paths: list[Path], options: RunOptions) -> RunResult:
    """One run into options.out_dir; the only writer of that store while it lasts (a second
    run raises StoreBusy, or waits with options.wait)."""
    paths = paths or demo_corpus()
    if not any(p.exists() for p in paths):  # a mistyped path makes no folder and no store
        return RunResult(out_dir=options.out_dir, touched=False,
                         problems=[p for p in discover(paths) if isinstance(p, InputProblem)])
    with writer_lock(options.out_dir, wait=options.wait):
        return _run(paths, options)


def run_unlocked(paths: list[Path], options: RunOptions) -> RunResult:
    """run() for a caller that holds the store's writer lock itself (`sitroom watch`)."""
    return _run(paths, options)


def _run(paths: list[Path], options: RunOptions) -> RunResult:
    out = options.out_dir
    store = open_store(out)
    result = RunResult(out_dir=out)
    run_id = store.begin_run([str(p) for p in paths])
    engine = options.engine_obj or make_engine(options.engine, options.scheduler, options.workers)
    status = "failed"
    try:
        if input_bytes(paths) >= PRESTART_BYTES:
            engine.prestart()
        step("reading input", options.quiet)
        with _step(result, "ingest"):
            result.n_processed, result.n_unchanged, result.problems = ingest_into_store(
                paths, store, run_id, options.quiet)
        result.n_articles = store.count_articles()
        if not result.n_articles:
            status = "empty"
            return result
        # articles new or edited since the last run (their parse is gone or never was), and
        # those an interrupted run analysed but did not put in a story
        fresh = (set(store.article_ids()) - store.parsed_ids()) | store.ids_without_story()
        with _step(result, "analyse"):
            n_analysed = analyse_new(store, engine, options.quiet, options.batch)
        if n_analysed >= RELEASE_AFTER:
            engine.release()  # the workers' memory goes back before the driver clusters
        step("grouping stories", options.quiet)
        with _step(result, "stories"):
            # lineage on the workers while they are up (they hold the embedding model)
            grouped = group_stories(store, fresh, options.recluster,
                                    engine.map if engine.warm else None)
        stories_, dates, complete = grouped.stories, grouped.dates, grouped.complete
        result.incremental = not complete
        result.n_stories = store.count_stories()
        # The later steps read texts from the store a story or an article at a time: every
        # text held from here on would only add to the driver's peak.
        del grouped
        _return_free_memory()
        with _step(result, "story_mentions"):
            update_story_mentions(store, stories_, dates, engine, options.quiet, complete)
        if options.engine_obj is None:
            # fusion and export need no workers nor their fork server: that memory (~1.3 GB on
            # two cores) goes back now rather than when the run ends (an engine the caller made
            # stays theirs)
            engine.close()
        step("fusing events", options.quiet)
        with _step(result, "fuse"):
            result.fusion = fuse_and_store(store, stories_, fresh, run_id, complete)
            result.n_events = result.fusion.n_events
        if options.export:
            from sitroom.export import export_all

            step("writing outputs", options.quiet)
            with _step(result, "export"):
                export_all(store, out)
        store.set_meta(cache_versions())
        status = "done"
        return result
    finally:
        store.finish_run(run_id, status, result.n_processed, len(result.problems))
        store.close()
        if options.engine_obj is None:
            engine.close()
