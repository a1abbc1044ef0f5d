"""Issue 24: one writer per store (a second run refuses or waits; a killed run leaves no stale
lock), contradiction and control ids that do not change when a run is repeated, and a page that
does not say the run that wrote it is still running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitroom.records import Contradiction, ControlRecord
from sitroom.store import open_store
from sitroom.store.lock import StoreBusy, writer_lock

HOLD = r"""
import sys, time
from pathlib import Path
from sitroom.store.lock import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(600)
"""


def _holder(out: Path, env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], env=env,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_writer_is_refused_and_a_killed_one_leaves_no_lock(
        tmp_path: Path, sitroom_env: dict[str, str]) -> None:
    out = tmp_path / "out"
    holder = _holder(out, sitroom_env)
    try:
        with pytest.raises(StoreBusy) as refused:
            with writer_lock(out):
                pass
        message = str(refused.value)
        assert str(out) in message and f"pid {holder.pid}" in message and "--wait" in message
        # the command line says so and exits 2 without touching the store
        (tmp_path / "a.txt").write_text("Headline\n\nFighters attacked a checkpoint.")
        done = subprocess.run([sys.executable, "-m", "sitroom", "run", str(tmp_path / "a.txt"),
                               "--out", str(out), "-q"], env=sitroom_env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 2, done.stderr
        assert "another sitroom run is writing this store" in done.stderr
        assert not (out / "sitroom.sqlite").exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    with writer_lock(out):  # kill -9 released it
        pass


def test_a_waiting_writer_goes_on_when_the_first_ends(tmp_path: Path,
                                                      sitroom_env: dict[str, str]) -> None:
    out = tmp_path / "out"
    holder = _holder(out, sitroom_env)
    started = time.monotonic()
    try:
        import threading

        threading.Timer(1.5, holder.kill).start()
        with writer_lock(out, wait=True, poll_s=0.1):
            waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert waited >= 1.0


def _ids(out: Path, table: str, column: str) -> list[tuple]:
    store = open_store(out, readonly=True)
    try:
        return [tuple(r.values()) for r in
                store.rows(f"SELECT {column}, subject, field FROM {table} ORDER BY {column}")]  # noqa: S608
    finally:
        store.close()


CONTRA = [Contradiction("EV1", "fatalities", "3", ["A"], "5", ["B"], "number"),
          Contradiction("Torghundi", "holder", "Taliban", ["C"], "government", ["D"], "fact")]
CONTROL = [ControlRecord("Torghundi", "Herat", "Kushk", "2021-07-10", "Taliban", "claimed", ["EV1"]),
           ControlRecord("Islam Qala", "Herat", "Kohsan", "2021-07-09", "Taliban", "confirmed", [])]


def test_contradiction_and_control_ids_are_stable(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        store.save_results([], [], CONTRA, CONTROL)
        first = store.rows("SELECT contradiction_id, subject FROM contradictions")
        first_control = store.rows("SELECT control_id, place FROM control")
        store.save_results([], [], CONTRA, CONTROL)  # a re-run
        assert store.rows("SELECT contradiction_id, subject FROM contradictions") == first
        assert store.rows("SELECT control_id, place FROM control") == first_control
        # a new contradiction, listed first, leaves the others' ids alone
        extra = Contradiction("EV2", "claim", "claimed", ["E"], "denied", ["F"], "claim_denial")
        store.save_results([], [], [extra, *reversed(CONTRA)], CONTROL)
        again = {r["subject"]: r["contradiction_id"]
                 for r in store.rows("SELECT contradiction_id, subject FROM contradictions")}
        assert {s: again[s] for s in ("EV1", "Torghundi")} == {r["subject"]: r["contradiction_id"]
                                                               for r in first}
        assert all(0 < i < 2**53 for i in again.values())  # exact in JavaScript
    finally:
        store.close()


def test_the_page_does_not_embed_the_state_of_the_run_writing_it(tmp_path: Path) -> None:
    from sitroom.export import export_all

    store = open_store(tmp_path)
    try:
        store.begin_run(["x"])  # the run that writes the page is still running when it does
        store.save_results([], [], CONTRA, CONTROL)
        export_all(store, tmp_path)
    finally:
        store.close()
    page = (tmp_path / "report.html").read_text()
    assert "running" not in page
    assert '"finished": null' not in page and '"finished":null' not in page


def test_an_out_dir_that_cannot_be_written_is_named(tmp_path: Path, capsys: pytest.CaptureFixture
                                                    ) -> None:
    from sitroom.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["run", str(tmp_path), "--out", str(blocker / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"sitroom run: {blocker / 'out'}" in err and "Traceback" not in err
