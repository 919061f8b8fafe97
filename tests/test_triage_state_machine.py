"""Random sequences of triage actions, bulk actions and undos keep the invariants.

- the audit replays to the current state (every event's before = previous after, the
  last after = the row now);
- every lead's stage is the ``to_stage`` of its last stage_history row;
- undo of undo is redo (same dispute and lead state as after the original action);
- counts are conserved (disputes, leads; one event per dispute acted on);
- a refused action (illegal, stale version) changes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from standup import facts, triage
from standup.config import Config
from standup.store import Store
from standup.triage import Target
from tests.conftest import AS_OF

ACTIONS = ["accept", "disqualify", "recycle", "reassign", "escalate", "note"]
STATE_SQL = (
    "SELECT d.dispute_id, d.status, d.outcome, d.fault, l.stage, l.owner_id, l.reason_code,"
    " l.recycle_on, l.stage_entered_at FROM disputes d JOIN leads l USING (lead_id)"
    " WHERE d.dispute_id IN (SELECT unnest($ids::INTEGER[])) ORDER BY 1"
)


def _kwargs(action: str, owner: int) -> dict[str, Any]:
    return {
        "reason_code": "no_need" if action == "disqualify" else None,
        "owner_id": owner if action == "reassign" else None,
        "note": "hypothesis" if action == "note" else None,
    }


class TriageMachine(RuleBasedStateMachine):
    template: Path

    def __init__(self) -> None:
        super().__init__()
        self._dir = tempfile.mkdtemp(prefix="triage-sm-")
        path = Path(self._dir) / "sm.duckdb"
        shutil.copy(self.template, path)
        self.store = Store.open(path)
        self.versions: dict[int, int] = {}
        self.live: set[int] = set()
        self.last: triage.Applied | None = None
        self.events = 0

    def teardown(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    @initialize()
    def load(self) -> None:
        rows = triage.queue(self.store, AS_OF)
        self.versions = {r.dispute_id: r.version for r in rows}
        self.live = set(self.versions)
        self.disputes_total, self.leads_total, self.events = self._counts()

    # -- helpers ---------------------------------------------------------------------

    def _counts(self) -> tuple[int, int, int]:
        return self.store.fetch_with(  # type: ignore[no-any-return]
            lambda c: c.execute(
                "SELECT (SELECT count(*) FROM disputes), (SELECT count(*) FROM leads),"
                " (SELECT count(*) FROM dispute_events)"
            ).fetchone()
        )

    def _state(self, ids: list[int]) -> list[tuple[Any, ...]]:
        return self.store.fetch_with(  # type: ignore[no-any-return]
            lambda c: c.execute(STATE_SQL, {"ids": ids}).fetchall()
        )

    def _take(self, result: triage.Applied) -> None:
        for row in result.rows:
            self.versions[row.dispute_id] = row.version
            if row.live:
                self.live.add(row.dispute_id)
            else:
                self.live.discard(row.dispute_id)
        self.events += len(result.event_ids)
        assert len(result.event_ids) == len(result.rows)
        self.last = result

    def _try(self, action: str, ids: list[int], owner: int) -> None:
        before = self._counts()
        targets = [Target(i, self.versions[i]) for i in ids]
        try:
            result = triage.apply(
                self.store, action, targets, now=AS_OF, actor="sm", **_kwargs(action, owner)
            )
        except triage.TriageError:
            assert self._counts() == before  # refused: nothing changed
            return
        self._take(result)

    # -- rules -----------------------------------------------------------------------

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data(), action=st.sampled_from(ACTIONS), owner=st.sampled_from([11, 12, 14]))
    def act(self, data: st.DataObject, action: str, owner: int) -> None:
        dispute_id = data.draw(st.sampled_from(sorted(self.live)))
        self._try(action, [dispute_id], owner)

    @precondition(lambda self: len(self.live) >= 2)
    @rule(data=st.data(), action=st.sampled_from(ACTIONS), owner=st.sampled_from([11, 12]))
    def bulk(self, data: st.DataObject, action: str, owner: int) -> None:
        ids = data.draw(st.lists(st.sampled_from(sorted(self.live)), min_size=2, unique=True))
        self._try(action, ids, owner)

    @precondition(lambda self: self.last is not None)
    @rule()
    def undo_then_redo(self) -> None:
        assert self.last is not None
        ids = [r.dispute_id for r in self.last.rows]
        after_action = self._state(ids)
        undone = triage.undo(self.store, self.last.event_ids, now=AS_OF, actor="sm")
        self._take(undone)
        redone = triage.undo(self.store, undone.event_ids, now=AS_OF, actor="sm")
        self._take(redone)
        assert self._state(ids) == after_action  # undo of undo is redo

    @precondition(lambda self: self.last is not None)
    @rule()
    def undo(self) -> None:
        assert self.last is not None
        self._take(triage.undo(self.store, self.last.event_ids, now=AS_OF, actor="sm"))

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data())
    def stale_version_conflicts(self, data: st.DataObject) -> None:
        dispute_id = data.draw(st.sampled_from(sorted(self.live)))
        before = self._counts()
        stale = [Target(dispute_id, self.versions[dispute_id] - 1)]
        with pytest.raises(triage.Conflict):
            triage.note(self.store, stale, now=AS_OF, actor="sm", note="late")
        assert self._counts() == before

    # -- invariants ------------------------------------------------------------------

    @invariant()
    def invariants_hold(self) -> None:
        # One invariant (several checks) so each step opens the file a few times, not many.
        assert triage.replay_problems(self.store) == []  # the audit replays to the state
        bad_stage, counts = self.store.fetch_with(
            lambda c: (
                c.execute(
                    "SELECT count(*) FROM leads l JOIN (SELECT lead_id,"
                    " arg_max(to_stage, history_id) AS last FROM stage_history GROUP BY lead_id)"
                    " h USING (lead_id) WHERE l.stage <> h.last"
                ).fetchone()[0],
                c.execute(
                    "SELECT (SELECT count(*) FROM disputes), (SELECT count(*) FROM leads),"
                    " (SELECT count(*) FROM dispute_events)"
                ).fetchone(),
            )
        )
        assert bad_stage == 0  # every lead's stage is its last history row's
        if self.events:
            assert counts == (self.disputes_total, self.leads_total, self.events)
        queue_ids = {r.dispute_id for r in triage.queue(self.store, AS_OF)}
        assert queue_ids == self.live
        # every action kept the dashboard facts in step, so the panels may trust them
        with self.store.reading() as conn:
            assert facts.usable(conn, Config())
            assert facts.out_of_step(conn) == 0


def test_random_triage_sessions_keep_invariants(demo_template: Path) -> None:
    TriageMachine.template = demo_template
    run_state_machine_as_test(
        TriageMachine,
        settings=settings(
            max_examples=8,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
