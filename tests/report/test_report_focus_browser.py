"""The page's views focus on where the events are, in headless Chromium: one misdated event does
not stretch the timeline over decades and one far-off place does not zoom the map out to the world
(both are listed beside their view and stay in the table), places are named on the map, undated
events come last; at a phone's width nothing runs off the screen.

The store is written here: seven events in northern Afghanistan between 20 June and 10 July 2021,
one of them misdated to 1993, one far away (São Paulo), one undated; and a story whose articles
copy each other in a chain of ten; quotes from a named and an unnamed source. The texts are
invented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom.records import CleanArticle, Event, LineageLink, PublicationDate, Quote, Story
from sitroom.store import open_store
from tests.report.browser import needs_chromium, opened_report, save_screenshot

pytestmark = [pytest.mark.browser, needs_chromium]

# (id, date, place, admin1, latitude, longitude); all Battles or Explosions, one article each
PLACES = [
    ("E-kunduz", "2021-06-20", "Kunduz", "Kunduz", 36.73, 68.86),
    ("E-imam", "2021-06-22", "Imam Sahib", "Kunduz", 37.18, 68.91),
    ("E-mazar", "2021-06-26", "Mazar-e-Sharif", "Balkh", 36.71, 67.11),
    ("E-taloqan", "2021-07-01", "Taloqan", "Takhar", 36.74, 69.53),
    ("E-pulikhumri", "2021-07-04", "Pul-e Khumri", "Baghlan", 35.94, 68.71),
    ("E-faizabad", "2021-07-10", "Faizabad", "Badakhshan", 37.12, 70.58),
    ("E-misdated", "1993-03-01", "Kunduz", "Kunduz", 36.73, 68.86),  # a wrong year: off the timeline
]
FAR = ("E-far", "2021-06-30", "Sao Paulo", "Sao Paulo", -23.55, -46.63)  # off the map's view
IN_VIEW = [p[0] for p in PLACES]
LONG_WORD = "Shankaracharyapeethadhipati"  # a word no narrow column can hold
ON_TIMELINE = [p[0] for p in PLACES if p[0] != "E-misdated"] + [FAR[0]]


def _event(eid: str, day: str | None, place: str, admin1: str, lat: float | None,
           lon: float | None, n: int) -> Event:
    country = "Brazil" if eid == "E-far" else "Afghanistan"
    kind = ("Battles", "Armed clash") if n % 2 else ("Explosions/Remote violence",
                                                      "Remote explosive/landmine/IED")
    return Event(eid, day, 1 if day else None, *kind, actor1="Taliban",
                 actor2="Military Forces of Afghanistan", country=country, admin1=admin1,
                 location=place, latitude=lat, longitude=lon, geo_precision=1 if lat else None,
                 fatalities=n, n_reports=1, n_independent_sources=1, article_ids=[f"a{n}"],
                 sources=["Wire Desk"], evidence=[f"Fighting was reported in {place}."],
                 trace="; ".join(["frame FIRE", "said", "numbers from the next sentence"] * 20))


@pytest.fixture(scope="module")
def focus_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitroom.report import render_report

    out = tmp_path_factory.mktemp("focus")
    rows = [*PLACES, FAR, ("E-undated", None, "", "Kunduz", None, None)]
    events = [_event(*row, n=i) for i, row in enumerate(rows)]
    articles = [CleanArticle(article_id=f"a{i}", title=f"Fighting reported near {LONG_WORD}, part {i}",
                             text=f"Fighting was reported in {row[2] or 'the province'}.",
                             source_path=f"a{i}.txt", fmt="txt", outlet="Wire Desk",
                             content_hash=f"hash-{i}") for i, row in enumerate(rows)]
    store = open_store(out)
    run_id = store.begin_run(["focus"])
    store.upsert_articles(articles, run_id)
    chain = [a.article_id for a in articles]  # each a copy of the one before: a deep tree
    store.save_stories([Story("S-chain", articles[0].title, chain, chain[0], [
        LineageLink(aid, chain[i - 1] if i else None, "rewrite" if i else "origin", 0.9)
        for i, aid in enumerate(chain)])], {aid: PublicationDate("2021-06-20", "metadata") for aid in chain})
    quotes = [Quote("q-named", "a0", "Mujahid", "“We took the city.”", "direct",
                    speaker_canonical="Zabihullah Mujahid", speaker_role="Taliban spokesman"),
              Quote("q-unnamed", "a1", "a military official", "the post had been abandoned",
                    "indirect", speaker_role="military official")]
    store.save_results(events, quotes, [], [])
    store.finish_run(run_id, "done", len(articles), 0)
    store.close()
    store = open_store(out, readonly=True)
    try:
        (out / "report.html").write_text(render_report(store), encoding="utf-8")
    finally:
        store.close()
    return out / "report.html"


@pytest.fixture(scope="module")
def page(browser: Any, focus_report: Path) -> Iterator[Any]:
    page, watch = opened_report(browser, focus_report, timeout_ms=15_000)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    yield page
    assert watch.errors == [] and watch.blocked == []
    page.context.close()


def _centres(page: Any) -> dict[str, tuple[float, float] | None]:
    """Map marker centres in page pixels, by event id (None: Leaflet left it undrawn, out of the
    view): markers are drawn in the table's order, one per event with coordinates."""
    boxes = page.eval_on_selector_all(
        "path.event-marker", "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return r.width ? [r.left + r.width / 2, r.top + r.height / 2] : null; })")
    rows = page.eval_on_selector_all("tr.event-row", "els => els.map(e => e.dataset.eventId)")
    located = [r for r in rows if r != "E-undated"]
    assert len(boxes) == len(located)
    return dict(zip(located, [tuple(b) if b else None for b in boxes], strict=True))


def test_timeline_spans_the_bulk_and_lists_the_misdated_event(page: Any, tmp_path: Path) -> None:
    drawn = page.eval_on_selector_all("#timeline circle.tl-event", "els => els.map(e => e.dataset.eventId)")
    assert sorted(drawn) == sorted(ON_TIMELINE)
    ticks = page.eval_on_selector_all("#timeline .tick-label", "els => els.map(e => e.textContent)")
    assert len(ticks) >= 3 and all(t.endswith(" 2021") for t in ticks), ticks  # not 1993 .. 2021
    assert any("Jun" in t for t in ticks) and any("Jul" in t for t in ticks)
    outliers = page.locator("#timeline-outliers")
    assert outliers.is_visible()
    assert page.eval_on_selector_all("#timeline-outliers button.outlier",
                                     "els => els.map(e => e.dataset.eventId)") == ["E-misdated"]
    assert "1993-03-01" in outliers.inner_text()
    # still an event of the table: the listed button opens it
    page.click('#timeline-outliers button[data-event-id="E-misdated"]')
    assert page.locator('tr.event-detail[data-event-id="E-misdated"]').is_visible()
    page.click('tr.event-row[data-event-id="E-misdated"]')  # close it again
    save_screenshot(page, tmp_path, "focus_desktop.png")


def test_map_fits_the_bulk_and_lists_the_far_place(page: Any) -> None:
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    centres = _centres(page)

    def inside(xy: tuple[float, float] | None) -> bool:
        return xy is not None and box["x"] <= xy[0] <= box["x"] + box["width"] \
            and box["y"] <= xy[1] <= box["y"] + box["height"]

    assert all(inside(centres[e]) for e in IN_VIEW), (box, centres)
    assert not inside(centres["E-far"])
    # zoomed to the region: Mazar-e-Sharif to Faizabad (3.5 degrees) spans a good part of the map
    assert centres["E-faizabad"][0] - centres["E-mazar"][0] > box["width"] / 4
    outliers = page.locator("#map-outliers")
    assert outliers.is_visible() and "Sao Paulo" in outliers.inner_text()
    assert page.eval_on_selector_all("#map-outliers button.outlier",
                                     "els => els.map(e => e.dataset.eventId)") == ["E-far"]
    assert page.locator('tr.event-row[data-event-id="E-far"]').count() == 1  # still in the table


def _labels(page: Any) -> dict[str, str]:
    """The map's place labels now drawn (Leaflet fades removed ones out for a moment): text ->
    visibility."""
    return dict(page.eval_on_selector_all(
        ".place-label", "els => els.filter(e => getComputedStyle(e).opacity !== '0')"
                        ".map(e => [e.textContent, getComputedStyle(e).visibility])"))


def test_places_are_labelled_on_the_map(page: Any) -> None:
    labels = _labels(page)
    assert "Kunduz (2)" in labels  # two events there (one misdated): the count is shown
    assert {"Imam Sahib", "Mazar-e-Sharif", "Taloqan", "Pul-e Khumri", "Faizabad"} <= set(labels)
    assert labels["Kunduz (2)"] == "visible"  # the busiest place's label is never hidden
    assert sum(v == "visible" for v in labels.values()) >= 4
    # a filter redraws the labels of the events it keeps, and they stay readable
    page.select_option("#filter-type", "Battles")
    labels = _labels(page)
    assert set(labels) == {"Imam Sahib", "Taloqan", "Faizabad", "Sao Paulo"}  # the battles' places
    assert all(labels[p] == "visible" for p in ("Imam Sahib", "Taloqan", "Faizabad"))
    page.click("#filter-reset")
    assert _labels(page)["Kunduz (2)"] == "visible"


def test_undated_events_come_last(page: Any) -> None:
    rows = page.eval_on_selector_all("tr.event-row", "els => els.map(e => e.dataset.eventId)")
    assert rows[-1] == "E-undated" and len(rows) == len(PLACES) + 2
    assert rows[0] == "E-misdated"  # the rest by date
    assert "1 event has no date" in page.inner_text("#timeline")
    page.select_option("#filter-place", "Kunduz")  # still last among the events of one place
    rows = page.eval_on_selector_all("tr.event-row", "els => els.map(e => e.dataset.eventId)")
    assert rows == ["E-misdated", "E-kunduz", "E-imam", "E-undated"]
    page.click("#filter-reset")


def test_quotes_name_each_speaker_once_and_mark_only_quoted_words(page: Any) -> None:
    cells = [[c.inner_text() for c in r.locator("td").all()]
             for r in page.locator("#quotes tbody tr").all()]
    speakers = sorted(c[0] for c in cells)
    assert speakers == ["Zabihullah Mujahid, Taliban spokesman", "a military official"]
    said = page.locator("#quotes td.quote")
    # direct: in the page's quotation marks, the text's own not doubled
    assert said.locator("q").all_inner_texts() == ["We took the city."]
    assert "the post had been abandoned" in said.locator("span.reported").all_inner_texts()


def test_an_open_event_wraps_its_long_lines(page: Any) -> None:
    page.click('tr.event-row[data-event-id="E-taloqan"]')
    try:
        detail = page.locator('tr.event-detail[data-event-id="E-taloqan"]')
        assert "numbers from the next sentence" in detail.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    finally:
        page.click('tr.event-row[data-event-id="E-taloqan"]')


def test_phone_width_keeps_everything_on_the_screen(page: Any, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.reload()
        page.wait_for_selector("body[data-ready=true]", timeout=15_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        svg = page.locator("#timeline svg").bounding_box()
        assert svg["x"] >= 0 and svg["x"] + svg["width"] <= 390
        ticks = page.eval_on_selector_all("#timeline .tick-label", "els => els.map(e => e.textContent)")
        assert ticks and all(t.endswith(" 2021") for t in ticks)
        save_screenshot(page, tmp_path, "focus_phone.png")
    finally:
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.reload()
        page.wait_for_selector("body[data-ready=true]", timeout=15_000)
