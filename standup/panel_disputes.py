"""The disputes panel: open and escalated disputes, overdue first, with counts by reason
and by side (queries/panels/disputes*.sql, dispute_labels.sql)."""

from __future__ import annotations

from datetime import datetime

from standup import facts
from standup.config import Config
from standup.fmt import lead_ref
from standup.panel_model import PanelModel
from standup.refs import lookup as lookup_refs
from standup.store import Connection, run, run_for_ids


class DisputeRow(PanelModel):
    """One open (or escalated) dispute, with its age and time to (or past) due."""

    dispute_id: int
    lead_id: int
    company: str | None
    raised_by: str
    kind: str
    reason_code: str
    reason_label: str
    status: str
    opened_at: datetime
    due_at: datetime
    overdue: bool
    owner: str | None
    campaign: str | None
    age_days: float
    due_in_days: float  # negative when overdue
    external_id: str | None = None  # the lead's CRM id

    @property
    def ref(self) -> str:
        """The lead as the room finds it in the CRM: its CRM id, else ``#<lead id>``."""
        return lead_ref(self.external_id, self.lead_id)

    @property
    def label(self) -> str:
        """The id the room says out loud: ``D-1042``."""
        return f"D-{self.dispute_id}"


class Disputes(PanelModel):
    """Open disputes, overdue first (at most a limit), with counts over all of them."""

    rows: list[DisputeRow]
    total: int
    overdue: int
    by_reason: dict[str, int]
    by_side: dict[str, int]


DISPUTES_LIMIT = 200


def disputes(
    conn: Connection, now: datetime, config: Config, limit: int = DISPUTES_LIMIT
) -> Disputes:
    """Open or escalated disputes, overdue first; due exactly now is not yet overdue."""
    stored = facts.prepare(conn, config)
    rows = run(conn, "panels/disputes", {"now": now, "limit": limit}).fetchall()
    labels = {
        row[0]: row
        for row in run_for_ids(conn, "panels/dispute_labels", None, [r[1] for r in rows]).fetchall()
    }
    refs = lookup_refs(conn, [r[1] for r in rows], stored=stored)
    out = []
    for r in rows:
        _, company, owner, campaign = labels.get(r[1], (r[1], None, None, None))
        out.append(
            DisputeRow(
                dispute_id=r[0],
                lead_id=r[1],
                company=company,
                raised_by=r[2],
                kind=r[3],
                reason_code=r[4],
                reason_label=r[5],
                status=r[6],
                opened_at=r[7],
                due_at=r[8],
                overdue=bool(r[9]),
                owner=owner,
                campaign=campaign,
                age_days=(now - r[7]).total_seconds() / 86400,
                due_in_days=(r[8] - now).total_seconds() / 86400,
                external_id=refs.get(r[1], {}).get("external_id"),
            )
        )
    counts: dict[str, dict[str, int]] = {"reason": {}, "side": {}, "overdue": {}, "total": {}}
    for dimension, key, n in run(conn, "panels/disputes_summary", {"now": now}).fetchall():
        counts[dimension][key] = int(n)
    return Disputes(
        rows=out,
        total=counts["total"].get("total", 0),
        overdue=counts["overdue"].get("overdue", 0),
        by_reason=counts["reason"],
        by_side=counts["side"],
    )
