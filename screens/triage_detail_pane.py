"""The triage screen's view of the highlighted dispute: its claim under the queue (narrow
screens) and the detail pane, read in a thread once the cursor rests on a row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.css.query import NoMatches
from textual.widgets import Static

from screens.session import session_of
from screens.triage_detail import render_detail
from screens.widgets.in_place import update_in_place
from standup import triage
from standup.errors import StandupError
from standup.triage import QueueRow

if TYPE_CHECKING:
    from screens.triage import TriageScreen


class DetailPane:
    """:class:`~screens.triage.TriageScreen`'s claim line and detail pane (mixed into it
    only)."""

    def _show_claim(self: TriageScreen) -> None:
        """The highlighted dispute's claim under the queue (narrow screens' only view of
        it), redacted like the detail pane."""
        current = self.queue.cursor
        row = self.queue.rows.get(current) if current is not None else None
        text = Text()
        if row is not None:
            names = (row.contact_name,) if row.contact_name else ()
            text.append(f"{row.label} {row.raised_by}: ", style="bold")
            text.append(session_of(self).redactor.text(row.claim, names))
        update_in_place(self.query_one("#triage-claim", Static), text)

    def _schedule_detail(self: TriageScreen) -> None:
        # Holding j/k should not start a query per row: wait until the cursor rests.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(0.08, self._load_detail)

    def _load_detail(self: TriageScreen) -> None:
        if self.queue.pending:
            # A write is on its way: don't take the file from it; _applied reschedules us.
            return
        current = self.table.current_id()
        if current is None:
            if self._loaded_at is not None:
                self._show_empty()
            return
        row = self.queue.rows.get(current)
        if row is not None:
            self._fetch_detail(row)

    @work(thread=True, exclusive=True, group="triage-detail")
    def _fetch_detail(self: TriageScreen, row: QueueRow) -> None:
        try:
            detail = triage.detail(session_of(self).store, row.lead_id)
        except StandupError as exc:
            self.app.call_from_thread(self._say, f"Could not load {row.label}: {exc}", error=True)
            return
        self.app.call_from_thread(self._show_detail, row, detail)

    def _show_detail(self: TriageScreen, row: QueueRow, detail: triage.Detail) -> None:
        if self.table.current_id() != row.dispute_id:
            return
        try:
            target = self.query_one("#triage-detail-body", Static)
        except NoMatches:
            return  # the app is quitting: its widgets went while the worker finished
        update_in_place(target, render_detail(row, detail, session_of(self).redactor))
