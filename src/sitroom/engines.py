"""Engines run the per-article work; the driver (pipeline.py) keeps the store and fuses centrally.

- LocalEngine: this machine; one worker process per core (models loaded once per worker), or in
  this process when workers=1 or there is a single batch.
- DaskEngine: `dask.distributed` workers; each worker loads the models once (module-level caches in
  sitroom.nlp / sitroom.embed live per worker process) and receives batches of plain records.

Work functions are top-level and pure so that they pickle and give the same result anywhere.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    name: str

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Apply fn to every item; results come back in input order."""
        ...

    def close(self) -> None: ...

    def prestart(self) -> None:
        """Start making workers ready (loading models) in the background, before the first
        map; a no-op where there is nothing to prepare."""
        ...

    def release(self) -> None:
        """Give back memory held between maps (worker processes); a later map still works."""
        ...

    @property
    def warm(self) -> bool:
        """Whether workers with models loaded are running now (a map starts at once)."""
        ...


def default_workers() -> int:
    """Worker processes for the local engine: SITROOM_WORKERS, else one per core (at most 8:
    each holds its own spaCy model, ~0.4 GB)."""
    import os

    value = os.environ.get("SITROOM_WORKERS")
    if value:
        return max(1, int(value))
    return max(1, min(8, os.cpu_count() or 1))


def _running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (a killed driver its shell has not yet
    reaped must count as gone)."""
    import os

    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        pass
    try:  # no /proc: signal 0 only asks whether the process exists
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _exit_with(driver: int) -> None:
    import os
    import time

    while _running(driver):
        time.sleep(1.0)
    os._exit(1)


def _init_worker(driver: int) -> None:
    # One process per core: libraries inside a worker must not start their own thread pools,
    # or N workers x N threads fight over N cores.
    import os
    import threading

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # A driver killed outright (SIGKILL, OOM, `timeout`) cannot stop its pool, and a worker
    # waiting on the task queue never sees it go (the queue's pipe has a writer in every
    # worker): without this watch it would hold its ~1.5 GB until someone kills it. The driver,
    # not the parent: a forked worker's parent is the fork server, which lives as long as its
    # workers do.
    threading.Thread(target=_exit_with, args=(driver,), daemon=True,
                     name="sitroom-exit-with-driver").start()


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


def return_free_heap() -> None:
    """Give the heap's free pages back to the system (glibc's malloc_trim; a no-op elsewhere).
    glibc keeps what a process freed for later allocations, so without this a process's resident
    size stays near its largest moment's."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _call_then_trim(fn: Callable[[T], R], item: T) -> R:
    """Run one task in a worker, then return its free heap (a few ms): a worker's resident size
    then stays near what it still holds instead of its largest task's (parses, activations)."""
    try:
        return fn(item)
    finally:
        return_free_heap()


def _worker_context() -> Any:
    """How worker processes start. Where the platform can fork: from a fork server that loaded
    the models once (sitroom.preload), so a worker starts with them in memory, shared with the
    server until written; the server is a fresh process, so no thread state of this driver's
    torch or BLAS is inherited. Elsewhere: spawned, each worker loading the models itself."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sitroom.preload"])
        return context
    return multiprocessing.get_context("spawn")


def _stop_fork_server() -> None:
    """Stop the fork server and the models it holds (a later pool starts a new one).
    multiprocessing offers no public call for this; its own tests use ForkServer._stop."""
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        stop()


class LocalEngine:
    """This machine. With workers > 1, batches go to a pool of worker processes, forked from a
    server that loaded the models once (see _worker_context); each keeps them.
    A map with a single item runs in this process: a pool costs a few seconds to start and buys
    nothing for one batch (the seed corpus, small incremental runs).

    Memory: a worker's resident size creeps up with every batch (allocator fragmentation from
    variable-length tensors and parses: ~1.15 GB after one batch of 64 articles, ~1.7 GB after
    six), so a worker returns its free heap after each task (_call_then_trim: ~1.2 GB after six)
    and is replaced after `tasks_per_worker` tasks (a fork from the server: no reload). The pool and its server are kept between maps; release() stops the workers (a large
    run wants their memory back for the driver's own stages) and keeps the server, close() stops
    both."""

    name = "local"

    def __init__(self, workers: int = 1, in_flight_per_worker: int = 2,
                 tasks_per_worker: int = 16):
        self.workers = workers
        self.in_flight = max(1, workers * in_flight_per_worker)
        self.tasks_per_worker = tasks_per_worker
        self._pool: Any = None
        self._server = False  # whether this engine started the fork server

    def _get_pool(self) -> Any:
        if self._pool is None:
            import os
            from concurrent.futures import ProcessPoolExecutor

            context = _worker_context()
            self._server = context.get_start_method() == "forkserver"
            self._pool = ProcessPoolExecutor(self.workers, initializer=_init_worker,
                                             initargs=(os.getpid(),),
                                             mp_context=context,
                                             max_tasks_per_child=self.tasks_per_worker)
        return self._pool

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        it = iter(items)
        if self.workers <= 1:
            for item in it:
                yield fn(item)
            return
        head = list(itertools.islice(it, 2))
        if len(head) < 2:
            for item in head:
                yield fn(item)
            return
        pool = self._get_pool()

        def submit(f: Callable[[T], R], item: T) -> Any:
            return pool.submit(_call_then_trim, f, item)

        yield from _bounded_map(submit, fn, itertools.chain(head, it), self.in_flight)

    def prestart(self) -> None:
        """Start the fork server now: it loads the models (~11 s on one core) while the driver
        reads the input, instead of after."""
        if self.workers > 1 and self._pool is None:
            context = _worker_context()
            if context.get_start_method() == "forkserver":
                from multiprocessing import forkserver

                forkserver.ensure_running()
                self._server = True

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._server:
            _stop_fork_server()
            self._server = False

    def release(self) -> None:
        """Stop the worker processes now (a later map starts new ones). Their memory grows with
        the work they did (~1.5 GB each); the fork server's does not (the models, ~1.1 GB, shared
        with the workers it forks), so it stays: a later map forks workers from it in about a
        second instead of loading the models again (~11 s of one core)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def warm(self) -> bool:
        """Workers are up, or the fork server holding the models is (workers fork from it at
        once)."""
        return self._pool is not None or self._server


def _bounded_map(submit: Callable[..., Any], fn: Callable[[T], R], items: Iterable[T],
                 in_flight: int) -> Iterator[R]:
    """Submit items with at most `in_flight` pending and yield results in input order, so
    memory stays flat however long the input is."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(fn, item))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class DaskEngine:
    """Submits batches to a Dask cluster with a bounded number in flight (memory stays flat)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, client: Any = None, in_flight: int = 8):
        import os

        from distributed import Client, LocalCluster

        self._own_client = client is None
        self._cluster = None
        if client is None and scheduler is None:
            # No scheduler named: a cluster of this machine's cores, one single-threaded worker
            # each (spaCy and torch are not thread-friendly inside one process).
            self._cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,
                                         dashboard_address=None)
            client = Client(self._cluster, set_as_default=False)
        self.client = client or Client(scheduler, set_as_default=False)
        self.in_flight = in_flight

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        def submit(f: Callable[[T], R], item: T) -> Any:
            return self.client.submit(f, item, pure=False)

        yield from _bounded_map(submit, fn, items, self.in_flight)

    def prestart(self) -> None:
        pass  # a cluster's workers load their models when they start

    def release(self) -> None:
        pass  # the cluster's workers are not ours to stop between maps

    @property
    def warm(self) -> bool:
        return True  # a cluster's workers keep their models between maps

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str, scheduler: str | None = None, workers: int | None = None) -> Engine:
    if name == "local":
        return LocalEngine(default_workers() if workers is None else workers)
    if name == "dask":
        return DaskEngine(scheduler)
    raise ValueError(f"unknown engine {name!r} (local | dask)")
