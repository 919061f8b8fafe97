"""Markdown for humans: a meeting's minutes, or the current summary for a chat channel.

``minutes`` rebuilds a recorded standup from the database: the KPI snapshot taken when
its agenda started (with deltas against the standup before), every triage action in the
meeting's window from the append-only ``dispute_events`` (outcome, fault, reason, note,
who), disputes opened, the stalled items in front of the room, and the agenda timings.
``summary`` is the same idea for "now" (``standup report`` from cron, no meeting needed).

This module gathers the data; the Markdown sections are :mod:`standup.report_meeting`'s
(what happened in the meeting) and :mod:`standup.report_board`'s (the panels').
"""

from __future__ import annotations

from datetime import datetime

from standup import panels
from standup.config import Config
from standup.kpis import Snapshot, kpis_from, latest_snapshot_before, new_mqls, snapshot_from
from standup.meeting import Meeting, SegmentRecord, find_meeting, segments
from standup.redact import Redactor
from standup.report_board import DISPUTES_SHOWN as DISPUTES_SHOWN
from standup.report_board import (
    campaigns_section,
    funnel_section,
    goal_section,
    open_disputes_section,
    revops_section,
    stalled_section,
)
from standup.report_meeting import (
    agenda_section,
    decisions_section,
    kpi_table,
    minutes_title,
    opened_section,
)
from standup.store import Connection, Record, Store, record, records, run

STALLED_SHOWN = 10


def minutes(
    store: Store,
    which: str,
    now: datetime,
    config: Config,
    redactor: Redactor | None = None,
) -> str:
    """The minutes of one recorded standup (``which``: ``"last"`` or a meeting id)."""
    red = redactor or Redactor()
    with store.reading() as conn:
        meeting = find_meeting(conn, which, now)
        until = meeting.ended_at or now
        start = _snapshot(conn, meeting.standup_id)
        before = _previous(conn, start) if start else None
        decided, opened = _decided_and_opened(conn, meeting.started_at, until)
        agenda = segments(conn, meeting.meeting_id)
        stalled_at = _stalled_review_time(meeting, agenda)
        stalled = panels.stalled(conn, stalled_at, config, limit=STALLED_SHOWN)

    out = [minutes_title(meeting, until)]
    if meeting.ended_at is None:
        out.append(f"_Meeting not ended; covering up to {until:%Y-%m-%d %H:%M}._\n")
    out.append("## Numbers at the start\n")
    if start is None:
        out.append("No KPI snapshot was recorded for this meeting.\n")
    else:
        out.append(kpi_table(start.kpis, before, "at start"))
    out.append(decisions_section(decided, red))
    out.append(opened_section(opened, red))
    out.append(
        stalled_section(
            stalled, f"Stalled items reviewed (as of {stalled_at:%H:%M}, most money at risk first)"
        )
    )
    out.append(agenda_section(agenda))
    return "\n".join(out).rstrip() + "\n"


def summary(store: Store, now: datetime, config: Config, redactor: Redactor | None = None) -> str:
    """The standup as of ``now``: KPIs vs the last standup, decisions since, what's burning."""
    red = redactor or Redactor()
    with store.reading() as conn:
        board = panels.compute_all(conn, now, config)
        kpis = kpis_from(board, new_mqls(conn, now))
        before = latest_snapshot_before(conn, now)
        since = before.taken_at if before else None
        decided, opened = _decided_and_opened(conn, since, now) if since else ([], [])
        disputes = panels.disputes(conn, now, config)
        stalled = panels.stalled(conn, now, config, limit=STALLED_SHOWN)

    out = [f"# Standup summary — {now:%Y-%m-%d %H:%M}\n"]
    label = "now"
    if before is not None:
        out.append(f"Compared with the last standup ({before.taken_at:%Y-%m-%d %H:%M}).\n")
    else:
        out.append("No standup recorded yet: no deltas.\n")
    out.append("## Numbers\n")
    out.append(kpi_table(kpis, before, label))
    out.append(goal_section(board.goal))
    out.append(revops_section(board.revops))
    out.append(funnel_section(board.pipeline))
    out.append(campaigns_section(board.campaigns))
    if since is not None:
        out.append(decisions_section(decided, red, title="Decided since the last standup"))
        out.append(opened_section(opened, red, title="Disputes opened since the last standup"))
    out.append(open_disputes_section(disputes))
    out.append(stalled_section(stalled, "Stalled (most money at risk first)"))
    return "\n".join(out).rstrip() + "\n"


# -- data helpers ---------------------------------------------------------------------------


def _decided_and_opened(
    conn: Connection, since: datetime, until: datetime
) -> tuple[list[Record], list[Record]]:
    """The triage decisions and the disputes opened between ``since`` and ``until``."""
    window = {"since": since, "until": until}
    return records(run(conn, "report/decisions", window)), records(
        run(conn, "report/opened", window)
    )


def _snapshot(conn: Connection, standup_id: int | None) -> Snapshot | None:
    if standup_id is None:
        return None
    return snapshot_from(record(run(conn, "report/snapshot", {"standup_id": standup_id})))


def _previous(conn: Connection, snap: Snapshot) -> Snapshot | None:
    params = {"taken_at": snap.taken_at, "standup_id": snap.standup_id}
    return snapshot_from(record(run(conn, "report/previous_snapshot", params)))


def _stalled_review_time(meeting: Meeting, agenda: list[SegmentRecord]) -> datetime:
    """When the room looked at stalled items: the Stalled segment's start, else the meeting's."""
    for seg in agenda:
        if (seg.screen.endswith(":stalled") or seg.name.lower() == "stalled") and seg.started_at:
            return seg.started_at
    return meeting.started_at
