"""Opening a dispute on a lead: raised by marketing or sales, due after the SLA's days."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from standup.config import Config
from standup.store import Store, run
from standup.triage.models import (
    DisputeState,
    IllegalAction,
    NotFound,
    QueueRow,
    TriageError,
    dispute_label,
)
from standup.triage.work import (
    Work,
    fetch_record,
    keep_facts,
    load,
    queue_rows,
    read_leads,
    reason,
)


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
        reason(conn, reason_code)
        found = read_leads(conn, [lead_id])
        if lead_id not in found:
            raise NotFound(f"no lead {lead_id}")
        lead = found[lead_id][0]
        live = fetch_record(conn, "triage/open_for_lead", {"lead_id": lead_id})
        if live is not None:
            raise IllegalAction(
                f"lead {lead_id} already has a live dispute {dispute_label(live['dispute_id'])}"
            )
        row = fetch_record(conn, "triage/next_dispute_id")
        dispute_id = int(row["dispute_id"]) if row else 1
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
        d = DisputeState(dispute_id, lead_id, side, kind, reason_code, "open", None, None, None, 1)
        work = Work(conn, now, actor, None, {dispute_id: d}, {lead_id: lead})
        work.record("open", d, lead, reason_code=reason_code, note=text)
        # An open has no "before" dispute: the replay starts from nothing.
        work.events[0]["before_state"] = json.dumps({"dispute": None, "lead": lead.snapshot()})
        work.write()
        keep_facts(store, work, None)
        loaded = load(conn, [dispute_id])
        rows = queue_rows(conn, now, loaded, loaded.disputes, loaded.leads, [dispute_id])
    return rows[0]
