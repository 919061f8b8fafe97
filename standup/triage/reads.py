"""What the triage screen reads: the queue, rows after a conflict, a lead's detail, the
pickers' lists; plus the audit replay check and the idle checkpoint."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from standup.store import Connection, Store
from standup.triage.models import Detail, NotFound, QueueRow, queue_order
from standup.triage.work import fetch_record, fetch_records, load, queue_rows, read_leads


def queue(store: Store, now: datetime) -> list[QueueRow]:
    """Open and escalated disputes in :func:`queue_order` (overdue first, then oldest)."""

    def work(conn: Connection) -> list[QueueRow]:
        return [QueueRow.of(r) for r in fetch_records(conn, "triage/queue", {"now": now})]

    rows: list[QueueRow] = store.fetch_with(work)
    rows.sort(key=queue_order)
    return rows


def rows(store: Store, now: datetime, dispute_ids: Sequence[int]) -> tuple[QueueRow, ...]:
    """Queue rows for the named disputes whatever their status (reload after a conflict)."""

    def work(conn: Connection) -> tuple[QueueRow, ...]:
        loaded = load(conn, dispute_ids)
        return queue_rows(conn, now, loaded, loaded.disputes, loaded.leads, dispute_ids)

    result: tuple[QueueRow, ...] = store.fetch_with(work)
    return result


def detail(store: Store, lead_id: int, *, limit: int = 40) -> Detail:
    """The lead, its disputes (both sides' claims) and its timeline, newest first."""

    def work(conn: Connection) -> Detail:
        lead = fetch_record(conn, "triage/lead", {"lead_id": lead_id})
        if lead is None:
            raise NotFound(f"no lead {lead_id}")
        disputes = fetch_records(conn, "triage/lead_disputes", {"lead_id": lead_id})
        timeline = [
            (r["happened_at"], str(r["what"]), str(r["detail"]))
            for r in fetch_records(
                conn, "triage/lead_timeline", {"lead_id": lead_id, "limit": limit}
            )
        ]
        deals = fetch_records(conn, "triage/lead_deals", {"lead_id": lead_id})
        return Detail(lead, disputes, timeline, deals)

    result: Detail = store.fetch_with(work)
    return result


def reason_codes(store: Store) -> list[tuple[str, str, str, int | None]]:
    """Active reason codes as ``(code, kind, label, recycle_days)``."""

    def work(conn: Connection) -> list[tuple[str, str, str, int | None]]:
        found = fetch_records(conn, "triage/reason_codes")
        return [(r["code"], r["kind"], r["label"], r["recycle_days"]) for r in found]

    result: list[tuple[str, str, str, int | None]] = store.fetch_with(work)
    return result


def owners(store: Store) -> list[tuple[int, str]]:
    """Active sales reps as ``(person_id, name)``."""

    def work(conn: Connection) -> list[tuple[int, str]]:
        found = fetch_records(conn, "triage/owners")
        return [(int(r["person_id"]), str(r["name"])) for r in found]

    result: list[tuple[int, str]] = store.fetch_with(work)
    return result


def checkpoint(store: Store) -> None:
    """Fold the write-ahead log into the file; the screen calls it when triage goes idle.

    Triage writes skip the checkpoint after their commit (``writing(checkpoint=False)``)
    so a key press commits in milliseconds; until this runs, every unit of work that
    attaches the file replays the WAL.
    """
    store.checkpoint()


def prepare_writes() -> None:
    """Load what the first write needs, so the first decision of a session doesn't wait.

    An action registers Arrow tables with DuckDB, and DuckDB's first registration imports
    ``pyarrow.dataset`` (≈ 80 ms). Call it from a worker thread while the user is still
    reading the queue.
    """
    import pyarrow.dataset  # noqa: F401 - imported for its side effect, lazily


def replay_problems(store: Store) -> list[str]:
    """Check the audit log replays to the current state; returns problems (empty = sound).

    Per dispute and per lead, each snapshotted event's ``before`` must equal the previous
    event's ``after``, and the last ``after`` must equal the current row.
    """

    def work(conn: Connection) -> list[str]:
        problems: list[str] = []
        last_d: dict[int, Any] = {}
        last_l: dict[int, Any] = {}
        for ev in fetch_records(conn, "triage/audit_dispute_events"):
            event_id, dispute_id, lead_id = ev["event_id"], ev["dispute_id"], ev["lead_id"]
            before, after = json.loads(ev["before_state"]), json.loads(ev["after_state"])
            if dispute_id in last_d and before["dispute"] != last_d[dispute_id]:
                problems.append(f"event {event_id}: dispute {dispute_id} before ≠ previous after")
            if lead_id in last_l and before["lead"] != last_l[lead_id]:
                problems.append(f"event {event_id}: lead {lead_id} before ≠ previous after")
            last_d[dispute_id] = after["dispute"]
            last_l[lead_id] = after["lead"]
        if last_d:
            disputes = load(conn, sorted(last_d)).disputes
            for i, snap in last_d.items():
                if disputes[i].snapshot() != snap:
                    problems.append(f"dispute {i}: current state ≠ last audit snapshot")
        if last_l:
            leads = {i: state for i, (state, _) in read_leads(conn, sorted(last_l)).items()}
            for i, snap in last_l.items():
                # an older snapshot lacks fields added since (reached_stage): compare
                # what it recorded
                now_snap = leads[i].snapshot()
                if {k: now_snap.get(k) for k in snap} != snap:
                    problems.append(f"lead {i}: current state ≠ last audit snapshot")
        return problems

    result: list[str] = store.fetch_with(work)
    return result
