"""The FastAPI application behind `sitroom serve`.

Every query is a fixed SQL string with `?` placeholders; a filter only ever adds a fixed clause and
a bound parameter, so no request text becomes SQL. The store is opened read-only per request
(sqlite mode=ro), and each answer is read inside one transaction so a concurrent `sitroom run`
(WAL) is seen before or after its write, never half-way.
"""

from __future__ import annotations

import base64
import hashlib
import io
import ipaddress
import json
import re
import threading
from collections.abc import Iterable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as Path_
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from sitroom.outputs import query
from sitroom.outputs.columns import response_model, table
from sitroom.outputs.query import MAX_FILTER_CHARS, FilterError
from sitroom.store import STORE_NAME, Store, open_store

MAX_LIMIT = 10_000


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; any other name or address is public."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def host_of(header: str) -> str:
    """The host part of a Host header: "[::1]:8000" -> "::1", "127.0.0.2:80" -> "127.0.0.2"."""
    header = header.strip()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header

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

# From the column declarations (sitroom/data/outputs/columns.toml), like every other output.
EventOut = response_model("events")
StoryOut = response_model("stories")
QuoteOut = response_model("quotes")
ContradictionOut = response_model("contradictions")
ControlOut = response_model("control")
ArticleOut = response_model("articles")


# ------------------------------------------------------------------------------ parameters

# Every list endpoint answers one page (`limit`, `offset`) and says in X-Total-Count how many rows
# match in all: a store of 100,000 articles holds more quotes and lineage than one answer should.
# Both are bounded: SQLite's integers end at 2**63, and a larger offset once answered 500.
MAX_OFFSET = 1_000_000_000
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"rows per answer (1 to {MAX_LIMIT:,})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip (X-Total-Count gives the total)")]
TOTAL_HEADER = "X-Total-Count"


def _text(description: str) -> Any:
    return Query(max_length=MAX_FILTER_CHARS, description=description)


def _same(what: str) -> Any:
    return _text(f"{what}; case and accents ignored")


def _part(what: str) -> Any:
    return _text(f"part of {what}; case and accents ignored")


Format = Annotated[Literal["json", "csv", "geojson"], Query(
    description="json (default), csv (as the run's CSV files), or geojson (RFC 7946; rows with "
                "coordinates, on /api/events and /api/control)")]
ListFormat = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]


def _query_names(dependant: Any) -> set[str]:
    """The query parameters of an endpoint and of the dependencies it has."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def reject_unknown_parameters(request: Request) -> None:
    """A misspelt filter (`evnt_type=Riots`) would otherwise be ignored and everything answered."""
    route = request.scope.get("route")
    if route is None:
        return
    allowed = sorted(_query_names(route.dependant))
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise HTTPException(422, {
            "message": f"unknown parameter(s): {', '.join(unknown)}",
            "unknown": unknown, "allowed": allowed})


def _filter_error(exc: FilterError) -> HTTPException:
    return HTTPException(422, {"message": str(exc)})


def _answer(records: Iterable[dict[str, Any]], fmt: str, key: str, total: int,
            id_key: str | None = None) -> Response:
    """One page of records as JSON, CSV or GeoJSON, its total in the header."""
    from sitroom.export import feature, write_csv_rows

    headers = {TOTAL_HEADER: str(total)}
    rows = list(records)
    if fmt == "csv":
        buffer = io.StringIO("\ufeff")  # a byte-order mark, as the run's CSV files have
        buffer.seek(1)
        write_csv_rows(buffer, table(key).names, rows)
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
    if fmt == "geojson":
        features = [f for f in (feature(r, id_key) for r in rows) if f is not None]
        return Response(json.dumps({"type": "FeatureCollection", "features": features},
                                   ensure_ascii=False, allow_nan=False),
                        media_type="application/geo+json", headers=headers)
    return JSONResponse(rows, headers=headers)


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
    """The rendered page, built once per store version (the store files' sizes and modification
    times): concurrent first requests wait for one build instead of each building it."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.key: tuple[Any, ...] | None = None
        self.value: Any = None
        self.lock = threading.Lock()
        self.builds = 0  # how many times the page was built (tests)

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
        if key == self.key and self.value is not None:
            return self.value
        with self.lock:
            if key != self.key or self.value is None:  # not built while this request waited
                self.value, self.key = build_report(store), key
                self.builds += 1
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

def create_app(out_dir: Path, trusted_hosts: list[str] | None = None, public: bool = False
               ) -> FastAPI:
    """The app over DIR/sitroom.sqlite. It answers requests whose Host is a loopback name or
    address only, unless `public` (or `trusted_hosts=["*"]`, the older spelling)."""
    out_dir = Path(out_dir)
    app = FastAPI(
        dependencies=[Depends(reject_unknown_parameters)],
        title="sitroom",
        summary="Stories, ACLED-style events, quotes, contradictions and control from conflict news.",
        description=("Read-only view of one `sitroom run` output folder. `/` is the report page; "
                     "everything under `/api/` answers JSON. Article text is untrusted and returned "
                     "as data, never as markup."),
        version="1",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.out_dir = out_dir
    cache = _ReportCache(out_dir)
    app.state.report_cache = cache
    any_host = public or "*" in (trusted_hosts or [])

    @app.middleware("http")
    async def loopback_hosts_only(request: Request, call_next: Any) -> Response:
        # On loopback only loopback Host headers are answered (127.0.0.0/8, ::1, localhost), so
        # a DNS-rebinding page on another name cannot read the API.
        if not any_host and not is_loopback(host_of(request.headers.get("host", ""))):
            return PlainTextResponse("Invalid host header", status_code=400)
        return await call_next(request)

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
    def _events_filter(date_from: date | None, date_to: date | None, **text: str | None
                       ) -> query.EventFilter:
        filt = query.EventFilter(date_from=date_from, date_to=date_to, **text)
        try:
            filt.where()
        except FilterError as exc:
            raise _filter_error(exc) from None
        return filt

    @app.get("/api/events", response_model=list[EventOut], tags=["events"])
    def events(
        store: StoreDep,
        date_from: Annotated[date | None, Query(description="first day (YYYY-MM-DD), inclusive")] = None,
        date_to: Annotated[date | None, Query(description="last day (YYYY-MM-DD), inclusive")] = None,
        country: Annotated[str | None, _same("country")] = None,
        admin1: Annotated[str | None, _same("first-level region (province, state)")] = None,
        admin2: Annotated[str | None, _same("second-level region (district)")] = None,
        location: Annotated[str | None, _same("place name")] = None,
        event_type: Annotated[str | None, _same("ACLED event type")] = None,
        sub_event_type: Annotated[str | None, _same("ACLED sub-event type")] = None,
        actor: Annotated[str | None, _part("actor1 or actor2")] = None,
        q: Annotated[str | None, _part("an evidence sentence")] = None,
        format: Format = "json",
        limit: Limit = 1000,
        offset: Offset = 0,
    ) -> Response:
        """Events by date (undated last), filtered by every parameter given (all must hold).
        With a date filter, events without a date are left out. Unknown parameters, a date_from
        after date_to and values past their bounds answer 422."""
        filt = _events_filter(date_from, date_to, country=country, admin1=admin1, admin2=admin2,
                              location=location, event_type=event_type,
                              sub_event_type=sub_event_type, actor=actor, q=q)
        return _answer(query.events(store, filt, limit, offset), format, "events",
                       query.count_events(store, filt), "event_id")

    @app.get("/api/events/{event_id}", response_model=EventOut, tags=["events"])
    def event(event_id: Annotated[str, Path_(max_length=MAX_FILTER_CHARS)], store: StoreDep
              ) -> dict[str, Any]:
        """One event by id."""
        record = query.event(store, event_id)
        if record is None:
            raise HTTPException(404, "no such event")
        return record

    @app.get("/api/stories", response_model=list[StoryOut], tags=["stories"])
    def stories(store: StoreDep, limit: Limit = 1000, offset: Offset = 0) -> Response:
        """Stories with their origin article and the lineage of copies, by story id."""
        return _answer(query.stories(store, limit, offset), "json", "stories",
                       query.count_stories(store))

    @app.get("/api/articles", response_model=list[ArticleOut], tags=["stories"])
    def articles(store: StoreDep,
                 story_id: Annotated[str | None, _text("only this story's (exact id)")] = None,
                 format: ListFormat = "json", limit: Limit = 1000, offset: Offset = 0,
                 ) -> Response:
        """Article metadata (not the text), by article id."""
        return _answer(query.articles(store, story_id, limit, offset), format, "articles",
                       query.count_articles(store, story_id))

    @app.get("/api/quotes", response_model=list[QuoteOut], tags=["quotes"])
    def quotes(store: StoreDep,
               article_id: Annotated[str | None, _text("exact article id")] = None,
               speaker: Annotated[str | None, _part("the speaker's name")] = None,
               format: ListFormat = "json", limit: Limit = 1000, offset: Offset = 0,
               ) -> Response:
        """Direct and indirect quotes with speaker, role and stance."""
        try:
            total = query.count_quotes(store, article_id, speaker)
        except FilterError as exc:
            raise _filter_error(exc) from None
        return _answer(query.quotes(store, article_id, speaker, limit, offset), format, "quotes",
                       total)

    @app.get("/api/contradictions", response_model=list[ContradictionOut], tags=["events"])
    def contradictions(store: StoreDep, format: ListFormat = "json", limit: Limit = 1000,
                       offset: Offset = 0) -> Response:
        """Where sources disagree: numbers, claims against denials, facts."""
        return _answer(query.contradictions(store, limit, offset), format, "contradictions",
                       query.count_contradictions(store))

    @app.get("/api/control", response_model=list[ControlOut], tags=["control"])
    def control(store: StoreDep,
                place: Annotated[str | None, _same("place name")] = None,
                admin1: Annotated[str | None, _same("first-level region")] = None,
                format: Format = "json", limit: Limit = 1000, offset: Offset = 0,
                ) -> Response:
        """Who holds which place, over time (placed at the coordinates of its events)."""
        try:
            total = query.count_control(store, place, admin1)
        except FilterError as exc:
            raise _filter_error(exc) from None
        return _answer(query.control(store, place, admin1, limit, offset), format, "control",
                       total)

    return app
