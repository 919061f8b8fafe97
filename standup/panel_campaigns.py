"""The campaigns panel: each campaign's scoreboard line (first-touch attribution,
lifetime) and which campaigns are clearly worst (queries/panels/campaigns.sql)."""

from __future__ import annotations

from datetime import datetime

from standup import facts
from standup.config import Config
from standup.panel_model import PanelModel
from standup.store import Connection, records, run


class CampaignRow(PanelModel):
    """One campaign's scoreboard line (first-touch attribution, lifetime).

    MQLs, accepted and customers count the leads that *reached* mql, sal and customer,
    whatever their stage now.
    """

    campaign_id: int
    name: str
    channel: str | None
    spend: float
    leads: int
    mqls: int
    accepted: int
    disputes: int
    quality_disputes: int
    pipeline: float  # open deals' value
    won: float
    acceptance_rate: float | None  # accepted / MQLs; None with no MQLs
    dispute_rate: float | None  # disputes / MQLs; None with no MQLs
    worst: bool  # clearly below the others (see :func:`campaigns`)
    customers: int = 0
    sourced: float = 0.0  # every deal's value (open, won, lost): pipeline sourced
    won_deals: int = 0
    closed_deals: int = 0
    won_max: float = 0.0  # its biggest won deal
    lead_to_customer: float | None = None  # customers / leads; None with no leads
    win_rate: float | None = None  # won / closed deals; None with none closed
    roi: float | None = None  # won / spend; None without spend
    worst_on: str = ""  # which rate put it in the bottom quartile
    outlier: bool = False  # its biggest won deal outweighs all its other won deals


class Campaigns(PanelModel):
    """Campaigns, worst first, then by lead -> customer rate."""

    rows: list[CampaignRow]
    qualifying: int = 0  # campaigns with enough MQLs to be judged


# Only campaigns with at least this many MQLs are judged, and only when at least this
# many campaigns are: too few leads or too few peers make any "worst" noise.
WORST_MIN_MQLS = 30
WORST_MIN_CAMPAIGNS = 4
# Kept for the dispute column's highlight: disputes raised on more than this share.
WORST_DISPUTES = 0.06


def first_quartile(values: list[float]) -> float:
    """The 25th percentile, linear between the sorted values (``statistics``' inclusive)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * 0.25
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def campaigns(conn: Connection, now: datetime, config: Config) -> Campaigns:
    """Per campaign: leads, MQLs, accepted %, lead -> customer %, win rate, pipeline,
    won revenue, spend and won/spend.

    "Worst": among campaigns with at least :data:`WORST_MIN_MQLS` MQLs, and only when at
    least :data:`WORST_MIN_CAMPAIGNS` of them qualify, a campaign strictly below the first
    quartile of lead -> customer or of accepted % (so never every row). "Outlier": at
    least two won deals and the biggest worth more than all the others together.
    """
    del now  # lifetime numbers; the signature matches every panel
    facts.prepare(conn, config)
    out = []
    for r in records(run(conn, "panels/campaigns")):
        leads, mqls, accepted, n_disputes = (
            int(r["leads"]),
            int(r["mqls"]),
            int(r["accepted"]),
            int(r["disputes"]),
        )
        spend, won, customers = float(r["spend"]), float(r["won"]), int(r["customers"])
        won_deals, closed, won_max = (
            int(r["won_deals"]),
            int(r["closed_deals"]),
            float(r["won_max"]),
        )
        out.append(
            CampaignRow(
                campaign_id=r["campaign_id"],
                name=r["name"],
                channel=r["channel"],
                spend=spend,
                leads=leads,
                mqls=mqls,
                accepted=accepted,
                disputes=n_disputes,
                quality_disputes=int(r["quality_disputes"]),
                pipeline=float(r["pipeline"]),
                won=won,
                acceptance_rate=accepted / mqls if mqls else None,
                dispute_rate=n_disputes / mqls if mqls else None,
                worst=False,
                customers=customers,
                sourced=float(r["sourced"]),
                won_deals=won_deals,
                closed_deals=closed,
                won_max=won_max,
                lead_to_customer=customers / leads if leads else None,
                win_rate=won_deals / closed if closed else None,
                roi=won / spend if spend else None,
                outlier=won_deals >= 2 and won_max > won - won_max + 0.005,
            )
        )
    judged = [row for row in out if row.mqls >= WORST_MIN_MQLS]
    if len(judged) >= WORST_MIN_CAMPAIGNS:
        cut_customer = first_quartile([row.lead_to_customer or 0.0 for row in judged])
        cut_accept = first_quartile([row.acceptance_rate or 0.0 for row in judged])
        flagged = {}
        for row in judged:
            why = [
                name
                for name, value, cut in (
                    ("lead→customer", row.lead_to_customer or 0.0, cut_customer),
                    ("accepted", row.acceptance_rate or 0.0, cut_accept),
                )
                if value < cut
            ]
            if why:
                flagged[row.campaign_id] = " & ".join(why)
        out = [
            row.model_copy(update={"worst": True, "worst_on": flagged[row.campaign_id]})
            if row.campaign_id in flagged
            else row
            for row in out
        ]
    out.sort(
        key=lambda c: (
            not c.worst,
            c.lead_to_customer is None,
            c.lead_to_customer if c.lead_to_customer is not None else 0.0,
            c.campaign_id,
        )
    )
    return Campaigns(rows=out, qualifying=len(judged))
