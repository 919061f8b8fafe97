"""The Markdown of the dashboard's panels for the reports: open disputes, stalled items,
the shared goal, RevOps, the funnel and the campaigns' scoreboard."""

from __future__ import annotations

from standup import panels
from standup.fmt import MISSING, compact, percent
from standup.md_table import table

DISPUTES_SHOWN = 10


def open_disputes_section(disputes: panels.Disputes) -> str:
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
    return head + "\n" + table(header, table_rows) + tail


def stalled_section(stalled: panels.Stalled, title: str) -> str:
    """The stalled panel's rows: lead, stage, deal, why, how late, money at risk."""
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
    return head + "\n" + table(header, table_rows)


def goal_section(goal: panels.Goal) -> str:
    """The shared revenue goal: won so far against the target and the straight-line pace."""
    head = f"## Shared goal — revenue won {goal.period}\n"
    won = compact(goal.won, True)
    if goal.period_key == "all":
        return head + f"\n{won} won in all.\n"
    source = "" if goal.target_from == "targets" else " (config)"
    return head + (
        f"\n{won} of {compact(goal.target, True)} target{source}: {percent(goal.progress)};"
        f" a straight-line pace would be at {compact(goal.expected, True)}.\n"
    )


def revops_section(ops: panels.RevOps) -> str:
    """The RevOps measures: win rate, deal size, cycle, coverage, speed-to-lead..."""
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
    return head + "\n" + table(["measure", "value"], rows)


def funnel_section(pipe: panels.Pipeline) -> str:
    """Leads per stage now and each stage's cohort conversion in the window."""
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
    return head + "\n" + table(header, rows)


def campaigns_section(camps: panels.Campaigns) -> str:
    """The campaigns' scoreboard, worst and outliers flagged."""
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
    return head + "\n" + table(header, rows)
