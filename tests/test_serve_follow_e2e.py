"""`standup serve --follow` end to end: the driver's terminal is a pty this test types on,
the followers are real headless Chromium tabs on the share link.

The followers' screens are read from the page's own xterm.js Terminal (the page keeps it
on ``window.standupFollow``). Expected results come from the database itself, before and
after, not from the app's output.
"""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from standup.store import Store
from tests.follow_driver import Driver, alive
from tests.test_serve_e2e import CHROMIUM, CHROMIUM_ARGS, _browser_or_skip, _free_port
from tests.test_serve_e2e import _wait_for_text as wait_for_page_text

pytestmark = pytest.mark.slow

AS_OF_ENV = {"STANDUP_AS_OF": "2026-11-23T09:00"}

READ_SCREEN = """() => {
  const term = window.standupFollow && window.standupFollow.term;
  if (!term) return '';
  const buffer = term.buffer.active, lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : '');
  }
  return lines.join('\\n');
}"""


def _state(db: Path) -> tuple[Any, ...]:
    """Everything triage or a meeting could change, as plain rows."""

    def read(conn: Any) -> tuple[Any, ...]:
        return (
            conn.execute(
                "select dispute_id, status, outcome, fault, version from disputes order by 1"
            ).fetchall(),
            conn.execute(
                "select event_id, dispute_id, action, outcome, fault from dispute_events order by 1"
            ).fetchall(),
            conn.execute("select lead_id, stage, owner_id from leads order by 1").fetchall(),
            conn.execute("select count(*) from stage_history").fetchone(),
            conn.execute("select count(*) from meetings").fetchone(),
        )

    return Store.open(db).fetch_with(read)  # type: ignore[no-any-return]


def _wait_for_text(page: Any, text: str, timeout_ms: int = 30_000) -> str:
    """A follower's screen once it shows ``text``."""
    return wait_for_page_text(page, text, timeout_ms, read_screen=READ_SCREEN)


@pytest.fixture
def driver(tmp_path: Path, demo_template: Path) -> Iterator[tuple[Driver, Path, int]]:
    """`standup serve --follow` on a copy of the demo file, driven from a pty."""
    _browser_or_skip()
    db = tmp_path / "follow.duckdb"
    db.write_bytes(demo_template.read_bytes())
    port = _free_port()
    drv = Driver(db, port, cols=140, rows=40, env=AS_OF_ENV)
    try:
        yield drv, db, port
    finally:
        drv.close()


def test_followers_watch_the_driver_read_only(
    driver: tuple[Driver, Path, int], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    drv, db, port = driver
    link = drv.share_link()
    base = f"http://127.0.0.1:{port}"
    assert link.startswith(f"{base}/follow/") and len(link.rsplit("/", 1)[1]) >= 20
    line = drv.first_line()
    assert line.startswith(f"standup serve --follow: the driver's screen of {db}, view-only")
    assert "this machine" in line and "share link" in line
    drv.wait_for("Shared goal: revenue won this quarter")
    before = _state(db)
    disputes_before = {row[0]: row for row in before[0]}

    # No token, a wrong token: no page, no stream.
    for path in ("/", "/follow/", "/follow/not-the-token", "/follow/not-the-token/ws"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + path, timeout=5)
        assert refused.value.code in (403, 404), path
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/follow/not-the-token", timeout=5)
    assert refused.value.code == 403

    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            tmp_path / "chromium",
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1200, "height": 800},
        )
        try:
            outside: list[str] = []  # any request that leaves this server
            browser.on(
                "request",
                lambda req: None if req.url.startswith(base) else outside.append(req.url),
            )
            followers = []
            for _ in range(2):
                page = browser.new_page()
                assert page.goto(link).status == 200  # type: ignore[union-attr]
                followers.append(page)
            for page in followers:
                screen = _wait_for_text(page, "Shared goal: revenue won this quarter")
                assert "follow.duckdb · as of 2026-11-23 09:00 (pinned)" in screen
            # The driver sees who is watching (and so does everyone: it is the same screen).
            drv.wait_for("👁 2 following")
            _wait_for_text(followers[0], "👁 2 following")
            # Followers' views have the driver's size, not their window's.
            size = followers[0].evaluate("[standupFollow.term.cols, standupFollow.term.rows]")
            assert size == [140, 40]

            # A follower without the token gets nothing: a 403, no terminal, no socket.
            stranger = browser.new_page()
            response = stranger.goto(f"{base}/follow/guess")
            assert response is not None and response.status == 403
            assert stranger.evaluate("typeof window.standupFollow") == "undefined"

            # A follower's keys go nowhere: not to the app, not to the database.
            page = followers[1]
            page.click("#terminal")
            for key in ("t", "a", "Enter", "g", "q"):
                page.keyboard.press(key)
            time.sleep(2.0)
            assert "Shared goal" in drv.text() and "Claims" not in drv.text()
            assert drv.proc.poll() is None
            assert _state(db) == before

            # The driver triages: both followers see the triage screen and the decision.
            drv.press("t")
            drv.wait_for("Claims")
            for page in followers:
                _wait_for_text(page, "Claims")
            drv.press("a")
            drv.wait_for("whose fault?")
            for page in followers:
                _wait_for_text(page, "whose fault?")
            drv.press("\r")
            after = _state(db)
            deadline = time.monotonic() + 20
            while after == before and time.monotonic() < deadline:
                time.sleep(0.2)
                after = _state(db)
            decided = [
                row for row in after[0]
                if row != disputes_before.get(row[0]) and row[2] == "accept"
            ]  # fmt: skip
            assert len(decided) == 1, after[0]
            assert len(after[1]) == len(before[1]) + 1 and after[1][-1][2:4] == ("accept", "accept")
            dispute_id = decided[0][0]
            assert after[1][-1][1] == dispute_id
            for page in followers:
                screen = _wait_for_text(page, f"D-{dispute_id} accepted → sal")
                assert "Claims" in screen

            # A late follower gets the current screen at once (the server's snapshot).
            late = browser.new_page()
            late.goto(link)
            screen = _wait_for_text(late, f"D-{dispute_id} accepted → sal", timeout_ms=10_000)
            assert "Claims" in screen and "Timeline" in screen
            # The driver's window changes size: followers follow, and see the redrawn app.
            drv.resize(120, 36)
            for page in (*followers, late):
                page.wait_for_function(
                    "() => standupFollow.term.cols === 120 && standupFollow.term.rows === 36",
                    timeout=10_000,
                )
            drv.press("d")
            for page in (*followers, late):
                screen = _wait_for_text(page, "Shared goal")
                assert all(len(line) <= 120 for line in screen.splitlines())
            assert not outside, f"the page fetched from elsewhere: {outside}"
        finally:
            browser.close()
    app = drv.app_pids()
    assert len(app) == 1 and alive(app[0])
    assert drv.stop(signal.SIGTERM) == 0
    assert not alive(app[0]), "the app outlived the server"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_stopping_the_server_stops_the_app(
    tmp_path: Path, demo_template: Path, signum: int
) -> None:
    db = tmp_path / "stop.duckdb"
    db.write_bytes(demo_template.read_bytes())
    drv = Driver(db, _free_port(), env=AS_OF_ENV)
    try:
        drv.wait_for("Shared goal")
        app = drv.app_pids()
        assert len(app) == 1 and alive(app[0])
        drv.stop(signum)
        assert not alive(app[0]), "the app outlived the server"
        assert drv.proc.returncode is not None
    finally:
        drv.close()


def test_the_app_quitting_ends_the_server(tmp_path: Path, demo_template: Path) -> None:
    db = tmp_path / "quit.duckdb"
    db.write_bytes(demo_template.read_bytes())
    drv = Driver(db, _free_port(), env=AS_OF_ENV)
    try:
        drv.wait_for("Shared goal")
        link = drv.share_link()
        drv.press("q")
        assert drv.proc.wait(timeout=20) == 0
        assert "standup serve --follow: ended" in drv.output()
        with pytest.raises(OSError):  # nothing listens any more
            urllib.request.urlopen(link, timeout=3)
    finally:
        drv.close()


def test_follow_needs_a_terminal(tmp_path: Path, demo_template: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "notty.duckdb"
    db.write_bytes(demo_template.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "standup.cli", "serve", str(db), "--follow",
         "--port", str(_free_port())],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        env={**os.environ, **AS_OF_ENV},
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "standup: serve --follow needs a terminal: the driver's app runs in it"
    )
