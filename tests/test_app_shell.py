"""The app shell: modes by key, help, quit — driven with Pilot on a real demo file."""

from __future__ import annotations

from screens.app import StandupApp
from screens.help import HelpScreen
from standup.clock import Clock
from standup.store import Store


async def test_keys_switch_screens_and_help_lists_keys(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(store=demo_store, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.current_mode == "dashboard"
        assert "demo.duckdb" in app.sub_title and "2026-11-23 09:00" in app.sub_title
        await pilot.press("t")
        assert app.current_mode == "triage"
        await pilot.press("s")
        assert app.current_mode == "sql"
        # The SQL prompt opens in its editor, where letters are text; escape closes the
        # completion that "d" opened, escape again leaves the editor.
        await pilot.press("d")
        assert app.current_mode == "sql"
        await pilot.press("escape", "escape", "d")
        assert app.current_mode == "dashboard"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
    assert app.return_code == 0
