"""The shared PostgreSQL database: pooled psycopg 3 connections, migrations, statements.

:class:`PgStore` offers the units of work :class:`standup.store.Store` does
(``reading()``, ``writing()``, ``fetch``, ``fetch_with``), so the triage rules run
unchanged on either engine. Its units of work yield a :class:`PgConn`, on which
:func:`standup.store.run` runs a statement's Postgres dialect: ``queries/pg/<name>.sql``
when the statement needs one, else the DuckDB text, which for the plain statements is
the same SQL. ``$name`` parameters become psycopg's ``%(name)s``, bound by the server,
never formatted into the text.

A write is one Postgres transaction under READ COMMITTED. Triage locks the rows it reads
(``FOR UPDATE``, in id order) and its updates name the version they read
(``WHERE version = $old``, rowcount checked), so of two decisions on one dispute exactly
one commits and the other is told. The server going away (restart, dropped network) is
:class:`DatabaseUnavailable`, which the screens treat like a locked file: keep the last
data marked STALE, keep a pending action pending and retry it. An action whose commit
was lost in flight is safe to retry: its version no longer matches, so it is refused
rather than applied twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

import psycopg
import psycopg_pool
from psycopg import errors as pg_errors

import queries
from standup.errors import (
    DatabaseLocked,
    QueryError,
    ReadOnlyStore,
    SchemaTooNew,
    StandupError,
)
from standup.store import Connection, Params, RetryPolicy, Store
from standup.team.pools import close_pools as close_pools
from standup.team.pools import pool_for
from standup.team.pools import redact_url as redact_url


class DatabaseUnavailable(DatabaseLocked):
    """The PostgreSQL server cannot be reached (down, restarting, network gone).

    A kind of :class:`DatabaseLocked` on purpose: every screen already treats that as
    "keep the last data, mark it STALE, keep the pending action and retry".
    """


class ReadOnlyRole(StandupError):
    """The connected role is a viewer (SELECT only): a write was refused, nothing changed."""


# -- statements ------------------------------------------------------------------------

_FOR_UPDATE = "/*@for_update*/"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _pg_root() -> Any:
    return files(queries) / "pg"


def pg_text(name: str) -> str:
    """The Postgres text of statement ``name``: ``queries/pg/<name>.sql`` if it exists,
    else ``queries/<name>.sql``."""
    return queries.load_if_any(f"pg/{name}") or queries.load(name)


@cache
def _bound_form(sql: str) -> str:
    """``sql`` with ``$name`` written as psycopg's ``%(name)s`` (and a literal % doubled)."""
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


def has_pg_dialect(name: str) -> bool:
    """Whether ``name`` has a Postgres file of its own (tests list what falls back)."""
    return queries.load_if_any(f"pg/{name}") is not None


def pg_migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` of every ``queries/pg/migrations/NNN_name.sql``, in order."""
    return queries.migrations("pg")


def pg_schema_version() -> int:
    """The schema version the Postgres dialect reaches: its highest migration."""
    return pg_migrations()[-1][0]


def unported_migrations() -> list[int]:
    """DuckDB migrations with no Postgres dialect yet (team mode cannot reach them)."""
    ported = {v for v, _, _ in pg_migrations()}
    return [v for v, _, _ in queries.migrations() if v not in ported]


@cache
def _setup_statements() -> tuple[tuple[str, str], ...]:
    """Idempotent Postgres-only setup (notify and facts triggers), re-applied by every
    migrate, with the facts' statements spliced in (:func:`standup.team.pgfacts.splice`)."""
    from standup.team.pgfacts import splice

    root = _pg_root() / "setup"
    return tuple(
        sorted(
            (e.name, splice(e.read_text(encoding="utf-8"))) for e in root.iterdir() if e.is_file()
        )
    )


@cache
def setup_mark() -> str:
    """A digest of the setup this standup applies: an older one on the server (a team
    database migrated before the facts triggers, say) is re-applied on open."""
    digest = hashlib.sha256()
    for name, sql in _setup_statements():
        digest.update(name.encode() + b"\0" + sql.encode())
    return digest.hexdigest()[:16]


def _first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _version(conn: PgConn) -> int:
    row = conn.run("store/version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


class PgConn:
    """One psycopg connection inside a unit of work; :func:`standup.store.run` calls ``run``."""

    def __init__(self, conn: psycopg.Connection[Any], store: PgStore, *, writing: bool) -> None:
        self.raw = conn
        self.store = store
        self.writing = writing

    def run(self, name: str, params: Params | None = None) -> psycopg.Cursor[Any]:
        """Execute statement ``name`` (its Postgres dialect) with ``$name`` parameters.

        In a write, a statement's ``/*@for_update*/`` becomes ``FOR UPDATE``: the rows the
        rules read stay as read until the commit. Reads (and the viewer role, which may
        not lock) leave it a comment.
        """
        sql = pg_text(name)
        if self.writing:
            sql = sql.replace(_FOR_UPDATE, "FOR UPDATE")
        return self.run_text(name, sql, params)

    def run_text(self, name: str, sql: str, params: Params | None = None) -> psycopg.Cursor[Any]:
        """Execute ``sql`` (Postgres text with ``$name`` parameters); errors name ``name``."""
        try:
            if params:
                return self.raw.execute(cast(Any, _bound_form(sql)), dict(params))
            return self.raw.execute(cast(Any, sql))
        except (pg_errors.DeadlockDetected, pg_errors.LockNotAvailable) as exc:
            from standup.triage import Conflict

            raise Conflict(
                f"another writer held these rows ({_first_line(exc)}); nothing changed, reloaded"
            ) from exc
        except pg_errors.InsufficientPrivilege as exc:
            raise ReadOnlyRole(
                f"{self.store.label}: this role may only read (a viewer); nothing changed"
            ) from exc
        except psycopg.OperationalError as exc:
            raise self.store.unavailable(exc) from exc
        except psycopg.Error as exc:
            raise QueryError(f"pg/{name}.sql: {_first_line(exc)}") from exc


@dataclass(frozen=True)
class Identity:
    """Who the app is connected as, and whether that role may change anything."""

    user: str
    database: str
    can_write: bool

    @property
    def label(self) -> str:
        return f"{self.user}@{self.database} ({'read-write' if self.can_write else 'VIEWER'})"


class PgStore(Store):
    """The team's shared PostgreSQL database, by connection URL."""

    def __init__(
        self, url: str, retry: RetryPolicy | None = None, *, read_only: bool = False
    ) -> None:
        self.url = url
        self.retry = retry or RetryPolicy()
        # As for a file: a read-only session (--read-only, serve viewers) never writes,
        # whatever the role could do.
        self.read_only = read_only
        self.label = redact_url(url)
        self._identity: Identity | None = None
        # Store's file-based code paths must never run on a URL: a path that names it.
        self.path = Path(self.label.replace("://", "_").replace("/", "_"))

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, retry: RetryPolicy | None = None, *, read_only: bool = False
    ) -> PgStore:
        """Connect, refuse a database a newer standup wrote, migrate an older one (a
        read-only session refuses an older one instead: it may not migrate it)."""
        store = cls(str(path), retry, read_only=read_only)
        found = store.file_schema_version()
        if found < pg_schema_version():
            store.migrate()
        elif not read_only and store.applied_setup() != setup_mark():
            # Same schema, older triggers: bring them up to date, as migrate would. A
            # viewer may not; its panels compute whatever the stored facts lack.
            with suppress(ReadOnlyRole):
                store.apply_migrations()
        return store

    def applied_setup(self) -> str | None:
        """The :func:`setup_mark` the last migrate left on the database (None: none)."""
        with self.pg_reading() as conn:
            row = conn.run("store/pg_setup_state").fetchone()
        return str(row[0]) if row and row[0] is not None else None

    def as_read_only(self) -> PgStore:
        """The same database, read-only (see :class:`standup.store.Store`)."""
        return self if self.read_only else PgStore(self.url, self.retry, read_only=True)

    def _refuse_writes(self, what: str) -> None:
        if self.read_only:
            raise ReadOnlyStore(f"{self.label}: opened read-only; {what} refused")

    def check_file(self) -> None:
        """Nothing to check on disk: the server is the check (see file_schema_version)."""

    def file_schema_version(self) -> int:
        """The schema version recorded in the database (0 for an empty one)."""
        with self.pg_reading() as conn:
            row = conn.run("store/pg_has_schema_version").fetchone()
            if not row or not row[0]:
                return 0
            found = _version(conn)
        if found > pg_schema_version():
            raise SchemaTooNew(
                f"{self.label}: schema version {found} is newer than this standup "
                f"understands ({pg_schema_version()}); upgrade standup"
            )
        return found

    def migrate(self) -> None:
        """Apply every Postgres migration newer than the database's (see apply_migrations)."""
        self.apply_migrations()

    def apply_migrations(self) -> list[int]:
        """Apply every Postgres migration newer than the database's, in one transaction.

        Two processes migrating at once serialize on an advisory lock. Returns the
        versions applied. The idempotent setup (notify triggers) is re-applied as well.
        """
        self._refuse_writes("migrating it")
        applied: list[int] = []
        with self.pg_writing() as conn:
            conn.run("store/pg_migrate_lock")
            current = 0
            row = conn.run("store/pg_has_schema_version").fetchone()
            if row and row[0]:
                current = _version(conn)
            for version, name, sql in pg_migrations():
                if version <= current:
                    continue
                try:
                    conn.raw.execute(cast(Any, sql))
                except psycopg.Error as exc:
                    raise QueryError(
                        f"pg migration {version:03d}_{name}: {_first_line(exc)}"
                    ) from exc
                conn.run("store/record_migration", {"version": version, "name": name})
                applied.append(version)
            for name, sql in _setup_statements():
                try:
                    conn.raw.execute(cast(Any, sql))
                except psycopg.Error as exc:
                    raise QueryError(f"pg setup {name}: {_first_line(exc)}") from exc
            mark = pg_text("store/pg_setup_mark").replace("@mark", setup_mark())
            conn.run_text("store/pg_setup_mark", mark)
        return applied

    # -- units of work ---------------------------------------------------------------

    def unavailable(self, exc: BaseException) -> DatabaseUnavailable:
        """The one-line message for a server that cannot be reached."""
        return DatabaseUnavailable(f"{self.label}: cannot reach the server ({_first_line(exc)})")

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        pool = pool_for(self.url, self.retry.timeout)
        try:
            pool.open(wait=False)
            with pool.connection(timeout=self.retry.timeout) as conn:
                yield conn
        except psycopg_pool.PoolTimeout as exc:
            raise self.unavailable(exc) from exc
        except psycopg.OperationalError as exc:
            raise self.unavailable(exc) from exc

    @contextmanager
    def pg_reading(self) -> Iterator[PgConn]:
        """A read-only transaction (one snapshot for the whole unit of work)."""
        with self._connection() as raw, raw.transaction():
            conn = PgConn(raw, self, writing=False)
            conn.run("store/pg_read_session")
            yield conn

    @contextmanager
    def pg_writing(self) -> Iterator[PgConn]:
        """One read-write transaction: commit on success, else roll back.

        ``lock_timeout`` bounds the wait for rows another writer holds (a client killed
        mid-transaction holds them until the server notices it is gone).
        """
        self._refuse_writes("writing")
        with self._connection() as raw, raw.transaction():
            conn = PgConn(raw, self, writing=True)
            conn.run("store/pg_write_session")
            yield conn

    @contextmanager
    def reading(self, *, isolated: bool = False) -> Iterator[Connection]:
        """A DuckDB connection attached READ_ONLY to the database, for the panels' SQL.

        The dashboard, presenter, report and SQL prompt are DuckDB SQL; they run unchanged
        on the team's tables through the postgres scanner (:mod:`standup.team.scan`).
        Point reads of the triage rules go through :meth:`fetch` / :meth:`fetch_with`,
        which use Postgres itself (indexed look-ups).
        """
        from standup.team import scan

        with scan.reading(self.url, isolated=isolated) as conn:
            yield conn

    def fetch(self, name: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Rows of statement ``name`` (Postgres dialect), in a read-only transaction."""
        with self.pg_reading() as conn:
            return conn.run(name, params).fetchall()

    def fetch_with(self, work: Callable[[Connection], Any]) -> Any:
        """Run ``work`` in a read-only Postgres transaction (the triage rules' reads)."""
        with self.pg_reading() as conn:
            return work(cast(Connection, conn))

    @contextmanager
    def writing(self, *, checkpoint: bool = True, isolated: bool = False) -> Iterator[Connection]:
        """:meth:`pg_writing`, typed as the store's connection (see :meth:`reading`)."""
        del checkpoint, isolated  # Postgres has no file to fold a WAL into
        with self.pg_writing() as conn:
            yield cast(Connection, conn)

    def checkpoint(self) -> None:
        """Nothing to do: the server makes its own checkpoints."""

    def identity(self) -> Identity:
        """The connected role and whether it may write (the viewer role may not)."""
        with self.pg_reading() as conn:
            row = conn.run("store/pg_identity").fetchone()
        assert row is not None
        return Identity(str(row[0]), str(row[1]), bool(row[2]))

    def changes(self) -> int:
        """How many commits (by anyone) the process has heard of since it started.

        The screens watch this instead of a file's size and time: it moves within a
        few milliseconds of another client's commit (LISTEN/NOTIFY, :mod:`.listen`).
        """
        from standup.team.listen import listener

        return listener(self.url).count

    @property
    def display_name(self) -> str:
        """What the header and status line call this database: who, where, may write."""
        if self._identity is None:
            try:
                self._identity = self.identity()
            except StandupError:
                return f"team {self.label}"
        return f"team {self._identity.label}"

    def fetch_arrow(self, name: str, params: Params | None = None) -> Any:
        raise StandupError(f"{name}: Arrow reads are not available in team mode yet")
