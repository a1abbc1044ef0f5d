"""`sitroom bench`: articles/s per stage and end to end, peak memory, and two reference points
measured in the same run over the same texts:

(a) bare spaCy nlp.pipe (same model, same batch size, as many processes as the local engine has
    workers, so both use the same cores): the limit for a parse-based pipeline;
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


# The CPU features that decide this pipeline's speed: vector width, and native bfloat16 / int8
# matrix units (embed.precision reads the bfloat16 ones).
SPEED_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8")


def cpu_info(cpuinfo: str | None = None) -> dict[str, Any]:
    """The CPU's model name and which of SPEED_FLAGS it has, from /proc/cpuinfo (or the text
    given); {"model": platform.processor() or "unknown", "flags": []} where there is none."""
    import platform

    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
                cpuinfo = fh.read()
        except OSError:
            cpuinfo = ""
    model, flags = "", set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and not model:
            model = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
    return {"model": model or platform.processor() or "unknown",
            "flags": [f for f in SPEED_FLAGS if f in flags]}


def cpu_label(info: dict[str, Any], precision: str) -> str:
    """One line for the figures: 'AMD EPYC (avx2 avx512f avx512_bf16), MiniLM bf16'."""
    flags = " ".join(info["flags"]) or "none of " + "/".join(SPEED_FLAGS)
    return f"{info['model']} ({flags}), MiniLM {precision}"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def cpu_now() -> float:
    """User+system seconds of this process and its finished children (spaCy's worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


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


def _proportional_bytes(pid: int) -> int | None:
    """A process's proportional set size (PSS): its private pages plus its share of pages it
    shares with others. Workers forked from one server share the models' pages; the sum of
    their resident sizes would count those pages once per process, the sum of PSS once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _tree_memory(root: int) -> tuple[int, int]:
    """(sum of PSS, sum of resident sizes) of a process and all its descendants (the driver,
    the fork server and the workers), from /proc; written here because the numbers needed do
    not justify a dependency. PSS falls back to the resident size where smaps_rollup is
    missing (kernels before 4.14)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total_pss = total_rss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        resident = rss.get(pid, 0)
        total_rss += resident
        pss = _proportional_bytes(pid)
        total_pss += resident if pss is None else pss
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total_pss, total_rss


# One memory sample reads every process's stat and each run process's smaps_rollup: ~35 ms of CPU
# with a 1,257-article run's four processes. Every 0.2 s that took a sixth of a core from the
# run being timed; memory moves over seconds, not fractions of one.
MEMORY_SAMPLE_S = 1.0


def run_end_to_end(corpus: Path, out: Path, engine: str, workers: int | None = None
                   ) -> dict[str, float]:
    """`sitroom run` in a child process: wall time, CPU time (user+sys of the child and its
    workers) and peak memory (sum over the child and its descendants, sampled every
    MEMORY_SAMPLE_S: of PSS, the memory the run holds, and of resident sizes, which count shared
    pages once per process)."""
    cmd = [sys.executable, "-m", "sitroom", "run", str(corpus), "--out", str(out), "-q",
           "--engine", engine]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    before = os.times()
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = peak_rss = 0
    while child.poll() is None:
        if os.path.isdir("/proc"):
            pss, resident = _tree_memory(child.pid)
            peak, peak_rss = max(peak, pss), max(peak_rss, resident)
        time.sleep(MEMORY_SAMPLE_S)
    wall = time.perf_counter() - start
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, cmd)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if not peak:  # no /proc: the largest single child process so far, a lower bound
        peak = peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"seconds": wall, "cpu_seconds": cpu, "peak_mb": peak / 2**20,
            "peak_rss_sum_mb": peak_rss / 2**20}


def corpus_records(args: argparse.Namespace, command: str) -> tuple[Path, list[dict]] | None:
    """The corpus a bench reads (PATH, else the bench file in ../shared) and its first --limit
    records; None, with a message, when there is none."""
    corpus = Path(args.path) if args.path else default_corpus()
    if corpus is not None and not corpus.exists() and args.path:
        print(f"{command}: {corpus}: no such file or folder", file=sys.stderr)
        return None
    if corpus is None or not corpus.exists():
        print(f"{command}: no corpus given and ../shared/eval/bench/"
              "india_police_events_docs.jsonl not found", file=sys.stderr)
        return None
    return corpus, load_records(corpus, args.limit)


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
    from sitroom.nlp import load_nlp, parse_many
    from sitroom.records import RawArticle

    found = corpus_records(args, "sitroom bench")
    if found is None:
        return 2
    corpus, records = found
    if args.grow and args.grow > len(records):
        records = perturbed_copies(records, args.grow)
    n = len(records)
    from sitroom.embed import precision

    machine = cpu_info()
    label = cpu_label(machine, precision())
    report: dict[str, Any] = {"corpus": str(corpus), "n": n, "cores": os.cpu_count(),
                              "cpu_model": machine["model"], "cpu_flags": machine["flags"],
                              "embed_precision": precision()}
    rows: list[tuple[str, float, int]] = []

    def stage(name: str, seconds: float, count: int = n) -> None:
        rows.append((name, seconds, count))
        report[f"{name}_per_s"] = round(count / seconds, 1) if seconds > 0 else None
        report[f"{name}_s"] = round(seconds, 3)
        print(f"  {name:<28} {seconds:8.2f} s  {count / seconds if seconds else 0:10.1f} art/s",
              file=sys.stderr)

    print(f"sitroom bench: {n} articles from {corpus}", file=sys.stderr)
    print(f"  CPU: {label}; {os.cpu_count()} cores", file=sys.stderr)
    from sitroom.engines import default_workers

    workers = args.workers or default_workers()
    report["workers"] = workers
    # --end-to-end-only: no per-stage timings (they hold every parse in memory, which a 100,000
    # article run cannot), only `sitroom run` itself, its memory and the incremental run
    if not args.end_to_end_only:
        raws = [RawArticle(r["id"], r["text"], "bench", "jsonl", r.get("title"), None, None,
                           r.get("published")) for r in records]
        secs, articles = timed(lambda: [clean_article(r) for r in raws])
        stage("clean", secs)
        texts = [a.text for a in articles]

        nlp = load_nlp()
        if workers > 1:
            # the same cores as our engine: bare nlp.pipe with one process per worker (time only;
            # the stage timings below parse again in this process)
            cpu = cpu_now()
            secs, _ = timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=64,
                                                             n_process=workers)))
            report["baseline_spacy_cpu_s"] = round(cpu_now() - cpu, 1)
            stage(f"baseline_spacy_pipe_{workers}proc", secs)
            report["baseline_spacy_processes"] = workers
            # our parse (the model's statistical components through nlp.pipe, its rule
            # components through sitroom.nlp_rules), one process: the docs for the stages below
            secs, docs = timed(lambda: list(parse_many(texts, batch_size=64)))
            stage("parse_1proc", secs)
            report["baseline_spacy_pipe_s"] = report[f"baseline_spacy_pipe_{workers}proc_s"]
        else:
            cpu = cpu_now()
            secs, docs = timed(lambda: list(nlp.pipe(texts, batch_size=64)))
            report["baseline_spacy_cpu_s"] = round(cpu_now() - cpu, 1)
            stage("baseline_spacy_pipe", secs)
            report["baseline_spacy_processes"] = 1

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
        out = Path(args.keep) if args.keep else Path(tmp) / "out"
        e2e = run_end_to_end(feed, out, args.engine, args.workers)
        stage("end_to_end", e2e["seconds"])
        report["end_to_end_cpu_s"] = round(e2e["cpu_seconds"], 1)
        # Incremental: 10 new articles (perturbed copies, new ids) into the store just built.
        extra = [dict(r, id=f"{r['id']}~new") for r in perturbed_copies(records, n + 10)[n:]]
        write_feed(Path(tmp) / "new.jsonl", extra)
        inc = run_end_to_end(Path(tmp) / "new.jsonl", out, args.engine, args.workers)
        stage("incremental_10_new", inc["seconds"], len(extra))
        report["incremental_cpu_s"] = round(inc["cpu_seconds"], 1)
        report["incremental_vs_full"] = round(inc["seconds"] / e2e["seconds"], 3)
        report["incremental_vs_full_cpu"] = round(inc["cpu_seconds"] / e2e["cpu_seconds"], 3)
        report["incremental_peak_mb"] = round(inc["peak_mb"], 1)
    report["end_to_end_peak_mb"] = round(e2e["peak_mb"], 1)
    report["end_to_end_peak_rss_sum_mb"] = round(e2e["peak_rss_sum_mb"], 1)
    base = report.get("baseline_spacy_pipe_s")
    report["end_to_end_vs_spacy"] = round(e2e["seconds"] / base, 2) if base else None
    if report.get("baseline_spacy_cpu_s"):
        # CPU time ratio: the fair one when other jobs share the cores (wall times then inflate)
        report["end_to_end_vs_spacy_cpu"] = round(e2e["cpu_seconds"] / report["baseline_spacy_cpu_s"], 2)
    if "stories_near_duplicates_s" in report:
        report["near_duplicates_vs_datasketch"] = round(
            report["baseline_datasketch_lsh_s"] / report["stories_near_duplicates_s"], 2)
    print(f"  end to end / bare spaCy: {report['end_to_end_vs_spacy']}x "
          f"(CPU time {report.get('end_to_end_vs_spacy_cpu')}x) on {label}; "
          f"peak memory {report['end_to_end_peak_mb']} MB (PSS; resident sizes summed "
          f"{report['end_to_end_peak_rss_sum_mb']} MB)", file=sys.stderr)
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
