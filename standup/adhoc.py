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
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

import queries
from standup.errors import AlreadyExists, QueryError
from standup.store import Connection, Store, run, run_text

WRITE_HINT = (
    "the SQL prompt is read-only; to allow writes start standup with --allow-writes "
    "or set sql_allow_writes = true in the config"
)

# The statement types that may run when writes are off: each of DuckDB 1.5's types is
# decided here, and a type not listed (a new one, an internal one) is refused: the rule
# fails closed. Refused up front with one clear message; everything allowed then runs on
# a read-only connection, so DuckDB enforces the rule on the database too.
#   SELECT         queries, DESCRIBE, SHOW, SUMMARIZE, FROM-first, VALUES, UNPIVOT
#   EXPLAIN        only of an allowed statement (EXPLAIN ANALYZE runs it)
#   PREPARE        only of an allowed statement; EXECUTE then runs only such a one, as a
#                  run's statements share one connection that ends with the run
#   EXECUTE        see PREPARE
#   SET            SET / RESET / USE: settings of the private instance the run gets
#   VARIABLE_SET   SET VARIABLE, as SET
# (PRAGMA table_info(...), version and the like parse as SELECT, PRAGMA threads = N as SET.)
# Refused: PRAGMA (those left do things: enable_profiling may write a file, force_checkpoint)
# INSERT UPDATE DELETE MERGE_INTO CREATE (incl. PIVOT's enum, CREATE SECRET)
# CREATE_FUNC DROP (incl. DEALLOCATE) ALTER (incl. COMMENT ON) COPY COPY_DATABASE ATTACH
# DETACH EXPORT LOAD (incl. INSTALL) EXTENSION VACUUM (incl. ANALYZE) TRANSACTION CALL
# (CHECKPOINT is one, and procedures may write) UPDATE_EXTENSIONS, and the internal
# RELATION LOGICAL_PLAN MULTI INVALID (tests/test_sql_statement_rule.py, one row each).
READ_TYPES = frozenset({"SELECT", "EXPLAIN", "PREPARE", "EXECUTE", "SET", "VARIABLE_SET"})
# Of those, the ones that wrap another statement, which must be allowed itself.
_WRAPPERS = {
    "EXPLAIN": re.compile(r"^\s*EXPLAIN\s+(?:ANALYZE\s+)?(?:\([^)]*\)\s*)?(.*)$", re.I | re.S),
    "PREPARE": re.compile(r"^\s*PREPARE\s+\S+?\s*(?:\([^)]*\)\s*)?AS\s+(.*)$", re.I | re.S),
}

ExportFormat = Literal["csv", "parquet", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "parquet", "json")


@dataclass(frozen=True)
class ErrorPosition:
    """Where in the statement DuckDB says the problem is (1-based line and column)."""

    line: int
    column: int


class AdhocError(QueryError):
    """DuckDB refused the statement; ``position`` is set when DuckDB says where."""

    def __init__(self, message: str, position: ErrorPosition | None = None) -> None:
        super().__init__(message)
        self.position = position


class Cancelled(AdhocError):
    """The user cancelled the running query."""


class WriteRefused(AdhocError):
    """A statement would write, and writes are not allowed."""


@dataclass(frozen=True)
class Result:
    """A query's answer: an Arrow table (at most the row limit) and how many rows in all.

    ``total_rows`` is ``None`` while the full count is not known yet (it is being counted).
    """

    table: pa.Table
    total_rows: int | None
    elapsed: float = 0.0
    statement: str = ""
    kind: str = "SELECT"

    @property
    def capped(self) -> bool:
        """True when the table holds fewer rows than the query returned."""
        return self.total_rows is None or self.total_rows > self.table.num_rows

    def summary(self) -> str:
        """``"1,234 rows · 12 ms"`` or ``"first 10,000 of 1,000,000 rows · 0.4 s"``."""
        shown = self.table.num_rows
        if self.total_rows is None:
            rows = f"first {shown:,} rows (counting…)"
        elif self.total_rows > shown:
            rows = f"first {shown:,} of {self.total_rows:,} rows"
        else:
            rows = f"{shown:,} row" + ("" if shown == 1 else "s")
        return f"{rows} · {format_elapsed(self.elapsed)}"


def format_elapsed(seconds: float) -> str:
    """Short human time: ``"85 ms"``, ``"1.4 s"``, ``"2 min 05 s"``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


@dataclass(frozen=True)
class Catalog:
    """What completion offers: names read from the live database."""

    tables: tuple[str, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    functions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


# -- statements in a text ------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      '(?:[^']|'')*'?          # string literal ('' escapes a quote)
    | "(?:[^"]|"")*"?          # quoted identifier
    | \$\$.*?(?:\$\$|\Z)       # dollar-quoted string
    | --[^\n]*                 # line comment
    | /\*.*?(?:\*/|\Z)         # block comment
    | ;                        # statement separator
    """,
    re.VERBOSE | re.DOTALL,
)


def statement_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each statement in ``text``, split on ``;``.

    Semicolons inside strings, quoted identifiers and comments do not split. Spans exclude
    the ``;`` itself; blank statements are dropped.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _TOKEN.finditer(text):
        if match.group() == ";":
            spans.append((start, match.start()))
            start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if _has_code(text[s:e])]


def _has_code(chunk: str) -> bool:
    stripped = _TOKEN.sub(lambda m: "" if m.group().startswith(("--", "/*")) else "x", chunk)
    return bool(stripped.strip())


def statement_at(text: str, offset: int) -> tuple[int, int] | None:
    """The span of the statement under ``offset``.

    Between statements (after a ``;``, on blank lines) the cursor belongs to the statement
    that ended on its line, else to the next one; after the last one, to the last one.
    """
    spans = statement_spans(text)
    previous: tuple[int, int] | None = None
    for start, end in spans:
        code_start = start + len(text[start:end]) - len(text[start:end].lstrip())
        if offset < code_start:
            if previous is not None and "\n" not in text[previous[1] : offset]:
                return previous
            return (start, end)
        if offset <= end:
            return (start, end)
        previous = (start, end)
    return previous


def statement_kinds(sql: str) -> list[str]:
    """DuckDB's statement type of each statement in ``sql`` (``"SELECT"``, ``"INSERT"``...).

    A statement that wraps another (``EXPLAIN ANALYZE INSERT ...``, ``PREPARE p AS
    COPY ...``) is reported as the wrapped one when that one may write, so the read-only
    rule sees through it.
    """
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise explain(exc, sql) from None
    return [_kind(statement) for statement in statements]


def _kind(statement: duckdb.Statement) -> str:
    kind = str(statement.type).rsplit(".", 1)[-1]
    if kind == "???":  # no name in the Python enum (UPDATE EXTENSIONS in 1.5)
        return "UNKNOWN"
    pattern = _WRAPPERS.get(kind)
    if pattern is None:
        return kind
    match = pattern.match(statement.query)
    try:
        inner = duckdb.extract_statements(match.group(1)) if match else []
    except duckdb.Error:
        inner = []
    if not inner:
        return f"{kind} (unreadable)"  # not in READ_TYPES: refused
    wrapped = [_kind(s) for s in inner]
    return next((k for k in wrapped if writes(k)), kind)


def writes(kind: str) -> bool:
    """True for a statement type that may change the database or write files (any type
    not known to be read-only)."""
    return kind not in READ_TYPES


# -- errors ---------------------------------------------------------------------------

_LINE = re.compile(r"^LINE (\d+): ?(.*)$")


def explain(exc: duckdb.Error, sql: str = "") -> AdhocError:
    """A one-line error from a DuckDB exception, with the position when DuckDB gives one."""
    if isinstance(exc, duckdb.InterruptException):
        return Cancelled("query cancelled")
    raw = str(exc).splitlines()
    lines = [line.strip() for line in raw if line.strip()]
    message = lines[0] if lines else type(exc).__name__
    if "read-only" in message or "read only" in message:
        return AdhocError(f"{message} ({WRITE_HINT})")
    # DuckDB's suggestions ("Candidate bindings: ...", "Did you mean ...") are the fix.
    hint = next(
        (line for line in lines[1:] if line.startswith(("Candidate bindings", "Did you mean"))),
        None,
    )
    if hint:
        message = f"{message} {hint}"
    position = _position(raw, sql)
    where = next((line for line in lines[1:] if line.startswith("LINE ")), None)
    if position is not None:
        return AdhocError(f"{message} (line {position.line}, column {position.column})", position)
    return AdhocError(f"{message} [{where}]" if where else message)


def _position(raw: list[str], sql: str) -> ErrorPosition | None:
    """Read DuckDB's ``LINE n: text`` + caret lines into a line/column of ``sql``."""
    for index, line in enumerate(raw):
        match = _LINE.match(line)
        if not match or index + 1 >= len(raw):
            continue
        caret = raw[index + 1]
        if "^" not in caret:
            return None
        number = int(match.group(1))
        shown = match.group(2)
        column = caret.index("^") - (len(line) - len(shown))
        # DuckDB may show a rewritten or shortened line; only trust it when it is the
        # user's own line, so the editor never jumps to a wrong place.
        source = sql.splitlines()
        if 1 <= number <= len(source) and shown.strip() and shown in source[number - 1]:
            return ErrorPosition(number, source[number - 1].index(shown) + column + 1)
        return None
    return None


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
