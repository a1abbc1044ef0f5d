"""Engines run the per-article work; the driver (pipeline.py) keeps the store and fuses centrally.

- LocalEngine: in this process, in order (spaCy's own batching does the heavy lifting).
- DaskEngine: `dask.distributed` workers; each worker loads the models once (module-level caches in
  sitroom.nlp / sitroom.embed live per worker process) and receives batches of plain records.

Work functions are top-level and pure so that they pickle and give the same result anywhere.
"""

from __future__ import annotations

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


class LocalEngine:
    name = "local"

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def close(self) -> None:
        pass


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
        from collections import deque

        pending: deque[Any] = deque()
        for item in items:
            pending.append(self.client.submit(fn, item, pure=False))
            if len(pending) >= self.in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str, scheduler: str | None = None) -> Engine:
    if name == "local":
        return LocalEngine()
    if name == "dask":
        return DaskEngine(scheduler)
    raise ValueError(f"unknown engine {name!r} (local | dask)")
