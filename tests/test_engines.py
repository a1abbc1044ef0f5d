"""The Dask engine gives exactly the local engine's results (LocalCluster, real worker processes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitroom.engines import DaskEngine, LocalEngine
from sitroom.pipeline import RunOptions, run
from tests.compare_outputs import comparable_output

OUTPUTS = ["articles.csv", "stories.json", "events.csv", "quotes.csv", "contradictions.csv",
           "control.csv"]


def test_local_engine_keeps_order() -> None:
    assert list(LocalEngine().map(lambda x: x * 2, [3, 1, 2])) == [6, 2, 4]


@pytest.mark.slow
def test_dask_engine_matches_local(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local_out, dask_out = tmp_path / "local", tmp_path / "dask"
    run([], RunOptions(out_dir=local_out, quiet=True))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        engine = DaskEngine(client=client)
        assert list(engine.map(abs, [-1, 2, -3])) == [1, 2, 3]
        run([], RunOptions(out_dir=dask_out, quiet=True, engine="dask", engine_obj=engine))
    for name in OUTPUTS:
        assert comparable_output(dask_out / name) == comparable_output(local_out / name), name
    assert sorted(p.name for p in (dask_out / "clean").iterdir()) == \
        sorted(p.name for p in (local_out / "clean").iterdir())


def _pid(_: int) -> int:
    import os

    return os.getpid()


def test_local_engine_pool_keeps_order_and_uses_processes() -> None:
    import os

    engine = LocalEngine(workers=2)
    try:
        assert list(engine.map(abs, [-3, 1, -2, 5, -4])) == [3, 1, 2, 5, 4]
        pids = set(engine.map(_pid, range(8)))
        assert os.getpid() not in pids
    finally:
        engine.close()


def _models_in_memory(_: int) -> bool:
    """In a worker, before it loads anything itself: whether spaCy, MiniLM and the gazetteer are
    there already (the lru_cache of each loader is filled)."""
    from sitroom import embed, nlp
    from sitroom.geo import gazetteer

    return all(loader.cache_info().currsize == 1 for loader in
               (nlp.load_nlp, embed._sentence_model, gazetteer.load_gazetteer))


@pytest.fixture
def forkserver() -> Any:
    """multiprocessing's fork server module, where the platform has one (elsewhere workers are
    spawned and each loads the models itself)."""
    import multiprocessing
    from multiprocessing import forkserver

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform: workers are spawned and load the models")
    return forkserver


@pytest.mark.slow
def test_workers_start_with_the_models_their_server_loaded(forkserver: Any) -> None:
    engine = LocalEngine(workers=2)
    try:
        assert all(engine.map(_models_in_memory, range(4)))
    finally:
        engine.close()
    assert forkserver._forkserver._forkserver_pid is None  # closing stopped the server too


@pytest.mark.slow
def test_release_stops_the_workers_and_keeps_their_server(forkserver: Any) -> None:
    engine = LocalEngine(workers=2)
    try:
        first = set(engine.map(_pid, range(4)))
        server = forkserver._forkserver._forkserver_pid
        engine.release()
        assert engine._pool is None and engine.warm  # workers gone, models still loaded
        assert forkserver._forkserver._forkserver_pid == server
        assert all(engine.map(_models_in_memory, range(4)))  # new workers, forked from it
        assert not first & set(engine._pool._processes)
    finally:
        engine.close()
    assert not engine.warm and forkserver._forkserver._forkserver_pid is None


def test_local_engine_runs_a_single_item_inline() -> None:
    import os

    engine = LocalEngine(workers=2)
    assert list(engine.map(_pid, [0])) == [os.getpid()]
    assert engine._pool is None  # no pool started for one item
    engine.close()


@pytest.mark.slow
def test_worker_processes_give_the_single_process_results(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    run([], RunOptions(out_dir=one, quiet=True, workers=1))
    # batches of 2 articles: the demo's 5 articles become 3 tasks for 2 worker processes
    run([], RunOptions(out_dir=two, quiet=True, workers=2, batch=2))
    for name in OUTPUTS:
        assert comparable_output(two / name) == comparable_output(one / name), name


DRIVER = """
import sys
from sitroom.engines import LocalEngine
def pid(_):
    import os, time
    time.sleep(0.3)  # long enough that every worker takes a task (all are up when we print)
    return os.getpid()
if __name__ == "__main__":
    engine = LocalEngine(workers=2)
    pids = set(engine.map(pid, range(8))) | set(engine._pool._processes)
    print(" ".join(str(p) for p in sorted(pids)), flush=True)
    sys.stdin.read()  # hold the pool until killed
"""


def test_workers_exit_when_the_driver_is_killed(tmp_path: Path) -> None:
    """A driver killed outright (SIGKILL: no cleanup runs) must not leave its workers behind."""
    import os
    import subprocess
    import sys
    import time

    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    driver = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)
    workers: list[int] = []
    try:
        workers += [int(p) for p in driver.stdout.readline().split()]
        assert workers and driver.pid not in workers
        driver.kill()
        driver.wait(timeout=10)

        def alive(pid: int) -> bool:
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                    return fh.read().split()[2] != "Z"
            except OSError:
                return False

        deadline = time.monotonic() + 15
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(p) for p in workers)
    finally:
        driver.kill()
        for pid in workers:
            try:
                os.kill(pid, 9)  # left behind only when the test fails
            except OSError:
                pass


def test_a_task_gives_its_free_heap_back_and_keeps_its_result_or_error(monkeypatch) -> None:
    from sitroom import engines

    trims: list[int] = []
    monkeypatch.setattr(engines, "_malloc_trim", lambda: trims.append)
    assert engines._call_then_trim(lambda x: x + 1, 1) == 2
    with pytest.raises(ZeroDivisionError):
        engines._call_then_trim(lambda x: x / 0, 1)
    assert trims == [0, 0]  # after the failed task too
