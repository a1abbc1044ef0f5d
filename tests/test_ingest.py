"""Ingest: every format, and every kind of bad input gets a clear message naming the file."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.ingest import MAX_LISTED_PER_FOLDER, MAX_TEXT_BYTES, ingest, normalise_iso_date, safe_article_id
from sitroom.records import RawArticle


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_txt_article_id_is_file_stem(tmp_path: Path) -> None:
    write(tmp_path / "abc_1.txt", "Headline here\n\nFighters attacked a checkpoint on Monday.")
    result = ingest([tmp_path])
    assert [a.article_id for a in result.articles] == ["abc_1"]
    assert result.articles[0].fmt == "txt"
    assert result.problems == []


def test_jsonl_fields_and_ids(tmp_path: Path) -> None:
    rows = [{"id": "a1", "text": "Some text.", "title": "T", "url": "http://x.example/a",
             "outlet": "Example Post", "published": "2021-07-04T10:00:00Z"},
            {"id": 7, "text": "Other text."}]
    write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    result = ingest([tmp_path / "feed.jsonl"])
    a1, a7 = result.articles
    assert (a1.article_id, a1.title, a1.outlet, a1.published) == ("a1", "T", "Example Post", "2021-07-04")
    assert a7.article_id == "7" and a7.published is None


def test_html_extracts_text_and_metadata(tmp_path: Path) -> None:
    html = """<html><head><title>Clashes near the dam | Example Times</title>
    <meta property="article:published_time" content="2021-06-30">
    <meta property="og:site_name" content="Example Times"></head><body><article>
    <h1>Clashes near the dam</h1>
    <p>Fighting broke out near the dam on Tuesday between the army and an armed group, officials said,
    and went on for most of the day according to residents of the nearby villages.</p>
    <p>Two soldiers were wounded in the clashes, a provincial spokesman told reporters on Wednesday.</p>
    </article></body></html>"""
    write(tmp_path / "dam.html", html)
    (article,) = ingest([tmp_path]).articles
    assert "Fighting broke out near the dam" in article.text
    assert article.published == "2021-06-30"
    assert article.outlet == "Example Times"


def test_duplicate_ids_are_reported_not_merged(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "First text about one thing.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a.txt", "Second text about another thing.")
    result = ingest([tmp_path])
    assert len(result.articles) == 1
    assert any("duplicate article id 'a'" in p.problem for p in result.problems)


def test_empty_binary_latin1_huge_broken_jsonl_hostile_html(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Militants attacked a police post on Sunday, officials said.")
    empty = write(tmp_path / "empty.txt", "")
    binary = write(tmp_path / "blob.txt", bytes(range(256)) * 40)
    latin = write(tmp_path / "latin.txt", "Caf\xe9 owners in Herat said the fighting had stopped.".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, costs nothing to make
    jsonl = write(tmp_path / "feed.jsonl",
                  json.dumps({"id": "ok1", "text": "A good line."}) + "\n{\"id\": \"bad\", \"text\": \"cut off\n"
                  + json.dumps({"id": "ok2", "text": "Another good line."}) + "\n")
    hostile = write(tmp_path / "hostile.html", "<html><head>" + "<script>alert(1)</script>" * 500
                    + "</head><body><script>document.write('x')</script></body></html>")
    result = ingest([tmp_path])
    ids = sorted(a.article_id for a in result.articles)
    assert ids == ["good", "latin", "ok1", "ok2"]
    by_path = {}
    for p in result.problems:
        by_path.setdefault(Path(p.path).name, []).append(p)
    assert "empty file" in by_path["empty.txt"][0].problem
    assert "binary" in by_path["blob.txt"][0].problem
    # one thing said: the file was read, as Windows-1252
    assert by_path["latin.txt"][0].problem == "not valid UTF-8 (byte 3); decoded as Windows-1252"
    assert "too large" in by_path["huge.txt"][0].problem and str(MAX_TEXT_BYTES // 10**6) in by_path["huge.txt"][0].problem
    (broken,) = by_path["feed.jsonl"]
    assert broken.line == 2 and "broken JSON" in broken.problem
    assert "no article text" in by_path["hostile.html"][0].problem
    latin_article = next(a for a in result.articles if a.article_id == "latin")
    assert "Café" in latin_article.text
    assert good.exists()


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    result = ingest([tmp_path / "nope.txt", tmp_path / "notes.pdf"])
    assert [p.problem for p in result.problems] == [
        "no such file or folder; nothing read",
        "unsupported file type '.pdf' (sitroom reads .txt, .html and .jsonl); skipped"]


def test_unsupported_files_in_a_folder_are_reported_with_their_type(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Gunmen attacked a checkpoint on Friday.")
    write(tmp_path / "brief.PDF", b"%PDF-1.4")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "memo.docx", b"PK\x03\x04")
    write(tmp_path / "sub" / "README", "notes")
    write(tmp_path / ".hidden.pdf", b"%PDF-1.4")  # hidden files are left alone, unreported
    result = ingest([tmp_path])
    assert [a.article_id for a in result.articles] == ["a"]
    assert {Path(p.path).name: p.problem.split(" (")[0] for p in result.problems} == {
        "brief.PDF": "unsupported file type '.pdf'", "memo.docx": "unsupported file type '.docx'",
        "README": "unsupported file type '(none)'"}
    assert all(p.problem.endswith("; skipped") for p in result.problems)


def test_a_folder_of_many_unsupported_files_lists_the_first_and_counts_the_rest(tmp_path: Path) -> None:
    for i in range(MAX_LISTED_PER_FOLDER + 5):
        write(tmp_path / f"scan{i:02d}.png", b"\x89PNG")
    write(tmp_path / "z.pdf", b"%PDF-1.4")
    problems = ingest([tmp_path]).problems
    assert len(problems) == MAX_LISTED_PER_FOLDER + 1
    assert problems[-1].path == str(tmp_path)
    assert problems[-1].problem == ("6 more file(s) of unsupported types not listed "
                                    "(in all: 25 '.png', 1 '.pdf'); skipped")


def test_safe_ids_and_dates() -> None:
    assert safe_article_id("../../etc/passwd") == "etc_passwd"
    assert safe_article_id("a b/c") == "a_b_c"
    assert normalise_iso_date("2021-07-08T10:00:00Z") == "2021-07-08"
    assert normalise_iso_date("July 8, 2021") == "2021-07-08"
    assert normalise_iso_date("not a date") is None
    assert isinstance(RawArticle("x", "t", "p", "txt"), RawArticle)
