"""KPI snapshots: record, find the latest before now, deltas; CLI and demo."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from standup import kpis, panels
from standup.config import Config
from standup.store import Store
from tests.conftest import AS_OF


def test_current_kpis_on_the_demo(demo_store: Store) -> None:
    with demo_store.reading() as conn:
        current = kpis.current_kpis(conn, AS_OF, Config())
        board = panels.compute_all(conn, AS_OF, Config())
    assert sum(current[f"leads.{stage}"] for stage in kpis.STAGES) == 2000
    assert current["disputes.open"] == board.disputes.total > 0
    assert 0 < current["disputes.overdue"] <= current["disputes.open"]
    assert current["stalled.leads"] == board.stalled.total
    assert current["revenue.won_quarter"] == board.goal.won
    assert current["revenue.target"] == board.goal.target
    assert current["mqls.new_7d"] > 0


def test_record_and_find_latest_snapshot(empty_store: Store) -> None:
    with empty_store.reading() as conn:
        assert kpis.latest_snapshot_before(conn, AS_OF) is None
    first = kpis.record_snapshot(empty_store, AS_OF - timedelta(days=7), Config(), "last week")
    second = kpis.record_snapshot(empty_store, AS_OF, Config())
    assert second > first
    with empty_store.reading() as conn:
        latest = kpis.latest_snapshot_before(conn, AS_OF)
        earlier = kpis.latest_snapshot_before(conn, AS_OF - timedelta(seconds=1))
        none = kpis.latest_snapshot_before(conn, AS_OF - timedelta(days=8))
    assert latest is not None and latest.standup_id == second  # "at or before" now
    assert earlier is not None and earlier.standup_id == first and earlier.label == "last week"
    assert none is None
    assert earlier.kpis["revenue.target"] == Config().revenue_target


def test_deltas() -> None:
    snap = kpis.Snapshot(standup_id=1, taken_at=AS_OF, label=None, kpis={"a": 3, "b": 1})
    assert kpis.deltas({"a": 5, "c": 9}, snap) == {"a": 2}
    assert kpis.deltas({"a": 5}, None) == {}


def test_snapshot_ignores_non_numbers(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        conn.execute(
            "INSERT INTO standups (taken_at, kpis) VALUES ($t, $k)",
            {"t": AS_OF, "k": json.dumps({"x": 1, "note": "hi"})},
        )
    with empty_store.reading() as conn:
        snap = kpis.latest_snapshot_before(conn, AS_OF)
    assert snap is not None and snap.kpis == {"x": 1.0}


def test_demo_records_last_weeks_standup_from_history(demo_store: Store) -> None:
    with demo_store.reading() as conn:
        snap = kpis.latest_snapshot_before(conn, AS_OF)
        now = kpis.current_kpis(conn, AS_OF, Config())
    assert snap is not None
    assert snap.taken_at == AS_OF - timedelta(days=7)
    # rebuilt from history: a growing business had fewer customers a week ago
    assert snap.kpis["leads.customer"] < now["leads.customer"]
    assert snap.kpis["revenue.won_quarter"] <= now["revenue.won_quarter"]
    assert sum(snap.kpis[f"leads.{s}"] for s in kpis.STAGES) < 2000
    assert "stalled.leads" not in snap.kpis  # cannot be rebuilt, so not pretended


def test_cli_snapshot(demo_store: Store) -> None:
    db = str(demo_store.path)
    done = subprocess.run(
        [sys.executable, "-m", "standup.cli", "snapshot", db, "--label", "Monday",
         "--as-of", "2026-11-23T10:00"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Recorded standup snapshot" in done.stderr
    with demo_store.reading() as conn:
        snap = kpis.latest_snapshot_before(conn, AS_OF + timedelta(hours=1))
    assert snap is not None and snap.label == "Monday"


def test_cli_snapshot_missing_db(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "standup.cli", "snapshot", str(tmp_path / "nope.duckdb")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no such database" in done.stderr


def test_historic_kpis_match_current_at_now(demo_store: Store) -> None:
    """Rebuilt-from-history stage counts equal the live ones when nothing changed since."""
    with demo_store.reading() as conn:
        then = kpis.historic_kpis(conn, AS_OF, Config())
        live = kpis.current_kpis(conn, AS_OF, Config())
    for key in [f"leads.{stage}" for stage in kpis.STAGES] + ["revenue.won_quarter"]:
        assert then[key] == live[key], key
