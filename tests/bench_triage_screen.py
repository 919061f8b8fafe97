"""Benchmark (not a test): key press → committed and shown, through the real screen.

    python tests/bench_triage_screen.py /tmp/tri1m.duckdb [--n 40] [--pause 0.6]

Drives the triage screen headless with Pilot on a copy of DB: ``x`` (disqualify, first
reason, default fault) and ``a`` (accept, default fault), alternating, at a meeting's
pace (a short pause between decisions, during which the idle checkpoint runs).

"Shown" is read off the frames themselves: every frame the app hands to its driver is
rendered to the terminal text a real terminal would receive, and an action counts as
shown at the first frame, after the commit, whose text has the row's label and its new
``✓ <stage>`` cell. Timed from just before the last key of the action (the enter that
picks the fault side) is sent. Also reported: the same key to the first frame with the
row's *pending* state, and where the time went (press → write started, the write itself
including waiting for the file, commit → frame).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.app import App

import screens.triage as triage_screen
from screens.app import StandupApp
from screens.triage import TriageScreen
from standup import triage
from standup.clock import Clock
from standup.store import Store
from tests.conftest import AS_OF


@dataclass
class Action:
    """One decision's timestamps (perf_counter seconds)."""

    dispute_id: int
    verb: str
    pressed: float
    write_started: float | None = None
    connecting: float | None = None  # the file's lock taken, the connection being opened
    write_cpu: float = 0.0  # CPU time of the writing thread itself during the write
    committed: float | None = None
    applied: float | None = None
    pending_shown: float | None = None
    shown: float | None = None
    wants: list[str] = field(default_factory=list)


CURRENT: list[Action] = []
# Prompts: (text the prompt's frame must show, key sent at) while waiting; then seconds.
PROMPT_WAIT: list[tuple[str, float]] = []
PROMPT_SHOWN: list[float] = []


def _timed_apply(*args: Any, **kwargs: Any) -> triage.Applied:
    action = CURRENT[-1] if CURRENT else None
    cpu = time.thread_time()
    if action is not None:
        action.write_started = time.perf_counter()
    try:
        return _APPLY(*args, **kwargs)
    finally:
        if action is not None:
            action.committed = time.perf_counter()
            action.write_cpu = time.thread_time() - cpu


def _took_the_file(self: Store, *args: Any, **kwargs: Any) -> Any:
    """The store step right after it took the file lock (and, newer stores, set up)."""
    action = CURRENT[-1] if CURRENT else None
    writer = threading.current_thread().name.startswith("triage-write")
    if writer and action is not None and action.write_started and action.connecting is None:
        action.connecting = time.perf_counter()
    return _OPEN(self, *args, **kwargs)


def _timed_applied(self: TriageScreen, result: triage.Applied, *args: Any) -> None:
    _APPLIED(self, result, *args)
    action = CURRENT[-1] if CURRENT else None
    if action is None:
        return
    action.applied = time.perf_counter()
    row = self._rows[action.dispute_id]
    # What the settled row says once it is on screen (see TriageScreen._cells).
    action.wants = [row.label, f"✓ {row.stage}"]


def _watching_display(self: App[Any], screen: Any, renderable: Any) -> None:
    _DISPLAY(self, screen, renderable)
    if PROMPT_WAIT and renderable is not None:
        wanted, sent = PROMPT_WAIT[0]
        if wanted in renderable.render_segments(self.console):
            PROMPT_SHOWN.append(time.perf_counter() - sent)
            PROMPT_WAIT.clear()
    action = CURRENT[-1] if CURRENT else None
    if action is None or renderable is None or not isinstance(screen, TriageScreen):
        return
    if action.shown is not None:
        return
    # The bytes a terminal would get for this frame (headless skips writing them).
    text = renderable.render_segments(self.console)
    now = time.perf_counter()
    label = f"D-{action.dispute_id}"
    if action.pending_shown is None and label in text and f"pending {action.verb}" in text:
        action.pending_shown = now
    if action.wants and all(w in text for w in action.wants):
        action.shown = now


_APPLY = triage.apply
# The store method that runs once the file's lock is held (its name differs by version).
_OPEN_STEP = "_retrying" if hasattr(Store, "_retrying") else "_connect"
_OPEN = getattr(Store, _OPEN_STEP)
setattr(Store, _OPEN_STEP, _took_the_file)
triage_screen.triage.apply = _timed_apply  # type: ignore[attr-defined]
_APPLIED = TriageScreen._applied
TriageScreen._applied = _timed_applied  # type: ignore[method-assign]
_DISPLAY = App._display
App._display = _watching_display  # type: ignore[method-assign]


async def _prompted(pilot: Any, key: str, title: str) -> None:
    """Press ``key``, which opens a prompt; wait until a frame shows ``title``."""
    PROMPT_WAIT.append((title, time.perf_counter()))
    await pilot.press(key)
    deadline = time.monotonic() + 30
    while PROMPT_WAIT and time.monotonic() < deadline:
        await pilot.pause(0.002)


async def run(path: Path, n: int, pause: float) -> list[Action]:
    """Drive the screen; return each action's timestamps."""
    triage_screen.IDLE_CHECKPOINT_SECONDS = pause / 2
    app = StandupApp(Store.open(path), clock=Clock(AS_OF))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        while not isinstance(app.screen, TriageScreen) or app.screen._loaded_at is None:
            await pilot.pause(0.05)
        screen = app.screen
        await pilot.pause(1.0)  # let the first detail load and the heap settle
        start = time.perf_counter()
        for i in range(n):
            verb = "accept" if i % 2 else "disqualify"
            current = screen._current_id()
            assert current is not None
            label = f"D-{current}"
            await _prompted(pilot, "a" if i % 2 else "x", f"{verb.capitalize()} {label}: ")
            if not i % 2:
                await _prompted(pilot, "enter", "whose fault?")  # first reason code
            CURRENT.append(Action(current, verb, time.perf_counter()))
            await pilot.press("enter")  # default fault side
            action = CURRENT[-1]
            deadline = time.monotonic() + 30
            while action.shown is None or screen._pending:
                if time.monotonic() > deadline:
                    print("gave up waiting:", screen.query_one("#triage-status").render())
                    return CURRENT[:-1]
                await pilot.pause(0.002)
            await pilot.pause(pause)
        print(f"{n} actions in {time.perf_counter() - start:.1f}s")
        return list(CURRENT)


def _p(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50={statistics.median(ms):6.1f} ms  p95={p95:6.1f} ms  max={ms[-1]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--pause", type=float, default=0.6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        shutil.copy(args.db, path)
        done = asyncio.run(run(path, args.n, args.pause))
    ok = [a for a in done if a.shown is not None and a.committed is not None]
    print(f"n={len(ok)}")
    if PROMPT_SHOWN:
        print(f"key → prompt shown (a, x, enter on a reason) {_p(PROMPT_SHOWN)}")
    pending = [a.pending_shown - a.pressed for a in ok if a.pending_shown is not None]
    if pending:
        print(f"key → pending row shown      {_p(pending)}")
    print(f"key → write started          {_p([a.write_started - a.pressed for a in ok])}")  # type: ignore[operator]
    waited = [a.connecting - a.write_started for a in ok if a.connecting and a.write_started]
    print(f"  of which before the file is opened (lock) {_p(waited)}")
    print(f"write (triage.apply, + lock) {_p([a.committed - a.write_started for a in ok])}")  # type: ignore[operator]
    print(f"  its thread's own CPU time  {_p([a.write_cpu for a in ok])}")
    print(f"commit → row shown           {_p([a.shown - a.committed for a in ok])}")  # type: ignore[operator]
    print(f"key → committed and shown    {_p([a.shown - a.pressed for a in ok])}")  # type: ignore[operator]


if __name__ == "__main__":
    main()
