"""Undo: a compensating event per undone event, in one transaction (undo twice = redo)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from standup.store import Connection, Store, records, run
from standup.triage.models import Applied, Conflict, NothingToUndo, QueueRow, dispute_label
from standup.triage.work import (
    Work,
    fetch_record,
    fetch_records,
    load,
    queue_rows,
    write_decision,
)


def undo(
    store: Store,
    event_ids: Sequence[int],
    *,
    now: datetime,
    actor: str,
    on_committed: Callable[[Applied], object] | None = None,
) -> Applied:
    """Compensate the given events (newest first) in ONE transaction, or change nothing.

    Each event's dispute and lead must still be exactly as that event left them;
    otherwise :class:`Conflict`. Undoing an undo restores what the undone event did.
    ``on_committed``: as :func:`~standup.triage.decide.apply`'s.
    """
    if not event_ids:
        raise NothingToUndo("nothing to undo")
    batch_id = uuid.uuid4().hex[:12] if len(event_ids) > 1 else None
    ids = {"ids": list(event_ids)}

    def build(conn: Connection) -> tuple[Work, Applied]:
        events = fetch_records(conn, "triage/events_by_ids", ids)
        if len(events) != len(set(event_ids)):
            raise NothingToUndo("no such triage event to undo")
        for ev in events:
            if ev["after_state"] is None or ev["action"] == "open":
                raise NothingToUndo(f"event {ev['event_id']} ({ev['action']}) cannot be undone")
        done = {int(r["undoes"]) for r in fetch_records(conn, "triage/undone_already", ids)}
        if done:
            raise NothingToUndo(f"event {min(done)} was already undone")
        dispute_ids = sorted({int(ev["dispute_id"]) for ev in events})
        loaded = load(conn, dispute_ids)
        work = Work(conn, now, actor, batch_id, dict(loaded.disputes), dict(loaded.leads))
        for ev in sorted(events, key=lambda e: -int(e["event_id"])):
            _compensate(work, ev)
        new_ids = work.write()
        rows = queue_rows(conn, now, loaded, work.disputes, work.leads, dispute_ids)
        chain = fetch_records(conn, "triage/undo_chain", ids)
        summary = _undo_summary(rows, [(str(c["root_action"]), int(c["depth"])) for c in chain])
        return work, Applied("undo", new_ids, batch_id, rows, summary)

    return write_decision(store, build, on_committed)


def _compensate(work: Work, ev: dict[str, object]) -> None:
    """Queue the event that puts ``ev``'s dispute and lead back as they were before it."""
    event_id, action = int(str(ev["event_id"])), str(ev["action"])
    before = json.loads(str(ev["before_state"]))
    after = json.loads(str(ev["after_state"]))
    d = work.disputes[int(str(ev["dispute_id"]))]
    lead = work.leads[int(str(ev["lead_id"]))]
    if d != d.restored(after["dispute"]) or not lead.same_as(lead.restored(after["lead"])):
        raise Conflict(
            f"{dispute_label(d.dispute_id)} changed after that {action}; undo refused (reloaded)"
        )
    restored_d = replace(d.restored(before["dispute"]), version=d.version + 1)
    restored_l = lead.restored(before["lead"])
    restored_l = lead if restored_l.same_as(lead) else replace(restored_l, updated_at=work.now)
    reason_code = ev["reason_code"]
    work.record(
        "undo",
        restored_d,
        restored_l,
        reason_code=str(reason_code) if reason_code is not None else None,
        note=f"undo of #{event_id} ({action})",
        undoes=event_id,
    )


def last_undoable(store: Store) -> tuple[int, ...]:
    """Event ids of the newest undoable action (its whole batch), or raise NothingToUndo."""

    def work(conn: Connection) -> tuple[int, ...]:
        row = fetch_record(conn, "triage/last_undoable")
        if row is None:
            raise NothingToUndo("nothing to undo: no triage action has been recorded")
        if row["batch_id"] is None:
            return (int(row["event_id"]),)
        batch = records(run(conn, "triage/batch_events", {"batch_id": row["batch_id"]}))
        return tuple(int(r["event_id"]) for r in batch)

    result: tuple[int, ...] = store.fetch_with(work)
    return result


def undo_last(store: Store, *, now: datetime, actor: str) -> Applied:
    """Undo the newest undoable action in the file (undo twice = redo)."""
    return undo(store, last_undoable(store), now=now, actor=actor)


def _undo_summary(rows: Sequence[QueueRow], chain: Sequence[tuple[str, int]]) -> str:
    """What an undo did, in the room's words: each undone event's root decision and its
    depth in the undo chain (see triage/undo_chain.sql) say whether it was put back
    (redone: odd depth) or taken away (undone: even depth)."""
    redo = bool(chain) and all(depth % 2 == 1 for _, depth in chain)
    what = ", ".join(sorted({action for action, _ in chain}))
    done, again = ("redone", "undo again") if redo else ("undone", "redo")
    if len(rows) == 1:
        r = rows[0]
        return f"{r.label} {what} {done}: {r.status}, lead {r.stage}; u to {again}"
    return f"{len(rows)} disputes: {what} {done}; u to {again}"
