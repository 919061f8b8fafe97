"""Five of the six live panels of the dashboard (RevOps: ``revops_panel.py``). Each
fetches with one core function from
``standup.dashboard.FETCHES`` (its ``FETCH_KEY``) in a thread worker and draws on the main
thread (see :class:`Panel`); on the dashboard a
:class:`~screens.widgets.panel_feed.PanelFeed` runs all six on one connection per
refresh (the first one started by ``standup open`` before the app was imported).

Colour always comes with a word or a symbol (▲/▼, OVERDUE, ⚠), so the panels read the
same on a 16-colour projector and for colour-blind viewers.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Digits, Sparkline, Static
from textual.worker import Worker, WorkerState

from screens.messages import ShowDispute
from screens.raise_dispute import raise_dispute
from screens.session import session_of
from screens.widgets.panel import Panel
from screens.widgets.table_sync import cursor_key, ensure_columns, sync_rows
from standup import facts, panels
from standup.dashboard import FETCHES, GoalData, PipelineData
from standup.fmt import MISSING, compact, delta, duration_days, percent
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


def _delta_text(change: float | None, *, good_up: bool | None = None, money: bool = False) -> Text:
    """▲/▼ with a colour that only repeats what the arrow says."""
    label = delta(change, money=money)
    if not label or change is None or abs(change) < 1e-9 or good_up is None:
        return Text(label, style="dim")
    good = (change > 0) == good_up
    return Text(label, style="green" if good else "red")


# A Lead cell's width: the CRM id always whole, the company cut to what is left.
LEAD_WIDTH = 24
COMPANY_MIN = 8


def _lead(company: str | None, ref: str, width: int = LEAD_WIDTH) -> str:
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


def _selected_line(parts: list[str]) -> Text:
    """The line under a table naming the row under the cursor in full (CRM ids uncut)."""
    line = "▸ " + " · ".join(p for p in parts if p)
    return Text(line, style="dim", no_wrap=True, overflow="ellipsis", end="")


def _when(taken_at: datetime, now: datetime) -> str:
    """When the last standup was: a time today, else a date."""
    return f"{taken_at:%H:%M}" if taken_at.date() == now.date() else f"{taken_at:%b %d}"


def _right(text: Text, width: int) -> Text:
    text.align("right", width)
    return text


# -- pipeline -------------------------------------------------------------------------


class PipelineBars:
    """Rich renderable: one bar per funnel stage, sized to the space it is given."""

    def __init__(self, data: PipelineData) -> None:
        self.data = data

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        pipeline, snap = self.data.pipeline, self.data.snapshot
        before = snap.kpis if snap else {}
        width = options.max_width
        label_w, num_w = 12, 6
        fixed = label_w + 1 + 1 + num_w + 1 + num_w + 1 + num_w + 1 + 6
        bar_w = max(width - fixed, 3)
        top = max((row.leads for row in pipeline.stages), default=0) or 1
        since = f"since {_when(snap.taken_at, self.data.now)}" if snap else "no standup yet"
        head = Text.assemble(
            (f"{'stage':<{label_w}} {'':<{bar_w}} ", "dim"),
            (f"{'leads':>{num_w}} {'Δ':>{num_w}} {'value':>{num_w}} {'conv':>6}", "dim"),
        )
        yield head
        for row in pipeline.stages:
            filled = row.leads / top * bar_w
            full = int(filled)
            bar = "█" * full + ("▌" if filled - full >= 0.5 else "")
            key = f"leads.{row.stage}"
            change = row.leads - before[key] if key in before else None
            conv = f"→{percent(row.conversion)}" if row.conversion is not None else ""
            if row.stage == "customer":
                conv = ""
            yield Text.assemble(
                (f"{STAGE_LABELS[row.stage]:<{label_w}} ", "bold"),
                (f"{bar:<{bar_w}}", STAGE_STYLES.get(row.stage, "")),
                " ",
                (f"{compact(row.leads):>{num_w}}", "bold"),
                " ",
                _right(_delta_text(change, good_up=row.stage == "customer" or None), num_w),
                " ",
                (f"{compact(row.value, money=True) if row.value is not None else '':>{num_w}}", ""),
                " ",
                (f"{conv:>6}", ""),
            )
        exits = "  ".join(
            f"{STAGE_LABELS[stage]} {compact(n)}"
            + (f" {delta(n - before[f'leads.{stage}'])}" if f"leads.{stage}" in before else "")
            for stage, n in pipeline.exits.items()
        )
        yield Text(f"side exits: {exits}", style="dim")
        undated = " · ".join(
            f"{SHORT_STAGES[row.stage]} {compact(row.undated)}"
            for row in pipeline.stages
            if row.undated
        )
        if undated:
            yield Text(f"without date (left out of conv): {undated}", style="yellow")
        counted = "as of now, from history · " if pipeline.from_history else ""
        yield Text(
            f"{counted}Δ {since} · conv = reached next / reached this, last "
            f"{pipeline.window_days}d",
            style="dim",
        )


def panel_fetch(panel: Panel[Any], conn: Connection, now: datetime) -> Any:
    """``panel``'s data from its core fetch; while a meeting runs, its deltas compare with
    the standup before it (issue 6)."""
    meeting = session_of(panel).meeting
    standup_id = meeting.standup_id if meeting is not None else None
    assert panel.FETCH_KEY is not None
    return FETCHES[panel.FETCH_KEY](conn, now, panel.config, standup_id)


class PipelinePanel(Panel[PipelineData]):
    """Lead counts per stage as bars, deal value, conversion and change since last standup."""

    TITLE = "Pipeline"
    FETCH_KEY = "pipeline"

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="pipeline-bars")

    def fetch_on(self, conn: Connection, now: datetime) -> PipelineData:
        return panel_fetch(self, conn, now)

    def show(self, data: PipelineData) -> None:
        self.query_one(".pipeline-bars", Static).update(PipelineBars(data))
        if not data.pipeline.summarized:
            # e.g. the stage-entry summary no longer matches stage_history: the restamp
            # (run by the Stalled panel, which owns it) also builds the stage-entry summary
            for stalled in self.screen.query(StalledPanel):
                stalled.start_restamp()


# -- stalled --------------------------------------------------------------------------


class StalledPanel(Panel[panels.Stalled]):
    """Leads and deals past their SLA, most money at risk first."""

    TITLE = "Stalled"
    FETCH_KEY = "stalled"
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("lead", "Lead"),
        ("stage", "Stage"),
        ("owner", "Owner"),
        ("risk", "At risk"),
        ("over", "Over"),
        ("why", "Why"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="panel-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, classes="panel-table")
        yield Static("", classes="panel-selected")

    # After a failed restamp (e.g. a read-only file), wait this long before trying again.
    RESTAMP_BACKOFF_SECONDS = 600.0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._restamp_blocked_until = 0.0
        self._restamp_worker: Worker[int] | None = None
        self.restamps = 0  # completed background restamps (tests wait on it)

    def fetch_on(self, conn: Connection, now: datetime) -> panels.Stalled:
        return panel_fetch(self, conn, now)

    def show(self, data: panels.Stalled) -> None:
        self._show(data)
        if data.needs_restamp:
            self.start_restamp()

    def start_restamp(self) -> None:
        """Rebuild the stored dashboard facts (and stage-entry summary) in the background.

        One write (seconds at 1M leads); at most one at a time, and none for a while
        after one failed. Never on a read-only store: it computes the facts live instead
        (its writing() would refuse anyway), nor on a team database, which keeps no
        stored facts (:attr:`standup.store.Store.keeps_facts`).
        """
        if self.store.read_only or not self.store.keeps_facts:
            return
        busy = self._restamp_worker is not None and not self._restamp_worker.is_finished
        if busy or time.monotonic() < self._restamp_blocked_until:
            return
        store, config, stamped_at = self.store, self.config, datetime.now()
        self._restamp_worker = self.run_worker(
            lambda: facts.restamp(store, config, stamped_at),
            thread=True,
            exit_on_error=False,
            group="restamp",
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Textual also calls Panel's handler (handlers run along the MRO); it ignores
        # workers that are not its fetch, so this one only looks at the restamp.
        if event.worker is self._restamp_worker and event.worker.is_finished:
            self._restamp_worker = None
            if event.state == WorkerState.SUCCESS:
                self.restamps += 1
                self.refresh_now()
            else:
                self._restamp_blocked_until = time.monotonic() + self.RESTAMP_BACKOFF_SECONDS

    def _show(self, data: panels.Stalled) -> None:
        summary = Text.assemble(
            # the warning sign only when something is stalled (colour never says it alone)
            (f"⚠ {compact(data.total)} stalled", "bold yellow")
            if data.total
            else ("✓ nothing stalled", "green"),
            " · ",
            (f"{compact(data.total_amount, money=True)} at risk", "bold"),
            (f" · top {len(data.rows)} shown" if data.total > len(data.rows) else "", "dim"),
            ("   f: flag lead (raise dispute)", "dim"),
        )
        self.query_one(".panel-summary", Static).update(summary)
        table = self.query_one(DataTable)
        ensure_columns(table, self.COLUMNS)
        sync_rows(table, [(str(row.lead_id), self._cells(row)) for row in data.rows])
        self._show_selected()

    def _show_selected(self) -> None:
        """Name the stalled item under the cursor in full: company, lead and deal CRM ids."""
        key = cursor_key(self.query_one(DataTable))
        rows = {str(r.lead_id): r for r in self.data.rows} if self.data else {}
        row = rows.get(key) if key is not None else None
        line = Text("")
        if row is not None:
            deal = f"deal {row.deal_ref} {row.deal_stage or ''}".strip() if row.deal_ref else ""
            line = _selected_line(
                [f"lead {row.ref}", row.company or "", deal, f"owner {row.owner or 'unassigned'}"]
            )
        self.query_one(".panel-selected", Static).update(line)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_selected()

    @staticmethod
    def _cells(row: panels.StalledRow) -> list[Any]:
        severe = row.days_over >= 7
        over = Text(
            f"{'!!' if severe else '!'} +{duration_days(row.days_over)}",
            style="bold red" if severe else "yellow",
        )
        stage = SHORT_STAGES.get(row.stage, row.stage)
        if row.deal_stage:
            stage = f"{stage}/{DEAL_STAGES.get(row.deal_stage, row.deal_stage)}"
        return [
            _lead(row.company, row.ref),
            stage,
            row.owner or "unassigned",
            Text(
                compact(row.amount, money=True) if row.amount else "—",
                style="bold" if row.amount else "dim",
            ),
            over,
            RULE_LABELS.get(row.rule, row.rule),
        ]

    def selected_lead(self) -> int | None:
        """The lead under the cursor, if any."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def lead_label(self, lead_id: int) -> str | None:
        """A shown lead as the raise-dispute title names it: CRM id and company."""
        for row in self.data.rows if self.data else []:
            if row.lead_id == lead_id:
                return " ".join(p for p in (row.ref, row.company) if p)
        return None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            lead = int(event.row_key.value)
            raise_dispute(self, lead, self.lead_label(lead))


# -- disputes -------------------------------------------------------------------------


class DisputesPanel(Panel[panels.Disputes]):
    """Open disputes by reason and side, overdue first; Enter opens one in triage."""

    TITLE = "Open disputes"
    FETCH_KEY = "disputes"
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("id", "id"),
        ("due", "Due"),
        ("lead", "Lead"),
        ("side", "By"),
        ("reason", "Claim"),
        ("age", "Age"),
        ("status", "Status"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="panel-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, classes="panel-table")
        yield Static("", classes="panel-selected")

    def fetch_on(self, conn: Connection, now: datetime) -> panels.Disputes:
        return panel_fetch(self, conn, now)

    def _show_selected(self) -> None:
        """Name the dispute under the cursor in full: its lead's CRM id, company, owner."""
        key = cursor_key(self.query_one(DataTable))
        rows = {str(r.dispute_id): r for r in self.data.rows} if self.data else {}
        row = rows.get(key) if key is not None else None
        line = Text("")
        if row is not None:
            line = _selected_line(
                [
                    row.label,
                    f"lead {row.ref}",
                    row.company or "",
                    f"owner {row.owner or 'unassigned'}",
                    f"campaign {row.campaign}" if row.campaign else "",
                ]
            )
        self.query_one(".panel-selected", Static).update(line)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_selected()

    def show(self, data: panels.Disputes) -> None:
        sides = " / ".join(f"{side} {n}" for side, n in data.by_side.items()) or "none"
        reasons = " · ".join(f"{label} {n}" for label, n in data.by_reason.items())
        summary = Text.assemble(
            (f"{data.total} open", "bold"),
            " · ",
            (
                f"{data.overdue} OVERDUE" if data.overdue else "none overdue",
                "bold red" if data.overdue else "green",
            ),
            f" · raised by {sides}",
            "\n",
            (reasons or "no open disputes", "dim"),
        )
        self.query_one(".panel-summary", Static).update(summary)
        table = self.query_one(DataTable)
        ensure_columns(table, self.COLUMNS)
        sync_rows(table, [(str(row.dispute_id), self._cells(row)) for row in data.rows])
        self._show_selected()

    @staticmethod
    def _cells(row: panels.DisputeRow) -> list[Any]:
        if row.overdue:
            due = Text(f"OVERDUE {duration_days(-row.due_in_days)}", style="bold red")
        elif row.due_in_days <= 0:
            due = Text("due now", style="bold yellow")
        elif row.due_in_days < 1:
            due = Text(f"due in {duration_days(row.due_in_days)}", style="yellow")
        else:
            due = Text(f"in {duration_days(row.due_in_days)}")
        status = Text("ESCALATED", style="bold magenta") if row.status == "escalated" else "open"
        return [
            row.label,
            due,
            _lead(row.company, row.ref, width=22),  # a narrower panel than Stalled
            "mkt" if row.raised_by == "marketing" else row.raised_by,
            KIND_LABELS.get(row.kind, row.kind),
            duration_days(row.age_days),
            status,
        ]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(ShowDispute(int(event.row_key.value)))


# -- campaigns ------------------------------------------------------------------------


class CampaignsPanel(Panel[panels.Campaigns]):
    """Campaign scoreboard, worst first: reached-stage counts, rates, money."""

    TITLE = "Campaigns (first touch)"
    FETCH_KEY = "campaigns"
    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("flag", ""),
        ("name", "Campaign"),
        ("leads", "Leads"),
        ("mqls", "MQLs"),
        ("accepted", "Accepted"),
        ("customer", "Lead→cust"),
        ("winrate", "Win rate"),
        ("disputed", "Disputed"),
        ("sourced", "Sourced"),
        ("won", "Won"),
        ("spend", "Spend"),
        ("roi", "Won/spend"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="panel-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, classes="panel-table")

    def fetch_on(self, conn: Connection, now: datetime) -> panels.Campaigns:
        return panel_fetch(self, conn, now)

    def show(self, data: panels.Campaigns) -> None:
        if data.qualifying >= panels.WORST_MIN_CAMPAIGNS:
            judged = f"⚠ worst: below the bottom quartile of {data.qualifying} campaigns"
        else:
            judged = f"⚠ worst: not judged ({data.qualifying} with ≥{panels.WORST_MIN_MQLS} MQLs)"
        legend = Text(
            f"counts = leads that reached the stage · {judged} · ◆ one deal > all its other wins",
            style="dim",
        )
        self.query_one(".panel-summary", Static).update(legend)
        table = self.query_one(DataTable)
        ensure_columns(table, self.COLUMNS)
        sync_rows(table, [(str(row.campaign_id), self._cells(row)) for row in data.rows])

    @staticmethod
    def _cells(row: panels.CampaignRow) -> list[Any]:
        many_disputes = row.dispute_rate is not None and row.dispute_rate > panels.WORST_DISPUTES
        low_accept = row.worst and "accepted" in row.worst_on
        low_customer = row.worst and "customer" in row.worst_on
        roi = f"{row.roi:.1f}×" if row.roi is not None and row.roi < 10 else MISSING
        if row.roi is not None and row.roi >= 10:
            roi = f"{row.roi:.0f}×"
        won = compact(row.won, money=True) + (" ◆" if row.outlier else "")
        return [
            Text("⚠ worst", style="bold red") if row.worst else Text(""),
            row.name,
            compact(row.leads),
            compact(row.mqls),
            Text(percent(row.acceptance_rate), style="bold red" if low_accept else ""),
            Text(percent(row.lead_to_customer), style="bold red" if low_customer else ""),
            percent(row.win_rate),
            Text(percent(row.dispute_rate), style="bold red" if many_disputes else ""),
            compact(row.sourced, money=True),
            Text(won, style="green" if row.won else "dim"),
            compact(row.spend, money=True),
            roi,
        ]


# -- shared goal ----------------------------------------------------------------------


def _goal_number(value: float) -> str:
    """Three significant digits for the big number: 1.82M, 182k, 18.2k."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            scaled = value / limit
            digits = 2 if scaled < 10 else 1 if scaled < 100 else 0
            return f"{scaled:.{digits}f}{suffix}"
    return f"{value:.0f}"


class GoalPanel(Panel[GoalData]):
    """Revenue won in the period vs target: the one number both teams own."""

    TITLE = "Shared goal: revenue won this quarter"
    FETCH_KEY = "goal"

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="goal-top"):
            yield Digits("", classes="goal-digits")
            yield Static("", classes="goal-label")
        yield Sparkline([], classes="goal-trend")

    def fetch_on(self, conn: Connection, now: datetime) -> GoalData:
        return panel_fetch(self, conn, now)

    def show(self, data: GoalData) -> None:
        goal, snap = data.goal, data.snapshot
        self.border_title = f"Shared goal: revenue won {goal.period}"
        self.query_one(Digits).update(_goal_number(goal.won))
        source = "" if goal.target_from == "targets" else " (config)"
        parts: list[Any] = []
        if goal.period_key == "all":
            parts += [
                ("all time", "bold"),
                f" · this quarter's target {compact(goal.target, money=True)}",
            ]
        else:
            gap = goal.won - goal.expected
            parts += [
                (f"{percent(goal.progress)}", "bold"),
                f" of {compact(goal.target, money=True)} target{source}\n",
                Text(
                    f"▲ ahead of pace by {compact(gap, money=True)}"
                    if gap >= 0
                    else f"▼ behind pace by {compact(-gap, money=True)}",
                    style="green" if gap >= 0 else "red",
                ),
            ]
        this_quarter = goal.period == "this quarter"
        if this_quarter and snap and "revenue.won_quarter" in snap.kpis:
            change = goal.won - snap.kpis["revenue.won_quarter"]
            parts += [
                "\n",
                _delta_text(change, good_up=True, money=True),
                f" since {_when(snap.taken_at, data.now)}",
            ]
        parts.append(("\nc: period", "dim"))
        self.query_one(".goal-label", Static).update(Text.assemble(*parts))
        self.query_one(Sparkline).data = goal.trend


__all__ = [
    "CampaignsPanel",
    "DisputesPanel",
    "GoalPanel",
    "PipelinePanel",
    "StalledPanel",
]
