"""``standup serve --follow`` under load: a driver's keystroke -> on every follower.

    python -m tests.bench.bench_follow [DB] [--followers 20] [--keys 40]

The driver is a pty this process types on; the followers are websocket clients of the
share link (what the page's xterm.js is sent; it paints the next frame, ~16 ms, after the
bytes arrive). The driver types a random word into the SQL prompt, one key at a time;
each key's echo (the last few letters, which occur nowhere before) is looked for in the
driver's terminal and in every follower's stream. Reported:

- key -> driver's terminal (the app's own reaction), p50 / p95;
- key -> followers (every follower, every key), p50 / p95, and the fan-out's share
  (follower arrival - driver arrival);
- CPU per follower: the server's CPU time with N followers minus with none, over the
  same keys, divided by N (the app's own process is not counted; the server's copy of
  the screen, pyte, costs the same with or without followers).

``--browsers K``: K of the followers are real headless Chromium tabs on the follow page
(Debian's chromium); for them "visible" is the first animation frame after xterm.js parsed
the echo (the page's clock and this process's are the same machine's wall clock).

Without DB a small demo file (2k leads) is generated in a temp folder. One JSON line
on stdout; ``--table`` prints a readable summary too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import socket
import string
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.follow_driver import Driver

AS_OF = "2026-11-23T09:00"
SQL_PROMPT = b"runs the statement"  # the SQL prompt's hint line
MARKER = 5  # letters of the typed word that identify one keystroke's echo


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a running process."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Watcher:
    """One follower: its stream's tail, and when the expected echo arrived."""

    tail: bytearray = field(default_factory=bytearray)
    expect: bytes = b""
    seen_at: float | None = None
    ready: bool = False

    def take(self, data: bytes) -> None:
        self.tail += data
        del self.tail[:-65536]
        self.ready = True  # the snapshot came
        if self.expect and self.seen_at is None and self.expect in self.tail:
            self.seen_at = time.perf_counter()


async def _follow(session: Any, url: str, watcher: Watcher) -> None:
    async with session.ws_connect(url, max_msg_size=0) as ws:
        async for message in ws:
            if isinstance(message.data, bytes):
                watcher.take(message.data)


# In a follower tab: when xterm.js has parsed a write showing the expected text, note the
# wall-clock time of the next animation frame (when that text is painted).
WATCH_PAGE = """() => {
  const term = window.standupFollow.term;
  window.benchExpect = ''; window.benchSeen = null;
  term.onWriteParsed(() => {
    if (!window.benchExpect) return;
    const buffer = term.buffer.active;
    for (let y = 0; y < term.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      if (line && line.translateToString(true).includes(window.benchExpect)) {
        window.benchExpect = '';
        requestAnimationFrame(() => {
          window.benchSeen = performance.timeOrigin + performance.now();
        });
        return;
      }
    }
  });
}"""


async def _open_tabs(pw: Any, link: str, count: int) -> tuple[Any, list[Any]]:
    from tests.test_serve_e2e import CHROMIUM, CHROMIUM_ARGS

    browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                       headless=True)  # fmt: skip
    pages = []
    for _ in range(count):
        page = await browser.new_page(viewport={"width": 1200, "height": 800})
        await page.goto(link)
        await page.wait_for_function("() => window.standupFollow && standupFollow.term "
                                     "&& standupFollow.cols > 0", timeout=30_000)  # fmt: skip
        await page.evaluate(WATCH_PAGE)
        pages.append(page)
    return browser, pages


def _wait_raw(driver: Driver, needle: bytes, start: int, timeout: float) -> int:
    """Offset just past ``needle`` in the driver's output from ``start`` on."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with driver.lock:
            found = driver.raw.find(needle, start)
        if found >= 0:
            return found + len(needle)
        time.sleep(0.001)
    raise TimeoutError(f"{needle!r} never reached the driver's terminal")


async def run_session(
    db: Path, followers: int, keys: int, seed: int, browsers: int = 0
) -> dict[str, Any]:
    """One server, ``followers`` followers (``browsers`` of them Chromium tabs), ``keys``
    keystrokes; the raw timings."""
    import aiohttp
    from playwright.async_api import async_playwright

    browsers = min(browsers, followers)
    in_tabs: list[float] = []

    word = "".join(random.Random(seed).choice(string.ascii_lowercase) for _ in range(keys))
    driver = Driver(db, _free_port(), cols=140, rows=40, env={"STANDUP_AS_OF": AS_OF},
                    emulate=False)  # fmt: skip
    try:
        link = driver.share_link()
        _wait_raw(driver, b"Shared goal", 0, 60)
        watchers = [Watcher() for _ in range(followers - browsers)]
        async with contextlib.AsyncExitStack() as stack:
            session = await stack.enter_async_context(aiohttp.ClientSession())
            # Playwright's own driver process only when there are tabs to drive.
            pw = await stack.enter_async_context(async_playwright()) if browsers else None
            tasks = [asyncio.create_task(_follow(session, f"{link}/ws", w)) for w in watchers]
            with driver.lock:
                start = len(driver.raw)
            driver.press("s")
            _wait_raw(driver, SQL_PROMPT, start, 30)
            deadline = time.monotonic() + 30
            while not all(w.ready for w in watchers):
                if time.monotonic() > deadline:
                    broken = [t.exception() for t in tasks if t.done()]
                    raise TimeoutError(f"followers never got the screen: {broken[:1]}")
                await asyncio.sleep(0.01)
            browser, tabs = await _open_tabs(pw, link, browsers) if browsers else (None, [])
            await asyncio.sleep(1.0)  # let the prompt settle
            cpu_before = _cpu_seconds(driver.proc.pid)
            to_driver: list[float] = []
            to_followers: list[float] = []
            fan_out: list[float] = []
            for index, char in enumerate(word):
                typed = word[: index + 1]
                marker = typed[-MARKER:].encode()
                with driver.lock:
                    start = len(driver.raw)
                for watcher in watchers:
                    watcher.expect, watcher.seen_at = marker, None
                for tab in tabs:
                    await tab.evaluate(
                        "(m) => { window.benchSeen = null; window.benchExpect = m; }", typed
                    )
                pressed_wall = time.time() * 1000
                pressed = time.perf_counter()
                driver.press(char)
                end = await asyncio.to_thread(_wait_raw, driver, marker, start, 10)
                shown = driver.arrived_by(end) or time.perf_counter()
                deadline = time.monotonic() + 10
                while any(w.seen_at is None for w in watchers):
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"key {index}: not every follower got {marker!r}")
                    await asyncio.sleep(0.001)
                painted = []
                for tab in tabs:
                    seen = None
                    while seen is None:
                        if time.monotonic() > deadline:
                            raise TimeoutError(f"key {index}: a tab never showed {typed!r}")
                        seen = await tab.evaluate("() => window.benchSeen")
                        if seen is None:
                            await asyncio.sleep(0.002)
                    painted.append((float(seen) - pressed_wall) / 1000)
                if len(typed) >= MARKER:  # shorter prefixes may occur elsewhere on screen
                    in_tabs.extend(painted)
                    to_followers.extend(painted)  # a tab is a follower too
                    to_driver.append(shown - pressed)
                    for watcher in watchers:
                        assert watcher.seen_at is not None
                        to_followers.append(watcher.seen_at - pressed)
                        fan_out.append(watcher.seen_at - shown)
                await asyncio.sleep(0.05)  # a fast typist, not a flood
            cpu = _cpu_seconds(driver.proc.pid) - cpu_before
            if browser is not None:
                await browser.close()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        driver.stop()
    return {"to_driver": to_driver, "to_followers": to_followers, "fan_out": fan_out,
            "server_cpu": cpu, "in_tabs": in_tabs}  # fmt: skip


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def measure(
    db: Path, followers: int = 20, keys: int = 40, seed: int = 7, browsers: int = 0
) -> dict[str, Any]:
    """The benchmark's numbers (milliseconds; CPU in ms per follower per keystroke too).

    The CPU baseline (no followers) has no browser either; with ``browsers`` the tabs'
    own CPU is Chromium's, not the server's, so the per-follower figure stays the
    server's cost."""
    alone = asyncio.run(run_session(db, 0, keys, seed))
    watched = asyncio.run(run_session(db, followers, keys, seed + 1, browsers))
    counted = max(len(watched["to_driver"]), 1)
    extra_cpu = max(watched["server_cpu"] - alone["server_cpu"], 0.0)
    ms = 1000.0
    return {
        "followers": followers,
        "keys": counted,
        "driver_p50_ms": _pct(watched["to_driver"], 0.5) * ms,
        "driver_p95_ms": _pct(watched["to_driver"], 0.95) * ms,
        "follower_p50_ms": _pct(watched["to_followers"], 0.5) * ms,
        "follower_p95_ms": _pct(watched["to_followers"], 0.95) * ms,
        "fan_out_p95_ms": _pct(watched["fan_out"], 0.95) * ms,  # websocket followers
        "alone_driver_p95_ms": _pct(alone["to_driver"], 0.95) * ms,
        "browsers": browsers,
        "tab_p50_ms": _pct(watched["in_tabs"], 0.5) * ms if browsers else None,
        "tab_p95_ms": _pct(watched["in_tabs"], 0.95) * ms if browsers else None,
        "server_cpu_alone_ms": alone["server_cpu"] * ms,
        "server_cpu_watched_ms": watched["server_cpu"] * ms,
        "cpu_per_follower_ms": extra_cpu / max(followers, 1) * ms,
        "cpu_per_follower_per_key_ms": extra_cpu / max(followers, 1) / counted * ms,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_follow")
    parser.add_argument("db", nargs="?", type=Path, help="default: a fresh 2k-lead demo")
    parser.add_argument("--followers", type=int, default=20)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--browsers", type=int, default=0,
                        help="how many of the followers are headless Chromium tabs")  # fmt: skip
    parser.add_argument("--table", action="store_true", help="also print a summary")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from standup.demo import generate

            db = Path(tmp) / "follow.duckdb"
            generate(db, now=datetime.fromisoformat(AS_OF), leads=2000, seed=7)
        result = measure(db, args.followers, args.keys, browsers=args.browsers)
    if args.table:
        r = result
        print(f"{r['followers']} followers, {r['keys']} keys", file=sys.stderr)
        print(f"  key -> driver      p50 {r['driver_p50_ms']:.0f} / p95 "
              f"{r['driver_p95_ms']:.0f} ms", file=sys.stderr)  # fmt: skip
        print(f"  key -> followers   p50 {r['follower_p50_ms']:.0f} / p95 "
              f"{r['follower_p95_ms']:.0f} ms (fan-out p95 {r['fan_out_p95_ms']:.1f} ms)",
              file=sys.stderr)  # fmt: skip
        if r["browsers"]:
            tabs = f"p50 {r['tab_p50_ms']:.0f} / p95 {r['tab_p95_ms']:.0f} ms"
            print(f"  key -> painted in {r['browsers']} Chromium tabs  {tabs}", file=sys.stderr)
        print(f"  CPU per follower   {r['cpu_per_follower_ms']:.1f} ms over the run "
              f"({r['cpu_per_follower_per_key_ms']:.2f} ms per key)", file=sys.stderr)  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
