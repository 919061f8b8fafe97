"""Snapshot of the SQL prompt with a result on screen (frozen as-of, seeded demo data)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from screens.app import StandupApp
from screens.sql_prompt import SqlScreen
from standup.clock import Clock
from standup.config import Config
from standup.store import Store


def test_sql_prompt_with_results(demo_store: Store, clock: Clock, snap_compare: Any) -> None:
    app = StandupApp(demo_store, config=Config(sql_row_limit=25), clock=clock)

    async def run_query(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, SqlScreen)
        screen.engine.timer = lambda: 0.0  # a stable "elapsed" for the picture
        screen.editor.cursor_blink = False
        screen.editor.load(
            "select stage, count(*) as leads, round(avg(score), 1) as avg_score\n"
            "from leads\ngroup by stage\norder by leads desc;\n\nselect * from leads"
        )
        screen.editor.move_cursor((1, 0))
        await pilot.press("ctrl+j")
        while screen.running or screen.result is None:
            await pilot.pause(0.05)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(120, 34), run_before=run_query)
