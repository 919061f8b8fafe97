"""A child process for the team-mode concurrency and crash tests (not a test module).

python -m tests.team_worker storm URL NAME SEED COUNT GO   COUNT actions on the hot queue
python -m tests.team_worker crash URL SEED                 act until killed, ACK each commit
python -m tests.team_worker hold URL DISPUTE VERSION       accept, then hang before COMMIT

Each prints one JSON object per line, flushed, so the parent knows what was committed.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from standup import triage
from standup.store import Connection, RetryPolicy
from standup.team.pgstore import PgStore
from standup.triage import Target
from tests.conftest import AS_OF


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def _act(
    store: PgStore, rng: random.Random, name: str, last: triage.Applied | None
) -> triage.Applied:
    if last is not None and rng.random() < 0.15:
        return triage.undo(store, last.event_ids, now=AS_OF, actor=name)
    # Everyone works the same few disputes at the top of the queue, with a version read a
    # moment earlier: the collisions are the point.
    hot = triage.queue(store, AS_OF)[:6]
    if not hot:
        raise triage.NothingToUndo("queue empty")
    time.sleep(rng.random() * 0.004)
    picked = rng.sample(hot, k=min(len(hot), rng.choice([1, 1, 1, 2])))
    action = rng.choice(["accept", "disqualify", "recycle", "escalate", "note", "note"])
    return triage.apply(
        store,
        action,
        [Target(r.dispute_id, r.version) for r in picked],
        now=AS_OF,
        actor=name,
        note=f"{name} was here",
        reason_code="no_need" if action == "disqualify" else None,
    )


def storm(url: str, name: str, seed: int, count: int, go: str) -> None:
    rng = random.Random(seed)
    store = PgStore(url, RetryPolicy(timeout=30))
    triage.queue(store, AS_OF)  # the pool's first connection, before the start line
    say(ready=name)
    while not Path(go).exists():
        time.sleep(0.001)
    last: triage.Applied | None = None
    for attempt in range(count):
        if len(triage.queue(store, AS_OF)) < 8:
            # Keep the queue from running dry: open a dispute on some lead.
            try:
                row = triage.open_dispute(
                    store, rng.randint(1, 2000), "sales", "junk_source", name, AS_OF, actor=name
                )
                say(attempt=attempt, result="opened", disputes=[row.dispute_id])
            except triage.TriageError as exc:
                say(attempt=attempt, result="refused", message=str(exc))
            continue
        try:
            result = _act(store, rng, name, last)
        except triage.Conflict as exc:
            say(attempt=attempt, result="conflict", message=str(exc))
            last = None
            continue
        except triage.TriageError as exc:
            say(attempt=attempt, result="refused", message=str(exc))
            last = None
            continue
        last = result
        say(
            attempt=attempt,
            result="ok",
            action=result.action,
            event_ids=list(result.event_ids),
            disputes=[r.dispute_id for r in result.rows],
        )


def crash(url: str, seed: int) -> None:
    rng = random.Random(seed)
    store = PgStore(url, RetryPolicy(timeout=30))
    last: triage.Applied | None = None
    say(ready=True)
    while True:
        if len(triage.queue(store, AS_OF)) < 8:
            try:
                row = triage.open_dispute(
                    store, rng.randint(1, 2000), "sales", "junk_source", "c", AS_OF, actor="crash"
                )
                say(opened=row.dispute_id)
            except triage.TriageError:
                pass
            continue
        try:
            last = _act(store, rng, "crash", last)
        except triage.TriageError:
            last = None
            continue
        say(ack=list(last.event_ids))


class _Hanging(PgStore):
    """A store whose write transactions stop just before COMMIT, for ever."""

    @contextmanager
    def writing(self, *, checkpoint: bool = True, isolated: bool = False) -> Iterator[Connection]:
        with super().writing() as conn:
            yield conn
            say(holding=True)  # everything is written, nothing is committed
            time.sleep(3600)


def hold(url: str, dispute_id: int, version: int) -> None:
    store = _Hanging(url)
    triage.accept(store, [Target(dispute_id, version)], now=AS_OF, actor="hold")
    say(committed=True)  # never reached: the parent kills us first


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "storm":
        storm(args[0], args[1], int(args[2]), int(args[3]), args[4])
    elif mode == "crash":
        crash(args[0], int(args[1]))
    elif mode == "hold":
        hold(args[0], int(args[1]), int(args[2]))
    else:
        raise SystemExit(f"unknown mode {mode}")
