"""The process's DuckDB host instance and the files attached to it.

Every unit of work (:class:`standup.store.Store`) attaches its file to one process-wide
in-memory instance under an alias of its own, and detaches it after (or leaves it to a
write hold). Here: that instance, the per-file locks and aliases, the attach / use /
detach statements, which file a connection is on, and waiting out (then reporting) a
lock another process holds.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb

import queries
from standup.errors import DatabaseLocked, NotADatabase, StandupError
from standup.statements import Connection, run
from standup.statements import first_line as _first_line

_registry_lock = threading.Lock()
_file_locks: dict[Path, threading.Lock] = {}
_aliases: dict[Path, str] = {}

# What may stand for @alias in the attach/use/detach statements (see run_names).
_ALIAS = re.compile(r"[a-z][a-z0-9_]*")


def lock_for(path: Path) -> threading.Lock:
    """The lock this process's units of work on ``path`` take, one at a time."""
    with _registry_lock:
        return _file_locks.setdefault(path, threading.Lock())


def alias_for(path: Path) -> str:
    """The name ``path`` is attached under: one per path, so two files never clash."""
    with _registry_lock:
        return _aliases.setdefault(path, f"standup_file_{len(_aliases) + 1}")


# -- the host instance ----------------------------------------------------------------

_host_lock = threading.Lock()
_host: tuple[int, Connection] | None = None  # (pid that created it, its connection)
# A parent's host inherited across fork: kept referenced, never closed in the child,
# whose copy of it has none of the parent's threads and must not be torn down.
_inherited: list[Connection] = []


def host_connection() -> Connection:
    """The process-wide in-memory instance units of work attach files to.

    Created on first use. A forked child gets its own (a DuckDB instance does not
    survive fork), and a discarded one (see :func:`discard_host`) is replaced.
    """
    global _host
    with _host_lock:
        if _host is not None and _host[0] != os.getpid():
            _inherited.append(_host[1])
            _host = None
        if _host is None:
            # Spill files go to a private directory, not DuckDB's default for an in-memory
            # instance (".tmp" in whatever the working directory is). DuckDB creates it
            # only if a query outgrows memory, and removes it when the instance closes.
            # The allocator's background thread hands freed memory back to the OS when
            # the app idles: a per-unit instance gave it all back on close, and without
            # this a long-lived one keeps ~110 MiB resident after a 1M-lead refresh.
            spill = Path(tempfile.gettempdir()) / f"standup-{os.getpid()}.tmp"
            conn = duckdb.connect(
                ":memory:",
                config={"temp_directory": str(spill), "allocator_background_threads": True},
            )
            conn.execute(queries.load("store/explicit_checkpoints"))
            _host = (os.getpid(), conn)
        return _host[1]


def discard_host(host: Connection) -> None:
    """Stop handing out ``host``: the next unit of work starts a fresh instance.

    For a file that cannot be detached even from a fresh connection (:func:`detach`),
    which would otherwise stay locked and fail every later unit of work on it. The old
    instance is not closed here, since other threads may still be using it; it goes, and
    lets go of its files, when its last connection is closed.
    """
    global _host
    with _host_lock:
        if _host is not None and _host[1] is host:
            _host = None


def is_lock_conflict(exc: duckdb.Error) -> bool:
    """Whether ``exc`` says another process (or a moment ago, this one) has the file."""
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text or is_attached_here(exc)


def is_attached_here(exc: duckdb.Error) -> bool:
    """Whether ``exc`` says the file is still open in this very process."""
    # DuckDB keeps one process-wide list of open files. The file can still be on it for
    # a moment after a host was discarded (see discard_host) while another thread
    # finishes its unit of work there; waiting it out is the same as for a lock.
    return "Unique file handle conflict" in str(exc)


def run_names(conn: Connection, name: str, *, alias: str, path: Path | None = None) -> None:
    """Execute ``queries/<name>.sql`` with ``@alias`` and ``@path`` written into the text.

    Only for ATTACH / USE / DETACH, whose file name and database name DuckDB's parser
    will not take as parameters. The alias is one of ours (:func:`alias_for`) and must
    be a plain lower-case identifier; the path becomes a SQL string literal with its
    quotes doubled (DuckDB gives backslashes no meaning in a plain literal).
    """
    if not _ALIAS.fullmatch(alias):
        raise ValueError(f"not a database alias: {alias!r}")
    sql = queries.load(name).replace("@alias", alias)
    if path is not None:
        sql = sql.replace("@path", "'" + str(path).replace("'", "''") + "'")
    conn.execute(sql)


def detach(host: Connection, conn: Connection, alias: str) -> None:
    """Let go of the file attached as ``alias``, whatever state ``conn`` was left in.

    The normal way is on ``conn`` itself. If that fails (the caller closed it, or left a
    transaction open), ``conn`` is closed, which ends its transaction, and the file is
    detached from a fresh connection. If even that fails, the file cannot be let go of on
    this host, so the host is discarded: a stuck alias must not lock the file, or fail
    every later unit of work on it.
    """
    try:
        conn.execute(queries.load("store/use_host"))
        run_names(conn, "store/detach", alias=alias)
        return
    except duckdb.Error:
        conn.close()
    try:
        with host.cursor() as other:
            run_names(other, "store/detach", alias=alias)
    except duckdb.Error:
        discard_host(host)


def let_go(host: Connection, alias: str, conn: Connection) -> None:
    """End a write hold: fold the WAL into the file, then detach it."""
    # A failed fold keeps the WAL, which the next open replays: never worth failing over.
    with suppress(StandupError, duckdb.Error):
        run_names(conn, "store/use", alias=alias)
        run(conn, "store/checkpoint")
    detach(host, conn, alias)
    conn.close()


def lock_holder(exc: duckdb.Error) -> str:
    """`` (PID n)`` of the process a lock conflict names, for the message; else ``""``."""
    text = str(exc)
    marker = "(PID "
    if marker in text:
        pid = text.split(marker, 1)[1].split(")", 1)[0]
        return f" (PID {pid})"
    return ""


# -- which file, and waiting for one -----------------------------------------------


class Attached(NamedTuple):
    """What ``conn``'s current database is (:func:`attached_file`)."""

    path: Path | None  # its file (None: in-memory, or the team's PostgreSQL)
    read_only: bool  # attached read-only: nothing uncommitted can be in what conn sees
    team: bool  # the team's PostgreSQL through the scanner (standup.team.scan)


def attached_file(conn: Connection) -> Attached:
    """The file ``conn``'s current database is, how it is attached, and whether it is
    the team's PostgreSQL rather than a file."""
    row = conn.execute(queries.load("store/attached_file")).fetchone()
    if not row:
        return Attached(None, False, False)
    team = row[2] == "postgres"
    path = Path(row[0]).resolve() if row[0] and not team else None
    return Attached(path, bool(row[1]), team)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep trying when another process holds the file lock."""

    timeout: float = 5.0
    first_delay: float = 0.02
    max_delay: float = 0.5


def open_retrying(
    path: Path, retry: RetryPolicy, open_file: Callable[[], Connection]
) -> Connection:
    """``open_file()`` on ``path``, retried with backoff while another process holds
    the lock; then :class:`DatabaseLocked`. Any other failure: :class:`NotADatabase`."""
    deadline = time.monotonic() + retry.timeout
    delay = retry.first_delay
    while True:
        try:
            return open_file()
        except duckdb.Error as exc:
            if not is_lock_conflict(exc):
                raise NotADatabase(f"{path}: {_first_line(exc)}") from exc
            if time.monotonic() + delay > deadline:
                where = (
                    "still open in this process"
                    if is_attached_here(exc)
                    else f"locked by another process{lock_holder(exc)}"
                )
                raise DatabaseLocked(f"{path}: {where}; gave up after {retry.timeout:g}s") from exc
        time.sleep(delay)
        delay = min(delay * 2, retry.max_delay)
