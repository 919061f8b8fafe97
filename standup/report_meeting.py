"""The Markdown of what happened in (or since) a standup: the title, the KPI table with
its changes, the decisions and the disputes opened (from the audit trail), the agenda's
timings."""

from __future__ import annotations

from datetime import datetime

from standup.fmt import MISSING, compact, delta, lead_ref
from standup.kpis import MONEY_KPIS, Snapshot, kpi_label, kpi_sort_key
from standup.md_table import table
from standup.meeting import Meeting, SegmentRecord
from standup.redact import Redactor
from standup.store import Record


def minutes_title(meeting: Meeting, until: datetime) -> str:
    """The minutes' heading: meeting number, label, when and how long."""
    minutes_long = max((until - meeting.started_at).total_seconds(), 0) / 60
    label = f" — {meeting.label}" if meeting.label else ""
    return (
        f"# Standup minutes #{meeting.meeting_id}{label}\n\n"
        f"{meeting.started_at:%Y-%m-%d %H:%M}–{until:%H:%M} ({minutes_long:.0f} min)\n"
    )


def kpi_table(kpis: dict[str, float], before: Snapshot | None, label: str) -> str:
    """Every KPI now (``label``) against the last standup's snapshot, with the change."""
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
    return table(header, rows) + (f"\n_Changes are against the previous snapshot{when}._\n")


def decisions_section(
    rows: list[Record], red: Redactor, title: str = "Decided in the meeting"
) -> str:
    """Every triage decision in the rows (from report/decisions.sql), notes redacted."""
    head = f"## {title} ({len(rows)})\n"
    if not rows:
        return head + "\nNo dispute was decided.\n"
    table_rows: list[list[object]] = []
    for r in rows:
        action, outcome, undoes = r["action"], r["outcome"], r["undoes"]
        what = action if not outcome or outcome == action else f"{action} → {outcome}"
        if undoes is not None:
            what = f"undo (event {undoes})"
        table_rows.append(
            [
                f"{r['event_at']:%H:%M}",
                f"D-{r['dispute_id']}",
                lead_ref(r["external_id"], r["lead_id"]),
                r["company"] or "",
                what,
                r["fault"] or "",
                r["reason_label"] or r["reason_code"] or "",
                red.text(r["note"]),
                r["actor"],
            ]
        )
    header = ["time", "dispute", "lead", "company", "decision", "fault", "reason", "note", "who"]
    return head + "\n" + table(header, table_rows)


def opened_section(rows: list[Record], red: Redactor, title: str = "Disputes opened") -> str:
    """The disputes opened (rows from report/opened.sql), claims redacted."""
    head = f"## {title} ({len(rows)})\n"
    if not rows:
        return head + "\nNone.\n"
    table_rows = [
        [
            f"D-{r['dispute_id']}",
            lead_ref(r["external_id"], r["lead_id"]),
            r["company"] or "",
            r["raised_by"],
            r["reason_label"] or r["reason_code"],
            red.text(r["claim"]),
            r["opened_by"] or "",
            r["status"],
        ]
        for r in rows
    ]
    header = ["dispute", "lead", "company", "raised by", "reason", "claim", "opened by", "status"]
    return head + "\n" + table(header, table_rows)


def agenda_section(agenda: list[SegmentRecord]) -> str:
    """Each agenda segment's planned and spent time, and the total."""
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
    return head + "\n" + table(["segment", "planned", "spent", "over/under"], rows)


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
