"""The triage queue's table: draws a :class:`standup.triage.TriageQueue`, one row per
dispute, and keeps the cursor's dispute id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.coordinate import Coordinate
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
    """The queue as a table of disputes (row keys are dispute ids).

    Rows are added a page at a time, the next page once the cursor nears the last row
    added: a stock DataTable measures every new row on the UI thread (≈ 0.12 ms each),
    and at 1M leads the queue holds ~7,500 disputes, which froze the screen for about a
    second on ``t``. The room works from the top, so a page is plenty; moving to a
    dispute further down (a search, a decision's next row) adds the pages up to it.
    """

    # Rows added at once, and how near the last one the cursor comes before the next page.
    PAGE = 200
    MARGIN = 40
    # Rows of the page before kept in sight when the cursor turns a page.
    CONTEXT = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._order: list[int] = []  # every visible dispute, in queue order
        self._listed = 0  # how many of them the table has (the first ones)
        self._adding = False
        self._index: dict[int, int] = {}  # dispute id -> its place in _order
        self._queue: TriageQueue | None = None
        self._now: datetime | None = None

    def add_queue_columns(self) -> None:
        """The columns of :data:`COLUMNS` (call once, on mount)."""
        for name in COLUMNS:
            width = STAGE_WIDTH if name == "stage" else None
            self.add_column(name, key=name or "mark", width=width)

    def show(self, queue: TriageQueue, now: datetime) -> None:
        """Redraw the visible rows of ``queue`` (a page of them); the cursor stays on its
        dispute."""
        keep = self.current_id()
        self._order, self._listed = [], 0  # clear() moves the cursor: add nothing then
        self.clear()
        self._queue, self._now = queue, now
        self._order = list(queue.visible())
        self._index = {dispute_id: i for i, dispute_id in enumerate(self._order)}
        self._add_rows(self.PAGE)
        if keep is not None:
            self.move_to(keep)

    @property
    def unlisted(self) -> int:
        """Visible disputes not added to the table yet (the pages below)."""
        return len(self._order) - self._listed

    def _add_rows(self, upto: int) -> None:
        """Add rows until the first ``upto`` of the queue's order are in the table."""
        queue, now = self._queue, self._now
        if queue is None or now is None:
            return
        self._adding = True  # add_row may move the cursor: no page from the watcher
        try:
            for dispute_id in self._order[self._listed : upto]:
                self.add_row(*cells(queue.rows[dispute_id], queue, now), key=str(dispute_id))
                self._listed += 1
        finally:
            self._adding = False

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self._adding and self.unlisted and new.row >= self._listed - self.MARGIN:
            self._add_rows(self._listed + self.PAGE)

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        """Turn a page when the cursor leaves the view, rather than scroll by one row.

        Working down the queue, every decision moves the cursor one row on. Scrolled by
        one row, the table redraws every line it shows, and a decision's frame (the row
        shown pending) went from ~8 to ~25 ms once the cursor had reached the bottom: on
        every decision after the first screenful. Turned a page at a time, it redraws
        once a screenful, and the rows already decided stay where they are on the wall.
        Off the bottom, the cursor's row comes to :attr:`CONTEXT` rows below the top;
        off the top, as far above the bottom. Never animated, whatever ``animate`` asks:
        an animated scroll redraws the table on every frame of it.
        """
        if self.cursor_type != "row" or not self.row_count:
            super()._scroll_cursor_into_view(animate)
            return
        fixed = self._get_fixed_offset().top  # the header's lines (and fixed rows')
        row = self._get_row_region(self.cursor_row)
        seen = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if top + fixed <= row.y and row.bottom <= top + seen:
            return  # in view: nothing moves
        if row.y < top + fixed:
            target = row.bottom + self.CONTEXT - seen
        else:
            target = row.y - fixed - self.CONTEXT
        self.scroll_to(y=max(0, target), animate=False, force=True, immediate=True)

    def action_scroll_bottom(self) -> None:
        """ctrl+end: the last dispute of the queue, every page added."""
        self._add_rows(len(self._order))
        super().action_scroll_bottom()

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
        place = self._index.get(dispute_id)
        if place is not None and place >= self._listed:
            self._add_rows(place + self.PAGE)
        try:
            index = self.get_row_index(str(dispute_id))
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index)
        return True
