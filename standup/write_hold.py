"""The write hold: a triage burst keeps its read-write attachment for a moment of idle.

Attaching a file read-write costs a triage key press most of its time on a big file, so
after a write unit the store may keep the attachment (DESIGN: ``write_hold_seconds``,
default 2 s of idle) instead of detaching at once. Units of this process in the meantime
reuse it; when nobody wrote for that long a timer thread checkpoints and detaches, and
an import or a second app, retrying with backoff, gets in. A process killed while
holding leaves nothing half-applied: every unit committed or rolled back before the hold
began, and DuckDB replays the WAL on the next open.

One hold per file, kept here rather than on a Store, because every Store object of one
path in this process (the session's, a read-only view of it) shares the attachment.
The caller holds the file's lock (``standup.attachments.lock_for``) around every function
here except the timer's own release, which takes it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

Detach = Callable[[duckdb.DuckDBPyConnection], None]


@dataclass
class Hold:
    """A file attached read-write on the host, kept past its unit of work."""

    host: duckdb.DuckDBPyConnection
    alias: str
    release: Detach  # checkpoint and detach, on a cursor of ``host``
    pid: int = field(default_factory=os.getpid)
    timer: threading.Timer | None = None
    # Closes the descriptor the store keeps on the file while held: closing any of a
    # process's descriptors on a file drops its POSIX locks (DuckDB's too), so the
    # unit's own is kept open until the attachment goes.
    close_fd: Callable[[Path], None] | None = None


_holds: dict[Path, Hold] = {}


def held(path: Path) -> Hold | None:
    """The hold on ``path``, if this process has one (one inherited by fork is not)."""
    hold = _holds.get(path)
    if hold is not None and hold.pid != os.getpid():
        del _holds[path]  # the parent's: its instance did not survive the fork
        return None
    return hold


def keep(path: Path, hold: Hold, seconds: float, lock: threading.Lock) -> None:
    """Hold ``path`` (again) for ``seconds`` of idle from now."""
    if hold.timer is not None:
        hold.timer.cancel()
    timer = threading.Timer(seconds, _expire, args=(path, hold, lock))
    timer.daemon = True
    hold.timer = timer
    _holds[path] = hold
    timer.start()


def release(path: Path) -> None:
    """Let go of ``path`` now (before a private instance opens the file, or at exit)."""
    hold = _holds.pop(path, None)
    if hold is None:
        return
    if hold.timer is not None:
        hold.timer.cancel()
    if hold.pid == os.getpid():
        try:
            hold.release(hold.host.cursor())
        finally:
            if hold.close_fd is not None:
                hold.close_fd(path)


def _expire(path: Path, hold: Hold, lock: threading.Lock) -> None:
    with lock:
        # A unit may have re-armed (or released) it while this timer waited for the lock.
        if _holds.get(path) is hold and hold.timer is threading.current_thread():
            release(path)


@atexit.register
def _release_all() -> None:
    # The instance would let go at exit too; this also folds the WAL into the file.
    for path in list(_holds):
        with contextlib.suppress(duckdb.Error):
            release(path)
