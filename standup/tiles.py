"""Presenter mode's four big numbers, as plain data.

New MQLs since the last standup, open disputes, stalled leads, and revenue won against
the quarter's target, each with its change since the last standup. While a meeting runs,
"last standup" means the one *before* it: the snapshot the meeting recorded at its start
is excluded, or every delta would read zero.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from standup.config import Config
from standup.kpis import Snapshot, current_kpis, new_mqls, snapshot_from
from standup.store import Connection, record, run

FALLBACK_DAYS = 7  # "new MQLs" window when no standup was ever recorded


class Tiles(BaseModel):
    """What the wall shows."""

    model_config = ConfigDict(frozen=True)

    now: datetime
    since: datetime | None  # the last standup compared against; None if there was none
    new_mqls: int
    open_disputes: int
    overdue_disputes: int
    stalled_leads: int
    stalled_value: float
    won: float
    target: float
    deltas: dict[str, float]  # KPI name -> change since the last standup


def last_standup(conn: Connection, now: datetime, exclude_id: int | None = None) -> Snapshot | None:
    """The latest snapshot at or before ``now``, skipping ``exclude_id`` (the running meeting's)."""
    params = {"now": now, "exclude_id": exclude_id}
    return snapshot_from(record(run(conn, "kpis/snapshot_before_meeting", params)))


def tiles(
    conn: Connection, now: datetime, config: Config, exclude_standup_id: int | None = None
) -> Tiles:
    """Compute the presenter tiles on an open (read-only) connection."""
    kpis = current_kpis(conn, now, config)
    before = last_standup(conn, now, exclude_standup_id)
    since = before.taken_at if before else now - timedelta(days=FALLBACK_DAYS)
    deltas = {k: v - before.kpis[k] for k, v in kpis.items() if k in before.kpis} if before else {}
    return Tiles(
        now=now,
        since=before.taken_at if before else None,
        new_mqls=new_mqls(conn, now, since),
        open_disputes=int(kpis.get("disputes.open", 0)),
        overdue_disputes=int(kpis.get("disputes.overdue", 0)),
        stalled_leads=int(kpis.get("stalled.leads", 0)),
        stalled_value=kpis.get("stalled.value", 0.0),
        won=kpis.get("revenue.won_quarter", 0.0),
        target=kpis.get("revenue.target", 0.0),
        deltas=deltas,
    )
