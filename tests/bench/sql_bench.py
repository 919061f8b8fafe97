"""Benchmark of the SQL prompt on a big result, for the benchmark suite and by hand.

    python -m tests.bench.sql_bench DB ["SQL"]      # prints one JSON object

Runs the real app headless (``App.run_test``), types nothing: loads the query into the
editor, presses ctrl+j like a user, and reports

- ``query_ms``: from the key press until the worker had the capped Arrow rows;
- ``first_rows_ms``: from then until the table with those rows was painted (the budget
  is 100 ms);
- ``first_rows_ui_cpu_ms``: UI-thread CPU time of that step (what a loaded machine
  cannot inflate);
- ``done_ms``: until the query was done, full row count known ("first N of M");
- ``peak_rss_mib``: the process's peak resident memory with the result open (the budget
  is 350 MiB for the whole app), as ``VmHWM`` (see :func:`peak_rss_mib` for why not
  ``ru_maxrss``). Run it in a fresh process for a clean number.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from screens.app import StandupApp
from screens.sql_prompt import SqlScreen
from standup.clock import Clock
from standup.config import Config
from standup.store import Store
from tests.bench.pty_run import vm_hwm_kib


async def measure_big_result(
    db: str | Path,
    sql: str = "select * from leads",
    size: tuple[int, int] = (160, 45),
    timeout: float = 120.0,
    quiet_dashboard: bool = True,
) -> dict[str, Any]:
    """Run ``sql`` at the SQL prompt of a headless app on ``db``; return the timings.

    The app starts on the dashboard, whose panels fetch once at start. With
    ``quiet_dashboard`` the benchmark waits for those fetches and stretches the panels'
    refresh interval, so a 5-second dashboard poll on a million leads does not land at
    random inside the measured 100 ms; without it, the numbers include that noise.
    """
    config = Config(refresh_seconds=3600) if quiet_dashboard else Config()
    app = StandupApp(Store.open(db), config=config, clock=Clock.from_setting("2026-11-23"))
    async with app.run_test(size=size) as pilot:
        if quiet_dashboard:
            await pilot.pause(0.2)
            while any(not worker.is_finished for worker in app.workers):
                await pilot.pause(0.02)
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, SqlScreen)
        # Like a user, who takes longer to type than the prompt takes to load its catalog.
        while not screen.editor.catalog.tables:
            await pilot.pause(0.01)
        screen.editor.load(sql)
        pressed = time.perf_counter()
        await pilot.press("ctrl+j")
        deadline = time.monotonic() + timeout
        while screen.first_rows_ms is None or screen.running:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no result for {sql!r} after {timeout:g}s")
            if screen.error is not None:
                raise RuntimeError(str(screen.error))
            await pilot.pause(0.005)
        done = time.perf_counter()
        result = screen.result
        assert result is not None
        report = {
            "sql": sql,
            "rows_shown": result.table.num_rows,
            "total_rows": result.total_rows,
            "query_ms": round((screen.rows_ready_at - pressed) * 1000, 1),
            "first_rows_ms": round(screen.first_rows_ms, 1),
            "first_rows_ui_cpu_ms": round(screen.first_rows_cpu_ms or 0.0, 1),
            "done_ms": round((done - pressed) * 1000, 1),
            "peak_rss_mib": round(peak_rss_mib(), 1),
        }
    return report


def peak_rss_mib(pid: int | str = "self") -> float:
    """Peak resident memory (MiB) of this process's own program: Linux ``VmHWM``.

    Not ``getrusage().ru_maxrss``: Linux carries the parent's peak RSS over ``fork`` +
    ``exec`` into the child's ``ru_maxrss`` (``subprocess`` uses ``vfork``, so a child of
    a 1 GiB benchmark driver reported 1 GiB however little it used). ``VmHWM`` is the
    high-water mark of the memory map the program got at ``exec``, so it is its own.
    ``ru_maxrss`` remains the fallback where ``/proc`` is missing (macOS).
    """
    kib = vm_hwm_kib(pid)
    if kib is not None:
        return kib / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.bench.sql_bench DB [SQL]``: print the measurements as JSON."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python -m tests.bench.sql_bench DB [SQL]")
    sql = args[1] if len(args) > 1 else "select * from leads"
    print(json.dumps(asyncio.run(measure_big_result(args[0], sql))))


if __name__ == "__main__":
    main()
