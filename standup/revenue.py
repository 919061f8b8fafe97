"""The money panels: the shared goal over a period that has data, and the RevOps numbers.

Both read ``deals`` (a few hundred thousand rows at 1M leads) and the summed facts of
migration 011; :mod:`standup.panels` re-exports them with the other panels. No Textual.

The goal's period (``Config.goal_period``):

* ``auto`` (default): this quarter when it has a won deal; else the latest quarter at or
  before ``now`` that has one (the label says which), so a historic export does not show
  "$0 this quarter"; else this quarter;
* ``quarter`` (this quarter, even when empty), ``last_quarter``, ``all`` (all time).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from standup import facts
from standup.config import Config
from standup.store import Connection, run

PERIODS: tuple[str, ...] = ("auto", "quarter", "last_quarter", "all")
# The start of "all time": before any CRM's data.
EPOCH = date(1900, 1, 1)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


def quarter_start(now: datetime | date) -> date:
    """First day of the calendar quarter containing ``now``."""
    return date(now.year, 3 * ((now.month - 1) // 3) + 1, 1)


def next_quarter(start: date) -> date:
    """First day of the quarter after the one starting ``start``."""
    month = start.month + 3
    return date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


def previous_quarter(start: date) -> date:
    """First day of the quarter before the one starting ``start``."""
    month = start.month - 3
    return date(start.year - (month < 1), (month - 1) % 12 + 1, 1)


def quarter_label(start: date) -> str:
    """``Q3 2026``."""
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


class Period(_Model):
    """The stretch of time the goal and the closed-deal numbers cover."""

    key: str  # one of PERIODS, as asked for
    start: date
    until: datetime  # inclusive end: now, or the end of a past quarter
    label: str  # "this quarter", "Q2 2026 (latest with data)", "all time"
    quarter: date | None  # the quarter's start, None for all time
    fell_back: bool = False  # auto found no won deal this quarter and took an older one


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _end_of(start: date) -> datetime:
    return datetime.combine(next_quarter(start), datetime.min.time()) - timedelta(microseconds=1)


def exact_needed(conn: Connection, now: datetime) -> bool:
    """True when some time in the data lies after ``now`` (an --as-of in the past).

    Then the day summaries of migration 011 would count what happened later on now's
    day, so the money panels read the deals themselves (slower, exact).
    """
    return _settled(conn, now, "auto").exact


def period(conn: Connection, now: datetime, key: str) -> Period:
    """The period ``key`` (see the module docstring) as of ``now`` (facts.prepare ran)."""
    return _settled(conn, now, key).period


@dataclass(frozen=True)
class _Settled:
    exact: bool
    period: Period


# What the panels of one refresh settled, per open connection (they share one, and the
# data does not change under a read): whether to read the deals, and the period.
_cache: weakref.WeakKeyDictionary[Connection, dict[tuple[datetime, str], _Settled]] = (
    weakref.WeakKeyDictionary()
)


def _settled(conn: Connection, now: datetime, key: str) -> _Settled:
    known = _cache.setdefault(conn, {})
    if (now, key) not in known:
        if (now, "") not in known:
            row = run(conn, "panels/latest").fetchone()
            exact = bool(row and row[0] is not None and row[0] > now)
            blank = Period(key="", start=EPOCH, until=now, label="", quarter=None)
            known[(now, "")] = _Settled(exact, blank)
        exact = known[(now, "")].exact
        known[(now, key)] = _Settled(exact, _find_period(conn, now, key, exact))
    return known[(now, key)]


def _find_period(conn: Connection, now: datetime, key: str, exact: bool) -> Period:
    this = quarter_start(now)
    if key == "all":
        return Period(key=key, start=EPOCH, until=now, label="all time", quarter=None)
    if key == "last_quarter":
        last = previous_quarter(this)
        return Period(
            key=key, start=last, until=_end_of(last), label=quarter_label(last), quarter=last
        )
    current = Period(key=key, start=this, until=now, label="this quarter", quarter=this)
    if key != "auto":
        return current
    if exact:
        row = run(conn, "panels/goal_latest", {"now": now}).fetchone()
    else:
        row = run(conn, "panels/goal_latest_days", {"now_day": now.date()}).fetchone()
    latest = row[0] if row else None
    if latest is None or _day(latest) >= this:
        return current
    start = quarter_start(latest)
    return Period(
        key=key,
        start=start,
        until=_end_of(start),
        label=f"{quarter_label(start)} (latest with data)",
        quarter=start,
        fell_back=True,
    )


# -- shared goal ----------------------------------------------------------------------


class Goal(_Model):
    """Revenue won in the period against its target, with the cumulative daily trend."""

    quarter_start: date  # the period's start (the quarter's, or EPOCH for all time)
    won: float
    target: float
    target_from: str  # "targets" table or "config"
    progress: float | None  # won / target; None with a zero target
    expected: float  # where a straight-line pace would be by now (the target if past)
    trend: list[float]  # cumulative won, one value per day of the period so far
    period: str = "this quarter"  # the period's label
    period_key: str = "auto"


def goal(conn: Connection, now: datetime, config: Config) -> Goal:
    """Revenue won in ``config.goal_period`` vs the target (``targets`` table, else config).

    A quarter compares with its own target. All time has no target of its own (summing
    quarterly targets over years of data would be a guess): it shows this quarter's
    target, with no progress or pace.
    """
    facts.prepare(conn, config)
    exact = exact_needed(conn, now)
    which = period(conn, now, config.goal_period)
    target_quarter = which.quarter or quarter_start(now)
    params: dict[str, object] = {"start": which.start, "quarter_start": target_quarter}
    if exact:
        rows = run(conn, "panels/goal", {**params, "until": which.until}).fetchall()
    else:
        params["until_day"] = which.until.date()
        rows = run(conn, "panels/goal_days", params).fetchall()
    target_row = rows[0][1] if rows else None
    daily = {day: float(amount) for day, amount in rows[1:]}
    first = which.start if which.quarter else min(daily, default=now.date())
    days = max((which.until.date() - first).days + 1, 1)
    trend, total = [], 0.0
    for offset in range(days):
        total += daily.get(first + timedelta(days=offset), 0.0)
        trend.append(total)
    target = float(target_row) if target_row is not None else config.revenue_target
    if which.quarter is not None:
        begin = datetime.combine(which.quarter, datetime.min.time())
        length = (next_quarter(which.quarter) - which.quarter).days * 86400
        elapsed = (min(now, which.until) - begin).total_seconds()
        expected = target * min(max(elapsed / length, 0.0), 1.0)
    else:
        expected = 0.0
    return Goal(
        quarter_start=which.start,
        won=total,
        target=target,
        target_from="targets" if target_row is not None else "config",
        progress=total / target if target and which.quarter is not None else None,
        expected=expected,
        trend=trend,
        period=which.label,
        period_key=which.key,
    )


# -- RevOps ---------------------------------------------------------------------------


class RevOps(_Model):
    """The numbers RevOps asks for in the pipeline meeting.

    Closed-deal measures (win rate, average deal, sales cycle) cover the goal's period;
    coverage compares open pipeline with what is left of this quarter's target; speed-to-
    lead covers leads accepted in the conversion window (by calendar day).
    """

    period: str
    won_deals: int
    closed_deals: int
    win_rate: float | None  # won / (won + lost) closed in the period
    avg_deal: float | None  # won revenue / won deals in the period
    cycle_days: float | None  # median whole days created -> closed, won in the period
    cycle_undated: int  # won deals in the period without a created date (left out)
    open_pipeline: float
    won_this_quarter: float
    quarter_target: float
    remaining_target: float  # this quarter's target minus won this quarter (>= 0)
    coverage: float | None  # open pipeline / remaining target; None when the target is met
    contact_cohort: int  # leads accepted in the window
    contact_within: float | None  # share of them first contacted within the SLA hours
    contact_median_hours: int | None  # median whole hours to first contact (contacted ones)
    contact_late: int  # not contacted, SLA over (by day)
    contact_sla_hours: int
    week_deals: int  # deals created in the last 7 calendar days (today included)
    week_value: float
    slipped: int  # open deals whose expected close date has passed
    slipped_value: float


def revops(conn: Connection, now: datetime, config: Config) -> RevOps:
    """Win rate, deal size, cycle, coverage, speed-to-lead, new pipeline, slipped deals."""
    facts.prepare(conn, config)
    exact = exact_needed(conn, now)
    which = period(conn, now, config.goal_period)
    this = quarter_start(now)
    params: dict[str, object] = {
        "start": which.start,
        "now_day": now.date(),
        "week_day": now.date() - timedelta(days=6),
        "quarter_start": this,
    }
    if exact:
        deal_rows = run(conn, "panels/revops_deals", {**params, "until": which.until, "now": now})
    else:
        deal_rows = run(conn, "panels/revops_days", {**params, "until_day": which.until.date()})
    n: dict[str, int] = {}
    amount: dict[str, float] = {}
    cycle: list[tuple[int, int]] = []
    for measure, bucket, count, value in deal_rows.fetchall():
        n[measure] = n.get(measure, 0) + int(count or 0)
        amount[measure] = amount.get(measure, 0.0) + float(value or 0)
        if measure == "won" and bucket is not None:
            cycle.append((int(bucket), int(count)))
    hours = config.sla.first_contact_hours
    common = {
        "since_day": now.date() - timedelta(days=config.conversion_window_days),
        "now_day": now.date(),
        "late_day": (now - timedelta(hours=hours)).date(),
        "quarter_start": this,
    }
    contacted: list[tuple[int, int]] = []
    cohort = late = 0
    open_value, target = 0.0, config.revenue_target
    for measure, bucket, count, value in run(conn, "panels/revops_common", common).fetchall():
        if measure == "contact":
            cohort += int(count)
            late += int(value)
            if bucket >= 0:
                contacted.append((int(bucket), int(count)))
        elif measure == "open":
            open_value = float(value)
        elif value is not None:
            target = float(value)
    won, closed = n.get("won", 0), n.get("won", 0) + n.get("lost", 0)
    cycle.sort()
    contacted.sort()
    dated = [(days, count) for days, count in cycle if days >= 0]
    won_quarter = amount.get("won_quarter", 0.0)
    remaining = max(target - won_quarter, 0.0)
    within = sum(count for bucket, count in contacted if bucket < hours)
    median_days = _lower_median(dated)
    return RevOps(
        period=which.label,
        won_deals=won,
        closed_deals=closed,
        win_rate=won / closed if closed else None,
        avg_deal=amount.get("won", 0.0) / won if won else None,
        cycle_days=float(median_days) if median_days is not None else None,
        cycle_undated=sum(count for days, count in cycle if days < 0),
        open_pipeline=open_value,
        won_this_quarter=won_quarter,
        quarter_target=target,
        remaining_target=remaining,
        coverage=open_value / remaining if remaining > 0 else None,
        contact_cohort=cohort,
        contact_within=within / cohort if cohort else None,
        contact_median_hours=_lower_median(contacted),
        contact_late=late,
        contact_sla_hours=hours,
        week_deals=n.get("created", 0),
        week_value=amount.get("created", 0.0),
        slipped=n.get("due", 0),
        slipped_value=amount.get("due", 0.0),
    )


def _lower_median(histogram: list[tuple[int, int]]) -> int | None:
    """The lower median of values given as sorted (value, count) pairs."""
    total = sum(n for _, n in histogram)
    if total == 0:
        return None
    position, seen = (total + 1) // 2, 0
    for value, n in histogram:
        seen += n
        if seen >= position:
            return value
    return histogram[-1][0]
