"""Issue 24: nothing lost, nothing multiplied. Inputs found by trying sitroom as a user and an
attacker would: short items without a title, file names in other scripts, UTF-16/32 files,
repeated text, FIFOs and symlink loops in folders, and the messages each gives."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from sitroom.clean import clean_article
from sitroom.ingest import MAX_TEXT_BYTES, ingest
from sitroom.records import RawArticle

JURM = "Taliban fighters seized the district centre of Jurm on Saturday, officials said."
SECOND = "Government forces shelled Taliban positions near the airport of Kunduz on Sunday."


# -- items without a separate title keep their text --------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "txt", "html"])
def test_an_item_without_a_title_keeps_its_whole_text(fmt: str) -> None:
    cleaned = clean_article(RawArticle("j1", JURM, "feed.jsonl:1", fmt))
    assert cleaned.text == JURM
    assert cleaned.title  # derived, for display


def test_a_jsonl_text_without_title_keeps_its_first_line() -> None:
    cleaned = clean_article(RawArticle("j2", f"Jurm falls\n\n{JURM}", "feed.jsonl:2", "jsonl"))
    assert cleaned.text.startswith("Jurm falls") and JURM in cleaned.text
    assert cleaned.title == "Jurm falls"
    # a .txt file's first line is its headline, as the README says
    txt = clean_article(RawArticle("t", f"Jurm falls\n\n{JURM}", "t.txt", "txt"))
    assert (txt.title, txt.text) == ("Jurm falls", JURM)


# -- article ids from any file name ------------------------------------------------------------

def test_unicode_file_names_give_distinct_stable_ids(tmp_path: Path) -> None:
    for name in ("Кундуз.txt", "Кабул 1.txt", "Герат 1.txt", "🔥.txt", "💧.txt"):
        (tmp_path / name).write_text(f"Headline\n\n{JURM} ({name})", encoding="utf-8")
    first = ingest([tmp_path])
    assert first.problems == []
    ids = [a.article_id for a in first.articles]
    assert len(set(ids)) == 5 and all(ids)
    assert {"Кундуз", "Кабул_1", "Герат_1"} <= set(ids)
    # stable: the same names give the same ids again; the original name stays in source_path
    assert [a.article_id for a in ingest([tmp_path]).articles] == ids
    assert {Path(a.source_path).name for a in first.articles} == {
        "Кундуз.txt", "Кабул 1.txt", "Герат 1.txt", "🔥.txt", "💧.txt"}
    for aid in ids:  # each id is a usable file name
        (tmp_path / "clean").mkdir(exist_ok=True)
        (tmp_path / "clean" / f"{aid}.txt").write_text("x")


# -- UTF-16 and UTF-32 with a byte-order mark ---------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_files_with_a_byte_order_mark_are_decoded(tmp_path: Path, codec: str) -> None:
    text = f"Кундуз: clashes\n\n{JURM}"
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(codec, b"")
    (tmp_path / "a.txt").write_bytes(bom + text.encode(codec))
    rows = [{"id": "j1", "text": JURM}, {"id": "j2", "text": SECOND}]
    (tmp_path / "b.jsonl").write_bytes(
        bom + "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode(codec))
    result = ingest([tmp_path])
    assert result.problems == []
    by_id = {a.article_id: a.text for a in result.articles}
    assert by_id == {"a": text, "j1": JURM, "j2": SECOND}


# -- FIFOs and symlink loops inside a folder -----------------------------------------------------

def test_fifo_and_symlink_loops_in_a_folder_are_reported(tmp_path: Path) -> None:
    from sitroom.pipeline import ingest_into_store
    from sitroom.store import open_store

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(f"Headline\n\n{JURM}")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    os.symlink(folder, folder / "sub" / "up")  # a folder loop
    started = time.monotonic()
    store = open_store(tmp_path / "out")
    try:
        run_id = store.begin_run([str(folder)])
        n_new, _, problems = ingest_into_store([folder], store, run_id, quiet=True)
        rows = store.rows("SELECT path, problem FROM problems")
    finally:
        store.close()
    assert time.monotonic() - started < 30  # the FIFO is never opened
    assert n_new == 1
    said = {Path(p.path).name: p.problem for p in problems}
    assert "FIFO" in said["pipe.txt"] and "skipped" in said["pipe.txt"]
    assert "symlink loop" in said["loop_a.txt"] and "symlink loop" in said["loop_b.txt"]
    assert "already read" in said["up"]
    assert {Path(r["path"]).name for r in rows} == {"pipe.txt", "loop_a.txt", "loop_b.txt", "up"}


# -- messages say one thing and match the README --------------------------------------------------

def test_messages(tmp_path: Path) -> None:
    (tmp_path / "cp.txt").write_bytes(f"Caf\xe9 report\n\n{JURM}".encode("cp1252"))
    (tmp_path / "f.jsonl").write_text('{"id": "x", "text": "unterminated\n{"id": 1, "text": "ok"}\n')
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_TEXT_BYTES + 200_000)
    result = ingest([tmp_path])
    said = {Path(p.path).name: p for p in result.problems}
    note = said["cp.txt"]
    assert "Windows-1252" in note.problem
    assert "skipped" not in note.problem and "processed" not in note.problem
    assert "cp" in {a.article_id for a in result.articles}
    assert " at at " not in said["f.jsonl"].problem and "at column" in said["f.jsonl"].problem
    limits = (Path(__file__).resolve().parents[2] / "docs" / "engine.md").read_text()
    assert "at most 5 MB per `.txt`/`.html` file" in limits
    assert "the limit is 5 MB per article file" in said["big.txt"].problem
    for p in result.problems:  # each says once what became of the input
        assert (p is note) != ("skipped" in p.problem), p


def test_cli_prints_each_problem_once_as_it_is(tmp_path: Path, capsys: pytest.CaptureFixture
                                               ) -> None:
    from sitroom.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cp.txt").write_bytes(f"Caf\xe9 report\n\n{JURM}".encode("cp1252"))
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-q",
                 "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "cp.txt: not valid UTF-8 (byte 3); decoded as Windows-1252\n" in err
    assert "empty.txt: empty file; skipped\n" in err
    assert "skipped" not in err.split("cp.txt")[1].split("\n")[0]
    assert "(processed)" not in err


# -- end to end: short items stored with their events, repeated text bounded ---------------------

BOMB = "Three civilians were killed when a roadside bomb exploded in Lashkar Gah on Monday, police said."
CLASH = "Taliban fighters attacked a police checkpoint in Pul-e Khumri on Tuesday, killing two officers."
AFTER = "The provincial governor said reinforcements had been sent to the area."
ABDUCTION = ("Gunmen abducted five aid workers on the road between Maimana and Andkhoy on Wednesday, "
             "a spokesman said.")


@pytest.fixture(scope="module")
def edge_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    from sitroom.pipeline import RunOptions, run

    folder = tmp_path_factory.mktemp("edge_in")
    (folder / "feed.jsonl").write_text(json.dumps({"id": "j1", "text": JURM}) + "\n")
    (folder / "one.txt").write_text(SECOND + "\n")
    (folder / "repeat.txt").write_text("Bomb in Lashkar Gah\n\n" + "\n\n".join([BOMB] * 50))
    page = f"Clashes in Baghlan\n\n{CLASH}\n\n{AFTER}\n"
    (folder / "page.txt").write_text(page + "\n" + page)  # a page pasted twice
    line = (ABDUCTION + " ") * (3_000_000 // (len(ABDUCTION) + 1))  # 3 MB on one line
    (folder / "big.txt").write_text("Aid workers abducted\n" + line + "\n")
    out = tmp_path_factory.mktemp("edge_out")
    started = time.monotonic()
    result = run([folder], RunOptions(out_dir=out, quiet=True, workers=1))
    seconds = time.monotonic() - started
    assert result.problems == []
    return out, seconds


def test_short_items_are_stored_and_give_their_events(edge_run: tuple[Path, float]) -> None:
    from sitroom.store import open_store

    store = open_store(edge_run[0], readonly=True)
    try:
        texts = {a.article_id: a.text for a in store.articles()}
        events = store.events()
    finally:
        store.close()
    assert set(texts) == {"j1", "one", "repeat", "page", "big"}
    assert texts["j1"] == JURM and texts["one"] == SECOND
    by_article = {aid: [e for e in events if aid in e.article_ids] for aid in texts}
    assert [e.location for e in by_article["j1"]] == ["Jurm"]
    assert [e.sub_event_type for e in by_article["j1"]] == ["Non-state actor overtakes territory"]
    assert len(by_article["one"]) == 1


def test_repeated_text_gives_one_mention_per_sentence_and_one_event(
        edge_run: tuple[Path, float]) -> None:
    from sitroom.store import open_store

    out, seconds = edge_run
    store = open_store(out, readonly=True)
    try:
        texts = {a.article_id: a.text for a in store.articles()}
        mentions = {m.article_id: m for m in store.iter_mentions()}
        events = store.events()
    finally:
        store.close()
    assert texts["repeat"] == BOMB
    assert texts["page"] == f"{CLASH}\n\n{AFTER}"
    assert texts["big"] == ABDUCTION
    for aid in ("repeat", "page", "big"):
        said = [(m.sentence, m.trigger) for m in mentions[aid].events]
        assert said and len(said) == len(set(said)), (aid, said)
        assert len({m.sentence for m in mentions[aid].events}) == 1
        assert len([e for e in events if aid in e.article_ids]) == 1, aid
    assert len(events) == 5
    assert seconds < 240  # the 3 MB line took 2 min 42 s alone before (shared 2-core machine)


def test_binary_after_a_byte_order_mark_is_still_binary(tmp_path: Path) -> None:
    # UTF-16 LE for control characters and NULs: a byte-order mark does not make it text
    (tmp_path / "x.txt").write_bytes(b"\xff\xfe" + b"\x01\x00\x00\x00\x02\x00" * 2000)
    result = ingest([tmp_path])
    assert result.articles == []
    assert [p.problem for p in result.problems] == ["binary content, not text; skipped"]


def test_folders_are_read_in_path_order(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/b.txt", "a.txt", "a-c.txt"):
        (tmp_path / name).write_text(f"Headline\n\n{JURM}")
    assert [Path(a.source_path).relative_to(tmp_path).as_posix()
            for a in ingest([tmp_path]).articles] == ["a/b.txt", "a-c.txt", "a.txt"]


def test_a_text_that_only_repeats_its_title_is_kept() -> None:
    cleaned = clean_article(RawArticle("t", JURM, "feed.jsonl:3", "jsonl", title=JURM))
    assert (cleaned.title, cleaned.text) == (JURM, JURM)


def test_a_deep_folder_is_read(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(600):  # a folder read recursively would pass Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    (deep / "a.txt").write_text(f"Headline\n\n{JURM}")
    assert [a.article_id for a in ingest([tmp_path]).articles] == ["a"]
