"""The DuckDB file: opening, locking, migrations, and running the statements in ``queries/``.

DuckDB allows one read-write process *or* several read-only ones per file. The store
never holds the file between operations: each unit of work opens a connection
(read-only for reads, read-write for a write transaction) and closes it, so an import
from cron or a second copy of the app can get in between. A lock held by another
process is retried with backoff, then reported as :class:`DatabaseLocked`.

Within one process DuckDB refuses a read-write connection while a read-only one to the
same file is open (and the reverse), so connections to one file are serialized by a
per-file lock: a refresh worker and a triage write never collide.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

import queries
from standup.errors import (
    DatabaseLocked,
    DatabaseMissing,
    NotADatabase,
    QueryError,
    SchemaTooNew,
    StandupError,
)

if TYPE_CHECKING:
    # Only for fetch_arrow's type: importing pyarrow costs ~35 ms (and memory) that the
    # app's launch and `standup query` do not need; DuckDB loads it itself when asked
    # for Arrow.
    import pyarrow as pa

Connection = duckdb.DuckDBPyConnection
Params = Mapping[str, Any]

# Bytes 8..12 of every DuckDB file. Checked before DuckDB sees the file, so a text file
# gets a clear message and is never touched.
_MAGIC = b"DUCK"

_registry_lock = threading.Lock()
_file_locks: dict[Path, threading.Lock] = {}


def _lock_for(path: Path) -> threading.Lock:
    with _registry_lock:
        return _file_locks.setdefault(path, threading.Lock())


def schema_version() -> int:
    """The schema version this code writes: the highest numbered migration."""
    return queries.migrations()[-1][0]


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def run(conn: Connection, name: str, params: Params | None = None) -> Connection:
    """Execute ``queries/<name>.sql`` with ``$name`` parameters bound by DuckDB."""
    try:
        return conn.execute(queries.load(name), dict(params) if params else None)
    except duckdb.Error as exc:
        raise QueryError(f"{name}.sql: {_first_line(exc)}") from exc


def run_for_ids(
    conn: Connection, name: str, params: Params | None, ids: Iterable[int], token: str = "@lead_ids"
) -> Connection:
    """:func:`run`, with ``token`` in the SQL replaced by ``ids`` as a literal list.

    For a handful of ids looked up by primary key: DuckDB uses the ART index for
    ``key IN (1, 2, 3)`` with literals, but scans the whole table for any parameterised
    form (``= ANY($ids)``, ``IN (SELECT unnest($ids))``). Every id goes through ``int``,
    so nothing but digits reaches the SQL text. No ids: ``NULL`` (matches nothing).
    """
    listing = ", ".join(str(int(i)) for i in ids) or "NULL"
    sql = queries.load(name).replace(token, listing)
    try:
        return conn.execute(sql, dict(params) if params else None)
    except duckdb.Error as exc:
        raise QueryError(f"{name}.sql: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep trying when another process holds the file lock."""

    timeout: float = 5.0
    first_delay: float = 0.02
    max_delay: float = 0.5


class Store:
    """One standup database file. Cheap to create; holds no connection between calls."""

    def __init__(self, path: str | Path, retry: RetryPolicy | None = None) -> None:
        self.path = Path(path).expanduser().resolve()
        self.retry = retry or RetryPolicy()
        self._lock = _lock_for(self.path)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, retry: RetryPolicy | None = None) -> Store:
        """Open an existing standup database, migrating it if it is older than the code.

        Raises a :class:`StandupError` with a one-line message if the file is missing,
        is not DuckDB, is not a standup database, or was written by a newer standup.
        """
        store = cls(path, retry)
        store.check_file()
        found = store.file_schema_version()
        if found < schema_version():
            store.migrate()
        return store

    @classmethod
    def create(cls, path: str | Path, retry: RetryPolicy | None = None) -> Store:
        """Create a new, empty standup database at ``path`` (which must not exist)."""
        store = cls(path, retry)
        if store.path.exists():
            raise StandupError(f"{store.path}: already exists")
        try:
            store.migrate()
        except BaseException:
            store.path.unlink(missing_ok=True)
            Path(f"{store.path}.wal").unlink(missing_ok=True)
            raise
        return store

    def check_file(self) -> None:
        """Refuse, without modifying it, a path that is not a DuckDB file."""
        if not self.path.exists():
            raise DatabaseMissing(
                f"{self.path}: no such database (create one with `standup demo {self.path.name}`)"
            )
        if self.path.is_dir():
            raise NotADatabase(f"{self.path}: is a directory, not a DuckDB file")
        try:
            with self.path.open("rb") as handle:
                header = handle.read(12)
        except OSError as exc:
            raise NotADatabase(f"{self.path}: cannot read: {exc.strerror}") from None
        if header[8:12] != _MAGIC:
            raise NotADatabase(f"{self.path}: not a DuckDB database file")

    def file_schema_version(self) -> int:
        """The schema version recorded in the file (0 for an empty DuckDB file)."""
        with self.reading() as conn:
            has_table = conn.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version'"
            ).fetchone()
            if not has_table or not has_table[0]:
                tables = conn.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
                if tables and tables[0]:
                    raise NotADatabase(f"{self.path}: a DuckDB file, but not a standup database")
                return 0
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        found = int(row[0]) if row and row[0] is not None else 0
        if found > schema_version():
            raise SchemaTooNew(
                f"{self.path}: schema version {found} is newer than this standup "
                f"understands ({schema_version()}); upgrade standup"
            )
        return found

    def migrate(self) -> None:
        """Apply every migration newer than the file's version, each in one transaction."""
        with self.writing() as conn:
            has_table = conn.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version'"
            ).fetchone()
            current = 0
            if has_table and has_table[0]:
                row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
                current = int(row[0]) if row and row[0] is not None else 0
            for version, name, sql in queries.migrations():
                if version <= current:
                    continue
                try:
                    conn.execute(sql)
                except duckdb.Error as exc:
                    raise QueryError(f"migration {version:03d}_{name}: {_first_line(exc)}") from exc
                conn.execute(
                    "INSERT INTO schema_version (version, name) VALUES ($v, $n)",
                    {"v": version, "n": name},
                )

    # -- units of work ---------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only connection for one unit of work, closed afterwards."""
        with self._connection(read_only=True) as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A read-write connection inside one transaction: commit on success, else roll back."""
        with self._connection(read_only=False) as conn:
            conn.execute("BEGIN TRANSACTION")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _connection(self, *, read_only: bool) -> Iterator[Connection]:
        with self._lock:
            conn = self._connect(read_only=read_only)
            try:
                yield conn
            finally:
                conn.close()

    def _connect(self, *, read_only: bool) -> Connection:
        deadline = time.monotonic() + self.retry.timeout
        delay = self.retry.first_delay
        while True:
            try:
                conn = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc):
                    raise NotADatabase(f"{self.path}: {_first_line(exc)}") from exc
                if time.monotonic() + delay > deadline:
                    holder = _lock_holder(exc)
                    raise DatabaseLocked(
                        f"{self.path}: locked by another process{holder}; "
                        f"gave up after {self.retry.timeout:g}s"
                    ) from exc
            time.sleep(delay)
            delay = min(delay * 2, self.retry.max_delay)
        # The terminal belongs to the app (or the CLI's own progress); DuckDB must not draw.
        conn.execute("SET enable_progress_bar = false")
        return conn

    # -- conveniences for one-statement reads ----------------------------------------

    def fetch(self, name: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Rows of ``queries/<name>.sql`` on a read-only connection."""
        with self.reading() as conn:
            return run(conn, name, params).fetchall()

    def fetch_arrow(self, name: str, params: Params | None = None) -> pa.Table:
        """``queries/<name>.sql`` as an Arrow table on a read-only connection."""
        with self.reading() as conn:
            return run(conn, name, params).fetch_arrow_table()

    def fetch_with(self, work: Callable[[Connection], Any]) -> Any:
        """Run ``work`` on a read-only connection and return what it returns."""
        with self.reading() as conn:
            return work(conn)


def _lock_holder(exc: duckdb.Error) -> str:
    text = str(exc)
    marker = "(PID "
    if marker in text:
        pid = text.split(marker, 1)[1].split(")", 1)[0]
        return f" (PID {pid})"
    return ""
