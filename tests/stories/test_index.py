"""The story index: band keys as minhash's LSH buckets them, copies found by their bands, near
leads only within the days a story spans."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from sitroom.records import CleanArticle
from sitroom.stories.index import band_keys, copy_estimate, index_entries, nearest
from sitroom.stories.minhash import _buckets, signatures
from sitroom.store import open_store

TEXT = ("Police in Kanpur arrested four men on Tuesday after a clash outside a temple left two "
        "people injured, officers said, adding that a case had been registered.")
OTHER = "Heavy rain flooded roads in Chennai on Monday and schools were closed for the day."


def test_band_keys_are_equal_exactly_where_minhash_buckets_texts() -> None:
    texts = [TEXT, TEXT.replace("four", "4"), OTHER, OTHER + " Trains ran late."]
    sig = signatures(texts)
    keys = band_keys(sig, 0.5)
    shared = {(i, j) for i in range(4) for j in range(i + 1, 4)
              if (keys[i] == keys[j]).any()}
    bucketed = {(b[x], b[y]) for b in _buckets(sig, 0.5, sig.shape[1])
                for x in range(len(b)) for y in range(x + 1, len(b))}
    assert shared == bucketed


def test_index_finds_copies_and_only_near_days(tmp_path: Path) -> None:
    lead = np.zeros((3, 4), dtype=np.float32)
    lead[:, 0] = 1.0
    days = [date(2021, 6, 1), date(2021, 6, 3), date(2021, 7, 1)]
    entries = index_entries(["a", "b", "c"], ["h1", "h2", "h3"], [TEXT, OTHER, TEXT], days,
                            lead, 0.5)
    store = open_store(tmp_path)
    run = store.begin_run([])
    store.upsert_articles([CleanArticle(article_id=a, title=a, text="x", source_path=a, fmt="txt",
                                        content_hash=h) for a, h in (("a", "h1"), ("b", "h2"),
                                                                     ("c", "h3"))], run)
    store.save_story_index(entries)
    (copy,) = index_entries(["n"], ["hn"], [TEXT.replace("four", "4")], [date(2021, 6, 2)],
                            lead[:1], 0.5)
    matches = store.band_matches(copy.bands)
    assert {a for a, s in matches.items() if copy_estimate(copy.signature, s) >= 0.5} == {"a", "c"}
    ids, matrix = store.leads_near(copy.day, 7)
    assert sorted(ids) == ["a", "b"]  # c is four weeks later
    assert [ids[i] for i in nearest(lead[0], matrix)] == ids
    assert nearest(-lead[0], matrix) == []  # nothing alike enough
    assert store.story_index_hashes() == {"a": "h1", "b": "h2", "c": "h3"}
    store.close()
