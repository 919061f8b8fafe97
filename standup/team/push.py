"""``standup push FILE.duckdb postgresql://...``: a team's local file into the shared database.

Everything moves in ONE Postgres transaction: every table of the file that the Postgres
schema has except the dashboard's derived facts (:data:`DERIVED_TABLES`), column by
column (by name), through CSV: DuckDB writes each table to a temporary file and
Postgres' ``COPY FROM STDIN`` reads it, both in bulk (no Python loop over rows). Then
every id sequence continues after the highest id pushed, and the server computes the
derived facts afresh under the config's SLA (:func:`standup.team.pgfacts.restamp_under`;
its triggers keep them from then on). A target that already holds team data is refused
unless ``replace``, which empties it first, in the same transaction. If anything fails,
the target is as it was.
"""

from __future__ import annotations

import re
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import psycopg

import queries
from standup.config import Config
from standup.errors import StandupError
from standup.store import Store, run_text
from standup.team.pgfacts import restamp_under
from standup.team.pgstore import PgConn, PgStore, pg_schema_version, pg_text

_NAME = re.compile(r"[a-z_][a-z0-9_]*")

# The dashboard's derived tables (migrations 009, 011, 012): never copied, the server
# computes them from what was pushed (the file's may be stale, or follow another SLA).
DERIVED_TABLES = frozenset(
    {"lead_facts", "fact_totals", "fact_days", "fact_sources", "fact_sources_total", "facts_stamp"}
)


@dataclass(frozen=True)
class Pushed:
    """What a push moved: rows per table, and how long it took."""

    rows: dict[str, int]
    seconds: float


def _quoted(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise StandupError(f"push: unexpected table or column name {name!r}")
    return f'"{name}"'


def push(
    source: Store, target: PgStore, *, replace: bool = False, config: Config | None = None
) -> Pushed:
    """Copy ``source`` (a DuckDB file) into ``target`` in one transaction; see the module.

    The stored facts follow ``config``'s SLA (the default config's when None).
    """
    started = time.perf_counter()
    found = source.file_schema_version()
    if found > pg_schema_version():
        raise StandupError(
            f"{source.path}: schema version {found}, but team mode reaches only "
            f"{pg_schema_version()} (a migration has no PostgreSQL dialect yet)"
        )
    if found < pg_schema_version():
        source.migrate()
    target.migrate()
    moved: dict[str, int] = {}
    with target.pg_writing() as conn, tempfile.TemporaryDirectory(prefix="standup-push-") as tmp:
        conn.run("push/no_timeout")
        pg_cols: dict[str, list[str]] = {}
        for table, column in conn.run("push/tables").fetchall():
            pg_cols.setdefault(str(table), []).append(str(column))
        existing = conn.run("push/has_rows").fetchone()
        if existing and existing[0] and not replace:
            raise StandupError(
                f"{target.label}: already holds team data ({existing[0]} rows in leads, "
                "disputes, people, campaigns); push --replace to overwrite it"
            )
        # Even an "empty" target has the migrations' seed rows (reason codes): the file's
        # own take their place.
        listing = ", ".join(_quoted(t) for t in sorted(pg_cols))
        conn.run_text("push/truncate", pg_text("push/truncate").replace("@tables", listing))
        with source.reading() as dconn:
            src_cols: dict[str, set[str]] = {}
            for table, column in run_text(
                dconn, "pg/push/source_columns", pg_text("push/source_columns")
            ).fetchall():
                src_cols.setdefault(str(table), set()).add(str(column))
            for table, columns in sorted(pg_cols.items()):
                shared = [c for c in columns if c in src_cols.get(table, set())]
                if not shared or table in DERIVED_TABLES:
                    continue
                listing = ", ".join(_quoted(c) for c in shared)
                csv_path = Path(tmp) / f"{table}.csv"
                sql = (
                    queries.load("pg/push/export")
                    .replace("@columns", listing)
                    .replace("@table", _quoted(table))
                )
                run_text(dconn, "pg/push/export", sql, {"path": str(csv_path)})
                moved[table] = _copy_in(conn, table, listing, csv_path)
        conn.run("push/sequences")
        conn.run("push/analyze")
        restamp_under(conn, config or Config(), datetime.now())
    _vacuum(target)
    return Pushed(moved, time.perf_counter() - started)


def _vacuum(target: PgStore) -> None:
    """VACUUM the fresh facts, so the Stalled panel's count is an index-only scan (half
    the time at 1M leads) from the first refresh, not once autovacuum gets to them.
    Outside the push's transaction (VACUUM cannot run in one); the push stands if it fails."""
    with suppress(psycopg.Error), psycopg.connect(target.url, autocommit=True) as conn:
        conn.execute(cast(Any, pg_text("push/vacuum")))


def _copy_in(conn: PgConn, table: str, listing: str, csv_path: Path) -> int:
    """Stream one CSV file into ``table`` with COPY; returns the rows it held."""
    statement = (
        pg_text("push/copy_in").replace("@table", _quoted(table)).replace("@columns", listing)
    )
    with conn.raw.cursor() as cur:
        try:
            with cur.copy(statement) as copy, csv_path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        except psycopg.Error as exc:
            first = next((ln for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
            raise StandupError(f"push: table {table}: {first}; nothing was pushed") from exc
        return int(cur.rowcount)
