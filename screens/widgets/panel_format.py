"""What the dashboard's panels share: stage and rule labels, the cell helpers (a lead's
company and CRM id, ▲/▼ deltas, the selected-row line) and :func:`panel_fetch`, the core
fetch of a panel by its ``FETCH_KEY``.

Colour always comes with a word or a symbol (▲/▼, OVERDUE, ⚠), so the panels read the
same on a 16-colour projector and for colour-blind viewers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text

from screens.session import session_of
from screens.widgets.panel import Panel
from standup.dashboard import FETCHES
from standup.fmt import delta
from standup.store import Connection

STAGE_LABELS = {
    "inquiry": "Inquiry",
    "mql": "MQL",
    "sal": "SAL",
    "sql": "SQL",
    "opportunity": "Opportunity",
    "customer": "Customer",
    "recycled": "Recycled",
    "disqualified": "Disqualified",
}
# Marketing owns the top of the funnel, sales the rest; won is the shared number.
STAGE_STYLES = {
    "inquiry": "magenta",
    "mql": "magenta",
    "sal": "blue",
    "sql": "blue",
    "opportunity": "cyan",
    "customer": "green",
}
SHORT_STAGES = {
    "inquiry": "Inq",
    "mql": "MQL",
    "sal": "SAL",
    "sql": "SQL",
    "opportunity": "Opp",
    "customer": "Cust",
}
DEAL_STAGES = {"qualification": "qual", "proposal": "prop", "negotiation": "nego"}
KIND_LABELS = {
    "contest_reject": "contests reject",
    "lead_quality": "lead quality",
    "missed_followup": "missed follow-up",
}
RULE_LABELS = {
    "not accepted": "not accepted",
    "in stage": "stuck",
    "no touch": "no touch",
    "deal in stage": "deal stuck",
    "deal untouched": "deal idle",
}


def delta_text(change: float | None, *, good_up: bool | None = None, money: bool = False) -> Text:
    """▲/▼ with a colour that only repeats what the arrow says."""
    label = delta(change, money=money)
    if not label or change is None or abs(change) < 1e-9 or good_up is None:
        return Text(label, style="dim")
    good = (change > 0) == good_up
    return Text(label, style="green" if good else "red")


# A Lead cell's width: the CRM id always whole, the company cut to what is left.
LEAD_WIDTH = 24
COMPANY_MIN = 8


def lead_text(company: str | None, ref: str, width: int = LEAD_WIDTH) -> str:
    """Company (cut to fit a narrow column) and the lead's CRM id (or ``#<id>``), whole.

    The id is what the room types into the CRM, so it is never cut; a lead without a
    company shows its id alone.
    """
    if not company or not company.strip():
        return ref
    name = company.strip()
    room = max(width - len(ref) - 1, COMPANY_MIN)
    if len(name) > room:
        name = name[: room - 1] + "…"
    return f"{name} {ref}"


def selected_line(parts: list[str]) -> Text:
    """The line under a table naming the row under the cursor in full (CRM ids uncut)."""
    line = "▸ " + " · ".join(p for p in parts if p)
    return Text(line, style="dim", no_wrap=True, overflow="ellipsis", end="")


def when_text(taken_at: datetime, now: datetime) -> str:
    """When the last standup was: a time today, else a date."""
    return f"{taken_at:%H:%M}" if taken_at.date() == now.date() else f"{taken_at:%b %d}"


def align_right(text: Text, width: int) -> Text:
    """``text`` padded on the left to ``width`` cells (in place; returned for chaining)."""
    text.align("right", width)
    return text


def panel_fetch(panel: Panel[Any], conn: Connection, now: datetime) -> Any:
    """``panel``'s data from its core fetch; while a meeting runs, its deltas compare with
    the standup before it (issue 6)."""
    meeting = session_of(panel).meeting
    standup_id = meeting.standup_id if meeting is not None else None
    assert panel.FETCH_KEY is not None
    return FETCHES[panel.FETCH_KEY](conn, now, panel.config, standup_id)
