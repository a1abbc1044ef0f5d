"""Readers of the store (what `sitroom serve` does: read-only connections, one read transaction per
request) while a writer replaces the results: no errors, and never a partial set of rows."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitroom.store import open_store
from tests.hardening.corpus import write_corpus

SIZES = (0, 150, 400)  # fused-set sizes the writer alternates between

WRITER = r"""
import sys
from pathlib import Path
from sitroom.records import Event, Quote
from sitroom.store import open_store

out, rounds, sizes = Path(sys.argv[1]), int(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")]
store = open_store(out)
for r in range(rounds):
    n = sizes[r % len(sizes)]
    tag = f"round {r}"
    events = [Event(event_id=f"EV{r}-{i}", event_date="2021-07-01", time_precision=1,
                    event_type="Battles", sub_event_type="Armed clash", trace=tag,
                    article_ids=[f"a{i}"], sources=["x"], evidence=["e"], mention_keys=[f"k{i}"])
              for i in range(n)]
    quotes = [Quote(quote_id=f"Q{r}-{i}", article_id=f"a{i}", speaker=tag, text="q")
              for i in range(n)]
    store.save_results(events, quotes, [], [])
    print(r, n, flush=True)
store.close()
"""


def _read_snapshot(out: Path) -> tuple[list[dict], list[dict]]:
    """What one API request sees: a fresh read-only connection and one read transaction."""
    store = open_store(out, readonly=True)
    try:
        store.db.execute("BEGIN")
        events = store.rows("SELECT * FROM events")
        quotes = store.rows("SELECT * FROM quotes")
        store.db.execute("COMMIT")
        return events, quotes
    finally:
        store.close()


def test_fused_tables_are_swapped_in_one_transaction(tmp_path: Path,
                                                     sitroom_env: dict[str, str]) -> None:
    out = tmp_path / "out"
    open_store(out).close()  # schema in place before the first reader
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(out), "60",
                               ",".join(map(str, SIZES))], env=sitroom_env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen_sizes: set[int] = set()
    snapshots = 0
    try:
        while writer.poll() is None:
            events, quotes = _read_snapshot(out)
            snapshots += 1
            assert len(events) in SIZES
            seen_sizes.add(len(events))
            # One snapshot holds exactly one round of the writer, in every table.
            tags = {e["trace"] for e in events} | {q["speaker"] for q in quotes}
            assert len(events) == len(quotes)
            assert len(tags) <= 1, tags
            # A reader outside any explicit transaction sees one whole set per statement too.
            store = open_store(out, readonly=True)
            try:
                rows = store.rows("SELECT * FROM events")
            finally:
                store.close()
            assert len(rows) in SIZES and len({r["trace"] for r in rows}) <= 1
    finally:
        stdout, stderr = writer.communicate(timeout=120)
    assert writer.returncode == 0, stderr[-2000:]
    assert stdout.count("\n") == 60
    assert snapshots >= 5
    assert len(seen_sizes) >= 2, "the readers never overlapped the writer"


def _n_articles(out: Path) -> int:
    store = open_store(out, readonly=True)
    try:
        return store.count_articles()
    finally:
        store.close()


@pytest.mark.slow
def test_readers_during_a_sitroom_run_see_whole_snapshots(
        tmp_path: Path, gen_corpus: Path, reference_run: Path, sitroom_env: dict[str, str]) -> None:
    """`sitroom run` adds articles to a DIR that readers are reading: every read succeeds and sees
    the stories and events of either the run before or the run after, never a mixture."""
    out = tmp_path / "out"
    shutil.copytree(reference_run, out)
    extra = tmp_path / "extra"
    write_corpus(extra, 10, seed=11, start=1000)

    def counts() -> tuple[int, int, int]:
        store = open_store(out, readonly=True)
        try:
            store.db.execute("BEGIN")
            n = tuple(len(store.rows(f"SELECT * FROM {t}"))  # noqa: S608
                      for t in ("events", "stories", "quotes"))
            store.db.execute("COMMIT")
            return n  # type: ignore[return-value]
        finally:
            store.close()

    before = counts()
    articles_before = _n_articles(out)
    errors: list[BaseException] = []
    observed: list[tuple[int, int, int]] = []
    orphans: list[str] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                store = open_store(out, readonly=True)
                try:
                    store.db.execute("BEGIN")
                    events = store.rows("SELECT * FROM events")
                    stories = store.rows("SELECT * FROM stories")
                    quotes = store.rows("SELECT * FROM quotes")
                    assigned = store.rows("SELECT article_id, story_id FROM articles "
                                          "WHERE story_id IS NOT NULL")
                    store.db.execute("COMMIT")
                finally:
                    store.close()
                observed.append((len(events), len(stories), len(quotes)))
                story_ids = {s["story_id"] for s in stories}
                orphans.extend(a["article_id"] for a in assigned if a["story_id"] not in story_ids)
            except BaseException as exc:  # noqa: BLE001 - any failure of a reader is the finding
                errors.append(exc)
                return
            time.sleep(0.05)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "sitroom", "run", str(gen_corpus), str(extra),
                               "--out", str(out), "-q"],
                              env=sitroom_env, capture_output=True, text=True, timeout=300)
    finally:
        done.set()
        for t in threads:
            t.join(timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = counts()
    assert not errors, errors[:3]
    assert len(observed) >= 5
    assert _n_articles(out) == articles_before + 10  # the run did write while it was read
    for n_events, n_stories, n_quotes in observed:
        # Stories are replaced in one transaction, events and quotes together in another.
        assert n_stories in (before[1], after[1]), (n_stories, before, after)
        assert (n_events, n_quotes) in ((before[0], before[2]), (after[0], after[2])), \
            (n_events, n_quotes, before, after)
    assert not orphans, orphans[:5]
