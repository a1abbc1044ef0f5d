"""Incremental fusion over a store of hand-built mentions: an update fuses only what it touches,
gives what one fusion of everything gives, keeps untouched rows and ids, and logs the changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sitroom.fuse import fuse_events
from sitroom.fuse.incremental import blocks_of, window_bounds
from sitroom.records import (
    ArticleMentions,
    CleanArticle,
    LineageLink,
    Place,
    PublicationDate,
    Quote,
    Story,
)
from sitroom.store import open_store
from sitroom.incremental.fusion import fuse_update
from tests.fuse.test_fuse import DAM, TOWN, am, capture

FAR = Place("Far Town", "Afghanistan", "Herat", "Far", 34.3, 62.2, "city", 1, "X3")


def article(aid: str) -> CleanArticle:
    return CleanArticle(article_id=aid, title=aid, text=f"{aid} text.", source_path=f"{aid}.txt",
                        fmt="txt", outlet=f"outlet {aid}", content_hash=f"h-{aid}")


def alone(aid: str) -> Story:
    return Story(f"S-{aid}", aid, [aid], aid, [LineageLink(aid, None, "origin", 1.0)])


def put(out: Path, items: list[ArticleMentions]) -> None:
    store = open_store(out)
    store.upsert_articles([article(m.article_id) for m in items], store.begin_run([]))
    store.save_mentions([(m.article_id, f"ctx-{m.article_id}", m) for m in items])
    store.close()


def fields(events: list) -> list[tuple]:
    return sorted((e.event_date, e.sub_event_type, e.location, e.actor1, e.actor2,
                   tuple(e.article_ids), e.fatalities) for e in events)


def reports() -> list[ArticleMentions]:
    return [am("a1", [capture("a1", killed=4)]),
            am("a2", [capture("a2", place=TOWN, date="2021-06-10")]),
            am("a3", [capture("a3", killed=2)]),  # the same capture at the dam as a1
            am("a4", [capture("a4", place=FAR, date="2021-06-23"),
                      capture("a4", 90, place=DAM, date="2021-06-15")])]


def test_an_update_fuses_only_what_it_touches_and_matches_one_fusion(tmp_path: Path) -> None:
    first, later = reports()[:2], reports()[2:]
    out = tmp_path / "out"
    put(out, first)
    store = open_store(out)
    fuse_update(store, [alone("a1"), alone("a2")], {"a1", "a2"}, None)
    before = {e.event_id: e for e in store.events()}
    town_id = next(i for i, e in before.items() if e.location == TOWN.name)
    dam_id = next(i for i, e in before.items() if e.location == DAM.name)
    store.close()

    put(out, later)
    store = open_store(out)
    summary = fuse_update(store, [alone(a) for a in ("a1", "a2", "a3", "a4")], {"a3", "a4"}, 2)
    after = store.events()
    # the capture at the town was not met by anything new: its row is the stored one
    assert summary.n_refused_mentions == 4  # a1's, a3's and a4's two (not a2's)
    assert {e.event_id: e for e in after}[town_id] == before[town_id]
    # the dam event keeps its id as a3 joins it; a4's two reports are new events
    dam = {e.event_id: e for e in after}[dam_id]
    assert dam.article_ids == ["a1", "a3"]
    whole = fuse_events(reports(), [alone(a) for a in ("a1", "a2", "a3", "a4")], [],
                        {a: article(a) for a in ("a1", "a2", "a3", "a4")})
    assert fields(after) == fields(whole)
    log = list(store.changes(run_id=2))
    by_kind = {(c["change"], c["event_id"]) for c in log}
    assert ("changed", dam_id) in by_kind
    assert sum(c["change"] == "added" for c in log) == 2
    assert not any(c["event_id"] == town_id for c in log)
    changed = next(c for c in log if c["event_id"] == dam_id)
    assert changed["articles_joined"] == ["a3"] and "n_reports" in changed["fields"]
    store.close()


def test_an_edited_report_that_no_longer_tells_the_event_retires_or_shrinks_it(tmp_path: Path
                                                                             ) -> None:
    out = tmp_path / "out"
    put(out, [am("a1", [capture("a1")]), am("a3", [capture("a3")])])
    store = open_store(out)
    stories = [alone("a1"), alone("a3")]
    fuse_update(store, stories, {"a1", "a3"}, 1)
    (event,) = store.events()
    store.close()
    # a3 edited: now a report from elsewhere; a1 alone keeps the event and its id
    put(out, [am("a3", [capture("a3", place=FAR)])])
    store = open_store(out)
    store.save_mentions([("a3", "ctx-a3-edited", am("a3", [capture("a3", place=FAR)]))])
    fuse_update(store, stories, {"a3"}, 2)
    events = {e.event_id: e for e in store.events()}
    assert events[event.event_id].article_ids == ["a1"]
    assert len(events) == 2
    log = {c["change"] for c in store.changes(run_id=2)}
    assert log == {"changed", "added"}
    # an update with nothing new writes nothing and logs nothing
    assert fuse_update(store, stories, set(), 3).n_refused_mentions == 0
    assert list(store.changes(run_id=3)) == []
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_two_events_an_arrival_joins_are_merged_and_logged(tmp_path: Path) -> None:
    # a day-dated capture on the 21st and one on the 23rd at the dam are two events; a report
    # dated to that week (precision 2) at the dam fits both and joins them only as one chain
    # where _apart allows: here the two days differ, so they stay two, and the week-report
    # joins one of them (the closest pair first)
    out = tmp_path / "out"
    d21 = capture("a1", date="2021-06-21")
    d22 = capture("a2", date="2021-06-22")
    put(out, [am("a1", [d21]), am("a2", [d22])])
    store = open_store(out)
    fuse_update(store, [alone("a1"), alone("a2")], {"a1", "a2"}, 1)
    assert len(store.events()) == 1  # max_day_gap 1: one event
    store.close()
    out2 = tmp_path / "two"
    d25 = capture("b2", date="2021-06-25")
    put(out2, [am("b1", [d21]), am("b2", [d25])])
    store = open_store(out2)
    fuse_update(store, [alone("b1"), alone("b2")], {"b1", "b2"}, 1)
    ids = {e.event_id for e in store.events()}
    assert len(ids) == 2
    store.close()
    # the second report edited to the 22nd: the two become one; the other id is merged into it
    edited = capture("b2", date="2021-06-22")
    put(out2, [am("b2", [edited])])
    store = open_store(out2)
    store.save_mentions([("b2", "ctx-b2-edited", am("b2", [edited]))])
    fuse_update(store, [alone("b1"), alone("b2")], {"b2"}, 2)
    (merged,) = store.events()
    assert merged.event_id in ids
    log = {c["change"]: c for c in store.changes(run_id=2)}
    assert set(log) == {"changed", "merged"}
    assert log["merged"]["into"] == [merged.event_id]
    store.close()


def test_blocks_and_windows_cover_what_fusion_compares() -> None:
    m = capture("a", date="2021-06-22")
    assert window_bounds(m, 1) == ("2021-06-21", "2021-06-22")
    assert window_bounds(dataclasses.replace(m, date=None), 1) == (None, None)
    blocks = blocks_of(m)
    assert any(b.endswith("|id:X1") for b in blocks)
    assert any(b.endswith("|Afghanistan|Kunduz") for b in blocks)
    assert blocks_of(dataclasses.replace(m, place=None, location_text="")) == []


def test_a_denial_in_a_new_article_reaches_the_event_and_its_contradiction(tmp_path: Path
                                                                         ) -> None:
    out = tmp_path / "out"
    put(out, [am("a1", [capture("a1")])])
    store = open_store(out)
    fuse_update(store, [alone("a1")], {"a1"}, 1)
    store.close()
    denial = Quote("a3-q0", "a3", "Fawad Aman", "denied it", "indirect", "deny", start=40)
    put(out, [am("a3", [capture("a3")], [denial])])
    store = open_store(out)
    fuse_update(store, [alone("a1"), alone("a3")], {"a3"}, 2)
    (event,) = store.events()
    assert event.claim_status == "disputed"
    rows = store.rows("SELECT kind, scope FROM contradictions")
    assert rows == [{"kind": "claim_denial", "scope": f"event:{event.event_id}"}]
    assert store.rows("SELECT speaker_canonical FROM quotes") == [
        {"speaker_canonical": "Fawad Aman"}]
    store.close()


def test_a_copy_that_names_no_place_is_fused_again_when_its_story_changes(tmp_path: Path
                                                                          ) -> None:
    def copies(*aids: str) -> Story:
        return Story("S", "t", list(aids), aids[0],
                     [LineageLink(aids[0], None, "origin", 1.0)]
                     + [LineageLink(a, aids[0], "duplicate", 0.9) for a in aids[1:]])

    unplaced = dataclasses.replace(capture("a2"), place=None, location_text="")
    first = [am("a1", [capture("a1")]), am("a2", [unplaced]), am("b1", [capture("b1", place=TOWN)])]
    out = tmp_path / "out"
    put(out, first)
    store = open_store(out)
    fuse_update(store, [copies("a1", "a2"), alone("b1")], {"a1", "a2", "b1"}, 1)
    (dam,) = [e for e in store.events() if e.location == DAM.name]
    assert dam.article_ids == ["a1", "a2"]  # a2 took its place from a1
    store.close()
    # a copy at another province joins the story: a2's place is no longer one province's
    other = capture("a3", place=FAR)
    put(out, [am("a3", [other])])
    store = open_store(out)
    stories = [copies("a1", "a2", "a3"), alone("b1")]
    summary = fuse_update(store, stories, {"a3"}, 2, complete=False)
    # a2 fused again: it now names no place (dropped), and a1's event loses it; b1 untouched
    assert summary.n_refused_mentions == 2
    whole = fuse_events(first + [am("a3", [other])], stories, [])
    assert fields(store.events()) == fields(whole)
    store.close()


def test_a_toll_told_again_later_joins_its_event_in_an_update(tmp_path: Path) -> None:
    first = am("a1", [dataclasses.replace(capture("a1", date="2021-06-02", killed=58), date_basis="own")])
    retold = am("a2", [dataclasses.replace(capture("a2", date="2021-06-23", killed=58), date_basis="report")])
    out = tmp_path / "out"
    put(out, [first])
    store = open_store(out)
    fuse_update(store, [alone("a1")], {"a1"}, None)
    store.close()
    put(out, [retold])
    store = open_store(out)
    fuse_update(store, [alone("a1"), alone("a2")], {"a2"}, 2)
    whole = fuse_events([first, retold], [alone("a1"), alone("a2")], [], {a: article(a) for a in ("a1", "a2")})
    assert fields(store.events()) == fields(whole)
    assert [e.article_ids for e in store.events()] == [["a1", "a2"]]
    store.close()


def test_a_store_fused_before_the_index_existed_is_fused_afresh_without_doubling(tmp_path: Path) -> None:
    out = tmp_path / "out"
    put(out, reports())
    store = open_store(out)
    stories = [alone(a) for a in ("a1", "a2", "a3", "a4")]
    fuse_update(store, stories, {"a1", "a2", "a3", "a4"}, None)
    n = len(store.events())
    with store.transaction():  # what a store of an older sitroom holds: events, no index
        for table in ("fusion_blocks", "fusion_mentions", "fusion_articles"):
            store.db.execute(f"DELETE FROM {table}")  # noqa: S608
    fuse_update(store, stories, set(), 2)
    assert len(store.events()) == n
    store.close()
