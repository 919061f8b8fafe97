"""The DuckDB file: opening, locking, migrations, and running the statements in ``queries/``.

DuckDB allows one read-write process *or* several read-only ones per file. The store
never holds the file between operations: each unit of work attaches it (read-only for
reads, read-write for a write transaction) and lets go of it afterwards, so an import
from cron or a second copy of the app can get in between. A lock held by another
process is retried with backoff, then reported as :class:`DatabaseLocked`. The one
exception is the app's write hold (:mod:`standup.write_hold`): a triage burst keeps its
read-write attachment for ``write_hold_seconds`` of idle. Where the file is on disk, and
the one descriptor a unit reads it through, is :mod:`standup.file_position`.

Why attach rather than connect: creating a DuckDB *instance* costs ~12 ms (even an
in-memory one), which is most of what ``duckdb.connect(path)`` + close used to cost per
unit of work, against dashboard and triage budgets of a few tens of milliseconds. So the
process keeps ONE in-memory host instance (created lazily); each unit of work takes its
own connection on it (``cursor()``), attaches the file under an alias fixed per path,
makes it current (``USE``), and in the end goes back to ``USE memory`` and detaches it,
which releases the file lock exactly as closing a connection did (~4 ms in all). The
host never checkpoints on its own (checkpoint-on-shutdown is instance-wide, and DETACH
counts as a shutdown): :meth:`Store.writing` runs ``CHECKPOINT`` after its commit unless
asked not to.

Ad-hoc user SQL can change instance-wide settings for good (``lock_configuration``) and
could ATTACH, DETACH or USE whatever it likes, so it never runs on the shared host: it
asks for an *isolated* unit of work (``reading(isolated=True)``), a private instance on
the file as before, under the same per-file lock and retry.

Within one process DuckDB refuses a read-write attachment while a read-only one to the
same file is open (and the reverse), so units of work on one file are serialized by a
per-file lock: a refresh worker and a triage write never collide. Different files may be
attached at the same time from different threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

import queries
from standup import attachments, write_hold
from standup.attachments import RetryPolicy as RetryPolicy
from standup.errors import (
    DatabaseMissing,
    NotADatabase,
    QueryError,
    ReadOnlyStore,
    SchemaTooNew,
    StandupError,
)
from standup.file_position import FilePosition as FilePosition
from standup.file_position import file_position as file_position
from standup.file_position import read_header, unit_descriptor
from standup.statements import Connection as Connection
from standup.statements import Params as Params
from standup.statements import Record as Record
from standup.statements import drop_variants as drop_variants
from standup.statements import first_line as _first_line
from standup.statements import id_listing as id_listing
from standup.statements import record as record
from standup.statements import records as records
from standup.statements import run as run
from standup.statements import run_for_ids as run_for_ids
from standup.statements import run_text as run_text
from standup.statements import use_variants as use_variants

if TYPE_CHECKING:
    # Only for fetch_arrow's type: importing pyarrow costs ~35 ms (and memory) that the
    # app's launch and `standup query` do not need; DuckDB loads it itself when asked
    # for Arrow.
    import pyarrow as pa

# Bytes 8..12 of every DuckDB file. Checked before DuckDB sees the file, so a text file
# gets a clear message and is never touched.
_MAGIC = b"DUCK"

# Called after every write unit of this process, still holding the file's lock, with
# (connection, path, position before, position after, whether rows may have changed):
# so a cache verified at "before" can tell its own change from someone else's.
WriteListener = Callable[[Connection, Path, FilePosition, FilePosition, bool], None]
_write_listeners: list[WriteListener] = []


def on_write(listener: WriteListener) -> None:
    """Call ``listener`` after each committed write unit (and checkpoint) of this process."""
    _write_listeners.append(listener)


def schema_version() -> int:
    """The schema version this code writes: the highest numbered migration."""
    return queries.migrations()[-1][0]


class Store:
    """One standup database file. Cheap to create; holds no connection between calls.

    ``read_only``: the store never writes to the file. :meth:`writing`, :meth:`checkpoint`
    and :meth:`migrate` raise :class:`ReadOnlyStore` before touching it, so a read-only
    session (``--read-only``, every ``standup serve`` viewer) cannot write whatever a
    screen forgets to check; what it would have stored it computes in memory instead.
    """

    def __init__(
        self, path: str | Path, retry: RetryPolicy | None = None, *, read_only: bool = False
    ) -> None:
        self.path = Path(path).expanduser().resolve()
        self.retry = retry or RetryPolicy()
        self.read_only = read_only
        # Seconds a write unit's read-write attachment is kept for the next one (0: let
        # go at once); the session sets it from the config (standup.write_hold).
        self.write_hold_seconds = 0.0
        self._lock = attachments.lock_for(self.path)

    @property
    def display_name(self) -> str:
        """What the header and status line call the database (team mode says more)."""
        return self.path.name

    def as_read_only(self) -> Store:
        """The same file, read-only (see the class docstring)."""
        return self if self.read_only else Store(self.path, self.retry, read_only=True)

    def _refuse_writes(self, what: str) -> None:
        if self.read_only:
            raise ReadOnlyStore(f"{self.path}: opened read-only; {what} refused")

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, retry: RetryPolicy | None = None, *, read_only: bool = False
    ) -> Store:
        """Open an existing standup database, migrating it if it is older than the code.

        Raises a :class:`StandupError` with a one-line message if the file is missing,
        is not DuckDB, is not a standup database, or was written by a newer standup;
        read-only, also if it would need migrating (which is a write).
        """
        store = cls(path, retry, read_only=read_only)
        store.check_file()
        found = store.file_schema_version()
        if found < schema_version():
            if read_only:
                raise ReadOnlyStore(
                    f"{store.path}: schema version {found} needs upgrading to "
                    f"{schema_version()}; open it once without --read-only"
                )
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
            header = read_header(self.path, 12)
        except OSError as exc:
            raise NotADatabase(f"{self.path}: cannot read: {exc.strerror}") from None
        if header[8:12] != _MAGIC:
            raise NotADatabase(f"{self.path}: not a DuckDB database file")

    def file_schema_version(self) -> int:
        """The schema version recorded in the file (0 for an empty DuckDB file)."""
        with self.reading() as conn:
            if not _scalar(run(conn, "store/has_schema_version")):
                if _scalar(run(conn, "store/table_count")):
                    raise NotADatabase(f"{self.path}: a DuckDB file, but not a standup database")
                return 0
            found = _scalar(run(conn, "store/version"))
        if found > schema_version():
            raise SchemaTooNew(
                f"{self.path}: schema version {found} is newer than this standup "
                f"understands ({schema_version()}); upgrade standup"
            )
        return found

    def migrate(self) -> None:
        """Apply every migration newer than the file's version, in one transaction."""
        self._refuse_writes("migrating it")
        with self.writing() as conn:
            current = 0
            if _scalar(run(conn, "store/has_schema_version")):
                current = _scalar(run(conn, "store/version"))
            for version, name, sql in queries.migrations():
                if version <= current:
                    continue
                try:
                    conn.execute(sql)
                except duckdb.Error as exc:
                    raise QueryError(f"migration {version:03d}_{name}: {_first_line(exc)}") from exc
                run(conn, "store/record_migration", {"version": version, "name": name})

    # -- units of work ---------------------------------------------------------------

    @contextmanager
    def reading(self, *, isolated: bool = False) -> Iterator[Connection]:
        """A read-only connection to the file for one unit of work.

        The file is attached to the shared host instance and detached afterwards.
        ``isolated``: a private DuckDB instance on the file instead (~12 ms dearer), for
        SQL the store does not control (the ad-hoc engine): nothing it sets or attaches
        can reach another unit of work.
        """
        with self._unit(read_only=True, isolated=isolated) as conn:
            yield conn

    @contextmanager
    def writing(self, *, checkpoint: bool = True, isolated: bool = False) -> Iterator[Connection]:
        """A read-write connection inside one transaction: commit on success, else roll back.

        After the commit the WAL is folded into the file (``CHECKPOINT``), so the file on
        disk is complete by itself, as it was when closing a connection did it.
        ``checkpoint=False`` skips that for a write that must be fast (a triage key press:
        on a big file a checkpoint costs ~60-100 ms); the commit is durable in the WAL all
        the same, and :meth:`checkpoint` folds it in later. ``isolated``: see
        :meth:`reading`. A read-only store raises :class:`ReadOnlyStore` instead.
        """
        self._refuse_writes("writing")
        with self._unit(read_only=False, isolated=isolated) as conn:
            before = file_position(self.path)
            conn.execute("BEGIN TRANSACTION")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if checkpoint:
                # The write is committed and durable in the WAL: a failed fold must not
                # report it as failed (a caller could repeat it). The WAL stays and the
                # next checkpoint folds it in, just as DuckDB ignores a failed checkpoint
                # on close.
                with suppress(QueryError):
                    run(conn, "store/checkpoint")
            self._wrote(conn, before, changed=True)

    def commit_so_far(self, conn: Connection) -> None:
        """Commit what a :meth:`writing` unit did so far and go on in a new transaction.

        The unit of work goes on, so the file stays attached and this store's lock held:
        nobody, in this process or another, reads between the two transactions. For a
        write whose derived half may follow its own (a triage decision's dashboard facts,
        :func:`standup.triage.work.keep_facts`).
        """
        conn.execute("COMMIT")
        conn.execute("BEGIN TRANSACTION")

    def roll_back_so_far(self, conn: Connection) -> None:
        """Roll back a :meth:`writing` unit's transaction since :meth:`commit_so_far` (a
        failed statement leaves it unusable) and go on in a new one; the unit still
        commits, whatever it does next."""
        conn.execute("ROLLBACK")
        conn.execute("BEGIN TRANSACTION")

    def checkpoint(self) -> None:
        """Fold the WAL into the file: the deferred half of ``writing(checkpoint=False)``."""
        self._refuse_writes("a checkpoint")
        with self._unit(read_only=False, isolated=False) as conn:
            before = file_position(self.path)
            run(conn, "store/checkpoint")
            self._wrote(conn, before, changed=False)

    def _wrote(self, conn: Connection, before: FilePosition, *, changed: bool) -> None:
        """Tell the write listeners (the file lock still held, so nobody wrote since)."""
        after = file_position(self.path)
        for listener in _write_listeners:
            listener(conn, self.path, before, after, changed)

    @contextmanager
    def _unit(self, *, read_only: bool, isolated: bool) -> Iterator[Connection]:
        with self._lock, unit_descriptor(self.path):
            if isolated:
                # a private instance cannot open a file this process holds attached
                write_hold.release(self.path)
                with self._isolated(read_only=read_only) as conn:
                    yield conn
            else:
                with self._attached(read_only=read_only) as conn:
                    yield conn

    @contextmanager
    def _isolated(self, *, read_only: bool) -> Iterator[Connection]:
        conn = attachments.open_retrying(
            self.path, self.retry, lambda: duckdb.connect(str(self.path), read_only=read_only)
        )
        try:
            # Same rule as the host: only an explicit CHECKPOINT (writing()) folds the WAL.
            conn.execute(queries.load("store/explicit_checkpoints"))
            conn.execute(queries.load("store/session"))
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _attached(self, *, read_only: bool) -> Iterator[Connection]:
        alias = attachments.alias_for(self.path)
        hold = write_hold.held(self.path)
        if hold is not None:
            with self._on_hold(hold, read_only=read_only) as conn:
                yield conn
            return
        statement = "store/attach_read_only" if read_only else "store/attach"
        host = attachments.host_connection()
        conn = host.cursor()
        try:
            conn.execute(queries.load("store/session"))

            def attach() -> Connection:
                attachments.run_names(conn, statement, alias=alias, path=self.path)
                return conn

            attachments.open_retrying(self.path, self.retry, attach)
            keep = False
            try:
                attachments.run_names(conn, "store/use", alias=alias)
                yield conn
                keep = not read_only and self.write_hold_seconds > 0
            finally:
                if keep:
                    hold = write_hold.Hold(host, alias, partial(attachments.let_go, host, alias))
                    write_hold.keep(self.path, hold, self.write_hold_seconds, self._lock)
                else:
                    attachments.detach(host, conn, alias)
        finally:
            conn.close()

    @contextmanager
    def _on_hold(self, hold: write_hold.Hold, *, read_only: bool) -> Iterator[Connection]:
        """A unit on the held read-write attachment; a write keeps it another while."""
        conn = hold.host.cursor()
        try:
            conn.execute(queries.load("store/session"))
            attachments.run_names(conn, "store/use", alias=hold.alias)
            yield conn
        except BaseException:
            write_hold.release(self.path)  # a failed unit lets go, as an unheld one does
            raise
        finally:
            conn.close()
        if not read_only and self.write_hold_seconds > 0:
            write_hold.keep(self.path, hold, self.write_hold_seconds, self._lock)

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


def _scalar(result: Connection) -> int:
    row = result.fetchone()
    return int(row[0]) if row and row[0] is not None else 0
