"""Snapshot tests of the dashboard on the seeded small demo, as of a frozen time."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from textual.pilot import Pilot

from screens.app import StandupApp
from screens.widgets.panel import Panel
from standup.clock import Clock
from standup.config import Config
from standup.dashboard import FETCHES
from standup.store import Store
from tests.conftest import AS_OF


def frozen_app(store: Store) -> StandupApp:
    """The app as of AS_OF, with a fixed wall clock so "updated HH:MM:SS" never changes."""
    app = StandupApp(store=store, config=Config(refresh_seconds=3600), clock=Clock(AS_OF))
    app.session.wall_clock = lambda: datetime(2026, 11, 23, 9, 0, 5)
    return app


async def all_loaded(pilot: Pilot[Any]) -> None:
    deadline = time.monotonic() + 30
    while True:
        found = list(pilot.app.screen.query(Panel))
        # the five panels and the data-quality line (standup check), all fed
        if len(found) == len(FETCHES) and all(p.fetch_count >= 1 for p in found):
            break
        assert time.monotonic() < deadline, "panels did not load"
        await pilot.pause(0.05)
    await pilot.pause()


def test_dashboard_160x45(snap_compare: Any, demo_store: Store) -> None:
    assert snap_compare(frozen_app(demo_store), terminal_size=(160, 45), run_before=all_loaded)


def test_dashboard_80x24(snap_compare: Any, demo_store: Store) -> None:
    assert snap_compare(frozen_app(demo_store), terminal_size=(80, 24), run_before=all_loaded)


def test_dashboard_80x24_scrolled_to_disputes(snap_compare: Any, demo_store: Store) -> None:
    async def focus_disputes(pilot: Pilot[Any]) -> None:
        await all_loaded(pilot)
        await pilot.press("tab", "tab")  # stalled table, then disputes table
        await pilot.pause()

    assert snap_compare(frozen_app(demo_store), terminal_size=(80, 24), run_before=focus_disputes)
