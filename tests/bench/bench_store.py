"""Benchmark one unit of work's fixed cost: open + a trivial query + close.

Not a test (the name keeps pytest away). Build a big demo first, then run:

    .venv/bin/standup demo --no-open --leads 1000000 /tmp/store1m.duckdb --as-of 2026-11-23
    .venv/bin/python -m tests.bench.bench_store /tmp/store1m.duckdb --runs 200

Times ``store.reading()`` and ``store.writing()`` around one ``SELECT count(*) FROM people``
(a tiny table, so the time is what opening, attaching and closing cost, not the query),
on a copy of the file. Prints median and p95 wall time, and the median CPU time of the
whole process (steadier than wall time on a busy 2-core box).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from standup.store import Store


def _sample(work: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    work()  # warm the OS cache and, where there is one, the host instance
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def _report(name: str, walls: list[float], cpus: list[float]) -> None:
    walls = sorted(walls)
    p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    print(
        f"{name:<34} median {statistics.median(walls):6.2f} ms  p95 {p95:6.2f} ms  "
        f"CPU median {statistics.median(cpus):6.2f} ms"
    )


def main() -> None:
    """Command line: DB, --runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        shutil.copy(args.db, path)
        store = Store.open(path)

        def read() -> object:
            with store.reading() as conn:
                return conn.execute("SELECT count(*) FROM people").fetchall()

        def write() -> object:
            with store.writing() as conn:
                return conn.execute("SELECT count(*) FROM people").fetchall()

        _report("reading() open+query+close", *_sample(read, args.runs))
        _report("writing() open+query+commit+close", *_sample(write, args.runs))
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
