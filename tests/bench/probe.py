"""In-app measurements, each in a fresh process: ``python -m tests.bench.probe KIND DB``.

The app runs headless (``App.run_test``: Textual lays out and renders every frame, the
driver just doesn't write to a terminal) on the real database, driven by Pilot like a
user at the keyboard. Prints one JSON object. Kinds:

- ``stall``: the longest time the UI thread's event loop was blocked while the whole
  dashboard refreshed (a 2 ms asyncio ticker measures its own lateness);
- ``triage``: N decisions on the triage screen, key press -> pending row drawn ->
  committed -> settled row drawn (``tests.bench.bench_triage_screen``);
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


async def wait_until(pilot: Any, check: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run until ``check()`` is true (TimeoutError after ``timeout`` s).

    A plain sleep, not ``pilot.pause``: that walks every widget of the screen and forces
    a frame each time, every 2 ms here, on the UI thread the probes measure. The app draws
    on its own timer, as it does in a terminal.
    """
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("probe: timed out waiting for the app")
        await asyncio.sleep(0.002)


def _panels(app: Any) -> list[Any]:
    found = getattr(app.screen, "panels", None)
    return list(found()) if callable(found) else []


class StallMeter:
    """``async with StallMeter() as meter``: the UI event loop's longest stall inside.

    A 2 ms asyncio ticker on the loop records how late each of its wake-ups is: any
    callback that holds the loop (a slow handler, a long render) makes it late.
    """

    TICK = 0.002

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def worst_ms(self) -> float:
        """The longest stall seen so far (ms)."""
        return max(self.lateness, default=0.0) * 1000

    def clear(self) -> None:
        """Forget the stalls so far (start a new measurement)."""
        self.lateness.clear()

    async def _tick(self) -> None:
        last = time.perf_counter()
        while not self._stop.is_set():
            await asyncio.sleep(self.TICK)
            now = time.perf_counter()
            self.lateness.append(now - last - self.TICK)
            last = now

    async def __aenter__(self) -> StallMeter:
        self._task = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task


async def refresh_stalls(app: StandupApp, pilot: Any, runs: int) -> list[float]:
    """On the dashboard: the longest event-loop stall (ms) of each of ``runs`` full
    refreshes, from the refresh's start until the frame that draws its data."""
    await wait_until(pilot, lambda: all(p.fetch_count > 0 for p in _panels(app)))
    panels = _panels(app)
    if not panels:
        raise RuntimeError("the dashboard has no panels")
    await pilot.pause(0.2)
    worst: list[float] = []
    async with StallMeter() as meter:
        for _ in range(runs):
            before = [p.fetch_count for p in panels]
            meter.clear()
            app.screen.refresh_panels()  # type: ignore[attr-defined]
            await wait_until(
                pilot,
                lambda before=before: all(  # type: ignore[misc]
                    p.fetch_count > n for p, n in zip(panels, before, strict=True)
                ),
            )
            await pilot.pause(0.05)  # the frame that draws the new data
            worst.append(meter.worst_ms)
    return worst


async def stall(app: StandupApp, runs: int) -> dict[str, Any]:
    """Longest event-loop stall per full dashboard refresh (ms): median and worst."""
    async with app.run_test(size=SIZE) as pilot:
        worst = await refresh_stalls(app, pilot, runs)
    return {"max_stall_ms": statistics.median(worst), "worst_ms": max(worst), "runs": runs}


async def triage_keys(app: StandupApp, runs: int) -> dict[str, Any]:
    """Decisions on the triage screen (``tests.bench.bench_triage_screen``): key press ->
    pending row on screen, -> committed (DecisionApplied), -> settled row on screen."""
    from tests.bench.bench_triage_screen import measure

    result = await measure(app, runs, pause=0.6, stall_runs=0)
    if not result["n"]:
        return {"error": "no decision was shown: " + "; ".join(result["failed"])}
    return result


async def sql_first_rows(app: StandupApp, runs: int) -> dict[str, Any]:
    """ctrl+j on every lead -> first rows on screen; peak RSS of the process after."""
    from screens.sql_prompt import SqlScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SqlScreen))
        screen = app.screen
        assert isinstance(screen, SqlScreen)
        await wait_until(pilot, lambda: bool(screen.editor.catalog.tables))
        screen.editor.load("SELECT * FROM leads")
        times: list[float] = []
        rows = 0
        for _ in range(runs):
            screen.first_rows_ms = None
            started = time.perf_counter()
            await pilot.press("ctrl+j")
            await wait_until(pilot, lambda: screen.first_rows_ms is not None)
            assert screen.first_rows_ms is not None
            shown = screen.rows_ready_at + screen.first_rows_ms / 1000
            times.append((shown - started) * 1000)
            await wait_until(pilot, lambda: not screen.running)
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
