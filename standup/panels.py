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

from standup import facts
from standup.config import Config
from standup.fmt import deal_ref, lead_ref
from standup.lifecycle import FUNNEL as FUNNEL
from standup.lifecycle import SIDE_EXITS as SIDE_EXITS
from standup.refs import lookup as lookup_refs
from standup.store import Connection, Store, run, run_for_ids

# FUNNEL and SIDE_EXITS (the funnel order) come from standup.lifecycle, re-exported.
OPEN_STAGES = facts.OPEN_STAGES
STALLED_LIMIT = 200


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


# -- pipeline -------------------------------------------------------------------------


class StageRow(_Model):
    """One lifecycle stage: leads in it now, deal value, flow and conversion to the next."""

    stage: str
    leads: int
    value: float | None  # deal value where a stage has deals (opportunity, customer)
    entered: int  # moves into this stage within the conversion window
    conversion: float | None  # entered(next) / entered(this); None when nothing entered


class Pipeline(_Model):
    """The funnel now, plus the side exits."""

    stages: list[StageRow]
    exits: dict[str, int]
    window_days: int
    open_value: float  # value of all open deals
    # False when conversion had to scan stage_history (stage-entry summary missing or no
    # longer matching it): a restamp would make this query cheaper
    summarized: bool = True


def quarter_start(now: datetime) -> date:
    """First day of the calendar quarter containing ``now``."""
    return date(now.year, 3 * ((now.month - 1) // 3) + 1, 1)


def pipeline(conn: Connection, now: datetime, config: Config) -> Pipeline:
    """Lead counts per stage, deal value, and stage-to-stage conversion in the window.

    Conversion from stage X to the next stage Y is the flow rate over the window:
    moves into Y divided by moves into X (None when nothing entered X).
    """
    facts.prepare(conn, config)
    since = now - timedelta(days=config.conversion_window_days)
    stamped_id = stage_entries_stamp(conn)
    params = {"since": since, "now": now, "stamped_id": stamped_id}
    rows = run(conn, "panels/pipeline", params).fetchall()
    measures: dict[str, dict[str, float]] = {"leads": {}, "value": {}, "entered": {}}
    for measure, stage, amount in rows:
        measures[measure][stage] = float(amount or 0)
    counts, values, entered = measures["leads"], measures["value"], measures["entered"]
    stages = []
    for index, stage in enumerate(FUNNEL):
        nxt = FUNNEL[index + 1] if index + 1 < len(FUNNEL) else None
        into = int(entered.get(stage, 0))
        conversion = None
        if nxt is not None and into > 0:
            conversion = entered.get(nxt, 0) / into
        stages.append(
            StageRow(
                stage=stage,
                leads=int(counts.get(stage, 0)),
                value=values.get(stage) if stage in ("opportunity", "customer") else None,
                entered=into,
                conversion=conversion,
            )
        )
    return Pipeline(
        stages=stages,
        exits={stage: int(counts.get(stage, 0)) for stage in SIDE_EXITS},
        window_days=config.conversion_window_days,
        open_value=values.get("opportunity", 0.0),
        summarized=stamped_id is not None,
    )


def stage_entries_stamp(conn: Connection) -> int | None:
    """The last history_id the stage-entry summary covers, or None when it cannot be used.

    Two steps, so the id reaches the validity check (and then the Pipeline query) as a
    constant that DuckDB's zone maps prune by.
    """
    row = run(conn, "panels/pipeline_stamp_id").fetchone()
    if row is None or row[0] is None:
        return None
    valid = run(conn, "panels/pipeline_stamp", {"stamped_id": row[0]}).fetchone()
    return int(valid[0]) if valid and valid[0] is not None else None


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
    """One campaign's scoreboard line (first-touch attribution, lifetime)."""

    campaign_id: int
    name: str
    channel: str | None
    spend: float
    leads: int
    mqls: int
    accepted: int
    disputes: int
    quality_disputes: int
    pipeline: float
    won: float
    acceptance_rate: float | None  # accepted / MQLs; None with no MQLs
    dispute_rate: float | None  # disputes / MQLs; None with no MQLs
    worst: bool  # flagged as an offender: low acceptance or many disputes


class Campaigns(_Model):
    """Campaigns, worst offenders first."""

    rows: list[CampaignRow]


# A campaign is an offender when sales accepts less than this share of its MQLs, or
# disputes are raised on more than this share of them.
WORST_ACCEPTANCE = 0.6
WORST_DISPUTES = 0.06


def campaigns(conn: Connection, now: datetime, config: Config) -> Campaigns:
    """Per campaign: MQLs, acceptance and dispute rates, pipeline, won revenue, spend.

    Sorted worst first: lowest acceptance rate, then highest dispute rate; campaigns with
    no MQLs (no rate to judge) go last.
    """
    del now  # lifetime numbers; the signature matches every panel
    facts.prepare(conn, config)
    rows = run(conn, "panels/campaigns").fetchall()
    out = []
    for r in rows:
        mqls, accepted, n_disputes = int(r[5]), int(r[6]), int(r[7])
        acceptance = accepted / mqls if mqls else None
        dispute_rate = n_disputes / mqls if mqls else None
        worst = (acceptance is not None and acceptance < WORST_ACCEPTANCE) or (
            dispute_rate is not None and dispute_rate > WORST_DISPUTES
        )
        out.append(
            CampaignRow(
                campaign_id=r[0],
                name=r[1],
                channel=r[2],
                spend=float(r[3]),
                leads=int(r[4]),
                mqls=mqls,
                accepted=accepted,
                disputes=n_disputes,
                quality_disputes=int(r[8]),
                pipeline=float(r[9]),
                won=float(r[10]),
                acceptance_rate=acceptance,
                dispute_rate=dispute_rate,
                worst=worst,
            )
        )
    out.sort(
        key=lambda c: (
            c.acceptance_rate is None,
            c.acceptance_rate if c.acceptance_rate is not None else 0.0,
            -(c.dispute_rate or 0.0),
            c.campaign_id,
        )
    )
    return Campaigns(rows=out)


# -- shared goal ----------------------------------------------------------------------


class Goal(_Model):
    """Revenue won this quarter against the target, with the cumulative daily trend."""

    quarter_start: date
    won: float
    target: float
    target_from: str  # "targets" table or "config"
    progress: float | None  # won / target; None with a zero target
    expected: float  # where a straight-line pace would be by now
    trend: list[float]  # cumulative won, one value per day of the quarter so far


def goal(conn: Connection, now: datetime, config: Config) -> Goal:
    """Revenue won this quarter vs the target (``targets`` table, else the config)."""
    start = quarter_start(now)
    rows = run(conn, "panels/goal", {"quarter_start": start, "now": now}).fetchall()
    target_row = rows[0][1] if rows else None
    daily = {day: float(amount) for day, amount in rows[1:]}
    days = (now.date() - start).days + 1
    trend, total = [], 0.0
    for offset in range(days):
        total += daily.get(start + timedelta(days=offset), 0.0)
        trend.append(total)
    target = float(target_row) if target_row is not None else config.revenue_target
    next_month = start.month + 3
    end = date(start.year + (next_month > 12), (next_month - 1) % 12 + 1, 1)
    elapsed = (now - datetime.combine(start, datetime.min.time())).total_seconds()
    length = (end - start).days * 86400
    return Goal(
        quarter_start=start,
        won=total,
        target=target,
        target_from="targets" if target_row is not None else "config",
        progress=total / target if target else None,
        expected=target * min(max(elapsed / length, 0.0), 1.0),
        trend=trend,
    )


# -- everything at once ---------------------------------------------------------------


class Dashboard(_Model):
    """Every panel of one refresh, and how long the queries took."""

    now: datetime
    pipeline: Pipeline
    stalled: Stalled
    disputes: Disputes
    campaigns: Campaigns
    goal: Goal
    seconds: float
    timings: dict[str, float]  # seconds per panel


PanelFn = Callable[[Connection, datetime, Config], BaseModel]

PANELS: dict[str, PanelFn] = {
    "pipeline": pipeline,
    "stalled": stalled,
    "disputes": disputes,
    "campaigns": campaigns,
    "goal": goal,
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
