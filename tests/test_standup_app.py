"""Standup mode in the app, driven with Pilot on a real demo file: presenter mode, the
agenda on an injected clock (no sleeps), meeting records and minutes, read-only sessions."""

from __future__ import annotations

import re
from typing import Any

from textual.pilot import Pilot

from screens.app import StandupApp
from screens.minutes import MinutesScreen
from screens.presenter import PresenterBoard
from screens.raise_dispute import raise_dispute
from screens.themes import PROJECTOR
from screens.widgets.agenda_bar import AgendaBar
from standup.clock import Clock
from standup.config import Config
from standup.store import Store


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 500.0

    def __call__(self) -> float:
        return self.t


def screen_text(app: StandupApp) -> str:
    """Every character the screen shows right now (toasts and modals included)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def count(store: Store, table: str) -> int:
    sql = {"standups": "select count(*) from standups", "meetings": "select count(*) from meetings"}
    return int(store.fetch_with(lambda conn: conn.execute(sql[table]).fetchone()[0]))


async def settle(app: StandupApp, pilot: Pilot[Any]) -> None:
    """Let thread workers (meeting writes, panel fetches) finish and their results land."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Any, what: str) -> None:
    """Wait (by pausing the app, at most ~5 s) until ``condition()`` holds."""
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def bar_text(app: StandupApp) -> str:
    return str(app.screen.query_one(AgendaBar).content)


async def test_presenter_toggle_switches_theme_and_back(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(store=demo_store, clock=clock)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("p")
        assert app.current_mode == "presenter" and app.theme == PROJECTOR.name
        board = app.screen.query_one(PresenterBoard)
        while board.fetch_count == 0:
            await pilot.pause(0.05)
        text = screen_text(app)
        assert "NEW MQLS SINCE LAST STANDUP" in text and "REVENUE WON THIS QUARTER" in text
        assert "since Mon 16 Nov" in text  # the demo's "last week" standup
        await pilot.press("d")  # other screens keep the projector theme while presenting
        assert app.theme == PROJECTOR.name
        await pilot.press("p")
        assert app.current_mode == "dashboard" and app.theme == app.session.config.theme


async def test_agenda_runs_on_injected_clock_and_writes_minutes(
    demo_store: Store, clock: Clock
) -> None:
    before = count(demo_store, "standups")
    app = StandupApp(store=demo_store, clock=clock)
    fake = FakeMonotonic()
    app.monotonic = fake
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("g")
        await settle(app, pilot)
        assert app.current_mode == "presenter"
        assert app.session.meeting is not None and count(demo_store, "standups") == before + 1
        await until(pilot, lambda: app.screen.query(AgendaBar), "the bar")
        board = app.screen.query_one(PresenterBoard)
        await until(pilot, lambda: board.fetch_count >= 2, "a refresh after the snapshot")
        # The snapshot just recorded is the *next* standup's baseline: deltas still
        # compare with last week's standup while this one runs.
        assert "since Mon 16 Nov" in screen_text(app)
        bar = app.screen.query_one(AgendaBar)
        assert "1/4 Numbers · 03:00 left · next: Disputes" in str(bar.content)
        fake.t += 150  # 2:30 of 3:00: amber, and the words say so too
        app._sync_bar()
        assert bar.has_class("-warn") and "00:30 left · wrap up" in str(bar.content)
        fake.t += 40
        app._sync_bar()
        assert bar.has_class("-over") and "OVER +00:10" in str(bar.content)
        await pilot.press("g")  # pause: time stops counting
        fake.t += 300
        app._sync_bar()
        assert "PAUSED" in str(bar.content) and "OVER +00:10" in str(bar.content)
        await pilot.press("g")
        await pilot.press("right_square_bracket")
        assert app.current_mode == "triage"
        await until(pilot, lambda: app.screen.query(AgendaBar), "the bar on triage")
        assert "2/4 Disputes · 05:00 left" in bar_text(app)
        fake.t += 60
        await pilot.press("left_square_bracket")
        assert app.current_mode == "presenter"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.current_mode == "dashboard"  # Stalled: the dashboard's stalled panel
        fake.t += 30
        await pilot.press("right_square_bracket", "right_square_bracket")  # end of meeting
        await settle(app, pilot)
        await until(pilot, lambda: isinstance(app.screen, MinutesScreen), "the minutes")
        assert "## Agenda timings" in app.screen.markdown
        assert "| Numbers | 3:00 | 3:10 | +0:10 |" in app.screen.markdown
        await pilot.press("escape")
        assert not isinstance(app.screen, MinutesScreen)
    rows = demo_store.fetch_with(
        lambda conn: conn.execute(
            "select m.ended_at - m.started_at, s.name, s.spent_seconds from meetings m "
            "join meeting_segments s using (meeting_id) order by s.position"
        ).fetchall()
    )
    assert [(name, spent) for _, name, spent in rows] == [
        ("Numbers", 190.0),
        ("Disputes", 60.0),
        ("Stalled", 30.0),
        ("Campaigns", 0.0),
    ]
    assert rows[0][0].total_seconds() == 150 + 40 + 300 + 60 + 30


async def test_read_only_session_refuses_writes(demo_store: Store, clock: Clock) -> None:
    before = count(demo_store, "standups")
    app = StandupApp(store=demo_store, clock=clock, read_only=True)
    app.monotonic = FakeMonotonic()
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        assert "READ-ONLY" in app.sub_title
        await pilot.press("g")  # the timer still runs for the room...
        await settle(app, pilot)
        await until(pilot, lambda: app.screen.query(AgendaBar), "the bar")
        assert app.screen.query_one(AgendaBar).has_class("-idle") is False
        assert "Recording the meeting: refused, this session is" in screen_text(app)
        raise_dispute(app.screen, 1)  # ...but nothing is written
        app.action_record_snapshot()
        await settle(app, pilot)
        assert "Opening a dispute: refused" in screen_text(app)
        assert not isinstance(app.screen, MinutesScreen)
    assert count(demo_store, "standups") == before and count(demo_store, "meetings") == 0


async def _presenter_ready(pilot: Pilot[Any]) -> None:
    board = pilot.app.screen.query_one(PresenterBoard)
    while board.fetch_count == 0:
        await pilot.pause(0.05)
    await pilot.pause()


def test_presenter_snapshot_projector_120x34(
    demo_store: Store, clock: Clock, snap_compare: Any
) -> None:
    app = StandupApp(store=demo_store, clock=clock, present=True)
    assert snap_compare(app, terminal_size=(120, 34), run_before=_presenter_ready)


def test_presenter_snapshot_large_200x56(
    demo_store: Store, clock: Clock, snap_compare: Any
) -> None:
    app = StandupApp(store=demo_store, clock=clock, present=True)
    assert snap_compare(app, terminal_size=(200, 56), run_before=_presenter_ready)


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


def contacts(store: Store) -> tuple[set[str], set[str]]:
    rows = store.fetch_with(
        lambda conn: conn.execute("select contact_name, email from leads").fetchall()
    )
    return {r[0] for r in rows if r[0]}, {r[1] for r in rows if r[1]}


async def _triage_detail(app: StandupApp, pilot: Pilot[Any]) -> str:
    await pilot.press("t")
    body = app.screen.query_one("#triage-detail-body")
    await until(pilot, lambda: "Claims" in str(body.content), "the dispute detail")
    await pilot.pause()
    return screen_text(app)


async def test_redaction_leaves_no_email_or_full_name_on_screen(
    demo_store: Store, clock: Clock
) -> None:
    names, emails = contacts(demo_store)
    app = StandupApp(store=demo_store, clock=clock, redact=True)
    async with app.run_test(size=(160, 45)) as pilot:
        assert "REDACTED" in app.sub_title
        text = await _triage_detail(app, pilot)
        assert EMAIL.search(text) is None, EMAIL.search(text)
        assert [n for n in names if n in text] == []
        assert re.search(r"[A-Z]\.[A-Z]\. <@[\w.-]+>", text), "initials <@company> expected"
        await pilot.press("p")  # presenter mode with its lists
        await _presenter_ready(pilot)
        text = screen_text(app)
        assert EMAIL.search(text) is None and [n for n in names if n in text] == []
        await pilot.press("p")
        # Toggling it off shows the full contact again: the check above can fail.
        await pilot.press("m")
        text = await _triage_detail(app, pilot)
        assert "REDACTED" not in app.sub_title
        await until(pilot, lambda: EMAIL.search(screen_text(app)) is not None, "full email")
        text = screen_text(app)
        assert any(n in text for n in names) and any(e in text for e in emails)


async def test_read_only_triage_refuses_decisions(demo_store: Store, clock: Clock) -> None:
    def events() -> int:
        sql = "select count(*) from dispute_events"
        return int(demo_store.fetch_with(lambda conn: conn.execute(sql).fetchone()[0]))

    before = events()
    app = StandupApp(store=demo_store, clock=clock, read_only=True)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await _triage_detail(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: "Accept: refused" in screen_text(app), "the refusal")
        await pilot.press("u")
        await until(pilot, lambda: "Undo: refused" in screen_text(app), "the refusal")
        await settle(app, pilot)
        assert not app.screen_stack[-1].is_modal  # no fault picker was even asked
    assert events() == before


def test_read_only_app_locks_down_the_sql_prompt(demo_store: Store, clock: Clock) -> None:
    config = Config(sql_allow_writes=True, sql_external_access=True)
    app = StandupApp(store=demo_store, clock=clock, config=config, read_only=True)
    assert (
        app.session.config.sql_allow_writes is False
        and app.session.config.sql_external_access is False
    )
    assert StandupApp(store=demo_store, clock=clock, config=config).session.config.sql_allow_writes


def test_served_session_config_has_no_file_access() -> None:
    from standup.cli import session_config

    served = session_config(Config(), allow_writes=True, served=True)
    assert served.sql_allow_writes is True and served.sql_external_access is False
    local = session_config(Config(), allow_writes=False, served=False)
    assert local.sql_allow_writes is False and local.sql_external_access is True


async def test_quitting_mid_meeting_ends_and_records_it(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(store=demo_store, clock=clock)
    fake = FakeMonotonic()
    app.monotonic = fake
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("g")
        await settle(app, pilot)
        assert app.session.meeting is not None
        fake.t += 75
        await pilot.press("q")
    row = demo_store.fetch_with(
        lambda conn: conn.execute(
            "select m.ended_at - m.started_at, s.spent_seconds from meetings m "
            "join meeting_segments s using (meeting_id) where s.position = 0"
        ).fetchone()
    )
    assert row[0].total_seconds() == 75 and row[1] == 75


async def test_palette_screenshot_saves_in_the_working_directory(
    demo_store: Store, clock: Clock, tmp_path: Any, monkeypatch: Any
) -> None:
    # No Downloads folder needed: the SVG lands where the app was started, and says so.
    monkeypatch.chdir(tmp_path)
    app = StandupApp(store=demo_store, clock=clock)
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"screenshot")
        await until(pilot, lambda: "Save an SVG" in screen_text(app), "the command")
        await pilot.press("enter")
        await until(pilot, lambda: list(tmp_path.glob("*.svg")), "the screenshot file")
        (saved,) = tmp_path.glob("*.svg")
        assert saved.read_text().lstrip().startswith("<svg")
        await until(pilot, lambda: "Saved " in screen_text(app), "the toast")
