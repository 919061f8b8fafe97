"""The app shell: modes by key, help, quit — driven with Pilot on a real demo file."""

from __future__ import annotations

from textual.widgets import DataTable

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


# The key map of DESIGN.md and the README, per screen, as the help shows the keys.
EXPECTED_KEYS = {
    "d": {"^r", "j", "k", "⏎", "f", "tab", "d", "t", "s", "p", "?", "q", "g", "]", "[", "m"},
    "t": {"a", "x", "r", "o", "e", "n", "u", "space", "/", "j", "k", "^r", "d", "s", "?"},
    "s": {"^j", "f5", "^c", "^r", "^o", "^s", "^g", "esc", "d", "t", "?"},
}


async def test_help_lists_every_key_of_the_key_map(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(store=demo_store, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        for mode, expected in EXPECTED_KEYS.items():
            await pilot.press(mode)
            await pilot.pause(0.3)
            if mode == "s":
                await pilot.press("escape", "escape")  # out of the editor: keys are keys
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            table = app.screen.query_one("#help-keys", DataTable)
            shown = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
            assert expected <= shown, f"{mode}: missing {sorted(expected - shown)}"
            await pilot.press("escape")
