"""The store: opening, refusing bad files, migrations, locking across processes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from standup.errors import DatabaseLocked, DatabaseMissing, NotADatabase, QueryError, SchemaTooNew
from standup.importing import import_files, load_mapping
from standup.store import RetryPolicy, Store, run, run_for_ids, schema_version
from tests.conftest import AS_OF


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


# -- the shared host instance: files attached per unit of work ---------------------------


def _other_process_opens(path: Path, read_only: bool = False) -> bool:
    """Can a separate process open ``path`` right now (read-write unless ``read_only``)?"""
    code = textwrap.dedent(
        f"""
        import duckdb
        try:
            duckdb.connect({str(path)!r}, read_only={read_only}).close()
        except duckdb.IOException as exc:
            assert "lock" in str(exc), exc
            print("locked")
        else:
            print("opened")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip() == "opened"


def test_file_lock_is_held_only_during_the_unit_of_work(empty_store: Store) -> None:
    path = empty_store.path
    with empty_store.reading():
        assert not _other_process_opens(path)  # a reader keeps writers out...
        assert _other_process_opens(path, read_only=True)  # ...but not other readers
    assert _other_process_opens(path)
    with empty_store.writing():
        assert not _other_process_opens(path, read_only=True)
    assert _other_process_opens(path)


def _wal_bytes(store: Store) -> int:
    wal = Path(f"{store.path}.wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.mark.parametrize("isolated", [False, True])
def test_writing_checkpoints_after_commit_unless_told_not_to(
    empty_store: Store, isolated: bool
) -> None:
    insert = "INSERT INTO reason_codes SELECT 'x' || code, * EXCLUDE (code) FROM reason_codes"
    with empty_store.writing(checkpoint=False, isolated=isolated) as conn:
        conn.execute(insert)
    assert _wal_bytes(empty_store) > 0  # committed, in the WAL only
    assert _other_process_opens(empty_store.path)  # and the file is let go of all the same
    empty_store.checkpoint()
    assert _wal_bytes(empty_store) == 0
    with empty_store.writing(isolated=isolated) as conn:
        conn.execute("UPDATE reason_codes SET active = NOT active WHERE code LIKE 'x%'")
    assert _wal_bytes(empty_store) == 0
    with empty_store.reading(isolated=isolated) as conn:
        assert conn.execute("SELECT count(*) FROM reason_codes WHERE NOT active").fetchone()


def test_the_shared_instance_spills_to_tmp_and_hands_memory_back(empty_store: Store) -> None:
    with empty_store.reading() as conn:
        spill, background = conn.execute(
            "SELECT current_setting('temp_directory'), "
            "current_setting('allocator_background_threads')"
        ).fetchone()
    assert Path(spill).parent == Path(tempfile.gettempdir())  # not ./.tmp in the cwd
    assert background is True  # freed memory goes back to the OS when idle


def test_catalog_checks_see_only_their_own_file(empty_store: Store, tmp_path: Path) -> None:
    foreign = tmp_path / "other.duckdb"
    with duckdb.connect(str(foreign)) as conn:
        conn.execute("CREATE TABLE mine AS SELECT 42 AS answer")
    fresh = tmp_path / "fresh.duckdb"
    # While a standup file (with its schema_version table) is attached in this process,
    # a foreign file is still not standup's and a new file still gets every migration.
    with empty_store.reading():
        with pytest.raises(NotADatabase, match="not a standup database"):
            Store.open(foreign)
        created = Store.create(fresh)
        assert created.file_schema_version() == schema_version()
    assert Store.open(fresh).fetch_with(
        lambda c: c.execute("SELECT count(*) FROM reason_codes").fetchone()[0]
    )


def _marked(path: Path, mark: int) -> Store:
    store = Store.create(path)
    with store.writing() as conn:
        conn.execute("CREATE TABLE mark AS SELECT $m AS m", {"m": mark})
    return store


def test_different_files_are_attached_at_once_from_threads(tmp_path: Path) -> None:
    stores = [_marked(tmp_path / f"f{i}.duckdb", i) for i in range(4)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(stores))

    def work(i: int, store: Store) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(15):
                if n % 3 == 0:
                    with store.writing(checkpoint=n % 2 == 0) as conn:
                        conn.execute("UPDATE mark SET m = m + 100")
                        conn.execute("UPDATE mark SET m = m - 100")
                with store.reading() as conn:
                    assert conn.execute("SELECT m FROM mark").fetchone() == (i,)
                    # A sequence resolves in the attached file.
                    ids = conn.execute(
                        "SELECT count(*) FROM duckdb_sequences() "
                        "WHERE database_name = current_database()"
                    ).fetchone()
                    assert ids and ids[0] > 0
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    for store in stores:
        assert _other_process_opens(store.path)


def test_a_file_replaced_between_units_of_work_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "live.duckdb"
    store = _marked(path, 1)
    assert store.fetch_with(lambda c: c.execute("SELECT m FROM mark").fetchone()) == (1,)
    _marked(tmp_path / "next.duckdb", 2)
    os.replace(tmp_path / "next.duckdb", path)
    assert store.fetch_with(lambda c: c.execute("SELECT m FROM mark").fetchone()) == (2,)


def test_a_path_with_quotes_and_backslashes(tmp_path: Path) -> None:
    folder = tmp_path / "it's a \\ folder"
    folder.mkdir()
    store = _marked(folder / "o'brien.duckdb", 7)
    assert Store.open(store.path).fetch_with(
        lambda c: c.execute("SELECT m FROM mark").fetchone()
    ) == (7,)


def test_a_corrupt_file_fails_alone(empty_store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(empty_store.path.read_bytes()[:100])  # DuckDB's magic, then nothing
    for _ in range(2):  # and again: nothing was left attached under its name
        with pytest.raises(NotADatabase, match="Could not read enough bytes"):
            Store(broken).fetch_with(lambda c: c.execute("SELECT 1").fetchall())
    assert empty_store.file_schema_version() == schema_version()
    broken.write_bytes(empty_store.path.read_bytes())
    assert Store.open(broken).file_schema_version() == schema_version()


def test_a_unit_of_work_left_in_a_mess_still_lets_go_of_the_file(empty_store: Store) -> None:
    # The caller closed the connection itself...
    with empty_store.reading() as conn:
        conn.close()
    assert _other_process_opens(empty_store.path)
    # ...or left a transaction open on the file (DETACH refuses then).
    with empty_store.reading() as conn:
        conn.execute("BEGIN TRANSACTION")
        conn.execute("SELECT count(*) FROM reason_codes").fetchall()
    assert _other_process_opens(empty_store.path)
    assert empty_store.file_schema_version() == schema_version()


def test_a_file_invalidated_by_a_failed_checkpoint_is_let_go_of(empty_store: Store) -> None:
    # A checkpoint that fails (disk full, I/O error; here DuckDB's own fault injection)
    # makes DuckDB invalidate the attached file and refuse to detach it on that connection.
    try:
        with empty_store.writing() as conn:
            conn.execute("SET debug_checkpoint_abort = 'before_header'")
            conn.execute("UPDATE reason_codes SET active = false WHERE code = 'student'")
        # The write reported success and stands (in the WAL); the file is not left attached.
        assert _wal_bytes(empty_store) > 0
        assert _other_process_opens(empty_store.path)
        active = empty_store.fetch_with(
            lambda c: c.execute("SELECT active FROM reason_codes WHERE code = 'student'").fetchone()
        )
        assert active == (False,)
    finally:
        # An instance-wide knob: it must not outlive this test on the shared host.
        with empty_store.reading() as conn:
            conn.execute("SET debug_checkpoint_abort = 'none'")
    with empty_store.writing() as conn:
        conn.execute("UPDATE reason_codes SET active = true WHERE code = 'student'")
    assert _wal_bytes(empty_store) == 0
    assert _other_process_opens(empty_store.path)


def test_an_import_leaves_no_setting_or_variable_behind(demo_store: Store) -> None:
    # The importer switches preserve_insertion_order (an instance-wide setting unless
    # SET SESSION) and sets variables; none of it may reach the next unit of work.
    contacts = Path(__file__).parent / "fixtures" / "import" / "hubspot_contacts_v2.csv"
    result = import_files(
        demo_store, [str(contacts)], load_mapping("hubspot"), now=AS_OF, skip_invalid=True
    )
    assert result.written
    with demo_store.reading() as conn:
        order = conn.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        assert order == (True,)
        assert conn.execute("SELECT getvariable('imp_now')").fetchone() == (None,)
        temp = "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'temp'"
        assert conn.execute(temp).fetchone() == (0,)
