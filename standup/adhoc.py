"""Ad-hoc SQL: the engine behind the SQL prompt and ``standup query``.

One engine, one rule for both: statements that change the database (or write files) are
refused unless writes were allowed (``--allow-writes`` / ``sql_allow_writes``), and even
then only those statements get a read-write connection; everything else runs on a
read-only one, so DuckDB itself enforces the rule too. External file access can be turned
off for serve mode (``external_access=False``): then ``read_csv('/etc/passwd')``, COPY and
ATTACH of other files fail, and no ``SET`` can turn it back on.

A running query can be cancelled from another thread with :meth:`Engine.interrupt`
(DuckDB's ``interrupt()`` on the connection the query runs on). Results come back as
Arrow, capped at a row limit, with the full row count counted separately, so a million
row answer costs a bounded amount of memory.

Every query runs on an isolated unit of work (``Store.reading(isolated=True)``): a private
DuckDB instance on the file, as user SQL may change instance-wide settings or ATTACH and
DETACH at will, which must never reach the store's shared host instance.

The engine lives here; statements (splitting, types), errors and results live in
``adhoc_statements``, ``adhoc_errors`` and ``adhoc_result``, re-exported from this module.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

import queries
from standup.adhoc_errors import WRITE_HINT as WRITE_HINT
from standup.adhoc_errors import AdhocError as AdhocError
from standup.adhoc_errors import Cancelled as Cancelled
from standup.adhoc_errors import ErrorPosition as ErrorPosition
from standup.adhoc_errors import WriteRefused as WriteRefused
from standup.adhoc_errors import explain as explain
from standup.adhoc_result import Catalog as Catalog
from standup.adhoc_result import Result as Result
from standup.adhoc_result import format_elapsed as format_elapsed
from standup.adhoc_statements import READ_TYPES as READ_TYPES
from standup.adhoc_statements import statement_at as statement_at
from standup.adhoc_statements import statement_kinds as statement_kinds
from standup.adhoc_statements import statement_spans as statement_spans
from standup.adhoc_statements import writes as writes
from standup.errors import AlreadyExists
from standup.store import Connection, Store, run, run_text

ExportFormat = Literal["csv", "parquet", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "parquet", "json")


# -- the engine -----------------------------------------------------------------------


class Engine:
    """Runs ad-hoc SQL on a store under the read-only rule; one query at a time.

    ``allow_writes`` lets write statements through (on a read-write connection, in one
    transaction). ``external_access=False`` is for serve mode: no files outside the
    database can be read or written.
    """

    def __init__(
        self, store: Store, *, allow_writes: bool = False, external_access: bool = True
    ) -> None:
        self.store = store
        self.allow_writes = allow_writes
        self.external_access = external_access
        # Redaction on (the app's `m`): queries see contact data redacted at the source
        # (queries/adhoc/redacted.sql) and their results scrubbed again (redact_result.sql).
        self.redact = False
        self._guard = threading.Lock()
        self._conn: Connection | None = None
        self._cancel_requested = False
        # Where elapsed times come from; a test may pin it to draw a stable screenshot.
        self.timer: Callable[[], float] = time.perf_counter

    # -- cancelling, from any thread -----------------------------------------------

    def interrupt(self) -> bool:
        """Cancel the running query, if any. Safe to call from the UI thread."""
        with self._guard:
            self._cancel_requested = True
            if self._conn is None:
                return False
            self._conn.interrupt()
            return True

    @property
    def running(self) -> bool:
        """True while a statement runs on this engine's connection."""
        return self._conn is not None

    @contextmanager
    def _connection(self, write: bool, redact: bool | None = None) -> Iterator[Connection]:
        with self._guard:
            self._cancel_requested = False
        # Isolated: a private DuckDB instance per query, never the store's shared host.
        # User SQL may ATTACH, DETACH or USE anything, and serve mode locks the
        # configuration for good (no_external_access.sql), all instance-wide.
        opener = self.store.writing if write else self.store.reading
        with opener(isolated=True) as conn:
            if self.redact if redact is None else redact:
                _redacted_views(conn)
            if not self.external_access:
                run(conn, "adhoc/no_external_access")
            with self._guard:
                if self._cancel_requested:
                    raise Cancelled("query cancelled")
                self._conn = conn
            try:
                yield conn
            finally:
                with self._guard:
                    self._conn = None

    # -- running ----------------------------------------------------------------------

    def check(self, sql: str) -> list[str]:
        """Statement kinds of ``sql``; raise :class:`WriteRefused` if it would write."""
        text = sql.strip()
        if not text.rstrip(";").strip():
            raise AdhocError("empty query")
        kinds = statement_kinds(text)
        if not kinds:
            raise AdhocError("empty query")
        if not self.allow_writes:
            refused = next((kind for kind in kinds if writes(kind)), None)
            if refused is not None:
                raise WriteRefused(f"{refused} refused: {WRITE_HINT}")
        return kinds

    def run(
        self,
        sql: str,
        limit: int | None = None,
        on_first_rows: Callable[[Result], None] | None = None,
    ) -> Result:
        """Run ``sql`` (one or more statements) and return the last one's result.

        At most ``limit`` rows are fetched (all when ``None``). When the cap is hit the
        full count is taken separately; ``on_first_rows`` is called with the capped rows
        before counting starts, so a UI can show them at once.
        """
        sql = sql.strip()
        kinds = self.check(sql)
        started = self.timer()
        write = any(writes(kind) for kind in kinds)
        try:
            with self._connection(write) as conn:
                if self.redact:
                    _refuse_file_catalog(conn, sql)
                    run(conn, "adhoc/no_files")
                relation = conn.sql(sql)
                if relation is None:
                    # A statement with no result (SET, INSERT...): nothing to show.
                    return Result(pa.table({}), 0, self.timer() - started, sql, kinds[-1])
                if limit is None:
                    table = self._shown(conn, relation.to_arrow_table())
                    elapsed = self.timer() - started
                    return Result(table, table.num_rows, elapsed, sql, kinds[-1])
                table = self._shown(conn, relation.limit(limit).to_arrow_table())
                if table.num_rows < limit:
                    elapsed = self.timer() - started
                    return Result(table, table.num_rows, elapsed, sql, kinds[-1])
                if on_first_rows is not None:
                    partial = Result(table, None, self.timer() - started, sql, kinds[-1])
                    on_first_rows(partial)
                # DuckDB prunes unused columns from the count, so counting a wide
                # `select *` is far cheaper than fetching it.
                row = relation.aggregate("count(*)").fetchone()
                total = int(row[0]) if row else table.num_rows
                return Result(table, total, self.timer() - started, sql, kinds[-1])
        except duckdb.Error as exc:
            raise explain(exc, sql) from None

    def _shown(self, conn: Connection, table: pa.Table) -> pa.Table:
        """``table`` as it may be shown: with redaction on, every text column scrubbed of
        email addresses (in SQL over the Arrow table, so a big result stays fast)."""
        if not self.redact:
            return table
        texts = [
            f.name
            for f in table.schema
            if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
        ]
        if not texts:
            return table
        conn.register("standup_result", table)
        try:
            replacements = ", ".join(
                f"standup_emails({_ident(name)}) AS {_ident(name)}" for name in texts
            )
            sql = queries.load("adhoc/redact_result").replace("@replacements", replacements)
            return run_text(conn, "adhoc/redact_result", sql).to_arrow_table()
        finally:
            conn.unregister("standup_result")

    def export(
        self,
        sql: str,
        path: str | Path,
        fmt: ExportFormat,
        overwrite: bool = False,
        *,
        unredacted: bool = False,
    ) -> int:
        """Write the whole result of the query ``sql`` to ``path`` with DuckDB's COPY.

        Refuses an existing file unless ``overwrite``. Returns the number of rows written.
        With redaction on the file is redacted like the screen (contact columns at the
        source), unless ``unredacted`` (the prompt asks first).
        """
        redact = self.redact and not unredacted
        if fmt not in EXPORT_FORMATS:
            raise AdhocError(f"export: unknown format {fmt!r} (csv, parquet or json)")
        if not self.external_access:
            raise AdhocError("export is off here: external file access is disabled")
        target = Path(path).expanduser()
        if target.is_dir():
            raise AlreadyExists(f"{target}: is a directory")
        if target.exists() and not overwrite:
            raise AlreadyExists(f"{target}: already exists (confirm to overwrite)")
        if not target.parent.exists():
            raise AdhocError(f"{target.parent}: no such directory")
        kinds = self.check(sql)
        if len(kinds) != 1 or kinds[0] != "SELECT":
            raise AdhocError("export: only the result of one SELECT can be exported")
        try:
            with self._connection(write=False, redact=redact) as conn:
                if redact:
                    _refuse_file_catalog(conn, sql)
                # Registered, not created: a view would be a write to a read-only file.
                conn.register("adhoc_export", conn.sql(sql.strip().rstrip(";")))
                row = run(conn, f"adhoc/export_{fmt}", {"path": str(target)}).fetchone()
        except duckdb.Error as exc:
            raise explain(exc, sql) from None
        return int(row[0]) if row else 0

    def catalog(self) -> Catalog:
        """Tables, columns, functions and keywords of the database, for completion."""
        # Isolated like the queries it completes: what they see (this file, the system
        # catalog) is what is offered, not other files attached to the shared host.
        with self.store.reading(isolated=True) as conn:
            tables = tuple(name for (name,) in run(conn, "adhoc/tables").fetchall())
            columns: dict[str, list[str]] = {}
            for table, column in run(conn, "adhoc/columns").fetchall():
                columns.setdefault(table, []).append(column)
            functions = tuple(name for (name,) in run(conn, "adhoc/functions").fetchall())
            keywords = tuple(name for (name,) in run(conn, "adhoc/keywords").fetchall())
        return Catalog(
            tables, {table: tuple(cols) for table, cols in columns.items()}, functions, keywords
        )


def _ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _redacted_views(conn: Connection) -> None:
    """Shadow the tables holding contact data with redacted temporary views (redaction on)."""
    row = run(conn, "store/current_database").fetchone()
    catalog = _ident(str(row[0])) if row else "main"
    run_text(conn, "adhoc/redacted", queries.load("adhoc/redacted").replace("@catalog", catalog))


def _refuse_file_catalog(conn: Connection, sql: str) -> None:
    """With redaction on, refuse SQL that names the file's catalog (``demo.main.leads``):
    that would reach the tables behind the redacted views."""
    row = run(conn, "store/current_database").fetchone()
    catalog = str(row[0]) if row else ""
    named = re.compile(r'(?<![\w"/.\-])("?)' + re.escape(catalog) + r"\1\s*\.", re.IGNORECASE)
    if catalog and named.search(sql):
        raise AdhocError(
            f"redaction is on: SQL may not name the database {catalog!r} itself "
            "(write leads, not {catalog}.main.leads)".replace("{catalog}", catalog)
        )


def run_readonly(store: Store, sql: str, limit: int | None = None) -> Result:
    """Run ``sql`` read-only and return at most ``limit`` rows (all when ``None``)."""
    return Engine(store).run(sql, limit)
