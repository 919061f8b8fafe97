"""The parts of `standup serve --follow` that need no browser: the server's copy of the
driver's screen, its snapshot for late joiners, the fan-out, the follower count."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pyte
import pytest

from standup.clock import Clock
from standup.follow import follow_command, follow_startup_line, share_url
from standup.follow_hub import BACKLOG_LIMIT, Follower, Hub
from standup.follow_screen import DriverScreen
from standup.followers import (
    FOLLOWERS_ENV,
    SHARE_LINK_ENV,
    read_follower_count,
    write_follower_count,
)
from standup.serve import ServeOptions
from standup.store import Store

# Output as Textual writes it: alternate screen, truecolor and 256-colour SGR, bold /
# italic / reverse / underline, wide characters, box drawing, a cursor move, split UTF-8.
SAMPLE = (
    "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"
    "\x1b[1;38;2;255;180;84;48;2;12;24;31m standup \x1b[0m"
    "\x1b[3;10H\x1b[3;4;38;5;196mitalic red\x1b[0m \x1b[7mreversed\x1b[27m"
    "\x1b[5;1H╭─ Pipeline ─╮ 👁 3 following \x1b[92mbright\x1b[0m 表格 \x1b[9mgone\x1b[0m"
    "\x1b[8;3H€uro"
).encode()


def _cells(screen: pyte.Screen) -> list[list[tuple[object, ...]]]:
    return [
        [tuple(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines)
    ]


@pytest.mark.parametrize("chunk", [1, 3, 7, len(SAMPLE)])
def test_snapshot_repaints_the_same_screen(chunk: int) -> None:
    # What a plain terminal emulator makes of the raw stream is the expectation.
    expected = pyte.Screen(60, 10)
    pyte.ByteStream(expected).feed(SAMPLE)

    driver = DriverScreen(60, 10)
    for start in range(0, len(SAMPLE), chunk):  # any split, even inside a character
        driver.feed(SAMPLE[start : start + chunk])
    # A fresh terminal that was sent only the snapshot shows the same cells.
    follower = pyte.Screen(60, 10)
    pyte.ByteStream(follower).feed(driver.snapshot())
    assert _cells(follower) == _cells(expected)
    assert "👁 3 following" in follower.display[4]
    assert (follower.cursor.x, follower.cursor.y) == (expected.cursor.x, expected.cursor.y)
    assert follower.cursor.hidden == expected.cursor.hidden


def test_snapshot_after_resize_has_the_new_size() -> None:
    driver = DriverScreen(40, 8)
    driver.feed(b"hello")
    driver.resize(50, 12)
    assert driver.size == (50, 12)
    follower = pyte.Screen(50, 12)
    pyte.ByteStream(follower).feed(driver.snapshot())
    assert follower.display[0].startswith("hello")


class _Socket:
    """A websocket stand-in (aiohttp's is the real one in the e2e test): what was sent."""

    def __init__(self) -> None:
        self.sent: list[bytes | str] = []
        self.closed = False

    async def send_bytes(self, data: bytes) -> None:
        self.sent.append(data)

    async def send_str(self, data: str) -> None:
        self.sent.append(data)

    async def close(self) -> bool:
        self.closed = True
        return True


async def test_hub_sends_size_snapshot_then_live_output() -> None:
    counts: list[int] = []
    hub = Hub(30, 5, counts.append)
    hub.output(b"before anyone joined")
    late_socket = _Socket()
    late = Follower(late_socket)
    hub.join(late)
    pump = asyncio.create_task(late.pump())
    hub.output(b"\r\nlive ")
    hub.output(b"bytes")
    await asyncio.sleep(0.05)
    size, *stream = late_socket.sent
    assert json.loads(str(size)) == {"type": "size", "cols": 30, "rows": 5}
    received = b"".join(bytes(part) for part in stream)  # type: ignore[arg-type]
    assert received.endswith(b"\r\nlive bytes")  # the live stream right after the snapshot
    screen = pyte.Screen(30, 5)
    pyte.ByteStream(screen).feed(received)
    assert screen.display[0].startswith("before anyone joined")
    assert screen.display[1].startswith("live bytes")
    hub.resize(40, 6)
    hub.end()
    await asyncio.wait_for(pump, 2)
    assert json.loads(str(late_socket.sent[-2])) == {"type": "size", "cols": 40, "rows": 6}
    assert json.loads(str(late_socket.sent[-1])) == {"type": "ended"}
    assert late_socket.closed
    hub.leave(late)
    assert counts == [1, 0]


async def test_a_follower_far_behind_gets_a_fresh_snapshot() -> None:
    hub = Hub(20, 3, lambda n: None)
    stuck_socket, stuck = _Socket(), None
    stuck = Follower(stuck_socket)
    hub.join(stuck)  # its pump never runs: a connection that stopped reading
    hub.output(b"x" * (BACKLOG_LIMIT + 1))
    hub.output(b"\x1b[Hlatest")
    # Not megabytes of backlog: the size and one snapshot of the screen as it is now.
    assert len(stuck.items) == 2 and stuck.backlog < 10_000
    screen = pyte.Screen(20, 3)
    pyte.ByteStream(screen).feed(bytes(stuck.items[1]))  # type: ignore[arg-type]
    assert screen.display[0].startswith("latest")


def test_follower_count_file(tmp_path: Path) -> None:
    path = tmp_path / "followers"
    assert read_follower_count(path) is None
    write_follower_count(path, 3)
    assert read_follower_count(path) == 3
    path.write_text("garbled")
    assert read_follower_count(path) is None


def test_the_driver_app_has_the_drivers_rights_and_the_line_says_what_is_exposed() -> None:
    local = ServeOptions(db=Path("/data/team.duckdb"), port=8123, follow=True, as_of="2026-11-23")
    argv = follow_command(local, python="py")
    assert argv == ["py", "-m", "standup.cli", "open", "/data/team.duckdb", "--as-of",
                    "2026-11-23"]  # fmt: skip
    assert "--read-only" not in argv and "--served" not in argv
    assert share_url(local, "tok") == "http://127.0.0.1:8123/follow/tok"
    line = follow_startup_line(local)
    assert "/data/team.duckdb" in line and "view-only" in line and "this machine" in line
    wide = ServeOptions(db=Path("t.duckdb"), host="0.0.0.0", follow=True)
    assert "ANYONE who can reach this host" in follow_startup_line(wide)


async def test_the_header_shows_how_many_follow(
    demo_store: Store, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Header

    from screens.app import StandupApp

    count_file = tmp_path / "followers"
    write_follower_count(count_file, 2)
    monkeypatch.setenv(FOLLOWERS_ENV, str(count_file))
    app = StandupApp(store=demo_store, clock=clock)
    async with app.run_test(size=(140, 40)) as pilot:
        assert app.sub_title.endswith(" · 👁 2 following")
        assert app.screen.query_one(Header)
        write_follower_count(count_file, 3)  # a follower joined
        for _ in range(40):
            await pilot.pause(0.05)
            if "👁 3 following" in app.sub_title:
                break
        assert app.sub_title.endswith(" · 👁 3 following")
        await pilot.press("t")  # every screen's header says it
        assert "👁 3 following" in app.sub_title


async def test_the_driver_can_show_the_share_link_again(
    demo_store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Printed before the app took the screen, the link is shown at launch and by the
    # palette, so the driver can paste it in the call's chat mid-meeting.
    from screens.app import StandupApp

    link = "http://127.0.0.1:8000/follow/abc123"
    monkeypatch.setenv(SHARE_LINK_ENV, link)
    app = StandupApp(store=demo_store, clock=clock)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.pause(0.2)
        assert any(link in n.message for n in app._notifications)
        app.clear_notifications()
        await pilot.press("ctrl+p", *"share link")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert any(link in n.message for n in app._notifications)


async def test_no_follower_count_outside_follow_mode(demo_store: Store, clock: Clock) -> None:
    from screens.app import StandupApp

    app = StandupApp(store=demo_store, clock=clock)
    async with app.run_test(size=(140, 40)):
        assert "following" not in app.sub_title
