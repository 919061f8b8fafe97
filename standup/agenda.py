"""The meeting's agenda: timeboxed segments and the countdown the room watches.

Pure logic on an injectable monotonic clock (a ``() -> float`` of seconds), so tests
drive it without sleeping and a paused meeting does not count down. Persisting a meeting
(start, segment timings, end) is :mod:`standup.meeting`'s job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from standup.config import AgendaSegment


class State(StrEnum):
    """Where the meeting is."""

    READY = "ready"  # not started
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class Level(StrEnum):
    """How the current segment is doing against its timebox (drives the colour)."""

    OK = "ok"
    WARN = "warn"  # past the warn fraction: amber
    OVER = "over"  # past the timebox: red


@dataclass(frozen=True)
class Timing:
    """How one segment went: planned vs actually spent (seconds)."""

    position: int
    name: str
    screen: str
    planned: float
    spent: float
    started_offset: float | None  # seconds after the meeting start it was first shown

    @property
    def over(self) -> float:
        """Seconds over the timebox (negative when under)."""
        return self.spent - self.planned


def clock_text(seconds: float) -> str:
    """``mm:ss`` (``h:mm:ss`` past an hour); whole seconds, rounded down."""
    whole = int(max(seconds, 0.0))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


class Agenda:
    """A running agenda: which segment is on, and how long each has taken so far."""

    def __init__(
        self,
        segments: Sequence[AgendaSegment],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        warn_fraction: float = 0.8,
    ) -> None:
        if not segments:
            raise ValueError("an agenda needs at least one segment")
        self.segments = list(segments)
        self.warn_fraction = warn_fraction
        self._now = monotonic
        self.state = State.READY
        self.index = 0
        self._spent = [0.0] * len(self.segments)
        self._first_shown: list[float | None] = [None] * len(self.segments)
        self._resumed_at: float | None = None  # monotonic time the running stretch began
        self._started_at: float | None = None  # monotonic time of start()
        self._ended_at: float | None = None

    # -- moving through the meeting ----------------------------------------------------

    def start(self) -> None:
        """Start the meeting (from READY) or resume it (from PAUSED)."""
        if self.state is State.READY:
            self._started_at = self._now()
            self._mark_shown()
        if self.state in (State.READY, State.PAUSED):
            self.state = State.RUNNING
            self._resumed_at = self._now()

    def pause(self) -> None:
        """Stop the countdown (the segment keeps the time it has used)."""
        if self.state is State.RUNNING:
            self._bank()
            self.state = State.PAUSED

    def toggle(self) -> None:
        """Start, pause or resume: the one key the driver needs."""
        if self.state is State.RUNNING:
            self.pause()
        else:
            self.start()

    def next(self) -> bool:
        """Move to the next segment; past the last one the meeting finishes. True if moved."""
        if self.state in (State.READY, State.FINISHED):
            return False
        if self.index + 1 >= len(self.segments):
            self.finish()
            return True
        self._switch(self.index + 1)
        return True

    def previous(self) -> bool:
        """Go back one segment (its clock continues where it stopped). True if moved."""
        if self.state in (State.READY, State.FINISHED) or self.index == 0:
            return False
        self._switch(self.index - 1)
        return True

    def finish(self) -> None:
        """End the meeting now."""
        if self.state in (State.READY, State.FINISHED):
            return
        if self.state is State.RUNNING:
            self._bank()
        self.state = State.FINISHED
        self._ended_at = self._now()

    # -- what the screen shows -----------------------------------------------------------

    @property
    def current(self) -> AgendaSegment:
        """The segment on screen."""
        return self.segments[self.index]

    @property
    def started(self) -> bool:
        """True once start() was called."""
        return self.state is not State.READY

    def spent(self, index: int | None = None) -> float:
        """Seconds spent in a segment (the current one by default), including now."""
        i = self.index if index is None else index
        total = self._spent[i]
        if self.state is State.RUNNING and i == self.index and self._resumed_at is not None:
            total += self._now() - self._resumed_at
        return total

    def planned(self, index: int | None = None) -> float:
        """A segment's timebox in seconds."""
        i = self.index if index is None else index
        return self.segments[i].minutes * 60.0

    def remaining(self) -> float:
        """Seconds left in the current segment (negative when over)."""
        return self.planned() - self.spent()

    def level(self) -> Level:
        """OK, WARN (amber) past the warn fraction, OVER (red) past the timebox."""
        spent, planned = self.spent(), self.planned()
        if spent > planned:
            return Level.OVER
        if spent >= planned * self.warn_fraction:
            return Level.WARN
        return Level.OK

    def countdown(self) -> str:
        """``03:00`` counting down; ``+00:42`` once over the timebox."""
        left = self.remaining()
        if left < 0:
            return "+" + clock_text(-left)
        # Round up while counting down, so "00:01" is shown until the box is really spent.
        return clock_text(-(-left // 1))

    def elapsed(self) -> float:
        """Wall seconds since start (pauses included): the meeting's length so far."""
        if self._started_at is None:
            return 0.0
        end = self._ended_at if self._ended_at is not None else self._now()
        return end - self._started_at

    def timings(self) -> list[Timing]:
        """Planned vs spent for every segment, in agenda order."""
        return [
            Timing(
                position=i,
                name=seg.name,
                screen=seg.screen,
                planned=self.planned(i),
                spent=self.spent(i),
                started_offset=self._first_shown[i],
            )
            for i, seg in enumerate(self.segments)
        ]

    # -- internals -------------------------------------------------------------------------

    def _bank(self) -> None:
        if self._resumed_at is not None:
            self._spent[self.index] += self._now() - self._resumed_at
        self._resumed_at = None

    def _switch(self, index: int) -> None:
        running = self.state is State.RUNNING
        if running:
            self._bank()
        self.index = index
        self._mark_shown()
        if running:
            self._resumed_at = self._now()

    def _mark_shown(self) -> None:
        if self._first_shown[self.index] is None and self._started_at is not None:
            self._first_shown[self.index] = self._now() - self._started_at
