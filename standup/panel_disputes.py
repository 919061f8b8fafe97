"""The disputes panel: open and escalated disputes, overdue first, with counts by reason
and by side (queries/panels/disputes*.sql, dispute_labels.sql)."""

from __future__ import annotations

from datetime import datetime

from standup import facts
from standup.config import Config
from standup.fmt import lead_ref
from standup.panel_model import PanelModel
from standup.refs import lookup as lookup_refs
from standup.store import Connection, records, run, run_for_ids


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
    rows = records(run(conn, "panels/disputes", {"now": now, "limit": limit}))
    lead_ids = [r["lead_id"] for r in rows]
    labels = {
        label["lead_id"]: label
        for label in records(run_for_ids(conn, "panels/dispute_labels", None, lead_ids))
    }
    refs = lookup_refs(conn, lead_ids, stored=stored)
    out = []
    for r in rows:
        label = labels.get(r["lead_id"], {})
        out.append(
            DisputeRow(
                dispute_id=r["dispute_id"],
                lead_id=r["lead_id"],
                company=label.get("company"),
                raised_by=r["raised_by"],
                kind=r["kind"],
                reason_code=r["reason_code"],
                reason_label=r["reason_label"],
                status=r["status"],
                opened_at=r["opened_at"],
                due_at=r["due_at"],
                overdue=bool(r["overdue"]),
                owner=label.get("owner"),
                campaign=label.get("campaign"),
                age_days=(now - r["opened_at"]).total_seconds() / 86400,
                due_in_days=(r["due_at"] - now).total_seconds() / 86400,
                external_id=refs.get(r["lead_id"], {}).get("external_id"),
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
