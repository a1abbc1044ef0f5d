"""`sitroom bench`: articles/s per stage and end to end, peak memory, and two reference points
measured in the same run over the same texts:

(a) bare spaCy nlp.pipe (same model, same batch size): the limit for a parse-based pipeline;
(b) datasketch MinHash LSH: the usual near-duplicate index, against our near-duplicate stage.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_FILE = Path("eval") / "bench" / "india_police_events_docs.jsonl"


def default_corpus() -> Path | None:
    for base in (Path.cwd() / ".." / "shared", Path(__file__).resolve().parents[2] / ".." / "shared"):
        if (base / BENCH_FILE).exists():
            return (base / BENCH_FILE).resolve()
    return None


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def perturbed_copies(records: list[dict], total: int, seed: int = 13) -> list[dict]:
    """Grow a corpus to `total` articles: each copy drops or swaps a few sentences and words so
    that near-duplicate detection and parsing see realistic variation, not identical texts."""
    rng = random.Random(seed)
    out = []
    i = 0
    while len(out) < total:
        base = records[i % len(records)]
        text = base["text"]
        if i >= len(records):
            sentences = text.split(". ")
            if len(sentences) > 3:
                del sentences[rng.randrange(len(sentences))]
                j = rng.randrange(len(sentences) - 1)
                sentences[j], sentences[j + 1] = sentences[j + 1], sentences[j]
            words = ". ".join(sentences).split(" ")
            for _ in range(max(1, len(words) // 50)):
                k = rng.randrange(len(words))
                words[k] = words[k].upper() if rng.random() < 0.5 else words[k][::-1]
            text = " ".join(words)
        out.append({"id": f"{base['id']}~{i // len(records)}", "text": text})
        i += 1
    return out


def load_records(path: Path, limit: int | None) -> list[dict]:
    from sitroom.ingest import iter_inputs
    from sitroom.records import RawArticle

    records = []
    for item in iter_inputs([path]):
        if isinstance(item, RawArticle):
            records.append({"id": item.article_id, "text": item.text, "title": item.title,
                            "published": item.published})
            if limit and len(records) >= limit:
                break
    return records


def run_end_to_end(corpus: Path, out: Path, engine: str) -> dict[str, float]:
    """`sitroom run` in a child process: wall time and the child's peak memory."""
    cmd = [sys.executable, "-m", "sitroom", "run", str(corpus), "--out", str(out), "-q",
           "--engine", engine]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": wall, "peak_mb": peak_kb / 1024}


def write_feed(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: v for k, v in r.items() if v is not None}) + "\n")


def bench(args: argparse.Namespace) -> int:
    from sitroom import geo, stories
    from sitroom import events as events_stage
    from sitroom import quotes as quotes_stage
    from sitroom import time as time_stage
    from sitroom.clean import clean_article
    from sitroom.nlp import load_nlp
    from sitroom.records import RawArticle

    corpus = Path(args.path) if args.path else default_corpus()
    if corpus is None or not corpus.exists():
        print("sitroom bench: no corpus given and ../shared/eval/bench/"
              "india_police_events_docs.jsonl not found", file=sys.stderr)
        return 2
    records = load_records(corpus, args.limit)
    if args.grow and args.grow > len(records):
        records = perturbed_copies(records, args.grow)
    n = len(records)
    report: dict[str, Any] = {"corpus": str(corpus), "n": n, "cores": os.cpu_count()}
    rows: list[tuple[str, float, int]] = []

    def stage(name: str, seconds: float, count: int = n) -> None:
        rows.append((name, seconds, count))
        report[f"{name}_per_s"] = round(count / seconds, 1) if seconds > 0 else None
        report[f"{name}_s"] = round(seconds, 3)
        print(f"  {name:<28} {seconds:8.2f} s  {count / seconds if seconds else 0:10.1f} art/s",
              file=sys.stderr)

    print(f"sitroom bench: {n} articles from {corpus}", file=sys.stderr)
    raws = [RawArticle(r["id"], r["text"], "bench", "jsonl", r.get("title"), None, None,
                       r.get("published")) for r in records]
    secs, articles = timed(lambda: [clean_article(r) for r in raws])
    stage("clean", secs)
    texts = [a.text for a in articles]

    nlp = load_nlp()
    secs, docs = timed(lambda: list(nlp.pipe(texts, batch_size=64)))
    stage("baseline_spacy_pipe", secs)

    dates = {a.article_id: time_stage.publication_date(a) for a in articles}
    secs, toponyms = timed(lambda: [geo.geoparse(d) for d in docs])
    stage("geo", secs)
    secs, timexes = timed(lambda: [time_stage.find_timexes(a.text, dates[a.article_id].date)
                                   for a in articles])
    stage("time", secs)
    secs, _ = timed(lambda: [events_stage.extract_event_mentions(d, a.article_id, dates[a.article_id],
                                                                 tx, tp)
                             for d, a, tx, tp in zip(docs, articles, timexes, toponyms)])
    stage("events", secs)
    secs, _ = timed(lambda: [quotes_stage.extract_quotes(d, a.article_id)
                             for d, a in zip(docs, articles)])
    stage("quotes", secs)
    del docs

    near_dup = getattr(stories, "near_duplicate_candidates", None)
    if near_dup is not None:
        secs, _ = timed(lambda: near_dup(texts))
        stage("stories_near_duplicates", secs)
    secs, _ = timed(lambda: stories.build_stories(articles, dates))
    stage("stories_whole_stage", secs)
    secs = baseline_datasketch(texts)
    stage("baseline_datasketch_lsh", secs)

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        write_feed(feed, records)
        out = Path(tmp) / "out"
        e2e = run_end_to_end(feed, out, args.engine)
        stage("end_to_end", e2e["seconds"])
        # Incremental: 10 new articles (perturbed copies, new ids) into the store just built.
        extra = [dict(r, id=f"{r['id']}~new") for r in perturbed_copies(records, n + 10)[n:]]
        write_feed(Path(tmp) / "new.jsonl", extra)
        inc = run_end_to_end(Path(tmp) / "new.jsonl", out, args.engine)
        stage("incremental_10_new", inc["seconds"], len(extra))
        report["incremental_vs_full"] = round(inc["seconds"] / e2e["seconds"], 3)
    report["end_to_end_peak_mb"] = round(e2e["peak_mb"], 1)
    base = report["baseline_spacy_pipe_s"]
    report["end_to_end_vs_spacy"] = round(e2e["seconds"] / base, 2) if base else None
    if "stories_near_duplicates_s" in report:
        report["near_duplicates_vs_datasketch"] = round(
            report["baseline_datasketch_lsh_s"] / report["stories_near_duplicates_s"], 2)
    print(f"  end to end / bare spaCy: {report['end_to_end_vs_spacy']}x; "
          f"peak memory {report['end_to_end_peak_mb']} MB", file=sys.stderr)
    print(json.dumps(report, sort_keys=True))
    return 0


def baseline_datasketch(texts: list[str], num_perm: int = 128, threshold: float = 0.8) -> float:
    """datasketch MinHash (word 5-shingles) + LSH insert and query, as commonly used."""
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for i, text in enumerate(texts):
        words = text.lower().split()
        shingles = {" ".join(words[j:j + 5]) for j in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=num_perm)
        m.update_batch([s.encode("utf-8") for s in shingles])
        lsh.query(m)
        lsh.insert(str(i), m)
    return time.perf_counter() - start
