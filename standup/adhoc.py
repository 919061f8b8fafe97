"""Ad-hoc SQL: the engine behind the SQL prompt and ``standup query``.

Runs on a read-only connection, so INSERT/UPDATE/DROP are refused by DuckDB itself, and
turns DuckDB's errors into one-line messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from standup.errors import QueryError
from standup.store import Store

WRITE_HINT = "the SQL prompt is read-only"


@dataclass(frozen=True)
class Result:
    """A query's answer: an Arrow table and how many rows there were in all."""

    table: pa.Table
    total_rows: int


def run_readonly(store: Store, sql: str, limit: int | None = None) -> Result:
    """Run ``sql`` read-only and return at most ``limit`` rows (all when ``None``)."""
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise QueryError("empty query")
    with store.reading() as conn:
        try:
            relation = conn.sql(text)
            if relation is None:
                # A statement with no result (SET, PRAGMA...): nothing to show.
                return Result(pa.table({}), 0)
            if limit is None:
                table = relation.fetch_arrow_table()
                return Result(table, table.num_rows)
            table = relation.limit(limit).fetch_arrow_table()
            total = table.num_rows
            if total == limit:
                row = relation.aggregate("count(*)").fetchone()
                total = int(row[0]) if row else total
            return Result(table, total)
        except duckdb.Error as exc:
            raise QueryError(_explain(exc)) from None


def _explain(exc: duckdb.Error) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = lines[0] if lines else type(exc).__name__
    if "read-only" in message or "read only" in message:
        return f"{message} ({WRITE_HINT})"
    # Keep DuckDB's "LINE n:" pointer, which says where in the query the problem is.
    where = next((line for line in lines[1:] if line.startswith("LINE ")), None)
    return f"{message} [{where}]" if where else message
