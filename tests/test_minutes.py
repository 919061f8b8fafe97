"""Minutes and the chat summary, from a scripted meeting run through the real triage core."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from standup import triage
from standup.agenda import Agenda
from standup.config import Config
from standup.meeting import save_progress, start_meeting
from standup.redact import Redactor
from standup.report import minutes, summary
from standup.store import Store
from tests.conftest import AS_OF

MIN = timedelta(minutes=1)


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _target(row: triage.QueueRow) -> triage.Target:
    return triage.Target(row.dispute_id, row.version)


def _free_lead(store: Store) -> int:
    """A lead with no live dispute, to open one on."""
    sql = (
        "select lead_id from leads where stage = 'sal' and lead_id not in "
        "(select lead_id from disputes where status <> 'resolved') order by lead_id limit 1"
    )
    return int(store.fetch_with(lambda conn: conn.execute(sql).fetchone()[0]))


@pytest.fixture
def scripted(demo_store: Store) -> tuple[Store, dict[str, object]]:
    """A standup: a note before it (must not appear), then the meeting itself."""
    config = Config()
    queue = triage.queue(demo_store, AS_OF - 60 * MIN)
    before, first, second = queue[0], queue[1], queue[2]
    triage.note(
        demo_store, [_target(before)], now=AS_OF - 60 * MIN, actor="Early Bird", note="pre-meeting"
    )

    clock = FakeClock()
    agenda = Agenda(config.agenda, monotonic=clock)
    meeting = start_meeting(demo_store, AS_OF, config, config.agenda)
    agenda.start()
    clock.t += 200  # Numbers: 3:20 of 3:00
    agenda.next()
    accepted = triage.accept(
        demo_store,
        [_target(first)],
        now=AS_OF + 4 * MIN,
        actor="Dana Driver",
        fault="sales",
        note="They have budget; rep mailed jo.bloggs@initech.example",
    )
    disq = triage.disqualify(
        demo_store,
        [_target(second)],
        now=AS_OF + 6 * MIN,
        actor="Dana Driver",
        fault="marketing",
        reason_code="student",
    )
    clock.t += 240  # Disputes: 4:00 of 5:00
    agenda.next()
    opened = triage.open_dispute(
        demo_store, _free_lead(demo_store), "marketing", "no_follow_up", "no call in 9 days",
        AS_OF + 8 * MIN, actor="Mia Marketing",
    )  # fmt: skip
    clock.t += 250  # Stalled: 4:10 of 4:00
    agenda.next()
    clock.t += 100  # Campaigns: 1:40 of 3:00
    agenda.next()
    save_progress(
        demo_store, meeting, agenda.timings(), meeting.started_at + timedelta(seconds=790)
    )
    # After the meeting: must not appear in its minutes.
    triage.escalate(demo_store, [_target(queue[3])], now=AS_OF + 30 * MIN, actor="Late Larry")
    return demo_store, {
        "accepted": accepted.rows[0].dispute_id,
        "disqualified": disq.rows[0].dispute_id,
        "opened": opened.dispute_id,
        "before": before.dispute_id,
        "after": queue[3].dispute_id,
        "meeting": meeting.meeting_id,
    }


def test_minutes_of_a_scripted_meeting(scripted: tuple[Store, dict[str, object]]) -> None:
    store, ids = scripted
    text = minutes(store, "last", AS_OF + 60 * MIN, Config())
    assert text.startswith(f"# Standup minutes #{ids['meeting']}")
    assert "2026-11-23 09:00–09:13 (13 min)" in text
    # KPIs at the start, against the demo's "last week" snapshot.
    kpi_line = next(line for line in text.splitlines() if line.startswith("| Open disputes |"))
    assert "▲" in kpi_line or "▼" in kpi_line or "= 0" in kpi_line
    # Decisions: outcome, fault, reason, note, who — and nothing from outside the window.
    decided = text.split("## Decided in the meeting (2)")[1].split("## Disputes opened")[0]
    accept_row = next(line for line in decided.splitlines() if f"D-{ids['accepted']} " in line)
    assert "accept" in accept_row and "| sales |" in accept_row
    assert "They have budget" in accept_row and "Dana Driver" in accept_row
    disq_row = next(line for line in decided.splitlines() if f"D-{ids['disqualified']} " in line)
    assert "disqualify" in disq_row and "| marketing |" in disq_row
    assert "Student / personal use" in disq_row
    assert f"D-{ids['before']} " not in decided and f"D-{ids['after']} " not in decided
    assert "Early Bird" not in text and "Late Larry" not in text
    # Opened, stalled reviewed, timings.
    opened = text.split("## Disputes opened (1)")[1].split("## Stalled")[0]
    assert f"D-{ids['opened']}" in opened and "no call in 9 days" in opened
    assert "## Stalled items reviewed (as of 09:07" in text
    timings = text.split("## Agenda timings")[1]
    assert "| Numbers | 3:00 | 3:20 | +0:20 |" in timings
    assert "| Disputes | 5:00 | 4:00 | −1:00 |" in timings
    assert "| Stalled | 4:00 | 4:10 | +0:10 |" in timings
    assert "| **total** | 15:00 | 13:10 | −1:50 |" in timings


def test_minutes_redacted_hide_emails(scripted: tuple[Store, dict[str, object]]) -> None:
    store, _ = scripted
    plain = minutes(store, "last", AS_OF + 60 * MIN, Config())
    assert "jo.bloggs@initech.example" in plain
    red = minutes(store, "last", AS_OF + 60 * MIN, Config(), Redactor(names=True))
    assert "jo.bloggs" not in red and "@initech.example" in red


def test_summary_since_last_standup(scripted: tuple[Store, dict[str, object]]) -> None:
    store, ids = scripted
    # An hour after the meeting: "last standup" is the meeting's own snapshot.
    text = summary(store, AS_OF + 60 * MIN, Config())
    assert text.startswith("# Standup summary — 2026-11-23 10:00")
    assert "Compared with the last standup (2026-11-23 09:00)" in text
    decided = text.split("## Decided since the last standup")[1].split("## ")[0]
    assert f"D-{ids['after']} " in decided and "Late Larry" in decided
    assert "## Open disputes (" in text and "## Stalled" in text


def test_minutes_without_any_meeting_is_one_clear_error(demo_store: Store) -> None:
    env = {**os.environ, "STANDUP_AS_OF": "2026-11-23T09:00"}
    done = subprocess.run(
        [sys.executable, "-m", "standup.cli", "report", str(demo_store.path), "--standup", "last"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "standup: no standup recorded yet: start the agenda in the app (g) to record one"
    ]


def test_report_cli_prints_minutes(scripted: tuple[Store, dict[str, object]]) -> None:
    store, ids = scripted
    env = {**os.environ, "STANDUP_AS_OF": "2026-11-23T10:00"}
    args = ["report", str(store.path), "--standup", str(ids["meeting"]), "--redact"]
    done = subprocess.run(
        [sys.executable, "-m", "standup.cli", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"# Standup minutes #{ids['meeting']}")
    assert "jo.bloggs" not in done.stdout
    assert Path(store.path).exists()
