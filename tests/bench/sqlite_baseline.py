"""The SQLite baseline: the same data, the same panel queries, stdlib ``sqlite3``.

The DuckDB file is copied into SQLite table by table (Arrow batches from DuckDB,
``executemany`` into SQLite: no extension needed). Times become epoch microseconds
(INTEGER), decimals become REAL, dates become the epoch microseconds of their midnight,
so the translated queries in ``tests/bench/sqlite/`` compare plain integers the way the
DuckDB ones compare timestamps. Sensible indexes are added (``indexes.sql``) and
ANALYZE is run, as a careful SQLite user would.

Which statement runs with which parameters is taken from the real panel functions: they
are called once with their ``run`` wrapped to record (name, params), so both engines
answer exactly the dashboard's questions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

import queries

HERE = Path(__file__).parent / "sqlite"
TABLES = (
    "people",
    "campaigns",
    "reason_codes",
    "targets",
    "leads",
    "deals",
    "disputes",
    "stage_history",
)
_EPOCH = datetime(1970, 1, 1)


def _sqlite_type(duck_type: str) -> tuple[str, str]:
    """(SQLite column type, DuckDB expression template) for a DuckDB column type."""
    t = duck_type.upper()
    if t.startswith("TIMESTAMP"):
        return "INTEGER", "epoch_us({c})"
    if t == "DATE":
        return "INTEGER", "epoch_us({c}::TIMESTAMP)"
    if t.startswith("DECIMAL") or t in ("DOUBLE", "FLOAT", "REAL"):
        return "REAL", "{c}::DOUBLE"
    if t in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"):
        return "INTEGER", "{c}"
    if t == "BOOLEAN":
        return "INTEGER", "{c}::INTEGER"
    return "TEXT", "{c}"


def export(duck_path: Path, sqlite_path: Path, batch_rows: int = 100_000) -> dict[str, int]:
    """Copy the panels' tables from the DuckDB file into a new SQLite file; row counts."""
    sqlite_path.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    src = duckdb.connect(str(duck_path), read_only=True)
    dst = sqlite3.connect(sqlite_path)
    try:
        dst.execute("PRAGMA journal_mode = OFF")
        dst.execute("PRAGMA synchronous = OFF")
        for table in TABLES:
            cols = src.execute(
                "SELECT column_name, data_type FROM duckdb_columns() "
                "WHERE table_name = $t ORDER BY column_index",
                {"t": table},
            ).fetchall()
            pk = src.execute(
                "SELECT constraint_column_names FROM duckdb_constraints() "
                "WHERE table_name = $t AND constraint_type = 'PRIMARY KEY'",
                {"t": table},
            ).fetchone()
            pk_cols = list(pk[0]) if pk else []
            defs, exprs = [], []
            for name, duck_type in cols:
                sqlite_type, template = _sqlite_type(duck_type)
                primary = " PRIMARY KEY" if pk_cols == [name] else ""
                defs.append(f"{name} {sqlite_type}{primary}")
                exprs.append(template.format(c=name) + f" AS {name}")
            dst.execute(f"CREATE TABLE {table} ({', '.join(defs)})")
            marks = ", ".join("?" for _ in cols)
            reader = src.execute(f"SELECT {', '.join(exprs)} FROM {table}").to_arrow_reader(
                batch_rows
            )
            n = 0
            for batch in reader:
                columns = [column.to_pylist() for column in batch.columns]
                dst.executemany(f"INSERT INTO {table} VALUES ({marks})", zip(*columns, strict=True))
                n += batch.num_rows
            counts[table] = n
        dst.commit()
        dst.executescript((HERE / "indexes.sql").read_text())
        dst.commit()
    finally:
        src.close()
        dst.close()
    return counts


def connect(sqlite_path: Path) -> sqlite3.Connection:
    """A read connection with the settings a tuned desktop app would use."""
    conn = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache
    conn.execute("PRAGMA mmap_size = 268435456")  # 256 MiB memory map
    return conn


def _us(value: datetime | date) -> int:
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return (value - _EPOCH) // timedelta(microseconds=1)


def sqlite_params(params: dict[str, Any]) -> dict[str, Any]:
    """DuckDB parameters in the SQLite queries' terms: times as epoch microseconds,
    lists as JSON (of epoch microseconds where they hold times), booleans as 0/1."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, (datetime, date)):
            out[key] = _us(value)
        elif isinstance(value, (list, tuple)):
            items = [_us(v) if isinstance(v, (datetime, date)) else v for v in value]
            out[key] = json.dumps(items)
        elif isinstance(value, bool):
            out[key] = int(value)
        else:
            out[key] = value
    return out


Call = tuple[str, dict[str, Any]]


def record_calls(panel: Callable[..., Any], conn: Any, now: datetime, config: Any) -> list[Call]:
    """The (statement, params) pairs ``panel`` runs, recorded by wrapping the ``run`` of
    the module that defines it (each panel family has its own, standup/panel_*.py)."""
    import sys

    panels_module: Any = sys.modules[panel.__module__]
    calls: list[Call] = []
    real = panels_module.run

    def recording(c: Any, name: str, params: Any = None) -> Any:
        calls.append((name, dict(params or {})))
        return real(c, name, params)

    panels_module.run = recording
    try:
        panel(conn, now, config)
    finally:
        panels_module.run = real
    return calls


def reads_stored_facts(name: str) -> bool:
    """True when ``queries/<name>.sql`` reads the stored dashboard facts (migrations 009, 011)."""
    sql = queries.load(name)
    return any(table in sql for table in ("lead_facts", "fact_totals", "fact_days"))


def sqlite_sql(name: str) -> str | None:
    """The SQLite translation of ``queries/<name>.sql`` (``panels/x`` -> ``sqlite/x.sql``)."""
    path = HERE / f"{name.rsplit('/', 1)[-1]}.sql"
    return path.read_text() if path.exists() else None


def run_sqlite(conn: sqlite3.Connection, calls: list[Call]) -> int:
    """Run the recorded statements on SQLite; rows fetched."""
    rows = 0
    for name, params in calls:
        sql = sqlite_sql(name)
        if sql is None:
            raise KeyError(name)
        rows += len(conn.execute(sql, sqlite_params(params)).fetchall())
    return rows


def run_duckdb(conn: duckdb.DuckDBPyConnection, calls: list[Call]) -> int:
    """Run the recorded statements on DuckDB (raw query + fetch, no models); rows."""
    from standup.store import run

    rows = 0
    for name, params in calls:
        rows += len(run(conn, name, params).fetchall())
    return rows
