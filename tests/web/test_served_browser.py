"""`sitroom serve` for real: uvicorn on 127.0.0.1 and a free port, raw HTTP and headless Chromium."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom.web import create_app
from tests.report.browser import needs_chromium, violations, watched_page
from tests.report.fixture_store import HOSTILE


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(shared_fixture_dir: Path) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(shared_fixture_dir), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


def _raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET with the path sent byte for byte (no client-side normalisation of '..')."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", f"127.0.0.1:{port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", [
    "/../sitroom.sqlite", "/../../../../etc/passwd", "/docs/assets/../../sitroom.sqlite",
    "/docs/assets/..%2f..%2f..%2fsitroom.sqlite", "/%2e%2e/%2e%2e/etc/passwd",
    "/api/../../sitroom.sqlite", "/./sitroom.sqlite", "/..\\..\\sitroom.sqlite",
])
def test_raw_traversal_paths_get_404(server: str, path: str) -> None:
    status, body = _raw_get(server, path)
    assert status == 404
    assert b"SQLite format" not in body and b"root:" not in body


def test_raw_api_query(server: str) -> None:
    status, body = _raw_get(server, "/api/events?event_type=Battles")
    assert status == 200 and b'"E-battle"' in body and b"E-blast" not in body


@pytest.mark.browser
@needs_chromium
def test_served_page_makes_no_other_request_and_works(browser: Any, server: str) -> None:
    page, watch = watched_page(browser, allowed_prefix=server + "/", offline=False)
    try:
        page.goto(server + "/")
        page.wait_for_selector("body[data-ready=true]", timeout=15_000)
        assert watch.requests == [server + "/"]
        assert watch.blocked == [] and watch.failed == [] and watch.errors == []
        assert page.locator("path.event-marker").count() == 3
        page.select_option("#filter-type", "Violence against civilians")
        assert page.locator("tr.event-row").count() == 1
        page.click('tr.event-row[data-event-id="E-hostile"]')
        assert page.locator("tr.event-detail blockquote").text_content() == HOSTILE
        page.wait_for_timeout(200)
        assert watch.dialogs == [] and violations(page) == []
    finally:
        page.context.close()


@pytest.mark.browser
@needs_chromium
def test_api_docs_page_renders_offline(browser: Any, server: str) -> None:
    page, watch = watched_page(browser, allowed_prefix=server + "/", offline=False)
    try:
        response = page.goto(server + "/docs")
        assert response is not None and response.ok
        if not page.url.endswith("/docs"):
            pytest.skip("no offline Swagger UI installed (fastapi-offline); /docs redirects")
        page.wait_for_selector(".opblock", timeout=15_000)
        assert page.locator(".opblock").count() >= 7
        assert all(url.startswith(server + "/") for url in watch.requests)
        assert watch.blocked == [] and watch.failed == []
        assert violations(page) == []
    finally:
        page.context.close()
