"""The store: opening, refusing bad files, migrations, locking across processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from standup.errors import DatabaseLocked, DatabaseMissing, NotADatabase, QueryError, SchemaTooNew
from standup.store import RetryPolicy, Store, run, run_for_ids, schema_version


def test_create_applies_every_migration(empty_store: Store) -> None:
    assert empty_store.file_schema_version() == schema_version()
    codes = empty_store.fetch_with(
        lambda c: c.execute("SELECT count(*) FROM reason_codes").fetchone()[0]
    )
    assert codes > 0


def test_missing_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nope.duckdb"
    with pytest.raises(DatabaseMissing, match="no such database"):
        Store.open(path)
    assert not path.exists()


@pytest.mark.parametrize("content", [b"", b"lead,stage\n1,mql\n", b"\x00" * 4096])
def test_non_duckdb_file_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(content)
    with pytest.raises(NotADatabase, match="not a DuckDB database file"):
        Store.open(path)
    assert path.read_bytes() == content
    assert not Path(f"{path}.wal").exists()


def test_foreign_duckdb_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE mine AS SELECT 42 AS answer")
    before = path.read_bytes()
    with pytest.raises(NotADatabase, match="not a standup database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        conn.execute("INSERT INTO schema_version (version, name) VALUES (999, 'future')")
    with pytest.raises(SchemaTooNew, match="999 is newer"):
        Store.open(empty_store.path)


def test_write_rolls_back_on_error(empty_store: Store) -> None:
    with pytest.raises(RuntimeError), empty_store.writing() as conn:
        conn.execute("DELETE FROM reason_codes")
        raise RuntimeError("boom")
    count = empty_store.fetch_with(
        lambda c: c.execute("SELECT count(*) FROM reason_codes").fetchone()[0]
    )
    assert count > 0


def test_bad_statement_names_the_query_file(empty_store: Store, tmp_path: Path) -> None:
    with empty_store.reading() as conn, pytest.raises(QueryError, match=r"demo/08_targets\.sql"):
        run(conn, "demo/08_targets")  # uses variables that are not set here


def test_connections_are_closed_between_units_of_work(empty_store: Store) -> None:
    empty_store.fetch_with(lambda c: c.execute("SELECT 1").fetchall())
    # If the store still held the file, another process could not open it read-write.
    code = f"import duckdb; duckdb.connect({str(empty_store.path)!r}).close()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    code = textwrap.dedent(
        f"""
        import duckdb, sys, time
        conn = duckdb.connect({str(path)!r})
        print("locked", flush=True)
        time.sleep({seconds})
        conn.close()
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_held_by_another_process_is_retried_until_free(empty_store: Store) -> None:
    holder = _hold_lock(empty_store.path, 0.8)
    try:
        store = Store(empty_store.path, RetryPolicy(timeout=20))
        started = time.monotonic()
        with store.writing() as conn:
            conn.execute("UPDATE reason_codes SET active = false WHERE code = 'student'")
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert waited >= 0.3  # it really waited for the other process
    active = store.fetch_with(
        lambda c: c.execute("SELECT active FROM reason_codes WHERE code = 'student'").fetchone()[0]
    )
    assert active is False


def test_lock_held_too_long_raises_typed_error(empty_store: Store) -> None:
    holder = _hold_lock(empty_store.path, 5)
    try:
        store = Store(empty_store.path, RetryPolicy(timeout=0.5))
        with pytest.raises(DatabaseLocked, match="locked by another process"):
            store.fetch_with(lambda c: c.execute("SELECT 1").fetchall())
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_run_for_ids_looks_up_a_literal_id_list(demo_store: Store) -> None:
    with demo_store.reading() as conn:
        disputed = sorted(
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT lead_id FROM disputes WHERE status = 'open' LIMIT 3"
            ).fetchall()
        )
        rows = run_for_ids(conn, "panels/dispute_labels", None, disputed[::-1]).fetchall()
        assert sorted(r[0] for r in rows) == disputed
        assert run_for_ids(conn, "panels/dispute_labels", None, []).fetchall() == []
        # ids are coerced to int: nothing else can reach the SQL text
        with pytest.raises(ValueError):
            run_for_ids(conn, "panels/dispute_labels", None, ["1); DROP TABLE leads; --"])  # type: ignore[list-item]
