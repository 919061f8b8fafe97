"""Issue 13: presenter mode says days since vs days over the SLA right, shows REDACTED,
and its clock (and the header's "as of") moves when no --as-of pins it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import duckdb
from rich.text import Text
from textual.widgets import Static

from screens.app import StandupApp
from screens.presenter import PresenterBoard
from standup.clock import Clock
from standup.config import SLA
from standup.store import Store
from tests.conftest import AS_OF
from tests.test_dashboard_ui import wait_for

ROOMY = (160, 45)


def _text(widget: Static) -> str:
    content = widget.render()
    return content.plain if isinstance(content, Text) else str(content)


async def test_most_money_stalled_says_days_since_and_days_over(
    demo_store: Store, clock: Clock
) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=ROOMY) as pilot:
        await pilot.press("p")
        board = app.screen.query_one(PresenterBoard)
        await wait_for(pilot, lambda: board.data is not None)
        await pilot.pause()
        lines = str(app.screen.query_one("#list-stalled", Static).render()).splitlines()[1:]
        rows = board.data.stalled
        assert rows and len(lines) == len(rows)
        sla = SLA()
        checked = 0
        with duckdb.connect(str(demo_store.path), read_only=True) as conn:
            for row, line in zip(rows, lines, strict=True):
                entered, touched = conn.execute(
                    "SELECT stage_entered_at, coalesce(last_touch_at, stage_entered_at)"
                    " FROM leads WHERE lead_id = $id",
                    {"id": row.lead_id},
                ).fetchone() or (None, None)
                if row.rule == "no touch":
                    since, limit = (AS_OF - touched).total_seconds() / 86400, sla.no_touch_days
                elif row.rule == "in stage":
                    since = (AS_OF - entered).total_seconds() / 86400
                    limit = sla.stage_days[row.stage]
                else:
                    assert f"{row.rule} · " in line and "d over" in line, line
                    continue
                assert f"{row.rule} {since:.0f}d · {since - limit:.0f}d over" in line, line
                checked += 1
        assert checked  # the demo's worst stalled leads include lead rules


async def test_presenter_shows_redacted(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=ROOMY) as pilot:
        await pilot.press("p")
        title = app.screen.query_one("#presenter-title", Static)
        assert "REDACTED" not in _text(title)
        await pilot.press("m")
        await wait_for(pilot, lambda: "REDACTED" in _text(title))
        await pilot.press("m")
        await wait_for(pilot, lambda: "REDACTED" not in _text(title))


class MovingClock(Clock):
    """The wall clock, but one a test moves (not pinned: no as-of)."""

    def __init__(self) -> None:
        super().__init__()
        self.moved_to = [AS_OF]

    def now(self) -> datetime:
        return self.moved_to[-1]


async def test_clocks_move_without_as_of(demo_store: Store, monkeypatch: Any) -> None:
    monkeypatch.setattr(StandupApp, "CLOCK_TICK_SECONDS", 0.05)
    clock = MovingClock()
    assert not clock.pinned
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=ROOMY) as pilot:
        assert "as of 2026-11-23 09:00" in app.sub_title
        await pilot.press("p")
        title = app.screen.query_one("#presenter-title", Static)
        assert "09:00" in _text(title)
        clock.moved_to.append(AS_OF + timedelta(hours=2, minutes=5))
        await wait_for(pilot, lambda: "11:05" in _text(title))
        await wait_for(pilot, lambda: "as of 2026-11-23 11:05" in app.sub_title)


async def test_a_pinned_clock_stays(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=ROOMY) as pilot:
        await pilot.pause(0.2)
        assert "as of 2026-11-23 09:00 (pinned)" in app.sub_title
