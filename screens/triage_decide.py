"""The triage screen's decisions: a decision key asks what its action's spec needs
(screens/triage_prompts.py), shows the decision on the rows at once, marked pending, and
hands the write to the writer thread; ``u`` undoes the last one. Then what the writer
reports: applied (the rows settle), retrying (a locked file), failed (the rows revert)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from textual import work

from screens.messages import DecisionApplied, DecisionFailed
from screens.session import refuse_write, session_of
from screens.triage_prompts import Asking, Cancelled, ask_for
from screens.triage_writer import DecisionRetrying
from standup import triage
from standup.errors import StandupError
from standup.triage import Applied, QueueRow, Target

if TYPE_CHECKING:
    from screens.triage import TriageScreen


class DecisionActions:
    """:class:`~screens.triage.TriageScreen`'s decision and undo keys and the writer's
    reports (mixed into it only)."""

    def action_decide(self: TriageScreen, action: str) -> None:
        """a/x/r/o/e/n: ask what the action's spec needs, then apply it in the background."""
        spec = triage.spec(action)
        if refuse_write(self, spec.title):  # served / --read-only
            return
        targets = self.queue.targets()
        if not targets:
            self._say("The queue is empty: nothing to " + action, error=True)
            return
        busy = [r.label for r in targets if r.dispute_id in self.queue.pending]
        if busy:
            self._say(f"{', '.join(busy[:3])}: an action is still pending", error=True)
            return
        self._ask_and_apply(spec, targets)

    @work(exclusive=True, group="triage-ask")
    async def _ask_and_apply(
        self: TriageScreen, spec: triage.ActionSpec, targets: list[QueueRow]
    ) -> None:
        self._asking = True
        session = session_of(self)
        asking = Asking(
            self.app,
            self.ask_line,
            spec,
            targets,
            self._reasons,
            self._owners,
            session.now().date(),
            self._default_revisit,
        )
        try:
            choice = await ask_for(asking)
        except Cancelled as cancelled:
            self._say(str(cancelled))
            return
        finally:
            self._asking = False
        self._start(spec, targets, choice)

    async def _default_revisit(self: TriageScreen, row: QueueRow) -> tuple[str, date]:
        session = session_of(self)
        worker = self.run_worker(
            lambda: triage.default_revisit(session.store, row.dispute_id, session.now()),
            thread=True,
            group="triage-read",
        )
        result: tuple[str, date] = await worker.wait()
        return result

    def _start(
        self: TriageScreen, spec: triage.ActionSpec, rows: Sequence[QueueRow], choice: triage.Choice
    ) -> None:
        """Show the decision on the rows at once (pending), write in a thread, move on."""
        started = time.perf_counter()
        session = session_of(self)
        ids = self.queue.begin(spec.name, rows)
        self._redraw(ids)
        targets = [Target(r.dispute_id, r.version) for r in rows]
        label = rows[0].label if len(rows) == 1 else f"{len(rows)} disputes"
        store, now, actor = session.store, session.now(), session.actor
        self._writer.submit(
            lambda committed: triage.apply(
                store,
                spec.name,
                targets,
                now=now,
                actor=actor,
                on_committed=committed,
                **vars(choice),
            ),
            ids,
            f"{spec.name} {label}",
            started,
        )
        following = self.queue.next_open(ids)
        if following is not None:
            self.table.move_to(following)
        # Where the cursor went on its own: a refused action brings it back from there.
        self._advanced = (ids[0], self.table.current_id())
        # The rows alone in the key's frame, the status and count lines at the screen's
        # foot in the next: Textual repaints the box around all of a frame's changes, and
        # rows at the top with lines at the bottom made that the whole screen.
        self.call_after_refresh(self._say, f"{label}: {spec.past} (pending {spec.name}…)")
        self.call_after_refresh(self._update_count)

    def action_undo(self: TriageScreen) -> None:
        """u: undo this session's last action (a compensating event; u again redoes)."""
        if refuse_write(self, "Undo"):
            return
        last = self._last
        if last is None:
            self._say("Nothing to undo: no action yet in this session", error=True)
            return
        if any(r.dispute_id in self.queue.pending for r in last.rows):
            self._say("The last action's rows are still pending", error=True)
            return
        started = time.perf_counter()
        ids = self.queue.begin("undo", last.rows)
        self._redraw(ids)
        self._update_count()
        session = session_of(self)
        event_ids = last.event_ids
        self._writer.submit(
            lambda committed: triage.undo(
                session.store,
                event_ids,
                now=session.now(),
                actor=session.actor,
                on_committed=committed,
            ),
            ids,
            "undo",
            started,
        )

    # -- what the writer reports -------------------------------------------------------

    def on_decision_applied(self: TriageScreen, message: DecisionApplied) -> None:
        self._applied(message.applied, message.started)

    def _applied(self: TriageScreen, result: Applied, started: float) -> None:
        self._generation += 1
        merged = self.queue.settle(result.rows)
        self._show_merged(merged)
        if result.action == "undo" and result.rows:
            self.table.move_to(result.rows[0].dispute_id)
        self._last = result
        self._say(result.summary)
        self.latencies.append((time.perf_counter() - started) * 1000)
        self._schedule_checkpoint()

    def on_decision_retrying(self: TriageScreen, message: DecisionRetrying) -> None:
        self._redraw(self.queue.retrying(message.dispute_ids))
        self._say(message.reason, error=True)

    def on_decision_failed(self: TriageScreen, message: DecisionFailed) -> None:
        ids = message.dispute_ids
        self._redraw(self.queue.fail(ids))
        acted, landed = self._advanced
        if acted in ids and landed == self.table.current_id():
            # Refused (say, already escalated): the cursor moved on for nothing. Back to
            # the row it was on, unless the user has moved it since.
            self.table.move_to(acted)
        self._update_count()
        self._schedule_detail()
        self._say(message.reason, error=True)
        if message.conflict:
            self._reload_rows(list(ids))

    @work(thread=True, group="triage-read")
    def _reload_rows(self: TriageScreen, ids: list[int]) -> None:
        session = session_of(self)
        try:
            rows = triage.rows(session.store, session.now(), ids)
        except StandupError:
            return
        self.app.call_from_thread(lambda: self._show_merged(self.queue.merge(rows)))

    def _show_merged(self: TriageScreen, merged: triage.Merged) -> None:
        if merged.rebuilt:
            self._rebuild()
        else:
            self._redraw(merged.redraw)
        self._update_count()
        self._schedule_detail()
        if not self.queue.open_count:
            self._show_empty()
