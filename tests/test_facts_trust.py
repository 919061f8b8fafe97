"""Issue 13: the stored dashboard facts never disagree with the tables, whoever wrote them.

The facts are trusted only while the fingerprints stored with them (fact_sources) add up
to the tables' own. These tests write the way other tools do (plain SQL, from another
process, keeping row counts and updated_at as they were) and check the facts are no
longer trusted, and that the app shows the true numbers.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from rich.console import Console

from screens.app import StandupApp
from screens.widgets.dashboard_panels import PipelineBars, PipelinePanel, StalledPanel
from standup import facts, panels
from standup.clock import Clock
from standup.config import Config
from standup.errors import ReadOnlyStore
from standup.fmt import compact
from standup.store import RetryPolicy, Store, file_position
from tests.conftest import AS_OF
from tests.test_dashboard_ui import loaded, make_app, wait_for

# The write from the issue, by another process with DuckDB's own client: 500 leads become
# MQLs; no row count changes, updated_at stays.
FOREIGN_MQLS = """
import sys, time, duckdb
for _ in range(500):
    try:
        conn = duckdb.connect(sys.argv[1])
        break
    except duckdb.IOException:
        time.sleep(0.02)
conn.execute(
    "UPDATE leads SET stage = 'mql' WHERE rowid IN "
    "(SELECT rowid FROM leads WHERE stage <> 'mql' LIMIT 500)"
)
conn.close()
"""


def foreign_mqls(path: Path) -> None:
    subprocess.run([sys.executable, "-c", FOREIGN_MQLS, str(path)], check=True, timeout=120)


def mql_count(path: Path) -> int:
    """Counted straight from the table, by another connection (not through the facts)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        row = conn.execute("SELECT count(*) FROM leads WHERE stage = 'mql'").fetchone()
    assert row is not None
    return int(row[0])


def usable(store: Store) -> bool:
    with store.reading() as conn:
        return facts.usable(conn, Config())


def pipeline_mqls(store: Store) -> int:
    with store.reading() as conn:
        pipe = panels.pipeline(conn, AS_OF, Config())
    return next(row.leads for row in pipe.stages if row.stage == "mql")


def test_a_foreign_update_that_keeps_counts_and_updated_at_is_seen(demo_store: Store) -> None:
    assert usable(demo_store)  # the demo stamps its facts
    before = mql_count(demo_store.path)
    assert pipeline_mqls(demo_store) == before
    foreign_mqls(demo_store.path)
    after = mql_count(demo_store.path)
    assert after == before + 500
    assert not usable(demo_store)
    assert pipeline_mqls(demo_store) == after


def test_position_moves_with_every_commit_and_never_with_a_read(demo_store: Store) -> None:
    path = demo_store.path
    start = file_position(path)
    with demo_store.reading() as conn:
        conn.execute("SELECT count(*) FROM leads").fetchall()
    assert file_position(path) == start
    with demo_store.writing(checkpoint=False) as conn:  # a commit into the WAL
        conn.execute("UPDATE leads SET score = coalesce(score, 0) + 1 WHERE lead_id = 1")
    in_wal = file_position(path)
    assert in_wal != start
    with demo_store.writing(checkpoint=False) as conn:  # the WAL grows
        conn.execute("UPDATE leads SET score = coalesce(score, 0) + 1 WHERE lead_id = 2")
    assert file_position(path) not in (start, in_wal)
    demo_store.checkpoint()  # folded in: a new header iteration, no WAL
    folded = file_position(path)
    assert folded.wal is None and folded not in (start, in_wal)
    foreign_mqls(path)
    assert file_position(path) != folded


def _pair(
    conn: duckdb.DuckDBPyConnection, table: str, key: str, column: str
) -> tuple[int, int] | None:
    """Two rows whose ``column`` differs (None when all rows agree)."""
    pair = conn.execute(
        f"SELECT a.{key}, b.{key} FROM {table} a, {table} b "
        f"WHERE a.{column} IS DISTINCT FROM b.{column} AND a.{key} < b.{key} "
        "ORDER BY a.{key}, b.{key} LIMIT 1".replace("{key}", key)
    ).fetchone()
    return (int(pair[0]), int(pair[1])) if pair else None


def _swap(
    conn: duckdb.DuckDBPyConnection, table: str, key: str, column: str, pair: tuple[int, int]
) -> None:
    """Swap ``column`` between two rows (a change that keeps every constraint and count)."""
    a, b = pair
    conn.execute(
        f"UPDATE {table} SET {column} = CASE {key} WHEN {a} THEN "
        f"(SELECT {column} FROM {table} WHERE {key} = {b}) ELSE "
        f"(SELECT {column} FROM {table} WHERE {key} = {a}) END WHERE {key} IN ({a}, {b})"
    )


def _facts_differ(conn: duckdb.DuckDBPyConnection) -> int:
    """lead_facts rows that differ from the facts computed live now (facts/out_of_step
    without the fingerprints)."""
    sla = facts.sla_params(Config().sla)
    row = facts._run(conn, "facts/out_of_step", sla, None).fetchone()
    assert row is not None
    return int(row[0])


KEYS = {"leads": "lead_id", "deals": "deal_id", "disputes": "dispute_id"}


@pytest.mark.parametrize("table", list(KEYS))
def test_no_change_to_the_facts_goes_unseen(demo_store: Store, table: str) -> None:
    """Every column of the three tables the facts come from, changed by plain SQL (not
    keeping the facts in step): whenever the live facts differ from the stored ones, the
    stored ones are no longer trusted. A column someone adds to facts/live.sql but not to
    facts/source_rows.sql fails here."""
    key = KEYS[table]
    with demo_store.reading() as conn:
        columns = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $t",
                {"t": table},
            ).fetchall()
        ]
    changed_facts = []
    for column in columns:
        if column == key:
            continue
        with demo_store.writing() as conn:
            pair = _pair(conn, table, key, column)
            if pair is None:
                continue
            _swap(conn, table, key, column, pair)
        with demo_store.reading() as conn:
            differ = _facts_differ(conn)
            trusted = facts.usable(conn, Config())
        if differ:
            changed_facts.append(column)
            assert not trusted, f"{table}.{column}: the facts changed but were still trusted"
        with demo_store.writing() as conn:  # swap back: the same content, trusted again
            _swap(conn, table, key, column, pair)
        assert usable(demo_store), f"{table}.{column}: swapped back, yet not trusted"
    # the check above did run on columns that matter
    assert ("status" if table == "disputes" else "stage") in changed_facts


def test_own_in_step_writes_stay_trusted_without_a_rescan(demo_store: Store) -> None:
    """A writer of this process that keeps the facts in step carries the verdict along
    (no fingerprint scan); one that does not is checked again."""
    assert usable(demo_store)
    with demo_store.writing(checkpoint=False) as conn:
        conn.execute("UPDATE leads SET stage = 'sal' WHERE lead_id = 3")
        facts.refresh_leads(conn, [3])
    with demo_store.reading() as conn:
        assert facts._seen[demo_store.path][0] == file_position(demo_store.path)
        assert facts.usable(conn, Config()) and facts.out_of_step(conn) == 0
    with demo_store.writing(checkpoint=False) as conn:  # plain SQL in our own process
        conn.execute("UPDATE leads SET stage = 'mql' WHERE lead_id = 4")
    assert not usable(demo_store)


def _pipeline_text(panel: PipelinePanel) -> str:
    """The panel's bars as drawn from the data it holds, as plain text."""
    console = Console(width=80, record=True, color_system=None, file=io.StringIO())
    console.print(PipelineBars(panel.data))
    return console.export_text()


def _mql_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith("MQL"))


async def test_dashboard_shows_the_mqls_another_process_made(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await loaded(pilot, app)
        pipeline = app.screen.query_one(PipelinePanel)
        before = mql_count(demo_store.path)
        assert compact(before) in _mql_line(_pipeline_text(pipeline))
        foreign_mqls(demo_store.path)
        expected = mql_count(demo_store.path)
        assert compact(expected) != compact(before)

        def shows_expected() -> bool:
            data = pipeline.data
            mqls = next(r.leads for r in data.pipeline.stages if r.stage == "mql")
            return mqls == expected and compact(expected) in _mql_line(_pipeline_text(pipeline))

        # the file watcher (or the timer) refreshes by itself
        await wait_for(pilot, shows_expected, timeout=30)


async def test_read_only_app_never_writes_even_after_a_foreign_write(demo_store: Store) -> None:
    """The issue's case: a read-only session (what every `standup serve` viewer runs) used
    to restamp the facts after a foreign write. Now it computes them live, in memory."""
    path = demo_store.path
    fast = RetryPolicy(timeout=0.2, first_delay=0.01, max_delay=0.05)
    config = Config(refresh_seconds=3600.0, lock_timeout_seconds=0.2)
    app = StandupApp(store=Store(path, fast, read_only=True), config=config, clock=Clock(AS_OF))
    async with app.run_test(size=(160, 45)) as pilot:
        await loaded(pilot, app)
        pipeline = app.screen.query_one(PipelinePanel)
        stalled = app.screen.query_one(StalledPanel)
        foreign_mqls(path)  # the stored facts are now out of step: a read-write app restamps
        expected = mql_count(path)
        digest = _sha256(path)
        await wait_for(pilot, lambda: _mqls(pipeline) == expected, timeout=30)
        for _ in range(2):  # and refreshes again, on the same position
            count = stalled.fetch_count
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda c=count: stalled.fetch_count > c)
        await pilot.pause(0.5)
        assert stalled.restamps == 0 and not stalled.data.stored
        assert _mqls(pipeline) == expected
    assert _sha256(path) == digest
    assert not Path(f"{path}.wal").exists()


def _mqls(panel: PipelinePanel) -> int | None:
    data = panel.data
    return None if data is None else next(r.leads for r in data.pipeline.stages if r.stage == "mql")


def test_a_read_only_store_refuses_every_write(demo_store: Store) -> None:
    store = Store.open(demo_store.path, read_only=True)
    digest = _sha256(store.path)
    with pytest.raises(ReadOnlyStore), store.writing():
        raise AssertionError("never reached")
    with pytest.raises(ReadOnlyStore):
        store.checkpoint()
    with pytest.raises(ReadOnlyStore):
        facts.restamp(store, Config(), AS_OF)
    with store.reading() as conn:  # reading is fine
        assert conn.execute("SELECT count(*) FROM leads").fetchone() == (2000,)
    assert _sha256(store.path) == digest


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_flags_make_a_read_only_store(demo_store: Store) -> None:
    """`standup open --read-only` (and `serve`'s viewers) get a store that refuses writes;
    so does an app told read_only=True on a read-write store."""
    from standup.cli import open_store

    assert open_store(str(demo_store.path), Config(), read_only=True).read_only
    assert not open_store(str(demo_store.path), Config()).read_only
    app = StandupApp(store=demo_store, read_only=True)
    assert app.session.store.read_only and app.session.read_only


def test_a_verdict_seen_inside_a_write_is_not_kept_past_its_rollback(demo_store: Store) -> None:
    assert usable(demo_store)
    with pytest.raises(RuntimeError, match="roll back"), demo_store.writing() as conn:
        conn.execute(
            "UPDATE leads SET stage = CASE stage WHEN 'mql' THEN 'sal' ELSE 'mql' END"
            " WHERE lead_id = 5"
        )
        assert not facts.usable(conn, Config())  # its own uncommitted change
        raise RuntimeError("roll back")
    assert usable(demo_store)  # the file never changed: still in step
