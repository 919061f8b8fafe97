"""Triage on PostgreSQL: the same rules as on the local file, one transaction per action.

The parity test plays one script of actions on the DuckDB demo file and on its copy
pushed into Postgres, and compares the two databases' disputes, leads, audit and stage
history afterwards: one rule set, two engines.
"""

from __future__ import annotations

import threading

import duckdb
import psycopg
import pytest

from standup import triage
from standup.store import Store
from standup.team.pgstore import PgStore
from standup.team.push import push
from standup.triage import Target
from tests.conftest import AS_OF

_DISPUTES = "SELECT dispute_id, status, outcome, fault, version, resolved_at FROM disputes"
_LEADS = (
    "SELECT lead_id, stage, owner_id, reason_code, recycle_on, stage_entered_at, accepted_at "
    "FROM leads"
)
_EVENTS = (
    "SELECT event_id, dispute_id, lead_id, action, outcome, fault, reason_code, note, undoes, "
    "before_state, after_state FROM dispute_events"
)
_HISTORY = (
    "SELECT lead_id, from_stage, to_stage, moved_at, actor, source, event_id FROM stage_history"
)


def _script(store: Store) -> list[str]:
    """A fixed series of actions (every kind, a bulk one, undo and redo); returns summaries."""
    out = []
    q = triage.queue(store, AS_OF)
    t = [Target(r.dispute_id, r.version) for r in q]
    owner = next(o for o, _ in triage.owners(store) if o != q[3].owner_id)
    steps = [
        lambda: triage.accept(store, [t[0]], now=AS_OF, actor="a"),
        lambda: triage.disqualify(store, [t[1]], now=AS_OF, actor="a", reason_code="no_need"),
        lambda: triage.recycle(store, [t[2]], now=AS_OF, actor="b"),
        lambda: triage.reassign(store, [t[3]], now=AS_OF, actor="b", owner_id=owner),
        lambda: triage.escalate(store, [t[4]], now=AS_OF, actor="a", note="boss"),
        lambda: triage.note(store, [t[5]], now=AS_OF, actor="a", note="called 50% of them"),
        lambda: triage.accept(store, t[6:10], now=AS_OF, actor="c", fault="marketing"),
        lambda: triage.undo_last(store, now=AS_OF, actor="c"),
        lambda: triage.undo_last(store, now=AS_OF, actor="c"),
        lambda: triage.undo_last(store, now=AS_OF, actor="c"),
    ]
    for step in steps:
        out.append(step().summary)
    lead = triage.open_dispute(store, q[0].lead_id, "marketing", "good_lead", "again", AS_OF)
    out.append(lead.label)
    return out


def _pg(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql + " ORDER BY 1, 2").fetchall()  # type: ignore[arg-type]


def test_same_actions_same_result_on_both_engines(demo_store: Store, pg_url: str) -> None:
    pg = PgStore(pg_url)
    push(demo_store, pg)
    on_pg = _script(pg)
    on_file = _script(demo_store)
    assert on_pg == on_file
    assert triage.replay_problems(pg) == []
    with duckdb.connect(str(demo_store.path), read_only=True) as duck:
        for sql in (_DISPUTES, _LEADS, _EVENTS, _HISTORY):
            want = sorted(duck.execute(sql).fetchall(), key=repr)
            got = sorted(_pg(pg_url, sql), key=repr)
            assert got == want, sql.split()[-1]


def test_stale_version_is_a_conflict_and_changes_nothing(pg_demo_url: str) -> None:
    store = PgStore(pg_demo_url)
    row = triage.queue(store, AS_OF)[0]
    triage.note(store, [Target(row.dispute_id, row.version)], now=AS_OF, actor="x", note="hi")
    before = _pg(pg_demo_url, _EVENTS)
    with pytest.raises(triage.Conflict):
        triage.accept(store, [Target(row.dispute_id, row.version)], now=AS_OF, actor="y")
    assert _pg(pg_demo_url, _EVENTS) == before
    again = triage.rows(store, AS_OF, [row.dispute_id])[0]
    assert again.version == row.version + 1 and again.status == "open"


def test_versioned_update_refuses_a_row_that_moved_on(pg_demo_url: str) -> None:
    """The UPDATE itself names the version it read: checked by its rowcount."""
    store = PgStore(pg_demo_url)
    row = triage.queue(store, AS_OF)[0]
    with store.pg_writing() as conn:
        done = conn.run(
            "triage/update_disputes",
            {
                "rows": f'[{{"dispute_id": {row.dispute_id}, "old_version": {row.version + 5}, '
                '"status": "resolved", "resolved_at": null, "outcome": "accept", '
                '"fault": "none", "version": 99}]'
            },
        ).rowcount
    assert done == 0
    assert _pg(
        pg_demo_url, f"SELECT version, 0 FROM disputes WHERE dispute_id = {row.dispute_id}"
    ) == [(row.version, 0)]


def test_two_threads_same_dispute_exactly_one_wins(pg_demo_url: str) -> None:
    store = PgStore(pg_demo_url)
    row = triage.queue(store, AS_OF)[0]
    go = threading.Barrier(2)
    results: list[str] = []

    def decide(action: str) -> None:
        go.wait()
        try:
            triage.apply(
                store,
                action,
                [Target(row.dispute_id, row.version)],
                now=AS_OF,
                actor=action,
                reason_code="no_need" if action == "disqualify" else None,
            )
            results.append("won:" + action)
        except triage.Conflict:
            results.append("conflict")

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("accept", "disqualify")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(r.split(":")[0] for r in results) == ["conflict", "won"]
    winner = next(r.split(":")[1] for r in results if r.startswith("won"))
    state = _pg(
        pg_demo_url, f"SELECT outcome, version FROM disputes WHERE dispute_id = {row.dispute_id}"
    )
    assert state == [(winner, row.version + 1)]
    events = _pg(
        pg_demo_url,
        f"SELECT action, 0 FROM dispute_events WHERE dispute_id = {row.dispute_id} "
        "AND action <> 'open'",
    )
    assert events == [(winner, 0)]
    assert triage.replay_problems(store) == []
