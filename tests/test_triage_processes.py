"""Triage against real processes on a real file: kill -9 mid-action, two writers racing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from standup import facts, panels, triage
from standup.config import Config
from standup.store import Store
from tests.conftest import AS_OF

ROOT = Path(__file__).resolve().parents[1]


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.triage_worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_lines(proc: subprocess.Popen[str], into: list[str]) -> threading.Thread:
    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            into.append(line.strip())

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def _wait_for(lines: list[str], text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in lines:
        assert time.monotonic() < deadline, f"child never said {text}: {lines[-3:]}"
        time.sleep(0.01)


def test_kill_9_never_loses_or_half_applies_an_action(demo_store: Store) -> None:
    rng = random.Random(11)
    acked: set[int] = set()
    opened: set[int] = set()
    rounds = 6
    for round_no in range(rounds):
        proc = _spawn("crash", str(demo_store.path), str(round_no))
        lines: list[str] = []
        reader = _read_lines(proc, lines)
        _wait_for(lines, "READY")
        # After the first acknowledged action (a loaded machine may be slow to get there),
        # kill at a random moment: most likely in the middle of the next action.
        deadline = time.monotonic() + 60
        while not any(line.startswith(("ACK", "OPENED")) for line in lines):
            assert time.monotonic() < deadline, "the child never acknowledged an action"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 1.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join(timeout=5)
        round_acks = [line for line in lines if line.startswith("ACK")]
        for line in round_acks:
            acked.update(int(x) for x in line.split()[1:])
        opened.update(int(line.split()[1]) for line in lines if line.startswith("OPENED"))
        # The file opens cleanly, every acknowledged event is there, nothing is half-applied.
        store = Store.open(demo_store.path)
        found = store.fetch_with(
            lambda c: {
                r[0]
                for r in c.execute(
                    "SELECT event_id FROM dispute_events WHERE after_state IS NOT NULL"
                ).fetchall()
            }
        )
        assert acked <= found, f"lost acknowledged events {sorted(acked - found)[:5]}"
        disputes = store.fetch_with(
            lambda c: {r[0] for r in c.execute("SELECT dispute_id FROM disputes").fetchall()}
        )
        assert opened <= disputes, f"lost opened disputes {sorted(opened - disputes)[:5]}"
        assert triage.replay_problems(store) == []
        orphans = store.fetch_with(
            lambda c: c.execute(
                "SELECT count(*) FROM stage_history h WHERE source = 'triage' AND NOT EXISTS"
                " (SELECT 1 FROM dispute_events e WHERE e.event_id = h.event_id)"
            ).fetchone()[0]
        )
        assert orphans == 0
    # Stage moves by triage match their events one to one.
    moves = Store.open(demo_store.path).fetch_with(
        lambda c: c.execute(
            "SELECT count(*) FROM dispute_events e WHERE after_state IS NOT NULL AND"
            " json_extract_string(before_state, '$.lead.stage')"
            " <> json_extract_string(after_state, '$.lead.stage')"
            " AND NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.event_id = e.event_id)"
        ).fetchone()[0]
    )
    assert moves == 0
    assert len(acked) + len(opened) > rounds


def test_a_crash_between_the_decision_and_its_facts_keeps_the_decision_and_the_truth(
    demo_store: Store,
) -> None:
    """The screen's writer commits a decision, says so, then refreshes the dashboard facts
    in a second transaction (standup.triage.work.keep_facts). Killed in between: the
    decision is there, the stale facts are not trusted, and the panels show the truth."""
    config = Config()
    row = next(r for r in triage.queue(demo_store, AS_OF) if r.stage == "mql")
    with demo_store.reading() as conn:
        assert facts.usable(conn, config)
    proc = _spawn("gap", str(demo_store.path), str(row.dispute_id), str(row.version))
    lines: list[str] = []
    reader = _read_lines(proc, lines)
    deadline = time.monotonic() + 60
    while not any(line.startswith("COMMITTED") for line in lines):
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the child never committed"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(timeout=5)
    event_id = int(lines[-1].split()[1])

    store = Store.open(demo_store.path)
    facts.forget_checks()  # as a fresh process: nothing checked yet
    decided = store.fetch_with(
        lambda c: c.execute(
            "SELECT d.status, l.stage FROM dispute_events e JOIN disputes d USING (dispute_id)"
            " JOIN leads l ON l.lead_id = d.lead_id WHERE e.event_id = $e",
            {"e": event_id},
        ).fetchone()
    )
    assert decided == ("resolved", "sal")
    with store.reading() as conn:
        assert not facts.usable(conn, config)  # the fingerprints no longer add up
        live = panels.compute_all(conn, AS_OF, config)
        shown = _figures(live)
        by_stage = dict(conn.execute("SELECT stage, count(*) FROM leads GROUP BY ALL").fetchall())
    # Counted from the tables themselves, the lead already in its new stage.
    assert not live.pipeline.summarized and not live.stalled.stored  # computed live
    assert {s["stage"]: s["leads"] for s in shown["pipeline"]["stages"]} == {
        s["stage"]: by_stage.get(s["stage"], 0) for s in shown["pipeline"]["stages"]
    }
    facts.restamp(store, config, AS_OF)
    with store.reading() as conn:
        assert facts.usable(conn, config) and facts.out_of_step(conn) == 0
        restamped = panels.compute_all(conn, AS_OF, config)
    assert restamped.pipeline.summarized and restamped.stalled.stored
    assert _figures(restamped) == shown


def _figures(board: panels.Dashboard) -> dict[str, Any]:
    """What the panels show: without the query timings and whether facts were stored."""
    figures = board.model_dump(exclude={"now", "seconds", "timings"})
    del figures["pipeline"]["summarized"], figures["stalled"]["stored"]
    return figures


def test_two_processes_same_dispute_exactly_one_wins(demo_store: Store, tmp_path: Path) -> None:
    rows = triage.queue(demo_store, AS_OF)[:3]
    for n, row in enumerate(rows):
        go = tmp_path / f"go{n}"
        procs = [
            _spawn("race", str(demo_store.path), str(row.dispute_id), str(row.version), str(go))
            for _ in range(2)
        ]
        outputs: list[list[str]] = [[], []]
        readers = [_read_lines(p, out) for p, out in zip(procs, outputs, strict=True)]
        for out in outputs:
            _wait_for(out, "READY")
        go.touch()
        for proc, reader in zip(procs, readers, strict=True):
            assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
            reader.join(timeout=5)
        results = sorted(out[-1].split()[0] for out in outputs)
        assert results == ["CONFLICT", "WON"]
        decided = demo_store.fetch_with(
            lambda c, i=row.dispute_id: c.execute(
                "SELECT count(*) FROM dispute_events WHERE dispute_id = $i AND action = 'accept'",
                {"i": i},
            ).fetchone()[0]
        )
        assert decided == 1
    assert triage.replay_problems(demo_store) == []
