"""TriageQueue without a terminal: order, merges, filter, marks, pending, tallies."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from standup.triage import QueueRow, TriageQueue, queue_order

NOW = datetime(2026, 11, 23, 9, 0)


def _row(dispute_id: int, *, age_days: int = 1, overdue: bool = False, **kw: object) -> QueueRow:
    values: dict[str, object] = dict(
        dispute_id=dispute_id,
        version=1,
        status="open",
        raised_by="marketing",
        kind="contest_reject",
        reason_code="no_follow_up",
        claim="they never called",
        opened_at=NOW - timedelta(days=age_days),
        opened_by="ana",
        due_at=NOW - timedelta(hours=1) if overdue else NOW + timedelta(days=2),
        overdue=overdue,
        lead_id=1000 + dispute_id,
        company=f"Company {dispute_id}",
        contact_name=None,
        stage="mql",
        owner_id=7,
        owner="Tom Rourke",
        campaign_id=3,
        campaign="Webinar",
        score=50,
        external_id=f"CRM-{dispute_id}",
    )
    values.update(kw)
    return QueueRow.of(values)


def _resolved(row: QueueRow) -> QueueRow:
    return replace(row, status="resolved", version=row.version + 1, stage="sal")


def test_load_sorts_overdue_first_then_oldest_and_counts() -> None:
    q = TriageQueue()
    q.load([_row(1, age_days=1), _row(2, age_days=5), _row(3, age_days=0, overdue=True)])
    assert q.order == [3, 2, 1]
    assert (q.open_count, q.overdue_count, q.settled) == (3, 1, 0)
    assert q.count_line() == "3 open · 1 overdue"


def test_a_decision_is_pending_then_settles_in_place_and_a_reload_drops_it() -> None:
    q = TriageQueue()
    rows = [_row(1, age_days=3), _row(2, age_days=2), _row(3, age_days=1)]
    q.load(rows)
    q.cursor = 1
    assert q.targets() == [rows[0]]
    q.begin("accept", q.targets())
    assert q.pending[1].text == "⧗ accepted"
    assert q.next_open([1]) == 2  # the cursor moves on past the acted row
    merged = q.settle([_resolved(rows[0])])
    assert merged.redraw == (1,) and not merged.rebuilt
    assert not q.pending and q.order == [1, 2, 3]  # settled, still listed
    assert (q.open_count, q.settled) == (2, 1)
    assert "1 settled" in q.count_line()
    q.load(rows[1:])
    assert q.order == [2, 3] and q.settled == 0


def test_a_failed_action_reverts_the_row_and_drops_rows_it_added() -> None:
    q = TriageQueue()
    live = _row(1)
    q.load([live])
    settled_elsewhere = _resolved(_row(9))
    q.begin("undo", [live, settled_elsewhere])
    assert set(q.pending) == {1, 9} and 9 in q.rows
    back = q.fail([1, 9])
    assert back == [1] and 9 not in q.rows and not q.pending
    assert q.rows[1] == live


def test_a_locked_file_marks_pending_rows_as_locked() -> None:
    q = TriageQueue()
    q.load([_row(1), _row(2)])
    q.begin("disqualify", [q.rows[1]])
    assert q.retrying([1, 2]) == [1]
    assert q.pending[1].text == "locked… disqualified"


def test_marks_are_the_targets_in_order_and_a_reload_keeps_those_still_there() -> None:
    q = TriageQueue()
    q.load([_row(i, age_days=10 - i) for i in range(1, 6)])
    q.cursor = 1
    assert q.toggle_mark(4) and q.toggle_mark(2) and not q.toggle_mark(4)
    assert q.toggle_mark(5)
    assert [r.dispute_id for r in q.targets()] == [2, 5]
    q.load([_row(i, age_days=10 - i) for i in (1, 2, 3)])
    assert q.marked == {2}


def test_filter_narrows_visible_by_field_or_word() -> None:
    q = TriageQueue()
    q.load([_row(1, raised_by="sales"), _row(2, owner="Ana Diaz"), _row(3, company="Acme")])
    q.set_filter("side:sales")
    assert q.visible() == [1]
    q.set_filter("owner:ana")
    assert q.visible() == [2]
    q.set_filter("acme")
    assert q.visible() == [3]
    assert q.count_line().startswith("1 shown of 3 open")
    q.set_filter("")
    assert q.visible() == [1, 2, 3]


def test_next_open_wraps_and_skips_settled_and_pending() -> None:
    q = TriageQueue()
    rows = [_row(i, age_days=10 - i) for i in (1, 2, 3)]
    q.load(rows)
    q.settle([_resolved(rows[0])])
    q.begin("note", [rows[1]])
    q.cursor = 3
    assert q.next_open([3]) is None  # 1 settled, 2 pending, 3 acted
    assert q.next_open([]) == 3


_rows = st.lists(
    st.builds(
        lambda i, age, overdue: _row(i, age_days=age, overdue=overdue),
        st.integers(1, 60),
        st.integers(0, 30),
        st.booleans(),
    ),
    max_size=25,
    unique_by=lambda r: r.dispute_id,
)


@given(first=_rows, later=st.lists(_rows, max_size=4), settle=st.sets(st.integers(1, 60)))
def test_order_and_tallies_hold_after_any_merges(
    first: list[QueueRow], later: list[list[QueueRow]], settle: set[int]
) -> None:
    q = TriageQueue()
    q.load(first)
    for batch in later:
        q.merge(batch)
        q.settle([_resolved(q.rows[i]) for i in sorted(settle) if i in q.rows][:3])
    # every live listed row is in queue order; the tallies count exactly the live ones
    live = [i for i in q.order if q.rows[i].live]
    assert live == sorted(live, key=lambda i: queue_order(q.rows[i]))
    assert len(set(q.order)) == len(q.order)
    assert q.open_count == len(live)
    assert q.overdue_count == sum(q.rows[i].overdue for i in live)
    assert q.settled == len(q.order) - len(live)
