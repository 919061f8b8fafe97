"""The panels' reads in team mode: DuckDB attached READ_ONLY to the team's PostgreSQL.

The dashboard, presenter and report SQL is DuckDB SQL over ``lead_facts``,
``fact_totals`` and the domain tables. Rather than keep a second copy of it in Postgres'
dialect, a process-wide in-memory DuckDB instance attaches the shared database with the
postgres scanner (``ATTACH ... (TYPE postgres, READ_ONLY)``) and each read unit of work
runs the same statements on it. The scanner is loaded from its wheel
(``duckdb-extension-postgres-scanner``, built for DuckDB exactly 1.5.5), by path, never
installed from the network. Writes never go this way (see :mod:`standup.team.pgstore`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path

import duckdb

import queries
from standup.errors import StandupError
from standup.store import Connection, use_variants

_lock = threading.Lock()
_host: tuple[int, Connection] | None = None
_aliases: dict[str, str] = {}
_ALIAS = re.compile(r"team_[0-9]+")


def extension_path() -> Path:
    """The postgres scanner's binary inside its wheel, for this DuckDB's version."""
    try:
        import duckdb_extension_postgres_scanner as wheel
    except ImportError as exc:  # pragma: no cover - a dependency of standup
        raise StandupError(
            "team mode's panels need the duckdb-extension-postgres-scanner package"
        ) from exc
    version = duckdb.__version__
    path = (
        Path(wheel.__file__).parent
        / "extensions"
        / f"v{version}"
        / "postgres_scanner.duckdb_extension"
    )
    if not path.is_file():
        raise StandupError(
            f"the postgres scanner wheel has no build for DuckDB {version} (pin duckdb==1.5.5)"
        )
    return path


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _new_instance() -> Connection:
    conn = duckdb.connect(":memory:", config={"allocator_background_threads": True})
    conn.execute(queries.load("pg/scan/settings"))
    conn.execute(queries.load("pg/scan/load").replace("@path", _literal(str(extension_path()))))
    return conn


def _attach(conn: Connection, url: str, alias: str) -> None:
    if not _ALIAS.fullmatch(alias):
        raise ValueError(f"not an alias: {alias!r}")
    sql = queries.load("pg/scan/attach").replace("@url", _literal(url)).replace("@alias", alias)
    try:
        conn.execute(sql)
    except duckdb.Error as exc:
        from standup.team.pgstore import DatabaseUnavailable, redact_url

        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(f"{redact_url(url)}: cannot read ({first})") from exc


def _host_for(url: str) -> tuple[Connection, str]:
    """The process's scanning instance, with ``url`` attached (once) under its alias."""
    global _host
    with _lock:
        if _host is None or _host[0] != os.getpid():
            _host = (os.getpid(), _new_instance())
            _aliases.clear()
        host = _host[1]
        alias = _aliases.get(url)
        if alias is None:
            alias = f"team_{len(_aliases) + 1}"
            _attach(host, url, alias)
            _aliases[url] = alias
        return host, alias


def variant(alias: str, name: str) -> str | None:
    """``queries/pg/scan/<name>.sql`` for the database attached as ``alias``, if there is
    one: a statement that has Postgres do the work (``postgres_query``) and send back a
    few rows, where the scanner would stream it every row to count (the Stalled panel's
    half a million stalled leads at 1M)."""
    text = queries.load_if_any(f"pg/scan/{name}")
    return None if text is None else text.replace("@alias", alias)


def forget(url: str) -> None:
    """Detach ``url`` (after a lost connection): the next read attaches it afresh."""
    with _lock:
        alias = _aliases.pop(url, None)
        if alias is not None and _host is not None:
            with suppress(duckdb.Error):
                _host[1].execute(queries.load("pg/scan/detach").replace("@alias", alias))


@contextmanager
def reading(url: str, *, isolated: bool = False) -> Iterator[Connection]:
    """A DuckDB connection whose unqualified tables are the team database's, read-only.

    ``isolated``: a private instance (for ad-hoc SQL, which could change settings or
    attach other databases).
    """
    if isolated:
        conn = _new_instance()
        try:
            _attach(conn, url, "team_1")
            conn.execute(queries.load("pg/scan/use").replace("@alias", "team_1"))
            yield conn
        finally:
            conn.close()
        return
    host, alias = _host_for(url)
    conn = host.cursor()
    try:
        conn.execute(queries.load("pg/scan/use").replace("@alias", alias))
        use_variants(conn, partial(variant, alias))
        yield conn
    except duckdb.IOException:
        forget(url)
        raise
    finally:
        conn.close()
