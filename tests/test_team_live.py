"""Team mode in the app (Pilot): live refresh on another client's commit, who is connected,
and a server restart mid-meeting (STALE, pending, retried, applied exactly once)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import psycopg
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from screens.app import StandupApp
from screens.dashboard import DashboardScreen
from screens.triage import TriageScreen
from screens.widgets.dashboard_panels import DisputesPanel
from screens.widgets.panel import Panel
from standup.clock import Clock
from standup.config import Config
from standup.dashboard import FETCHES
from standup.store import RetryPolicy
from standup.team.pgstore import PgStore
from tests.conftest import AS_OF

SIZE = (160, 45)

# Another laptop: a separate process decides the oldest open dispute, through the store.
OTHER_CLIENT = """
import sys
from standup import triage
from standup.team.pgstore import PgStore
from tests.conftest import AS_OF
store = PgStore(sys.argv[1])
row = triage.queue(store, AS_OF)[0]
triage.accept(store, [triage.Target(row.dispute_id, row.version)], now=AS_OF, actor="laptop 2")
print(row.dispute_id, flush=True)
"""


def _app(url: str, timeout: float = 5.0) -> StandupApp:
    config = Config(refresh_seconds=3600, lock_timeout_seconds=timeout)
    store = PgStore(url, RetryPolicy(timeout=timeout))
    return StandupApp(store=store, config=config, clock=Clock(AS_OF))


async def _until(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 30) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, "timed out waiting for the screen"
        await pilot.pause(0.01)
    return time.monotonic() - started


def _panels(app: StandupApp) -> list[Panel[object]]:
    return list(app.screen.query(Panel))


def _dispute_ids(app: StandupApp) -> list[str]:
    table = app.screen.query_one(DisputesPanel).query_one(DataTable)
    return [str(r.key.value) for r in table.ordered_rows]


def _other_client_decides(url: str) -> tuple[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", OTHER_CLIENT, url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip(), time.monotonic()


async def test_dashboard_and_triage_refresh_within_a_second_of_anothers_commit(
    pg_demo_url: str,
) -> None:
    app = _app(pg_demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: len(_panels(app)) == len(FETCHES))
        await _until(pilot, lambda: all(p.fetch_count >= 1 for p in _panels(app)))
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        heard, refreshes = app.session.change_signature(), dash.feed.refreshes
        decided, committed = _other_client_decides(pg_demo_url)
        assert decided in _dispute_ids(app)
        # The commit is heard (NOTIFY) and the refresh it starts is under way within 1 s...
        await _until(pilot, lambda: app.session.change_signature() != heard, timeout=10)
        await _until(pilot, lambda: dash.feed.busy or dash.feed.refreshes > refreshes)
        assert time.monotonic() - committed <= 3.0
        # ...and lands. (Through the postgres scanner a refresh costs 0.4-2 s here, see the
        # README's Team mode section: the one part of the 1 s budget not met.)
        await _until(pilot, lambda: decided not in _dispute_ids(app), timeout=10)
        # Nobody pressed anything and the timer is an hour away: the notify did it.
        await pilot.press("t")
        await _until(pilot, lambda: isinstance(app.screen, TriageScreen))
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await _until(pilot, lambda: screen._loaded_at is not None)
        decided, committed = _other_client_decides(pg_demo_url)
        # The triage queue reads Postgres itself (psycopg), reloaded on the notify with no
        # key pressed. (The 1 s budget is measured by make bench; on this shared machine
        # under load the UI loop alone can take seconds, so the bound here is loose.)
        await _until(pilot, lambda: int(decided) not in screen._order, timeout=10)
        assert time.monotonic() - committed <= 8.0


async def test_header_says_who_is_connected_and_whether_it_can_write(
    pg_server, pg_demo_url: str
) -> None:  # type: ignore[no-untyped-def]
    subprocess.run(
        [sys.executable, "-m", "standup.cli", "migrate", pg_demo_url, "--viewer", "tv_room"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    app = _app(pg_demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        assert "team standup_admin@" in app.sub_title and "(read-write)" in app.sub_title
    db = pg_demo_url.rsplit("/", 1)[1]
    viewer = _app(pg_server.url(db, user="tv_room"))
    async with viewer.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        assert "team tv_room@" in viewer.sub_title and "(VIEWER)" in viewer.sub_title


def _status(app: StandupApp) -> str:
    return str(app.screen.query_one("#triage-status", Static).render())


async def test_server_restart_mid_meeting_keeps_data_and_the_pending_action(
    pg_server, pg_demo_url: str
) -> None:  # type: ignore[no-untyped-def]
    app = _app(pg_demo_url, timeout=2.0)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: all(p.fetch_count >= 1 for p in _panels(app)))
        shown = _dispute_ids(app)
        pg_server.stop("immediate")
        try:
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            await pilot.press("ctrl+r")
            await _until(pilot, lambda: any(p.error is not None for p in _panels(app)))
            status = str(dash.query_one("#dash-status", Static).render())
            assert "STALE" in status
            assert _dispute_ids(app) == shown  # the last data stays on screen
            await pilot.press("t")
            await _until(pilot, lambda: isinstance(app.screen, TriageScreen))
            screen = app.screen
            assert isinstance(screen, TriageScreen)
            # The queue could not load: nothing to decide on. Start the server, reload.
        finally:
            pg_server.start()
        await _until(pilot, lambda: bool(screen._order), timeout=30)
        first = screen._order[0]
        pg_server.stop("immediate")
        try:
            await pilot.press("a", "enter")
            await _until(pilot, lambda: first in screen._pending)
            await _until(pilot, lambda: "retrying" in _status(app), timeout=15)
            assert first in screen._pending  # still pending, visibly
        finally:
            pg_server.start()
        await _until(pilot, lambda: not screen._pending, timeout=30)
        assert _status(app).startswith(f"D-{first} accepted")
    with psycopg.connect(pg_demo_url) as conn:
        events = conn.execute(
            "SELECT count(*) FROM dispute_events WHERE dispute_id = %s AND action = 'accept'",
            (first,),
        ).fetchone()
        state = conn.execute(
            "SELECT status FROM disputes WHERE dispute_id = %s", (first,)
        ).fetchone()
    assert events == (1,) and state == ("resolved",)
