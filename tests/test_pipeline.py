"""End to end: `sitroom run` writes every contract file from the store, on the demo and the seeds."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

from sitroom.cli import main

# The columns of ../shared/DESIGN.md's output contract: each file starts with these, in this
# order (columns added since are appended).
CONTRACT = {
    "articles.csv": ["article_id", "title", "outlet", "wire", "published", "published_source",
                     "story_id", "words", "boilerplate_lines"],
    "events.csv": ["event_id", "event_date", "time_precision", "event_type", "sub_event_type",
                   "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude",
                   "longitude", "geo_precision", "fatalities", "fatalities_max", "claim_status",
                   "n_reports", "n_independent_sources", "article_ids", "sources", "notes",
                   "evidence"],
    "quotes.csv": ["quote_id", "article_id", "speaker", "speaker_canonical", "speaker_role", "kind",
                   "stance", "text"],
    "contradictions.csv": ["subject", "field", "value_a", "sources_a", "value_b", "sources_b",
                           "kind"],
    "control.csv": ["place", "admin1", "admin2", "date", "holder", "status", "event_ids"],
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def assert_contract(out: Path) -> None:
    assert (out / "sitroom.sqlite").exists()
    assert (out / "report.html").read_text().startswith("<!doctype html>")
    for name, columns in CONTRACT.items():
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf"), name  # BOM for Excel
        with (out / name).open(newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh))
            assert header[:len(columns)] == columns, name
    for name in ("acled.csv", "events.geojson", "control.geojson"):
        assert (out / name).exists(), name
    stories = json.loads((out / "stories.json").read_text())
    for story in stories:
        assert {"story_id", "title", "article_ids", "origin_article_id", "lineage"} <= set(story)
        for link in story["lineage"]:
            assert link["relation"] in {"origin", "duplicate", "rewrite", "spun", "independent"}
    articles = read_csv(out / "articles.csv")
    for row in articles:
        assert (out / "clean" / f"{row['article_id']}.txt").exists()
        assert row["published_source"] in {"metadata", "text", "story", "none"}
    story_ids = {s["story_id"] for s in stories}
    assert {row["story_id"] for row in articles} <= story_ids


def test_demo_run_writes_contract(demo_run: Path) -> None:
    assert_contract(demo_run)
    problems = sqlite3.connect(demo_run / "sitroom.sqlite").execute("SELECT * FROM problems").fetchall()
    assert problems == []  # a new user's first run reports nothing wrong (the README is not read)
    articles = {r["article_id"]: r for r in read_csv(demo_run / "articles.csv")}
    assert len(articles) == 5
    assert articles["001_afp_torghundi"]["wire"] == "AFP"
    assert articles["001_afp_torghundi"]["published"] == "2021-07-10"
    assert articles["004_ghori_retaken"]["outlet"] == "Kabul Evening Post"
    assert int(articles["002_torghundi_copy"]["boilerplate_lines"]) >= 3


def test_seeds_run_writes_contract_and_wires(seeds_run: Path) -> None:
    assert_contract(seeds_run)
    articles = {r["article_id"][:3]: r for r in read_csv(seeds_run / "articles.csv")}
    assert [articles[k]["wire"].split(";")[0] for k in ("000", "001", "002", "003")] == \
        ["AFP", "AFP", "Reuters", "AFP"]
    assert articles["003"]["outlet"] == "RFE/RL"
    clean = (seeds_run / "clean" / "002_02422dc5ed88dc91.txt").read_text()
    assert "[ad_1]" not in clean and "Source link" not in clean
    assert "Tariq Arian" in clean


def test_rerun_is_idempotent_and_store_is_sound(tmp_path: Path, capsys: Any) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Clashes in the valley\n\nArmy and militants clashed on Monday, police said.")
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    steps = ["reading input", "loading models", "analysing articles", "grouping stories",
             "fusing events", "writing outputs"]
    at = [err.find(f"sitroom: {s}") for s in steps]
    assert all(i >= 0 for i in at) and at == sorted(at), err  # each step named, in order
    assert main(["run", str(src), "--out", str(out), "-q"]) == 0
    err = capsys.readouterr().err
    assert "new or changed article(s)" in err  # the summary prints under --quiet
    assert not any(f"sitroom: {s}" in err for s in steps)  # progress does not
    first = (out / "articles.csv").read_text()
    assert main(["run", str(src), "--out", str(out), "-q"]) == 0
    assert (out / "articles.csv").read_text() == first
    db = sqlite3.connect(out / "sitroom.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    statuses = [r[0] for r in db.execute("SELECT status FROM runs ORDER BY run_id")]
    assert statuses == ["done", "done", "done"]


def test_exit_code_and_messages_for_bad_input(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    assert main(["run", str(bad), "--out", str(tmp_path / "o1"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "empty.txt: empty file" in err and "blob.txt: binary content" in err
    (bad / "good.txt").write_text("Checkpoint attacked\n\nGunmen attacked a checkpoint on Friday.")
    (bad / "brief.pdf").write_bytes(b"%PDF-1.4")
    (bad / "cafe.txt").write_bytes("Caf\xe9 shelled\n\nA shell hit the caf\xe9 on Friday.".encode("cp1252"))
    assert main(["run", str(bad), "--out", str(tmp_path / "o2"), "-q"]) == 0
    err = capsys.readouterr().err
    assert f"sitroom: {bad / 'brief.pdf'}: unsupported file type '.pdf'" in err  # not silent
    assert f"sitroom: {bad / 'cafe.txt'}: not valid UTF-8 (byte 3); decoded as Windows-1252\n" in err
    assert "skipped" not in err.split("cafe.txt")[1].splitlines()[0]  # read, so not "skipped"
    assert "\nsitroom: 2 new or changed article(s)" in err


def test_a_missing_input_path_creates_nothing(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "no_such_dir"), "--out", str(out), "-q"]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert f"sitroom: {tmp_path / 'no_such_dir'}: no such file or folder; nothing read" in err
    assert f"nothing to read (1 problem(s)); {out} left as it was" in err


def test_unimplemented_subcommands_exit_nonzero(tmp_path: Path) -> None:
    assert main(["eval", "nosuchtask", str(tmp_path)]) != 0


def test_adding_an_article_keeps_every_event_id(tmp_path: Path, seeds_dir: Path) -> None:
    """Issue 7: event ids are stable when more articles arrive (here the last seed)."""
    first = tmp_path / "first"
    first.mkdir()
    seeds = sorted(seeds_dir.glob("*.txt"))
    for path in seeds[:-1]:
        (first / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(first), "--out", str(out), "-q"]) == 0
    before = {r["event_id"] for r in read_csv(out / "events.csv")}
    assert before
    stories_before = _story_members(out)
    assert main(["run", str(seeds[-1]), "--out", str(out), "-q"]) == 0
    after = {r["event_id"] for r in read_csv(out / "events.csv")}
    assert before <= after
    assert len(read_csv(out / "articles.csv")) == len(seeds)
    # earlier stories stay whole (the new article may join one of them)
    stories_after = _story_members(out)
    assert all(any(old <= new for new in stories_after) for old in stories_before)
    assert main(["run", "--recluster", "--out", str(out), "-q", str(seeds[-1])]) == 0


def _story_members(out: Path) -> list[set[str]]:
    import json

    data = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    stories = data["stories"] if isinstance(data, dict) else data
    return [set(s["article_ids"]) for s in stories]


def test_story_reanalysis_keeps_mentions_only_when_nothing_they_depend_on_changed() -> None:
    from dataclasses import replace

    from sitroom import geo
    from sitroom import time as time_stage
    from sitroom.clean import clean_article
    from sitroom.nlp import parse
    from sitroom.pipeline import StoryJob, mentions_of, reanalyse_story
    from sitroom.records import PublicationDate, RawArticle

    text = ("KABUL, July 6 (Reuters) - Taliban fighters captured the Imam Sahib district of "
            "Kunduz province on Monday, a police spokesman said.")
    article = clean_article(RawArticle("a1", text, "a1.txt", "txt", "Imam Sahib falls",
                                       published="2021-07-06"))
    published = time_stage.publication_date(article)
    doc = parse(article.text)
    alone = mentions_of(article, doc, published, None)
    assert alone.toponyms and alone.events
    theatre = geo.theatre_of(alone.toponyms)
    data = doc.to_bytes(exclude=["tensor", "user_data"])

    kept = replace(alone, events=[])  # marked: reused mentions come back as they were given
    job = StoryJob([article], {"a1": data}, {"a1": published}, theatre, ["a1", "a2"], {"a1": kept})
    [(aid, _, mentions)] = reanalyse_story(job)
    assert aid == "a1" and mentions is kept

    # another date changes timexes and event dates: recomputed, not reused
    other = PublicationDate("2021-07-07", "story")
    job = StoryJob([article], {"a1": data}, {"a1": other}, theatre, ["a1", "a2"], {"a1": kept})
    [(_, _, mentions)] = reanalyse_story(job)
    assert mentions is not kept and mentions.events
    assert mentions == mentions_of(article, doc, other, theatre)


def test_story_context_changes_only_when_the_rounded_theatre_does() -> None:
    from sitroom.pipeline import context_hash, read_as_now, story_context, story_theatre
    from sitroom.records import CleanArticle, PublicationDate

    article = CleanArticle("m0", "Title", "Some text about Kunduz.", "t.txt", "txt")
    published = PublicationDate("2021-07-06", "metadata")
    own = {f"m{i}": {"Afghanistan": 2.0, "Kunduz, Afghanistan": 1.0} for i in range(300)}
    members = list(own)
    theatre = story_theatre(members, own)
    assert theatre == {"Afghanistan": 0.67, "Kunduz, Afghanistan": 0.33}
    before = story_context(article, published, members, theatre)
    # one more report with one stray place: shares move by less than the rounding
    own["new"] = {"Afghanistan": 1.0, "Pakistan": 1.0}
    after_theatre = story_theatre(members + ["new"], own)
    assert after_theatre == theatre
    assert story_context(article, published, members + ["new"], after_theatre) == before
    # ten more: the shares drift by 0.01, within THEATRE_DRIFT: the mentions stand
    for i in range(10):
        own[f"q{i}"] = {"Afghanistan": 1.0, "Pakistan": 1.0}
    drifted = story_theatre(members + [f"q{i}" for i in range(10)], own)
    assert drifted != theatre
    assert read_as_now(before, story_context(article, published, members, drifted))
    # a third of the story elsewhere is a different theatre: the members are read again
    for i in range(150):
        own[f"p{i}"] = {"Pakistan": 3.0}
    moved = story_theatre(members + [f"p{i}" for i in range(150)], own)
    assert not read_as_now(before, story_context(article, published, members, moved))
    # another date is another reading, whatever the theatre
    assert not read_as_now(before, story_context(article, PublicationDate("2021-07-07", "x"),
                                                 members, theatre))
    # an article alone keeps the context it was analysed with
    assert story_context(article, published, ["m0"], {}) == context_hash(article, published,
                                                                          ["m0"])


def test_input_bytes_counts_what_ingest_reads(tmp_path: Path) -> None:
    from sitroom.pipeline import input_bytes

    (tmp_path / "a.txt").write_text("x" * 100, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("y" * 50, encoding="utf-8")
    (tmp_path / "c.png").write_bytes(b"z" * 1000)  # not read by ingest
    assert input_bytes([tmp_path, tmp_path / "missing.txt"]) == 150
    assert input_bytes([tmp_path], enough=100) >= 100


def test_a_storys_stale_members_are_read_in_slices(seeds_run: Path, tmp_path: Path,
                                                  monkeypatch: Any) -> None:
    """Each engine task carries at most BATCH of a story's members (their texts and parses); the
    mentions come out as when the whole story was one task."""
    import shutil

    from sitroom import pipeline
    from sitroom.engines import LocalEngine
    from sitroom.store import open_store

    shutil.copy(seeds_run / "sitroom.sqlite", tmp_path / "sitroom.sqlite")
    store = open_store(tmp_path)
    try:
        stories_ = store.stories()
        big = max(stories_, key=lambda s: len(s.article_ids))
        assert len(big.article_ids) >= 2
        before = store.mentions_for(big.article_ids)
        dates = {a: m.published for a, m in store.mentions_for(store.article_ids()).items()}
        store.db.execute("UPDATE mentions SET context_hash = 'stale'")  # every article to re-read
        store.db.commit()
        tasks: list[list[int]] = []

        class Recording(LocalEngine):
            warm = True  # used even for a small update (else a plain engine is)

            def map(self, fn: Any, items: Any) -> Any:
                for chunk in items:
                    tasks.append([len(job.articles) for job in chunk])
                    yield fn(chunk)

        monkeypatch.setattr(pipeline, "BATCH", 1)
        pipeline.update_story_mentions(store, stories_, dates, Recording(workers=1), quiet=True)
        jobs = [n for sizes in tasks for n in sizes]
        assert jobs == [1] * len(dates)  # one member per job, every article once
        assert store.mentions_for(big.article_ids) == before
    finally:
        store.close()
