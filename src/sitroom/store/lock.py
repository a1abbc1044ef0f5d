"""One writer per store: `sitroom run` holds an exclusive lock on DIR/sitroom.lock while it writes.

The lock is the operating system's (flock), not the file: it goes when the process that holds it
ends in any way, kill -9 included, so a killed run never leaves a store locked. The file only
tells the next run who holds the lock (pid and start time). Readers (`serve`, `export`) take no
lock: SQLite's WAL lets them read while the one writer writes.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = "sitroom.lock"


class LockError(RuntimeError):
    """The writer lock cannot be had: the message says why."""


class StoreBusy(LockError):
    """Another process writes this store."""


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").split()
    except OSError:
        return ""
    return f" (pid {text[0]}, started {text[1]})" if len(text) >= 2 else ""


@contextmanager
def writer_lock(out_dir: Path, wait: bool = False, poll_s: float = 0.5) -> Iterator[None]:
    """Hold the store's writer lock for the block. Another holder: raise StoreBusy with a
    message naming it, or with `wait`, wait until it is gone."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(f"{out_dir / LOCK_NAME}: cannot create the store's lock "
                        f"({exc.strerror or exc})") from None
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    raise StoreBusy(
                        f"{out_dir}: another sitroom run is writing this store{_holder(fd)}; "
                        "wait for it to finish (or run with --wait), or choose another --out"
                    ) from None
                time.sleep(poll_s)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {stamp}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
