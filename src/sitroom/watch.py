"""`sitroom watch PATH --out DIR [--every 15m]`: follow a folder or a growing JSONL file.

Every `every` seconds what arrived is one update (`pipeline.run` over it, incremental):

- a JSONL file (PATH, or one in the folder) is read from where the last update stopped, up to
  its last complete line (a line being written is left for the next update); the new lines go
  to DIR/watch/arrival.jsonl, which the update reads;
- any other file of the folder is read when it is new or its size or time changed.

Where each file was read to is kept in the store (meta `watch:PATH`) and moved on only after the
update is done, so a watch killed at any moment (SIGKILL included) reads the same arrival again
when restarted, and the store's own resumption (whole batches, then the steps after them)
finishes the interrupted update. The watch holds the store's writer lock all the while. Each
update is logged (articles, events added/changed/merged/retired, seconds) to stderr and
DIR/watch.log, one JSON object a line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sitroom.ingest import discover
from sitroom.records import InputProblem

SPOOL = Path("watch") / "arrival.jsonl"
LOG_NAME = "watch.log"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|)\s*$", re.I)


class WatchError(ValueError):
    pass


def parse_every(text: str) -> float:
    """'15m' -> 900.0, '30s' -> 30.0, '1h' -> 3600.0, '45' -> 45.0."""
    m = _DURATION.match(text)
    if not m:
        raise WatchError(f"--every {text!r}: give seconds, or a number with s, m or h (15m)")
    unit = m.group(2).lower()
    return float(m.group(1)) * {"": 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}[unit]


@dataclass
class WatchState:
    """Where each followed file was read to: JSONL byte offsets, other files' (size, mtime)."""

    offsets: dict[str, int] = field(default_factory=dict)
    files: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def loads(cls, text: str | None) -> WatchState:
        if not text:
            return cls()
        data = json.loads(text)
        return cls(dict(data.get("offsets", {})), dict(data.get("files", {})))

    def dumps(self) -> str:
        return json.dumps({"offsets": self.offsets, "files": self.files}, sort_keys=True)


@dataclass
class Arrival:
    paths: list[Path]  # what the update reads
    n_lines: int  # JSONL lines among them
    state: WatchState  # the state once the update is done


def meta_key(source: Path) -> str:
    return f"watch:{source.resolve()}"


def _complete_lines(path: Path, offset: int) -> tuple[bytes, int]:
    """The bytes of complete lines after `offset`, and the offset after them. A file shorter
    than `offset` was replaced: it is read again from its start."""
    size = path.stat().st_size
    if size < offset:
        offset = 0
    with path.open("rb") as fh:
        fh.seek(offset)
        data = fh.read(size - offset)
    end = data.rfind(b"\n")
    if end < 0:
        return b"", offset
    return data[:end + 1], offset + end + 1


def next_arrival(source: Path, out_dir: Path, state: WatchState) -> Arrival | None:
    """What arrived at `source` since `state`, or None. New JSONL lines are written to the
    spool (DIR/watch/arrival.jsonl, replaced whole)."""
    new = WatchState(dict(state.offsets), {k: list(v) for k, v in state.files.items()})
    paths: list[Path] = []
    chunks: list[bytes] = []
    for item in discover([source]):
        if isinstance(item, InputProblem):
            continue  # the update's ingest would report it; a watch only follows what it can
        key = str(item.resolve())
        if item.suffix.lower() == ".jsonl":
            data, offset = _complete_lines(item, state.offsets.get(key, 0))
            if data:
                chunks.append(data)
            new.offsets[key] = offset
            continue
        st = item.stat()
        stamp = [st.st_size, st.st_mtime_ns]
        if state.files.get(key) != stamp:
            paths.append(item)
            new.files[key] = stamp
    n_lines = sum(c.count(b"\n") for c in chunks)
    if chunks:
        spool = out_dir / SPOOL
        spool.parent.mkdir(parents=True, exist_ok=True)
        tmp = spool.with_name(f".{spool.name}.tmp")
        with tmp.open("wb") as fh:
            for c in chunks:
                fh.write(c)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, spool)
        paths.append(spool)
    if not paths:
        return None
    return Arrival(paths, n_lines, new)


def update_record(n: int, arrival: Arrival, result: Any, seconds: float) -> dict[str, Any]:
    fusion = result.fusion
    return {
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "update": n,
        "articles": result.n_processed, "unchanged": result.n_unchanged,
        "problems": len(result.problems), "incremental": result.incremental,
        "events_added": getattr(fusion, "added", 0), "events_changed": getattr(fusion, "changed", 0),
        "events_merged": getattr(fusion, "merged", 0), "events_retired": getattr(fusion, "retired", 0),
        "events": result.n_events, "stories": result.n_stories, "articles_in_store": result.n_articles,
        "seconds": round(seconds, 2), "steps": {k: round(v, 2) for k, v in result.seconds.items()},
    }


def watch(source: Path, options: Any, every: float, once: bool = False,
          max_updates: int | None = None, say: Callable[[str], None] = print) -> int:
    """Follow `source` into options.out_dir until killed (or after one poll with `once`, or
    `max_updates` updates). Returns the number of updates run."""
    from sitroom.engines import make_engine
    from sitroom.pipeline import run_unlocked
    from sitroom.store import open_store
    from sitroom.store.lock import writer_lock

    out = Path(options.out_dir)
    if not source.exists():
        raise WatchError(f"{source}: no such file or folder to watch")
    n = 0
    # One engine for the whole watch: the models stay loaded between updates (in this process
    # for small updates, in the engine's fork server for larger ones); its workers are stopped
    # after each update (release), so a quiet watch holds no worker memory.
    engine = options.engine_obj or make_engine(options.engine, options.scheduler, options.workers)
    options = dataclasses.replace(options, engine_obj=engine)
    with writer_lock(out, wait=options.wait), contextlib.closing(engine):
        while True:
            store = open_store(out)
            try:
                state = WatchState.loads(store.meta(meta_key(source)))
            finally:
                store.close()
            arrival = next_arrival(source, out, state)
            if arrival is not None:
                start = time.perf_counter()
                try:
                    result = run_unlocked(arrival.paths, options)
                finally:
                    engine.release()
                record = update_record(n + 1, arrival, result, time.perf_counter() - start)
                store = open_store(out)
                try:
                    store.set_meta({meta_key(source): arrival.state.dumps()})
                finally:
                    store.close()
                n += 1
                line = json.dumps(record, sort_keys=True)
                with (out / LOG_NAME).open("a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
                say(f"sitroom watch: update {n}: {record['articles']} new article(s), "
                    f"{record['events_added']} event(s) added, {record['events_changed']} changed, "
                    f"{record['events_merged']} merged, {record['events_retired']} retired, "
                    f"{record['events']} in all, {record['seconds']:.1f} s")
            if once or (max_updates is not None and n >= max_updates):
                return n
            time.sleep(every)
