"""One triage transaction's working set: read disputes and leads by column name, change
them in memory, write every change set-based with its audit events at the end."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import duckdb
import pyarrow as pa

from standup import facts
from standup.errors import StandupError
from standup.store import Connection, Record, Store, record, records, run
from standup.triage.models import (
    DISPUTE_FIELDS,
    LEAD_FIELDS,
    Applied,
    Conflict,
    DisputeState,
    IllegalAction,
    LeadState,
    NotFound,
    QueueRow,
    UnknownReasonCode,
    dispute_label,
    jsonable,
    queue_order,
)


def fetch_records(
    conn: Connection, name: str, params: dict[str, Any] | None = None
) -> list[Record]:
    """Rows of ``queries/<name>.sql`` by column name."""
    return records(run(conn, name, params))


def fetch_record(
    conn: Connection, name: str, params: dict[str, Any] | None = None
) -> Record | None:
    """The first row of ``queries/<name>.sql`` by column name, or None."""
    return record(run(conn, name, params))


def reason(conn: Connection, code: str) -> Record:
    """An active reason code's row (``kind``, ``recycle_days``...), or UnknownReasonCode."""
    row = fetch_record(conn, "triage/reason_code", {"code": code})
    if row is None:
        raise UnknownReasonCode(f"unknown reason code {code!r} (see the reason_codes table)")
    if not row["active"]:
        raise UnknownReasonCode(f"reason code {code!r} is retired (inactive)")
    return row


def active_owner(conn: Connection, person_id: int) -> Record:
    """An active person's row (a reassign target), or NotFound / IllegalAction."""
    person = fetch_record(conn, "triage/person", {"person_id": person_id})
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    if not person["active"]:
        raise IllegalAction(f"{person['name']} is inactive; pick another owner")
    return person


def default_recycle_code(conn: Connection, current: str | None) -> str:
    """The lead's own reason if it implies a revisit delay, else ``nurture``."""
    if current:
        row = fetch_record(conn, "triage/reason_code", {"code": current})
        if row is not None and row["recycle_days"] and row["active"]:
            return current
    return "nurture"


# Up to this many ids are read one primary-key look-up at a time; more are read with one
# scan. On a fresh connection a scan of a million leads costs ~100 ms, a look-up a few.
_POINT_READS = 16


def _read(conn: Connection, one: str, many: str, ids: Sequence[int]) -> list[Record]:
    if len(ids) <= _POINT_READS:
        found = [fetch_record(conn, one, {"id": i}) for i in ids]
        return [r for r in found if r is not None]
    return fetch_records(conn, many, {"ids": list(ids)})


def read_leads(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[LeadState, Record]]:
    """The leads' states and their whole rows (company, contact...), by lead id."""
    raw = _read(conn, "triage/lead_state_one", "triage/leads_state", ids)
    return {int(r["lead_id"]): (LeadState.of(r), r) for r in raw}


@dataclass
class Loaded:
    """Disputes and their leads as read in the transaction, plus what the queue shows."""

    disputes: dict[int, DisputeState]
    leads: dict[int, LeadState]
    dispute_rows: dict[int, Record]
    lead_rows: dict[int, Record]


def load(conn: Connection, dispute_ids: Sequence[int]) -> Loaded:
    """Read the disputes and their leads; NotFound if any is missing."""
    raw = _read(conn, "triage/dispute_state_one", "triage/disputes_state", dispute_ids)
    got = {int(r["dispute_id"]): r for r in raw}
    missing = [i for i in dispute_ids if i not in got]
    if missing:
        raise NotFound(f"no dispute {', '.join(dispute_label(i) for i in missing)}")
    disputes = {i: DisputeState.of(r) for i, r in got.items()}
    lead_ids = sorted({d.lead_id for d in disputes.values()})
    leads = read_leads(conn, lead_ids)
    gone = [i for i in lead_ids if i not in leads]
    if gone:
        raise NotFound(f"lead {gone[0]} of a dispute does not exist")
    return Loaded(
        disputes,
        {i: state for i, (state, _) in leads.items()},
        got,
        {i: row for i, (_, row) in leads.items()},
    )


def queue_rows(
    conn: Connection,
    now: datetime,
    loaded: Loaded,
    disputes: dict[int, DisputeState],
    leads: dict[int, LeadState],
    ids: Sequence[int],
) -> tuple[QueueRow, ...]:
    """Queue rows for ``ids`` built from the states just written (no re-read of leads)."""
    names = {
        (str(r["kind"]), int(r["id"])): str(r["name"]) for r in fetch_records(conn, "triage/names")
    }
    out = []
    for i in ids:
        d = disputes[i]
        lead = leads[d.lead_id]
        values = {**loaded.lead_rows[d.lead_id], **loaded.dispute_rows[i]}
        values.update(vars(lead), **vars(d))  # the new states win over what was read
        values["overdue"] = values["due_at"] < now
        values["owner"] = names.get(("person", lead.owner_id)) if lead.owner_id else None
        campaign_id = values["campaign_id"]
        values["campaign"] = names.get(("campaign", campaign_id)) if campaign_id else None
        out.append(QueueRow.of(values))
    out.sort(key=queue_order)
    return tuple(out)


@dataclass
class Work:
    """Disputes and leads read in the transaction, changed in memory, written at the end."""

    conn: Connection
    now: datetime
    actor: str
    batch_id: str | None
    disputes: dict[int, DisputeState]
    leads: dict[int, LeadState]
    original_disputes: dict[int, DisputeState] = field(default_factory=dict)
    original_leads: dict[int, LeadState] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # leads whose facts move (after write())

    def __post_init__(self) -> None:
        self.original_disputes = dict(self.disputes)
        self.original_leads = dict(self.leads)

    def record(
        self,
        action: str,
        dispute: DisputeState,
        lead: LeadState,
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
        got = fetch_records(self.conn, "triage/next_event_ids", {"n": len(self.events)})
        ids = [int(r["event_id"]) for r in got]
        events = [dict(e, event_id=i) for e, i in zip(self.events, ids, strict=True)]
        for h in self.history:
            h["event_id"] = ids[h.pop("index")]
        changed_d = [d for k, d in self.disputes.items() if d != self.original_disputes[k]]
        changed_l = [ld for k, ld in self.leads.items() if ld != self.original_leads[k]]
        if not isinstance(self.conn, duckdb.DuckDBPyConnection):
            self._write_rows(events, changed_d, changed_l)
            return tuple(ids)
        self._put("triage/insert_events", "triage_new_events", _EVENT_SCHEMA, events)
        if changed_d:
            rows = [{"dispute_id": d.dispute_id, **_row(d, DISPUTE_FIELDS)} for d in changed_d]
            self._put("triage/update_disputes", "triage_dispute_updates", _DISPUTE_SCHEMA, rows)
        if changed_l:
            rows = [{"lead_id": ld.lead_id, **_row(ld, LEAD_FIELDS)} for ld in changed_l]
            self._put("triage/update_leads", "triage_lead_updates", _LEAD_SCHEMA, rows)
        if self.history:
            self._put("triage/insert_history", "triage_new_history", _HISTORY_SCHEMA, self.history)
        # Whose dashboard facts move: every lead whose stage, owner or disputes did (an
        # opened dispute changes its lead's counts). See keep_facts.
        self.touched = {d.lead_id for d in changed_d} | {ld.lead_id for ld in changed_l}
        self.touched |= {int(e["lead_id"]) for e in events if e["action"] == "open"}
        return tuple(ids)

    def _write_rows(
        self,
        events: list[dict[str, Any]],
        changed_d: list[DisputeState],
        changed_l: list[LeadState],
    ) -> None:
        """Team mode (PostgreSQL): the same rows, sent as JSON, one statement per table.

        Several writers share the database, so each dispute update names the version
        it read and must match exactly one row; fewer means someone else's decision
        committed first, and the whole action rolls back as a :class:`Conflict`.
        The dashboard facts are not kept here: the Postgres panels read live totals.
        """

        def rows(values: list[dict[str, Any]]) -> dict[str, str]:
            return {"rows": json.dumps(values, default=jsonable)}

        run(self.conn, "triage/insert_events", rows(events))
        if changed_d:
            updates = [
                {
                    "dispute_id": d.dispute_id,
                    "old_version": self.original_disputes[d.dispute_id].version,
                    **_row(d, DISPUTE_FIELDS),
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
            leads = [{"lead_id": ld.lead_id, **_row(ld, LEAD_FIELDS)} for ld in changed_l]
            run(self.conn, "triage/update_leads", rows(leads))
        if self.history:
            run(self.conn, "triage/insert_history", rows(self.history))

    def _put(self, name: str, table: str, schema: pa.Schema, rows: list[dict[str, Any]]) -> None:
        """Write ``rows`` with ``queries/<name>.sql``, which reads them as ``table``.

        One row (a key press's decision) goes to ``<name>_one.sql`` as parameters
        instead: a point write through the primary key, ~1-2 ms at 1M leads, where the
        set-based statement joins the registered Arrow table (~4 ms however few rows).
        """
        if len(rows) == 1:
            run(self.conn, f"{name}_one", rows[0])
            return
        self.conn.register(table, pa.Table.from_pylist(rows, schema=schema))
        run(self.conn, name)


def write_decision(
    store: Store,
    build: Callable[[Connection], tuple[Work, Applied]],
    on_committed: Callable[[Applied], object] | None,
) -> Applied:
    """Run ``build`` (which changes a :class:`Work` and says what it did) in one write
    unit, with its dashboard facts kept by :func:`keep_facts`. ``on_committed(applied)``
    is called once the decision is committed, whichever way the facts follow."""
    # No checkpoint on the key path (~60-100 ms on 1M leads): the commit is durable in the
    # WAL, and the screen calls checkpoint() once the room pauses.
    with store.writing(checkpoint=False) as conn:
        work, applied = build(conn)
        told = keep_facts(store, work, on_committed and partial(on_committed, applied))
    if on_committed is not None and not told:
        on_committed(applied)
    return applied


def keep_facts(store: Store, work: Work, on_committed: Callable[[], object] | None) -> bool:
    """Bring the dashboard facts of the leads ``work`` wrote in step with it.

    Without ``on_committed``: in the writer's own transaction, one commit for both. With
    it (a triage key press): the change commits first and ``on_committed()`` says so,
    then the facts follow in a second transaction of the same unit of work, ~25 ms at 1M
    leads the key no longer waits for. The file stays attached and the store's lock held
    between the two, so nobody reads in between. A crash there, or a failed refresh
    (rolled back alone: the decision stands), leaves facts whose fingerprints no longer
    add up to the tables': the next refresh sees it (:func:`standup.facts.usable`),
    computes them live and restamps, so they are never trusted wrong. Team mode's
    triggers keep them in the writer's transaction, whose commit is the unit's end.

    Returns whether ``on_committed`` was called (else the caller calls it after the unit).
    """
    conn = work.conn
    if on_committed is None or facts.kept_by_server(conn):
        facts.refresh_leads(conn, work.touched)
        return False
    store.commit_so_far(conn)
    on_committed()
    try:
        facts.refresh_leads(conn, work.touched)
    except StandupError:
        store.roll_back_so_far(conn)
    return True


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
