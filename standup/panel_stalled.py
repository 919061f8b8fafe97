"""The stalled panel: leads and deals past their SLA, most money at risk first
(queries/panels/stalled*.sql; the rules are in facts/live.sql)."""

from __future__ import annotations

from datetime import datetime

from standup import facts
from standup.config import Config
from standup.fmt import deal_ref, lead_ref
from standup.panel_model import PanelModel
from standup.refs import lookup as lookup_refs
from standup.store import Connection, Record, records, run

STALLED_LIMIT = 200


class StalledRow(PanelModel):
    """A lead (with its open deal, if any) past an SLA threshold."""

    lead_id: int
    company: str | None
    stage: str
    owner: str | None
    campaign: str | None
    amount: float  # open deal value at risk (0 when no deal yet)
    deal_stage: str | None
    days_over: float
    rule: str  # not accepted / in stage / no touch / deal in stage / deal untouched
    external_id: str | None = None  # the lead's CRM id
    deal_id: int | None = None  # its biggest open deal (the one deal_stage describes)
    deal_external_id: str | None = None  # ... and that deal's CRM id

    @property
    def ref(self) -> str:
        """The lead as the room finds it in the CRM: its CRM id, else ``#<lead id>``."""
        return lead_ref(self.external_id, self.lead_id)

    @property
    def deal_ref(self) -> str:
        """The open deal's CRM id (``#<deal id>`` without one); empty with no open deal."""
        return deal_ref(self.deal_external_id, self.deal_id)


class Stalled(PanelModel):
    """The worst stalled items (most money first) and totals over all of them."""

    rows: list[StalledRow]
    total: int
    total_amount: float
    # False when the stored facts could not be used and were computed live (slow): a
    # restamp would make this query fast again
    stored: bool = True

    @property
    def needs_restamp(self) -> bool:
        """True when restamping the stored facts would make this query cheaper."""
        return not self.stored


def _stall_rule(row: Record, now: datetime) -> str:
    """Which SLA rule a stalled lead broke first (see facts/live.sql for the rules)."""
    stage_dl, touch_dl, accept_dl = row["stage_dl"], row["touch_dl"], row["accept_dl"]
    deal_dl, deal_rule = row["deal_dl"], row["deal_rule"]
    own = [dl for dl in (stage_dl, touch_dl, accept_dl) if dl is not None]
    lead_dl = min(own) if own and min(own) < now else None
    if deal_dl is not None and deal_dl >= now:
        deal_dl = None
    if lead_dl is None or (deal_dl is not None and deal_dl < lead_dl):
        return str(deal_rule)
    if lead_dl == accept_dl:
        return "not accepted"
    if lead_dl == touch_dl:
        return "no touch"
    return "in stage"


def stalled(conn: Connection, now: datetime, config: Config, limit: int = STALLED_LIMIT) -> Stalled:
    """Leads and deals past their SLA: days in stage, days without a touch, MQL not accepted.

    A lead exactly at its threshold is not stalled; one microsecond later it is. Rows:
    the most money at risk first, then the most overdue.
    """
    stored = facts.prepare(conn, config)
    total, total_amount = run(conn, "panels/stalled", {"now": now}).fetchone() or (0, 0)
    shown = records(run(conn, "panels/stalled_money", {"now": now, "limit": limit}))
    if len(shown) < limit:
        more = {"now": now, "limit": limit - len(shown)}
        shown += records(run(conn, "panels/stalled_idle", more))
    refs = lookup_refs(conn, [row["lead_id"] for row in shown], stored=stored)
    out = [
        StalledRow(
            lead_id=row["lead_id"],
            company=row["company"],
            stage=row["stage"],
            owner=row["owner"],
            campaign=row["campaign"],
            amount=float(row["open_amount"]),
            deal_stage=row["deal_stage"],
            days_over=(now - row["stall_at"]).total_seconds() / 86400,
            rule=_stall_rule(row, now),
            **refs.get(row["lead_id"], {}),
        )
        for row in shown
    ]
    return Stalled(rows=out, total=int(total), total_amount=float(total_amount), stored=stored)
