"""The dashboard's panels, as plain data: one function per panel, one SQL file each.

Every function takes an open connection, ``now`` and the config, runs its statement from
``queries/panels/`` and returns a pydantic model. No Textual here: the widgets in
``screens/widgets/`` call these in a thread worker and only draw the result.
:func:`refresh_all` computes every panel on one connection (what a dashboard refresh
costs; the benchmark times it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from standup import facts, revenue
from standup.config import Config
from standup.fmt import deal_ref, lead_ref
from standup.lifecycle import FUNNEL as FUNNEL
from standup.lifecycle import SIDE_EXITS as SIDE_EXITS
from standup.refs import lookup as lookup_refs
from standup.store import Connection, Store, run, run_for_ids

# FUNNEL and SIDE_EXITS (the funnel order) come from standup.lifecycle, re-exported.
OPEN_STAGES = facts.OPEN_STAGES
# Naive UTC times; DuckDB's epoch() counts seconds from here.
EPOCH = datetime(1970, 1, 1)
STALLED_LIMIT = 200


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


# -- pipeline -------------------------------------------------------------------------


class StageRow(_Model):
    """One main-path stage: leads in it as of now, deal value, and cohort conversion.

    ``reached``: leads whose milestone of this stage (its time known) fell in the
    conversion window; ``advanced``: of them, those that reached the next stage (at any
    time); ``conversion`` = advanced / reached, so never above 100%. ``undated``: leads
    that reached this stage at an unknown time, left out of both (all time).
    """

    stage: str
    leads: int
    value: float | None  # deal value where a stage has deals (opportunity, customer)
    conversion: float | None  # advanced / reached; None when none reached it (or last)
    reached: int = 0
    advanced: int = 0
    undated: int = 0


class Pipeline(_Model):
    """The funnel as of now, plus the side exits."""

    stages: list[StageRow]
    exits: dict[str, int]
    window_days: int
    open_value: float  # value of all open deals
    # False when the stored facts could not be used and were computed live (slow): a
    # restamp would make this query fast again
    summarized: bool = True
    # True when now lies before some of the data, so the stage counts were rebuilt from
    # stage_history as of now (slower) instead of read from the stored facts
    from_history: bool = False


def quarter_start(now: datetime) -> date:
    """First day of the calendar quarter containing ``now``."""
    return revenue.quarter_start(now)


def pipeline(conn: Connection, now: datetime, config: Config) -> Pipeline:
    """Leads per stage as of ``now``, deal value, and cohort conversion in the window.

    The window is the last ``conversion_window_days`` calendar days up to now's day.
    Stage counts come from the stored facts, unless some lead knows of a time after
    ``now`` (an --as-of in the past): then from the history (panels/stages_as_of.sql).
    """
    stored = facts.prepare(conn, config)
    params = {
        "since_day": now.date() - timedelta(days=config.conversion_window_days),
        "now_day": now.date(),
    }
    rows = run(conn, "panels/pipeline", params).fetchall()
    measures: dict[str, dict[str, float]] = {
        name: {} for name in ("leads", "value", "reached", "advanced", "undated")
    }
    latest: float | None = None
    for measure, stage, amount in rows:
        if measure == "latest":
            latest = amount
        else:
            measures[measure][stage] = float(amount or 0)
    from_history = latest is not None and latest > (now - EPOCH).total_seconds()
    if from_history:
        measures["leads"] = {
            stage: float(n)
            for stage, n in run(conn, "panels/stages_as_of", {"now": now}).fetchall()
        }
    counts, values = measures["leads"], measures["value"]
    reached, advanced = measures["reached"], measures["advanced"]
    stages = []
    for index, stage in enumerate(FUNNEL):
        cohort = int(reached.get(stage, 0))
        last = index + 1 == len(FUNNEL)
        stages.append(
            StageRow(
                stage=stage,
                leads=int(counts.get(stage, 0)),
                value=values.get(stage) if stage in ("opportunity", "customer") else None,
                conversion=None if last or not cohort else advanced.get(stage, 0) / cohort,
                reached=cohort,
                advanced=int(advanced.get(stage, 0)),
                undated=int(measures["undated"].get(stage, 0)),
            )
        )
    return Pipeline(
        stages=stages,
        exits={stage: int(counts.get(stage, 0)) for stage in SIDE_EXITS},
        window_days=config.conversion_window_days,
        open_value=values.get("opportunity", 0.0),
        summarized=stored,
        from_history=from_history,
    )


# -- stalled --------------------------------------------------------------------------


class StalledRow(_Model):
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


class Stalled(_Model):
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


def _stall_rule(row: tuple[Any, ...], now: datetime) -> str:
    """Which SLA rule a stalled lead broke first (see facts/live.sql for the rules)."""
    stage_dl, touch_dl, accept_dl, deal_dl, deal_rule = row[3:8]
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
    shown = run(conn, "panels/stalled_money", {"now": now, "limit": limit}).fetchall()
    if len(shown) < limit:
        more = {"now": now, "limit": limit - len(shown)}
        shown += run(conn, "panels/stalled_idle", more).fetchall()
    refs = lookup_refs(conn, [row[0] for row in shown], stored=stored)
    out = [
        StalledRow(
            lead_id=row[0],
            company=row[10],
            stage=row[1],
            owner=row[13],
            campaign=row[14],
            amount=float(row[2]),
            deal_stage=row[8],
            days_over=(now - row[9]).total_seconds() / 86400,
            rule=_stall_rule(row, now),
            **refs.get(row[0], {}),
        )
        for row in shown
    ]
    return Stalled(rows=out, total=int(total), total_amount=float(total_amount), stored=stored)


# -- disputes -------------------------------------------------------------------------


class DisputeRow(_Model):
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


class Disputes(_Model):
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


# -- campaigns ------------------------------------------------------------------------


class CampaignRow(_Model):
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


class Campaigns(_Model):
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
    for r in run(conn, "panels/campaigns").fetchall():
        leads, mqls, accepted, n_disputes = int(r[4]), int(r[5]), int(r[6]), int(r[7])
        spend, won, customers = float(r[3]), float(r[10]), int(r[11])
        won_deals, closed, won_max = int(r[13]), int(r[14]), float(r[15])
        out.append(
            CampaignRow(
                campaign_id=r[0],
                name=r[1],
                channel=r[2],
                spend=spend,
                leads=leads,
                mqls=mqls,
                accepted=accepted,
                disputes=n_disputes,
                quality_disputes=int(r[8]),
                pipeline=float(r[9]),
                won=won,
                acceptance_rate=accepted / mqls if mqls else None,
                dispute_rate=n_disputes / mqls if mqls else None,
                worst=False,
                customers=customers,
                sourced=float(r[12]),
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


# -- shared goal and RevOps (standup.revenue) -----------------------------------------

Goal = revenue.Goal
RevOps = revenue.RevOps
goal = revenue.goal
revops = revenue.revops


# -- everything at once ---------------------------------------------------------------


class Dashboard(_Model):
    """Every panel of one refresh, and how long the queries took."""

    now: datetime
    pipeline: Pipeline
    stalled: Stalled
    disputes: Disputes
    campaigns: Campaigns
    goal: Goal
    revops: RevOps
    seconds: float
    timings: dict[str, float]  # seconds per panel


PanelFn = Callable[[Connection, datetime, Config], BaseModel]

PANELS: dict[str, PanelFn] = {
    "pipeline": pipeline,
    "stalled": stalled,
    "disputes": disputes,
    "campaigns": campaigns,
    "goal": goal,
    "revops": revops,
}


def compute_all(conn: Connection, now: datetime, config: Config) -> Dashboard:
    """Every panel on one open connection."""
    started = time.perf_counter()
    parts: dict[str, Any] = {}
    timings: dict[str, float] = {}
    for name, fn in PANELS.items():
        begin = time.perf_counter()
        parts[name] = fn(conn, now, config)
        timings[name] = time.perf_counter() - begin
    return Dashboard(now=now, seconds=time.perf_counter() - started, timings=timings, **parts)


def refresh_all(store: Store, now: datetime, config: Config) -> Dashboard:
    """Every panel in one read-only unit of work: one dashboard refresh (benchmarked)."""
    with store.reading() as conn:
        return compute_all(conn, now, config)
