"""Contract files written a row at a time: the same bytes as writing them whole, and the cleaned
texts already on disk as the store has them left alone."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.export import story_records, write_clean_texts, write_stories_json
from sitroom.store import open_store
from tests.report.fixture_store import ARTICLES, build_fixture_store


def test_stories_json_is_written_page_by_page_as_json_dumps_writes_it(tmp_path: Path) -> None:
    store = open_store(build_fixture_store(tmp_path / "run"))
    try:
        whole = json.dumps(story_records(store), ensure_ascii=False, indent=1) + "\n"
        for page in (1, 2, 1_000):  # pages of one story, pages that split, one page
            write_stories_json(store, tmp_path / f"stories{page}.json", page=page)
            assert (tmp_path / f"stories{page}.json").read_text(encoding="utf-8") == whole
    finally:
        store.close()
    empty = open_store(tmp_path / "empty")
    try:
        write_stories_json(empty, tmp_path / "none.json")
    finally:
        empty.close()
    assert (tmp_path / "none.json").read_text(encoding="utf-8") == json.dumps([]) + "\n"


def test_clean_texts_are_written_only_when_missing_or_different(tmp_path: Path) -> None:
    store = open_store(build_fixture_store(tmp_path / "run"))
    clean = tmp_path / "run" / "clean"
    try:
        assert write_clean_texts(store, clean) == len(ARTICLES)
        assert (clean / "a1.txt").read_text(encoding="utf-8") == ARTICLES[0].text + "\n"
        assert write_clean_texts(store, clean) == 0  # all as the store has them
        (clean / "a2.txt").unlink()
        (clean / "a4.txt").write_text("edited by hand\n", encoding="utf-8")
        (clean / "a1.txt").write_text(ARTICLES[0].text.upper() + "\n", encoding="utf-8")  # same size
        assert write_clean_texts(store, clean) == 3
        assert all((clean / f"{a.article_id}.txt").read_text(encoding="utf-8") == a.text + "\n"
                   for a in ARTICLES)
        assert not list(clean.glob(".*.tmp"))
    finally:
        store.close()
