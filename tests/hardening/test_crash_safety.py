"""Crash safety: a run killed with SIGKILL at any stage and run again ends with exactly the outputs
of a run that was never interrupted, and the store passes SQLite's integrity check throughout."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.corpus import run_sitroom, sitroom_cmd, snapshot_outputs


def count(db: Path, table: str) -> int:
    """Rows in a table as a concurrent reader sees them; 0 while the store does not exist yet."""
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608
        finally:
            con.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def fused_ids(out: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(f"file:{out / 'sitroom.sqlite'}?mode=ro", uri=True)
    try:
        return {"contradictions": con.execute(
                    "SELECT contradiction_id, subject, field, value_a, value_b FROM contradictions "
                    "ORDER BY contradiction_id").fetchall(),
                "control": con.execute("SELECT control_id, place, date, holder FROM control "
                                       "ORDER BY control_id").fetchall()}
    finally:
        con.close()


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def kill_when(cmd: list[str], env: dict[str, str], condition: Callable[[], bool],
              limit: float = 240) -> bool:
    """Start a run and SIGKILL it as soon as `condition` holds; False if it finished first."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            if condition():
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)
                return True
            time.sleep(0.005)
        raise AssertionError("run neither reached the kill point nor finished")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_sigkill_at_each_stage_then_rerun_equals_uninterrupted(
        tmp_path: Path, gen_corpus: Path, reference_run: Path, sitroom_env: dict[str, str]) -> None:
    out = tmp_path / "out"
    db = out / "sitroom.sqlite"
    cmd = sitroom_cmd(gen_corpus, out)
    # Each kill lands in a later stage: while the articles are analysed (parsed, mentions), after
    # the parses are stored but before the stories are (the stories step embeds every article),
    # and after the stories, while mentions are redone per story, fused and exported.
    kill_points = [
        ("analyse", lambda: count(db, "articles") > 0),
        ("stories", lambda: count(db, "docs") > 0),
        ("fuse/export", lambda: count(db, "stories") > 0),
    ]
    killed = []
    for name, condition in kill_points:
        if kill_when(cmd, sitroom_env, condition):
            killed.append(name)
            assert integrity(db) == "ok", f"after a kill during {name}"
    assert killed[:2] == ["analyse", "stories"], killed  # the long stages: these kills must land
    print(f"killed during: {', '.join(killed)}")  # shown with -s
    run_sitroom(gen_corpus, out, sitroom_env)
    assert integrity(db) == "ok"
    got, want = snapshot_outputs(out), snapshot_outputs(reference_run)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name
    con = sqlite3.connect(db)
    try:
        statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY run_id")]
    finally:
        con.close()
    # Killed runs are marked "interrupted" when the next run starts; the last one is done.
    assert statuses[-1] == "done" and statuses.count("done") == 1, statuses
    assert set(statuses[:-1]) <= {"interrupted"}, statuses


@pytest.mark.slow
def test_rerun_of_a_finished_run_changes_nothing(
        tmp_path: Path, gen_corpus: Path, reference_run: Path, sitroom_env: dict[str, str]) -> None:
    """The re-run after a kill is an ordinary incremental run: over a finished DIR it must be a
    no-op for every output."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(reference_run, out)
    run_sitroom(gen_corpus, out, sitroom_env)
    assert snapshot_outputs(out) == snapshot_outputs(reference_run)
    assert integrity(out / "sitroom.sqlite") == "ok"
    # the ids the API and the page show, which no contract file holds (issue 24)
    assert fused_ids(out) == fused_ids(reference_run)
    assert fused_ids(out)["contradictions"]


@pytest.mark.slow
def test_sigkill_during_an_incremental_update_then_rerun_equals_uninterrupted(
        tmp_path: Path, sitroom_env: dict[str, str]) -> None:
    """New articles arrive in a folder already run: a kill while they are analysed, and one
    after, then a re-run, end with the store an uninterrupted update gives (issue 24)."""
    import shutil

    from tests.hardening.corpus import write_corpus

    corpus = tmp_path / "in"
    write_corpus(corpus, 20)
    reference = tmp_path / "reference"
    run_sitroom(corpus, reference, sitroom_env)
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    write_corpus(corpus, 12, seed=8, start=20)  # the update
    n_files = len([p for p in corpus.iterdir() if p.suffix == ".txt"])
    db = out / "sitroom.sqlite"
    killed = []
    for name, condition in [("analyse", lambda: count(db, "articles") > 20),
                            ("stories/fuse", lambda: count(db, "docs") >= n_files)]:
        if kill_when(sitroom_cmd(corpus, out), sitroom_env, condition):
            killed.append(name)
            assert integrity(db) == "ok", f"after a kill during {name}"
    assert killed[:1] == ["analyse"], killed
    print(f"killed during: {', '.join(killed)}")  # shown with -s
    run_sitroom(corpus, out, sitroom_env)
    run_sitroom(corpus, reference, sitroom_env)  # the same update, never interrupted
    assert integrity(db) == "ok"
    got, want = snapshot_outputs(out), snapshot_outputs(reference)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name
    assert fused_ids(out) == fused_ids(reference)
