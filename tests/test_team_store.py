"""Team mode's database: migrations, `standup migrate`, `standup push`, the viewer role.

Every test runs against the session's real PostgreSQL (tests/pg_server.py). Expected
figures come from the DuckDB file itself, read with plain duckdb, not from our code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg
import pytest

import queries
from standup import triage
from standup.errors import SchemaTooNew, StandupError
from standup.store import Store
from standup.team.pgstore import (
    PgStore,
    ReadOnlyRole,
    pg_migrations,
    pg_schema_version,
    unported_migrations,
)
from standup.team.push import DERIVED_TABLES, push
from tests.conftest import AS_OF

STANDUP = [sys.executable, "-m", "standup.cli"]


def _pg_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def test_pg_migrations_mirror_the_duckdb_numbers() -> None:
    duck = {v: name for v, name, _ in queries.migrations()}
    pg = {v: name for v, name, _ in pg_migrations()}
    # Every Postgres migration is the dialect of a DuckDB one, with the same number and name.
    assert pg.items() <= duck.items()
    assert unported_migrations() == sorted(set(duck) - set(pg))


def test_migrate_creates_every_table_and_is_idempotent(pg_url: str) -> None:
    store = PgStore(pg_url)
    assert store.file_schema_version() == 0
    applied = store.apply_migrations()
    assert applied == [v for v, _, _ in pg_migrations()]
    assert store.apply_migrations() == []
    tables = {
        r[0] for r in _pg_rows(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname='public'")
    }
    duck = duckdb.connect(":memory:")
    # The tables of the DuckDB migrations the Postgres dialect covers (a newer DuckDB
    # migration not ported yet is listed by `standup migrate` and refused by push).
    for version, _, sql in queries.migrations():
        if version <= pg_schema_version():
            duck.execute(sql)
    duck_tables = {r[0] for r in duck.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == duck_tables
    versions = [r[0] for r in _pg_rows(pg_url, "SELECT version FROM schema_version ORDER BY 1")]
    assert versions == [v for v, _, _ in pg_migrations()]
    # The migration's seed data is there too.
    codes = _pg_rows(pg_url, "SELECT count(*) FROM reason_codes")[0][0]
    assert codes == duck.execute("SELECT count(*) FROM reason_codes").fetchone()[0]  # type: ignore[index]


def test_migrate_command_and_a_newer_schema_is_refused(pg_url: str) -> None:
    done = subprocess.run([*STANDUP, "migrate", pg_url], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"schema version {pg_schema_version()}" in done.stderr
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO schema_version (version, name) VALUES (999, 'future')")
    with pytest.raises(SchemaTooNew):
        PgStore.open(pg_url)
    again = subprocess.run([*STANDUP, "migrate", pg_url], capture_output=True, text=True)
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "newer than this standup" in again.stderr


def test_push_moves_every_table_in_one_go(demo_store: Store, pg_url: str) -> None:
    done = subprocess.run(
        [*STANDUP, "push", str(demo_store.path), pg_url], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(demo_store.path), read_only=True) as duck:
        for table in (
            "people",
            "campaigns",
            "leads",
            "deals",
            "touches",
            "stage_history",
            "disputes",
            "dispute_events",
            "reason_codes",
            "standups",
            "targets",
        ):
            expected = duck.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            assert _pg_rows(pg_url, f"SELECT count(*) FROM {table}")[0][0] == expected, table
        # Whole rows survive the trip (NULLs, empty strings, timestamps, decimals).
        want = duck.execute(
            "SELECT lead_id, company, email, owner_id, stage, stage_entered_at, mql_at, "
            "recycle_on, reason_code FROM leads ORDER BY lead_id"
        ).fetchall()
        money = duck.execute("SELECT sum(amount) FROM deals").fetchone()[0]  # type: ignore[index]
    got = _pg_rows(
        pg_url,
        "SELECT lead_id, company, email, owner_id, stage, stage_entered_at, mql_at, "
        "recycle_on, reason_code FROM leads ORDER BY lead_id",
    )
    assert got == want
    assert _pg_rows(pg_url, "SELECT sum(amount) FROM deals")[0][0] == money
    # The derived facts are computed by the server (tests/test_team_facts.py checks them
    # figure for figure); the file's fingerprints have no use there and stay empty.
    assert _pg_rows(pg_url, "SELECT count(*) FROM lead_facts")[0][0] == 2000
    for table in ("fact_sources", "fact_sources_total"):
        assert table in DERIVED_TABLES
        assert _pg_rows(pg_url, f"SELECT count(*) FROM {table}")[0][0] == 0, table
    # The id sequences continue after the pushed ids: a new dispute gets max + 1.
    top = _pg_rows(pg_url, "SELECT max(dispute_id) FROM disputes")[0][0]
    lead = _pg_rows(
        pg_url,
        "SELECT lead_id FROM leads WHERE lead_id NOT IN "
        "(SELECT lead_id FROM disputes WHERE status <> 'resolved') ORDER BY lead_id LIMIT 1",
    )[0][0]
    row = triage.open_dispute(
        PgStore(pg_url),
        int(lead),
        "sales",
        "junk_source",
        "after push",
        AS_OF,  # type: ignore[arg-type]
    )
    assert row.dispute_id == int(top) + 1  # type: ignore[call-overload]


def test_push_refuses_a_target_with_team_data_unless_replace(
    demo_store: Store, pg_url: str
) -> None:
    push(demo_store, PgStore(pg_url))
    before = _pg_rows(pg_url, "SELECT count(*), max(updated_at) FROM leads")
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE people SET name = 'Changed In Postgres' WHERE person_id = 1")
    refused = subprocess.run(
        [*STANDUP, "push", str(demo_store.path), pg_url], capture_output=True, text=True
    )
    assert refused.returncode == 1
    assert "already holds team data" in refused.stderr and "--replace" in refused.stderr
    assert _pg_rows(pg_url, "SELECT name FROM people WHERE person_id = 1")[0][0] == (
        "Changed In Postgres"
    )
    push(demo_store, PgStore(pg_url), replace=True)
    assert _pg_rows(pg_url, "SELECT count(*), max(updated_at) FROM leads") == before
    with duckdb.connect(str(demo_store.path), read_only=True) as duck:
        name = duck.execute("SELECT name FROM people WHERE person_id = 1").fetchone()[0]  # type: ignore[index]
    assert _pg_rows(pg_url, "SELECT name FROM people WHERE person_id = 1")[0][0] == name


def test_a_failed_push_leaves_the_target_as_it_was(demo_store: Store, pg_url: str) -> None:
    store = PgStore(pg_url)
    store.migrate()
    # A rule of the target's that some of the file's rows break, half way through the tables.
    with psycopg.connect(pg_url) as conn:
        conn.execute("ALTER TABLE leads ADD CONSTRAINT low_scores CHECK (score < 50)")
    with pytest.raises(StandupError):
        push(demo_store, store)
    for table in ("people", "campaigns", "deals", "disputes", "leads"):
        assert _pg_rows(pg_url, f"SELECT count(*) FROM {table}")[0][0] == 0, table
    # Seed rows of the migration are still there (the truncate rolled back too).
    assert _pg_rows(pg_url, "SELECT count(*) FROM reason_codes")[0][0] > 0


def test_viewer_reads_but_cannot_write(pg_server, pg_demo_url: str) -> None:  # type: ignore[no-untyped-def]
    db = pg_demo_url.rsplit("/", 1)[1]
    done = subprocess.run(
        [*STANDUP, "migrate", pg_demo_url, "--viewer", "wall_screen"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    viewer = PgStore(pg_server.url(db, user="wall_screen"))
    who = viewer.identity()
    assert (who.user, who.can_write) == ("wall_screen", False)
    assert "VIEWER" in who.label
    assert PgStore(pg_demo_url).identity().can_write
    rows = triage.queue(viewer, AS_OF)
    assert rows
    with pytest.raises(ReadOnlyRole):
        triage.accept(
            viewer, [triage.Target(rows[0].dispute_id, rows[0].version)], now=AS_OF, actor="wall"
        )
    state = _pg_rows(
        pg_demo_url, f"SELECT status, version FROM disputes WHERE dispute_id = {rows[0].dispute_id}"
    )
    assert state == [(rows[0].status, rows[0].version)]


def test_open_on_a_url_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = subprocess.run(
        [*STANDUP, "migrate", f"postgresql://nobody@127.0.0.1:{port}/none"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 1
    assert done.stderr.startswith("standup: ") and "cannot reach the server" in done.stderr
    assert done.stderr.count("\n") == 1


def test_panels_read_postgres_through_duckdb_read_only(demo_store: Store, pg_url: str) -> None:
    """Same data, same dashboard: the panels' DuckDB SQL on the team database."""
    from standup import panels
    from standup.config import Config
    from standup.team import scan

    pg = PgStore(pg_url)
    push(demo_store, pg)
    config = Config()
    on_file = panels.refresh_all(demo_store, AS_OF, config)
    on_pg = panels.refresh_all(pg, AS_OF, config)
    # Both read their stored facts: the file's own, the server's kept by its triggers.
    assert on_file.pipeline.summarized and on_pg.pipeline.summarized
    assert on_file.stalled.stored and on_pg.stalled.stored
    how = {"summarized", "stored"}  # whether stored facts were read, not what they say
    for name in panels.PANELS:
        got, want = getattr(on_pg, name), getattr(on_file, name)
        assert got.model_dump(exclude=how) == want.model_dump(exclude=how), name
    # The scanner came from its wheel, and the attachment is read-only.
    assert scan.extension_path().is_file()
    before = _pg_rows(pg_url, "SELECT sum(version) FROM disputes")
    with pg.reading() as conn, pytest.raises(duckdb.Error):
        conn.execute("UPDATE disputes SET version = version + 1")
    assert _pg_rows(pg_url, "SELECT sum(version) FROM disputes") == before


def test_a_read_only_session_never_writes_to_the_team_database(pg_demo_url: str) -> None:
    """--read-only (and every serve viewer) on a URL: refused before Postgres is asked."""
    from standup.cli import open_store
    from standup.config import Config
    from standup.errors import ReadOnlyStore

    store = open_store(pg_demo_url, Config(), read_only=True)
    assert isinstance(store, PgStore) and store.read_only
    writer = PgStore(pg_demo_url)
    assert writer.as_read_only().read_only and writer.as_read_only().url == pg_demo_url
    rows = triage.queue(store, AS_OF)
    before = _pg_rows(pg_demo_url, "SELECT count(*), sum(version) FROM disputes")
    with pytest.raises(ReadOnlyStore):
        triage.accept(
            store, [triage.Target(rows[0].dispute_id, rows[0].version)], now=AS_OF, actor="ro"
        )
    with pytest.raises(ReadOnlyStore):
        store.migrate()
    assert _pg_rows(pg_demo_url, "SELECT count(*), sum(version) FROM disputes") == before


def _backfill(sql: str) -> str:
    """The backfill statement of a migration 010 (its UPDATE, to the end)."""
    return sql[sql.index("UPDATE leads SET") :]


def test_pg_010_backfills_reached_stage_as_the_duckdb_migration_does(
    demo_store: Store, pg_url: str, tmp_path: Path
) -> None:
    """Migration 010's backfill, run by each engine on the same leads, deals and moves."""
    push(demo_store, PgStore(pg_url))
    duck_sql = next(sql for v, _, sql in queries.migrations() if v == 10)
    pg_sql = next(sql for v, _, sql in pg_migrations() if v == 10)
    cleared = "UPDATE leads SET reached_stage = NULL, sql_at = NULL, opportunity_at = NULL, "
    cleared += "customer_at = NULL"
    picked = (
        "SELECT lead_id, reached_stage, sql_at, opportunity_at, customer_at "
        "FROM leads ORDER BY lead_id"
    )
    copy = tmp_path / "backfill.duckdb"
    copy.write_bytes(Path(demo_store.path).read_bytes())
    with duckdb.connect(str(copy)) as duck:
        duck.execute(cleared)
        duck.execute(_backfill(duck_sql))
        want = duck.execute(picked).fetchall()
    with psycopg.connect(pg_url) as conn:
        conn.execute(cleared)  # type: ignore[arg-type]
        conn.execute(_backfill(pg_sql))  # type: ignore[arg-type]
        got = conn.execute(picked).fetchall()  # type: ignore[arg-type]
    assert got == want
    # Not a comparison of NULLs: the demo has leads along the whole path.
    assert {r[1] for r in want} >= {"inquiry", "mql", "sal", "sql", "opportunity", "customer"}
    assert any(r[2] for r in want) and any(r[4] for r in want)
