"""Load test of `sitroom serve` on loopback while `sitroom run` writes the store it serves.

    python tools/loadtest.py OUT_DIR INPUT [--requests 2000] [--clients 8] [--host 127.0.0.1]

Serves OUT_DIR (which must hold a store) with the real server on a free loopback port, starts
`sitroom run INPUT --out OUT_DIR` beside it (a fresh run into the store being served), and sends
--requests GET requests over the API's endpoints and the page from --clients concurrent clients.
Only loopback addresses are accepted, the request count is bounded, and it stops by itself. The
last line printed is one JSON object: requests, errors (status other than 200, or a failed
request), latency percentiles in ms, whether the run was writing during the requests, and the
statuses seen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

PATHS = ["/api/events", "/api/events?admin1=gujarat", "/api/events?format=geojson",
         "/api/events?format=csv&q=police", "/api/events?actor=police&date_from=2002-01-01",
         "/api/quotes?speaker=singh", "/api/control", "/api/stories?limit=50", "/api/articles",
         "/api/contradictions", "/api/events?country=india&event_type=riots", "/"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("input")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()

    from sitroom.web import bind, create_app, is_loopback

    if not is_loopback(args.host):
        print("loadtest: loopback addresses only", file=sys.stderr)
        return 2
    requests = min(args.requests, 20_000)
    import uvicorn

    sock = bind(args.host, 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Path(args.out)), log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    name = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{name}:{port}"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    writer = subprocess.Popen([sys.executable, "-m", "sitroom", "run", args.input, "--out",
                               args.out, "--quiet"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    counter = iter(range(requests))
    writing_seen = [0]

    def client() -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            for n in counter:
                path = PATHS[n % len(PATHS)]
                start = time.perf_counter()
                try:
                    status = str(c.get(path).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1
                    writing_seen[0] += writer.poll() is None

    started = time.perf_counter()
    clients = [threading.Thread(target=client) for _ in range(args.clients)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    wall = time.perf_counter() - started
    writer_done = writer.poll() is not None
    writer.terminate() if not writer_done else None
    writer.wait(timeout=600)
    server.should_exit = True
    thread.join(timeout=30)
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    print(json.dumps({
        "requests": len(latencies), "clients": args.clients,
        "errors": sum(v for k, v in statuses.items() if k != "200"),
        "statuses": dict(statuses), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
        "p99_ms": pct(0.99), "max_ms": round(latencies[-1], 1),
        "mean_ms": round(statistics.fmean(latencies), 1), "wall_s": round(wall, 1),
        "requests_during_run": writing_seen[0], "run_finished_first": writer_done,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
