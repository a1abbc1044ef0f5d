"""The API at its edges: no value of any parameter of any endpoint answers 500 (a property test
over the query space read from the OpenAPI document), the page is built once per store version
however many ask at once, every loopback address serves, and a bounded load test on loopback
while the store is rewritten answers every request."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom.web import bind, create_app

EXPECTED = {200, 404, 422}


@pytest.fixture(scope="module")
def app_client(shared_fixture_dir: Path) -> TestClient:
    # 500s come back as answers (not raised), as a client would see them
    return TestClient(create_app(shared_fixture_dir), base_url="http://127.0.0.1",
                      raise_server_exceptions=False)


@pytest.fixture(scope="module")
def endpoints(app_client: TestClient) -> list[tuple[str, list[str]]]:
    spec = app_client.get("/openapi.json").json()
    out = []
    for path, methods in spec["paths"].items():
        params = [p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"]
        out.append((path, params))
    assert len(out) >= 7
    return out


# Values a parameter may be given: any text (control characters, wildcards, quotes, very long),
# integers far past any bound, dates real and impossible, and the fixture's own values.
VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=5),
    st.sampled_from(["%", "_", "%00", "\\", "'", '"', "' OR 1=1 --", "Kunduz", "kunduz",
                     "Battles", "taliban", "E-battle", "a1", "S1", "json", "csv", "geojson", "xml",
                     "2021-06-22", "2021-02-30", "0001-01-01", "9999-12-31", "20210622", "-1",
                     "1e3", "NaN", "Infinity", "0x10", " 5", "1_000", "true", ""]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just("a" * 5_001),  # past every length bound (one of 50,001: test_api.py)
)


@st.composite
def requests_(draw: Any, endpoints: list[tuple[str, list[str]]]) -> tuple[str, dict[str, str]]:
    path, params = draw(st.sampled_from(endpoints))
    if "{event_id}" in path:
        event_id = draw(st.one_of(st.sampled_from(["E-battle", "E-undated", "x" * 300]),
                                  st.text(st.characters(blacklist_categories=("Cs",)),
                                          min_size=1, max_size=30)))
        path = path.replace("{event_id}", urllib.parse.quote(event_id, safe=""))
    chosen = draw(st.lists(st.sampled_from(params), unique=True)) if params else []
    query = {name: draw(VALUES) for name in chosen}
    if draw(st.booleans()) and draw(st.integers(0, 5)) == 0:
        query[draw(st.sampled_from(["evnt_type", "page", "sort", "LIMIT"]))] = "x"
    return path, query


def test_no_parameter_value_of_any_endpoint_answers_500(
        app_client: TestClient, endpoints: list[tuple[str, list[str]]]) -> None:
    @settings(max_examples=400, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(requests_(endpoints))
    def check(request: tuple[str, dict[str, str]]) -> None:
        path, query = request
        response = app_client.get(path, params=query)
        assert response.status_code in EXPECTED, (path, query, response.text[:300])

    check()


def test_concurrent_first_requests_build_the_page_once(shared_fixture_dir: Path) -> None:
    app = create_app(shared_fixture_dir)
    client = TestClient(app, base_url="http://127.0.0.1")
    statuses: list[int] = []

    def get() -> None:
        statuses.append(client.get("/").status_code)

    threads = [threading.Thread(target=get) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert statuses == [200] * 8
    assert app.state.report_cache.builds == 1


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


class _Server:
    """The real server (uvicorn) on a socket bound as `sitroom serve` binds it, in a thread."""

    def __init__(self, out: Path, host: str):
        import uvicorn

        self.sock = bind(host, 0)
        self.port = self.sock.getsockname()[1]
        name = f"[{host}]" if ":" in host else host
        self.url = f"http://{name}:{self.port}"
        config = uvicorn.Config(create_app(out), log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.server.started
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1"])
def test_every_loopback_address_serves(shared_fixture_dir: Path, host: str) -> None:
    if host == "::1" and not _ipv6_loopback():
        pytest.skip("no IPv6 loopback on this machine")
    with _Server(shared_fixture_dir, host) as server:
        response = httpx.get(server.url + "/api/events", timeout=30)
        assert response.status_code == 200 and len(response.json()) == 4
        assert httpx.get(server.url + "/", timeout=60).status_code == 200


def test_load_on_loopback_while_the_store_is_rewritten(fixture_dir: Path) -> None:
    """A small version of the load test (tools/loadtest.py runs 2,000 requests against a real
    `sitroom run`): 4 clients, 240 requests over the endpoints, while a writer replaces the
    results again and again; every answer is a 200."""
    from sitroom.store import open_store
    from tests.report.fixture_store import CONTRADICTIONS, CONTROL, EVENTS, QUOTES

    paths = ["/api/events", "/api/events?admin1=kunduz", "/api/events?format=geojson",
             "/api/quotes?speaker=mujahid", "/api/control", "/api/stories", "/api/articles",
             "/api/contradictions", "/api/events?format=csv&q=blast"]
    stop = threading.Event()

    def writer() -> None:
        store = open_store(fixture_dir)
        try:
            n = 0
            while not stop.is_set():
                store.save_results(EVENTS if n % 2 else EVENTS[:2], QUOTES, CONTRADICTIONS, CONTROL)
                n += 1
                time.sleep(0.01)
        finally:
            store.close()

    failures: list[str] = []

    def client(k: int) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            for i in range(60):
                path = paths[(k + i) % len(paths)]
                r = c.get(path)
                if r.status_code != 200:
                    failures.append(f"{path} {r.status_code}")

    with _Server(fixture_dir, "127.0.0.1") as server:
        w = threading.Thread(target=writer)
        w.start()
        try:
            clients = [threading.Thread(target=client, args=(k,)) for k in range(4)]
            for t in clients:
                t.start()
            for t in clients:
                t.join(timeout=300)
        finally:
            stop.set()
            w.join(timeout=30)
    assert failures == []
