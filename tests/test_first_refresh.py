"""The dashboard's first refresh, started by ``standup open`` before the app is imported
(issue 3), and its hand-over to the dashboard's feed."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import datetime
from typing import Any

from screens.app import StandupApp
from screens.dashboard import DashboardScreen
from screens.widgets.panel import Panel
from screens.widgets.panel_feed import take_first_refresh
from standup.clock import Clock
from standup.config import Config
from standup.dashboard import FETCHES, FirstRefresh
from standup.errors import DatabaseLocked
from standup.store import Connection, RetryPolicy, Store
from tests.conftest import AS_OF
from tests.test_panel_feed import HOLD, Leads


def test_first_refresh_has_what_each_panel_fetches(demo_store: Store) -> None:
    config = Config()
    first = FirstRefresh(demo_store, AS_OF, config)
    results = first.result(timeout=60)
    assert first.done and list(results) == list(FETCHES)
    with demo_store.reading() as conn:
        for key, fetch in FETCHES.items():
            data, error = results[key]
            assert error is None, f"{key}: {error}"
            assert data == fetch(conn, AS_OF, config, None), key


def test_a_locked_file_fails_every_fetch(demo_store: Store) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(demo_store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        store = Store(demo_store.path, RetryPolicy(timeout=0.1, first_delay=0.01, max_delay=0.02))
        results = FirstRefresh(store, AS_OF, Config()).result(timeout=30)
        assert set(results) == set(FETCHES)
        assert all(
            data is None and isinstance(err, DatabaseLocked) for data, err in results.values()
        )
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)


class Keyed(Panel[int]):
    """A panel whose fetch the first refresh covers (and whose own fetch says 0)."""

    FETCH_KEY = "answer"

    def fetch_on(self, conn: Connection, now: datetime) -> int:
        return 0


def _answer(conn: Connection, now: datetime, config: Config, standup_id: int | None) -> Any:
    return 42


def test_feed_takes_covered_panels_from_it_and_fetches_the_rest(demo_store: Store) -> None:
    first = FirstRefresh(demo_store, AS_OF, Config(), {"answer": _answer})
    keyed, unkeyed = Keyed(), Leads()
    results = take_first_refresh(first, [keyed, unkeyed])
    assert [(panel, data, error) for panel, data, error in results] == [
        (keyed, 42, None),
        (unkeyed, 2000, None),  # Leads counts the leads on a connection of its own
    ]


async def test_dashboard_shows_the_first_refresh_then_queries_afresh(demo_store: Store) -> None:
    config = Config(refresh_seconds=3600.0)
    first = FirstRefresh(demo_store, AS_OF, config)
    early = first.result(timeout=60)
    app = StandupApp(store=demo_store, config=config, clock=Clock(AS_OF), first_refresh=first)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        # It was done before the app started: shown as the dashboard mounted, with no
        # worker, so the very first frame has the data.
        assert screen.feed.refreshes == 1 and not screen.feed.busy
        deadline = time.monotonic() + 30
        fed = screen.feed.panels
        assert sorted(p.FETCH_KEY or "" for p in fed) == sorted(FETCHES)
        # The very objects fetched before the app existed are what the panels show.
        assert all(p.data is early[p.FETCH_KEY or ""][0] and p.error is None for p in fed)
        assert app.session.first_refresh is None  # handed over once
        await pilot.press("ctrl+r")
        while screen.feed.refreshes < 2:
            assert time.monotonic() < deadline, "second refresh never delivered"
            await pilot.pause(0.02)
        # A later refresh queries again: same answers, new objects.
        for p in fed:
            assert p.data is not early[p.FETCH_KEY or ""][0]
            assert p.data == early[p.FETCH_KEY or ""][0]


async def test_dashboard_waits_in_a_worker_for_a_first_refresh_still_running(
    demo_store: Store,
) -> None:
    """Not done when the dashboard mounts: the empty panels paint, a worker waits for it
    (the UI thread never blocks on it), and the panels then show its results."""
    release = threading.Event()

    def held(fetch: Any) -> Any:
        def run(conn: Connection, now: datetime, config: Config, standup_id: int | None) -> Any:
            release.wait(30)
            return fetch(conn, now, config, standup_id)

        return run

    config = Config(refresh_seconds=3600.0)
    first = FirstRefresh(demo_store, AS_OF, config, {k: held(f) for k, f in FETCHES.items()})
    app = StandupApp(store=demo_store, config=config, clock=Clock(AS_OF), first_refresh=first)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.pause(0.2)
        assert not first.done and screen.feed.busy and screen.feed.refreshes == 0
        assert all(p.data is None for p in screen.feed.panels)
        release.set()
        deadline = time.monotonic() + 30
        while screen.feed.refreshes < 1:
            assert time.monotonic() < deadline, "first refresh never delivered"
            await pilot.pause(0.02)
        early = first.result()
        assert all(p.data is early[p.FETCH_KEY or ""][0] for p in screen.feed.panels)
