"""What a refresh costs the UI thread: no layout for lines whose height is unchanged,
one ``PanelsRefreshed`` per refresh, and the long-lived heap frozen out of the collector."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from screens.dashboard import DashboardScreen
from screens.messages import PanelsRefreshed
from screens.widgets.in_place import update_in_place
from standup.store import Store
from tests.test_dashboard_snapshots import all_loaded, frozen_app


def count_layouts(screen: Any) -> list[int]:
    """Count the screen's layout passes from now on (the list holds one number)."""
    layouts = [0]
    original = screen._refresh_layout

    def counted(*args: Any, **kwargs: Any) -> Any:
        layouts[0] += 1
        return original(*args, **kwargs)

    screen._refresh_layout = counted
    return layouts


class Lines(App[None]):
    CSS = "#auto { height: auto; } #fixed { height: 1; }"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("one line", id="auto")
            yield Static("status", id="fixed")


async def test_a_line_lays_the_screen_out_only_when_its_height_changes() -> None:
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        auto, fixed = app.query_one("#auto", Static), app.query_one("#fixed", Static)
        await pilot.pause()
        layouts = count_layouts(app.screen)
        update_in_place(auto, "another line")
        update_in_place(fixed, "a new status")
        await pilot.pause()
        assert layouts[0] == 0
        assert "another line" in str(auto.render()) and "a new status" in str(fixed.render())

        update_in_place(auto, "first\nsecond\nthird")
        await pilot.pause()
        assert layouts[0] >= 1 and auto.size.height == 3
        assert fixed.region.y == 3  # moved down under the taller line

        update_in_place(auto, "back to one")
        await pilot.pause()
        assert auto.size.height == 1 and fixed.region.y == 1


async def test_a_refresh_of_unchanged_data_lays_nothing_out(demo_store: Store) -> None:
    app = frozen_app(demo_store)
    seen: list[PanelsRefreshed] = []
    async with app.run_test(size=(160, 45), message_hook=_keep(seen)) as pilot:
        await all_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.pause(0.2)
        before, refreshed = screen.feed.refreshes, len(seen)
        layouts = count_layouts(screen)
        screen.refresh_panels()
        while screen.feed.refreshes == before:
            await pilot.pause(0.01)
        await pilot.pause(0.1)
        assert layouts[0] == 0
        assert len(seen) == refreshed + 1 and seen[-1].failed == ()


def _keep(seen: list[PanelsRefreshed]) -> Any:
    def hook(message: Any) -> None:
        # a message is seen at each node it bubbles through: count it once
        if isinstance(message, PanelsRefreshed) and all(m is not message for m in seen):
            seen.append(message)

    return hook


@pytest.fixture
def unfrozen() -> Any:
    gc.unfreeze()
    yield
    gc.unfreeze()


async def test_the_heap_is_frozen_once_the_first_refresh_is_drawn(
    demo_store: Store, unfrozen: None
) -> None:
    assert gc.get_freeze_count() == 0
    app = frozen_app(demo_store)
    async with app.run_test(size=(160, 45)) as pilot:
        await all_loaded(pilot)
        await pilot.pause(0.1)
        assert gc.get_freeze_count() > 0
