"""The write hold (DESIGN: write_hold_seconds), with real processes on a real file.

A writer keeps its read-write attachment for the hold after its last write, so a burst
skips the attach; another process gets in once it has been idle that long; a writer
killed while holding leaves every committed write and nothing half-applied.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from standup.errors import DatabaseLocked
from standup.store import RetryPolicy, Store

HOLD = 1.5

WRITER = textwrap.dedent(
    """
    import sys, time
    from standup.store import Store
    store = Store.open(sys.argv[1])
    store.write_hold_seconds = float(sys.argv[2])
    for n in range(5):  # a burst: one transaction each
        with store.writing(checkpoint=False) as conn:
            conn.execute("INSERT INTO probe VALUES (?)", [n])
    print("burst done", flush=True)
    if sys.argv[3] == "half":
        with store.writing() as conn:
            conn.execute("INSERT INTO probe VALUES (99)")
            print("mid transaction", flush=True)
            time.sleep(60)
    time.sleep(60)
    """
)


@pytest.fixture
def probe_db(tmp_path: Path) -> Path:
    store = Store.create(tmp_path / "hold.duckdb")
    with store.writing() as conn:
        conn.execute("CREATE TABLE probe (n INTEGER)")
    return store.path


def _start(db: Path, hold: float, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(hold), mode],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "burst done"
    return proc


def _numbers(db: Path) -> list[int]:
    store = Store(db, RetryPolicy(timeout=20))
    return sorted(r[0] for r in store.fetch_with(lambda c: c.execute("FROM probe").fetchall()))


def test_another_process_gets_in_once_the_writer_idles(probe_db: Path) -> None:
    proc = _start(probe_db, HOLD, "idle")
    try:
        idle_since = time.monotonic()
        # Right after the burst the writer still holds the file...
        blocked = Store(probe_db, RetryPolicy(timeout=0.2))
        with pytest.raises(DatabaseLocked), blocked.writing() as conn:
            conn.execute("INSERT INTO probe VALUES (-1)")
        # ...and lets go after HOLD seconds of idle, while it keeps running.
        with Store(probe_db, RetryPolicy(timeout=15)).writing() as conn:
            conn.execute("INSERT INTO probe VALUES (100)")
        waited = time.monotonic() - idle_since
        assert proc.poll() is None
        assert waited <= HOLD + 2.0, waited
    finally:
        proc.kill()
        proc.wait()
    assert _numbers(probe_db) == [0, 1, 2, 3, 4, 100]


def test_no_hold_lets_go_after_each_write(probe_db: Path) -> None:
    proc = _start(probe_db, 0.0, "idle")
    try:
        with Store(probe_db, RetryPolicy(timeout=0.5)).writing() as conn:
            conn.execute("INSERT INTO probe VALUES (100)")
    finally:
        proc.kill()
        proc.wait()
    assert _numbers(probe_db) == [0, 1, 2, 3, 4, 100]


def test_kill_9_while_holding_loses_nothing_committed(probe_db: Path) -> None:
    proc = _start(probe_db, 30.0, "half")  # a hold far longer than the test
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "mid transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # The burst committed (in the WAL, never checkpointed); the open transaction did not.
    assert _numbers(probe_db) == [0, 1, 2, 3, 4]


def test_units_in_one_process_share_the_hold(probe_db: Path) -> None:
    store = Store(probe_db)
    store.write_hold_seconds = 30.0
    reader = store.as_read_only()  # another Store on the same file, as a session has
    try:
        with store.writing(checkpoint=False) as conn:
            conn.execute("INSERT INTO probe VALUES (7)")
        # a read-only view reads through the held attachment instead of failing on it
        assert (
            reader.fetch_with(lambda c: c.execute("SELECT count(*) FROM probe").fetchone())[0] == 1
        )
        # a private instance (the ad-hoc SQL engine's) makes the hold let go first
        with reader.reading(isolated=True) as conn:
            assert conn.execute("SELECT max(n) FROM probe").fetchone()[0] == 7
    finally:
        from standup import write_hold

        write_hold.release(store.path)
