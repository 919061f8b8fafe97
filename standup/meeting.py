"""Recording a standup meeting: its start snapshot, segment timings and end.

Starting the agenda records the "since last standup" KPI snapshot and the meeting row in
one transaction. Segment timings are saved as the meeting moves on (a crash loses at
most the running segment), and the end time when it finishes. The minutes are rebuilt
from these rows and the audit trail (:mod:`standup.report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from standup.agenda import Timing
from standup.config import AgendaSegment, Config
from standup.errors import StandupError
from standup.kpis import insert_snapshot, read_current_kpis
from standup.store import Connection, Store, record, records, run


class Meeting(BaseModel):
    """One standup run with the agenda."""

    model_config = ConfigDict(frozen=True)

    meeting_id: int
    standup_id: int | None
    label: str | None
    started_at: datetime
    ended_at: datetime | None


class SegmentRecord(BaseModel):
    """A segment as recorded: planned and spent seconds, when first shown."""

    model_config = ConfigDict(frozen=True)

    position: int
    name: str
    screen: str
    planned_seconds: float
    spent_seconds: float
    started_at: datetime | None


def start_meeting(
    store: Store,
    now: datetime,
    config: Config,
    segments: Sequence[AgendaSegment],
    label: str | None = None,
) -> Meeting:
    """Record the KPI snapshot and the meeting with its planned agenda; one transaction.

    The KPIs are computed just before, in a read unit (:func:`~standup.kpis.read_current_kpis`).
    """
    label = label or f"standup {now:%Y-%m-%d %H:%M}"
    kpis = read_current_kpis(store, now, config)
    with store.writing() as conn:
        standup_id = insert_snapshot(conn, now, label, kpis)
        row = record(
            run(
                conn,
                "meetings/insert",
                {"standup_id": standup_id, "label": label, "started_at": now},
            )
        )
        assert row is not None
        meeting_id = int(row["meeting_id"])
        for position, seg in enumerate(segments):
            run(
                conn,
                "meetings/insert_segment",
                {
                    "meeting_id": meeting_id,
                    "position": position,
                    "name": seg.name,
                    "screen": seg.screen,
                    "planned_seconds": seg.minutes * 60.0,
                },
            )
    return Meeting(
        meeting_id=meeting_id, standup_id=standup_id, label=label, started_at=now, ended_at=None
    )


def save_progress(
    store: Store, meeting: Meeting, timings: Sequence[Timing], ended_at: datetime | None = None
) -> None:
    """Store each segment's time so far (and the end, when given); one transaction."""
    with store.writing() as conn:
        for timing in timings:
            shown = (
                meeting.started_at + timedelta(seconds=timing.started_offset)
                if timing.started_offset is not None
                else None
            )
            run(
                conn,
                "meetings/update_segment",
                {
                    "meeting_id": meeting.meeting_id,
                    "position": timing.position,
                    "spent_seconds": round(timing.spent, 3),
                    "started_at": shown,
                },
            )
        if ended_at is not None:
            run(conn, "meetings/end", {"meeting_id": meeting.meeting_id, "ended_at": ended_at})


def find_meeting(conn: Connection, which: str, now: datetime) -> Meeting:
    """``"last"`` (the latest started at or before ``now``) or a meeting id."""
    if which == "last":
        meeting_id = None
    elif which.isdigit():
        meeting_id = int(which)
    else:
        raise StandupError(f"--standup {which!r}: use 'last' or a meeting number")
    row = record(run(conn, "meetings/find", {"meeting_id": meeting_id, "now": now}))
    if row is None:
        if meeting_id is None:
            raise StandupError(
                "no standup recorded yet: start the agenda in the app (g) to record one"
            )
        raise StandupError(f"--standup {which}: no such meeting")
    return Meeting(
        meeting_id=row["meeting_id"],
        standup_id=row["standup_id"],
        label=row["label"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
    )


def segments(conn: Connection, meeting_id: int) -> list[SegmentRecord]:
    """The recorded agenda of a meeting, in order."""
    rows = records(run(conn, "meetings/segments", {"meeting_id": meeting_id}))
    return [
        SegmentRecord(
            position=r["position"],
            name=r["name"],
            screen=r["screen"],
            planned_seconds=float(r["planned_seconds"]),
            spent_seconds=float(r["spent_seconds"]),
            started_at=r["started_at"],
        )
        for r in rows
    ]
