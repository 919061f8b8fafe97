"""Markdown for humans: a meeting's minutes, or the current summary for a chat channel.

``minutes`` rebuilds a recorded standup from the database: the KPI snapshot taken when
its agenda started (with deltas against the standup before), every triage action in the
meeting's window from the append-only ``dispute_events`` (outcome, fault, reason, note,
who), disputes opened, the stalled items in front of the room, and the agenda timings.
``summary`` is the same idea for "now" (``standup report`` from cron, no meeting needed).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from standup import panels
from standup.config import Config
from standup.fmt import MISSING, compact, delta, lead_ref, percent
from standup.kpis import (
    MONEY_KPIS,
    Snapshot,
    kpi_label,
    kpi_sort_key,
    kpis_from,
    latest_snapshot_before,
    new_mqls,
)
from standup.meeting import Meeting, SegmentRecord, find_meeting, segments
from standup.redact import Redactor
from standup.store import Connection, Store, run

STALLED_SHOWN = 10
DISPUTES_SHOWN = 10


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
        decisions = run(conn, "report/decisions", {"since": meeting.started_at, "until": until})
        decided = decisions.fetchall()
        opened = run(
            conn, "report/opened", {"since": meeting.started_at, "until": until}
        ).fetchall()
        agenda = segments(conn, meeting.meeting_id)
        stalled_at = _stalled_review_time(meeting, agenda)
        stalled = panels.stalled(conn, stalled_at, config, limit=STALLED_SHOWN)

    out = [_minutes_title(meeting, until)]
    if meeting.ended_at is None:
        out.append(f"_Meeting not ended; covering up to {until:%Y-%m-%d %H:%M}._\n")
    out.append("## Numbers at the start\n")
    if start is None:
        out.append("No KPI snapshot was recorded for this meeting.\n")
    else:
        out.append(_kpi_table(start.kpis, before, "at start"))
    out.append(_decisions_section(decided, red))
    out.append(_opened_section(opened, red))
    out.append(
        _stalled_section(
            stalled, f"Stalled items reviewed (as of {stalled_at:%H:%M}, most money at risk first)"
        )
    )
    out.append(_agenda_section(agenda))
    return "\n".join(out).rstrip() + "\n"


def summary(store: Store, now: datetime, config: Config, redactor: Redactor | None = None) -> str:
    """The standup as of ``now``: KPIs vs the last standup, decisions since, what's burning."""
    red = redactor or Redactor()
    with store.reading() as conn:
        board = panels.compute_all(conn, now, config)
        kpis = kpis_from(board, new_mqls(conn, now))
        before = latest_snapshot_before(conn, now)
        since = before.taken_at if before else None
        decided: list[tuple[Any, ...]] = []
        opened: list[tuple[Any, ...]] = []
        if since is not None:
            decided = run(conn, "report/decisions", {"since": since, "until": now}).fetchall()
            opened = run(conn, "report/opened", {"since": since, "until": now}).fetchall()
        disputes = panels.disputes(conn, now, config)
        stalled = panels.stalled(conn, now, config, limit=STALLED_SHOWN)

    out = [f"# Standup summary — {now:%Y-%m-%d %H:%M}\n"]
    label = "now"
    if before is not None:
        out.append(f"Compared with the last standup ({before.taken_at:%Y-%m-%d %H:%M}).\n")
    else:
        out.append("No standup recorded yet: no deltas.\n")
    out.append("## Numbers\n")
    out.append(_kpi_table(kpis, before, label))
    out.append(_goal_section(board.goal))
    out.append(_revops_section(board.revops))
    out.append(_funnel_section(board.pipeline))
    out.append(_campaigns_section(board.campaigns))
    if since is not None:
        out.append(_decisions_section(decided, red, title="Decided since the last standup"))
        out.append(_opened_section(opened, red, title="Disputes opened since the last standup"))
    out.append(_open_disputes_section(disputes))
    out.append(_stalled_section(stalled, "Stalled (most money at risk first)"))
    return "\n".join(out).rstrip() + "\n"


# -- data helpers ---------------------------------------------------------------------------


def _snapshot_from(row: tuple[Any, ...] | None) -> Snapshot | None:
    if row is None:
        return None
    raw = json.loads(row[3])
    kpis = {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}
    return Snapshot(standup_id=row[0], taken_at=row[1], label=row[2], kpis=kpis)


def _snapshot(conn: Connection, standup_id: int | None) -> Snapshot | None:
    if standup_id is None:
        return None
    return _snapshot_from(run(conn, "report/snapshot", {"standup_id": standup_id}).fetchone())


def _previous(conn: Connection, snap: Snapshot) -> Snapshot | None:
    row = run(
        conn,
        "report/previous_snapshot",
        {"taken_at": snap.taken_at, "standup_id": snap.standup_id},
    ).fetchone()
    return _snapshot_from(row)


def _stalled_review_time(meeting: Meeting, agenda: list[SegmentRecord]) -> datetime:
    """When the room looked at stalled items: the Stalled segment's start, else the meeting's."""
    for seg in agenda:
        if (seg.screen.endswith(":stalled") or seg.name.lower() == "stalled") and seg.started_at:
            return seg.started_at
    return meeting.started_at


# -- Markdown pieces ------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A table cell: no pipes or newlines to break the row."""
    if value is None:
        return ""
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def _table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _minutes_title(meeting: Meeting, until: datetime) -> str:
    minutes_long = max((until - meeting.started_at).total_seconds(), 0) / 60
    label = f" — {meeting.label}" if meeting.label else ""
    return (
        f"# Standup minutes #{meeting.meeting_id}{label}\n\n"
        f"{meeting.started_at:%Y-%m-%d %H:%M}–{until:%H:%M} ({minutes_long:.0f} min)\n"
    )


def _kpi_table(kpis: dict[str, float], before: Snapshot | None, label: str) -> str:
    header = ["KPI", label, "last standup", "change"]
    rows: list[list[object]] = []
    for name in sorted(kpis, key=kpi_sort_key):
        money = name in MONEY_KPIS
        prev = before.kpis.get(name) if before else None
        change = kpis[name] - prev if prev is not None else None
        rows.append(
            [
                kpi_label(name),
                compact(kpis[name], money),
                compact(prev, money),
                delta(change, money=money) or MISSING,
            ]
        )
    when = f" (last standup {before.taken_at:%Y-%m-%d %H:%M})" if before else ""
    return _table(header, rows) + (f"\n_Changes are against the previous snapshot{when}._\n")


def _decisions_section(
    rows: list[tuple[Any, ...]], red: Redactor, title: str = "Decided in the meeting"
) -> str:
    head = f"## {title} ({len(rows)})\n"
    if not rows:
        return head + "\nNo dispute was decided.\n"
    table_rows: list[list[object]] = []
    for r in rows:
        (_eid, at, dispute_id, lead_id, company, action, outcome, fault, code, reason, note) = r[
            :11
        ]
        actor, undoes, external_id = r[11], r[12], r[14]
        what = action if not outcome or outcome == action else f"{action} → {outcome}"
        if undoes is not None:
            what = f"undo (event {undoes})"
        table_rows.append(
            [
                f"{at:%H:%M}",
                f"D-{dispute_id}",
                lead_ref(external_id, lead_id),
                company or "",
                what,
                fault or "",
                reason or code or "",
                red.text(note),
                actor,
            ]
        )
    header = ["time", "dispute", "lead", "company", "decision", "fault", "reason", "note", "who"]
    return head + "\n" + _table(header, table_rows)


def _opened_section(
    rows: list[tuple[Any, ...]], red: Redactor, title: str = "Disputes opened"
) -> str:
    head = f"## {title} ({len(rows)})\n"
    if not rows:
        return head + "\nNone.\n"
    table_rows = [
        [
            f"D-{r[0]}",
            lead_ref(r[11], r[10]),
            r[8] or "",
            r[2],
            r[5] or r[4],
            red.text(r[6]),
            r[7] or "",
            r[9],
        ]
        for r in rows
    ]
    header = ["dispute", "lead", "company", "raised by", "reason", "claim", "opened by", "status"]
    return head + "\n" + _table(header, table_rows)


def _open_disputes_section(disputes: panels.Disputes) -> str:
    """Open disputes carry no contact data (company, side, reason, owner), so no redaction."""
    rows = disputes.rows[:DISPUTES_SHOWN]
    head = f"## Open disputes ({len(disputes.rows)}, {disputes.overdue} overdue)\n"
    if not rows:
        return head + "\nNone open.\n"
    table_rows = [
        [
            r.label,
            r.ref,
            r.company or "",
            r.raised_by,
            r.reason_label,
            f"{abs(r.due_in_days):.0f}d {'overdue' if r.overdue else 'left'}",
            r.owner or "unassigned",
        ]
        for r in rows
    ]
    header = ["dispute", "lead", "company", "raised by", "reason", "due", "owner"]
    more = len(disputes.rows) - len(rows)
    tail = f"\n_…and {more} more._\n" if more > 0 else ""
    return head + "\n" + _table(header, table_rows) + tail


def _stalled_section(stalled: panels.Stalled, title: str) -> str:
    head = f"## {title} — {stalled.total} stalled, {compact(stalled.total_amount, True)} at risk\n"
    if not stalled.rows:
        return head + "\nNothing stalled.\n"
    table_rows = [
        [
            r.ref,
            r.company or "",
            r.stage if not r.deal_stage else f"{r.stage} / {r.deal_stage}",
            r.deal_ref,
            r.rule,
            f"{r.days_over:.0f}d",
            compact(r.amount, True) if r.amount else "",
            r.owner or "unassigned",
        ]
        for r in stalled.rows
    ]
    header = ["lead", "company", "stage", "deal", "why", "over by", "at risk", "owner"]
    return head + "\n" + _table(header, table_rows)


def _goal_section(goal: panels.Goal) -> str:
    head = f"## Shared goal — revenue won {goal.period}\n"
    won = compact(goal.won, True)
    if goal.period_key == "all":
        return head + f"\n{won} won in all.\n"
    source = "" if goal.target_from == "targets" else " (config)"
    return head + (
        f"\n{won} of {compact(goal.target, True)} target{source}: {percent(goal.progress)};"
        f" a straight-line pace would be at {compact(goal.expected, True)}.\n"
    )


def _revops_section(ops: panels.RevOps) -> str:
    cycle = f"{ops.cycle_days:.0f} days (median)" if ops.cycle_days is not None else MISSING
    if ops.cycle_undated:
        cycle += f", {ops.cycle_undated} won deals without a created date left out"
    coverage = f"{ops.coverage:.1f}×" if ops.coverage is not None else "target met"
    if ops.contact_cohort:
        median = ops.contact_median_hours
        speed = (
            f"{percent(ops.contact_within)} first contacted within {ops.contact_sla_hours} h"
            f" of acceptance (median {median} h; {ops.contact_cohort:,} accepted)"
        )
    else:
        speed = "no lead accepted in the window"
    rows: list[list[object]] = [
        ["Win rate", f"{percent(ops.win_rate)} ({ops.won_deals} won of {ops.closed_deals} closed)"],
        ["Average deal (won)", compact(ops.avg_deal, True)],
        ["Sales cycle, created → won", cycle],
        [
            "Pipeline coverage",
            f"{coverage} ({compact(ops.open_pipeline, True)} open / "
            f"{compact(ops.remaining_target, True)} left of this quarter's target)",
        ],
        ["Speed-to-lead", speed],
        ["Accepted, not contacted past SLA", str(ops.contact_late)],
        [
            "Pipeline created (last 7 days)",
            f"{compact(ops.week_value, True)} in {ops.week_deals} deals",
        ],
        [
            "Slipped close dates (open deals)",
            f"{ops.slipped} deals, {compact(ops.slipped_value, True)}",
        ],
    ]
    head = f"## RevOps — closed deals {ops.period}\n"
    return head + "\n" + _table(["measure", "value"], rows)


def _funnel_section(pipe: panels.Pipeline) -> str:
    rows: list[list[object]] = []
    for row in pipe.stages:
        rows.append(
            [
                row.stage,
                f"{row.leads:,}",
                f"{row.reached:,}",
                f"{row.advanced:,}" if row.stage != "customer" else "",
                percent(row.conversion),
                f"{row.undated:,}" if row.undated else "",
            ]
        )
    rows += [[stage, f"{n:,}", "", "", "", ""] for stage, n in pipe.exits.items()]
    where = " (rebuilt from the stage history)" if pipe.from_history else ""
    head = (
        f"## Funnel — leads per stage now{where}; conversion of the leads that reached a"
        f" stage in the last {pipe.window_days} days\n"
    )
    header = ["stage", "leads now", "reached", "reached next", "conversion", "without date"]
    return head + "\n" + _table(header, rows)


def _campaigns_section(camps: panels.Campaigns) -> str:
    rows: list[list[object]] = []
    for c in camps.rows:
        flags = []
        if c.worst:
            flags.append(f"⚠ worst ({c.worst_on})")
        if c.outlier:
            flags.append("◆ one deal > all its other wins")
        rows.append(
            [
                c.name,
                f"{c.leads:,}",
                f"{c.mqls:,}",
                percent(c.acceptance_rate),
                percent(c.lead_to_customer),
                percent(c.win_rate),
                compact(c.sourced, True),
                compact(c.won, True),
                compact(c.spend, True),
                f"{c.roi:.1f}×" if c.roi is not None else MISSING,
                " ".join(flags),
            ]
        )
    header = [
        "campaign",
        "leads",
        "MQLs",
        "accepted",
        "lead→customer",
        "win rate",
        "sourced",
        "won",
        "spend",
        "won/spend",
        "flags",
    ]
    judged = (
        f"{camps.qualifying} campaigns with ≥{panels.WORST_MIN_MQLS} MQLs judged"
        if camps.qualifying >= panels.WORST_MIN_CAMPAIGNS
        else "too few campaigns with enough MQLs to judge a worst"
    )
    head = f"## Campaigns (first touch; counts are leads that reached the stage; {judged})\n"
    return head + "\n" + _table(header, rows)


def _agenda_section(agenda: list[SegmentRecord]) -> str:
    head = "## Agenda timings\n"
    if not agenda:
        return head + "\nNo agenda recorded.\n"
    total_plan = sum(s.planned_seconds for s in agenda)
    total_spent = sum(s.spent_seconds for s in agenda)
    rows: list[list[object]] = [
        [s.name, _mmss(s.planned_seconds), _mmss(s.spent_seconds), _over(s)] for s in agenda
    ]
    rows.append(
        ["**total**", _mmss(total_plan), _mmss(total_spent), _signed(total_spent - total_plan)]
    )
    return head + "\n" + _table(["segment", "planned", "spent", "over/under"], rows)


def _mmss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _signed(seconds: float) -> str:
    if abs(seconds) < 0.5:
        return "on time"
    sign = "+" if seconds > 0 else "−"
    return f"{sign}{_mmss(abs(seconds))}"


def _over(seg: SegmentRecord) -> str:
    if seg.spent_seconds == 0:
        return "skipped"
    return _signed(seg.spent_seconds - seg.planned_seconds)
