"""What happens, as typed Textual messages: posted by whoever saw it, handled by whoever
cares (``on_decision_applied`` and so on), instead of private callbacks passed around.

Workers post them from their thread (``Widget.post_message`` is thread-safe), so a
worker never needs to know which method of the screen draws its result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the triage core loads with the triage screen, not at launch
    from standup.triage import Applied


class DecisionApplied(Message):
    """A triage action was committed (its audit events and the disputes' new rows)."""

    def __init__(self, applied: Applied, started: float) -> None:
        super().__init__()
        self.applied = applied
        # perf_counter() when the key was pressed: the status line's latency.
        self.started = started


class DecisionFailed(Message):
    """A triage action was not applied; ``dispute_ids`` go back to what they were."""

    def __init__(self, dispute_ids: tuple[int, ...], reason: str, *, conflict: bool) -> None:
        super().__init__()
        self.dispute_ids = dispute_ids
        self.reason = reason
        # True when someone else changed the dispute first: reload, then decide again.
        self.conflict = conflict


class PanelsRefreshed(Message):
    """Every panel of a screen drew one refresh (``failed`` names those that errored)."""

    def __init__(self, failed: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.failed = failed


class PinsChanged(Message):
    """The SQL prompt pinned or unpinned a saved query: the dashboard redraws its pins."""


class ShowDispute(Message):
    """Open triage on one dispute (Enter on a dispute row anywhere)."""

    def __init__(self, dispute_id: int) -> None:
        super().__init__()
        self.dispute_id = dispute_id
