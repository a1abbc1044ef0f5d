"""Store: migrations, one transaction per batch, round trips of records."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitroom.records import (
    ArticleMentions,
    CleanArticle,
    EventMention,
    Place,
    PublicationDate,
    Quote,
    Toponym,
)
from sitroom.store import Store, StoreError
from sitroom.store.schema import SCHEMA_VERSION


def article(aid: str, text: str = "Some text.") -> CleanArticle:
    return CleanArticle(article_id=aid, title="T", text=text, source_path=f"{aid}.txt", fmt="txt",
                        content_hash=f"h-{aid}-{len(text)}")


def test_migrations_applied_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()
    store = Store(tmp_path / "s.sqlite")  # re-opening applies nothing new
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "s.sqlite")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer than this sitroom"):
        Store(tmp_path / "s.sqlite")


def test_failed_batch_leaves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    run_id = store.begin_run([])
    store.upsert_articles([article("a")], run_id)
    broken = article("b")
    broken.content_hash = None  # type: ignore[assignment]  # NOT NULL violation inside the batch
    with pytest.raises(sqlite3.IntegrityError):
        store.upsert_articles([article("c"), broken], run_id)
    assert [a.article_id for a in store.articles()] == ["a"]


def test_mentions_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    run_id = store.begin_run([])
    store.upsert_articles([article("a")], run_id)
    place = Place("Kunduz", "Afghanistan", "Kunduz", "", 36.7, 68.8, "city", 1)
    mentions = ArticleMentions(
        article_id="a", published=PublicationDate("2021-06-22", "text"),
        toponyms=[Toponym("Kunduz", 0, 6, place)],
        events=[EventMention("a", "s", 0, "seized", "Battles", "Armed clash", place=place,
                             numbers={"killed": [3, 5]})],
        quotes=[Quote("q1", "a", "X", "words")])
    store.save_mentions([("a", "ctx", mentions)])
    (back,) = store.mentions()
    assert back == mentions
    assert store.mention_contexts() == {"a": "ctx"}


def test_embedding_cache_persists(tmp_path: Path) -> None:
    from sitroom.store import EmbeddingCache

    store = Store(tmp_path / "s.sqlite")
    cache = EmbeddingCache(store)
    cache["k"] = b"\x00\x01"
    assert cache["k"] == b"\x00\x01"
    cache.flush()
    store.close()
    again = EmbeddingCache(Store(tmp_path / "s.sqlite"))
    assert again["k"] == b"\x00\x01" and len(again) == 1
    with pytest.raises(KeyError):
        again["missing"]


def test_articles_without_texts_and_by_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    run_id = store.begin_run([])
    store.upsert_articles([article("b", "Bee text."), article("a", "Ay text.")], run_id)
    light = store.articles(texts=False)
    assert [(a.article_id, a.text, a.content_hash) for a in light] == [
        ("a", "", "h-a-8"), ("b", "", "h-b-9")]
    assert [a.text for a in store.iter_articles(["b", "missing", "a"])] == ["Bee text.", "Ay text."]
