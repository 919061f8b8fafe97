"""Benchmark (not a test): a triage decision, key press → on screen → committed → shown.

Build a big demo first, then run (``--n`` decisions, ``--pause`` seconds between them):

    .venv/bin/standup demo /tmp/b1m.duckdb --no-open --as-of 2026-11-23 --leads 1000000
    .venv/bin/python -m tests.bench.bench_triage_screen /tmp/b1m.duckdb [--n 40] [--pause 0.6]

Drives the real app headless (``App.run_test``, Pilot at the keyboard) on a copy of the
file. First, on the dashboard it opens on, the longest UI-thread stall while every panel
refreshes (:func:`tests.bench.probe.refresh_stalls`). Then ``t``, and ``x`` (disqualify:
first reason code, default fault side) and ``a`` (accept, default fault side) in turn on
the current row, at a meeting's pace: a pause between decisions (a burst: the write hold
stays, the screen's 2 s idle checkpoint does not run; ``--checkpoint-between`` runs it
in every pause).

Every time is taken from the last key of a decision (the enter that picks the fault
side), and read off what the app itself does: its messages (``run_test``'s message
hook), its frames, and the screen's writer (when each write starts). Nothing of the
screen is replaced, so the bench follows the screen as it changes:

- *pending shown*: the first frame whose queue row has the dispute's id and the pending
  mark (``⧗``, the row's first column; its stage reads ``⧗ accepted`` where not cropped).
  Frames are the renderables the app hands its driver (``App._display``); headless skips
  writing them, so the bench renders each to the text a terminal would receive and looks
  for the row in it. Budget 16 ms (one frame).
- *committed*: the writer's :class:`~screens.messages.DecisionApplied` (created on the
  writer thread right after the commit; ``message.time``). Budget p95 50 ms.
- *shown*: the first frame after the screen handled it whose row has the ``✓`` mark.

Also reported: where the time went (key → the write started on the writer thread, the
write itself, commit → the screen handling the message, → frame) and the longest stall
of the UI thread while deciding. Times are ``time.monotonic`` (Textual's message clock).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.screen import Screen

import screens.triage as triage_screen
from screens.app import StandupApp
from screens.messages import DecisionApplied, DecisionFailed
from screens.triage import TriageScreen
from standup.clock import Clock
from standup.config import Config
from standup.store import Store
from tests.bench.probe import SIZE, StallMeter, refresh_stalls, wait_until
from tests.bench.run import percentile

AS_OF = datetime(2026, 11, 23, 9, 0)
BUDGET_PENDING_MS = 16.0
BUDGET_COMMITTED_P95_MS = 50.0
BUDGET_STALL_MS = 16.0

# The queue's first column (screens/triage_table.py): the row's state, where a narrow
# queue still shows it (at 160 columns the detail pane may crop the stage column).
PENDING_MARK = "⧗"
SETTLED_MARK = "✓"
# A cursor move (``ESC [ row ; col H``) starts a new run of cells in a partial frame;
# every other escape sequence (styles, modes) is not text.
_MOVE = re.compile(r"\x1b\[\d+;\d+H|\r?\n")
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def frame_lines(text: str) -> list[str]:
    """A frame's terminal text as the runs of cells it writes, escapes removed."""
    return [_ESCAPE.sub("", part) for part in _MOVE.split(text)]


@dataclass
class Action:
    """One decision's times (``time.monotonic`` seconds)."""

    dispute_id: int
    verb: str
    pressed: float
    pending_shown: float | None = None
    write_started: float | None = None
    committed: float | None = None  # DecisionApplied created, on the writer thread
    applied: float | None = None  # the screen handles it (UI thread)
    shown: float | None = None
    settled: bool = False  # the screen handled the commit: look for the ✓ row
    failed: str | None = None
    write_cpu: float | None = None  # the writer thread's own CPU time for the write
    reading: float = 0.0  # the bench's own time turning frames into text, before pending

    @property
    def label(self) -> str:
        """``D-<id>``: the row's id cell."""
        return f"D-{self.dispute_id}"

    @property
    def done(self) -> bool:
        """Shown settled, or failed."""
        return self.shown is not None or self.failed is not None


def _question(screen: Screen[Any]) -> str | None:
    """What the triage screen's question bar asks in this frame (None: nothing)."""
    if not isinstance(screen, TriageScreen):
        return None
    return screen.ask_line.question


class Watch:
    """What the bench waits for, fed by the app's frames and messages."""

    def __init__(self, app: StandupApp) -> None:
        self.app = app
        self.action: Action | None = None
        self.actions: list[Action] = []
        self.prompt_since: float | None = None  # a key that opens a prompt was sent
        self.prompt_seen: str | None = None
        self.prompt_ms: list[float] = []
        display = app._display

        def watched(screen: Screen[Any], renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.frame(screen, renderable)

        # On the instance: every screen's compositor calls ``app._display`` per frame.
        app._display = watched  # type: ignore[method-assign]

    def start(self, dispute_id: int, verb: str) -> Action:
        """A decision's last key is about to be sent."""
        self.action = Action(dispute_id, verb, time.monotonic())
        self.actions.append(self.action)
        return self.action

    def frame(self, screen: Screen[Any], renderable: Any) -> None:
        """App._display: one frame handed to the driver."""
        now = time.monotonic()
        # A question's first frame (the triage screen's bar, asking something new).
        since = self.prompt_since
        question = _question(screen)
        if since is not None and question is not None and question != self.prompt_seen:
            self.prompt_ms.append((now - since) * 1000)
            self.prompt_seen, self.prompt_since = question, None
        action = self.action
        if action is None or action.done or not isinstance(screen, TriageScreen):
            return
        if action.pending_shown is None:
            wanted = PENDING_MARK
        elif action.settled:
            wanted = SETTLED_MARK
        else:
            return  # pending was drawn; the commit has not been handled yet
        # The bytes a terminal would get for this frame: the row is a run of cells in it.
        lines = frame_lines(renderable.render_segments(self.app.console))
        found = any(action.label in line and wanted in line for line in lines)
        if action.pending_shown is None:
            # On the UI thread: it delays the frames after this one (reported).
            action.reading += time.monotonic() - now
        if not found:
            return
        if action.pending_shown is None:
            action.pending_shown = now
        else:
            action.shown = now

    def message(self, message: Message) -> None:
        """run_test's message hook: every message as it is dispatched."""
        action = self.action
        if action is None:
            return
        if isinstance(message, DecisionApplied) and action.applied is None:
            action.committed = message.time
            action.applied = time.monotonic()
            action.settled = True
        elif isinstance(message, DecisionFailed):
            action.failed = message.reason

    def timed_writes(self, screen: TriageScreen) -> None:
        """Note when the writer thread starts each write (wraps this screen's writer)."""
        writer = screen._writer
        submit = writer.submit

        def timed(call: Callable[[Callable[[Any], object]], Any], *args: Any) -> None:
            def run(committed: Callable[[Any], object]) -> Any:
                action, cpu = self.action, time.thread_time()
                if action is not None:
                    action.write_started = time.monotonic()

                def told(applied: Any) -> object:
                    if action is not None:  # up to the commit, as write_ms
                        action.write_cpu = time.thread_time() - cpu
                    return committed(applied)

                return call(told)

            submit(run, *args)

        writer.submit = timed  # type: ignore[method-assign,assignment]


async def _prompted(pilot: Any, watch: Watch, key: str) -> None:
    """Press ``key``, which opens a picker; wait for the picker's first frame."""
    watch.prompt_since = time.monotonic()
    pressing = asyncio.create_task(pilot.press(key))
    await wait_until(pilot, lambda: watch.prompt_since is None, 30)
    await pressing


async def decide(pilot: Any, watch: Watch, screen: TriageScreen, verb: str) -> Action:
    """One decision on the current row, until it is shown settled (or failed)."""
    current = screen._current_id()
    assert current is not None, "the queue is empty"
    await _prompted(pilot, watch, "a" if verb == "accept" else "x")
    if verb == "disqualify":
        await _prompted(pilot, watch, "enter")  # the first reason code
    action = watch.start(current, verb)
    # Pilot's press waits for the whole app to go idle: time what the app does, not that.
    pressing = asyncio.create_task(pilot.press("enter"))  # the default fault side
    try:
        await wait_until(pilot, lambda: action.done and not screen._pending, 30)
    except TimeoutError:
        seen = "pending row" if action.pending_shown else "no pending row"
        handled = f"commit handled, no frame with its {SETTLED_MARK} row"
        action.failed = f"{action.label}: {seen}, " + (
            handled if action.applied else "no DecisionApplied"
        )
    await pressing
    return action


async def measure(
    app: StandupApp, n: int, pause: float, stall_runs: int, checkpoint_between: bool = False
) -> dict[str, Any]:
    """Dashboard stalls, then ``n`` decisions on the triage screen: the numbers (ms).

    The screen's own idle checkpoint (2 s) does not fall inside a burst of decisions
    ``pause`` apart; ``checkpoint_between`` makes it (a room that talks between each
    decision: every write then follows a checkpoint, ~20 ms dearer at 1M leads).
    """
    watch = Watch(app)
    if checkpoint_between:
        triage_screen.IDLE_CHECKPOINT_SECONDS = pause / 2
    async with app.run_test(size=SIZE, message_hook=watch.message) as pilot:
        stalls = await refresh_stalls(app, pilot, stall_runs)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TriageScreen))
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await wait_until(pilot, lambda: screen._loaded_at is not None and bool(screen._order))
        watch.timed_writes(screen)
        await pilot.pause(1.0)  # the first detail loads, the heap settles
        started = time.monotonic()
        async with StallMeter() as deciding:
            for i in range(n):
                action = await decide(pilot, watch, screen, "accept" if i % 2 else "disqualify")
                if action.failed is not None:
                    break
                await pilot.pause(pause)
        seconds = time.monotonic() - started
    return summary(watch, stalls, deciding.worst_ms, seconds)


def summary(
    watch: Watch, stalls: list[float], deciding_stall_ms: float, seconds: float
) -> dict[str, Any]:
    """Percentiles (ms) of every measured step, and how many decisions made it."""
    ok = [a for a in watch.actions if a.shown is not None and a.pending_shown is not None]

    def ms(start: str, end: str) -> dict[str, float]:
        values = [
            (getattr(a, end) - getattr(a, start)) * 1000
            for a in ok
            if getattr(a, start) is not None and getattr(a, end) is not None
        ]
        return _stats(values)

    failed = [a.failed for a in watch.actions if a.failed is not None]
    return {
        "n": len(ok),
        "failed": failed[:3],
        "seconds": seconds,
        "stall_refresh_ms": _stats(stalls),
        "stall_deciding_ms": deciding_stall_ms,
        "prompt_shown_ms": _stats(watch.prompt_ms),
        "pending_shown_ms": ms("pressed", "pending_shown"),
        "write_started_ms": ms("pressed", "write_started"),
        "write_ms": ms("write_started", "committed"),
        "write_cpu_ms": _stats([a.write_cpu * 1000 for a in ok if a.write_cpu is not None]),
        "committed_ms": ms("pressed", "committed"),
        # The session's first write attaches the file read-write and loads its indexes;
        # later ones in the burst find it held (the write hold).
        "first_committed_ms": (
            (ok[0].committed - ok[0].pressed) * 1000 if ok and ok[0].committed else None
        ),
        "commit_to_handled_ms": ms("committed", "applied"),
        "handled_to_shown_ms": ms("applied", "shown"),
        "shown_ms": ms("pressed", "shown"),
        "bench_reading_ms": _stats([a.reading * 1000 for a in ok]),
    }


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "p50": statistics.median(values),
        "p95": percentile(values, 0.95),
        "max": max(values),
    }


def report(result: dict[str, Any]) -> str:
    """The numbers as lines of text, each against its budget where it has one."""

    def line(name: str, key: str, budget: str = "") -> str:
        got = result[key]
        if not got:
            return f"{name:36} (none)"
        text = "  ".join(f"{k}={v:6.1f} ms" for k, v in got.items())
        return f"{name:36} {text}  {budget}".rstrip()

    pending, committed = result["pending_shown_ms"], result["committed_ms"]
    stall = result["stall_refresh_ms"]
    verdict = [
        ("pending row ≤ 16 ms", pending and pending["p95"] <= BUDGET_PENDING_MS),
        ("committed p95 ≤ 50 ms", committed and committed["p95"] <= BUDGET_COMMITTED_P95_MS),
        ("refresh stall ≤ 16 ms", stall and stall["p50"] <= BUDGET_STALL_MS),
    ]
    out = [
        f"n={result['n']} decisions in {result['seconds']:.1f} s",
        *(f"FAILED: {reason}" for reason in result["failed"]),
        line("dashboard refresh: longest UI stall", "stall_refresh_ms", "(budget 16 ms)"),
        line("key → prompt shown", "prompt_shown_ms"),
        line("key → pending row shown (⧗)", "pending_shown_ms", "(budget 16 ms)"),
        line("key → write started", "write_started_ms"),
        line("write (triage.apply)", "write_ms"),
        line("  its thread's own CPU time", "write_cpu_ms"),
        line("key → committed (DecisionApplied)", "committed_ms", "(budget p95 50 ms)"),
        line("commit → screen handles it", "commit_to_handled_ms"),
        line("handled → settled row shown (✓)", "handled_to_shown_ms"),
        line("key → committed and shown", "shown_ms"),
        line("  (bench: frames read, before ⧗)", "bench_reading_ms"),
        f"{'longest UI stall while deciding':36} {result['stall_deciding_ms']:6.1f} ms",
        "budgets: " + ", ".join(f"{name}: {'ok' if good else 'MISSED'}" for name, good in verdict),
    ]
    return "\n".join(out)


def run(
    db: Path, n: int, pause: float, stall_runs: int, checkpoint_between: bool = False
) -> dict[str, Any]:
    """Measure on a copy of ``db`` (decisions write to it)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        shutil.copy(db, path)
        app = StandupApp(Store.open(path), Config(), Clock(AS_OF))
        return asyncio.run(measure(app, n, pause, stall_runs, checkpoint_between))


def main() -> None:
    """Command line: DB, --n, --pause, --stall-runs, --json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--n", type=int, default=40, help="decisions")
    parser.add_argument("--pause", type=float, default=0.6, help="seconds between decisions")
    parser.add_argument("--stall-runs", type=int, default=5, help="dashboard refreshes")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument(
        "--checkpoint-between", action="store_true", help="the idle checkpoint between decisions"
    )
    args = parser.parse_args()
    result = run(args.db, args.n, args.pause, args.stall_runs, args.checkpoint_between)
    print(json.dumps(result) if args.json else report(result))


if __name__ == "__main__":
    main()
