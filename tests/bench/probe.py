"""In-app measurements, each in a fresh process: ``python -m tests.bench.probe KIND DB``.

The app runs headless (``App.run_test``: Textual lays out and renders every frame, the
driver just doesn't write to a terminal) on the real database, driven by Pilot like a
user at the keyboard. Prints one JSON object. Kinds:

- ``stall``: the longest time the UI thread's event loop was blocked while the whole
  dashboard refreshed (a 2 ms asyncio ticker measures its own lateness);
- ``triage``: key press -> action committed and the queue re-rendered, for N accepts;
- ``sql``: ctrl+j on ``SELECT * FROM leads`` -> first rows drawn, and the process's
  peak RSS with that result open.

Whole-process numbers (cold start, idle RSS) are measured in a real pty instead
(``pty_run``), since they include interpreter start and imports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from screens.app import StandupApp
from standup.clock import Clock
from standup.config import Config
from standup.store import Store
from tests.bench.sql_bench import peak_rss_mib

SIZE = (160, 45)


async def _wait(pilot: Any, check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("probe: timed out waiting for the app")
        await pilot.pause(0.002)


def _panels(app: Any) -> list[Any]:
    found = getattr(app.screen, "panels", None)
    return list(found()) if callable(found) else []


async def stall(app: StandupApp, runs: int) -> dict[str, Any]:
    """Longest event-loop stall per full dashboard refresh (ms): median and worst."""
    async with app.run_test(size=SIZE) as pilot:
        await _wait(pilot, lambda: all(p.fetch_count > 0 for p in _panels(app)))
        panels = _panels(app)
        if not panels:
            return {"error": "the dashboard has no panels"}
        await pilot.pause(0.2)
        lateness: list[float] = []
        stop = asyncio.Event()
        tick = 0.002

        async def ticker() -> None:
            last = time.perf_counter()
            while not stop.is_set():
                await asyncio.sleep(tick)
                now = time.perf_counter()
                lateness.append(now - last - tick)
                last = now

        task = asyncio.create_task(ticker())
        worst: list[float] = []
        try:
            for _ in range(runs):
                before = [p.fetch_count for p in panels]
                lateness.clear()
                app.screen.refresh_panels()  # type: ignore[attr-defined]
                await _wait(
                    pilot,
                    lambda before=before: all(  # type: ignore[misc]
                        p.fetch_count > n for p, n in zip(panels, before, strict=True)
                    ),
                )
                await pilot.pause(0.05)  # the frame that draws the new data
                worst.append(max(lateness, default=0.0) * 1000)
        finally:
            stop.set()
            await task
    return {"max_stall_ms": statistics.median(worst), "worst_ms": max(worst), "runs": runs}


async def triage_keys(app: StandupApp, runs: int) -> dict[str, Any]:
    """``a`` then enter (accept, default fault) on the queue's current row: from the enter
    that commits to the frame that shows the updated queue.

    Pilot's ``press`` waits for the whole app to go idle (timers, background refreshes of
    the dashboard after the file changed), so the enter is sent without waiting for that.
    """
    from screens.triage import TriageScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await _wait(pilot, lambda: isinstance(app.screen, TriageScreen))
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await _wait(pilot, lambda: screen._loaded_at is not None and bool(screen._order))
        await pilot.pause(0.3)
        total: list[float] = []
        for _ in range(runs):
            await pilot.press("a")
            await _wait(pilot, lambda: app.screen is not screen)  # the fault picker
            done = len(screen.latencies)
            started = time.perf_counter()
            pressing = asyncio.create_task(pilot.press("enter"))
            await _wait(pilot, lambda done=done: len(screen.latencies) > done)  # type: ignore[misc]
            drawn = asyncio.Event()
            app.call_after_refresh(drawn.set)
            await asyncio.wait_for(drawn.wait(), 30)
            total.append((time.perf_counter() - started) * 1000)
            await pressing
            await pilot.pause(0.05)
    ordered = sorted(total)
    return {
        "p50_ms": statistics.median(total),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "screen_p50_ms": statistics.median(screen.latencies),
        "runs": runs,
    }


async def sql_first_rows(app: StandupApp, runs: int) -> dict[str, Any]:
    """ctrl+j on every lead -> first rows on screen; peak RSS of the process after."""
    from screens.sql_prompt import SqlScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await _wait(pilot, lambda: isinstance(app.screen, SqlScreen))
        screen = app.screen
        assert isinstance(screen, SqlScreen)
        await _wait(pilot, lambda: bool(screen.editor.catalog.tables))
        screen.editor.load("SELECT * FROM leads")
        times: list[float] = []
        rows = 0
        for _ in range(runs):
            screen.first_rows_ms = None
            started = time.perf_counter()
            await pilot.press("ctrl+j")
            await _wait(pilot, lambda: screen.first_rows_ms is not None)
            assert screen.first_rows_ms is not None
            shown = screen.rows_ready_at + screen.first_rows_ms / 1000
            times.append((shown - started) * 1000)
            await _wait(pilot, lambda: not screen.running)
            rows = screen.result.total_rows if screen.result is not None else 0
            await pilot.pause(0.1)
    peak = peak_rss_mib()  # VmHWM: ru_maxrss would carry the bench driver's peak over
    return {"first_rows_ms": statistics.median(times), "rows": rows, "peak_rss_mib": peak}


PROBES = {"stall": stall, "triage": triage_keys, "sql": sql_first_rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.probe")
    parser.add_argument("kind", choices=sorted(PROBES))
    parser.add_argument("db", type=Path)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    app = StandupApp(Store.open(args.db), Config(), Clock(datetime.fromisoformat(args.as_of)))
    try:
        result = asyncio.run(PROBES[args.kind](app, args.runs))
    except Exception as exc:  # reported as the row's value, not a crash of the bench
        result = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
