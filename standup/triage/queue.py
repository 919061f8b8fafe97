"""The triage queue as the screen shows it, in plain Python: rows in queue order, the
filter, marks, the rows with an action in flight (pending), and the tallies.

The screen renders a :class:`TriageQueue` and feeds it what the store returns; tests
drive one without a terminal. It never reads the database itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from standup.triage.actions import PAST_TENSE
from standup.triage.models import QueueRow, queue_order

# What a pending row's stage column says while another process holds the file.
LOCKED = "locked…"


@dataclass
class Pending:
    """An action on its way to the file: what the row says meanwhile."""

    action: str
    note: str = "⧗"  # LOCKED while another process holds the file

    @property
    def text(self) -> str:
        """``⧗ accepted``: the decision, shown at once, marked as not yet committed."""
        return f"{self.note} {PAST_TENSE.get(self.action, self.action)}"


def matches(row: QueueRow, text: str) -> bool:
    """Filter terms: ``campaign:``, ``owner:``, ``reason:``, ``side:``, ``lead:`` or bare
    words (each must appear in one of those or the company)."""
    if not text:
        return True
    fields = {
        "campaign": (row.campaign or "").lower(),
        "owner": (row.owner or "").lower(),
        "reason": row.reason_code.lower(),
        "side": row.raised_by.lower(),
        "lead": row.ref.lower(),
    }
    company = (row.company or "").lower()
    for term in text.lower().split():
        key, sep, value = term.partition(":")
        if sep and key in fields:
            if value not in fields[key]:
                return False
        elif not any(term in v for v in fields.values()) and term not in company:
            return False
    return True


@dataclass(frozen=True)
class Merged:
    """What a merge changed: rows to redraw in place, or the whole list (``rebuilt``)."""

    redraw: tuple[int, ...]
    rebuilt: bool


class TriageQueue:
    """Rows in queue order plus what the room did to them in this session.

    Settled rows (resolved by a decision here) stay in :attr:`order`, dimmed, until the
    next :meth:`load`: the room still sees what was just decided, and the screen need
    not re-lay out a big table to drop a row.
    """

    def __init__(self) -> None:
        self.rows: dict[int, QueueRow] = {}
        self.order: list[int] = []  # dispute ids listed, in queue order (+ settled ones)
        self.marked: set[int] = set()
        self.pending: dict[int, Pending] = {}
        self.filter = ""
        self.cursor: int | None = None  # the dispute under the screen's cursor
        self.open_count = 0  # live rows of ``order``, kept as rows change
        self.overdue_count = 0
        self._listed: set[int] = set()  # the ids of ``order``, for look-ups
        self._visible: list[int] | None = None
        self._position: dict[int, int] = {}

    # -- reading ---------------------------------------------------------------------

    def visible(self) -> list[int]:
        """Ids listed under the filter, in order (cached until the list changes)."""
        if self._visible is None:
            self._visible = [i for i in self.order if matches(self.rows[i], self.filter)]
            self._position = {dispute_id: n for n, dispute_id in enumerate(self._visible)}
        return self._visible

    def position(self, dispute_id: int) -> int | None:
        """Where ``dispute_id`` is in :meth:`visible`, or None."""
        self.visible()
        return self._position.get(dispute_id)

    @property
    def settled(self) -> int:
        """Rows listed that are no longer live (decided in this session)."""
        return len(self.order) - self.open_count

    def targets(self) -> list[QueueRow]:
        """The marked rows (visible or not), else the row under the cursor."""
        if self.marked:
            return [self.rows[i] for i in self.order if i in self.marked]
        current = self.cursor
        return [self.rows[current]] if current is not None and current in self.rows else []

    def next_open(self, acted: Iterable[int]) -> int | None:
        """The first visible live row at or after the cursor (wrapping) not in ``acted``
        and not pending: where the cursor goes after an action."""
        visible = self.visible()
        if not visible:
            return None
        start = self.position(self.cursor) if self.cursor is not None else None
        skip = set(acted)
        for step in range(len(visible)):
            dispute_id = visible[((start or 0) + step) % len(visible)]
            live = self.rows[dispute_id].live
            if live and dispute_id not in skip and dispute_id not in self.pending:
                return dispute_id
        return None

    def count_line(self) -> str:
        """``12 open · 3 overdue · 2 marked ...``: the line under the queue."""
        total, overdue = self.open_count, self.overdue_count
        shown = len(self.visible())
        parts = [f"{shown} shown of {total} open" if self.filter else f"{total} open"]
        parts.append(f"{overdue} overdue")
        if self.settled:
            parts.append(f"{self.settled} settled (ctrl+r clears)")
        if self.marked:
            parts.append(f"{len(self.marked)} marked")
        if self.pending:
            parts.append(f"{len(self.pending)} pending")
        if self.filter:
            parts.append(f"filter: {self.filter}")
        return " · ".join(parts)

    # -- changing ----------------------------------------------------------------------

    def load(self, rows: Sequence[QueueRow]) -> None:
        """A fresh read of the queue: it replaces the list (settled rows go), except that
        rows with an action in flight keep their last known state until it lands."""
        fresh = {r.dispute_id: r for r in rows}
        for dispute_id in self.pending:
            if dispute_id in self.rows and dispute_id not in fresh:
                fresh[dispute_id] = self.rows[dispute_id]
        self.rows = fresh
        self.order = sorted(fresh, key=lambda i: queue_order(fresh[i]))
        self._listed = set(self.order)
        self.marked &= set(fresh)
        self.open_count = self.overdue_count = 0
        for dispute_id in self.order:
            self._tally(self.rows[dispute_id], +1)
        self._visible = None

    def merge(self, rows: Sequence[QueueRow]) -> Merged:
        """Put fresh rows in (what an action returned, or a reload after a conflict).

        Listed rows change in place (settled ones stay, unmarked); a live row not listed
        goes into its place in the order; an unlisted settled row is dropped.
        """
        redraw: list[int] = []
        rebuilt = False
        for row in rows:
            dispute_id = row.dispute_id
            if dispute_id in self._listed:
                before = self.rows[dispute_id]
                self._tally(before, -1)
                self._tally(row, +1)
                self.rows[dispute_id] = row
                # it fell due since it was read: its place in the order moved
                rebuilt = rebuilt or queue_order(row) != queue_order(before)
                if not row.live:
                    self.marked.discard(dispute_id)
                redraw.append(dispute_id)
            elif row.live:
                self._tally(row, +1)
                self.rows[dispute_id] = row
                self.order.append(dispute_id)
                self._listed.add(dispute_id)
                rebuilt = True
            else:
                self.rows.pop(dispute_id, None)
        if rebuilt:
            self.order.sort(key=lambda i: queue_order(self.rows[i]))
            self._visible = None
        return Merged(tuple(redraw), rebuilt)

    def set_filter(self, text: str) -> None:
        """Show only rows matching ``text`` (see :func:`matches`); empty shows all."""
        self.filter = text.strip()
        self._visible = None

    def toggle_mark(self, dispute_id: int) -> bool:
        """Mark or unmark a row for a bulk action; True if it is now marked."""
        if dispute_id in self.marked:
            self.marked.discard(dispute_id)
            return False
        self.marked.add(dispute_id)
        return True

    def begin(self, action: str, rows: Sequence[QueueRow]) -> list[int]:
        """Show ``action`` on ``rows`` at once, pending until it commits or fails.

        Rows not in the queue (an undo of disputes settled earlier) are added to the rows,
        not the list, so the failure path can drop them again."""
        ids = [r.dispute_id for r in rows]
        for row in rows:
            self.pending[row.dispute_id] = Pending(action)
            self.rows.setdefault(row.dispute_id, row)
            self.marked.discard(row.dispute_id)
        return ids

    def retrying(self, ids: Iterable[int]) -> list[int]:
        """The file is locked: the pending rows say so. Returns those still pending."""
        waiting = [i for i in ids if i in self.pending]
        for dispute_id in waiting:
            self.pending[dispute_id].note = LOCKED
        return waiting

    def settle(self, rows: Sequence[QueueRow]) -> Merged:
        """The action committed: its rows are no longer pending and take their new state."""
        for row in rows:
            self.pending.pop(row.dispute_id, None)
        return self.merge(rows)

    def fail(self, ids: Iterable[int]) -> list[int]:
        """The action was not applied: its rows go back to what they were (returned)."""
        back = []
        for dispute_id in ids:
            self.pending.pop(dispute_id, None)
            row = self.rows.get(dispute_id)
            if row is not None and not row.live and dispute_id not in self._listed:
                del self.rows[dispute_id]  # an undo's row we added: not ours to list
            else:
                back.append(dispute_id)
        return back

    def _tally(self, row: QueueRow, sign: int) -> None:
        """Add (+1) or remove (-1) one listed row from the live / overdue counts."""
        if row.live:
            self.open_count += sign
            self.overdue_count += sign if row.overdue else 0
