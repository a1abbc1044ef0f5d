"""Fusion, contradictions and control over hand-built mentions (no model needed)."""

from __future__ import annotations

import dataclasses

from sitroom.fuse import control_timeline, find_contradictions, fuse_events
from sitroom.records import (
    Actor,
    ArticleMentions,
    CleanArticle,
    EventMention,
    LineageLink,
    Place,
    PublicationDate,
    Quote,
    Story,
    Toponym,
)

TALIBAN = Actor("Taliban", "rebel group")
ARMY = Actor("Military Forces of Afghanistan", "state forces")
DAM = Place("Dam Post", "Afghanistan", "Kunduz", "Imam Sahib", 37.1, 68.9, "crossing", 1, "X1")
TOWN = Place("Qala Town", "Afghanistan", "Badghis", "Qala", 34.9, 63.1, "city", 1, "X2")


def capture(aid: str, start: int = 0, date: str = "2021-06-22", killed: int | None = None,
            modality: str = "reported", place: Place = DAM, sub: str = "Non-state actor overtakes territory",
            actor1: Actor = TALIBAN, actor2: Actor = ARMY) -> EventMention:
    return EventMention(aid, f"{aid} sentence", start, "seized", "Battles", sub, actor1, actor2,
                        place=place, location_text=place.name, date=date, time_precision=1,
                        fatalities=killed, fatalities_max=killed, modality=modality)


def story(*links: tuple[str, str | None, str]) -> Story:
    return Story("S1", "t", [a for a, _, _ in links], links[0][0],
                 [LineageLink(a, d, r, 0.9) for a, d, r in links])


def am(aid: str, events: list[EventMention], quotes: list[Quote] | None = None,
       toponyms: list[Toponym] | None = None) -> ArticleMentions:
    return ArticleMentions(aid, PublicationDate("2021-06-22", "text"), toponyms=toponyms or [],
                           events=events, quotes=quotes or [])


def test_copies_fuse_into_one_event_counting_origins() -> None:
    stories = [story(("a", None, "origin"), ("b", "a", "spun"), ("c", None, "independent"))]
    mentions = [am("a", [capture("a", killed=5)]), am("b", [capture("b", killed=7)]),
                am("c", [capture("c", date="2021-06-23", killed=3)])]
    (event,) = fuse_events(mentions, stories, [])
    assert event.n_reports == 3
    assert event.n_independent_sources == 2
    assert (event.fatalities, event.fatalities_max) == (3, 7)
    assert (event.admin1, event.admin2, event.location) == ("Kunduz", "Imam Sahib", "Dam Post")
    assert event.event_date == "2021-06-22" and event.claim_status == "reported"
    assert len(event.evidence) == 3


def test_associated_actors_are_carried_to_the_event_most_reported_first() -> None:
    rioters = Actor("Rioters (Afghanistan)", "Rioters")
    pashtun = Actor("Rioters (Afghanistan)", "Rioters", "pashtun mob", assoc="Pashtun Ethnic Group (Afghanistan)")
    tajik = Actor("Rioters (Afghanistan)", "Rioters", "tajik mob", assoc="Tajik Ethnic Group (Afghanistan)")
    hazara = Actor("Civilians (Afghanistan)", "Civilians", "hazara villagers",
                   assoc="Hazara Ethnic Group (Afghanistan)")
    mentions = [am(aid, [capture(aid, sub="Mob violence", actor1=a1, actor2=hazara)])
                for aid, a1 in (("a", pashtun), ("b", tajik), ("c", tajik), ("d", rioters))]
    (event,) = fuse_events(mentions, [], [])
    assert event.actor1 == "Rioters (Afghanistan)" and event.actor2 == "Civilians (Afghanistan)"
    assert event.assoc_actor_1 == "Tajik Ethnic Group (Afghanistan); Pashtun Ethnic Group (Afghanistan)"
    assert event.assoc_actor_2 == "Hazara Ethnic Group (Afghanistan)"
    (plain,) = fuse_events([am("e", [capture("e")])], [], [])
    assert plain.assoc_actor_1 == plain.assoc_actor_2 == ""


def test_different_places_days_or_actors_stay_apart() -> None:
    mentions = [am("a", [capture("a"), capture("a", start=50, place=TOWN)]),
                am("b", [capture("b", date="2021-06-28")]),
                am("c", [capture("c", actor1=Actor("Islamic State"))])]
    events = fuse_events(mentions, [], [])
    assert len(events) == 4


def test_event_ids_survive_new_articles() -> None:
    stories = [story(("a", None, "origin"))]
    first = fuse_events([am("a", [capture("a"), capture("a", 80, place=TOWN)])], stories, [])
    stories2 = [story(("a", None, "origin"), ("z", "a", "duplicate"))]
    second = fuse_events([am("a", [capture("a"), capture("a", 80, place=TOWN)]),
                          am("z", [capture("z")])], stories2, first)
    assert {e.event_id for e in first} == {e.event_id for e in second}
    grown = next(e for e in second if e.n_reports == 2)
    assert grown.event_id in {e.event_id for e in first}


def test_denial_disputes_the_report_before_it() -> None:
    denial = Quote("q1", "a", "Tariq Arian", "the crossing is still under government control",
                   kind="indirect", stance="deny", speaker_canonical="Tariq Arian", start=120, end=170)
    mentions = [am("a", [capture("a", start=10)], [denial])]
    (event,) = fuse_events(mentions, [], [])
    assert event.claim_status == "disputed"
    (contra,) = find_contradictions(mentions, [], {}, [event])
    assert contra.kind == "claim_denial" and contra.sources_b == ["Tariq Arian"]
    (record,) = control_timeline([event])
    assert record.status == "contested" and record.holder == "Taliban"


def test_control_follows_takeover_and_recapture() -> None:
    taken = capture("a", place=TOWN, date="2021-07-07")
    retaken = capture("a", start=90, place=TOWN, date="2021-07-08", actor1=ARMY, actor2=TALIBAN,
                      sub="Government regains territory")
    events = fuse_events([am("a", [taken, retaken])], [], [])
    timeline = control_timeline(events)
    assert [(r.date, r.holder) for r in timeline] == [
        ("2021-07-07", "Taliban"), ("2021-07-08", "Military Forces of Afghanistan")]
    assert all(r.event_ids for r in timeline)


def _article(aid: str, text: str) -> CleanArticle:
    return CleanArticle(aid, "t", text, f"{aid}.txt", "txt", wire="AFP")


def test_number_contradictions_across_sources_and_inside_a_story() -> None:
    texts = {
        "a": "The envoy said the Taliban have taken more than 50 of the country's 370 districts. "
             "The withdrawal of the remaining 2,500 US troops goes on.",
        "b": "The Taliban stated that they control more than 200 districts in 34 provinces.",
        "c": "About 2 5 Hundreds U S. troops were present in the country.",
    }
    articles = {k: _article(k, v) for k, v in texts.items()}
    stories = [story(("a", None, "origin"), ("c", "a", "spun")), Story("S2", "t", ["b"], "b")]
    found = find_contradictions([am(k, []) for k in texts], stories, articles, [])
    kinds = {(c.kind, c.subject) for c in found}
    assert ("number", "us troops") in kinds
    districts = [c for c in found if c.subject.startswith("districts held")]
    assert districts and {districts[0].value_a, districts[0].value_b} == {
        "more than 50 of the country's 370", "more than 200"}


def test_contradictions_read_one_report_at_a_time_are_the_same() -> None:
    # the pipeline hands contradictions_of a one-pass generator reading the store
    from sitroom.fuse import contradictions_of

    texts = {"a": "The Taliban have taken more than 50 of the country's 370 districts.",
             "b": "The Taliban stated that they control more than 200 districts in 34 provinces.",
             "c": "No figures here."}
    articles = {k: _article(k, v) for k, v in texts.items()}
    mentions = [am(k, []) for k in texts]
    stories = [Story("S1", "t", ["a"], "a"), Story("S2", "t", ["b", "c"], "b")]
    expected = find_contradictions(mentions, stories, articles, [])
    assert expected
    one_pass = ((articles[m.article_id], m) for m in mentions)
    assert contradictions_of(one_pass, stories, []) == expected


def test_place_said_to_face_two_countries_is_a_fact_contradiction() -> None:
    tajik = Place("Tajikistan", "Tajikistan", feature="country")
    uzbek = Place("Uzbekistan", "Uzbekistan", feature="country")
    town = Place("Imam Sahib", "Afghanistan", "Kunduz", "Imam Sahib", feature="city")
    text_a = "Fighters overran Imam Sahib, which borders Tajikistan, on Monday."
    text_b = "They took Imam Sahib, a town across from Uzbekistan, last month."

    def tops(text: str, *places: Place) -> list[Toponym]:
        return [Toponym(p.name, text.index(p.name), text.index(p.name) + len(p.name), p) for p in places]

    mentions = [am("a", [], toponyms=tops(text_a, town, tajik)),
                am("b", [], toponyms=tops(text_b, town, uzbek))]
    found = find_contradictions(mentions, [], {"a": _article("a", text_a), "b": _article("b", text_b)}, [])
    (fact,) = [c for c in found if c.kind == "fact"]
    assert fact.subject == "Imam Sahib" and {fact.value_a, fact.value_b} == {"Tajikistan", "Uzbekistan"}


def test_source_labels_drop_datelines_and_appositions() -> None:
    from sitroom.fuse.events import source_label

    assert source_label("Herat (AFP)-Two police officers") == "Two police officers"
    assert source_label("A governor , who spoke on condition of anonymity ,") == "A governor"
    assert source_label("Army spokesman Ali Khan") == "Army spokesman Ali Khan"


def test_a_month_dated_report_does_not_chain_two_days_at_two_places() -> None:
    # a district taken on the 21st, a crossing inside it on the 22nd, and a later report that the
    # district fell "last month": two events, the vague report joins the one at its own place
    district = Place("Qala District", "Afghanistan", "Kunduz", "Imam Sahib", 37.18, 68.97, "admin2", 2, "X3")
    day21 = capture("a3", date="2021-06-21", place=district)
    day22 = capture("a0", place=DAM)
    month = dataclasses.replace(capture("a4", date="2021-06-15", place=district), time_precision=3)
    events = fuse_events([am("a0", [day22]), am("a3", [day21]), am("a4", [month])],
                         [story(("a0", None, "origin")), ], [])
    by_place = {e.location: sorted(e.article_ids) for e in events}
    assert by_place == {"Dam Post": ["a0"], "Qala District": ["a3", "a4"]}


def test_a_clash_told_with_its_sides_in_either_order_is_one_event() -> None:
    a = capture("a1", sub="Armed clash")
    b = capture("a2", sub="Armed clash", actor1=ARMY, actor2=TALIBAN)
    takeover, regain = capture("a1", start=50), capture("a2", start=50, sub="Government regains territory",
                                                         actor1=ARMY, actor2=TALIBAN)
    events = fuse_events([am("a1", [a, takeover]), am("a2", [b, regain])],
                         [story(("a1", None, "origin"), ("a2", "a1", "copy"))], [])
    assert sorted((e.sub_event_type, e.n_reports) for e in events) == [
        ("Armed clash", 2), ("Government regains territory", 1), ("Non-state actor overtakes territory", 1)]


def test_an_event_is_placed_at_its_finest_place_not_a_province_named_alike() -> None:
    city = Place("Kunduz", "Afghanistan", "Kunduz", "Kunduz", 36.7, 68.8, "city", 1, "X4")
    events = fuse_events([am("a1", [capture("a1", place=city)]), am("a2", [capture("a2")]),
                          am("a3", [capture("a3", place=city)])],
                         [story(("a1", None, "origin"), ("a2", "a1", "copy"), ("a3", "a1", "copy"))], [])
    assert [(e.location, e.n_reports) for e in events] == [("Dam Post", 3)]


def test_a_report_that_names_no_place_takes_its_storys_or_makes_no_row() -> None:
    placed = capture("a1", sub="Arrests")
    copy, alone = (dataclasses.replace(capture(a, sub="Arrests"), place=None, location_text="")
                   for a in ("a2", "a3"))
    events = fuse_events([am("a1", [placed]), am("a2", [copy]), am("a3", [alone])],
                         [story(("a1", None, "origin"), ("a2", "a1", "copy"))], [])
    assert [(e.location, e.article_ids) for e in events] == [("Dam Post", ["a1", "a2"])]


def test_a_province_level_report_does_not_join_two_distant_towns() -> None:
    province = Place("Kunduz", "Afghanistan", "Kunduz", "", 36.8, 68.9, "admin1", 3, "X5")
    far = Place("Far Town", "Afghanistan", "Kunduz", "Dasht", 36.0, 69.5, "city", 1, "X6")
    events = fuse_events([am("a1", [capture("a1")]), am("a2", [capture("a2", place=province)]),
                          am("a3", [capture("a3", place=far)])],
                         [story(("a1", None, "origin")), ], [])
    # independent reports: the province-level one joins neither town (only a copy of one would)
    assert sorted(len(e.article_ids) for e in events) == [1, 1, 1]


def test_an_undated_report_does_not_chain_a_fortnight_of_events_at_one_place() -> None:
    undated = dataclasses.replace(capture("a2"), date=None, time_precision=None)
    events = fuse_events([am("a1", [capture("a1", date="2021-06-22")]), am("a2", [undated]),
                          am("a3", [capture("a3", date="2021-07-06")])], [], [])
    assert sorted(len(e.article_ids) for e in events) == [1, 1, 1]


def test_an_undated_report_joins_only_the_account_it_copies() -> None:
    undated = {a: dataclasses.replace(capture(a), date=None, time_precision=None) for a in ("a2", "a3")}
    events = fuse_events([am("a1", [capture("a1")]), am("a2", [undated["a2"]]), am("a3", [undated["a3"]])],
                         [story(("a1", None, "origin"), ("a2", "a1", "spun"), ("a3", None, "independent"))], [])
    assert sorted(e.article_ids for e in events) == [["a1", "a2"], ["a3"]]


def test_only_copies_lend_a_place_to_a_report_that_names_none() -> None:
    placed = capture("a1", sub="Arrests")
    copy, other = (dataclasses.replace(capture(a, sub="Arrests"), place=None, location_text="")
                   for a in ("a2", "a3"))
    events = fuse_events([am("a1", [placed]), am("a2", [copy]), am("a3", [other])],
                         [story(("a1", None, "origin"), ("a2", "a1", "spun"), ("a3", None, "independent"))], [])
    assert [e.article_ids for e in events] == [["a1", "a2"]]


def test_a_toll_told_again_weeks_on_joins_the_event_it_retells() -> None:
    first = dataclasses.replace(capture("a1", date="2021-06-02", killed=58), date_basis="own")
    retold = dataclasses.replace(capture("a2", date="2021-06-23", killed=58), date_basis="report")
    events = fuse_events([am("a1", [first]), am("a2", [retold])], [], [])
    assert [(e.event_date, e.article_ids) for e in events] == [("2021-06-02", ["a1", "a2"])]
    # another toll, or a date of its own, is another event
    for later in (dataclasses.replace(retold, fatalities=3, fatalities_max=3),
                  dataclasses.replace(retold, date_basis="own")):
        assert len(fuse_events([am("a1", [first]), am("a2", [later])], [], [])) == 2


def test_independent_reports_dated_only_by_their_day_at_a_province_stay_apart() -> None:
    province = Place("Kunduz", "Afghanistan", "Kunduz", "", 36.8, 68.9, "admin1", 3, "X5")
    a, b = (dataclasses.replace(capture(aid, place=province), date_basis="report") for aid in ("a1", "a2"))
    assert len(fuse_events([am("a1", [a]), am("a2", [b])], [], [])) == 2
    # copies of one account, or reports that date the act themselves, are one event
    copies = [story(("a1", None, "origin"), ("a2", "a1", "copy"))]
    assert len(fuse_events([am("a1", [a]), am("a2", [b])], copies, [])) == 1
    own = [dataclasses.replace(m, date_basis="own") for m in (a, b)]
    assert len(fuse_events([am("a1", [own[0]]), am("a2", [own[1]])], [], [])) == 1


def test_a_doer_no_report_names_is_written_as_acled_writes_it() -> None:
    stabbing = dataclasses.replace(capture("a1", sub="Attack"), event_type="Violence against civilians",
                                   actor1=None, actor2=Actor("Civilians (Afghanistan)", "Civilians"))
    police = Actor("Police Forces of Afghanistan", "State forces")
    riot = dataclasses.replace(capture("a2", date="2021-06-25", sub="Mob violence"), event_type="Riots",
                               actor1=police, actor2=None)
    events = fuse_events([am("a1", [stabbing]), am("a2", [riot])], [], [])
    assert sorted((e.actor1, e.inter1, e.actor2) for e in events) == [
        ("Rioters (Afghanistan)", "Rioters", "Police Forces of Afghanistan"),
        ("Unidentified Armed Group (Afghanistan)", "Political militia", "Civilians (Afghanistan)")]


def test_who_holds_the_districts_counted_comes_from_the_actor_table() -> None:
    from sitroom.fuse.contradictions import quantity_claims
    from sitroom.records import CleanArticle

    text = "Boko Haram has seized more than 40 districts in Nigeria, officials said."
    claims = quantity_claims(CleanArticle("a1", "t", text, "", ""), [])
    assert [(c.held_by, c.country_wide) for c in claims] == [("Boko Haram", True)]
