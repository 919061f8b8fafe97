"""What happens, as typed Textual messages: posted by whoever saw it, handled by whoever
cares (``on_decision_applied`` and so on), instead of private callbacks passed around.

Workers post them from their thread (``Widget.post_message`` is thread-safe), so a
worker never needs to know which method of the screen draws its result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the triage core loads with the triage screen, not at launch
    from standup.meeting import Meeting
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
    """A saved query was pinned to the dashboard or unpinned (the dashboard redraws its
    pins when it next shows: ``sync_pinned_panels`` on resume)."""

    def __init__(self, name: str, pinned: bool) -> None:
        super().__init__()
        self.name = name
        self.pinned = pinned


class ShowDispute(Message):
    """Open triage on one dispute (Enter on a dispute row anywhere)."""

    def __init__(self, dispute_id: int) -> None:
        super().__init__()
        self.dispute_id = dispute_id


class DisputeOpened(Message):
    """A new dispute was committed (``f`` on a lead); triage and panels show it."""

    def __init__(self, dispute_id: int, label: str) -> None:
        super().__init__()
        self.dispute_id = dispute_id
        self.label = label


class SnapshotRecorded(Message):
    """A KPI snapshot was recorded: 'since last standup' deltas compare with it now."""

    def __init__(self, standup_id: int) -> None:
        super().__init__()
        self.standup_id = standup_id


class MeetingStarted(Message):
    """The agenda's meeting (and its KPI snapshot) is recorded."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting


class MeetingFailed(Message):
    """Recording the meeting's start or progress failed; the agenda keeps running."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class MinutesReady(Message):
    """The meeting ended and its minutes are written: show them."""

    def __init__(self, meeting: Meeting, text: str) -> None:
        super().__init__()
        self.meeting = meeting
        self.text = text
