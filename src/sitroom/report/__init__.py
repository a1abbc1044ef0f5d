"""report.html: one self-contained page over the store that makes no network request at all.

Layout: summary, filters (type, actor, place, dates), a Leaflet map (Natural Earth country
boundaries inlined; events as markers coloured by type and sized by fatalities; control by place),
a timeline, the event table (a row opens its evidence and sources), stories with their copy
lineage, quotes, contradictions, control and articles.

Security model (article text is untrusted):
- all data travels in <script type="application/json"> blocks (never executed) with '<', '>' and
  '&' written as JSON escapes, so no text can close the block; the page script reads them with
  JSON.parse and builds the DOM with textContent only (never innerHTML from data);
- a Content-Security-Policy admits only the page's own scripts and styles, by SHA-256 hash:
  no 'unsafe-inline', no eval, no network (default-src 'none'), which also holds for file:// pages
  where a meta CSP is the only kind there is. `sitroom serve` sends the same policy as a header.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sitroom.store import Store

ASSET_DIR = ("report",)
LEAFLET_VERSION = "1.9.4"
WORLD_ATLAS_VERSION = "2.0.2"
MAX_TEXT_CHARS = 2_000_000  # article texts inlined up to this total (about 300 articles)
# Characters of JSON each list may take in the page, beside the events (all of them, always): a
# store of 100,000 articles holds ~150 MB of quotes alone, more than a browser opens. Past its
# budget a list is inlined from its start and the page says where the rest are (the CSV/JSON files
# beside it, the API of `sitroom serve`). The bench corpus (1,257 articles) fits each.
LIST_BUDGET_CHARS = {"stories": 6_000_000, "articles": 3_000_000, "quotes": 6_000_000}
STORY_PAGE = 1_000  # stories read per query while filling their budget
# An event told by thousands of copies lists them all in events.csv; the page shows the first of
# each such list and says how many there are (at 100,000 articles these lists were 22 MB).
EVENT_LIST_CAP = {"article_ids": 50, "evidence": 20}
STORY_COLUMNS = ["story_id", "title", "article_ids", "origin_article_id", "lineage"]
ARTICLE_COLUMNS = ["article_id", "title", "outlet", "wire", "url", "published", "published_source",
                   "story_id", "words"]
QUOTE_COLUMNS = ["quote_id", "article_id", "speaker", "speaker_canonical", "speaker_role", "kind",
                 "stance", "text"]


def _asset(*parts: str) -> str:
    return resources.files("sitroom.data").joinpath(*ASSET_DIR, *parts).read_text(encoding="utf-8")


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def json_for_html(value: Any) -> str:
    """JSON safe inside a <script type="application/json"> element: no '<' can end the block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _leaflet_css() -> str:
    # Leaflet's stylesheet points at marker/layer PNGs beside it; the report uses vector markers
    # and an uncollapsed layer control, so those images are dropped rather than fetched.
    return re.sub(r"url\((?:'|\")?images/[^)]*\)", "none", _asset("leaflet", "leaflet.css"))


@dataclass
class Report:
    html: str
    script_hashes: list[str]
    style_hashes: list[str]

    def csp(self, served: bool = False) -> str:
        """The page's policy; `served` adds what only an HTTP header can say."""
        parts = ["default-src 'none'", f"script-src {' '.join(self.script_hashes)}",
                 f"style-src {' '.join(self.style_hashes)}", "img-src data:",
                 "base-uri 'none'", "form-action 'none'"]
        if served:
            parts.append("frame-ancestors 'none'")
        return "; ".join(parts)


# ------------------------------------------------------------------------------------------ data

def report_data(store: Store) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-able values (read in one snapshot)."""
    from sitroom.outputs import query
    from sitroom.titles import headline, is_dateline

    own_transaction = not store.db.in_transaction
    if own_transaction:  # one read transaction: a concurrent run is seen whole or not at all
        store.db.execute("BEGIN")
    try:
        events = [_capped(e) for e in query.events(store)]
        totals = {table: store.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]  # noqa: S608
                  for table in LIST_BUDGET_CHARS}
        stories = _leading(_pages(lambda offset: query.stories(store, STORY_PAGE, offset)),
                           LIST_BUDGET_CHARS["stories"],
                           _stored_chars(store, "stories", STORY_COLUMNS))
        # The cleaned texts let a reader check evidence in context; past a budget they stay in
        # clean/ so that the page stays small enough to open and mail (and they are never read).
        texts_included = _stored_chars(store, "articles", ["text"]) <= MAX_TEXT_CHARS
        columns = ARTICLE_COLUMNS + (["text"] if texts_included else [])
        articles = _leading_rows(store, "articles", columns, "article_id",
                                 LIST_BUDGET_CHARS["articles"] + (MAX_TEXT_CHARS if texts_included else 0))
        for a in articles:
            if is_dateline(a["title"] or ""):  # "This story is from ...": show a real headline
                lead = a["text"] if texts_included else store.db.execute(
                    "SELECT substr(text, 1, 2000) FROM articles WHERE article_id = ?",
                    (a["article_id"],)).fetchone()[0]
                a["title"] = headline(a["title"], lead or "")
        if not texts_included:
            for a in articles:
                a["text"] = None
        quotes = _leading_rows(store, "quotes", QUOTE_COLUMNS, "article_id, quote_id",
                               LIST_BUDGET_CHARS["quotes"])
        contradictions = list(query.contradictions(store))
        control = list(query.control(store))
        # when the newest run began; not its state: the run writing this page is still
        # "running", which the page would go on saying after it finished
        runs = store.rows("SELECT started FROM runs ORDER BY run_id DESC LIMIT 1")
    finally:
        if own_transaction:
            store.db.execute("COMMIT")
    return {"events": events, "stories": stories, "articles": articles, "quotes": quotes,
            "contradictions": contradictions, "control": control,
            "run": runs[0] if runs else None, "texts_included": texts_included, "totals": totals}


def _capped(event: dict[str, Any]) -> dict[str, Any]:
    """The event with its long lists cut to EVENT_LIST_CAP, their lengths in KEY_total."""
    for key, cap in EVENT_LIST_CAP.items():
        values = event.get(key) or []
        if len(values) > cap:
            event[key] = values[:cap]
            event[f"{key}_total"] = len(values)
    return event


def _pages(read: Callable[[int], list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """Rows of read(offset), page after page, until a page comes back empty."""
    offset = 0
    while page := read(offset):
        yield from page
        offset += len(page)


def _stored_chars(store: Store, table: str, columns: list[str]) -> int:
    """About the length of these columns' rows as JSON (their text, plus quotes and keys)."""
    lengths = " + ".join(f"COALESCE(LENGTH({c}), 4) + {len(c) + 6}" for c in columns)
    return int(store.rows(f"SELECT COALESCE(SUM({lengths}), 0) AS n FROM {table}")[0]["n"])  # noqa: S608


def _leading_rows(store: Store, table: str, columns: list[str], order: str, budget: int
                  ) -> list[dict[str, Any]]:
    """The leading rows of a table (by `order`) that fit the budget; the rest are never read."""
    from sitroom.export import iter_rows

    rows = iter_rows(store, f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")  # noqa: S608
    try:
        return _leading(rows, budget, _stored_chars(store, table, columns))
    finally:
        rows.close()  # closes the cursor when the budget stopped the reading early


def _leading(rows: Iterable[dict[str, Any]], budget: int, stored_chars: int) -> list[dict[str, Any]]:
    """The leading rows whose JSON fits the budget in characters (rows past it are not read).
    Each row is measured only when the whole list may not fit: encoding every row twice cost as
    much as the rest of the page."""
    if stored_chars <= budget:
        return list(rows)
    out: list[dict[str, Any]] = []
    used = 0
    for row in rows:
        used += len(json.dumps(row, ensure_ascii=False, default=str))
        if used > budget:
            break
        out.append(row)
    return out


# ------------------------------------------------------------------------------------------ page

def build_report(store: Store) -> Report:
    from sitroom.report.geo import area_of, country_features

    data = report_data(store)
    points = [(e["latitude"], e["longitude"]) for e in data["events"]
              if e["latitude"] is not None and e["longitude"] is not None]
    geo = country_features(area_of(points))
    scripts = [_asset("leaflet", "leaflet.js"), _asset("report.js")]
    styles = [_leaflet_css(), _asset("report.css")]
    report = Report("", [_csp_hash(s) for s in scripts], [_csp_hash(s) for s in styles])
    totals = data["totals"]
    summary = (f"{len(data['events'])} events, {totals['stories']} stories, "
               f"{totals['articles']} articles, {totals['quotes']} quotes, "
               f"{len(data['contradictions'])} contradictions, {len(data['control'])} control records")
    style_tags = "".join(f"<style>{s}</style>" for s in styles)
    script_tags = "".join(f"<script>{s}</script>" for s in scripts)
    # Script/style bodies are our vendored files: '</' inside them would end the element early.
    assert all("</script" not in s.lower() for s in scripts)
    assert all("</style" not in s.lower() for s in styles)
    report.html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(report.csp())}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sitroom report</title>
{style_tags}
</head><body>
<header><p class="kicker">sitroom · situation report</p><h1 id="headline">What the articles report</h1>
<p id="dek"></p><div id="figures" aria-label="Key figures"></div><p id="summary">{html.escape(summary)}</p>
<noscript><p>This page needs JavaScript for the map, the timeline and the tables; the data are in
the CSV and JSON files beside it.</p></noscript></header>
<nav id="filters" aria-label="Filters"></nav>
<main>
<section id="map-section"><h2>Map</h2><div id="map" role="region" aria-label="Map of events and control"></div>
<p id="map-outliers" class="note outliers" hidden></p>
<p class="note">Boundaries: Natural Earth (public domain) via world-atlas {WORLD_ATLAS_VERSION}; map: Leaflet {LEAFLET_VERSION}.
Markers: colour = event type, size = fatalities; rings = control by place.</p></section>
<section id="timeline-section"><h2>Timeline</h2><div id="timeline"></div>
<p id="timeline-outliers" class="note outliers" hidden></p></section>
<section id="events-section"><h2>Events <span id="event-count"></span></h2><div id="events"></div></section>
<section id="stories-section"><h2>Stories and copy lineage</h2><div id="stories"></div></section>
<section id="quotes-section"><h2>Quotes</h2><div id="quotes"></div></section>
<section id="contradictions-section"><h2>Contradictions</h2><div id="contradictions"></div></section>
<section id="control-section"><h2>Control</h2><div id="control"></div></section>
<section id="articles-section"><h2>Articles</h2><div id="articles"></div></section>
</main>
<script type="application/json" id="sitroom-data">{json_for_html(data)}</script>
<script type="application/json" id="sitroom-geo">{json_for_html(geo)}</script>
{script_tags}
</body></html>
"""
    return report


def render_report(store: Store) -> str:
    return build_report(store).html
