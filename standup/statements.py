"""Running our SQL: every statement is ``queries/<name>.sql`` with ``$name`` parameters.

The one door between Python and a statement's text (:func:`run`), plus the few ways a
caller may splice text in that parameters cannot carry (:func:`run_text`,
:func:`run_for_ids`), and per-connection variants (team mode's scanner reads). Errors
name the file.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import duckdb

import queries
from standup.errors import QueryError

Connection = duckdb.DuckDBPyConnection
Params = Mapping[str, Any]


def run(conn: Connection, name: str, params: Params | None = None) -> Connection:
    """Execute ``queries/<name>.sql`` with ``$name`` parameters bound by DuckDB.

    In team mode ``conn`` is a unit of work on PostgreSQL (``standup.team.pgstore``),
    which runs the statement's Postgres dialect instead (``queries/pg/``); a DuckDB
    connection that reads the team database may have variants of its own (see
    :func:`use_variants`).
    """
    if not isinstance(conn, duckdb.DuckDBPyConnection):
        result: Connection = conn.run(name, params)
        return result
    variant = _variants.get(conn)
    text = variant(name) if variant is not None else None
    return run_text(conn, name, text or queries.load(name), params)


# Per connection: where run() looks for a statement's text before queries/<name>.sql.
_variants: weakref.WeakKeyDictionary[Connection, Callable[[str], str | None]] = (
    weakref.WeakKeyDictionary()
)


def use_variants(conn: Connection, variant: Callable[[str], str | None]) -> None:
    """Have :func:`run` on ``conn`` use ``variant(name)``'s text when it returns one.

    Team mode's scanner reads run a few panel statements inside Postgres this way
    (:mod:`standup.team.scan`), so the server sends back a count, not every row counted.
    """
    _variants[conn] = variant


def drop_variants(conn: Connection) -> None:
    """Back to ``queries/<name>.sql`` for every statement on ``conn``."""
    _variants.pop(conn, None)


def run_text(conn: Connection, name: str, sql: str, params: Params | None = None) -> Connection:
    """Execute ``sql``, the text of ``queries/<name>.sql`` after a caller spliced it.

    Errors name the file, like :func:`run`'s. For statements whose text must carry more
    than parameters can (literal id lists, other statements of ours spliced in).
    """
    try:
        return conn.execute(sql, dict(params) if params else None)
    except duckdb.Error as exc:
        raise QueryError(f"{name}.sql: {first_line(exc)}") from exc


Record = dict[str, Any]


def records(cursor: Connection) -> list[Record]:
    """Every row of an executed statement as ``{column name: value}``."""
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def record(cursor: Connection) -> Record | None:
    """The first row of an executed statement by column name, or None."""
    names = [c[0] for c in cursor.description]
    row = cursor.fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def id_listing(ids: Iterable[int]) -> str:
    """``ids`` as the text of a SQL list (``1, 2, 3``), each through ``int``; ``NULL`` if none."""
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def run_for_ids(
    conn: Connection, name: str, params: Params | None, ids: Iterable[int], token: str = "@lead_ids"
) -> Connection:
    """:func:`run`, with ``token`` in the SQL replaced by ``ids`` as a literal list.

    For a handful of ids looked up by primary key: DuckDB uses the ART index for
    ``key IN (1, 2, 3)`` with literals, but scans the whole table for any parameterised
    form (``= ANY($ids)``, ``IN (SELECT unnest($ids))``). Every id goes through ``int``,
    so nothing but digits reaches the SQL text. No ids: ``NULL`` (matches nothing).
    """
    return run_text(conn, name, queries.load(name).replace(token, id_listing(ids)), params)


def first_line(exc: BaseException) -> str:
    """The first non-blank line of ``exc``'s message (our messages are one line)."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
