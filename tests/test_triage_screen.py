"""The triage screen driven with the real keys (Pilot), a snapshot, and a locked file."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from screens.app import StandupApp
from screens.lead_search import LeadSearchModal
from screens.messages import ShowDispute
from screens.open_dispute import OpenDisputeModal
from screens.raise_dispute import raise_dispute
from screens.triage import COLUMNS, TriageScreen
from screens.widgets.row_table import RowTable
from screens.widgets.steady_footer import SteadyFooter
from standup import triage
from standup.clock import Clock
from standup.lead_search import find_leads
from standup.store import RetryPolicy, Store
from tests.conftest import AS_OF

SIZE = (160, 45)


def _app(store: Store) -> StandupApp:
    return StandupApp(store, clock=Clock(AS_OF))


async def _until(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out waiting for the screen"
        await pilot.pause(0.02)


def _screen(app: StandupApp) -> TriageScreen:
    screen = app.screen
    assert isinstance(screen, TriageScreen)
    return screen


def _ids(app: StandupApp) -> list[int]:
    """The open disputes shown (settled rows stay, dimmed, until a refresh)."""
    table = app.screen.query_one("#triage-queue", DataTable)
    screen = _screen(app)
    shown = [int(str(k.value)) for k in table.rows]
    return [i for i in shown if screen._rows[i].live]


def _status(app: StandupApp) -> str:
    return str(app.screen.query_one("#triage-status", Static).render())


def _detail(app: StandupApp) -> str:
    return str(app.screen.query_one("#triage-detail-body", Static).render())


async def _open_triage(pilot: Pilot[Any]) -> TriageScreen:
    await pilot.press("t")
    app = pilot.app
    assert isinstance(app, StandupApp)
    await _until(pilot, lambda: isinstance(app.screen, TriageScreen))
    screen = _screen(app)
    await _until(pilot, lambda: screen._loaded_at is not None and "Timeline" in _detail(app))
    return screen


async def _settled(pilot: Pilot[Any], screen: TriageScreen) -> None:
    await _until(pilot, lambda: not screen._pending and not screen._asking)
    await pilot.pause(0.05)


def _dispute(store: Store, dispute_id: int) -> tuple[Any, ...]:
    return store.fetch_with(  # type: ignore[no-any-return]
        lambda c: c.execute(
            "SELECT d.status, d.outcome, d.fault, l.stage, l.reason_code, l.owner_id,"
            " l.recycle_on FROM disputes d JOIN leads l USING (lead_id) WHERE dispute_id=$i",
            {"i": dispute_id},
        ).fetchone()
    )


async def test_accept_moves_on_and_says_what_happened(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first, second = _ids(app)[:2]
        row = screen._rows[first]
        await pilot.press("a")
        await pilot.press("enter")  # fault: the proposed default (sales)
        await _settled(pilot, screen)
        assert first not in _ids(app)
        assert screen._current_id() == second
        owner = (row.owner or "").split()[0]
        assert _status(app) == f"D-{first} accepted → sal, owner {owner}; u to undo"
        assert _dispute(demo_store, first)[:4] == ("resolved", "accept", "sales", "sal")


async def test_disqualify_picks_reason_by_typing_and_fault_by_letter(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first = _ids(app)[0]
        await pilot.press("x")
        await pilot.press(*"stud")
        await pilot.press("enter")
        await pilot.press("d")  # fault: data
        await _settled(pilot, screen)
        assert _dispute(demo_store, first)[:5] == (
            "resolved",
            "disqualify",
            "data",
            "disqualified",
            "student",
        )


async def test_recycle_defaults_revisit_from_reason_code(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first = _ids(app)[0]
        _, expected = triage.default_revisit(demo_store, first, AS_OF)
        await pilot.press("r")
        await pilot.pause(0.2)
        await pilot.press("enter")  # the proposed date
        await pilot.press("enter")  # fault: none
        await _settled(pilot, screen)
        state = _dispute(demo_store, first)
        assert state[:4] == ("resolved", "recycle", "none", "recycled")
        assert state[6] == expected


async def test_disqualify_picker_offers_only_disqualify_and_reject_reasons(
    demo_store: Store,
) -> None:
    kinds = dict(
        demo_store.fetch_with(
            lambda c: c.execute("SELECT code, kind FROM reason_codes WHERE active").fetchall()
        )
    )
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        await pilot.press("x")
        await _until(pilot, lambda: screen.ask_line.question is not None)
        offered = set(screen.ask_line.offered)
        expected = {code for code, kind in kinds.items() if kind in ("disqualify", "reject")}
        assert offered == expected and "junk_source" in kinds


async def test_a_question_takes_every_key_and_leaves_the_queue_focused(
    demo_store: Store,
) -> None:
    """A decision's picks are asked in the status line: while it asks, a letter is typed
    into it (never another decision), the queue keeps the focus (its rows are not
    repainted for a focus change), and escape writes nothing."""
    events = "SELECT count(*) FROM dispute_events"
    before = demo_store.fetch_with(lambda c: c.execute(events).fetchone()[0])
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        ask = screen.ask_line
        table = screen.query_one("#triage-queue", DataTable)
        await pilot.press("x")
        await _until(pilot, lambda: ask.question is not None)
        assert "reason code" in str(ask.question) and "reason code" in _status(app)
        everything = ask.offered
        await pilot.press("a", "e")  # accept's and escalate's keys: typed, not decided
        assert app.focused is table and isinstance(app.screen, TriageScreen)
        assert not screen.queue.pending and ask.typed == "ae"
        assert "› ae" in _status(app)
        labels = {code: f"{code} {label}".lower() for code, _, label, _ in screen._reasons}
        assert ask.offered == [code for code in everything if "ae" in labels[code]]
        await pilot.press("backspace", "backspace", "escape")
        await _until(pilot, lambda: ask.question is None)
        assert "cancelled" in _status(app)
        await pilot.press("a")  # the queue's keys are back: accept asks whose fault
        await _until(pilot, lambda: ask.question is not None)
        assert "whose fault" in str(ask.question)
        await pilot.press("escape")
        await _until(pilot, lambda: ask.question is None)
    after = demo_store.fetch_with(lambda c: c.execute(events).fetchone()[0])
    assert after == before


async def test_recycle_dialog_stays_open_on_a_bad_or_past_date(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first = _ids(app)[0]
        await pilot.press("r")
        await _until(pilot, lambda: bool(app.screen.query("#prompt-text")))
        prompt = app.screen
        field = prompt.query_one("#prompt-text", Input)
        for typed, says in (("31.12.2027", "is not a date"), ("2026-11-01", "not after today")):
            field.value = typed
            await pilot.press("enter")
            await pilot.pause(0.05)
            assert app.screen is prompt, f"{typed} closed the dialog"
            assert says in str(prompt.query_one("#prompt-error", Static).render())
        field.value = "2027-03-01"
        await pilot.press("enter", "enter")  # the date, then fault: none
        await _settled(pilot, screen)
        state = _dispute(demo_store, first)
        assert state[:4] == ("resolved", "recycle", "none", "recycled")
        assert str(state[6]) == "2027-03-01"


async def test_reassign_picks_owner_and_escalate_note_keep_it_open(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first, second = _ids(app)[:2]
        await pilot.press("e")
        await _settled(pilot, screen)
        assert _dispute(demo_store, first)[0] == "escalated"
        assert screen._rows[first].status == "escalated"
        await pilot.press("k")  # back up to the escalated one
        assert screen._current_id() == first
        await pilot.press("n", *"VP calls", "enter")
        await _settled(pilot, screen)
        assert "noted" in _status(app)
        assert first in _ids(app)
        assert screen._current_id() == second  # moved on after the note
        owner = screen._rows[second].owner_id
        target = "Dana" if owner != 11 else "Marcus"
        await pilot.press("o", *target, "enter", "enter")
        await _settled(pilot, screen)
        state = _dispute(demo_store, second)
        assert state[:3] == ("resolved", "reassign", "data")
        assert state[5] == (11 if target == "Dana" else 12)


async def test_a_refused_action_leaves_the_cursor_where_it_was(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _open_triage(pilot)
        first = _ids(app)[0]
        await pilot.press("e")  # escalate: it stays in the queue, the cursor moves on
        await _settled(pilot, screen)
        assert screen._current_id() != first
        await pilot.press("k")
        assert screen._current_id() == first
        await pilot.press("e")  # again: refused (already escalated)
        await _settled(pilot, screen)
        assert "already escalated" in _status(app)
        assert screen._current_id() == first


async def test_undo_brings_the_row_back_and_undo_again_redoes(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        await pilot.press("u")
        assert _status(app).startswith("Nothing to undo")
        before = _ids(app)
        first = before[0]
        await pilot.press("a", "enter")
        await _settled(pilot, screen)
        assert first not in _ids(app)
        await pilot.press("u")
        await _settled(pilot, screen)
        assert _ids(app) == before
        assert screen._current_id() == first
        assert _status(app) == f"D-{first} accept undone: open, lead mql; u to redo"
        assert _dispute(demo_store, first)[0] == "open"
        await pilot.press("u")
        await _settled(pilot, screen)
        assert first not in _ids(app)
        assert _status(app).startswith(f"D-{first} accept redone")
        await pilot.press("u")  # and again: the decision is taken away, and it says so
        await _settled(pilot, screen)
        assert _status(app) == f"D-{first} accept undone: open, lead mql; u to redo"
        assert _dispute(demo_store, first)[0] == "open"
        assert triage.replay_problems(demo_store) == []


async def test_space_marks_and_bulk_acts_in_one_batch(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        ids = _ids(app)
        await pilot.press("space", "space", "down", "space")
        assert screen._marked == {ids[0], ids[1], ids[3]}
        await pilot.press("space")  # unmark works too... on the row after the cursor moved
        assert screen._marked == {ids[0], ids[1], ids[3], ids[4]}
        await pilot.press("k", "space")
        assert screen._marked == {ids[0], ids[1], ids[3]}
        await pilot.press("x", *"no_need", "enter", "enter")
        await _settled(pilot, screen)
        assert _status(app) == "3 disputes disqualified; u to undo"
        assert not screen._marked
        assert set(_ids(app)) == set(ids) - {ids[0], ids[1], ids[3]}
        batches = demo_store.fetch_with(
            lambda c: c.execute(
                "SELECT count(DISTINCT batch_id), count(*) FROM dispute_events"
                " WHERE action = 'disqualify' AND after_state IS NOT NULL"
            ).fetchone()
        )
        assert batches == (1, 3)


async def test_filter_narrows_and_escape_clears(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        everything = _ids(app)
        await pilot.press("slash", *"side:sales")
        await pilot.pause(0.1)
        sales = [i for i in everything if screen._rows[i].raised_by == "sales"]
        assert sales and _ids(app) == sales
        await pilot.press("enter")  # back to the list, filter kept
        assert _ids(app) == sales
        await pilot.press("escape")
        assert _ids(app) == everything
        await pilot.press("slash", *"owner:tom reason:no_follow")
        await pilot.pause(0.1)
        toms = [
            i
            for i in everything
            if screen._rows[i].owner == "Tom Rourke"
            and screen._rows[i].reason_code == "no_follow_up"
        ]
        assert toms and _ids(app) == toms
        await pilot.press("escape")
        assert _ids(app) == everything


async def test_show_dispute_focuses_it(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        wanted = triage.queue(demo_store, AS_OF)[5].dispute_id
        await pilot.pause()
        app.post_message(ShowDispute(wanted))
        await _until(pilot, lambda: isinstance(app.screen, TriageScreen))
        screen = _screen(app)
        await _until(pilot, lambda: screen._current_id() == wanted)
        await _until(pilot, lambda: f"D-{wanted}" in _detail(app))


async def test_conflict_reloads_the_row_and_changes_nothing(demo_store: Store) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first = _ids(app)[0]
        row = screen._rows[first]
        # someone else (another laptop) notes it first
        triage.note(
            demo_store, [triage.Target(first, row.version)], now=AS_OF, actor="other", note="!"
        )
        await pilot.press("a", "enter")
        await _settled(pilot, screen)
        assert "changed since you saw it" in _status(app)
        await _until(pilot, lambda: screen._rows[first].version == row.version + 1)
        assert _dispute(demo_store, first)[0] == row.status
        assert first in _ids(app)


async def test_a_decision_redraws_its_row_not_the_queue_or_the_footer(demo_store: Store) -> None:
    """The per-key costs that made a decision take ~0.4 s on a big queue stay gone."""
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        table = screen.query_one("#triage-queue", RowTable)
        footer = screen.query_one(SteadyFooter)
        first = _ids(app)[0]
        # The footer's first rebuilds (the screen's keys arriving) can still be in flight
        # under load: count from when it has been quiet for a while.
        await _until(pilot, lambda: footer.rebuilds > 0)
        settled = -1
        while settled != footer.rebuilds:
            settled = footer.rebuilds
            await pilot.pause(0.2)
        counter, rebuilds = table._update_count, footer.rebuilds
        await pilot.press("x", "enter", "enter")
        await _settled(pilot, screen)
        await pilot.press("a", "enter")
        await _settled(pilot, screen)
        assert first not in _ids(app)
        assert table._update_count == counter  # rows replaced in place, caches kept
        assert footer.rebuilds == rebuilds  # the prompts came and went, same keys
        assert gc.get_freeze_count() > 0  # the loaded queue is out of the collector's way


async def test_empty_queue_says_so(empty_store: Store) -> None:
    app = _app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await _until(pilot, lambda: "No open disputes" in _detail(app))
        await pilot.press("a")
        assert "queue is empty" in _status(app)
        await pilot.press("u")
        assert _status(app).startswith("Nothing to undo")


async def test_open_dispute_modal_opens_one(demo_store: Store) -> None:
    lead_id = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT min(lead_id) FROM leads WHERE lead_id NOT IN"
            " (SELECT lead_id FROM disputes WHERE status <> 'resolved')"
        ).fetchone()[0]
    )
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        app.call_later(raise_dispute, app, lead_id)
        await pilot.pause(0.3)
        await pilot.press("down", "enter")  # sales
        await pilot.pause(0.2)
        await pilot.press("enter")  # first reason (a dispute reason)
        await pilot.press(*"Fake phone number", "enter")
        await _until(
            pilot, lambda: not app.screen.id or "OpenDispute" not in type(app.screen).__name__
        )
        row = demo_store.fetch_with(
            lambda c: c.execute(
                "SELECT raised_by, claim, status FROM disputes WHERE lead_id=$l"
                " ORDER BY dispute_id DESC LIMIT 1",
                {"l": lead_id},
            ).fetchone()
        )
        assert row == ("sales", "Fake phone number", "open")


async def test_f_finds_any_lead_by_crm_id_and_opens_a_dispute_on_it(demo_store: Store) -> None:
    # A lead no panel lists: not stalled, no dispute. The room only knows its CRM id.
    lead_id, crm_id = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT lead_id, external_id FROM leads WHERE external_id IS NOT NULL"
            " AND lead_id NOT IN (SELECT lead_id FROM disputes) ORDER BY lead_id DESC LIMIT 1"
        ).fetchone()
    )
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await _open_triage(pilot)
        await pilot.press("f")
        await _until(pilot, lambda: isinstance(app.screen, LeadSearchModal))
        search = app.screen
        assert isinstance(search, LeadSearchModal)
        await pilot.press(*crm_id.lower())  # case does not matter
        await _until(
            pilot, lambda: search.searches > 0 and search.query_one(OptionList).option_count > 0
        )
        first = search.query_one(OptionList).get_option_at_index(0)
        assert str(first.id) == str(lead_id) and crm_id in str(first.prompt)
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, OpenDisputeModal))
        assert isinstance(app.screen, OpenDisputeModal) and app.screen.lead_id == lead_id
        assert app.screen.label.startswith(crm_id)  # the title names it by its CRM id


def test_find_leads_matches_literally_and_ranks_exact_ids_first(demo_store: Store) -> None:
    crm_id = demo_store.fetch_with(
        lambda c: c.execute("SELECT min(external_id) FROM leads").fetchone()[0]
    )
    found = find_leads(demo_store, crm_id)
    assert found and found[0].external_id == crm_id
    assert find_leads(demo_store, "%") == []  # a wildcard typed is a character, not "all"
    assert find_leads(demo_store, "   ") == []


# -- a file locked by another process ------------------------------------------------

HOLD = textwrap.dedent(
    """
    import select, sys, duckdb
    conn = duckdb.connect(sys.argv[1])
    print("LOCKED", flush=True)
    select.select([sys.stdin], [], [], float(sys.argv[2]))  # until told, or the timeout
    conn.close()
    """
)


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "LOCKED"
    return proc


async def test_locked_file_keeps_action_pending_then_applies(demo_store: Store) -> None:
    store = Store.open(demo_store.path, RetryPolicy(timeout=1.0, first_delay=0.02))
    app = _app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first = _ids(app)[0]
        holder = _hold_lock(demo_store.path, 30)
        try:
            await pilot.press("a", "enter")
            await _until(pilot, lambda: first in screen._pending)
            stage = COLUMNS.index("stage")
            assert "⧗ accept" in str(screen._cells(screen._rows[first], AS_OF)[stage])
            await _until(pilot, lambda: "retrying" in _status(app))
            assert first in _ids(app)  # still there, shown as pending
        finally:
            assert holder.stdin is not None
            holder.stdin.write("release\n")
            holder.stdin.flush()
            holder.wait(timeout=10)
        await _settled(pilot, screen)
        assert first not in _ids(app)
        assert _status(app).startswith(f"D-{first} accepted")
        assert _dispute(store, first)[0] == "resolved"


async def test_locked_file_too_long_fails_and_row_is_unchanged(demo_store: Store) -> None:
    store = Store.open(demo_store.path, RetryPolicy(timeout=0.2, first_delay=0.02))
    app = _app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        first = _ids(app)[0]
        holder = _hold_lock(demo_store.path, 30)
        try:
            await pilot.press("a", "enter")
            await _until(pilot, lambda: "failed, rows unchanged" in _status(app))
            assert first not in screen._pending
            assert first in _ids(app)
        finally:
            holder.kill()
            holder.wait()
        assert _dispute(store, first)[0] in ("open", "escalated")


# -- snapshot --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "presses",
    [(), ("j", "j", "space", "j", "space"), ("a", "enter")],
    ids=["queue", "marked", "accepted"],
)
def test_triage_snapshot(demo_store: Store, snap_compare: Any, presses: tuple[str, ...]) -> None:
    app = _app(demo_store)

    async def ready(pilot: Pilot[Any]) -> None:
        screen = await _open_triage(pilot)
        await pilot.press(*presses)
        await _settled(pilot, screen)
        await _until(
            pilot,
            lambda: f"D-{screen._current_id()}" in _detail(app),
        )
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


async def test_a_long_queue_is_added_a_page_at_a_time(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of rows on entry, the next as the cursor nears the last, all on ctrl+end, and a
    dispute far down reached by id (as a search or a decision's next row does)."""
    from screens.triage_table import QueueTable

    monkeypatch.setattr(QueueTable, "PAGE", 5)
    monkeypatch.setattr(QueueTable, "MARGIN", 2)
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        table = screen.query_one("#triage-queue", QueueTable)
        order = list(screen.queue.visible())
        assert len(order) > 15  # the demo's queue: several pages
        assert [int(str(k.value)) for k in table.rows] == order[:5]
        await pilot.press("down", "down")
        assert table.row_count == 5
        await pilot.press("down")
        assert table.cursor_row == 3 and table.row_count == 10  # within 2 of the 5th
        assert [int(str(k.value)) for k in table.rows] == order[:10]
        assert table.move_to(order[-5]) and table.current_id() == order[-5]
        await pilot.press("ctrl+end")
        assert table.row_count == len(order) and table.current_id() == order[-1]
        assert table.unlisted == 0
