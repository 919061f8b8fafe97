"""CRM ids wherever a lead or deal is named (issue 12): panels, triage, report, presenter.

The expected ids are read straight from ``leads`` / ``deals`` with plain SQL; leads
without a CRM id (and without company, contact, score, owner, campaign) must show
``#<lead id>`` and no placeholder such as ``None`` or ``<>``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from screens.app import StandupApp
from screens.messages import ShowDispute
from screens.presenter import PresenterBoard
from screens.triage import TriageScreen
from screens.widgets.dashboard_panels import DisputesPanel, StalledPanel
from screens.widgets.panel import Panel
from standup import facts, panels, refs, triage
from standup.clock import Clock
from standup.config import Config
from standup.report import summary
from standup.store import Store
from tests.conftest import AS_OF


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    refs.forget()


def bare(store: Store) -> None:
    """Strip every odd lead of its CRM id and optional fields, and every third deal of its
    CRM id, as a sparse CRM export would leave them; then restamp the facts."""
    with store.writing() as conn:
        conn.execute(
            "UPDATE leads SET external_id = NULL, company = NULL, contact_name = NULL,"
            " email = NULL, score = NULL, owner_id = NULL, campaign_id = NULL,"
            " updated_at = updated_at + INTERVAL 1 SECOND WHERE lead_id % 2 = 1"
        )
        conn.execute(
            "UPDATE deals SET external_id = NULL, updated_at = updated_at + INTERVAL 1 SECOND"
            " WHERE deal_id % 3 = 0"
        )
    facts.restamp(store, Config(), datetime.now())


def lead_ids_sql(store: Store) -> dict[int, str | None]:
    return dict(
        store.fetch_with(lambda c: c.execute("SELECT lead_id, external_id FROM leads").fetchall())
    )


def biggest_open_deal_sql(store: Store) -> dict[int, tuple[int, str | None, float]]:
    """Per lead, its open deals: (deal_id, external_id, amount) of the biggest."""
    rows = store.fetch_with(
        lambda c: c.execute(
            "SELECT lead_id, deal_id, external_id, amount FROM deals"
            " WHERE stage NOT IN ('won', 'lost')"
        ).fetchall()
    )
    out: dict[int, tuple[int, str | None, float]] = {}
    for lead_id, deal_id, ext, amount in rows:
        if lead_id not in out or float(amount) > out[lead_id][2]:
            out[lead_id] = (deal_id, ext, float(amount))
    return out


def expected_ref(ids: dict[int, str | None], lead_id: int) -> str:
    return ids[lead_id] or f"#{lead_id}"


# -- core ------------------------------------------------------------------------------


def test_stalled_and_disputes_rows_carry_the_crm_ids(demo_store: Store) -> None:
    bare(demo_store)
    ids, deals = lead_ids_sql(demo_store), biggest_open_deal_sql(demo_store)
    with demo_store.reading() as conn:
        stalled = panels.stalled(conn, AS_OF, Config())
        disputes = panels.disputes(conn, AS_OF, Config())
    assert stalled.stored and stalled.rows and disputes.rows
    with_id = [r for r in stalled.rows if ids[r.lead_id]]
    without = [r for r in stalled.rows if not ids[r.lead_id]]
    assert with_id and without  # the fixture has both kinds among the shown rows
    for row in stalled.rows:
        assert row.external_id == ids[row.lead_id]
        assert row.ref == expected_ref(ids, row.lead_id)
        if row.lead_id in deals:
            deal_id, ext, _ = deals[row.lead_id]
            assert row.deal_ref == (ext or f"#{deal_id}")
        else:
            assert row.deal_ref == ""
    assert {r.ref for r in without} == {f"#{r.lead_id}" for r in without}
    for d in disputes.rows:
        assert d.ref == expected_ref(ids, d.lead_id)


def test_ids_follow_a_write_that_keeps_the_facts_in_step(demo_store: Store) -> None:
    """The remembered ids start over when a writer moves the facts' watermark."""
    with demo_store.reading() as conn:
        first = panels.stalled(conn, AS_OF, Config()).rows[0]
    with demo_store.writing() as conn:
        conn.execute(
            # an updated_at below the newest one: the watermark's maxima do not move
            "UPDATE leads SET external_id = 'CRM-NEW-1', updated_at = TIMESTAMP '2020-01-01'"
            " WHERE lead_id = $id",
            {"id": first.lead_id},
        )
        facts.refresh_leads(conn, [first.lead_id])  # as every writer does
    with demo_store.reading() as conn:
        again = panels.stalled(conn, AS_OF, Config())
    assert again.stored
    assert next(r for r in again.rows if r.lead_id == first.lead_id).ref == "CRM-NEW-1"


def test_a_foreign_write_of_only_a_crm_id_is_seen(demo_store: Store) -> None:
    """Another process changes nothing but a CRM id (no count, no updated_at moves): the
    fingerprint of the rows the panels name changes, so the remembered id is not used."""
    with demo_store.reading() as conn:
        first = panels.stalled(conn, AS_OF, Config()).rows[0]
    script = (
        "import sys, duckdb\n"
        "c = duckdb.connect(sys.argv[1])\n"
        "c.execute(\"UPDATE leads SET external_id = 'FOREIGN-9' WHERE lead_id = ?\","
        " [int(sys.argv[2])])\n"
        "c.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(demo_store.path), str(first.lead_id)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with demo_store.reading() as conn:
        rows = panels.stalled(conn, AS_OF, Config()).rows
    assert next(r for r in rows if r.lead_id == first.lead_id).ref == "FOREIGN-9"


def test_ids_are_right_while_the_facts_are_computed_live(demo_store: Store) -> None:
    with demo_store.reading() as conn:
        shown = panels.disputes(conn, AS_OF, Config()).rows[0]
    with demo_store.writing() as conn:  # another tool: the facts are not kept in step
        conn.execute(
            "UPDATE leads SET external_id = 'OTHER-TOOL',"
            " updated_at = updated_at + INTERVAL 1 SECOND"
            " WHERE lead_id = $id",
            {"id": shown.lead_id},
        )
    with demo_store.reading() as conn:
        rows = panels.disputes(conn, AS_OF, Config()).rows
    assert next(r for r in rows if r.lead_id == shown.lead_id).ref == "OTHER-TOOL"


def test_triage_rows_and_detail_carry_the_crm_ids(demo_store: Store) -> None:
    bare(demo_store)
    ids = lead_ids_sql(demo_store)
    queue = triage.queue(demo_store, AS_OF)
    assert {r.ref for r in queue} == {expected_ref(ids, r.lead_id) for r in queue}
    # rows rebuilt after an action (from the states just written) carry it too
    applied = triage.note(
        demo_store,
        [triage.Target(queue[0].dispute_id, queue[0].version)],
        now=AS_OF,
        note="x",
        actor="t",
    )
    assert applied.rows[0].ref == expected_ref(ids, queue[0].lead_id)
    detail = triage.detail(demo_store, queue[0].lead_id)
    assert detail.lead["external_id"] == ids[queue[0].lead_id]


# -- the report ------------------------------------------------------------------------


def _section_rows(markdown: str, heading: str) -> list[list[str]]:
    """The table rows under the ``## heading...`` section, as lists of cells."""
    part = markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in part.splitlines() if ln.startswith("| ")]
    return [[c.strip() for c in ln.strip("|").split(" | ")] for ln in lines[1:]]


def test_report_names_leads_and_deals_by_crm_id(demo_store: Store) -> None:
    bare(demo_store)
    ids, deals = lead_ids_sql(demo_store), biggest_open_deal_sql(demo_store)
    by_ref = {expected_ref(ids, i): i for i in ids}
    companies = dict(
        demo_store.fetch_with(lambda c: c.execute("SELECT lead_id, company FROM leads").fetchall())
    )
    text = summary(demo_store, AS_OF, Config())
    assert "None" not in text and "<>" not in text

    stalled = _section_rows(text, "Stalled")
    assert stalled and any(r[0].startswith("#") for r in stalled)
    assert any(not r[0].startswith("#") for r in stalled)
    for lead, company, _stage, deal, *_ in stalled:
        lead_id = by_ref[lead]  # every lead cell is a CRM id or #<lead id>
        assert company == (companies[lead_id] or "")
        if lead_id in deals:
            deal_id, ext, _ = deals[lead_id]
            assert deal == (ext or f"#{deal_id}")

    # open disputes: the first ten, overdue first then by due time (plain SQL)
    expected = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT d.dispute_id, d.lead_id FROM disputes AS d"
            " WHERE d.status IN ('open', 'escalated')"
            " ORDER BY d.due_at < $now DESC, d.due_at, d.dispute_id LIMIT 10",
            {"now": AS_OF},
        ).fetchall()
    )
    shown = _section_rows(text, "Open disputes")
    assert [(r[0], r[1]) for r in shown] == [
        (f"D-{d}", expected_ref(ids, lead)) for d, lead in expected
    ]


def test_report_decisions_and_openings_name_the_lead(demo_store: Store) -> None:
    ids = lead_ids_sql(demo_store)
    before = triage.queue(demo_store, AS_OF)[0]
    from standup.kpis import record_snapshot

    record_snapshot(demo_store, AS_OF.replace(hour=8), Config(), "before")
    triage.accept(
        demo_store,
        [triage.Target(before.dispute_id, before.version)],
        now=AS_OF,
        fault="sales",
        actor="t",
    )
    text = summary(demo_store, AS_OF.replace(hour=10), Config())
    decided = _section_rows(text, "Decided since the last standup")
    assert [(r[1], r[2]) for r in decided] == [
        (f"D-{before.dispute_id}", expected_ref(ids, before.lead_id))
    ]


# -- the screens -----------------------------------------------------------------------


async def _wait(pilot: Pilot[Any], cond: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


def _app(store: Store) -> StandupApp:
    return StandupApp(store=store, config=Config(refresh_seconds=3600), clock=Clock(AS_OF))


def _cells(table: DataTable[Any], row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


async def test_dashboard_panels_show_the_crm_ids(demo_store: Store) -> None:
    bare(demo_store)
    ids, deals = lead_ids_sql(demo_store), biggest_open_deal_sql(demo_store)
    app = _app(demo_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await _wait(pilot, lambda: all(p.fetch_count for p in app.screen.query(Panel)))
        stalled = app.screen.query_one(StalledPanel)
        table = stalled.query_one(DataTable)
        keys = [int(str(r.key.value)) for r in table.ordered_rows]
        for index, lead_id in enumerate(keys[:30]):
            assert _cells(table, index)[0].endswith(expected_ref(ids, lead_id))
        # the line under the table names the row under the cursor in full, deal included
        line = str(stalled.query_one(".panel-selected", Static).render())
        assert f"lead {expected_ref(ids, keys[0])}" in line
        if keys[0] in deals:
            deal_id, ext, _ = deals[keys[0]]
            assert f"deal {ext or f'#{deal_id}'}" in line
        await pilot.click(StalledPanel)
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        line = str(stalled.query_one(".panel-selected", Static).render())
        assert f"lead {expected_ref(ids, keys[1])}" in line

        disputes = app.screen.query_one(DisputesPanel)
        dtable = disputes.query_one(DataTable)
        lead_of = dict(
            demo_store.fetch_with(
                lambda c: c.execute("SELECT dispute_id, lead_id FROM disputes").fetchall()
            )
        )
        for index, row in enumerate(dtable.ordered_rows):
            dispute_id = int(str(row.key.value))
            cells = _cells(dtable, index)
            assert cells[0] == f"D-{dispute_id}"
            assert cells[2].endswith(expected_ref(ids, lead_of[dispute_id]))
        text = " ".join(
            str(s.render()) for s in app.screen.query(Static) if s.has_class("panel-selected")
        )
        assert "None" not in text


async def test_triage_shows_the_crm_id_and_no_placeholders(demo_store: Store) -> None:
    bare(demo_store)
    ids = lead_ids_sql(demo_store)
    queue = triage.queue(demo_store, AS_OF)
    # a dispute on a bare lead (no CRM id, company, contact, score, owner, campaign)
    target = next(r for r in queue if not ids[r.lead_id])
    app = _app(demo_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        await _wait(pilot, lambda: isinstance(app.screen, TriageScreen))
        app.post_message(ShowDispute(target.dispute_id))
        body = app.screen.query_one("#triage-detail-body", Static)
        await _wait(pilot, lambda: target.label in str(body.render()))
        await _wait(pilot, lambda: f"lead #{target.lead_id}" in str(body.render()))
        text = str(body.render())
        assert "(no CRM id)" in text
        for placeholder in ("None", "<>", "score", "— <"):
            assert placeholder not in text
        # the queue's lead column shows every row's CRM id (or #id)
        table = app.screen.query_one("#triage-queue", DataTable)
        column = [c.key.value for c in table.ordered_columns].index("lead")
        by_dispute = {r.dispute_id: r.lead_id for r in queue}
        for index, row in enumerate(table.ordered_rows):
            lead = by_dispute[int(str(row.key.value))]
            assert _cells(table, index)[column] == expected_ref(ids, lead)

        # and a lead with one: its CRM id, our number beside it, its deals' ids
        named = next(r for r in queue if ids[r.lead_id])
        app.post_message(ShowDispute(named.dispute_id))
        await _wait(pilot, lambda: named.label in str(body.render()))
        await _wait(
            pilot, lambda: f"lead {ids[named.lead_id]} (#{named.lead_id})" in str(body.render())
        )


async def test_triage_detail_names_the_leads_deals(demo_store: Store) -> None:
    deal_id, lead_id, ext = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT deal_id, lead_id, external_id FROM deals ORDER BY deal_id LIMIT 1"
        ).fetchone()
    )
    row = triage.open_dispute(demo_store, lead_id, "marketing", "good_lead", "look", AS_OF)
    app = _app(demo_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        await _wait(pilot, lambda: isinstance(app.screen, TriageScreen))
        app.post_message(ShowDispute(row.dispute_id))
        body = app.screen.query_one("#triage-detail-body", Static)
        await _wait(pilot, lambda: f"deal {ext or f'#{deal_id}'}" in str(body.render()))


async def test_presenter_lists_name_leads_and_deals(demo_store: Store) -> None:
    ids, deals = lead_ids_sql(demo_store), biggest_open_deal_sql(demo_store)
    app = _app(demo_store)
    async with app.run_test(size=(200, 56)) as pilot:
        await pilot.press("p")
        await _wait(pilot, lambda: bool(app.screen.query(PresenterBoard)))
        board = app.screen.query_one(PresenterBoard)
        await _wait(pilot, lambda: board.data is not None)
        assert board.data is not None
        text = str(app.screen.query_one("#list-stalled", Static).render())
        for row in board.data.stalled:
            assert expected_ref(ids, row.lead_id) in text
            if row.lead_id in deals:
                assert f"deal {deals[row.lead_id][1]}" in text
        overdue = str(app.screen.query_one("#list-disputes", Static).render())
        for d in board.data.overdue:
            assert re.search(
                rf"D-{d.dispute_id} {re.escape(expected_ref(ids, d.lead_id))}\b", overdue
            )


async def test_flagging_a_stalled_lead_names_it_by_crm_id(demo_store: Store) -> None:
    from screens.open_dispute import OpenDisputeModal

    ids = lead_ids_sql(demo_store)
    app = _app(demo_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await _wait(pilot, lambda: all(p.fetch_count for p in app.screen.query(Panel)))
        stalled = app.screen.query_one(StalledPanel)
        stalled.query_one(DataTable).focus()
        await pilot.pause()
        lead = stalled.selected_lead()
        assert lead is not None
        await pilot.press("f")
        await _wait(pilot, lambda: isinstance(app.screen, OpenDisputeModal))
        modal = app.screen
        assert isinstance(modal, OpenDisputeModal) and modal.lead_id == lead
        assert modal.label.startswith(expected_ref(ids, lead))
        title = str(modal.query_one("#open-dispute-title", Static).render())
        assert f"lead {expected_ref(ids, lead)}" in title
