"""report.html in headless Chromium, offline: no request leaves the file, the map draws, filters
change the table, an event opens its evidence, hostile text stays text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.report.browser import needs_chromium, opened_report, save_screenshot, violations
from tests.report.fixture_store import HOSTILE, IMG, SCRIPT

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def loaded(browser: Any, fixture_report: Path) -> Any:
    """One page load for the module (a load costs seconds on two shared cores)."""
    page, watch = opened_report(browser, fixture_report, timeout_ms=15_000)
    yield page, watch, fixture_report.as_uri()
    page.context.close()


@pytest.fixture()
def opened(loaded: Any) -> Any:
    """The loaded page with filters reset and no event open."""
    page, _, _ = loaded
    page.click("#filter-reset")
    for row in page.locator("tr.event-row.selected").all():
        row.click()
    assert page.locator("tr.event-row").count() == 4
    assert page.locator("tr.event-detail").count() == 0
    return loaded


def test_page_loads_offline_with_no_other_request(opened: Any) -> None:
    page, watch, url = opened
    assert watch.requests == [url]
    assert watch.blocked == [] and watch.failed == []
    assert watch.errors == [] and violations(page) == []


def test_map_draws_boundaries_events_and_control(opened: Any) -> None:
    page, _, _ = opened
    assert page.locator(".leaflet-map-pane .leaflet-overlay-pane svg path").count() > 150  # countries
    assert page.locator("path.event-marker").count() == 3  # the undated event has no coordinates
    assert page.locator("path.control-ring").count() == 2
    assert "Taliban" in page.inner_text("#control-legend")
    colours = page.eval_on_selector_all("path.event-marker", "els => els.map(e => e.getAttribute('fill'))")
    assert len(set(colours)) == 3  # three event types, three colours
    radii = page.eval_on_selector_all(
        "path.event-marker", "els => els.map(e => e.getBoundingClientRect().width)")
    assert max(radii) > min(radii)  # sized by fatalities (0, 7, 25)


def test_filters_change_the_table_map_and_timeline(opened: Any) -> None:
    page, _, _ = opened
    rows = page.locator("tr.event-row")
    assert rows.count() == 4
    page.select_option("#filter-type", "Battles")
    assert rows.count() == 1 and rows.first.get_attribute("data-event-id") == "E-battle"
    assert page.locator("path.event-marker").count() == 1
    assert page.locator("#timeline circle.tl-event").count() == 1
    page.select_option("#filter-type", "")
    page.select_option("#filter-actor", "Taliban")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)")) == ["E-battle", "E-undated"]
    page.click("#filter-reset")
    page.select_option("#filter-place", "Balkh")
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)") == ["E-blast"]
    page.click("#filter-reset")
    page.fill("#filter-from", "2021-06-23")
    page.dispatch_event("#filter-from", "change")
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)") == ["E-blast", "E-hostile"]
    assert "2 of 4" in page.inner_text("#event-count")


def test_clicking_an_event_opens_its_evidence_and_sources(opened: Any) -> None:
    page, _, _ = opened
    assert page.locator("tr.event-detail").count() == 0
    page.click('tr.event-row[data-event-id="E-blast"]')
    detail = page.locator('tr.event-detail[data-event-id="E-blast"]')
    assert detail.is_visible()
    text = detail.inner_text()
    assert "A blast hit the market on Monday, killing seven people." in text
    assert "Local News" in text and "Blast hits market in provincial capital" in text
    assert "7 (up to 9)" in text
    assert "Civilians (Afghanistan): Hazara Ethnic Group (Afghanistan)" in text  # assoc_actor_2
    page.click('tr.event-row[data-event-id="E-blast"]')  # a second click closes it
    assert page.locator("tr.event-detail").count() == 0
    # a marker on the map opens the same detail
    page.select_option("#filter-type", "Battles")
    page.locator("path.event-marker").first.click(force=True)
    assert page.locator('tr.event-detail[data-event-id="E-battle"]').is_visible()


def test_hostile_text_shows_as_text_and_runs_nothing(opened: Any) -> None:
    page, watch, _ = opened
    page.click('tr.event-row[data-event-id="E-hostile"]')
    evidence = page.locator('tr.event-detail[data-event-id="E-hostile"] blockquote')
    assert evidence.text_content() == HOSTILE
    assert SCRIPT in page.inner_text("#stories") and IMG in page.inner_text("#quotes")
    assert SCRIPT in page.inner_text("#control")
    # nothing the data carried became an element or a link
    assert page.locator("main img, main script, main iframe").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert page.locator('#articles a[href="https://example.org/a1"]').count() == 1  # web links stay links
    article = page.locator('details.article-text[data-article-id="a3"]')
    article.locator("summary").click()
    assert article.locator(".text").text_content() == HOSTILE
    page.wait_for_timeout(200)
    assert watch.dialogs == [] and watch.errors == [] and violations(page) == []


def test_lineage_is_drawn_as_a_tree(opened: Any) -> None:
    page, _, _ = opened
    story = page.locator('.story[data-story-id="S1"]')
    origin = story.locator("ul.tree > li")
    assert origin.count() == 1 and "a1" in origin.locator(".node").first.inner_text()
    child = origin.locator("ul > li .node")
    assert child.count() == 1
    assert "spun" in child.inner_text() and "a2" in child.inner_text() and "0.87" in child.inner_text()


@pytest.mark.shared
def test_seeds_report_offline_and_screenshot(browser: Any, seeds_run: Path, tmp_path: Path) -> None:
    report = seeds_run / "report.html"
    url = report.as_uri()
    page, watch = opened_report(browser, report, timeout_ms=15_000)
    try:
        assert page.locator(".leaflet-overlay-pane svg path").count() > 150
        assert page.locator(".story").count() >= 1
        shots = save_screenshot(page, tmp_path, "seeds_report.png")
        assert all(p.stat().st_size > 10_000 for p in shots)
        assert watch.requests == [url]
        assert watch.blocked == [] and watch.failed == [] and watch.errors == []
        assert violations(page) == []
    finally:
        page.context.close()
