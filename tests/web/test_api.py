"""The JSON API and `serve`: filters answer correctly, hostile filters do nothing, no path reaches
the file system, security headers everywhere, and no public bind unless asked."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitroom.web import create_app, is_loopback, serve

INJECTIONS = [
    "' OR '1'='1",
    "Battles' OR 1=1 --",
    "x'; DROP TABLE events; --",
    "\" OR \"\"=\"",
    "1) UNION SELECT sql,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24 FROM sqlite_master --",
    "%",
    "_",
    "\\",
]


def client_for(out: Path) -> TestClient:
    return TestClient(create_app(out), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def client(shared_fixture_dir: Path) -> TestClient:
    return client_for(shared_fixture_dir)


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["event_id"] for e in response.json()]


def test_events_unfiltered_in_date_order(client: TestClient) -> None:
    # the undated event comes last
    assert ids(client.get("/api/events")) == ["E-battle", "E-blast", "E-hostile", "E-undated"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"date_from": "2021-06-23"}, ["E-blast", "E-hostile"]),
    ({"date_to": "2021-06-28"}, ["E-battle", "E-blast"]),
    ({"date_from": "2021-06-22", "date_to": "2021-06-22"}, ["E-battle"]),
    ({"event_type": "Battles"}, ["E-battle"]),
    ({"sub_event_type": "Remote explosive/landmine/IED"}, ["E-blast"]),
    ({"admin1": "Kunduz"}, ["E-battle", "E-undated"]),
    ({"admin1": "KUNDUZ"}, ["E-battle", "E-undated"]),  # case-insensitive
    ({"admin1": "Kündüz"}, ["E-battle", "E-undated"]),  # accent-insensitive
    ({"event_type": "battles"}, ["E-battle"]),
    ({"country": "afghanistan", "date_to": "2021-06-22"}, ["E-battle"]),
    ({"location": "mazar-e-sharif"}, ["E-blast"]),
    ({"q": "KILLING SEVEN"}, ["E-blast"]),  # text in the evidence
    ({"actor": "taliban"}, ["E-battle", "E-undated"]),  # substring, case-insensitive
    ({"actor": "Civilians (Afghanistan)"}, ["E-blast", "E-hostile"]),  # actor2 counts too
    ({"actor": "Civilians", "date_to": "2021-06-30"}, ["E-blast"]),
    ({"admin1": "Kunduz", "event_type": "Strategic developments"}, ["E-undated"]),
    ({"limit": 2, "offset": 1}, ["E-blast", "E-hostile"]),
    ({"admin1": "Nowhere"}, []),
])
def test_events_filters(client: TestClient, params: dict[str, Any], expected: list[str]) -> None:
    assert ids(client.get("/api/events", params=params)) == expected


def test_event_fields_are_lists_and_text_is_returned_as_data(client: TestClient) -> None:
    (event,) = client.get("/api/events", params={"admin1": "Herat"}).json()
    assert event["evidence"][0].startswith("Residents said <script>alert(1)</script>")
    assert event["article_ids"] == ["a3"] and event["sources"] == ["Src <img src=x onerror=alert(1)>"]
    one = client.get("/api/events/E-blast")
    assert one.status_code == 200 and one.json()["fatalities"] == 7
    assert one.headers["content-type"].startswith("application/json")
    assert client.get("/api/events/nope").status_code == 404


def test_other_endpoints(client: TestClient) -> None:
    stories = client.get("/api/stories").json()
    s1 = next(s for s in stories if s["story_id"] == "S1")
    assert [(x["article_id"], x["derived_from"], x["relation"]) for x in s1["lineage"]] == \
        [("a1", None, "origin"), ("a2", "a1", "spun")]
    assert [q["quote_id"] for q in client.get("/api/quotes").json()] == ["q1", "q2"]
    assert [q["quote_id"] for q in client.get("/api/quotes", params={"speaker": "mujahid"}).json()] \
        == ["q1"]
    contradictions = client.get("/api/contradictions").json()
    assert contradictions[0]["sources_b"] == ["Other Paper"] and contradictions[0]["kind"] == "number"
    control = client.get("/api/control", params={"admin1": "Kunduz"}).json()
    assert [(c["place"], c["holder"], c["event_ids"]) for c in control] == \
        [("Shir Khan Bandar", "Taliban", ["E-battle"])]
    in_s1 = client.get("/api/articles", params={"story_id": "S1"})
    assert [a["article_id"] for a in in_s1.json()] == ["a1", "a2"]
    assert in_s1.headers["X-Total-Count"] == "2"  # the total of the filtered list


@pytest.mark.parametrize("path, key", [
    ("/api/events", "event_id"), ("/api/stories", "story_id"), ("/api/articles", "article_id"),
    ("/api/quotes", "quote_id"), ("/api/contradictions", "contradiction_id"),
    ("/api/control", "place")])
def test_lists_come_in_pages_with_their_total(client: TestClient, path: str, key: str) -> None:
    whole = client.get(path)
    total = int(whole.headers["X-Total-Count"])
    assert total == len(whole.json()) >= 1
    pages = [client.get(path, params={"limit": 1, "offset": k}) for k in range(total + 1)]
    assert all(int(p.headers["X-Total-Count"]) == total for p in pages)
    assert [r[key] for p in pages for r in p.json()] == [r[key] for r in whole.json()]
    assert pages[-1].json() == []  # past the end: an empty page, not an error
    assert client.get(path, params={"limit": 0}).status_code == 422


def test_bad_parameters_are_refused(client: TestClient) -> None:
    for params in ({"date_from": "2021'--"}, {"date_to": "yesterday"}, {"limit": 0},
                   {"limit": 10**9}, {"offset": -1}, {"offset": 2**63}, {"offset": 10**23},
                   {"limit": "1e3"}, {"date_from": "2021-02-30"}, {"format": "xml"},
                   {"actor": "a" * 50_001}, {"speaker": "x"}):
        assert client.get("/api/events", params=params).status_code == 422, params


def test_unknown_parameters_answer_422_naming_the_allowed_ones(client: TestClient) -> None:
    response = client.get("/api/events", params={"evnt_type": "Riots"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["unknown"] == ["evnt_type"]
    assert {"event_type", "admin1", "country", "location", "q", "format", "limit"} <= set(detail["allowed"])
    assert client.get("/api/quotes", params={"actor": "x"}).json()["detail"]["allowed"] == \
        ["article_id", "format", "limit", "offset", "speaker"]


def test_an_impossible_date_range_answers_422(client: TestClient) -> None:
    response = client.get("/api/events", params={"date_from": "2021-07-01", "date_to": "2021-06-01"})
    assert response.status_code == 422 and "after date_to" in response.json()["detail"]["message"]


def test_control_characters_and_wildcards_match_nothing_special(client: TestClient) -> None:
    for value in ("\x00", "Tali\x00ban", "\x1b[31m", "\u0085"):
        assert client.get("/api/events", params={"actor": value}).status_code == 422, repr(value)
    for value in ("%", "_", "%%", "Tali%", "T_liban", "\\"):
        assert ids(client.get("/api/events", params={"actor": value})) == [], value
    assert client.get("/api/quotes", params={"speaker": "\x00"}).status_code == 422


def test_csv_and_geojson_answers(client: TestClient) -> None:
    import csv
    import io

    response = client.get("/api/events", params={"format": "csv", "admin1": "kunduz"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["event_id"] for r in rows] == ["E-battle", "E-undated"]
    geo = client.get("/api/events", params={"format": "geojson"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    body = geo.json()
    assert body["type"] == "FeatureCollection" and "crs" not in body
    assert [f["id"] for f in body["features"]] == ["E-battle", "E-blast", "E-hostile"]  # located only
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [68.61, 37.18]}
    assert geo.headers["X-Total-Count"] == "4"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sql_injection_in_filters_does_nothing(fixture_dir: Path) -> None:
    client = client_for(fixture_dir)
    db = fixture_dir / "sitroom.sqlite"
    before = _digest(db)
    for payload in INJECTIONS:
        for name in ("event_type", "sub_event_type", "admin1", "actor"):
            assert ids(client.get("/api/events", params={name: payload})) == [], (name, payload)
        for path, name in (("/api/quotes", "speaker"), ("/api/quotes", "article_id"),
                           ("/api/control", "place"), ("/api/articles", "story_id")):
            response = client.get(path, params={name: payload})
            assert response.status_code == 200 and response.json() == [], (path, name, payload)
        assert client.get(f"/api/events/{payload.replace('/', '')}").status_code == 404
    assert _digest(db) == before
    check = sqlite3.connect(db)
    assert check.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


@pytest.mark.parametrize("path", [
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e%2fsitroom.sqlite",
    "/sitroom.sqlite",
    "/report.html/../sitroom.sqlite",
    "/docs/assets/..%2f..%2f__init__.py",
    "/docs/assets/%2e%2e%2fcore.py",
    "/docs/assets/index.html",
    "/api/../sitroom.sqlite",
    "/static/../../etc/passwd",
    "/clean/..%2f..%2fsitroom.sqlite",
])
def test_path_traversal_gets_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"SQLite format" not in response.content and b"root:" not in response.content


def test_security_headers_on_page_and_api(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe" not in script_src and "sha256-" in script_src and "http" not in script_src
    for response in (page, client.get("/api/events"), client.get("/nothing-here")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "content-security-policy" in response.headers
    assert client.get("/api/events").headers["content-security-policy"].startswith("default-src 'none'")


def test_foreign_host_header_is_refused(client: TestClient) -> None:
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the API
    assert client.get("/api/events", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/api/events", headers={"host": "localhost:8000"}).status_code == 200
    for host in ("127.0.0.2:8000", "127.255.0.9", "[::1]:8000", "[::1]"):  # every loopback address
        assert client.get("/api/events", headers={"host": host}).status_code == 200, host
    for host in ("127.0.0.1.evil.example", "[::2]:8000", "10.0.0.1:8000"):
        assert client.get("/api/events", headers={"host": host}).status_code == 400, host


def test_openapi_documents_the_api_and_docs_are_local(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/stories", "/api/quotes", "/api/contradictions", "/api/control"):
        assert path in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"date_from", "date_to", "event_type", "sub_event_type", "admin1", "actor"} <= names
    docs = client.get("/docs")
    if docs.status_code == 200 and "swagger" in docs.text.lower():
        assert "cdn" not in docs.text and "https://" not in docs.text
        assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
        assert "unsafe-inline" not in next(d for d in docs.headers["content-security-policy"]
                                           .split(";") if "script-src" in d)


def test_page_is_rendered_again_when_the_store_changes(fixture_dir: Path) -> None:
    from sitroom.store import open_store

    client = client_for(fixture_dir)
    assert "4 events" in client.get("/").text
    store = open_store(fixture_dir)
    store.save_results([], [], [], [])
    store.close()
    assert "0 events" in client.get("/").text
    assert client.get("/api/events").json() == []


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("10.0.0.1", False),
    ("example.com", False), ("localhost.example.com", False), ("", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def _record_uvicorn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """serve() binds its socket, then hands it to the server: record what was bound instead."""
    import sitroom.web as web

    calls: list[dict[str, Any]] = []

    def fake_run(app: Any, sock: Any) -> None:
        host, port = sock.getsockname()[:2]
        calls.append({"host": host, "port": port})

    monkeypatch.setattr(web, "run_server", fake_run)
    return calls


def test_serve_refuses_public_addresses_unless_allowed(
        shared_fixture_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = _record_uvicorn(monkeypatch)
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.com"):
        assert serve(shared_fixture_dir, host=host, port=8123) == 2
    assert calls == []
    assert "--allow-public" in capsys.readouterr().err
    assert serve(shared_fixture_dir, host="0.0.0.0", port=0, allow_public=True) == 0
    assert serve(shared_fixture_dir, host="127.0.0.1", port=0) == 0
    assert [c["host"] for c in calls] == ["0.0.0.0", "127.0.0.1"]


def test_cli_serve_defaults_to_loopback_and_refuses_public(
        shared_fixture_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.cli import main

    calls = _record_uvicorn(monkeypatch)
    assert main(["serve", str(shared_fixture_dir), "--host", "0.0.0.0"]) == 2
    assert main(["serve", str(tmp_path)]) == 2  # no store there
    assert main(["serve", str(shared_fixture_dir), "--port", "0"]) == 0
    assert len(calls) == 1 and calls[0]["host"] == "127.0.0.1"


def test_serve_says_why_it_cannot_bind(shared_fixture_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    calls = _record_uvicorn(monkeypatch)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        assert serve(shared_fixture_dir, host="127.0.0.1", port=port) == 2
    finally:
        taken.close()
    err = capsys.readouterr().err
    assert "cannot listen on 127.0.0.1" in err and "serving" not in err and calls == []


def test_reads_during_writes_see_whole_result_sets(fixture_dir: Path) -> None:
    """`sitroom serve` reading while `sitroom run` replaces the results (WAL): every answer holds
    the old set or the new one, never a mixture, and no request fails."""
    import threading

    from sitroom.store import open_store
    from tests.report.fixture_store import CONTRADICTIONS, CONTROL, EVENTS, QUOTES

    client = client_for(fixture_dir)
    stop = threading.Event()
    writes = [0]

    def writer() -> None:
        store = open_store(fixture_dir)
        try:
            while not stop.is_set() and writes[0] < 40:
                subset = EVENTS if writes[0] % 2 else EVENTS[:2]
                store.save_results(subset, QUOTES, CONTRADICTIONS, CONTROL)
                writes[0] += 1
        finally:
            store.close()

    thread = threading.Thread(target=writer)
    thread.start()
    seen = set()
    try:
        for _ in range(40):
            response = client.get("/api/events")
            assert response.status_code == 200
            got = tuple(sorted(e["event_id"] for e in response.json()))
            assert got in {tuple(sorted(e.event_id for e in EVENTS)),
                           tuple(sorted(e.event_id for e in EVENTS[:2]))}
            seen.add(got)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert writes[0] > 0
