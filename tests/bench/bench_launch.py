"""Benchmark launch: from process start to the full dashboard on screen (issue 3: ~1 s at 1M).

Not a test (the name keeps pytest away). Follows ``standup open DB`` (imports, open the
store, start the app) headless at 160×45 and prints when each phase ended, the first
refresh's own time, and the CPU the UI thread spent, so a slow start can be pinned on
imports, opening the file, the query, or drawing:

    .venv/bin/python -m tests.bench.bench_launch /tmp/dash1m.duckdb --as-of 2026-11-23
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402

from standup.cli import make_app  # noqa: E402
from standup.clock import Clock, parse_as_of  # noqa: E402
from standup.config import Config  # noqa: E402
from standup.store import RetryPolicy, Store  # noqa: E402

IMPORTED = time.perf_counter()


def ms(t: float) -> str:
    """Milliseconds since process start."""
    return f"{(t - STARTED) * 1000:7.0f} ms"


async def launch(db: str, as_of: str) -> dict[str, float]:
    """Open ``db`` like ``standup open`` and wait for the first full refresh on screen."""
    marks: dict[str, float] = {}
    config = Config()
    store = Store.open(db, RetryPolicy(timeout=config.lock_timeout_seconds))
    marks["store opened"] = time.perf_counter()
    # As `standup open`: start the first refresh, then import the app (Textual).
    app = make_app(store, config, Clock(parse_as_of(as_of)))
    marks["app imported and built"] = time.perf_counter()
    first = app.session.first_refresh
    ui_cpu = time.thread_time()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert type(screen).__name__ == "DashboardScreen"
        while screen.feed.refreshes == 0:
            await asyncio.sleep(0.001)
        await pilot.pause()  # let the screen repaint with the data
        marks["full dashboard painted"] = time.perf_counter()
        marks["UI-thread CPU (s)"] = time.thread_time() - ui_cpu
        assert screen.feed.started_at is not None and screen.feed.delivered_at is not None
        marks["first refresh started"] = first.started_at
        assert first.finished_at is not None
        marks["first refresh queries done"] = first.finished_at
        marks["feed took it over"] = screen.feed.started_at
        marks["first refresh delivered"] = screen.feed.delivered_at
    return marks


def main() -> None:
    """Command line: DB, --as-of."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--as-of", default="2026-11-23")
    args = parser.parse_args()
    marks = asyncio.run(launch(args.db, args.as_of))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'CLI imported':28} {ms(IMPORTED)}")
    for name, t in sorted(marks.items(), key=lambda m: m[1] if "(s)" not in m[0] else 1e18):
        if name.endswith("(s)"):
            print(f"{name:28} {t * 1000:7.0f} ms")
        else:
            print(f"{name:28} {ms(t)}")
    refresh = marks["first refresh queries done"] - marks["first refresh started"]
    print(f"{'first refresh (queries)':28} {refresh * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
