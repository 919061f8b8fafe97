"""The dashboard's three list panels: Stalled (leads and deals past their SLA; it also
owns the background restamp of the stored facts), Open disputes and Campaigns. Each is a
table kept in place across refreshes (``table_sync``), fetched with one core function
from ``standup.dashboard.FETCHES`` (:func:`~screens.widgets.panel_format.panel_fetch`).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from screens.messages import ShowDispute
from screens.raise_dispute import raise_dispute
from screens.widgets.in_place import update_in_place
from screens.widgets.panel import Panel
from screens.widgets.panel_format import (
    DEAL_STAGES,
    KIND_LABELS,
    RULE_LABELS,
    SHORT_STAGES,
    lead_text,
    panel_fetch,
    selected_line,
)
from screens.widgets.table_sync import cursor_key, ensure_columns, sync_rows
from standup import facts, panels
from standup.fmt import MISSING, compact, duration_days, percent
from standup.store import Connection

# -- stalled --------------------------------------------------------------------------


T = TypeVar("T")


class ListPanel(Panel[T]):
    """A summary line, the table, and (``SELECTED_LINE``) the row under the cursor in
    full; the data from the panel's core fetch (``FETCH_KEY``)."""

    SELECTED_LINE: ClassVar[bool] = True

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="panel-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, classes="panel-table")
        if self.SELECTED_LINE:
            yield Static("", classes="panel-selected")

    def fetch_on(self, conn: Connection, now: datetime) -> T:
        return panel_fetch(self, conn, now)  # type: ignore[no-any-return]


class StalledPanel(ListPanel[panels.Stalled]):
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

    # After a failed restamp (e.g. a read-only file), wait this long before trying again.
    RESTAMP_BACKOFF_SECONDS = 600.0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._restamp_blocked_until = 0.0
        self._restamp_worker: Worker[int] | None = None
        self.restamps = 0  # completed background restamps (tests wait on it)

    def show(self, data: panels.Stalled) -> None:
        self._show(data)
        if data.needs_restamp:
            self.start_restamp()

    def start_restamp(self) -> None:
        """Rebuild the stored dashboard facts (and stage-entry summary) in the background.

        One write (seconds at 1M leads); at most one at a time, and none for a while
        after one failed. Never on a read-only store: it computes the facts live instead
        (its writing() would refuse anyway). On a team database it runs only when the
        facts were never stamped (or a bulk write dropped the stamp): one stamped under
        another SLA is refused (:func:`standup.team.pgfacts.restamp`) and backs off.
        """
        if self.store.read_only:
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
        # The panel's only worker (its fetches run in the screen's feed).
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
        update_in_place(self.query_one(".panel-summary", Static), summary)
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
            line = selected_line(
                [f"lead {row.ref}", row.company or "", deal, f"owner {row.owner or 'unassigned'}"]
            )
        update_in_place(self.query_one(".panel-selected", Static), line)

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
            lead_text(row.company, row.ref),
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


class DisputesPanel(ListPanel[panels.Disputes]):
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

    def _show_selected(self) -> None:
        """Name the dispute under the cursor in full: its lead's CRM id, company, owner."""
        key = cursor_key(self.query_one(DataTable))
        rows = {str(r.dispute_id): r for r in self.data.rows} if self.data else {}
        row = rows.get(key) if key is not None else None
        line = Text("")
        if row is not None:
            line = selected_line(
                [
                    row.label,
                    f"lead {row.ref}",
                    row.company or "",
                    f"owner {row.owner or 'unassigned'}",
                    f"campaign {row.campaign}" if row.campaign else "",
                ]
            )
        update_in_place(self.query_one(".panel-selected", Static), line)

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
        update_in_place(self.query_one(".panel-summary", Static), summary)
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
            lead_text(row.company, row.ref, width=22),  # a narrower panel than Stalled
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


class CampaignsPanel(ListPanel[panels.Campaigns]):
    """Campaign scoreboard, worst first: reached-stage counts, rates, money."""

    TITLE = "Campaigns (first touch)"
    FETCH_KEY = "campaigns"
    SELECTED_LINE = False
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

    def show(self, data: panels.Campaigns) -> None:
        if data.qualifying >= panels.WORST_MIN_CAMPAIGNS:
            judged = f"⚠ worst: below the bottom quartile of {data.qualifying} campaigns"
        else:
            judged = f"⚠ worst: not judged ({data.qualifying} with ≥{panels.WORST_MIN_MQLS} MQLs)"
        legend = Text(
            f"counts = leads that reached the stage · {judged} · ◆ one deal > all its other wins",
            style="dim",
        )
        update_in_place(self.query_one(".panel-summary", Static), legend)
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
