"""Applying an action from the table to one dispute or a batch: one write transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from standup.store import Connection, Store
from standup.triage.actions import Choice, spec
from standup.triage.models import (
    Applied,
    Conflict,
    DisputeState,
    Target,
    TriageError,
    dispute_label,
)
from standup.triage.work import (
    Work,
    default_recycle_code,
    load,
    queue_rows,
    reason,
    write_decision,
)


def apply(
    store: Store,
    action: str,
    targets: Sequence[Target],
    *,
    now: datetime,
    actor: str,
    fault: str | None = None,
    reason_code: str | None = None,
    revisit_on: date | None = None,
    owner_id: int | None = None,
    note: str | None = None,
    on_committed: Callable[[Applied], object] | None = None,
) -> Applied:
    """Apply ``action`` to every target in ONE transaction, or raise and change nothing.

    ``action`` is one of :data:`ACTIONS`. Decisions (accept, disqualify, recycle,
    reassign) resolve the dispute and record ``fault`` (defaulted by
    :func:`default_fault`); escalate and note keep it open. Raises :class:`Conflict` if
    any dispute's version differs from the target's, and another :class:`TriageError`
    if the action is illegal for any of them. ``on_committed(applied)`` is called as
    soon as the decision is committed, before the dashboard facts follow (see
    :func:`~standup.triage.work.write_decision`).
    """
    what = spec(action)
    if not targets:
        raise TriageError("nothing selected: the queue is empty")
    ids = [t.dispute_id for t in targets]
    if len(set(ids)) != len(ids):
        raise TriageError("the same dispute is named twice")
    choice = Choice(fault, reason_code, revisit_on, owner_id, note)
    batch_id = uuid.uuid4().hex[:12] if len(targets) > 1 else None

    def build(conn: Connection) -> tuple[Work, Applied]:
        loaded = load(conn, ids)
        _check_versions(loaded.disputes, targets)
        work = Work(conn, now, actor, batch_id, dict(loaded.disputes), dict(loaded.leads))
        for t in targets:
            what.decide(work, work.disputes[t.dispute_id], choice)
        event_ids = work.write()
        rows = queue_rows(conn, now, loaded, work.disputes, work.leads, ids)
        return work, Applied(action, event_ids, batch_id, rows, what.summary(rows))

    return write_decision(store, build, on_committed)


def _check_versions(disputes: dict[int, DisputeState], targets: Sequence[Target]) -> None:
    stale = [t for t in targets if disputes[t.dispute_id].version != t.version]
    if stale:
        names = ", ".join(dispute_label(t.dispute_id) for t in stale[:5])
        more = f" (+{len(stale) - 5} more)" if len(stale) > 5 else ""
        raise Conflict(f"{names}{more} changed since you saw it (someone else acted); reloaded")


def accept(store: Store, targets: Sequence[Target], **kw: Any) -> Applied:
    """Sales works the lead: lead → sal (if not already past it), dispute resolved."""
    return apply(store, "accept", targets, **kw)


def disqualify(store: Store, targets: Sequence[Target], **kw: Any) -> Applied:
    """Lead → disqualified with ``reason_code``, dispute resolved."""
    return apply(store, "disqualify", targets, **kw)


def recycle(store: Store, targets: Sequence[Target], **kw: Any) -> Applied:
    """Lead → recycled (back to nurture) until ``revisit_on``, dispute resolved."""
    return apply(store, "recycle", targets, **kw)


def reassign(store: Store, targets: Sequence[Target], **kw: Any) -> Applied:
    """Lead → ``owner_id`` (and back to mql if it had left sales), dispute resolved."""
    return apply(store, "reassign", targets, **kw)


def escalate(store: Store, targets: Sequence[Target], **kw: Any) -> Applied:
    """Keep the dispute open but flag it for someone senior."""
    return apply(store, "escalate", targets, **kw)


def note(store: Store, targets: Sequence[Target], **kw: Any) -> Applied:
    """Add a note to the dispute's audit trail (the dispute stays as it is)."""
    return apply(store, "note", targets, **kw)


def default_revisit(store: Store, dispute_id: int, now: datetime) -> tuple[str, date]:
    """The reason code and revisit date recycle proposes for a dispute's lead."""

    def work(conn: Connection) -> tuple[str, date]:
        loaded = load(conn, [dispute_id])
        lead = loaded.leads[loaded.disputes[dispute_id].lead_id]
        code = default_recycle_code(conn, lead.reason_code)
        days = reason(conn, code)["recycle_days"]
        return code, now.date() + timedelta(days=int(days or 30))

    result: tuple[str, date] = store.fetch_with(work)
    return result
