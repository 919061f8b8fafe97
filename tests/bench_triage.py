"""Benchmark (not a test): triage latency on a big demo file.

    python tests/bench_triage.py /tmp/tri1m.duckdb [--n 60]

Copies the file, then times single actions (commit + the refreshed queue row the screen
shows), undo, a bulk action on 500 disputes, and the full queue load. Prints p50/p95.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from standup import triage
from standup.store import Store

NOW = datetime(2026, 11, 23, 9, 0)


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"{name:<28} n={len(ms):<4} p50={statistics.median(ms):7.1f} ms  p95={p95:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument(
        "--hold", type=float, default=2.0, help="write_hold_seconds (0: attach per key)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        shutil.copy(args.db, path)
        store = Store.open(path)
        store.write_hold_seconds = args.hold
        queue_ms = [_timed(lambda: triage.queue(store, NOW)) for _ in range(5)]
        _report("queue load", queue_ms)
        rows = triage.queue(store, NOW)
        print(f"open disputes: {len(rows)}")
        actions = ["accept", "note", "recycle", "disqualify", "reassign"]
        single: list[float] = []
        undo_ms: list[float] = []
        for i, row in enumerate(rows[: args.n]):
            action = actions[i % len(actions)]
            extra: dict[str, object] = {}
            if action == "disqualify":
                extra["reason_code"] = "no_need"
            if action == "reassign":
                extra["owner_id"] = 11 if row.owner_id != 11 else 12
            if action == "note":
                extra["note"] = "bench"
            target = [triage.Target(row.dispute_id, row.version)]
            start = time.perf_counter()
            applied = triage.apply(store, action, target, now=NOW, actor="bench", **extra)
            single.append((time.perf_counter() - start) * 1000)
            if i % 5 == 4:
                # The screen checkpoints when the room pauses; do it between key presses.
                triage.checkpoint(store)
            if i % 3 == 0:
                start = time.perf_counter()
                triage.undo(store, applied.event_ids, now=NOW, actor="bench")
                undo_ms.append((time.perf_counter() - start) * 1000)
        _report("single action (commit+row)", single)
        ck = []
        last = rows[-1].dispute_id
        for _ in range(5):
            version = triage.rows(store, NOW, [last])[0].version
            target = [triage.Target(last, version)]
            triage.apply(store, "note", target, now=NOW, actor="bench", note="x")
            ck.append(_timed(lambda: triage.checkpoint(store)))
        _report("idle checkpoint", ck)
        _report("undo", undo_ms)
        rows = triage.queue(store, NOW)
        marked = [triage.Target(r.dispute_id, r.version) for r in rows[:500]]
        bulk: list[triage.Applied] = []
        ms = _timed(lambda: bulk.append(triage.apply(store, "accept", marked, now=NOW, actor="b")))
        _report(f"bulk accept x{len(marked)}", [ms])
        ms = _timed(lambda: triage.undo(store, bulk[0].event_ids, now=NOW, actor="bench"))
        _report(f"bulk undo x{len(marked)}", [ms])
        print("replay problems:", len(triage.replay_problems(store)))


if __name__ == "__main__":
    main()
