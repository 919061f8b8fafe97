"""Triage: the rules for settling disputed leads, each action one audited transaction.

The screen only calls this module. Every action (accept, disqualify, recycle, reassign,
escalate, note, undo) on one dispute or on a batch of marked disputes is ONE write
transaction that updates the disputes, the leads, appends to ``stage_history`` when a
lead changes stage, and appends one ``dispute_events`` row per dispute with JSON
snapshots of the dispute and lead before and after. Nothing is deleted: an undo is a new
event that compensates an earlier one (and an undo of an undo is a redo).

Optimistic concurrency: each action names the ``disputes.version`` it saw; if any
dispute has moved on, :class:`Conflict` is raised and nothing changes.

Rules are computed in Python over the rows read inside the transaction, then written
set-based (one UPDATE/INSERT per table whatever the batch size) from Arrow tables, so a
500-dispute bulk action costs about as much as a single one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

import duckdb
import pyarrow as pa

from standup import facts, lifecycle
from standup.config import Config
from standup.errors import StandupError
from standup.fmt import lead_ref
from standup.store import Connection, Store, run

Side = Literal["marketing", "sales", "data", "none"]
FAULT_SIDES: tuple[str, ...] = ("marketing", "sales", "data", "none")
DECISIONS: tuple[str, ...] = ("accept", "disqualify", "recycle", "reassign")
ACTIONS: tuple[str, ...] = (*DECISIONS, "escalate", "note")
LIVE = ("open", "escalated")
# Stages a lead can be *pulled back* to sales from by accept; later stages stay where they are.
_BEFORE_SALES = ("inquiry", "mql", "recycled", "disqualified")

PAST_TENSE = {
    "accept": "accepted",
    "disqualify": "disqualified",
    "recycle": "recycled",
    "reassign": "reassigned",
    "escalate": "escalated",
    "note": "noted",
    "undo": "undone",
}


class TriageError(StandupError):
    """A triage action that cannot be applied; nothing was changed."""


class Conflict(TriageError):
    """Someone else changed the dispute since it was read; reload and decide again."""


class IllegalAction(TriageError):
    """The action is not allowed in the dispute's or lead's current state."""


class UnknownReasonCode(TriageError):
    """The reason code is not in the reason_codes table (or is retired)."""


class NotFound(TriageError):
    """No such dispute, lead or person."""


class NothingToUndo(TriageError):
    """There is no triage action to undo."""


@dataclass(frozen=True)
class Target:
    """A dispute to act on, and the version the user saw."""

    dispute_id: int
    version: int


@dataclass(frozen=True)
class QueueRow:
    """One dispute as the triage queue shows it."""

    dispute_id: int
    version: int
    status: str
    raised_by: str
    kind: str
    reason_code: str
    claim: str
    opened_at: datetime
    opened_by: str | None
    due_at: datetime
    overdue: bool
    lead_id: int
    company: str | None
    contact_name: str | None
    stage: str
    owner_id: int | None
    owner: str | None
    campaign_id: int | None
    campaign: str | None
    score: int | None
    external_id: str | None = None  # the lead's CRM id

    @property
    def label(self) -> str:
        """The id the room says out loud: ``D-1042``."""
        return dispute_label(self.dispute_id)

    @property
    def ref(self) -> str:
        """The lead as the room finds it in the CRM: its CRM id, else ``#<lead id>``."""
        return lead_ref(self.external_id, self.lead_id)

    @property
    def live(self) -> bool:
        """Still in the queue (open or escalated)."""
        return self.status in LIVE


@dataclass(frozen=True)
class Applied:
    """What one committed action did: its audit events and the disputes' new rows."""

    action: str
    event_ids: tuple[int, ...]
    batch_id: str | None
    rows: tuple[QueueRow, ...]
    summary: str


def dispute_label(dispute_id: int) -> str:
    """``D-<id>``, the form used in the queue and status line."""
    return f"D-{dispute_id}"


# -- state snapshots -------------------------------------------------------------------

_DISPUTE_FIELDS = ("status", "resolved_at", "outcome", "fault", "version")
_LEAD_FIELDS = (
    "stage",
    "owner_id",
    "reason_code",
    "recycle_on",
    "stage_entered_at",
    "accepted_at",
    "reached_stage",
    "updated_at",
)


@dataclass(frozen=True)
class _Dispute:
    dispute_id: int
    lead_id: int
    raised_by: str
    kind: str
    reason_code: str
    status: str
    resolved_at: datetime | None
    outcome: str | None
    fault: str | None
    version: int

    def snapshot(self) -> dict[str, Any]:
        return {name: _jsonable(getattr(self, name)) for name in _DISPUTE_FIELDS}


@dataclass(frozen=True)
class _Lead:
    lead_id: int
    stage: str
    owner_id: int | None
    reason_code: str | None
    recycle_on: date | None
    stage_entered_at: datetime | None  # NULL: an import did not know it
    accepted_at: datetime | None
    reached_stage: str | None  # furthest main-path stage (migration 010)
    updated_at: datetime

    def snapshot(self) -> dict[str, Any]:
        return {name: _jsonable(getattr(self, name)) for name in _LEAD_FIELDS}

    def same_as(self, other: _Lead) -> bool:
        """Equal in everything but ``updated_at`` (which only says when it last changed)."""
        return replace(self, updated_at=other.updated_at) == other


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _dispute_from_snapshot(base: _Dispute, snap: dict[str, Any]) -> _Dispute:
    resolved = snap["resolved_at"]
    return replace(
        base,
        status=snap["status"],
        resolved_at=datetime.fromisoformat(resolved) if resolved else None,
        outcome=snap["outcome"],
        fault=snap["fault"],
        version=int(snap["version"]),
    )


def _lead_from_snapshot(base: _Lead, snap: dict[str, Any]) -> _Lead:
    def ts(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    updated = ts(snap["updated_at"])
    assert updated is not None
    return replace(
        base,
        stage=snap["stage"],
        owner_id=snap["owner_id"],
        reason_code=snap["reason_code"],
        recycle_on=date.fromisoformat(snap["recycle_on"]) if snap["recycle_on"] else None,
        stage_entered_at=ts(snap["stage_entered_at"]),
        accepted_at=ts(snap["accepted_at"]),
        # snapshots written before migration 010 have no reached_stage: leave it be
        reached_stage=snap.get("reached_stage", base.reached_stage),
        updated_at=updated,
    )


# -- the working set of one transaction ------------------------------------------------


@dataclass
class _Work:
    """Disputes and leads read in the transaction, changed in memory, written at the end."""

    conn: Connection
    now: datetime
    actor: str
    batch_id: str | None
    disputes: dict[int, _Dispute]
    leads: dict[int, _Lead]
    original_disputes: dict[int, _Dispute] = field(default_factory=dict)
    original_leads: dict[int, _Lead] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.original_disputes = dict(self.disputes)
        self.original_leads = dict(self.leads)

    def record(
        self,
        action: str,
        dispute: _Dispute,
        lead: _Lead,
        *,
        outcome: str | None = None,
        fault: str | None = None,
        reason_code: str | None = None,
        note: str | None = None,
        undoes: int | None = None,
    ) -> None:
        """Replace the dispute and lead state and queue the audit event (+ history row)."""
        before_d = self.disputes[dispute.dispute_id]
        before_l = self.leads[lead.lead_id]
        self.disputes[dispute.dispute_id] = dispute
        self.leads[lead.lead_id] = lead
        index = len(self.events)
        self.events.append(
            {
                "dispute_id": dispute.dispute_id,
                "lead_id": lead.lead_id,
                "event_at": self.now,
                "actor": self.actor,
                "action": action,
                "outcome": outcome,
                "fault": fault,
                "reason_code": reason_code,
                "note": note,
                "batch_id": self.batch_id,
                "undoes": undoes,
                "before_state": json.dumps(
                    {"dispute": before_d.snapshot(), "lead": before_l.snapshot()}
                ),
                "after_state": json.dumps({"dispute": dispute.snapshot(), "lead": lead.snapshot()}),
            }
        )
        if lead.stage != before_l.stage:
            self.history.append(
                {
                    "index": index,
                    "lead_id": lead.lead_id,
                    "from_stage": before_l.stage,
                    "to_stage": lead.stage,
                    "moved_at": self.now,
                    "actor": self.actor,
                }
            )

    def write(self) -> tuple[int, ...]:
        """Write every change set-based; returns the new event ids in order."""
        if not self.events:
            return ()
        ids = [int(r[0]) for r in _all(self.conn, "triage/next_event_ids", {"n": len(self.events)})]
        events = [dict(e, event_id=i) for e, i in zip(self.events, ids, strict=True)]
        for h in self.history:
            h["event_id"] = ids[h.pop("index")]
        changed_d = [d for k, d in self.disputes.items() if d != self.original_disputes[k]]
        changed_l = [ld for k, ld in self.leads.items() if ld != self.original_leads[k]]
        if not isinstance(self.conn, duckdb.DuckDBPyConnection):
            self._write_rows(events, changed_d, changed_l)
            return tuple(ids)
        self._register("triage_new_events", _EVENT_SCHEMA, events)
        run(self.conn, "triage/insert_events")
        if changed_d:
            rows = [{"dispute_id": d.dispute_id, **_row(d, _DISPUTE_FIELDS)} for d in changed_d]
            self._register("triage_dispute_updates", _DISPUTE_SCHEMA, rows)
            run(self.conn, "triage/update_disputes")
        if changed_l:
            rows = [{"lead_id": ld.lead_id, **_row(ld, _LEAD_FIELDS)} for ld in changed_l]
            self._register("triage_lead_updates", _LEAD_SCHEMA, rows)
            run(self.conn, "triage/update_leads")
        if self.history:
            self._register("triage_new_history", _HISTORY_SCHEMA, self.history)
            run(self.conn, "triage/insert_history")
        # The dashboard facts of every lead whose stage, owner or disputes moved, in this
        # same transaction (an opened dispute changes its lead's counts).
        touched = {d.lead_id for d in changed_d} | {ld.lead_id for ld in changed_l}
        touched |= {int(e["lead_id"]) for e in events if e["action"] == "open"}
        facts.refresh_leads(self.conn, touched)
        return tuple(ids)

    def _write_rows(
        self, events: list[dict[str, Any]], changed_d: list[_Dispute], changed_l: list[_Lead]
    ) -> None:
        """Team mode (PostgreSQL): the same rows, sent as JSON, one statement per table.

        Several writers share the database, so each dispute update names the version
        it read and must match exactly one row; fewer means someone else's decision
        committed first, and the whole action rolls back as a :class:`Conflict`.
        The dashboard facts are not kept here: the Postgres panels read live totals.
        """

        def rows(values: list[dict[str, Any]]) -> dict[str, str]:
            return {"rows": json.dumps(values, default=_jsonable)}

        run(self.conn, "triage/insert_events", rows(events))
        if changed_d:
            updates = [
                {
                    "dispute_id": d.dispute_id,
                    "old_version": self.original_disputes[d.dispute_id].version,
                    **_row(d, _DISPUTE_FIELDS),
                }
                for d in changed_d
            ]
            done = run(self.conn, "triage/update_disputes", rows(updates)).rowcount
            if done != len(updates):
                raise Conflict(
                    f"{len(updates) - done} of {len(updates)} disputes changed since you saw "
                    "them (someone else acted); reloaded"
                )
        if changed_l:
            leads = [{"lead_id": ld.lead_id, **_row(ld, _LEAD_FIELDS)} for ld in changed_l]
            run(self.conn, "triage/update_leads", rows(leads))
        if self.history:
            run(self.conn, "triage/insert_history", rows(self.history))

    def _register(self, name: str, schema: pa.Schema, rows: list[dict[str, Any]]) -> None:
        table = pa.Table.from_pylist(rows, schema=schema)
        self.conn.register(name, table)


def _all(conn: Connection, name: str, params: dict[str, Any] | None = None) -> list[Any]:
    return run(conn, name, params).fetchall()


def _row(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


_EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.int64()),
        ("dispute_id", pa.int32()),
        ("lead_id", pa.int64()),
        ("event_at", pa.timestamp("us")),
        ("actor", pa.string()),
        ("action", pa.string()),
        ("outcome", pa.string()),
        ("fault", pa.string()),
        ("reason_code", pa.string()),
        ("note", pa.string()),
        ("batch_id", pa.string()),
        ("undoes", pa.int64()),
        ("before_state", pa.string()),
        ("after_state", pa.string()),
    ]
)
_DISPUTE_SCHEMA = pa.schema(
    [
        ("dispute_id", pa.int32()),
        ("status", pa.string()),
        ("resolved_at", pa.timestamp("us")),
        ("outcome", pa.string()),
        ("fault", pa.string()),
        ("version", pa.int32()),
    ]
)
_LEAD_SCHEMA = pa.schema(
    [
        ("lead_id", pa.int64()),
        ("stage", pa.string()),
        ("owner_id", pa.int32()),
        ("reason_code", pa.string()),
        ("recycle_on", pa.date32()),
        ("stage_entered_at", pa.timestamp("us")),
        ("accepted_at", pa.timestamp("us")),
        ("reached_stage", pa.string()),
        ("updated_at", pa.timestamp("us")),
    ]
)
_HISTORY_SCHEMA = pa.schema(
    [
        ("event_id", pa.int64()),
        ("lead_id", pa.int64()),
        ("from_stage", pa.string()),
        ("to_stage", pa.string()),
        ("moved_at", pa.timestamp("us")),
        ("actor", pa.string()),
    ]
)


# Up to this many ids are read one primary-key look-up at a time; more are read with one
# scan. On a fresh connection a scan of a million leads costs ~100 ms, a look-up a few.
_POINT_READS = 16

_Extra = tuple[Any, ...]


def _read_disputes(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[_Dispute, _Extra]]:
    if len(ids) <= _POINT_READS:
        found = [run(conn, "triage/dispute_state_one", {"id": i}).fetchone() for i in ids]
        raw = [r for r in found if r is not None]
    else:
        raw = _all(conn, "triage/disputes_state", {"ids": list(ids)})
    return {int(r[0]): (_Dispute(*r[:10]), tuple(r[10:])) for r in raw}


def _read_leads(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[_Lead, _Extra]]:
    if len(ids) <= _POINT_READS:
        found = [run(conn, "triage/lead_state_one", {"id": i}).fetchone() for i in ids]
        raw = [r for r in found if r is not None]
    else:
        raw = _all(conn, "triage/leads_state", {"ids": list(ids)})
    return {int(r[0]): (_Lead(*r[:9]), tuple(r[9:])) for r in raw}


@dataclass
class _Loaded:
    """Disputes and their leads as read in the transaction, plus what the queue shows."""

    disputes: dict[int, _Dispute]
    leads: dict[int, _Lead]
    dispute_extra: dict[int, _Extra]
    lead_extra: dict[int, _Extra]


def _load(conn: Connection, dispute_ids: Sequence[int]) -> _Loaded:
    got = _read_disputes(conn, dispute_ids)
    missing = [i for i in dispute_ids if i not in got]
    if missing:
        raise NotFound(f"no dispute {', '.join(dispute_label(i) for i in missing)}")
    lead_ids = sorted({d.lead_id for d, _ in got.values()})
    leads = _read_leads(conn, lead_ids)
    gone = [i for i in lead_ids if i not in leads]
    if gone:
        raise NotFound(f"lead {gone[0]} of a dispute does not exist")
    return _Loaded(
        {i: d for i, (d, _) in got.items()},
        {i: ld for i, (ld, _) in leads.items()},
        {i: x for i, (_, x) in got.items()},
        {i: x for i, (_, x) in leads.items()},
    )


def _queue_rows(
    conn: Connection,
    now: datetime,
    loaded: _Loaded,
    disputes: dict[int, _Dispute],
    leads: dict[int, _Lead],
    ids: Sequence[int],
) -> tuple[QueueRow, ...]:
    """Queue rows for ``ids`` built from the states just written (no re-read of leads)."""
    names: dict[tuple[str, int], str] = {
        (str(r[0]), int(r[1])): str(r[2]) for r in _all(conn, "triage/names")
    }
    out = []
    for i in ids:
        d = disputes[i]
        claim, opened_at, opened_by, due_at = loaded.dispute_extra[i]
        lead = leads[d.lead_id]
        company, contact, campaign_id, score, external_id = loaded.lead_extra[d.lead_id]
        out.append(
            QueueRow(
                dispute_id=d.dispute_id,
                version=d.version,
                status=d.status,
                raised_by=d.raised_by,
                kind=d.kind,
                reason_code=d.reason_code,
                claim=claim,
                opened_at=opened_at,
                opened_by=opened_by,
                due_at=due_at,
                overdue=due_at < now,
                lead_id=lead.lead_id,
                company=company,
                contact_name=contact,
                stage=lead.stage,
                owner_id=lead.owner_id,
                owner=names.get(("person", lead.owner_id)) if lead.owner_id else None,
                campaign_id=campaign_id,
                campaign=names.get(("campaign", campaign_id)) if campaign_id else None,
                score=score,
                external_id=external_id,
            )
        )
    out.sort(key=_queue_order)
    return tuple(out)


def _queue_order(row: QueueRow) -> tuple[bool, datetime, int]:
    """The queue's order: overdue first, then oldest (as queue.sql sorts)."""
    return (not row.overdue, row.opened_at, row.dispute_id)


# -- rules -----------------------------------------------------------------------------


def default_fault(action: str, raised_by: str) -> str:
    """The fault side proposed for a decision (the driver may pick another).

    Accepting means the lead deserved sales' work (sales at fault for rejecting or
    sitting on it); disqualifying means marketing passed a lead that was not ready;
    recycling is nobody's fault yet; reassigning means the routing data was wrong.
    """
    del raised_by  # same proposal whichever side raised it; kept for future rules
    return {
        "accept": "sales",
        "disqualify": "marketing",
        "recycle": "none",
        "reassign": "data",
    }.get(action, "none")


# Reason kinds a disqualification may give: a reject before contact or a disqualify after.
# Dispute reasons ("junk from this campaign") say why a side contested, not why the lead
# is out.
DISQUALIFY_KINDS = ("disqualify", "reject")


def _check_live(d: _Dispute, action: str) -> None:
    if d.status not in LIVE:
        raise IllegalAction(
            f"{dispute_label(d.dispute_id)} is already resolved ({d.outcome}); "
            f"cannot {action} it (undo the decision first)"
        )


def _reason(conn: Connection, code: str) -> tuple[Any, ...]:
    row = run(conn, "triage/reason_code", {"code": code}).fetchone()
    if row is None:
        raise UnknownReasonCode(f"unknown reason code {code!r} (see the reason_codes table)")
    if not row[6]:
        raise UnknownReasonCode(f"reason code {code!r} is retired (inactive)")
    return tuple(row)


def _decide(
    work: _Work,
    action: str,
    d: _Dispute,
    *,
    fault: str | None,
    reason_code: str | None,
    revisit_on: date | None,
    owner_id: int | None,
    note: str | None,
) -> None:
    """Apply one action to one dispute (and its lead) in the working set."""
    lead = work.leads[d.lead_id]
    now = work.now
    _check_live(d, action)
    if action in DECISIONS:
        side = fault or default_fault(action, d.raised_by)
        if side not in FAULT_SIDES:
            raise TriageError(f"fault side {side!r} is not one of {', '.join(FAULT_SIDES)}")
        resolved = replace(
            d,
            status="resolved",
            resolved_at=now,
            outcome=action,
            fault=side,
            version=d.version + 1,
        )
    new_lead = lead
    used_reason: str | None = d.reason_code
    if action == "accept":
        if lead.stage in _BEFORE_SALES:
            # accepted_at is when sales FIRST accepted it: a recycled lead accepted
            # again keeps its first time; it has reached sal either way
            new_lead = replace(
                lead,
                stage="sal",
                stage_entered_at=now,
                accepted_at=lead.accepted_at or now,
                reached_stage=lifecycle.furthest(lead.reached_stage, "sal"),
                reason_code=None,
                recycle_on=None,
            )
    elif action == "disqualify":
        if not reason_code:
            raise TriageError("disqualify needs a reason code")
        if _reason(work.conn, reason_code)[1] not in DISQUALIFY_KINDS:
            raise IllegalAction(
                f"{reason_code!r} is not a disqualify or reject reason; pick one of those"
            )
        if lead.stage == "customer":
            raise IllegalAction(f"lead {lead.lead_id} is a customer; it cannot be disqualified")
        used_reason = reason_code
        new_lead = replace(
            lead,
            stage="disqualified",
            stage_entered_at=now if lead.stage != "disqualified" else lead.stage_entered_at,
            reason_code=reason_code,
            recycle_on=None,
        )
    elif action == "recycle":
        if lead.stage == "customer":
            raise IllegalAction(f"lead {lead.lead_id} is a customer; it cannot be recycled")
        code = reason_code or _default_recycle_code(work.conn, lead.reason_code)
        days = _reason(work.conn, code)[5]
        revisit = revisit_on or (now.date() + timedelta(days=int(days or 30)))
        if revisit <= now.date():
            raise TriageError(f"revisit date {revisit} must be after today ({now.date()})")
        used_reason = code
        new_lead = replace(
            lead,
            stage="recycled",
            stage_entered_at=now if lead.stage != "recycled" else lead.stage_entered_at,
            reason_code=code,
            recycle_on=revisit,
        )
    elif action == "reassign":
        if owner_id is None:
            raise TriageError("reassign needs an owner")
        person = run(work.conn, "triage/person", {"person_id": owner_id}).fetchone()
        if person is None:
            raise NotFound(f"no person with id {owner_id}")
        if not person[3]:
            raise IllegalAction(f"{person[1]} is inactive; pick another owner")
        if lead.owner_id == owner_id:
            raise IllegalAction(f"lead {lead.lead_id} is already owned by {person[1]}")
        moved = lead.stage in ("inquiry", "recycled", "disqualified")
        new_lead = replace(
            lead,
            owner_id=owner_id,
            stage="mql" if moved else lead.stage,
            stage_entered_at=now if moved else lead.stage_entered_at,
            reached_stage=lifecycle.furthest(lead.reached_stage, "mql")
            if moved
            else lead.reached_stage,
            reason_code=None if moved else lead.reason_code,
            recycle_on=None if moved else lead.recycle_on,
        )
    elif action == "escalate":
        if d.status == "escalated":
            raise IllegalAction(f"{dispute_label(d.dispute_id)} is already escalated")
        new_d = replace(d, status="escalated", version=d.version + 1)
        work.record(action, new_d, lead, fault=fault, reason_code=d.reason_code, note=note)
        return
    elif action == "note":
        if not note or not note.strip():
            raise TriageError("a note needs some text")
        new_d = replace(d, version=d.version + 1)
        work.record(action, new_d, lead, reason_code=d.reason_code, note=note.strip())
        return
    else:
        raise TriageError(f"unknown triage action {action!r}")
    if new_lead != lead:
        new_lead = replace(new_lead, updated_at=now)
    work.record(
        action,
        resolved,
        new_lead,
        outcome=action,
        fault=resolved.fault,
        reason_code=used_reason,
        note=note,
    )


def _default_recycle_code(conn: Connection, current: str | None) -> str:
    """The lead's own reason if it implies a revisit delay, else ``nurture``."""
    if current:
        row = run(conn, "triage/reason_code", {"code": current}).fetchone()
        if row is not None and row[5] and row[6]:
            return current
    return "nurture"


def default_revisit(store: Store, dispute_id: int, now: datetime) -> tuple[str, date]:
    """The reason code and revisit date recycle proposes for a dispute's lead."""

    def work(conn: Connection) -> tuple[str, date]:
        loaded = _load(conn, [dispute_id])
        lead = loaded.leads[loaded.disputes[dispute_id].lead_id]
        code = _default_recycle_code(conn, lead.reason_code)
        days = _reason(conn, code)[5]
        return code, now.date() + timedelta(days=int(days or 30))

    result: tuple[str, date] = store.fetch_with(work)
    return result


# -- public actions --------------------------------------------------------------------


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
) -> Applied:
    """Apply ``action`` to every target in ONE transaction, or raise and change nothing.

    ``action`` is one of :data:`ACTIONS`. Decisions (accept, disqualify, recycle,
    reassign) resolve the dispute and record ``fault`` (defaulted by
    :func:`default_fault`); escalate and note keep it open. Raises :class:`Conflict` if
    any dispute's version differs from the target's, and another :class:`TriageError`
    if the action is illegal for any of them.
    """
    if action not in ACTIONS:
        raise TriageError(f"unknown triage action {action!r}")
    if not targets:
        raise TriageError("nothing selected: the queue is empty")
    ids = [t.dispute_id for t in targets]
    if len(set(ids)) != len(ids):
        raise TriageError("the same dispute is named twice")
    batch_id = uuid.uuid4().hex[:12] if len(targets) > 1 else None
    # No checkpoint on the key path (~60-100 ms on 1M leads): the commit is durable in the
    # WAL, and the screen calls checkpoint() once the room pauses.
    with store.writing(checkpoint=False) as conn:
        loaded = _load(conn, ids)
        _check_versions(loaded.disputes, targets)
        work = _Work(conn, now, actor, batch_id, dict(loaded.disputes), dict(loaded.leads))
        for t in targets:
            _decide(
                work,
                action,
                work.disputes[t.dispute_id],
                fault=fault,
                reason_code=reason_code,
                revisit_on=revisit_on,
                owner_id=owner_id,
                note=note,
            )
        event_ids = work.write()
        rows = _queue_rows(conn, now, loaded, work.disputes, work.leads, ids)
        summary = _summary(conn, action, rows)
    return Applied(action, event_ids, batch_id, rows, summary)


def _check_versions(disputes: dict[int, _Dispute], targets: Sequence[Target]) -> None:
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


def undo(store: Store, event_ids: Sequence[int], *, now: datetime, actor: str) -> Applied:
    """Compensate the given events (newest first) in ONE transaction, or change nothing.

    Each event's dispute and lead must still be exactly as that event left them;
    otherwise :class:`Conflict`. Undoing an undo restores what the undone event did.
    """
    if not event_ids:
        raise NothingToUndo("nothing to undo")
    batch_id = uuid.uuid4().hex[:12] if len(event_ids) > 1 else None
    # No checkpoint on the key path (~60-100 ms on 1M leads): the commit is durable in the
    # WAL, and the screen calls checkpoint() once the room pauses.
    with store.writing(checkpoint=False) as conn:
        events = run(conn, "triage/events_by_ids", {"ids": list(event_ids)}).fetchall()
        if len(events) != len(set(event_ids)):
            raise NothingToUndo("no such triage event to undo")
        for ev in events:
            if ev[8] is None or ev[3] == "open":
                raise NothingToUndo(f"event {ev[0]} ({ev[3]}) cannot be undone")
        done = {int(r[0]) for r in _all(conn, "triage/undone_already", {"ids": list(event_ids)})}
        if done:
            raise NothingToUndo(f"event {min(done)} was already undone")
        dispute_ids = sorted({int(ev[1]) for ev in events})
        loaded = _load(conn, dispute_ids)
        work = _Work(conn, now, actor, batch_id, dict(loaded.disputes), dict(loaded.leads))
        for ev in sorted(events, key=lambda e: -int(e[0])):
            event_id, dispute_id, lead_id, action, reason_code = ev[:5]
            before = json.loads(ev[7])
            after = json.loads(ev[8])
            d = work.disputes[dispute_id]
            lead = work.leads[lead_id]
            expect_d = _dispute_from_snapshot(d, after["dispute"])
            expect_l = _lead_from_snapshot(lead, after["lead"])
            if d != expect_d or not lead.same_as(expect_l):
                raise Conflict(
                    f"{dispute_label(dispute_id)} changed after that {action}; "
                    "undo refused (reloaded)"
                )
            restored_d = replace(
                _dispute_from_snapshot(d, before["dispute"]), version=d.version + 1
            )
            restored_l = _lead_from_snapshot(lead, before["lead"])
            restored_l = lead if restored_l.same_as(lead) else replace(restored_l, updated_at=now)
            work.record(
                "undo",
                restored_d,
                restored_l,
                reason_code=reason_code,
                note=f"undo of #{event_id} ({action})",
                undoes=int(event_id),
            )
        new_ids = work.write()
        rows = _queue_rows(conn, now, loaded, work.disputes, work.leads, dispute_ids)
        chain = run(conn, "triage/undo_chain", {"ids": list(event_ids)}).fetchall()
        summary = _undo_summary(rows, [(str(action), int(depth)) for _, action, depth in chain])
    return Applied("undo", new_ids, batch_id, rows, summary)


def last_undoable(store: Store) -> tuple[int, ...]:
    """Event ids of the newest undoable action (its whole batch), or raise NothingToUndo."""

    def work(conn: Connection) -> tuple[int, ...]:
        row = run(conn, "triage/last_undoable").fetchone()
        if row is None:
            raise NothingToUndo("nothing to undo: no triage action has been recorded")
        if row[1] is None:
            return (int(row[0]),)
        return tuple(int(r[0]) for r in _all(conn, "triage/batch_events", {"batch_id": row[1]}))

    result: tuple[int, ...] = store.fetch_with(work)
    return result


def undo_last(store: Store, *, now: datetime, actor: str) -> Applied:
    """Undo the newest undoable action in the file (undo twice = redo)."""
    return undo(store, last_undoable(store), now=now, actor=actor)


# -- opening a dispute -----------------------------------------------------------------


def dispute_kind(side: str, lead_stage: str) -> str:
    """What a dispute raised by ``side`` on a lead in ``lead_stage`` is about."""
    if side == "sales":
        return "lead_quality"
    return "contest_reject" if lead_stage in ("recycled", "disqualified") else "missed_followup"


def open_dispute(
    store: Store,
    lead_id: int,
    side: str,
    reason_code: str,
    claim: str,
    now: datetime,
    *,
    actor: str = "standup",
    config: Config | None = None,
) -> QueueRow:
    """Open a dispute on ``lead_id`` raised by ``side``; due after the SLA's dispute days."""
    cfg = config or Config()
    if side not in ("marketing", "sales"):
        raise TriageError(f"a dispute is raised by marketing or sales, not {side!r}")
    text = claim.strip()
    if not text:
        raise TriageError("a dispute needs a claim: what does the raising side say?")
    # No checkpoint on the key path (~60-100 ms on 1M leads): the commit is durable in the
    # WAL, and the screen calls checkpoint() once the room pauses.
    with store.writing(checkpoint=False) as conn:
        _reason(conn, reason_code)
        found = _read_leads(conn, [lead_id])
        if lead_id not in found:
            raise NotFound(f"no lead {lead_id}")
        lead = found[lead_id][0]
        live = run(conn, "triage/open_for_lead", {"lead_id": lead_id}).fetchone()
        if live is not None:
            raise IllegalAction(
                f"lead {lead_id} already has a live dispute {dispute_label(int(live[0]))}"
            )
        row = run(conn, "triage/next_dispute_id").fetchone()
        dispute_id = int(row[0]) if row else 1
        kind = dispute_kind(side, lead.stage)
        run(
            conn,
            "triage/insert_dispute",
            {
                "dispute_id": dispute_id,
                "lead_id": lead_id,
                "raised_by": side,
                "kind": kind,
                "reason_code": reason_code,
                "claim": text,
                "opened_at": now,
                "opened_by": actor,
                "due_at": now + timedelta(days=cfg.sla.dispute_due_days),
            },
        )
        d = _Dispute(dispute_id, lead_id, side, kind, reason_code, "open", None, None, None, 1)
        work = _Work(conn, now, actor, None, {dispute_id: d}, {lead_id: lead})
        work.record("open", d, lead, reason_code=reason_code, note=text)
        # An open has no "before" dispute: the replay starts from nothing.
        work.events[0]["before_state"] = json.dumps({"dispute": None, "lead": lead.snapshot()})
        work.write()
        loaded = _load(conn, [dispute_id])
        rows = _queue_rows(conn, now, loaded, loaded.disputes, loaded.leads, [dispute_id])
    return rows[0]


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


# -- reads for the screen --------------------------------------------------------------


def queue(store: Store, now: datetime) -> list[QueueRow]:
    """Open and escalated disputes, overdue first, then oldest."""
    return [QueueRow(*r) for r in store.fetch("triage/queue", {"now": now})]


def rows(store: Store, now: datetime, dispute_ids: Sequence[int]) -> tuple[QueueRow, ...]:
    """Queue rows for the named disputes whatever their status (reload after a conflict)."""

    def work(conn: Connection) -> tuple[QueueRow, ...]:
        loaded = _load(conn, dispute_ids)
        return _queue_rows(conn, now, loaded, loaded.disputes, loaded.leads, dispute_ids)

    result: tuple[QueueRow, ...] = store.fetch_with(work)
    return result


@dataclass(frozen=True)
class Detail:
    """Everything the detail pane shows about one dispute's lead."""

    lead: dict[str, Any]
    disputes: list[dict[str, Any]]
    timeline: list[tuple[datetime | None, str, str]]  # None: a move at an unknown time
    deals: list[dict[str, Any]] = field(default_factory=list)  # with their CRM ids


def detail(store: Store, lead_id: int, *, limit: int = 40) -> Detail:
    """The lead, its disputes (both sides' claims) and its timeline, newest first."""

    def work(conn: Connection) -> Detail:
        cur = run(conn, "triage/lead", {"lead_id": lead_id})
        names = [c[0] for c in cur.description]
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"no lead {lead_id}")
        lead = dict(zip(names, row, strict=True))
        cur = run(conn, "triage/lead_disputes", {"lead_id": lead_id})
        dnames = [c[0] for c in cur.description]
        disputes = [dict(zip(dnames, r, strict=True)) for r in cur.fetchall()]
        timeline = [
            (r[0], str(r[1]), str(r[2]))
            for r in _all(conn, "triage/lead_timeline", {"lead_id": lead_id, "limit": limit})
        ]
        cur = run(conn, "triage/lead_deals", {"lead_id": lead_id})
        names = [c[0] for c in cur.description]
        deals = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        return Detail(lead, disputes, timeline, deals)

    result: Detail = store.fetch_with(work)
    return result


def reason_codes(store: Store) -> list[tuple[str, str, str, int | None]]:
    """Active reason codes as ``(code, kind, label, recycle_days)``."""
    return [(r[0], r[1], r[3], r[5]) for r in store.fetch("triage/reason_codes")]


def owners(store: Store) -> list[tuple[int, str]]:
    """Active sales reps as ``(person_id, name)``."""
    return [(int(r[0]), str(r[1])) for r in store.fetch("triage/owners")]


def _undo_summary(rows: Sequence[QueueRow], chain: Sequence[tuple[str, int]]) -> str:
    """What an undo did, in the room's words: each undone event's root decision and its
    depth in the undo chain (see triage/undo_chain.sql) say whether it was put back
    (redone: odd depth) or taken away (undone: even depth)."""
    redo = bool(chain) and all(depth % 2 == 1 for _, depth in chain)
    what = ", ".join(sorted({action for action, _ in chain}))
    if redo:
        if len(rows) == 1:
            r = rows[0]
            return f"{r.label} {what} redone: {r.status}, lead {r.stage}; u to undo again"
        return f"{len(rows)} disputes: {what} redone; u to undo again"
    if len(rows) == 1:
        r = rows[0]
        return f"{r.label} {what} undone: {r.status}, lead {r.stage}; u to redo"
    return f"{len(rows)} disputes: {what} undone; u to redo"


def _summary(conn: Connection, action: str, rows: Sequence[QueueRow]) -> str:
    verb = PAST_TENSE[action]
    if len(rows) == 1:
        r = rows[0]
        owner = f", owner {_first_name(r.owner)}" if r.owner else ""
        if action in ("escalate", "note"):
            return f"{r.label} {verb}; u to undo"
        if r.stage == verb:  # not "disqualified → disqualified"
            return f"{r.label}: lead {verb}{owner}; u to undo"
        return f"{r.label} {verb} → {r.stage}{owner}; u to undo"
    return f"{len(rows)} disputes {verb}; u to undo"


def _first_name(name: str | None) -> str:
    return (name or "").split(" ")[0]


# -- audit replay (the invariant the tests and `standup` checks rely on) --------------


def replay_problems(store: Store) -> list[str]:
    """Check the audit log replays to the current state; returns problems (empty = sound).

    Per dispute and per lead, each snapshotted event's ``before`` must equal the previous
    event's ``after``, and the last ``after`` must equal the current row.
    """

    def work(conn: Connection) -> list[str]:
        problems: list[str] = []
        last_d: dict[int, Any] = {}
        last_l: dict[int, Any] = {}
        for ev in run(conn, "triage/audit_dispute_events").fetchall():
            event_id, dispute_id, lead_id = int(ev[0]), int(ev[1]), int(ev[2])
            before, after = json.loads(ev[6]), json.loads(ev[7])
            if dispute_id in last_d and before["dispute"] != last_d[dispute_id]:
                problems.append(f"event {event_id}: dispute {dispute_id} before ≠ previous after")
            if lead_id in last_l and before["lead"] != last_l[lead_id]:
                problems.append(f"event {event_id}: lead {lead_id} before ≠ previous after")
            last_d[dispute_id] = after["dispute"]
            last_l[lead_id] = after["lead"]
        if last_d:
            disputes = _load(conn, sorted(last_d)).disputes
            for i, snap in last_d.items():
                if disputes[i].snapshot() != snap:
                    problems.append(f"dispute {i}: current state ≠ last audit snapshot")
        if last_l:
            leads = {i: ld for i, (ld, _) in _read_leads(conn, sorted(last_l)).items()}
            for i, snap in last_l.items():
                # an older snapshot lacks fields added since (reached_stage): compare
                # what it recorded
                now_snap = leads[i].snapshot()
                if {k: now_snap.get(k) for k in snap} != snap:
                    problems.append(f"lead {i}: current state ≠ last audit snapshot")
        return problems

    result: list[str] = store.fetch_with(work)
    return result
