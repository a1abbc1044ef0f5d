"""The FastAPI application behind `sitroom serve`.

Every query is a fixed SQL string with `?` placeholders; a filter only ever adds a fixed clause and
a bound parameter, so no request text becomes SQL. The store is opened read-only per request
(sqlite mode=ro), and each answer is read inside one transaction so a concurrent `sitroom run`
(WAL) is seen before or after its write, never half-way.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from sitroom.store import STORE_NAME, Store, open_store

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
MAX_LIMIT = 10_000

# What every answer carries; the page and the docs replace the CSP with their own, stricter on
# scripts (hashes) than anything a header-less default would give.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# The API docs page (Swagger UI 5) from the fastapi-offline package: an allowlist of files, so no
# request path ever reaches the file system.
DOCS_ASSETS = {
    "swagger-ui-bundle.js": "application/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}


# ------------------------------------------------------------------------------ response models

class EventOut(BaseModel):
    event_id: str
    event_date: str | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int | None
    fatalities_max: int | None
    claim_status: str | None
    n_reports: int | None
    n_independent_sources: int | None
    article_ids: list[str]
    sources: list[str]
    notes: str | None
    evidence: list[str]


class LineageOut(BaseModel):
    article_id: str
    derived_from: str | None
    relation: str
    similarity: float
    signs: list[str]


class StoryOut(BaseModel):
    story_id: str
    title: str
    article_ids: list[str]
    origin_article_id: str
    n_independent_sources: int
    lineage: list[LineageOut]


class QuoteOut(BaseModel):
    quote_id: str
    article_id: str
    speaker: str | None
    speaker_canonical: str | None
    speaker_role: str | None
    kind: str | None
    stance: str | None
    text: str


class ContradictionOut(BaseModel):
    contradiction_id: int
    subject: str | None
    field: str | None
    value_a: str | None
    sources_a: list[str]
    value_b: str | None
    sources_b: list[str]
    kind: str | None


class ControlOut(BaseModel):
    place: str | None
    admin1: str | None
    admin2: str | None
    date: str | None
    holder: str | None
    status: str | None
    event_ids: list[str]


class ArticleOut(BaseModel):
    article_id: str
    title: str
    outlet: str | None
    wire: str | None
    url: str | None
    published: str | None
    published_source: str | None
    story_id: str | None
    words: int


# ------------------------------------------------------------------------------ helpers

# Every list endpoint answers one page (`limit`, `offset`) and says in X-Total-Count how many rows
# match in all: a store of 100,000 articles holds more quotes and lineage than one answer should.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows per answer")]
Offset = Annotated[int, Query(ge=0, description="rows to skip (X-Total-Count gives the total)")]
TOTAL_HEADER = "X-Total-Count"


def _page(store: Store, response: Response, select: str, table: str, where: str,
          params: list[Any], order: str, limit: int, offset: int) -> list[dict[str, Any]]:
    """One page of `SELECT select FROM table where ORDER BY order`, its total in the header.
    All arguments but params and the page are fixed strings of this module."""
    total = store.rows(f"SELECT COUNT(*) AS n FROM {table} {where}", tuple(params))[0]["n"]  # noqa: S608
    response.headers[TOTAL_HEADER] = str(total)
    return store.rows(f"SELECT {select} FROM {table} {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
                      (*params, limit, offset))


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` literally as a substring ('%' and '_' escaped with '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _json_list(value: str | None) -> list[Any]:
    return json.loads(value or "[]")


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _docs_asset(name: str) -> bytes | None:
    if name not in DOCS_ASSETS:
        return None
    try:
        return resources.files("fastapi_offline").joinpath("static", name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return None


class _ReportCache:
    """The rendered page, kept until the store files change (size or modification time)."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.key: tuple[Any, ...] | None = None
        self.value: Any = None

    def _stamp(self) -> tuple[Any, ...]:
        stamp = []
        for suffix in ("", "-wal"):
            path = self.out_dir / (STORE_NAME + suffix)
            try:
                st = path.stat()
                stamp.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                stamp.append(None)
        return tuple(stamp)

    def get(self, store: Store) -> Any:
        from sitroom.report import build_report

        key = self._stamp()
        if key != self.key or self.value is None:
            self.value, self.key = build_report(store), key
        return self.value


def get_store(request: Request) -> Iterator[Store]:
    """A read-only connection for one request, inside one read transaction (one snapshot)."""
    out_dir: Path = request.app.state.out_dir
    if not (out_dir / STORE_NAME).is_file():
        raise HTTPException(503, "no store in this folder yet")
    store = open_store(out_dir, readonly=True)
    try:
        store.db.execute("BEGIN")
        yield store
    finally:
        if store.db.in_transaction:
            store.db.execute("COMMIT")
        store.close()


StoreDep = Annotated[Store, Depends(get_store)]


# ------------------------------------------------------------------------------ the app

def create_app(out_dir: Path, trusted_hosts: list[str] | None = None) -> FastAPI:
    """The app over DIR/sitroom.sqlite. `trusted_hosts`: Host header values answered
    (default: loopback names only; ["*"] for any)."""
    out_dir = Path(out_dir)
    app = FastAPI(
        title="sitroom",
        summary="Stories, ACLED-style events, quotes, contradictions and control from conflict news.",
        description=("Read-only view of one `sitroom run` output folder. `/` is the report page; "
                     "everything under `/api/` answers JSON. Article text is untrusted and returned "
                     "as data, never as markup."),
        version="1",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(trusted_hosts or LOOPBACK_HOSTS))
    app.state.out_dir = out_dir
    cache = _ReportCache(out_dir)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", API_CSP)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    # -- the page -------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/report.html", response_class=HTMLResponse, include_in_schema=False)
    def page(store: StoreDep) -> HTMLResponse:
        report = cache.get(store)
        return HTMLResponse(report.html, headers={"Content-Security-Policy": report.csp(served=True)})

    # -- API docs, from local files --------------------------------------------------------------
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> Response:
        if _docs_asset("swagger-ui-bundle.js") is None:
            return RedirectResponse("/openapi.json")  # no offline Swagger UI installed
        page = get_swagger_ui_html(openapi_url="/openapi.json", title="sitroom API",
                                   swagger_js_url="/docs/assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/assets/swagger-ui.css",
                                   swagger_favicon_url="/docs/assets/favicon.png")
        body = page.body.decode("utf-8")
        inline = re.findall(r"<script>(.*?)</script>", body, flags=re.S)
        csp = ("default-src 'none'; "
               f"script-src 'self' {' '.join(_csp_hash(s) for s in inline)}; "
               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
        return HTMLResponse(body, headers={"Content-Security-Policy": csp})

    @app.get("/docs/assets/{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        content = _docs_asset(name)
        if content is None:
            raise HTTPException(404, "Not Found")
        return Response(content, media_type=DOCS_ASSETS[name])

    # -- API --------------------------------------------------------------------------------------
    @app.get("/api/events", response_model=list[EventOut], tags=["events"])
    def events(
        store: StoreDep,
        response: Response,
        date_from: Annotated[date | None, Query(description="first day (ISO), inclusive")] = None,
        date_to: Annotated[date | None, Query(description="last day (ISO), inclusive")] = None,
        event_type: Annotated[str | None, Query(description="ACLED event type, exact")] = None,
        sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type, exact")] = None,
        admin1: Annotated[str | None, Query(description="first-level region, exact")] = None,
        actor: Annotated[str | None, Query(
            description="part of actor1 or actor2 (case-insensitive for ASCII)")] = None,
        limit: Limit = 1000,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        """Events, ordered by date, filtered by any of the parameters (all must hold).
        With a date filter, events without a date are left out."""
        clauses, params = [], []  # type: list[str], list[Any]
        if date_from is not None:
            clauses.append("event_date >= ?")
            params.append(date_from.isoformat())
        if date_to is not None:
            # event_date may carry a time or be a month; compare on its first ten characters
            clauses.append("substr(event_date, 1, 10) <= ?")
            params.append(date_to.isoformat())
        if event_type is not None:
            clauses.append("event_type = ?")
            params.append(event_type)
        if sub_event_type is not None:
            clauses.append("sub_event_type = ?")
            params.append(sub_event_type)
        if admin1 is not None:
            clauses.append("admin1 = ?")
            params.append(admin1)
        if actor is not None:
            clauses.append("(actor1 LIKE ? ESCAPE '\\' OR actor2 LIKE ? ESCAPE '\\')")
            params += [_like_pattern(actor)] * 2
        rows = _page(store, response, "*", "events", _where(clauses), params,
                     "event_date, event_id", limit, offset)
        for r in rows:
            for key in ("article_ids", "sources", "evidence"):
                r[key] = _json_list(r[key])
        return rows

    @app.get("/api/events/{event_id}", response_model=EventOut, tags=["events"])
    def event(event_id: str, store: StoreDep) -> dict[str, Any]:
        """One event by id."""
        rows = store.rows("SELECT * FROM events WHERE event_id = ?", (event_id,))
        if not rows:
            raise HTTPException(404, "no such event")
        row = rows[0]
        for key in ("article_ids", "sources", "evidence"):
            row[key] = _json_list(row[key])
        return row

    @app.get("/api/stories", response_model=list[StoryOut], tags=["stories"])
    def stories(store: StoreDep, response: Response, limit: Limit = 1000, offset: Offset = 0
                ) -> list[dict[str, Any]]:
        """Stories with their origin article and the lineage of copies, by story id."""
        from sitroom import export

        response.headers[TOTAL_HEADER] = str(store.rows("SELECT COUNT(*) AS n FROM stories")[0]["n"])
        return export.story_records(store, limit, offset)

    @app.get("/api/articles", response_model=list[ArticleOut], tags=["stories"])
    def articles(store: StoreDep, response: Response,
                 story_id: Annotated[str | None, Query(description="only this story's")] = None,
                 limit: Limit = 1000, offset: Offset = 0,
                 ) -> list[dict[str, Any]]:
        """Article metadata (not the text), by article id."""
        columns = ("article_id, title, outlet, wire, url, published, published_source, story_id,"
                   " words")
        clauses, params = (["story_id = ?"], [story_id]) if story_id is not None else ([], [])
        return _page(store, response, columns, "articles", _where(clauses), params, "article_id",
                     limit, offset)

    @app.get("/api/quotes", response_model=list[QuoteOut], tags=["quotes"])
    def quotes(store: StoreDep, response: Response,
               article_id: Annotated[str | None, Query(description="exact article id")] = None,
               speaker: Annotated[str | None, Query(
                   description="part of the speaker's name (case-insensitive for ASCII)")] = None,
               limit: Limit = 1000, offset: Offset = 0,
               ) -> list[dict[str, Any]]:
        """Direct and indirect quotes with speaker, role and stance."""
        clauses, params = [], []  # type: list[str], list[Any]
        if article_id is not None:
            clauses.append("article_id = ?")
            params.append(article_id)
        if speaker is not None:
            clauses.append("(speaker LIKE ? ESCAPE '\\' OR speaker_canonical LIKE ? ESCAPE '\\')")
            params += [_like_pattern(speaker)] * 2
        return _page(store, response, "*", "quotes", _where(clauses), params,
                     "article_id, quote_id", limit, offset)

    @app.get("/api/contradictions", response_model=list[ContradictionOut], tags=["events"])
    def contradictions(store: StoreDep, response: Response, limit: Limit = 1000, offset: Offset = 0
                       ) -> list[dict[str, Any]]:
        """Where sources disagree: numbers, claims against denials, facts."""
        rows = _page(store, response, "*", "contradictions", "", [], "contradiction_id", limit,
                     offset)
        for r in rows:
            r["sources_a"], r["sources_b"] = _json_list(r["sources_a"]), _json_list(r["sources_b"])
        return rows

    @app.get("/api/control", response_model=list[ControlOut], tags=["control"])
    def control(store: StoreDep, response: Response,
                place: Annotated[str | None, Query(description="exact place name")] = None,
                admin1: Annotated[str | None, Query(description="exact first-level region")] = None,
                limit: Limit = 1000, offset: Offset = 0,
                ) -> list[dict[str, Any]]:
        """Who holds which place, over time."""
        clauses, params = [], []  # type: list[str], list[Any]
        if place is not None:
            clauses.append("place = ?")
            params.append(place)
        if admin1 is not None:
            clauses.append("admin1 = ?")
            params.append(admin1)
        rows = _page(store, response, "*", "control", _where(clauses), params,
                     "place, date, control_id", limit, offset)
        for r in rows:
            r["event_ids"] = _json_list(r["event_ids"])
        return rows

    return app
