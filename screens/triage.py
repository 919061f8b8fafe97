"""The Triage screen: settle disputed leads from the keyboard, one key per decision.

Left, the queue of open and escalated disputes (``standup.triage.TriageQueue``, drawn by
:class:`QueueTable`); right, the selected dispute in full. A decision key asks what the
action's spec says it needs (screens/triage_prompts.py), shows the decision on the row at
once, marked pending (``⧗ accepted``), and hands the write to the writer thread, which
posts DecisionApplied / DecisionFailed back: committed, the row reads normally; failed,
it reverts and the status line says why. A locked file is retried, never dropped.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from screens import heap
from screens.raise_dispute import find_lead_to_dispute
from screens.session import session_of
from screens.triage_decide import DecisionActions
from screens.triage_detail import render_detail
from screens.triage_detail_pane import DetailPane
from screens.triage_table import COLUMNS, QueueTable, cells
from screens.triage_writer import Writer
from screens.widgets.in_place import update_in_place
from screens.widgets.question_line import QuestionLine
from screens.widgets.steady_footer import SteadyFooter
from standup import triage
from standup.errors import StandupError
from standup.triage import Applied, QueueRow, TriageQueue

__all__ = ["COLUMNS", "TriageScreen", "render_detail"]

# Team mode: how often the screen looks at the count of commits heard (a local read).
LIVE_POLL_SECONDS = 0.1
# Seconds without a triage write before the WAL is folded into the file.
IDLE_CHECKPOINT_SECONDS = 2.0


class TriageScreen(DecisionActions, DetailPane, Screen[None]):
    """Queue + detail; every key in the DESIGN.md key map for triage. Decisions and what
    the writer reports (:mod:`screens.triage_decide`) and the detail pane
    (:mod:`screens.triage_detail_pane`) are mixed in."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (120, "-wide"),
    ]

    CSS_PATH = "triage.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(s.key, f"decide('{s.name}')", s.title, id=f"triage.{s.name}")
            for s in triage.SPECS
        ),
        Binding("f", "find_lead", "Dispute any lead", id="triage.find_lead"),
        Binding("u", "undo", "Undo", id="triage.undo"),
        Binding("space", "mark", "Mark", id="triage.mark"),
        Binding("slash", "filter", "Filter", key_display="/", id="triage.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="triage.clear_filter"),
        Binding("j", "move(1)", "Down", show=False, id="triage.down"),
        Binding("k", "move(-1)", "Up", show=False, id="triage.up"),
        Binding("ctrl+r", "refresh", "Refresh", id="triage.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queue = TriageQueue()
        self._last: Applied | None = None
        # (first acted row, row the cursor moved on to) of the newest action
        self._advanced: tuple[int | None, int | None] = (None, None)
        self._focus_wanted: int | None = None
        self._loaded_at: float | None = None
        self._detail_timer: Timer | None = None
        self._checkpoint_timer: Timer | None = None
        self._reasons: list[tuple[str, str, str, int | None]] = []
        self._owners: list[tuple[int, str]] = []
        # Bumped when a write lands: a queue read that started before it is stale.
        self._generation = 0
        self._asking = False
        self._seen_changes: object = None
        self._writer = Writer(self.post_message)
        # Where a decision's picks are asked: the status line (screens/widgets/question_line).
        self.ask_line = QuestionLine(self._show_question, lambda: self.size.width)
        # Press-to-shown latency of the last actions (ms), for the benchmark.
        self.latencies: list[float] = []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a decision asks, a key is its answer, not another decision, and so is a
        # click on the footer (on_key already hands every key to the question).
        return not self._asking

    def on_key(self, event: Key) -> None:
        """While a decision asks, every key is the question's (the queue keeps focus)."""
        if self.ask_line.question is not None:
            self.ask_line.key(event)

    def _show_question(self, line: Text) -> None:
        update_in_place(self.query_one("#triage-status", Static), line)

    # The queue's parts under their old names (the team and bench tests read them).
    @property
    def _rows(self) -> dict[int, QueueRow]:
        return self.queue.rows

    @property
    def _order(self) -> list[int]:
        return self.queue.order

    @property
    def _pending(self) -> dict[int, triage.Pending]:
        return self.queue.pending

    @property
    def _marked(self) -> set[int]:
        return self.queue.marked

    @property
    def table(self) -> QueueTable:
        """The queue's table widget."""
        return self.query_one("#triage-queue", QueueTable)

    def _current_id(self) -> int | None:
        return self.table.current_id()

    def _cells(self, row: QueueRow, now: datetime | None = None) -> list[object]:
        return cells(row, self.queue, now or session_of(self).now())

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="triage-main"):
            with Vertical(id="triage-left"):
                yield Input(
                    placeholder="filter: words or campaign:/owner:/reason:/side:",
                    id="triage-filter",
                )
                yield QueueTable(id="triage-queue", cursor_type="row", zebra_stripes=True)
                # Below 120 columns the detail pane does not fit: the claim shows here.
                yield Static("", id="triage-claim")
                yield Static("", id="triage-count")
            with VerticalScroll(id="triage-detail"):
                yield Static("Loading the queue…", id="triage-detail-body")
        yield Static("", id="triage-status")  # also where a decision asks (ask_line)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.table.add_queue_columns()
        self.query_one("#triage-filter", Input).display = False
        self.table.focus()
        self.load_queue()
        # Team mode: reload when anyone commits (LISTEN/NOTIFY counted by the store).
        session = session_of(self)
        if session.hears_commits:
            self._seen_changes = session.change_signature()
            self.set_interval(LIVE_POLL_SECONDS, self._poll_changes)

    def _poll_changes(self) -> None:
        count = session_of(self).change_signature()
        # Not while a prompt is open or a write is in flight: their results update the
        # rows themselves, and the next tick catches up with the rest.
        busy = self._asking or self.queue.pending or not self.is_current
        if count == self._seen_changes or busy:
            return
        self._seen_changes = count
        self.load_queue()

    def on_unmount(self) -> None:
        self._writer.shutdown()
        heap.release()

    def on_screen_resume(self) -> None:
        # Back from another mode: others may have acted meanwhile. (Not after our own
        # prompts: the action they asked for is about to write and will update the rows.)
        if self._loaded_at is not None and not self._asking:
            self.load_queue()

    # -- loading and drawing -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="triage-load")
    def load_queue(self) -> None:
        """Read the queue (and the pickers' lists) in a thread; render on the main thread."""
        session = session_of(self)
        generation = self._generation
        try:
            rows = triage.queue(session.store, session.now())
            reasons = triage.reason_codes(session.store)
            owners = triage.owners(session.store)
        except StandupError as exc:
            self.app.call_from_thread(self._say, f"Could not load the queue: {exc}", error=True)
            return
        self.app.call_from_thread(self._show_queue, rows, reasons, owners, generation)
        triage.prepare_writes()  # after the queue is on its way: it is what the user waits for

    def _show_queue(
        self,
        rows: list[QueueRow],
        reasons: list[tuple[str, str, str, int | None]],
        owners: list[tuple[int, str]],
        generation: int,
    ) -> None:
        self._reasons, self._owners = reasons, owners
        if generation != self._generation:
            # A write landed while this was read: showing it would resurrect settled rows.
            self.load_queue()
            return
        self.queue.load(rows)
        self._loaded_at = time.monotonic()
        self._rebuild()
        if self._focus_wanted is not None:
            wanted, self._focus_wanted = self._focus_wanted, None
            self.focus_dispute(wanted)
        if not self.queue.order:
            self._show_empty()
        # Once the queue is drawn: the collector stops walking it (see screens/heap.py).
        self.call_after_refresh(heap.settle)

    def _rebuild(self) -> None:
        self.table.show(self.queue, session_of(self).now())
        self.queue.cursor = self.table.current_id()
        self._update_count()
        self._schedule_detail()

    def _redraw(self, ids: Sequence[int]) -> None:
        now = session_of(self).now()
        for dispute_id in ids:
            self.table.redraw(self.queue, dispute_id, now)

    def _update_count(self) -> None:
        update_in_place(self.query_one("#triage-count", Static), self.queue.count_line())

    def _show_empty(self) -> None:
        self.query_one("#triage-detail-body", Static).update(
            Text("No open disputes. Nothing to settle today.", style="green")
            if not self.queue.filter
            else Text("No dispute matches the filter (esc clears it).", style="yellow")
        )

    # -- cursor and detail -------------------------------------------------------------

    def focus_dispute(self, dispute_id: int) -> None:
        """Put the cursor on ``dispute_id`` (on a ``ShowDispute`` message)."""
        if self._loaded_at is None:
            self._focus_wanted = dispute_id
            return
        if dispute_id not in self.queue.rows:
            self._say(f"{triage.dispute_label(dispute_id)} is not in the queue (resolved?)")
            return
        if not triage.matches(self.queue.rows[dispute_id], self.queue.filter):
            self._set_filter("")
        self.table.move_to(dispute_id)
        self.table.focus()

    @on(QueueTable.RowHighlighted, "#triage-queue")
    def _highlighted(self) -> None:
        self.queue.cursor = self.table.current_id()
        self._show_claim()
        self._schedule_detail()

    # -- keys --------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """j/k: move the cursor."""
        if step > 0:
            self.table.action_cursor_down()
        else:
            self.table.action_cursor_up()

    def action_mark(self) -> None:
        """Space: mark / unmark the row for a bulk action, then move down."""
        current = self.table.current_id()
        if current is None:
            self._say("The queue is empty: nothing to mark")
            return
        row = self.queue.rows[current]
        if not row.live:
            self._say(f"{row.label} is already settled (u undoes it)")
        else:
            self.queue.toggle_mark(current)
            self._redraw([current])
            self._update_count()
        self.table.action_cursor_down()

    def action_refresh(self) -> None:
        """ctrl+r: reload the queue now."""
        self._say("Refreshing…")
        self.load_queue()

    def refresh_panels(self) -> None:
        """Redaction flipped or a snapshot was recorded: reload and redraw the queue."""
        self.action_refresh()

    def action_filter(self) -> None:
        """/: show the filter input."""
        box = self.query_one("#triage-filter", Input)
        box.display = True
        box.value = self.queue.filter
        box.focus()

    def action_clear_filter(self) -> None:
        """Escape: clear the filter (the marks stay as they are)."""
        if self.queue.filter or self.query_one("#triage-filter", Input).display:
            self._set_filter("")
            self._say("Filter cleared")

    def _set_filter(self, text: str) -> None:
        self._filtered(text)
        if not self.queue.filter:
            box = self.query_one("#triage-filter", Input)
            box.value = ""
            box.display = False
            self.table.focus()

    def _filtered(self, text: str) -> None:
        self.queue.set_filter(text)
        self._rebuild()
        if not self.table.rows:
            self._show_empty()

    @on(Input.Changed, "#triage-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self._filtered(event.value)

    @on(Input.Submitted, "#triage-filter")
    def _filter_done(self) -> None:
        if not self.queue.filter:
            self._set_filter("")
        self.table.focus()

    def action_find_lead(self) -> None:
        """f: raise a new dispute on any lead, found by CRM id or company."""
        find_lead_to_dispute(self)

    def _schedule_checkpoint(self) -> None:
        if self._checkpoint_timer is not None:
            self._checkpoint_timer.stop()
        self._checkpoint_timer = self.set_timer(IDLE_CHECKPOINT_SECONDS, self._idle_checkpoint)

    def _idle_checkpoint(self) -> None:
        if session_of(self).read_only:
            return  # a read-only session never writes, not even a checkpoint
        if self.queue.pending:
            self._schedule_checkpoint()
            return
        self._checkpoint()

    @work(thread=True, exclusive=True, group="triage-checkpoint")
    def _checkpoint(self) -> None:
        # If another process has the file, skip: the WAL stays durable and the next
        # checkpoint (the next idle pause, or any other write's) folds it in.
        with contextlib.suppress(StandupError):
            triage.checkpoint(session_of(self).store)

    def _say(self, message: str, error: bool = False) -> None:
        style = "bold red" if error else "bold"
        update_in_place(self.query_one("#triage-status", Static), Text(message, style=style))
