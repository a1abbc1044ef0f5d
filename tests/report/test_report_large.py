"""A large store's page stays usable: long lists are drawn a page at a time, the rest a click away,
and an event chosen on the timeline is drawn in the table wherever it falls."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sitroom.records import LineageLink, PublicationDate, Quote, Story
from sitroom.store import open_store
from tests.report.browser import needs_chromium, opened_report
from tests.report.fixture_store import ARTICLES, EVENTS

pytestmark = [pytest.mark.browser, needs_chromium]

N = 450  # more than two pages of 200
PAGE = 200


@pytest.fixture(scope="module")
def large_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitroom.report import render_report

    out = tmp_path_factory.mktemp("large")
    store = open_store(out)
    run_id = store.begin_run(["large"])
    store.upsert_articles(ARTICLES, run_id)
    template = EVENTS[1]
    events = [dataclasses.replace(template, event_id=f"E{k:04d}",
                                  event_date=(date(2020, 1, 1) + timedelta(days=k)).isoformat(),
                                  latitude=30 + k / 100, longitude=60 + k / 100)
              for k in range(N)]
    # the latest event told by 60 reports: the page lists 50 of them and says so
    events[-1] = dataclasses.replace(events[-1], article_ids=[f"a{k}" for k in range(60)])
    quotes = [Quote(f"q{k:04d}", "a1", "A spokesman", f"Statement number {k}.") for k in range(N)]
    stories = [Story(f"S{k:04d}", f"Story {k}", ["a1"], "a1", [LineageLink("a1", None, "origin", 1.0)])
               for k in range(N)]
    store.save_stories(stories, {"a1": PublicationDate("2021-06-22", "metadata")})
    store.save_results(events, quotes, [], [])
    store.finish_run(run_id, "done", len(ARTICLES), 0)
    path = out / "report.html"
    path.write_text(render_report(store), encoding="utf-8")
    store.close()
    return path


@pytest.fixture(scope="module")
def page(browser: Any, large_report: Path) -> Any:
    page, watch = opened_report(browser, large_report)
    yield page
    assert watch.errors == []
    page.context.close()


def test_lists_are_drawn_a_page_at_a_time(page: Any) -> None:
    assert page.inner_text("#event-count") == f"({N} of {N})"
    for rows, more in (("tr.event-row", "#events button.more"),
                       ("#quotes tbody tr", "#quotes-section button.more"),
                       ("#stories .story", "#stories-section button.more")):
        assert page.locator(rows).count() == PAGE
        assert f"({N - PAGE} not shown)" in page.inner_text(more)
        page.click(more)
        assert page.locator(rows).count() == 2 * PAGE
        page.click(more)
        assert page.locator(rows).count() == N
        assert not page.locator(more).is_visible()  # nothing left to show


def test_an_event_chosen_on_the_timeline_is_drawn_in_the_table(browser: Any, large_report: Path) -> None:
    fresh, _ = opened_report(browser, large_report)
    try:
        last = f"E{N - 1:04d}"  # the latest event: the table's last row, beyond its first page
        assert fresh.locator(f'tr.event-row[data-event-id="{last}"]').count() == 0
        fresh.locator(f'#timeline circle.tl-event[data-event-id="{last}"]').dispatch_event("click")
        detail = fresh.locator(f'tr.event-detail[data-event-id="{last}"]')
        assert detail.is_visible()
        assert detail.locator("ul.articles li").count() == 50
        assert "and 10 more articles (60 in all" in detail.inner_text()
    finally:
        fresh.context.close()


def test_the_page_says_where_the_lists_it_cuts_short_are(
        browser: Any, large_report: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitroom.report as report

    monkeypatch.setattr(report, "LIST_BUDGET_CHARS", {**report.LIST_BUDGET_CHARS, "quotes": 5_000})
    store = open_store(large_report.parent, readonly=True)
    try:
        short = large_report.with_name("short.html")
        short.write_text(report.render_report(store), encoding="utf-8")
    finally:
        store.close()
    page, watch = opened_report(browser, short)
    try:
        inlined = page.locator("#quotes tbody tr").count()
        assert 0 < inlined < PAGE
        note = page.inner_text("#quotes-section p.partial")
        assert f"first {inlined} of {N} quotes" in note and "quotes.csv" in note
        assert page.locator("#stories-section p.partial").count() == 0  # the stories all fit
        assert watch.errors == []
    finally:
        page.context.close()
