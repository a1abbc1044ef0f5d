"""Property tests for ingest: any bytes in any supported file give articles or clear problems naming
the file, never an exception or a hang; whatever ingest accepts can be cleaned and stored."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime
from pathlib import Path

from hypothesis import assume, example, given
from hypothesis import strategies as st

from sitroom.clean import clean_article
from sitroom.ingest import (
    MAX_HTML_DEPTH,
    html_depth_exceeds,
    ingest,
    normalise_iso_date,
    safe_article_id,
)
from sitroom.records import InputProblem, RawArticle
from sitroom.store import open_store
from tests.hardening.props import PROPERTY, PROPERTY_IO


def _utf8_safe(text: str | None) -> bool:
    if text is None:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_result(path: Path, articles: list[RawArticle], problems: list[InputProblem]) -> None:
    """What every ingest of one file must satisfy."""
    for p in problems:
        assert p.path.startswith(str(path)), p  # the problem names the file
        assert p.problem.strip()
        assert _utf8_safe(p.path) and _utf8_safe(p.problem)
    for a in articles:
        assert a.source_path.startswith(str(path))
        assert a.article_id and a.article_id == safe_article_id(a.article_id)
        assert a.text.strip()
        for value in (a.text, a.title, a.url, a.outlet, a.source_path):
            assert _utf8_safe(value), value
        if a.published is not None:
            date.fromisoformat(a.published)
    assert articles or problems  # nothing is dropped silently


def ingest_bytes(name: str, data: bytes) -> tuple[Path, list[RawArticle], list[InputProblem]]:
    with tempfile.TemporaryDirectory(prefix="sitroom-hyp-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = ingest([path])
        check_result(path, result.articles, result.problems)
        return path, result.articles, result.problems


TEXTISH = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=1000).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(max_size=1000).map(lambda s: s.encode("cp1252", "ignore")),
)


@PROPERTY_IO
@given(TEXTISH)
@example(b"")
@example(b"\x00" * 10)
@example(b"\xef\xbb\xbf")  # a BOM and nothing else
@example(b"\xff\xfe" + "text".encode("utf-16-le"))
@example("Caf\u00e9 \ud800".encode("utf-8", "surrogatepass"))
def test_any_bytes_as_txt(data: bytes) -> None:
    path, articles, problems = ingest_bytes("article.txt", data)
    assert len(articles) <= 1
    if articles:
        assert articles[0].fmt == "txt" and articles[0].article_id == "article"


HTMLISH = st.one_of(
    st.binary(max_size=1500),
    st.recursive(
        st.text(max_size=40),
        lambda inner: st.tuples(st.sampled_from(["div", "p", "article", "b", "script", "table",
                                                 "html", "body", "title", "meta", "br", "x-y"]),
                                st.lists(inner, max_size=4),
                                st.booleans())
        .map(lambda t: f"<{t[0]}>" + "".join(t[1]) + (f"</{t[0]}>" if t[2] else "")),
        max_leaves=30,
    ).map(lambda s: s.encode("utf-8", "surrogatepass")),
)


@PROPERTY_IO
@given(HTMLISH)
@example(b"<html><body>" + b"<div>" * (MAX_HTML_DEPTH + 5) + b"deep</body></html>")
@example(b"<a" * 5000)
@example(b"<p>" + "Fighters attacked a checkpoint near the dam on Monday. ".encode() * 20 + b"</p>")
@example(b"<meta property='article:published_time' content='2021-99-99'><p>x</p>")
def test_any_bytes_as_html(data: bytes) -> None:
    path, articles, problems = ingest_bytes("page.html", data)
    assert len(articles) <= 1


JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                        st.text(max_size=80))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
RECORD = st.fixed_dictionaries(
    {},
    optional={"id": JSON_VALUE, "text": st.one_of(st.text(max_size=300), JSON_VALUE),
              "title": JSON_VALUE, "url": JSON_VALUE, "outlet": JSON_VALUE,
              "published": st.one_of(JSON_VALUE, st.dates().map(str), st.datetimes().map(str))},
)


def _jsonl_line(value: object) -> bytes:
    # json.dumps escapes lone surrogates as \udXXX, exactly what a hostile feed can carry.
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()


JSONL = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.one_of(RECORD.map(_jsonl_line), JSON_VALUE.map(_jsonl_line), st.binary(max_size=60)),
             max_size=8).map(lambda lines: b"\n".join(lines)),
)


@PROPERTY_IO
@given(JSONL)
@example(b"[" * 100_000)
@example(b'{"id": 1, "text": ' + b"1" * 5000 + b"}")
@example(b'{"id": "a", "text": "ok \\ud800 text", "title": "\\udc00"}')
@example(b'{"id": "a", "text": "x", "published": "' + b"July 4, 2021 " * 300 + b'"}')
@example(b'{"id": "../../etc/passwd", "text": "x"}\n{"id": "..", "text": "y"}')
def test_any_bytes_as_jsonl(data: bytes) -> None:
    path, articles, problems = ingest_bytes("feed.jsonl", data)
    n_lines = data.count(b"\n") + 1
    assert len(articles) <= n_lines
    assert len({a.article_id for a in articles}) == len(articles)  # duplicates reported, not kept
    for p in problems:
        assert p.line is None or 1 <= p.line <= n_lines


@PROPERTY_IO
@given(st.lists(RECORD, min_size=1, max_size=6))
def test_accepted_records_survive_clean_and_store(records: list[dict]) -> None:
    """No data lost: every record with an id and text is stored, text intact up to cleaning."""
    with tempfile.TemporaryDirectory(prefix="sitroom-hyp-") as tmp:
        path = Path(tmp) / "feed.jsonl"
        path.write_bytes(b"\n".join(_jsonl_line(r) for r in records))
        result = ingest([path])
        check_result(path, result.articles, result.problems)
        usable = [r for r in records if isinstance(r.get("text"), str) and r["text"].strip()
                  and r.get("id") is not None and safe_article_id(str(r["id"]))
                  and not (isinstance(r["id"], str) and not r["id"].strip())]
        ids = {safe_article_id(str(r["id"])) for r in usable}
        assert {a.article_id for a in result.articles} == ids
        cleaned = [clean_article(a) for a in result.articles]
        store = open_store(Path(tmp) / "out")
        try:
            run_id = store.begin_run([str(path)])
            store.upsert_articles(cleaned, run_id)
            store.add_problems(run_id, result.problems)
            stored = {a.article_id: a for a in store.articles()}
        finally:
            store.close()
        assert set(stored) == {c.article_id for c in cleaned}
        for c in cleaned:
            assert stored[c.article_id].text == c.text
            assert stored[c.article_id].content_hash == c.content_hash


@PROPERTY
@given(st.one_of(st.text(max_size=200), st.integers(), st.floats(), st.none(),
                 st.dates().map(str), st.datetimes().map(str),
                 st.datetimes().map(lambda d: d.strftime("%d %B %Y")),
                 st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}.{0,20}\Z")))
@example("2021-13-45")
@example("２０２１-０１-０１")
@example("0000-00-00T00:00")
@example("July 4, 2021 " * 300)
def test_normalise_iso_date_gives_a_valid_day_or_none(value: object) -> None:
    result = normalise_iso_date(value)
    assert result is None or date.fromisoformat(result).isoformat() == result


@PROPERTY
@given(st.dates())
def test_normalise_iso_date_keeps_real_iso_days(day: date) -> None:
    assert normalise_iso_date(day.isoformat()) == day.isoformat()
    assert normalise_iso_date(f"{day.isoformat()}T10:00:00Z") == day.isoformat()


@PROPERTY
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31)))
def test_normalise_iso_date_reads_written_dates(moment: datetime) -> None:
    written = moment.strftime("%d %B %Y")  # "04 July 2021"
    assert normalise_iso_date(written) == moment.date().isoformat()


@PROPERTY
@given(st.recursive(st.just(""), lambda inner: st.lists(inner, max_size=3).map(
    lambda kids: "<div>" + "".join(kids) + "</div>"), max_leaves=40),
    st.integers(min_value=0, max_value=30))
def test_html_depth_matches_a_reference_count(html: str, extra: int) -> None:
    """The pre-parse depth check agrees with the true nesting of well-formed markup."""
    html = "<div>" * extra + html + "</div>" * extra

    def true_depth(s: str) -> int:
        depth = best = 0
        for i in range(len(s)):
            if s.startswith("<div>", i):
                depth += 1
                best = max(best, depth)
            elif s.startswith("</div>", i):
                depth -= 1
        return depth if depth < 0 else best

    depth = true_depth(html)
    assume(depth >= 0)
    for limit in (depth - 1, depth):
        if limit >= 0:
            assert html_depth_exceeds(html, limit) == (depth > limit)


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    """A file name with bytes that are not UTF-8 is read and reported in a storable form."""
    import os

    name = os.fsdecode(b"bad\xff\xfename.txt")
    try:
        (tmp_path / name).write_text("Headline\n\nFighters attacked a checkpoint.", encoding="utf-8")
    except (OSError, UnicodeEncodeError):  # a file system that refuses such names
        import pytest

        pytest.skip("file system refuses non-UTF-8 names")
    result = ingest([tmp_path])
    (article,) = result.articles
    assert _utf8_safe(article.source_path) and "\ufffd" in article.source_path
    store = open_store(tmp_path / "out")
    try:
        run_id = store.begin_run([str(tmp_path)])
        store.upsert_articles([clean_article(article)], run_id)
        assert store.count_articles() == 1
    finally:
        store.close()


def test_special_files_are_refused_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = ingest([fifo])
    assert result.articles == [] and "not a regular file" in result.problems[0].problem


def test_dates_in_a_deadline() -> None:
    """dateparser is never handed a long value (it takes seconds per KB)."""
    import time

    start = time.perf_counter()
    for _ in range(20):
        assert normalise_iso_date("Saturday " * 500) is None
    assert time.perf_counter() - start < 2.0
