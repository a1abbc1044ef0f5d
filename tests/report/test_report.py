"""report.html without a browser: data blocks, escaping, CSP, boundaries, control placement."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitroom.report import build_report, json_for_html, render_report, report_data
from sitroom.report.geo import area_of, country_features
from sitroom.store import open_store
from tests.report.fixture_store import BREAKOUT, HOSTILE, IMG, SCRIPT, open_fixture


class _Scripts(HTMLParser):
    """Collects every <script>, <style>, <meta http-equiv=CSP> and element name in the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.csp: list[str] = []
        self.tags: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(a.get("content") or "")
        if tag in ("script", "style"):
            self._in, self._attrs, self._buf = tag, a, []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            body = "".join(self._buf)
            if tag == "script":
                self.scripts.append((self._attrs, body))
            else:
                self.styles.append(body)
            self._in = None


def _parse(page: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(page)
    return parser


def _sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


@pytest.fixture()
def page(fixture_report: Path) -> str:
    return fixture_report.read_text(encoding="utf-8")


def test_hostile_text_never_appears_as_markup(page: str) -> None:
    # Every hostile string is in the store, yet none reaches the HTML as tags.
    for needle in (SCRIPT, IMG, BREAKOUT, "<img", "alert(1)</script>"):
        assert needle not in page
    parsed = _parse(page)
    assert "img" not in parsed.tags
    assert len(parsed.scripts) == 4  # two JSON data blocks + Leaflet + the page script
    json_blocks = [body for attrs, body in parsed.scripts if attrs.get("type") == "application/json"]
    assert len(json_blocks) == 2
    assert all("alert(" not in body for attrs, body in parsed.scripts if "type" not in attrs)


def test_data_block_round_trips_the_hostile_text_exactly(fixture_dir: Path, page: str) -> None:
    parsed = _parse(page)
    (data_body,) = [b for a, b in parsed.scripts if a.get("id") == "sitroom-data"]
    data = json.loads(data_body)
    hostile = {e["event_id"]: e for e in data["events"]}["E-hostile"]
    assert hostile["evidence"] == [HOSTILE]  # including '</script>' and U+2028, as text
    assert hostile["actor1"] == f"Gang {SCRIPT}"
    store = open_fixture(fixture_dir)
    try:
        assert data == json.loads(json.dumps(report_data(store)))
    finally:
        store.close()


def test_json_for_html_escapes_what_could_end_a_script_block() -> None:
    text = json_for_html({"x": "</script><!-- & \u2028 \u2029 >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028 \u2029 >"}


def test_csp_admits_only_the_pages_own_scripts_and_no_network(page: str) -> None:
    parsed = _parse(page)
    (csp,) = parsed.csp
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert "connect-src" not in directives  # falls back to 'none'
    for name in ("script-src", "style-src"):
        assert "unsafe-inline" not in directives[name] and "unsafe-eval" not in directives[name]
        assert "http" not in directives[name] and "*" not in directives[name]
    executable = [body for attrs, body in parsed.scripts if "type" not in attrs]
    assert sorted(directives["script-src"].split()) == sorted(_sha(b) for b in executable)
    assert sorted(directives["style-src"].split()) == sorted(_sha(s) for s in parsed.styles)


def test_no_asset_is_fetched_by_url(page: str) -> None:
    parsed = _parse(page)
    assert all("src" not in attrs for attrs, _ in parsed.scripts)
    assert "link" not in parsed.tags
    for style in parsed.styles:
        # Leaflet's PNG references are removed; only in-document fragments may remain
        assert not re.search(r"url\((?!#)", style), re.findall(r"url\([^)]*\)", style)


def test_control_rows_are_placed_at_their_events(fixture_dir: Path) -> None:
    store = open_fixture(fixture_dir)
    try:
        data = report_data(store)
    finally:
        store.close()
    by_place = {c["place"]: c for c in data["control"]}
    assert (by_place["Shir Khan Bandar"]["latitude"], by_place["Shir Khan Bandar"]["longitude"]) \
        == (37.18, 68.61)
    assert by_place["Shir Khan Bandar"]["event_ids"] == ["E-battle"]


def test_boundaries_are_detailed_near_events_and_coarse_elsewhere() -> None:
    features = country_features(area_of([(36.7, 67.1)]))["features"]
    scale = {f["properties"]["name"]: f["properties"]["scale"] for f in features}
    assert scale["Afghanistan"] == "50m" and scale["Tajikistan"] == "50m"
    assert scale["Brazil"] == "110m" and scale["United States of America"] == "110m"
    assert len(scale) == len(features)  # each country once
    for f in features:
        polys = f["geometry"]["coordinates"]
        polys = polys if f["geometry"]["type"] == "MultiPolygon" else [polys]
        for ring in (r for p in polys for r in p):
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(-540.0 <= x <= 540.0 and -90.0 <= y <= 90.0 for x, y in ring)
            # no edge jumps across the map (antimeridian rings are unwrapped), Antarctica aside
            if f["properties"]["name"] != "Antarctica":
                assert all(abs(b[0] - a[0]) < 180 for a, b in zip(ring, ring[1:]))
    assert all(f["properties"]["scale"] == "110m" for f in country_features(None)["features"])


def test_empty_store_renders_a_page(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    report = build_report(store)
    store.close()
    assert "0 events, 0 stories, 0 articles" in report.html
    assert report.csp().startswith("default-src 'none'")
    assert "frame-ancestors" in report.csp(served=True)


def test_render_report_is_build_report_html(fixture_dir: Path) -> None:
    store = open_fixture(fixture_dir)
    try:
        assert render_report(store) == build_report(store).html
    finally:
        store.close()


def test_article_texts_are_inlined_within_a_budget(fixture_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import sitroom.report as report

    store = open_fixture(fixture_dir)
    try:
        data = report_data(store)
        assert data["texts_included"] is True
        assert {a["article_id"]: a["text"] for a in data["articles"]}["a3"] == HOSTILE
        monkeypatch.setattr(report, "MAX_TEXT_CHARS", 10)
        small = report_data(store)
        assert small["texts_included"] is False
        assert all(a["text"] is None for a in small["articles"])
    finally:
        store.close()


def test_long_lists_are_inlined_from_their_start_within_a_budget(
        fixture_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitroom.report as report

    store = open_fixture(fixture_dir)
    try:
        whole = report_data(store)
        one_quote = len(json.dumps(whole["quotes"][0], ensure_ascii=False))
        monkeypatch.setattr(report, "LIST_BUDGET_CHARS",
                            {**report.LIST_BUDGET_CHARS, "quotes": one_quote, "stories": 1})
        small = report_data(store)
        html = build_report(store).html
    finally:
        store.close()
    assert [q["quote_id"] for q in small["quotes"]] == ["q1"]  # the first, whole
    assert small["stories"] == [] and small["articles"] == whole["articles"]
    assert small["totals"] == whole["totals"] == {"stories": 3, "articles": 4, "quotes": 2}
    assert small["events"] == whole["events"]  # events are always all there
    assert "3 stories, 4 articles, 2 quotes" in html  # the summary counts the store, not the page


def test_an_events_long_lists_are_cut_on_the_page_with_their_length(
        fixture_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitroom.report as report

    monkeypatch.setattr(report, "EVENT_LIST_CAP", {"article_ids": 1, "evidence": 1})
    store = open_fixture(fixture_dir)
    try:
        events = {e["event_id"]: e for e in report_data(store)["events"]}
    finally:
        store.close()
    battle = events["E-battle"]
    assert battle["article_ids"] == ["a1"] and battle["article_ids_total"] == 2
    assert "evidence_total" not in battle  # one sentence: nothing cut
    assert "article_ids_total" not in events["E-blast"]
