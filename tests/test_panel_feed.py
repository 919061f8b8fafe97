"""PanelFeed's worker half: every panel on one connection, failures kept per panel."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from typing import ClassVar

from screens.widgets.panel import Panel
from screens.widgets.panel_feed import fetch_all
from standup.errors import DatabaseLocked, QueryError
from standup.store import Connection, RetryPolicy, Store, run
from tests.conftest import AS_OF


class Leads(Panel[int]):
    def fetch_on(self, conn: Connection, now: datetime) -> int:
        row = conn.execute("SELECT count(*) FROM leads WHERE created_at <= $now", {"now": now})
        return int(row.fetchone()[0])  # type: ignore[index]


class Broken(Panel[int]):
    def fetch_on(self, conn: Connection, now: datetime) -> int:
        run(conn, "panels/goal", {"now": now})  # a missing parameter: QueryError
        return 0


class SameConnection(Panel[int]):
    """Records which connection it was given."""

    seen: ClassVar[list[int]] = []

    def fetch_on(self, conn: Connection, now: datetime) -> int:
        self.seen.append(id(conn))
        return 0


def test_every_panel_gets_its_data_and_a_broken_one_only_its_error(demo_store: Store) -> None:
    good, broken, later = Leads(), Broken(), Leads()
    results = fetch_all(demo_store, AS_OF, [good, broken, later])
    assert [r[0] for r in results] == [good, broken, later]
    assert results[0][1] == results[2][1] == 2000 and results[0][2] is None
    assert isinstance(results[1][2], QueryError)


def test_one_connection_for_all_panels(demo_store: Store) -> None:
    a, b = SameConnection(), SameConnection()
    SameConnection.seen = []
    fetch_all(demo_store, AS_OF, [a, b])
    assert len(SameConnection.seen) == 2 and len(set(SameConnection.seen)) == 1


class OwnConnection(Panel[int]):
    """Like a pinned saved query: opens a connection of its own (``fetch``)."""

    OWN_CONNECTION = True

    def __init__(self, source: Store) -> None:
        super().__init__()
        self.source = source  # not mounted: no session to take the store from

    def fetch(self) -> int:
        with self.source.reading() as conn:
            row = conn.execute("SELECT count(*) FROM leads").fetchone()
        return int(row[0])  # type: ignore[index]

    def fetch_on(self, conn: Connection, now: datetime) -> int:
        raise AssertionError("an OWN_CONNECTION panel never gets the shared connection")


def test_own_connection_panels_are_fetched_in_the_same_refresh(demo_store: Store) -> None:
    own, shared = OwnConnection(demo_store), Leads()
    results = fetch_all(demo_store, AS_OF, [own, shared])
    by_panel = {id(panel): (data, error) for panel, data, error in results}
    assert by_panel[id(shared)] == (2000, None)
    assert by_panel[id(own)] == (2000, None)


def test_a_locked_file_fails_every_panel(demo_store: Store) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(demo_store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        store = Store(demo_store.path, RetryPolicy(timeout=0.1, first_delay=0.01, max_delay=0.02))
        results = fetch_all(store, AS_OF, [Leads(), Leads()])
        assert len(results) == 2
        assert all(data is None and isinstance(err, DatabaseLocked) for _, data, err in results)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)


HOLD = """
import sys, duckdb
conn = duckdb.connect(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
conn.close()
"""
