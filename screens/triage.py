"""The Triage screen: settle disputed leads from the keyboard, one key per decision.

Left, the queue of open and escalated disputes (overdue first, then oldest); right, the
selected dispute in full. Every decision goes through :mod:`standup.triage` on a writer
thread: the row shows *pending* at once and the cursor moves on; when the commit lands
the row goes (or updates) and the status line says what happened. A locked file is
retried in the background, never dropped; a conflict reloads the row.
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from screens import heap
from screens.widgets.pickers import ChoiceModal, TextModal
from screens.widgets.row_table import RowTable
from screens.widgets.steady_footer import SteadyFooter
from standup import triage
from standup.errors import DatabaseLocked, StandupError
from standup.fmt import compact, deal_ref, lead_ref
from standup.redact import Redactor
from standup.triage import Applied, QueueRow, Target

if TYPE_CHECKING:
    from screens.app import StandupApp

FAULT_CHOICES = [
    ("marketing", "marketing — the lead or its data was not ready"),
    ("sales", "sales — the lead deserved (faster) work"),
    ("data", "data — routing, duplicates, bad fields"),
    ("none", "none — nobody's fault"),
]
FAULT_KEYS = {"m": "marketing", "s": "sales", "d": "data", "n": "none"}
# How many times a write is retried when another process holds the file (each attempt
# already waits the store's own lock timeout); after that the row is left unchanged.
LOCK_ATTEMPTS = 3
# Team mode: how often the screen looks at the count of commits heard (a local read).
LIVE_POLL_SECONDS = 0.1
# Seconds without a triage write before the WAL is folded into the file.
IDLE_CHECKPOINT_SECONDS = 2.0
# "lead" is the lead's CRM id (else #<internal id>): what the room looks up in the CRM.
# Who and what first (the room reads left to right and a narrow screen cuts the right).
COLUMNS = ("", "id", "due", "lead", "company", "owner", "side", "reason", "stage", "campaign")


def actor_name() -> str:
    """Who is driving: ``STANDUP_ACTOR`` or the login name, recorded on every event."""
    try:
        return os.environ.get("STANDUP_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "standup"


def _due_text(row: QueueRow, now: datetime) -> Text:
    hours = (row.due_at - now).total_seconds() / 3600
    if hours < 0:
        span = f"{-hours / 24:.0f}d" if -hours >= 24 else f"{-hours:.0f}h"
        return Text(f"{span} over", style="bold red")
    span = f"{hours / 24:.0f}d" if hours >= 24 else f"{hours:.0f}h"
    return Text(f"in {span}", style="green")


@dataclass
class _Pending:
    """An action on its way to the file: what the row says meanwhile."""

    action: str
    note: str = "⧗"  # "locked…" while another process holds the file


def revisit_problem(text: str, today: date) -> str | None:
    """Why ``text`` is not a usable revisit date (None when it is): the recycle dialog
    stays open with this message instead of closing on a typo."""
    try:
        revisit = date.fromisoformat(text.strip())
    except ValueError:
        return f"{text.strip()!r} is not a date: write YYYY-MM-DD"
    if revisit <= today:
        return f"{revisit} is not after today ({today}): pick a later date"
    return None


class TriageScreen(Screen[None]):
    """Queue + detail; every key in the DESIGN.md key map for triage."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (120, "-wide"),
    ]

    CSS_PATH = "triage.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accept')", "Accept", id="triage.accept"),
        Binding("x", "decide('disqualify')", "Disqualify", id="triage.disqualify"),
        Binding("r", "decide('recycle')", "Recycle", id="triage.recycle"),
        Binding("o", "decide('reassign')", "Reassign", id="triage.reassign"),
        Binding("e", "decide('escalate')", "Escalate", id="triage.escalate"),
        Binding("n", "decide('note')", "Note", id="triage.note"),
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
        self._rows: dict[int, QueueRow] = {}
        self._order: list[int] = []  # dispute ids shown, in queue order (+ settled ones)
        self._marked: set[int] = set()
        self._pending: dict[int, _Pending] = {}
        self._last: Applied | None = None
        # (first acted row, row the cursor moved on to) of the newest action
        self._advanced: tuple[int | None, int | None] = (None, None)
        self._filter = ""
        self._focus_wanted: int | None = None
        self._loaded_at: float | None = None
        self._detail_timer: Timer | None = None
        self._checkpoint_timer: Timer | None = None
        self._reasons: list[tuple[str, str, str, int | None]] = []
        self._owners: list[tuple[int, str]] = []
        # Bumped when a write lands: a queue read that started before it is stale.
        self._generation = 0
        self._asking = False
        # Live (open/escalated) and overdue rows in _order, kept as rows change: the count
        # line is redrawn on every key, and counting thousands of rows each time showed.
        self._open_count = 0
        self._overdue_count = 0
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="triage-write")
        # Press-to-shown latency of the last actions (ms), for the benchmark.
        self.latencies: list[float] = []

    @property
    def standup(self) -> StandupApp:
        """The app, typed (it holds store, config and clock)."""
        return cast("StandupApp", self.app)

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="triage-main"):
            with Vertical(id="triage-left"):
                yield Input(
                    placeholder="filter: words or campaign:/owner:/reason:/side:",
                    id="triage-filter",
                )
                yield RowTable(id="triage-queue", cursor_type="row", zebra_stripes=True)
                # Below 120 columns the detail pane does not fit: the claim shows here.
                yield Static("", id="triage-claim")
                yield Static("", id="triage-count")
            with VerticalScroll(id="triage-detail"):
                yield Static("Loading the queue…", id="triage-detail-body")
        yield Static("", id="triage-status")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#triage-queue", DataTable)
        for name in COLUMNS:
            # Fixed, so a pending "→ disqualify" never resizes (redraws) the column.
            width = 14 if name == "stage" else None
            table.add_column(name, key=name or "mark", width=width)
        self.query_one("#triage-filter", Input).display = False
        table.focus()
        self.load_queue()
        # Team mode: reload when anyone commits (LISTEN/NOTIFY counted by the store).
        changes = getattr(self.standup.store, "changes", None)
        if callable(changes):
            self._seen_changes = changes()
            self.set_interval(LIVE_POLL_SECONDS, self._poll_changes)

    def _poll_changes(self) -> None:
        count = self.standup.store.changes()  # type: ignore[attr-defined]
        # Not while a prompt is open or a write is in flight: their results update the
        # rows themselves, and the next tick catches up with the rest.
        if count == self._seen_changes or self._asking or self._pending or not self.is_current:
            return
        self._seen_changes = count
        self.load_queue()

    def on_unmount(self) -> None:
        # Writes already queued still run (and commit); nothing new is accepted.
        self._writer.shutdown(wait=False)
        heap.release()

    def on_screen_resume(self) -> None:
        # Back from another mode: others may have acted meanwhile. (Not after our own
        # prompts: the action they asked for is about to write and will update the rows.)
        if self._loaded_at is not None and not self._asking:
            self.load_queue()

    # -- loading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="triage-load")
    def load_queue(self) -> None:
        """Read the queue (and the pickers' lists) in a thread; render on the main thread."""
        app = self.standup
        now = app.clock.now()
        generation = self._generation
        try:
            rows = triage.queue(app.store, now)
            reasons = triage.reason_codes(app.store)
            owners = triage.owners(app.store)
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
        fresh = {r.dispute_id: r for r in rows}
        # Rows with an action in flight keep their last known state until it lands.
        for dispute_id in self._pending:
            if dispute_id in self._rows and dispute_id not in fresh:
                fresh[dispute_id] = self._rows[dispute_id]
        self._rows = fresh
        self._order = sorted(fresh, key=lambda i: _order_key(fresh[i]))
        self._recount()
        self._marked &= set(fresh)
        self._loaded_at = time.monotonic()
        self._rebuild()
        if self._focus_wanted is not None:
            wanted, self._focus_wanted = self._focus_wanted, None
            self.focus_dispute(wanted)
        if not self._order:
            self._show_empty()
        # Once the queue is drawn: the collector stops walking it (see screens/heap.py).
        self.call_after_refresh(heap.settle)

    def _visible(self) -> list[int]:
        return [i for i in self._order if _matches(self._rows[i], self._filter)]

    def _rebuild(self) -> None:
        table = self.query_one("#triage-queue", DataTable)
        keep = self._current_id()
        table.clear()
        now = self.standup.clock.now()
        for dispute_id in self._visible():
            table.add_row(*self._cells(self._rows[dispute_id], now), key=str(dispute_id))
        if keep is not None:
            self._move_to(keep)
        self._update_count()
        self._schedule_detail()

    def _cells(self, row: QueueRow, now: datetime) -> list[Any]:
        pending = self._pending.get(row.dispute_id)
        if pending is not None:
            mark = Text("⧗", style="bold yellow")
        elif not row.live:
            mark = Text("✓", style="bold green")
        elif row.dispute_id in self._marked:
            mark = Text("●", style="bold magenta")
        else:
            mark = Text(" ")
        side = Text(row.raised_by, style="cyan" if row.raised_by == "marketing" else "yellow")
        due: Text | str = _due_text(row, now)
        if row.status == "escalated":
            due = Text.assemble(due, Text(" ▲", style="bold red"))
        stage: Text | str = row.stage
        if pending is not None:
            # ⧗: on its way to the file (the status line says pending / retrying)
            stage = Text(f"{pending.note} {pending.action}", style="italic yellow")
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
            row.reason_code,
            stage,
            row.campaign or "—",
        ]

    def _refresh_row(self, dispute_id: int) -> None:
        # One row re-rendered, not the whole table (see RowTable).
        row = self._rows.get(dispute_id)
        if row is None:
            return
        table = self.query_one("#triage-queue", RowTable)
        table.replace_row(str(dispute_id), self._cells(row, self.standup.clock.now()))

    def _update_count(self) -> None:
        visible = len(self.query_one("#triage-queue", DataTable).rows)
        total, overdue = self._open_count, self._overdue_count
        settled = len(self._order) - total
        parts = [f"{visible} shown of {total} open" if self._filter else f"{total} open"]
        parts.append(f"{overdue} overdue")
        if settled:
            parts.append(f"{settled} settled (ctrl+r clears)")
        if self._marked:
            parts.append(f"{len(self._marked)} marked")
        if self._pending:
            parts.append(f"{len(self._pending)} pending")
        if self._filter:
            parts.append(f"filter: {self._filter}")
        # One line high and as wide as its column: no layout pass needed.
        self.query_one("#triage-count", Static).update(" · ".join(parts), layout=False)

    def _show_empty(self) -> None:
        self.query_one("#triage-detail-body", Static).update(
            Text("No open disputes. Nothing to settle today.", style="green")
            if not self._filter
            else Text("No dispute matches the filter (esc clears it).", style="yellow")
        )

    # -- cursor and detail -------------------------------------------------------------

    def _current_id(self) -> int | None:
        table = self.query_one("#triage-queue", DataTable)
        if not table.rows:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return int(key.value) if key.value is not None else None

    def _move_to(self, dispute_id: int) -> bool:
        table = self.query_one("#triage-queue", DataTable)
        try:
            index = table.get_row_index(str(dispute_id))
        except RowDoesNotExist:
            return False
        table.move_cursor(row=index)
        return True

    def focus_dispute(self, dispute_id: int) -> None:
        """Put the cursor on ``dispute_id`` (called by ``StandupApp.show_dispute``)."""
        if self._loaded_at is None:
            self._focus_wanted = dispute_id
            return
        if dispute_id not in self._rows:
            self._say(f"{triage.dispute_label(dispute_id)} is not in the queue (resolved?)")
            return
        if not _matches(self._rows[dispute_id], self._filter):
            self._set_filter("")
        self._move_to(dispute_id)
        self.query_one("#triage-queue", DataTable).focus()

    @on(DataTable.RowHighlighted, "#triage-queue")
    def _highlighted(self) -> None:
        self._show_claim()
        self._schedule_detail()

    def _show_claim(self) -> None:
        """The highlighted dispute's claim under the queue (narrow screens' only view of
        it), redacted like the detail pane."""
        current = self._current_id()
        row = self._rows.get(current) if current is not None else None
        text = Text()
        if row is not None:
            names = (row.contact_name,) if row.contact_name else ()
            claim = self.standup.redactor.text(row.claim, names)
            text.append(f"{row.label} {row.raised_by}: ", style="bold")
            text.append(claim)
        self.query_one("#triage-claim", Static).update(text)

    def _schedule_detail(self) -> None:
        # Holding j/k should not start a query per row: wait until the cursor rests.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(0.08, self._load_detail)

    def _load_detail(self) -> None:
        if self._pending:
            # A write is on its way: don't take the file from it; _applied reschedules us.
            return
        current = self._current_id()
        if current is None:
            if self._loaded_at is not None:
                self._show_empty()
            return
        row = self._rows.get(current)
        if row is not None:
            self._fetch_detail(row)

    @work(thread=True, exclusive=True, group="triage-detail")
    def _fetch_detail(self, row: QueueRow) -> None:
        try:
            detail = triage.detail(self.standup.store, row.lead_id)
        except StandupError as exc:
            self.app.call_from_thread(self._say, f"Could not load {row.label}: {exc}", error=True)
            return
        self.app.call_from_thread(self._show_detail, row, detail)

    def _show_detail(self, row: QueueRow, detail: triage.Detail) -> None:
        if self._current_id() != row.dispute_id:
            return
        try:
            target = self.query_one("#triage-detail-body", Static)
        except NoMatches:
            return  # the app is quitting: its widgets went while the worker finished
        target.update(render_detail(row, detail, self.standup.redactor))

    # -- actions -----------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """j/k: move the cursor."""
        table = self.query_one("#triage-queue", DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_mark(self) -> None:
        """Space: mark / unmark the row for a bulk action, then move down."""
        current = self._current_id()
        if current is None:
            self._say("The queue is empty: nothing to mark")
            return
        if not self._rows[current].live:
            self._say(f"{self._rows[current].label} is already settled (u undoes it)")
            self.query_one("#triage-queue", DataTable).action_cursor_down()
            return
        if current in self._marked:
            self._marked.discard(current)
        else:
            self._marked.add(current)
        self._refresh_row(current)
        self._update_count()
        self.query_one("#triage-queue", DataTable).action_cursor_down()

    def action_refresh(self) -> None:
        """ctrl+r: reload the queue now."""
        self._say("Refreshing…")
        self.load_queue()

    def action_filter(self) -> None:
        """/: show the filter input."""
        box = self.query_one("#triage-filter", Input)
        box.display = True
        box.value = self._filter
        box.focus()

    def action_clear_filter(self) -> None:
        """Escape: clear the filter (and the marks' visibility stays as it is)."""
        if self._filter or self.query_one("#triage-filter", Input).display:
            self._set_filter("")
            self._say("Filter cleared")

    def _set_filter(self, text: str) -> None:
        self._filter = text.strip()
        box = self.query_one("#triage-filter", Input)
        if not self._filter:
            box.value = ""
            box.display = False
            self.query_one("#triage-queue", DataTable).focus()
        self._rebuild()
        if not self.query_one("#triage-queue", DataTable).rows:
            self._show_empty()

    @on(Input.Changed, "#triage-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self._filter = event.value.strip()
        self._rebuild()
        if not self.query_one("#triage-queue", DataTable).rows:
            self._show_empty()

    @on(Input.Submitted, "#triage-filter")
    def _filter_done(self) -> None:
        if not self._filter:
            self._set_filter("")
        self.query_one("#triage-queue", DataTable).focus()

    def _targets(self) -> list[QueueRow]:
        """The marked rows (visible or not), else the row under the cursor."""
        if self._marked:
            return [self._rows[i] for i in self._order if i in self._marked]
        current = self._current_id()
        return [self._rows[current]] if current is not None and current in self._rows else []

    def action_decide(self, action: str) -> None:
        """a/x/r/o/e/n: ask what the action needs, then apply it in the background."""
        if self.standup.refuse_write(action.capitalize()):  # served / --read-only session
            return
        targets = self._targets()
        if not targets:
            self._say("The queue is empty: nothing to " + action, error=True)
            return
        busy = [r.label for r in targets if r.dispute_id in self._pending]
        if busy:
            self._say(f"{', '.join(busy[:3])}: an action is still pending", error=True)
            return
        self._ask_and_apply(action, targets)

    @work(exclusive=True, group="triage-ask")
    async def _ask_and_apply(self, action: str, targets: list[QueueRow]) -> None:
        self._asking = True
        try:
            await self._ask_then_start(action, targets)
        finally:
            self._asking = False

    async def _ask_then_start(self, action: str, targets: list[QueueRow]) -> None:
        first = targets[0]
        who = first.label if len(targets) == 1 else f"{len(targets)} disputes"
        kwargs: dict[str, Any] = {}
        if action == "disqualify":
            options = [
                (code, f"{code} — {label}")
                for code, kind, label, _ in self._reasons
                if kind in triage.DISQUALIFY_KINDS
            ]
            code = await self.app.push_screen_wait(
                ChoiceModal(f"Disqualify {who}: reason code", options, filterable=True)
            )
            if code is None:
                return self._say("Disqualify cancelled")
            kwargs["reason_code"] = code
        elif action == "recycle":
            proposal = await self._default_revisit(first)
            today = self.standup.clock.now().date()
            text = await self.app.push_screen_wait(
                TextModal(
                    f"Recycle {who}: revisit on (YYYY-MM-DD, default from reason {proposal[0]})",
                    initial=proposal[1].isoformat(),
                    validate=lambda text: revisit_problem(text, today),
                )
            )
            if text is None:
                return self._say("Recycle cancelled")
            kwargs["revisit_on"] = date.fromisoformat(text.strip())
            kwargs["reason_code"] = proposal[0]
        elif action == "reassign":
            options = [(str(pid), name) for pid, name in self._owners if pid != first.owner_id]
            picked = await self.app.push_screen_wait(
                ChoiceModal(f"Reassign {who} to", options, filterable=True)
            )
            if picked is None:
                return self._say("Reassign cancelled")
            kwargs["owner_id"] = int(picked)
        elif action == "note":
            text = await self.app.push_screen_wait(TextModal(f"Note on {who}"))
            if text is None or not text.strip():
                return self._say("Note cancelled (empty)")
            kwargs["note"] = text
        if action in triage.DECISIONS:
            default = triage.default_fault(action, first.raised_by)
            fault = await self.app.push_screen_wait(
                ChoiceModal(
                    f"{action.capitalize()} {who}: whose fault? (m/s/d/n)",
                    FAULT_CHOICES,
                    default=default,
                    shortcuts=FAULT_KEYS,
                    hint=f"enter = {default} · m s d n pick · esc cancel",
                )
            )
            if fault is None:
                return self._say(f"{action.capitalize()} cancelled")
            kwargs["fault"] = fault
        self._start(action, targets, kwargs)

    async def _default_revisit(self, row: QueueRow) -> tuple[str, date]:
        app = self.standup
        worker = self.run_worker(
            lambda: triage.default_revisit(app.store, row.dispute_id, app.clock.now()),
            thread=True,
            group="triage-read",
        )
        result = await worker.wait()
        return cast("tuple[str, date]", result)

    def _start(self, action: str, rows: Sequence[QueueRow], kwargs: dict[str, Any]) -> None:
        """Write in a thread; meanwhile show the rows as pending and move the cursor on."""
        started = time.perf_counter()
        ids = [r.dispute_id for r in rows]
        for dispute_id in ids:
            self._pending[dispute_id] = _Pending(action)
        targets = [Target(r.dispute_id, r.version) for r in rows]
        label = rows[0].label if len(rows) == 1 else f"{len(rows)} disputes"
        store, now, actor = self.standup.store, self.standup.clock.now(), actor_name()
        # The write goes first: the screen updates below then overlap with it.
        self._write(
            lambda: triage.apply(store, action, targets, now=now, actor=actor, **kwargs),
            ids,
            f"{action} {label}",
            started,
        )
        for dispute_id in ids:
            self._marked.discard(dispute_id)
            self._refresh_row(dispute_id)
        self._advance_past(ids)
        # Where the cursor went on its own: a refused action brings it back from there.
        self._advanced = (ids[0], self._current_id())
        self._update_count()

    def _advance_past(self, ids: Sequence[int]) -> None:
        """Move the cursor to the next row not being acted on (wrapping around)."""
        table = self.query_one("#triage-queue", DataTable)
        visible = table.ordered_rows  # cached by the table: no pass over every row
        if not visible:
            return
        current = self._current_id()
        start = table.cursor_row if current is not None else 0
        acted = set(ids)
        for step in range(len(visible)):
            index = (start + step) % len(visible)
            dispute_id = int(str(visible[index].key.value))
            row = self._rows.get(dispute_id)
            live = row is not None and row.live
            if live and dispute_id not in acted and dispute_id not in self._pending:
                table.move_cursor(row=index)
                return

    def action_find_lead(self) -> None:
        """f: raise a new dispute on any lead, found by CRM id or company."""
        self.standup.find_lead_to_dispute()

    def action_undo(self) -> None:
        """u: undo this session's last action (a compensating event; u again redoes)."""
        if self.standup.refuse_write("Undo"):
            return
        last = self._last
        if last is None:
            self._say("Nothing to undo: no action yet in this session", error=True)
            return
        ids = [r.dispute_id for r in last.rows]
        busy = [i for i in ids if i in self._pending]
        if busy:
            self._say("The last action's rows are still pending", error=True)
            return
        started = time.perf_counter()
        for dispute_id in ids:
            self._pending[dispute_id] = _Pending("undo")
            if dispute_id not in self._rows:
                self._rows[dispute_id] = next(r for r in last.rows if r.dispute_id == dispute_id)
            self._refresh_row(dispute_id)
        self._update_count()
        event_ids = last.event_ids
        self._write(
            lambda: triage.undo(
                self.standup.store, event_ids, now=self.standup.clock.now(), actor=actor_name()
            ),
            ids,
            "undo",
            started,
        )

    def _write(
        self, call: Callable[[], Applied], ids: list[int], what: str, started: float
    ) -> None:
        # Straight onto the writer thread: a Textual worker would first wait for an
        # asyncio task step, i.e. behind the frame the key press just scheduled. One
        # thread also keeps the writes in the order the keys were pressed. The copied
        # context carries the active app, for call_from_thread after an unmount.
        context = contextvars.copy_context()
        self._writer.submit(context.run, self._write_in_thread, call, ids, what, started)

    def _write_in_thread(
        self, call: Callable[[], Applied], ids: list[int], what: str, started: float
    ) -> None:
        """Run one action; a locked file is retried, never dropped silently."""
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                result = call()
            except DatabaseLocked as exc:
                if attempt == LOCK_ATTEMPTS:
                    self.app.call_from_thread(
                        self._failed, ids, f"{what} failed, rows unchanged: {exc}"
                    )
                    return
                # The exception says which: a file another process holds, or (team mode)
                # a server that cannot be reached right now.
                self.app.call_from_thread(
                    self._still_pending, ids, f"{what}: {exc}; retrying ({attempt})…"
                )
                continue
            except triage.Conflict as exc:
                self.app.call_from_thread(self._conflict, ids, str(exc))
                return
            except StandupError as exc:
                self.app.call_from_thread(self._failed, ids, f"{what}: {exc}")
                return
            except Exception as exc:
                # Not a worker any more, so nothing else would report a bug: say it on the
                # row's status line rather than leave the row pending forever.
                self.app.call_from_thread(
                    self._failed, ids, f"{what} failed, rows unchanged: {exc!r}"
                )
                raise
            self.app.call_from_thread(self._applied, result, started)
            return

    def _still_pending(self, ids: list[int], message: str) -> None:
        for dispute_id in ids:
            if dispute_id in self._pending:
                self._pending[dispute_id].note = "locked…"
                self._refresh_row(dispute_id)
        self._say(message, error=True)

    def _failed(self, ids: list[int], message: str) -> None:
        for dispute_id in ids:
            self._pending.pop(dispute_id, None)
            self._refresh_row(dispute_id)
        acted, landed = self._advanced
        if acted in ids and landed == self._current_id():
            # Refused (say, already escalated): the cursor moved on for nothing. Back to
            # the row it was on, unless the user has moved it since.
            self._move_to(acted)
        self._prune_unlisted(ids)
        self._update_count()
        self._schedule_detail()
        self._say(message, error=True)

    def _conflict(self, ids: list[int], message: str) -> None:
        self._failed(ids, message)
        self._reload_rows(ids)

    @work(thread=True, group="triage-read")
    def _reload_rows(self, ids: list[int]) -> None:
        app = self.standup
        try:
            rows = triage.rows(app.store, app.clock.now(), ids)
        except StandupError:
            return
        self.app.call_from_thread(self._merge_rows, rows, False)

    def _prune_unlisted(self, ids: list[int]) -> None:
        # An undo that failed leaves rows of resolved disputes we re-added: drop them again.
        for dispute_id in ids:
            row = self._rows.get(dispute_id)
            if row is not None and not row.live and dispute_id not in self._order:
                del self._rows[dispute_id]

    def _applied(self, result: Applied, started: float) -> None:
        self._generation += 1
        for row in result.rows:
            self._pending.pop(row.dispute_id, None)
        self._merge_rows(result.rows, result.action == "undo")
        self._last = result
        self._say(result.summary)
        self.latencies.append((time.perf_counter() - started) * 1000)
        self._schedule_checkpoint()

    def _merge_rows(self, rows: Sequence[QueueRow], focus_back: bool) -> None:
        """Put fresh rows in. Settled rows stay in place, dimmed, until the next refresh.

        Removing a row from a DataTable of thousands re-lays out the whole table (hundreds
        of ms on a big queue); updating its cells in place costs a fraction of that, and
        the room still sees what was just decided. ``ctrl+r`` drops them.
        """
        reinsert = False
        for row in rows:
            present = row.dispute_id in self._order
            if present:
                self._tally(self._rows[row.dispute_id], -1)
                self._tally(row, +1)
                self._rows[row.dispute_id] = row
                if not row.live:
                    self._marked.discard(row.dispute_id)
                self._refresh_row(row.dispute_id)
            elif row.live:
                self._tally(row, +1)
                self._rows[row.dispute_id] = row
                self._order.append(row.dispute_id)
                reinsert = True
            else:
                self._rows.pop(row.dispute_id, None)
        if reinsert:
            self._order.sort(key=lambda i: _order_key(self._rows[i]))
            self._rebuild()
        if focus_back and rows:
            self._move_to(rows[0].dispute_id)
        self._update_count()
        self._schedule_detail()
        if not self._open_count:
            self._show_empty()

    def _recount(self) -> None:
        """Count the live and overdue rows of _order from scratch (after a load)."""
        self._open_count = self._overdue_count = 0
        for dispute_id in self._order:
            self._tally(self._rows[dispute_id], +1)

    def _tally(self, row: QueueRow, sign: int) -> None:
        """Add (+1) or remove (-1) one row of _order from the live / overdue counts."""
        if row.live:
            self._open_count += sign
            self._overdue_count += sign if row.overdue else 0

    def _schedule_checkpoint(self) -> None:
        if self._checkpoint_timer is not None:
            self._checkpoint_timer.stop()
        self._checkpoint_timer = self.set_timer(IDLE_CHECKPOINT_SECONDS, self._idle_checkpoint)

    def _idle_checkpoint(self) -> None:
        if self.standup.read_only:
            return  # a read-only session never writes, not even a checkpoint
        if self._pending:
            self._schedule_checkpoint()
            return
        self._checkpoint()

    @work(thread=True, exclusive=True, group="triage-checkpoint")
    def _checkpoint(self) -> None:
        # If another process has the file, skip: the WAL stays durable and the next
        # checkpoint (the next idle pause, or any other write's) folds it in.
        with contextlib.suppress(StandupError):
            triage.checkpoint(self.standup.store)

    def _say(self, message: str, error: bool = False) -> None:
        status = self.query_one("#triage-status", Static)
        style = "bold red" if error else "bold"
        status.update(Text(message, style=style), layout=False)  # fixed size: no layout pass


def _order_key(row: QueueRow) -> tuple[bool, datetime, int]:
    return (not row.overdue, row.opened_at, row.dispute_id)


def _matches(row: QueueRow, text: str) -> bool:
    """Filter terms: ``campaign:``, ``owner:``, ``reason:``, ``side:`` or bare words (any)."""
    if not text:
        return True
    fields = {
        "campaign": (row.campaign or "").lower(),
        "owner": (row.owner or "").lower(),
        "reason": row.reason_code.lower(),
        "side": row.raised_by.lower(),
        "lead": row.ref.lower(),
    }
    for term in text.lower().split():
        key, sep, value = term.partition(":")
        if sep and key in fields:
            if value not in fields[key]:
                return False
        elif (
            not any(term in v for v in fields.values()) and term not in (row.company or "").lower()
        ):
            return False
    return True


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
