"""The triage queue's table: draws a :class:`standup.triage.TriageQueue`, one row per
dispute, and keeps the cursor's dispute id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from screens.triage_detail import due_text
from screens.widgets.row_table import RowTable
from standup.triage import QueueRow, TriageQueue

# "lead" is the lead's CRM id (else #<internal id>): what the room looks up in the CRM.
# Who and what first (the room reads left to right and a narrow screen cuts the right).
# The stage comes before the reason: it is where a decision shows (pending, then done),
# and at 160 columns the detail pane leaves the queue room for about seven columns.
COLUMNS = ("", "id", "due", "lead", "company", "owner", "side", "stage", "reason", "campaign")
# Fixed, so a pending "⧗ disqualified" never resizes (redraws) the column.
STAGE_WIDTH = 14


def cells(row: QueueRow, queue: TriageQueue, now: datetime) -> list[Any]:
    """The row's cells: pending rows show their decision at once (``⧗ accepted``)."""
    pending = queue.pending.get(row.dispute_id)
    if pending is not None:
        mark = Text("⧗", style="bold yellow")
    elif not row.live:
        mark = Text("✓", style="bold green")
    elif row.dispute_id in queue.marked:
        mark = Text("●", style="bold magenta")
    else:
        mark = Text(" ")
    side = Text(row.raised_by, style="cyan" if row.raised_by == "marketing" else "yellow")
    due: Text | str = due_text(row, now)
    if row.status == "escalated":
        due = Text.assemble(due, Text(" ▲", style="bold red"))
    stage: Text | str = row.stage
    if pending is not None:
        stage = Text(pending.text, style="italic yellow")
    elif not row.live:
        stage = Text(f"✓ {row.stage}", style="dim")
    return [
        mark,
        row.label,
        due,
        row.ref,
        row.company or "",
        row.owner or "—",
        side,
        stage,
        row.reason_code,
        row.campaign or "—",
    ]


class QueueTable(RowTable):
    """The queue as a table of disputes (row keys are dispute ids)."""

    def add_queue_columns(self) -> None:
        """The columns of :data:`COLUMNS` (call once, on mount)."""
        for name in COLUMNS:
            width = STAGE_WIDTH if name == "stage" else None
            self.add_column(name, key=name or "mark", width=width)

    def show(self, queue: TriageQueue, now: datetime) -> None:
        """Redraw every visible row of ``queue``; the cursor stays on its dispute."""
        keep = self.current_id()
        self.clear()
        for dispute_id in queue.visible():
            self.add_row(*cells(queue.rows[dispute_id], queue, now), key=str(dispute_id))
        if keep is not None:
            self.move_to(keep)

    def redraw(self, queue: TriageQueue, dispute_id: int, now: datetime) -> None:
        """Re-render one row in place (not the whole table)."""
        row = queue.rows.get(dispute_id)
        if row is not None:
            self.replace_row(str(dispute_id), cells(row, queue, now))

    def current_id(self) -> int | None:
        """The dispute under the cursor, or None for an empty table."""
        if not self.rows:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return int(key.value) if key.value is not None else None

    def move_to(self, dispute_id: int) -> bool:
        """Put the cursor on ``dispute_id``; False if it is not listed."""
        try:
            index = self.get_row_index(str(dispute_id))
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index)
        return True
