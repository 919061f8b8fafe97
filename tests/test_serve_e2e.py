"""`standup serve` end to end: a real server, real app processes, real headless Chromium.

The browser runs textual-serve's xterm.js front end; the terminal's text is read from
xterm's own buffer (an init script keeps a reference to the Terminal object when the
page creates it, since the page does not expose it). Two viewers at once must both get
the app (read-only processes share the DuckDB file), and a write must be refused.

Debian's chromium is required (`.ci/run` installs it); under CI a missing browser fails
the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from standup.store import Store

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs before the page's scripts: the first object that gets a `.terminal` holding an
# xterm Terminal (textual-serve's front end does `this.terminal = new Terminal(...)`)
# leaves it on window, so the test can read the terminal buffer.
KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    if (value && value.buffer && !window.__standupTerm) { window.__standupTerm = value; }
    Object.defineProperty(this, 'terminal',
      {value, writable: true, configurable: true, enumerable: true});
  },
});
"""

READ_SCREEN = """() => {
  const term = window.__standupTerm;
  if (!term) return '';
  const buffer = term.buffer.active, lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : '');
  }
  return lines.join('\\n');
}"""


def _browser_or_skip() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run must install Debian's chromium")
    pytest.skip("needs Debian's chromium (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _count(path: Path, table: str) -> int:
    sql = f"select count(*) from {table}"  # test-only: table names are literals above
    return int(Store.open(path).fetch_with(lambda conn: conn.execute(sql).fetchone()[0]))


@pytest.fixture
def served(tmp_path: Path, demo_template: Path) -> Iterator[tuple[str, Path, str]]:
    """A running `standup serve` on a copy of the demo file: (url, db, startup line)."""
    _browser_or_skip()
    db = tmp_path / "served.duckdb"
    db.write_bytes(demo_template.read_bytes())
    port = _free_port()
    env = {**os.environ, "STANDUP_AS_OF": "2026-11-23T09:00"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "standup.cli", "serve", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        start_new_session=True,  # its own group: teardown ends the server and its apps
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(f"server did not come up: {line}") from None
                time.sleep(0.1)
        yield url, db, line
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _wait_for_text(
    page: Any, text: str, timeout_ms: int = 30_000, read_screen: str = READ_SCREEN
) -> str:
    """The page's terminal text once it shows ``text`` (``read_screen``: JS that reads it)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"() => ({read_screen})().includes({text!r})", timeout=timeout_ms, polling=100
        )
    except PlaywrightTimeout:
        shown = page.evaluate(read_screen)
        raise AssertionError(f"{text!r} never showed; the screen:\n{shown}") from None
    screen: str = page.evaluate(read_screen)
    return screen


def test_served_app_renders_in_chromium_and_refuses_writes(
    served: tuple[str, Path, str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    url, db, line = served
    assert line.startswith(f"standup serve: {db} at {url} for this machine only; read-only")
    before, events = _count(db, "standups"), _count(db, "dispute_events")
    with sync_playwright() as pw:
        # A fresh profile directory per run (Playwright passes it as --user-data-dir).
        browser = pw.chromium.launch_persistent_context(
            tmp_path / "chromium",
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        try:
            viewers = []
            for _ in range(2):  # two browsers at once: two read-only app processes
                page = browser.new_page()
                page.add_init_script(KEEP_TERMINAL)
                page.goto(url)
                viewers.append(page)
            for page in viewers:
                # The dashboard with its live panels, in each viewer's own app process.
                screen = _wait_for_text(page, "Shared goal: revenue won this quarter")
                assert "served.duckdb · as of 2026-11-23 09:00 (pinned) · READ-ONLY" in screen
                assert "Pipeline" in screen and "Open disputes" in screen
            page = viewers[0]
            page.click("#terminal")
            page.keyboard.press("t")  # triage: deciding a dispute is refused
            _wait_for_text(page, "Claims")
            page.keyboard.press("a")
            _wait_for_text(page, "Accept: refused")
            page.keyboard.press("g")  # the agenda: its meeting record is a write too
            screen = _wait_for_text(page, "Recording the meeting: refused")
            assert "AGENDA 1/4 Numbers" in screen  # the timer itself still runs
            # The other viewer is unaffected and still live; its SQL prompt can neither
            # write nor reach the server's files.
            other = viewers[1]
            other.click("#terminal")
            other.keyboard.press("p")
            _wait_for_text(other, "NEW MQLS SINCE LAST STANDUP")
            other.keyboard.press("s")
            _wait_for_text(other, "runs the statement under the cursor")
            other.keyboard.type("select * from read_csv('/etc/passwd')")
            _wait_for_text(other, "read_csv('/etc/passwd')")
            other.keyboard.press("Control+j")
            _wait_for_text(other, "file system operations are disabled")
            other.keyboard.press("End")
            other.keyboard.type(";")
            other.keyboard.press("Enter")
            other.keyboard.type("delete from leads")
            _wait_for_text(other, "2  delete from leads")
            other.keyboard.press("Control+j")
            _wait_for_text(other, "DELETE refused")
        finally:
            browser.close()
    assert _count(db, "standups") == before and _count(db, "meetings") == 0
    assert _count(db, "dispute_events") == events
