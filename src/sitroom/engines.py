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
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    name: str

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Apply fn to every item; results come back in input order."""
        ...

    def close(self) -> None: ...

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


def _exit_with(parent: int) -> None:
    import os
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _init_worker() -> None:
    # One process per core: libraries inside a worker must not start their own thread pools,
    # or N workers x N threads fight over N cores.
    import os
    import threading

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # A driver killed outright (SIGKILL, OOM, `timeout`) cannot stop its pool, and a worker
    # waiting on the task queue never sees it go (the queue's pipe has a writer in every
    # worker): without this watch it would hold its ~1.5 GB until someone kills it.
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True,
                     name="sitroom-exit-with-driver").start()


class LocalEngine:
    """This machine. With workers > 1, batches go to a pool of worker processes (spawned, so no
    thread state of the parent's torch/BLAS is inherited); each loads the models once and keeps
    them. A map with a single item runs in this process: a pool costs a few seconds to start and
    buys nothing for one batch (the seed corpus, small incremental runs).

    Memory: a worker's resident size creeps up with every batch (allocator fragmentation from
    variable-length tensors and parses: ~1.15 GB after one batch of 64 articles, ~1.5 GB after
    ten), so a worker is replaced after `tasks_per_worker` tasks (a reload costs ~10 s of CPU,
    ~5% of a worker's 16 batches). The pool is kept between maps unless the driver calls
    release(): restarting it costs ~20 s of CPU, worth it only when a large run needs the
    workers' memory back for the driver's own stages."""

    name = "local"

    def __init__(self, workers: int = 1, in_flight_per_worker: int = 2,
                 tasks_per_worker: int = 16):
        self.workers = workers
        self.in_flight = max(1, workers * in_flight_per_worker)
        self.tasks_per_worker = tasks_per_worker
        self._pool: Any = None

    def _get_pool(self) -> Any:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.workers, initializer=_init_worker,
                                             mp_context=multiprocessing.get_context("spawn"),
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
        yield from _bounded_map(self._get_pool().submit, fn, itertools.chain(head, it),
                                self.in_flight)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def release(self) -> None:
        """Stop the worker processes now (a later map starts new ones)."""
        self.close()

    @property
    def warm(self) -> bool:
        return self._pool is not None


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
