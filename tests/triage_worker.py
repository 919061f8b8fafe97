"""A child process for the triage crash and concurrency tests (not a test module).

python -m tests.triage_worker crash DB SEED       apply actions forever, print each ack
python -m tests.triage_worker race DB ID VERSION GO   wait for file GO, accept, print result
python -m tests.triage_worker gap DB ID VERSION    accept as the screen does; hang once committed
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from standup import triage
from standup.store import RetryPolicy, Store
from standup.triage import Target
from tests.conftest import AS_OF


def crash(path: str, seed: int) -> None:
    """Act on random live disputes until killed; print ``ACK`` with the event ids after commit."""
    rng = random.Random(seed)
    store = Store(path, RetryPolicy(timeout=30))
    rows = {r.dispute_id: r for r in triage.queue(store, AS_OF)}
    last: triage.Applied | None = None
    print("READY", flush=True)
    while True:
        live = [r for r in rows.values() if r.live]
        choice = rng.random()
        if len(live) < 4:
            # Keep the queue from running dry: open a dispute on some lead (also acked).
            try:
                row = triage.open_dispute(
                    store, rng.randint(1, 2000), "sales", "junk_source", "crash", AS_OF
                )
            except triage.TriageError:
                continue
            rows[row.dispute_id] = row
            print("OPENED", row.dispute_id, flush=True)
            continue
        try:
            if last is not None and choice < 0.2:
                result = triage.undo(store, last.event_ids, now=AS_OF, actor="crash")
            else:
                picked = rng.sample(live, k=min(len(live), rng.choice([1, 1, 1, 3])))
                targets = [Target(r.dispute_id, r.version) for r in picked]
                action = rng.choice(["note", "note", "accept", "recycle", "disqualify"])
                result = triage.apply(
                    store,
                    action,
                    targets,
                    now=AS_OF,
                    actor="crash",
                    note="crash test",
                    reason_code="no_need" if action == "disqualify" else None,
                )
        except triage.TriageError:
            last = None
            continue
        for row in result.rows:
            rows[row.dispute_id] = row
        last = result
        print("ACK", " ".join(map(str, result.event_ids)), flush=True)


def race(path: str, dispute_id: int, version: int, go: str) -> None:
    """Wait for the go file, then try to accept; print WON or CONFLICT."""
    store = Store(path, RetryPolicy(timeout=30))
    print("READY", flush=True)
    while not Path(go).exists():
        time.sleep(0.001)
    try:
        result = triage.accept(store, [Target(dispute_id, version)], now=AS_OF, actor=path)
    except triage.Conflict:
        print("CONFLICT", flush=True)
        return
    print("WON", result.event_ids[0], flush=True)


def gap(path: str, dispute_id: int, version: int) -> None:
    """Accept as the screen's writer does (``on_committed``), and hang right there: after
    the decision's commit, before its dashboard facts follow, where the test kills it."""
    store = Store(path, RetryPolicy(timeout=30))

    def committed(applied: triage.Applied) -> None:
        print("COMMITTED", applied.event_ids[0], flush=True)
        time.sleep(600)

    triage.accept(
        store, [Target(dispute_id, version)], now=AS_OF, actor="gap", on_committed=committed
    )


if __name__ == "__main__":
    if sys.argv[1] == "crash":
        crash(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "gap":
        gap(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        race(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
