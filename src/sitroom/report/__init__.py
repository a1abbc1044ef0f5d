"""report.html: one self-contained page (no network request) over the store.

This first version is a plain, fully escaped set of tables; issue 8 adds the map, the timeline,
lineage drawings and filters.
"""

from __future__ import annotations

import html
import json

from sitroom.store import Store


def _table(title: str, columns: list[str], rows: list[dict]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '') if r.get(c) is not None else ''))}</td>"
                         for c in columns) + "</tr>"
        for r in rows)
    return (f"<section><h2>{html.escape(title)} ({len(rows)})</h2><table><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table></section>")


def render_report(store: Store) -> str:
    from sitroom import export

    stories = export.story_records(store)
    story_rows = [{"story_id": s["story_id"], "title": s["title"],
                   "articles": "; ".join(f"{x['article_id']} ({x['relation']})" for x in s["lineage"]),
                   "origin": s["origin_article_id"],
                   "independent sources": s["n_independent_sources"]} for s in stories]
    parts = [
        _table("Events", export.EVENT_COLUMNS, export.event_rows(store)),
        _table("Stories", ["story_id", "title", "origin", "articles", "independent sources"],
               story_rows),
        _table("Articles", export.ARTICLE_COLUMNS, export.article_rows(store)),
        _table("Quotes", export.QUOTE_COLUMNS, store.rows("SELECT * FROM quotes")),
        _table("Contradictions", export.CONTRADICTION_COLUMNS, export.contradiction_rows(store)),
        _table("Control", export.CONTROL_COLUMNS, export.control_rows(store)),
    ]
    data = json.dumps({"n_stories": len(stories)})
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>sitroom report</title>
<style>body{{font:14px system-ui,sans-serif;margin:1.5em}}table{{border-collapse:collapse;margin-bottom:2em}}
td,th{{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}}th{{background:#eee}}</style>
</head><body><h1>sitroom report</h1><p data-summary="{html.escape(data)}">Generated from the store.</p>
{''.join(parts)}</body></html>
"""
