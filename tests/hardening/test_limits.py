"""Limits: very long articles, very many files, deep HTML and huge JSONL lines are bounded in memory
and time. Each workload runs in a child process that reports its own peak RSS (VmHWM: the peak of
the process image, which unlike getrusage's ru_maxrss does not inherit the forking parent's)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitroom.ingest import MAX_ARTICLE_CHARS, MAX_JSONL_LINE_BYTES, MAX_TEXT_BYTES, ingest
from sitroom.records import CleanArticle

# The child reads every input with ingest, cleans every article, and prints counts as JSON.
CHILD = r"""
import json, sys, time
from pathlib import Path
from sitroom.clean import clean_article
from sitroom.ingest import iter_inputs
from sitroom.records import RawArticle
import trafilatura, ftfy  # loaded before the clock starts, as in a run
t0 = time.perf_counter()
n_articles = n_problems = max_chars = 0
for item in iter_inputs([Path(p) for p in sys.argv[1:]]):
    if isinstance(item, RawArticle):
        cleaned = clean_article(item)
        n_articles += 1
        max_chars = max(max_chars, len(cleaned.text))
    else:
        n_problems += 1
seconds = time.perf_counter() - t0
peak_mb = None
try:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            peak_mb = int(line.split()[1]) / 1024
except OSError:
    import resource
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"articles": n_articles, "problems": n_problems, "max_chars": max_chars,
                  "seconds": seconds, "peak_mb": peak_mb}))
"""


def run_child(paths: list[Path], env: dict[str, str], timeout: float = 300) -> tuple[dict, float]:
    """Counts printed by the child, and its peak RSS in MB."""
    done = subprocess.run([sys.executable, "-c", CHILD, *map(str, paths)], env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    return counts, counts["peak_mb"]


@pytest.fixture(scope="module")
def baseline_rss(tmp_path_factory: pytest.TempPathFactory, sitroom_env: dict[str, str]) -> float:
    """Peak RSS of the same child over one small article: imports and models, no data."""
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "a.txt").write_text("Headline\n\nFighters attacked a checkpoint.\n")
    counts, rss = run_child([folder], sitroom_env)
    assert counts["articles"] == 1
    return rss


def prose(n_chars: int) -> str:
    line = "Fighters attacked a checkpoint near the village on Monday, officials said. "
    paragraphs = []
    total = 0
    i = 0
    while total < n_chars:
        paragraph = f"{i} " + line * (1 + i % 7)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
        i += 1
    return "Headline of a very long article\n\n" + "\n\n".join(paragraphs)


@pytest.mark.slow
def test_very_long_article_is_cut_and_bounded(tmp_path: Path, sitroom_env: dict[str, str],
                                              baseline_rss: float) -> None:
    text = prose(MAX_TEXT_BYTES - 100_000)  # just under the file limit: read, then cut
    (tmp_path / "long.txt").write_text(text)
    counts, rss = run_child([tmp_path / "long.txt"], sitroom_env)
    assert counts["articles"] == 1
    assert counts["max_chars"] <= MAX_ARTICLE_CHARS
    assert rss - baseline_rss < 250, (rss, baseline_rss)  # ~5 MB in, a few copies of 1M chars
    assert counts["seconds"] < 60


def test_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: no disk or time spent writing it
        fh.truncate(MAX_TEXT_BYTES + 1)
    start = time.perf_counter()
    result = ingest([big])
    assert time.perf_counter() - start < 1
    assert result.articles == [] and "too large" in result.problems[0].problem


def test_huge_jsonl_line_is_skipped_and_bounded(tmp_path: Path, sitroom_env: dict[str, str],
                                                baseline_rss: float) -> None:
    feed = tmp_path / "feed.jsonl"
    huge = json.dumps({"id": "huge", "text": "x" * (8 * MAX_JSONL_LINE_BYTES)})
    good = json.dumps({"id": "good", "text": "Fighters attacked a checkpoint near the village."})
    feed.write_text("\n".join([good.replace("good", "first"), huge, good]) + "\n")
    counts, rss = run_child([feed], sitroom_env)
    assert counts["articles"] == 2 and counts["problems"] == 1
    # The oversized line (40 MB) is read one limit's worth at a time and dropped, never held whole:
    # the cost is a few buffers of the limit's size (measured: +20 MB), whatever the line's length.
    assert rss - baseline_rss < 5 * MAX_JSONL_LINE_BYTES / 2**20, (rss, baseline_rss)
    problems = ingest([feed]).problems
    assert problems[0].line == 2 and "longer than" in problems[0].problem


def test_deep_html_is_refused_quickly(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 200_000 + "text" + "</div>" * 200_000)
    start = time.perf_counter()
    result = ingest([page])
    assert time.perf_counter() - start < 5
    assert result.articles == [] and "nested deeper" in result.problems[0].problem


def test_unclosed_tags_do_not_make_the_depth_check_quadratic(tmp_path: Path) -> None:
    page = tmp_path / "open.html"
    page.write_text("<a" * 1_000_000)  # 2 MB of tag starts, no '>' (75 s for 64 KB before)
    start = time.perf_counter()
    result = ingest([page])
    assert time.perf_counter() - start < 20
    assert result.articles == [] and result.problems


@pytest.mark.slow
def test_five_thousand_tiny_files(tmp_path: Path, sitroom_env: dict[str, str],
                                  baseline_rss: float) -> None:
    folder = tmp_path / "many"
    for k in range(50):
        sub = folder / f"d{k:02d}"
        sub.mkdir(parents=True)
        for j in range(100):
            (sub / f"a{k:02d}_{j:03d}.txt").write_text(
                f"Item {k} {j}\n\nFighters attacked checkpoint {k}-{j} on Monday.\n")
    counts, rss = run_child([folder], sitroom_env)
    assert counts["articles"] == 5000 and counts["problems"] == 0
    assert rss - baseline_rss < 150, (rss, baseline_rss)
    assert counts["seconds"] < 60


@pytest.mark.slow  # ~3-6 s each on a shared 2-core machine
@pytest.mark.parametrize("line", [
    "a - " * 250_000,  # title-suffix separators
    "a" + " " * 1_000_000 + "b",  # one whitespace run
    "X is popular " * 75_000,  # outlet-blurb prefix over and over
    "photo " * 160_000,  # caption keyword without its colon
    "\n" * 1_000_000,  # blank lines (ftfy fixes line by line)
    "a\n" * 400_000,  # very many short lines
])
def test_long_hostile_lines_clean_in_bounded_time(line: str) -> None:
    from sitroom.clean import clean_article
    from sitroom.records import RawArticle

    start = time.perf_counter()
    cleaned = clean_article(RawArticle("x", line, "x.txt", "txt"))
    assert isinstance(cleaned, CleanArticle)
    assert time.perf_counter() - start < 30


def test_analysis_batches_are_bounded_in_characters() -> None:
    from sitroom.nlp import MAX_CHARS
    from sitroom.pipeline import BATCH, MAX_BATCH_CHARS, _text_batches

    sizes = [4_000] * 100 + [900_000] * 3 + [150_000, 150_000, 10] + [40_000] * 20
    articles = [CleanArticle(f"a{i:03d}", "t", "x" * n, "x.txt", "txt") for i, n in enumerate(sizes)]
    batches = list(_text_batches(articles))
    assert [a for b in batches for a in b] == articles  # all of them, in order
    for batch in batches:
        assert len(batch) <= BATCH
        chars = sum(min(len(a.text), MAX_CHARS) for a in batch)
        assert len(batch) == 1 or chars <= MAX_BATCH_CHARS
    assert len(batches[0]) == BATCH  # ordinary articles still go 64 at a time


def test_a_feed_of_broken_lines_reports_a_bounded_number_of_problems(tmp_path: Path) -> None:
    from sitroom.ingest import MAX_PROBLEMS_PER_FILE

    feed = tmp_path / "broken.jsonl"
    n_broken = MAX_PROBLEMS_PER_FILE * 20
    feed.write_bytes(b"{not json\n" * n_broken + b'{"id": "last", "text": "Fighters attacked."}\n')
    result = ingest([feed])
    assert [a.article_id for a in result.articles] == ["last"]  # the good record after them is read
    assert len(result.problems) == MAX_PROBLEMS_PER_FILE + 1
    assert f"{n_broken - MAX_PROBLEMS_PER_FILE} more problem" in result.problems[-1].problem


def test_the_last_analysis_batches_are_cut_small_per_worker() -> None:
    # a worker done with its last batch would otherwise idle while another reads a whole one
    from sitroom.pipeline import BATCH, TAIL_TASKS, _text_batches

    articles = [CleanArticle(f"a{i:04d}", "t", "word " * 400, "x.txt", "txt") for i in range(1000)]
    batches = list(_text_batches(articles, total=len(articles), workers=2))
    assert [a for b in batches for a in b] == articles
    sizes = [len(b) for b in batches]
    tail = TAIL_TASKS * 2 * BATCH
    head = [len(b) for b in batches if int(b[0].article_id[1:]) < len(articles) - tail]
    assert all(n == BATCH for n in head[:-1])  # the bulk still goes BATCH at a time
    small = [n for n in sizes if n < BATCH]
    assert len(small) >= TAIL_TASKS * 2 and max(small) <= BATCH // 4
    assert sizes[-len(small):] == small  # all at the end
    # without a total nothing is cut
    assert [len(b) for b in _text_batches(articles)][:-1] == [BATCH] * (1000 // BATCH)
