"""Benchmark (not a test): key press → committed and shown, through the real screen.

    python tests/bench_triage_screen.py /tmp/tri1m.duckdb [--n 40]

Drives the triage screen headless with Pilot on a copy of DB: ``x`` (disqualify, first
reason, default fault) and ``a`` (accept, default fault), alternating, at a meeting's
pace (a short pause between decisions, during which the idle checkpoint runs).
Reports the screen's own press-to-shown latencies (last key of the action to row updated).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import screens.triage as triage_screen
from screens.app import StandupApp
from screens.triage import TriageScreen
from standup import triage
from standup.clock import Clock
from standup.store import Store
from tests.conftest import AS_OF

COMMIT_MS: list[float] = []


def _timed_apply(*args: Any, **kwargs: Any) -> triage.Applied:
    start = time.perf_counter()
    try:
        return _APPLY(*args, **kwargs)
    finally:
        COMMIT_MS.append((time.perf_counter() - start) * 1000)


APPLIED_MS: list[float] = []
_APPLIED = TriageScreen._applied


def _timed_applied(self: TriageScreen, *args: Any) -> None:
    start = time.perf_counter()
    _APPLIED(self, *args)
    APPLIED_MS.append((time.perf_counter() - start) * 1000)


TriageScreen._applied = _timed_applied  # type: ignore[method-assign]
_APPLY = triage.apply
triage_screen.triage.apply = _timed_apply  # type: ignore[attr-defined]


async def run(path: Path, n: int, pause: float) -> list[float]:
    """Drive the screen; return press-to-shown latencies in ms."""
    triage_screen.IDLE_CHECKPOINT_SECONDS = pause / 2
    app = StandupApp(Store.open(path), clock=Clock(AS_OF))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        while not isinstance(app.screen, TriageScreen) or app.screen._loaded_at is None:
            await pilot.pause(0.05)
        screen = app.screen
        start = time.perf_counter()
        for i in range(n):
            if i % 2:
                await pilot.press("a", "enter")
            else:
                await pilot.press("x", "enter", "enter")  # first reason code, default fault
            deadline = time.monotonic() + 30
            while screen._pending or screen._asking or len(screen.latencies) < i + 1:
                if time.monotonic() > deadline:
                    print("gave up waiting:", screen.query_one("#triage-status").render())
                    return list(screen.latencies)
                await pilot.pause(0.002)
            await pilot.pause(pause)
        print(f"{n} actions in {time.perf_counter() - start:.1f}s")
        return list(screen.latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--pause", type=float, default=0.6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        shutil.copy(args.db, path)
        ms = sorted(asyncio.run(run(path, args.n, args.pause)))
        shown = sorted(APPLIED_MS)
        print(f"main thread, updating the rows p50={statistics.median(shown):.1f} ms")
        commit = sorted(COMMIT_MS)
        print(
            f"inside the worker (triage.apply, incl. waiting for the file) "
            f"p50={statistics.median(commit):.1f} ms max={commit[-1]:.1f} ms"
        )
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        print(
            f"press→shown n={len(ms)} p50={statistics.median(ms):.1f} ms "
            f"p95={p95:.1f} ms max={ms[-1]:.1f} ms"
        )


if __name__ == "__main__":
    main()
