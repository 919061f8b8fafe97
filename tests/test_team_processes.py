"""Team mode with real processes on one PostgreSQL: concurrent triage, and kill -9.

Three processes triage the same few disputes at the top of the queue at once. Every
outcome each one reports is checked against the database: nothing it was told was
committed is missing, nothing is there that nobody was told, no event twice, every
attempt accounted for (committed, conflict or refused), and the audit trail replays to
the final state. A client killed mid-transaction leaves nothing half-applied.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from standup import facts, triage
from standup.team.pgstore import PgStore
from standup.triage import Target
from tests.conftest import AS_OF

ROOT = Path(__file__).resolve().parent.parent
WORKER = [sys.executable, "-m", "tests.team_worker"]


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*WORKER, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _line(proc: subprocess.Popen[str]) -> dict[str, Any]:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line, proc.stderr.read() if proc.stderr else "worker died"
    result: dict[str, Any] = json.loads(line)
    return result


def _pg(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


@pytest.mark.slow
def test_three_processes_on_one_queue_lose_nothing(pg_demo_url: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    count = 40
    names = ["ana", "ben", "cho"]
    procs = [
        _spawn("storm", pg_demo_url, n, str(i), str(count), str(go)) for i, n in enumerate(names)
    ]
    for proc in procs:
        assert "ready" in _line(proc)
    go.touch()
    reports: dict[str, list[dict[str, Any]]] = {}
    for name, proc in zip(names, procs, strict=True):
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        reports[name] = [json.loads(line) for line in out.splitlines()]

    all_acked: list[int] = []
    conflicts = 0
    for name, lines in reports.items():
        # Every attempt got exactly one answer.
        assert [r["attempt"] for r in lines] == list(range(count)), name
        acked = [e for r in lines if r["result"] == "ok" for e in r["event_ids"]]
        stored = [
            r[0]
            for r in _pg(
                pg_demo_url,
                f"SELECT event_id FROM dispute_events WHERE actor = '{name}' AND action <> 'open' "
                "ORDER BY event_id",
            )
        ]
        # No decision lost, none the worker was not told about.
        assert sorted(acked) == stored, name
        opened = sum(r["result"] == "opened" for r in lines)
        stored_opens = _pg(
            pg_demo_url,
            f"SELECT count(*) FROM dispute_events WHERE actor = '{name}' AND action = 'open'",
        )[0][0]
        assert opened == stored_opens, name
        all_acked += acked
        conflicts += sum(r["result"] == "conflict" for r in lines)
        assert all(r["message"] for r in lines if r["result"] in ("conflict", "refused"))
    # None applied twice.
    assert len(all_acked) == len(set(all_acked))
    # The workers really collided, and were told so.
    assert conflicts > 0
    # Each committed decision bumped its dispute's version exactly once: the sum of the
    # versions is the number of version-bumping events plus one per dispute.
    bumps = _pg(pg_demo_url, "SELECT count(*) FROM dispute_events WHERE action <> 'open'")[0][0]
    versions = _pg(pg_demo_url, "SELECT sum(version - 1) FROM disputes")[0][0]
    assert versions == bumps
    # The audit replays to the final state.
    assert triage.replay_problems(PgStore(pg_demo_url)) == []
    # the server's triggers kept the dashboard facts true through every commit
    assert PgStore(pg_demo_url).fetch_with(facts.out_of_step) == 0


@pytest.mark.slow
def test_kill_9_mid_transaction_applies_nothing(pg_demo_url: str) -> None:
    store = PgStore(pg_demo_url)
    row = triage.queue(store, AS_OF)[0]
    events_before = _pg(pg_demo_url, "SELECT count(*) FROM dispute_events")[0][0]
    history_before = _pg(pg_demo_url, "SELECT count(*) FROM stage_history")[0][0]
    proc = _spawn("hold", pg_demo_url, str(row.dispute_id), str(row.version))
    assert _line(proc) == {"holding": True}  # written, not committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert _pg(pg_demo_url, "SELECT count(*) FROM dispute_events")[0][0] == events_before
    assert _pg(pg_demo_url, "SELECT count(*) FROM stage_history")[0][0] == history_before
    state = _pg(
        pg_demo_url,
        f"SELECT d.status, d.version, l.stage FROM disputes d JOIN leads l USING (lead_id) "
        f"WHERE d.dispute_id = {row.dispute_id}",
    )
    assert state == [(row.status, row.version, row.stage)]
    # The dead client's row locks went with it: another client decides at once.
    started = time.monotonic()
    done = triage.accept(store, [Target(row.dispute_id, row.version)], now=AS_OF, actor="next")
    assert done.rows[0].status == "resolved"
    assert time.monotonic() - started < 5
    assert triage.replay_problems(store) == []


@pytest.mark.slow
def test_kill_9_at_random_keeps_every_acked_action(pg_demo_url: str) -> None:
    acked: list[int] = []
    for seed in (1, 2, 3):
        proc = _spawn("crash", pg_demo_url, str(seed))
        assert "ready" in _line(proc)
        deadline = time.monotonic() + 0.4 + 0.3 * seed
        while time.monotonic() < deadline:
            acked += _line(proc).get("ack", [])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        stored = {
            r[0]
            for r in _pg(
                pg_demo_url,
                "SELECT event_id FROM dispute_events WHERE actor = 'crash' AND action <> 'open'",
            )
        }
        # Every acknowledged action is there (one more may have committed unacknowledged).
        assert set(acked) <= stored
        assert len(stored - set(acked)) <= seed
        assert triage.replay_problems(PgStore(pg_demo_url)) == []
    # the server's triggers kept the dashboard facts true through every commit
    assert PgStore(pg_demo_url).fetch_with(facts.out_of_step) == 0
