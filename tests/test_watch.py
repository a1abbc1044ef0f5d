"""`sitroom watch`: a JSONL file that grows while watched gives what one run gives; a watch
killed (SIGKILL) in the middle of an update is finished by the next."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitroom.compare import compare_stores
from sitroom.pipeline import RunOptions, run
from sitroom.store import open_store
from sitroom.watch import LOG_NAME, WatchError, WatchState, next_arrival, parse_every

ROOT = Path(__file__).resolve().parents[1]


def test_every_reads_seconds_minutes_hours() -> None:
    assert parse_every("15m") == 900 and parse_every("30s") == 30 and parse_every("1h") == 3600
    assert parse_every("2.5") == 2.5
    with pytest.raises(WatchError, match="--every 'soon'"):
        parse_every("soon")


def test_only_complete_lines_arrive_and_the_rest_waits(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": "one"}\n{"id": "b", "te', encoding="utf-8")
    out = tmp_path / "out"
    first = next_arrival(feed, out, WatchState())
    assert first is not None and first.n_lines == 1
    assert first.paths[-1].read_text() == '{"id": "a", "text": "one"}\n'
    assert next_arrival(feed, out, first.state) is None  # the half line waits
    with feed.open("a", encoding="utf-8") as fh:
        fh.write('xt": "two"}\n')
    second = next_arrival(feed, out, WatchState.loads(first.state.dumps()))
    assert second is not None and second.n_lines == 1
    assert json.loads(second.paths[-1].read_text())["id"] == "b"
    # a folder: a text file is read when new or changed
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text("A report.", encoding="utf-8")
    got = next_arrival(folder, out, WatchState())
    assert got is not None and [p.name for p in got.paths] == ["x.txt"]
    assert next_arrival(folder, out, got.state) is None


def _lines(seeds_dir: Path) -> list[str]:
    return [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) + "\n"
            for p in sorted(seeds_dir.glob("*.txt"))]


def _watcher(feed: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "sitroom", "watch", str(feed), "--out", str(out),
                             *extra], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _updates(out: Path) -> int:
    log = out / LOG_NAME
    return len(log.read_text().splitlines()) if log.exists() else 0


def _wait_for(cond, proc: subprocess.Popen, timeout: float = 240.0) -> None:  # noqa: ANN001
    end = time.monotonic() + timeout
    while not cond():
        if proc.poll() is not None:
            raise AssertionError(f"watch ended: {proc.stderr.read().decode()[-2000:]}")
        assert time.monotonic() < end, "timed out"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    feed = tmp_path_factory.mktemp("feed") / "all.jsonl"
    feed.write_text("".join(_lines(seeds_dir)), encoding="utf-8")
    out = tmp_path_factory.mktemp("one_run")
    run([feed], RunOptions(out_dir=out, quiet=True))
    return out


def test_a_file_growing_in_three_steps_gives_what_one_run_gives(tmp_path: Path, seeds_dir: Path,
                                                                one_run: Path) -> None:
    lines = _lines(seeds_dir)
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    feed.write_text("".join(lines[:2]), encoding="utf-8")
    proc = _watcher(feed, out, "--every", "0.5")
    try:
        _wait_for(lambda: _updates(out) >= 1, proc)
        with feed.open("a", encoding="utf-8") as fh:  # two lines and the start of a third
            fh.write("".join(lines[2:4]) + lines[4][:40])
        _wait_for(lambda: _updates(out) >= 2, proc)
        with feed.open("a", encoding="utf-8") as fh:
            fh.write(lines[4][40:])
        _wait_for(lambda: _updates(out) >= 3, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    log = [json.loads(x) for x in (out / LOG_NAME).read_text().splitlines()]
    assert [x["articles"] for x in log] == [2, 2, 1]
    assert all({"events_added", "events_changed", "events_retired", "seconds"} <= set(x)
               for x in log)
    agreement = compare_stores(one_run, out)
    assert agreement.identical, agreement.as_dict()


def test_a_watch_killed_during_an_update_is_finished_by_the_next(tmp_path: Path,
                                                                 seeds_dir: Path,
                                                                 one_run: Path) -> None:
    feed, out = tmp_path / "feed.jsonl", tmp_path / "out"
    feed.write_text("".join(_lines(seeds_dir)), encoding="utf-8")
    proc = _watcher(feed, out, "--every", "0.5")

    def analysing() -> bool:
        # the update is under way: some articles stored, the run not finished
        if not (out / "sitroom.sqlite").exists():
            return False
        try:
            store = open_store(out, readonly=True)
            try:
                rows = store.rows("SELECT status FROM runs")
                return bool(rows) and rows[-1]["status"] == "running" and store.count_articles() > 0
            finally:
                store.close()
        except Exception:  # noqa: BLE001 (the store is being created)
            return False

    try:
        _wait_for(analysing, proc)
        time.sleep(1.0)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert _updates(out) == 0  # it died before finishing
    proc = _watcher(feed, out, "--once")
    assert proc.wait(timeout=400) == 0, proc.stderr.read().decode()[-2000:]
    store = open_store(out, readonly=True)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r["status"] for r in store.rows("SELECT status FROM runs")] == ["interrupted", "done"]
    store.close()
    assert compare_stores(one_run, out).identical
