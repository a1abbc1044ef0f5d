"""Fuzz ingest -> clean -> store for a fixed time with Hypothesis and report what was tried.

    nice python tools/fuzz_ingest.py --minutes 10 [--findings DIR] [--no-store]

Each input is a file (.txt, .html or .jsonl) whose bytes come from one of: raw random bytes,
generated markup, generated JSONL records (any JSON values, lone surrogates, huge numbers, deep
nesting), or a mutation (bit flips, deletions, duplications, splices of hostile snippets) of the
bundled demo corpus. Every input must give articles or problems naming the file, within a time
limit per input; the articles must clean and store. Anything else is a finding: the input is saved
under --findings and the run goes on. The last line printed is one JSON object with the counts.

Hypothesis rather than atheris: atheris is not installable offline here, and Hypothesis already
drives the property tests; the structured strategies matter more than coverage feedback for a
parser front-end like this.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sitroom.clean import clean_article  # noqa: E402
from sitroom.ingest import ingest  # noqa: E402
from sitroom.pipeline import demo_corpus  # noqa: E402
from sitroom.store import open_store  # noqa: E402

SUFFIXES = [".txt", ".html", ".jsonl"]

HOSTILE_SNIPPETS = [
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\r", b"\r\n", b"\n" * 50, b"<", b">",
    b"<div>" * 50, b"</div>", b"<script>alert(1)</script>", b"<!--", b"]]>", b"<![CDATA[", b"&#0;",
    b"&#x110000;", b"&amp;", b"\\ud800", b'"', b"{", b"}", b"[" * 200, b"1" * 5000, b"\x1b[31m",
    "\u202e\u2028\u2029\ufeff".encode(), "Ã©tÃ©".encode(), b"\x80\x81\x8d\x8f\x90\x9d",
    b'{"id": "x", "text": "y"}', b"../../", b" " * 300, b"\t" * 50,
]


def _seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(demo_corpus().iterdir()) if p.suffix in SUFFIXES]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "delete", "duplicate", "insert", "snippet", "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 200))]
        elif op == "duplicate":
            chunk = data[pos:pos + draw(st.integers(1, 500))]
            data[pos:pos] = chunk * draw(st.integers(1, 20))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "snippet":
            data[pos:pos] = draw(st.sampled_from(HOSTILE_SNIPPETS)) * draw(st.integers(1, 10))
        elif op == "truncate":
            del data[pos:]
    return bytes(data)


JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=200))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)),
    max_leaves=20)
RECORD = st.fixed_dictionaries({}, optional={
    "id": JSON_VALUE, "text": st.one_of(st.text(max_size=2000), JSON_VALUE), "title": JSON_VALUE,
    "url": JSON_VALUE, "outlet": JSON_VALUE,
    "published": st.one_of(JSON_VALUE, st.dates().map(str), st.datetimes().map(str))})
MARKUP = st.recursive(
    st.text(max_size=80),
    lambda inner: st.tuples(
        st.sampled_from(["div", "p", "article", "main", "b", "i", "script", "style", "table", "tr",
                         "td", "html", "head", "body", "title", "meta", "br", "img", "a", "h1"]),
        st.text(max_size=30), st.lists(inner, max_size=5), st.booleans(),
    ).map(lambda t: f"<{t[0]} {t[1]}>" + "".join(t[2]) + (f"</{t[0]}>" if t[3] else "")),
    max_leaves=60)


def inputs(seeds: list[bytes]) -> st.SearchStrategy[tuple[str, bytes]]:
    content = st.one_of(
        st.binary(max_size=4000),
        st.text(max_size=4000).map(lambda s: s.encode("utf-8", "surrogatepass")),
        MARKUP.map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.lists(st.one_of(RECORD.map(lambda r: json.dumps(r, allow_nan=True).encode()),
                           JSON_VALUE.map(lambda r: json.dumps(r, allow_nan=True).encode()),
                           st.binary(max_size=100)), max_size=10).map(b"\n".join),
        mutated(seeds),
    )
    return st.tuples(st.sampled_from(SUFFIXES), content)


class InputTimeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise InputTimeout("input took longer than the per-input limit")


def check_one(workdir: Path, suffix: str, data: bytes, use_store: bool) -> None:
    """The property every input must satisfy; raises on a finding."""
    path = workdir / f"input{suffix}"
    path.write_bytes(data)
    result = ingest([path])
    if not result.articles and not result.problems:
        raise AssertionError("input silently dropped: no article and no problem")
    for problem in result.problems:
        if not problem.path.startswith(str(path)):
            raise AssertionError(f"problem does not name the file: {problem}")
        problem.message().encode("utf-8")
    cleaned = [clean_article(a) for a in result.articles]
    if use_store and cleaned:
        store = open_store(workdir / "out")
        try:
            run_id = store.begin_run([str(path)])
            store.upsert_articles(cleaned, run_id)
            store.add_problems(run_id, result.problems)
            stored = {a.article_id: a.text for a in store.articles()}
            for article in cleaned:
                if stored.get(article.article_id) != article.text:
                    raise AssertionError(f"article {article.article_id!r} lost in the store")
            store.db.execute("DELETE FROM articles")
            store.db.execute("DELETE FROM problems")
            store.db.execute("DELETE FROM runs")
        finally:
            store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--per-input-seconds", type=int, default=20,
                        help="an input taking longer is a finding (a hang)")
    parser.add_argument("--findings", type=Path, default=Path("/tmp/sitroom-fuzz-findings"))
    parser.add_argument("--no-store", action="store_true", help="skip the SQLite round trip")
    parser.add_argument("--batch", type=int, default=500, help="examples per Hypothesis run")
    args = parser.parse_args()

    seeds = _seeds()
    deadline = time.monotonic() + args.minutes * 60
    counts = {"inputs": 0, "batches": 0, "findings": 0}
    by_suffix = {s: 0 for s in SUFFIXES}
    slowest = [0.0, ""]
    findings: dict[str, str] = {}
    args.findings.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="sitroom-fuzz-", dir="/dev/shm"
                                     if os.path.isdir("/dev/shm") else None) as tmp:
        workdir = Path(tmp)

        @settings(max_examples=args.batch, deadline=None, database=None, derandomize=False,
                  phases=[Phase.generate], report_multiple_bugs=False,
                  suppress_health_check=list(HealthCheck))
        @given(inputs(seeds))
        def fuzz(case: tuple[str, bytes]) -> None:
            if time.monotonic() > deadline:
                return
            suffix, data = case
            counts["inputs"] += 1
            by_suffix[suffix] += 1
            t0 = time.perf_counter()
            signal.alarm(args.per_input_seconds)
            try:
                check_one(workdir, suffix, data, not args.no_store)
            except Exception as exc:  # every exception is a finding: record it and go on
                where = traceback.extract_tb(exc.__traceback__)[-1]
                key = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
                digest = hashlib.sha1(data).hexdigest()[:12]
                (args.findings / f"{digest}{suffix}").write_bytes(data)
                counts["findings"] += 1
                if key not in findings:
                    findings[key] = f"{digest}{suffix}: {exc!s:.200}"
                    print(f"FINDING {key}: {exc!s:.200} (input saved as {digest}{suffix})",
                          file=sys.stderr, flush=True)
            finally:
                signal.alarm(0)
            took = time.perf_counter() - t0
            if took > slowest[0]:
                slowest[:] = [took, f"{suffix} of {len(data)} bytes"]
                (args.findings / f"slowest{suffix}").write_bytes(data)

        while time.monotonic() < deadline:
            fuzz()
            counts["batches"] += 1
            print(f"fuzz: {counts['inputs']} inputs, {counts['findings']} findings, "
                  f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    summary = {"inputs": counts["inputs"], "seconds": round(time.monotonic() - started, 1),
               "by_suffix": by_suffix, "findings": counts["findings"],
               "unique_findings": findings, "slowest_input_s": round(slowest[0], 2),
               "slowest_input": slowest[1], "store": not args.no_store}
    print(json.dumps(summary, sort_keys=True))
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
