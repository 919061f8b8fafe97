"""Triage rules on a real demo file: what each action does, one transaction, bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from standup import triage
from standup.config import SLA, Config
from standup.store import Store
from standup.triage import Target
from tests.conftest import AS_OF

ACTOR = "Riley Park"


def _queue(store: Store) -> list[triage.QueueRow]:
    return triage.queue(store, AS_OF)


def _first(store: Store, **where: Any) -> triage.QueueRow:
    for row in _queue(store):
        if all(getattr(row, k) == v for k, v in where.items()):
            return row
    raise AssertionError(f"no queue row with {where}")


def _one(store: Store, sql: str, params: dict[str, Any] | None = None) -> Any:
    return store.fetch_with(lambda c: c.execute(sql, params).fetchone())


def _counts(store: Store) -> tuple[int, int, int, int]:
    row = _one(
        store,
        "SELECT (SELECT count(*) FROM disputes), (SELECT count(*) FROM leads),"
        " (SELECT count(*) FROM dispute_events), (SELECT count(*) FROM stage_history)",
    )
    return tuple(row)  # type: ignore[return-value]


def _t(row: triage.QueueRow) -> list[Target]:
    return [Target(row.dispute_id, row.version)]


def test_queue_is_overdue_first_then_oldest(demo_store: Store) -> None:
    rows = _queue(demo_store)
    assert rows, "the demo has open disputes"
    assert all(r.status in ("open", "escalated") for r in rows)
    keys = [(not r.overdue, r.opened_at, r.dispute_id) for r in rows]
    assert keys == sorted(keys)
    assert any(r.overdue for r in rows) and any(not r.overdue for r in rows)


def test_accept_moves_lead_to_sal_and_audits_everything(demo_store: Store) -> None:
    row = _first(demo_store, stage="mql")
    before = _counts(demo_store)
    result = triage.accept(demo_store, _t(row), now=AS_OF, actor=ACTOR, fault="sales")
    assert result.summary == f"{row.label} accepted → sal, owner {row.owner.split()[0]}; u to undo"  # type: ignore[union-attr]
    d = _one(
        demo_store,
        "SELECT status, outcome, fault, version, resolved_at FROM disputes WHERE dispute_id=$i",
        {"i": row.dispute_id},
    )
    assert d == ("resolved", "accept", "sales", row.version + 1, AS_OF)
    lead = _one(
        demo_store,
        "SELECT stage, stage_entered_at, accepted_at, updated_at FROM leads WHERE lead_id=$i",
        {"i": row.lead_id},
    )
    assert lead == ("sal", AS_OF, AS_OF, AS_OF)
    hist = _one(
        demo_store,
        "SELECT from_stage, to_stage, source, actor, event_id FROM stage_history"
        " WHERE lead_id=$i ORDER BY history_id DESC LIMIT 1",
        {"i": row.lead_id},
    )
    assert hist == ("mql", "sal", "triage", ACTOR, result.event_ids[0])
    ev = _one(
        demo_store,
        "SELECT action, outcome, fault, actor, before_state, after_state, batch_id"
        " FROM dispute_events WHERE event_id=$i",
        {"i": result.event_ids[0]},
    )
    assert ev[:4] == ("accept", "accept", "sales", ACTOR)
    assert json.loads(ev[4])["lead"]["stage"] == "mql"
    assert json.loads(ev[5])["lead"]["stage"] == "sal"
    assert ev[6] is None  # a single action has no batch
    after = _counts(demo_store)
    assert after == (before[0], before[1], before[2] + 1, before[3] + 1)
    assert triage.replay_problems(demo_store) == []


def test_every_decision_records_a_fault_default_or_chosen(demo_store: Store) -> None:
    rows = _queue(demo_store)[:2]
    triage.recycle(demo_store, _t(rows[0]), now=AS_OF, actor=ACTOR)
    triage.reassign(
        demo_store,
        _t(rows[1]),
        now=AS_OF,
        actor=ACTOR,
        owner_id=11 if rows[1].owner_id != 11 else 12,
        fault="marketing",
    )
    faults = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT dispute_id, fault FROM disputes WHERE dispute_id IN ($a, $b) ORDER BY 1",
            {"a": rows[0].dispute_id, "b": rows[1].dispute_id},
        ).fetchall()
    )
    assert dict(faults) == {rows[0].dispute_id: "none", rows[1].dispute_id: "marketing"}


def test_disqualify_sets_reason_and_recycle_sets_revisit(demo_store: Store) -> None:
    a, b = _queue(demo_store)[:2]
    triage.disqualify(demo_store, _t(a), now=AS_OF, actor=ACTOR, reason_code="no_need")
    triage.recycle(
        demo_store, _t(b), now=AS_OF, actor=ACTOR, reason_code="bad_timing", fault="none"
    )
    qa = "SELECT stage, reason_code, recycle_on FROM leads WHERE lead_id=$i"
    assert _one(demo_store, qa, {"i": a.lead_id}) == ("disqualified", "no_need", None)
    # bad_timing's recycle_days (120) is the default revisit date
    assert _one(demo_store, qa, {"i": b.lead_id}) == (
        "recycled",
        "bad_timing",
        AS_OF.date() + timedelta(days=120),
    )


def test_default_revisit_comes_from_the_reason_code(demo_store: Store) -> None:
    row = _first(demo_store, stage="mql")
    code, when = triage.default_revisit(demo_store, row.dispute_id, AS_OF)
    assert code == "nurture"
    assert when == AS_OF.date() + timedelta(days=30)


def test_reassign_changes_owner_and_brings_a_rejected_lead_back(demo_store: Store) -> None:
    row = _first(demo_store, stage="recycled")
    new_owner = 11 if row.owner_id != 11 else 12
    result = triage.reassign(demo_store, _t(row), now=AS_OF, actor=ACTOR, owner_id=new_owner)
    assert result.rows[0].owner_id == new_owner
    assert result.rows[0].stage == "mql"
    assert result.rows[0].status == "resolved"


def test_escalate_and_note_keep_the_dispute_open(demo_store: Store) -> None:
    row = _first(demo_store, status="open")
    esc = triage.escalate(demo_store, _t(row), now=AS_OF, actor=ACTOR)
    assert esc.rows[0].status == "escalated" and esc.rows[0].version == row.version + 1
    noted = triage.note(
        demo_store,
        [Target(row.dispute_id, esc.rows[0].version)],
        now=AS_OF,
        actor=ACTOR,
        note="VP to call them",
    )
    assert noted.rows[0].status == "escalated"
    assert row.dispute_id in {r.dispute_id for r in _queue(demo_store)}
    with pytest.raises(triage.IllegalAction, match="already escalated"):
        triage.escalate(
            demo_store, [Target(row.dispute_id, noted.rows[0].version)], now=AS_OF, actor=ACTOR
        )


def test_stale_version_is_a_conflict_and_changes_nothing(demo_store: Store) -> None:
    row = _queue(demo_store)[0]
    triage.note(demo_store, _t(row), now=AS_OF, actor="someone else", note="first")
    before = _counts(demo_store)
    with pytest.raises(triage.Conflict, match=f"{row.label} changed since you saw it"):
        triage.accept(demo_store, _t(row), now=AS_OF, actor=ACTOR)
    assert _counts(demo_store) == before


def test_bulk_is_one_batch_and_all_or_nothing(demo_store: Store) -> None:
    rows = _queue(demo_store)
    good = rows[:5]
    result = triage.accept(
        demo_store, [Target(r.dispute_id, r.version) for r in good], now=AS_OF, actor=ACTOR
    )
    assert len(result.event_ids) == 5 and result.batch_id is not None
    assert result.summary == "5 disputes accepted; u to undo"
    batch = _one(
        demo_store,
        "SELECT count(*) FROM dispute_events WHERE batch_id=$b",
        {"b": result.batch_id},
    )
    assert batch == (5,)
    # one resolved dispute in a batch: the whole batch is refused, nothing changes
    before = _counts(demo_store)
    mixed = [Target(r.dispute_id, r.version) for r in rows[5:8]]
    mixed.append(Target(good[0].dispute_id, result.rows[0].version))
    with pytest.raises(triage.IllegalAction, match="already resolved"):
        triage.disqualify(demo_store, mixed, now=AS_OF, actor=ACTOR, reason_code="no_need")
    assert _counts(demo_store) == before
    assert all(
        r.status == "open" or r.status == "escalated"
        for r in triage.rows(demo_store, AS_OF, [r.dispute_id for r in rows[5:8]])
    )


def test_undo_restores_and_undo_of_undo_redoes(demo_store: Store) -> None:
    row = _first(demo_store, stage="mql")
    lead_q = (
        "SELECT stage, owner_id, reason_code, recycle_on, stage_entered_at"
        " FROM leads WHERE lead_id=$i"
    )
    lead_before = _one(demo_store, lead_q, {"i": row.lead_id})
    done = triage.disqualify(demo_store, _t(row), now=AS_OF, actor=ACTOR, reason_code="student")
    lead_done = _one(demo_store, lead_q, {"i": row.lead_id})
    undone = triage.undo(demo_store, done.event_ids, now=AS_OF, actor=ACTOR)
    assert _one(demo_store, lead_q, {"i": row.lead_id}) == lead_before
    assert undone.rows[0].status == "open"
    assert undone.rows[0].version == row.version + 2  # versions only go up
    redone = triage.undo(demo_store, undone.event_ids, now=AS_OF, actor=ACTOR)
    assert _one(demo_store, lead_q, {"i": row.lead_id}) == lead_done
    assert redone.rows[0].status == "resolved"
    assert redone.summary.startswith(f"{row.label} disqualify redone")
    # A third u takes the decision away again, and says so (it used to say "redone").
    again = triage.undo(demo_store, redone.event_ids, now=AS_OF, actor=ACTOR)
    assert _one(demo_store, lead_q, {"i": row.lead_id}) == lead_before
    assert again.summary.startswith(f"{row.label} disqualify undone: open")
    events = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT action, undoes FROM dispute_events WHERE dispute_id=$i AND after_state"
            " IS NOT NULL ORDER BY event_id",
            {"i": row.dispute_id},
        ).fetchall()
    )
    assert events == [
        ("disqualify", None),
        ("undo", done.event_ids[0]),
        ("undo", undone.event_ids[0]),
        ("undo", redone.event_ids[0]),
    ]
    history = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT to_stage FROM stage_history WHERE lead_id=$i ORDER BY history_id",
            {"i": row.lead_id},
        ).fetchall()
    )
    assert [h[0] for h in history][-4:] == ["disqualified", "mql", "disqualified", "mql"]
    assert triage.replay_problems(demo_store) == []


def test_undo_refused_when_the_dispute_moved_on(demo_store: Store) -> None:
    row = _first(demo_store, status="open")
    esc = triage.escalate(demo_store, _t(row), now=AS_OF, actor=ACTOR)
    triage.note(
        demo_store, [Target(row.dispute_id, esc.rows[0].version)], now=AS_OF, actor="x", note="n"
    )
    before = _counts(demo_store)
    with pytest.raises(triage.Conflict, match="changed after that escalate"):
        triage.undo(demo_store, esc.event_ids, now=AS_OF, actor=ACTOR)
    assert _counts(demo_store) == before


def test_undo_twice_of_the_same_event_is_refused(demo_store: Store) -> None:
    row = _queue(demo_store)[0]
    done = triage.accept(demo_store, _t(row), now=AS_OF, actor=ACTOR)
    triage.undo(demo_store, done.event_ids, now=AS_OF, actor=ACTOR)
    with pytest.raises(triage.NothingToUndo, match="already undone"):
        triage.undo(demo_store, done.event_ids, now=AS_OF, actor=ACTOR)


def test_undo_last_takes_the_whole_batch(demo_store: Store) -> None:
    rows = _queue(demo_store)[:3]
    triage.recycle(
        demo_store, [Target(r.dispute_id, r.version) for r in rows], now=AS_OF, actor=ACTOR
    )
    undone = triage.undo_last(demo_store, now=AS_OF, actor=ACTOR)
    assert len(undone.event_ids) == 3
    assert {r.status for r in undone.rows} <= {"open", "escalated"}


# -- bad input: a clear message and no change ----------------------------------------


def test_unknown_reason_code(demo_store: Store) -> None:
    row = _queue(demo_store)[0]
    before = _counts(demo_store)
    with pytest.raises(triage.UnknownReasonCode, match="unknown reason code 'nope'"):
        triage.disqualify(demo_store, _t(row), now=AS_OF, actor=ACTOR, reason_code="nope")
    with pytest.raises(triage.UnknownReasonCode):
        triage.open_dispute(demo_store, row.lead_id, "sales", "nope", "claim", AS_OF)
    assert _counts(demo_store) == before


def test_disqualify_refuses_a_dispute_reason(demo_store: Store) -> None:
    # "junk_source" says why sales contested; it is no reason for the lead to be out.
    row = _queue(demo_store)[0]
    before = _counts(demo_store)
    with pytest.raises(triage.IllegalAction, match="not a disqualify or reject reason"):
        triage.disqualify(demo_store, _t(row), now=AS_OF, actor=ACTOR, reason_code="junk_source")
    assert _counts(demo_store) == before


def test_action_on_closed_dispute(demo_store: Store) -> None:
    closed = _one(demo_store, "SELECT dispute_id, version FROM disputes WHERE status='resolved'")
    before = _counts(demo_store)
    for action in triage.ACTIONS:
        with pytest.raises(triage.IllegalAction, match="already resolved"):
            triage.apply(
                demo_store,
                action,
                [Target(closed[0], closed[1])],
                now=AS_OF,
                actor=ACTOR,
                reason_code="no_need",
                owner_id=11,
                note="x",
            )
    assert _counts(demo_store) == before


def test_empty_queue_and_unknown_dispute(empty_store: Store) -> None:
    assert triage.queue(empty_store, AS_OF) == []
    with pytest.raises(triage.TriageError, match="queue is empty"):
        triage.accept(empty_store, [], now=AS_OF, actor=ACTOR)
    with pytest.raises(triage.NotFound, match="no dispute D-42"):
        triage.accept(empty_store, [Target(42, 1)], now=AS_OF, actor=ACTOR)


def test_undo_with_nothing_to_undo(demo_store: Store, empty_store: Store) -> None:
    # the demo's own history has no snapshots: nothing in it can be undone
    with pytest.raises(triage.NothingToUndo, match="nothing to undo"):
        triage.undo_last(demo_store, now=AS_OF, actor=ACTOR)
    with pytest.raises(triage.NothingToUndo):
        triage.undo(empty_store, [], now=AS_OF, actor=ACTOR)
    demo_event = _one(demo_store, "SELECT min(event_id) FROM dispute_events")[0]
    with pytest.raises(triage.NothingToUndo, match="cannot be undone"):
        triage.undo(demo_store, [demo_event], now=AS_OF, actor=ACTOR)


def test_illegal_moves(demo_store: Store) -> None:
    row = _queue(demo_store)[0]
    with pytest.raises(triage.IllegalAction, match="already owned"):
        triage.reassign(demo_store, _t(row), now=AS_OF, actor=ACTOR, owner_id=row.owner_id)
    with pytest.raises(triage.NotFound, match="no person"):
        triage.reassign(demo_store, _t(row), now=AS_OF, actor=ACTOR, owner_id=999)
    with pytest.raises(triage.TriageError, match="must be after today"):
        triage.recycle(demo_store, _t(row), now=AS_OF, actor=ACTOR, revisit_on=AS_OF.date())
    with pytest.raises(triage.TriageError, match="fault side 'vendor'"):
        triage.accept(demo_store, _t(row), now=AS_OF, actor=ACTOR, fault="vendor")
    with pytest.raises(triage.TriageError, match="needs some text"):
        triage.note(demo_store, _t(row), now=AS_OF, actor=ACTOR, note="  ")
    with pytest.raises(triage.TriageError, match="unknown triage action"):
        triage.apply(demo_store, "delete", _t(row), now=AS_OF, actor=ACTOR)


# -- opening a dispute ---------------------------------------------------------------


def test_open_dispute_uses_sla_due_days_and_is_audited(demo_store: Store) -> None:
    lead_id = _one(
        demo_store,
        "SELECT min(lead_id) FROM leads WHERE stage='disqualified' AND lead_id NOT IN"
        " (SELECT lead_id FROM disputes)",
    )[0]
    config = Config(sla=SLA(dispute_due_days=5))
    row = triage.open_dispute(
        demo_store, lead_id, "marketing", "good_lead", "  Was good  ", AS_OF, config=config
    )
    assert row.kind == "contest_reject" and row.status == "open" and row.version == 1
    assert row.due_at == AS_OF + timedelta(days=5)
    assert row.claim == "Was good"
    assert row.dispute_id in {r.dispute_id for r in _queue(demo_store)}
    with pytest.raises(triage.IllegalAction, match="already has a live dispute"):
        triage.open_dispute(demo_store, lead_id, "sales", "junk_source", "junk", AS_OF)
    with pytest.raises(triage.TriageError, match="needs a claim"):
        triage.open_dispute(demo_store, lead_id + 1, "sales", "junk_source", " ", AS_OF)
    with pytest.raises(triage.NotFound, match="no lead"):
        triage.open_dispute(demo_store, 10**9, "sales", "junk_source", "x", AS_OF)
    # it can be settled and the audit still replays
    triage.accept(demo_store, [Target(row.dispute_id, 1)], now=AS_OF, actor=ACTOR)
    assert triage.replay_problems(demo_store) == []


def test_disputes_version_bumps_once_per_action(demo_store: Store) -> None:
    row = _first(demo_store, status="open")
    versions = [row.version]
    result = triage.note(demo_store, _t(row), now=AS_OF, actor=ACTOR, note="a")
    versions.append(result.rows[0].version)
    result = triage.recycle(
        demo_store,
        [Target(row.dispute_id, versions[-1])],
        now=AS_OF,
        actor=ACTOR,
        revisit_on=date(2027, 1, 4),
    )
    versions.append(result.rows[0].version)
    assert versions == [row.version, row.version + 1, row.version + 2]


def test_accept_raises_reached_stage_and_undo_restores_it(demo_store: Store) -> None:
    row = _first(demo_store, stage="mql")
    lead_q = "SELECT stage, reached_stage, accepted_at FROM leads WHERE lead_id=$i"
    before = _one(demo_store, lead_q, {"i": row.lead_id})
    assert before[0] == "mql" and before[2] is None
    done = triage.accept(demo_store, _t(row), now=AS_OF, actor=ACTOR, fault="sales")
    # an mql lead has reached at most mql: accepting it makes sal its furthest stage
    assert _one(demo_store, lead_q, {"i": row.lead_id}) == ("sal", "sal", AS_OF)
    triage.undo(demo_store, done.event_ids, now=AS_OF, actor=ACTOR)
    assert _one(demo_store, lead_q, {"i": row.lead_id}) == before
    assert triage.replay_problems(demo_store) == []


def test_accept_keeps_a_further_reached_stage_and_first_accept_time(demo_store: Store) -> None:
    # a lead that reached opportunity, was disqualified, and is contested back to sal
    row = _first(demo_store, stage="mql")
    earlier = AS_OF - timedelta(days=40)
    with demo_store.writing() as conn:
        conn.execute(
            "UPDATE leads SET reached_stage = 'opportunity', accepted_at = $t WHERE lead_id = $i",
            {"t": earlier, "i": row.lead_id},
        )
    triage.accept(demo_store, _t(row), now=AS_OF, actor=ACTOR, fault="sales")
    lead = _one(
        demo_store,
        "SELECT stage, reached_stage, accepted_at FROM leads WHERE lead_id=$i",
        {"i": row.lead_id},
    )
    assert lead == ("sal", "opportunity", earlier)
