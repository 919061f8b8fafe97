"""The triage screen's detail pane and its per-row texts (what a row's due cell says)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text

from standup import triage
from standup.fmt import compact, deal_ref, lead_ref
from standup.redact import Redactor
from standup.triage import QueueRow


def due_text(row: QueueRow, now: datetime) -> Text:
    """``3d over`` in red or ``in 5h`` in green: how long until (or since) it was due."""
    hours = (row.due_at - now).total_seconds() / 3600
    if hours < 0:
        span = f"{-hours / 24:.0f}d" if -hours >= 24 else f"{-hours:.0f}h"
        return Text(f"{span} over", style="bold red")
    span = f"{hours / 24:.0f}d" if hours >= 24 else f"{hours:.0f}h"
    return Text(f"in {span}", style="green")


def render_detail(row: QueueRow, detail: triage.Detail, redactor: Redactor | None = None) -> Text:
    """The right pane: lead, source, both sides' claims, reason code, timeline.

    With redaction on, the contact is initials, the email its company domain, and free
    text (claims, timeline) has emails and the contact's name scrubbed.
    """
    lead = detail.lead
    red = redactor or Redactor()
    names = (lead["contact_name"],) if lead["contact_name"] else ()
    out = Text()
    out.append(f"{row.label}", style="bold")
    out.append(f"  {row.status}", style="bold red" if row.status == "escalated" else "bold green")
    out.append(f"  raised by {row.raised_by} · {row.kind.replace('_', ' ')}\n")
    out.append(lead["company"] or "(no company)", style="bold cyan" if lead["company"] else "dim")
    out.append(f"  lead {lead_ref(lead['external_id'], lead['lead_id'])}", style="bold")
    if lead["external_id"]:
        out.append(f" (#{lead['lead_id']})", style="dim")
    else:
        out.append(" (no CRM id)", style="dim")
    out.append("\n")
    contact = red.contact(lead["contact_name"])
    email = red.email(lead["email"])
    if contact or email:
        out.append(" ".join(p for p in (contact, f"<{email}>" if email else "") if p) + "\n")
    out.append(f"stage {lead['stage']}", style="bold")
    # an imported lead's dates may be unknown (migration 010): say so, never crash
    entered, created = lead["stage_entered_at"], lead["created_at"]
    out.append(f" since {entered:%Y-%m-%d}" if entered else " since (date unknown)")
    out.append(f" · owner {lead['owner'] or 'unassigned'}")
    if lead["score"] is not None:
        out.append(f" · score {lead['score']}")
    out.append("\n")
    campaign = lead["campaign"] or "none"
    if lead["campaign"] and lead["channel"]:
        campaign += f" ({lead['channel']})"
    out.append(f"first campaign {campaign}")
    out.append(f" · created {f'{created:%Y-%m-%d}' if created else '(date unknown)'}\n")
    for deal in detail.deals:
        out.append(_deal_line(deal, red, names) + "\n")
    if lead["reason_code"]:
        revisit = f", revisit {lead['recycle_on']}" if lead["recycle_on"] else ""
        out.append(f"lead reason {lead['reason_code']}{revisit}\n")
    out.append(f"reason code {row.reason_code}\n", style="bold")
    out.append("\nClaims\n", style="bold underline")
    for d in detail.disputes:
        current = d["dispute_id"] == row.dispute_id
        style = "bold" if current else "dim"
        out.append(f"{triage.dispute_label(d['dispute_id'])} ", style=style)
        out.append(f"{d['raised_by']}", style="cyan" if d["raised_by"] == "marketing" else "yellow")
        who = f"{d['opened_by']}, " if d["opened_by"] else ""
        out.append(f" ({who}{d['opened_at']:%Y-%m-%d}): ", style=style)
        out.append(red.text(d["claim"], names), style="italic" if current else "dim italic")
        if d["outcome"]:
            fault = f", fault {d['fault']}" if d["fault"] else ""
            out.append(f" → {d['outcome']}{fault}", style="dim")
        out.append("\n")
    out.append(f"\nDue {row.due_at:%Y-%m-%d %H:%M}", style="bold red" if row.overdue else "")
    out.append("\n\nTimeline\n", style="bold underline")
    for at, what, text in detail.timeline:
        # a move an export reported without its time (migration 010) has no date
        out.append(
            f"{at:%Y-%m-%d %H:%M} " if at is not None else f"{'date unknown':<16} ", style="dim"
        )
        style = "magenta" if what.startswith("D-") else ("blue" if what == "stage" else "")
        out.append(f"{what:<7}", style=style)
        out.append(f" {red.text(text, names)}\n")
    return out


def _deal_line(deal: dict[str, Any], red: Redactor, names: tuple[str, ...]) -> str:
    """``deal DEMO-D12 proposal 40k Acme renewal`` (``#<id>`` for one without a CRM id)."""
    parts = [f"deal {deal_ref(deal['external_id'], deal['deal_id'])}", str(deal["stage"])]
    if deal["amount"]:
        amount = float(deal["amount"])
        parts.append(red.amount(amount, compact(amount)))
    if deal["name"]:
        parts.append(red.text(str(deal["name"]), names))
    return " ".join(parts)
