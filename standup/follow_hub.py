"""Fan-out of the driver's terminal output to the followers' websockets.

The driver's bytes go to every follower as they come (each follower's pending output is
sent as one websocket message when its connection is ready, so a slow follower gets
bigger messages, not a growing delay). A follower that falls too far behind is reset to
a fresh snapshot of the screen instead of being sent a backlog.

The server-side screen (pyte, about 0.5 MB/s of output on this machine) is kept up to
date off the latency path: new output is broadcast first and parsed afterwards, a small
slice per event-loop turn, so a keystroke's frame never waits for the emulator. A
follower who joins waits for the parse to catch up, then gets the snapshot.

Only the server talks to the app; nothing a follower sends is ever read past the socket.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from standup.follow_screen import DriverScreen

# Parse this much driver output per event-loop turn (~8 ms of pyte on this machine).
PARSE_SLICE = 4096
# A follower with more than this much unsent output is reset to a snapshot.
BACKLOG_LIMIT = 2_000_000


class Socket(Protocol):
    """The part of a websocket (aiohttp's ``WebSocketResponse``) the hub uses."""

    def send_bytes(self, data: bytes) -> Awaitable[None]: ...
    def send_str(self, data: str) -> Awaitable[None]: ...
    def close(self) -> Awaitable[bool]: ...


@dataclass(eq=False)
class Follower:
    """One browser tab: what is still to be sent to it, in order."""

    socket: Socket
    items: list[bytearray | str] = field(default_factory=list)
    backlog: int = 0
    closing: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def push(self, item: bytes | str) -> None:
        """Queue output (bytes) or a control message (JSON text)."""
        last = self.items[-1] if self.items else None
        if isinstance(item, bytes):
            if isinstance(last, bytearray):
                last += item  # one message for everything pending
            else:
                self.items.append(bytearray(item))
        else:
            self.items.append(item)
        self.backlog += len(item)
        self.wake.set()

    def reset(self) -> None:
        """Forget what was not sent yet (a snapshot follows)."""
        self.items.clear()
        self.backlog = 0

    async def pump(self) -> None:
        """Send what is queued, as it is queued, until the follower leaves or the hub ends."""
        while True:
            await self.wake.wait()
            self.wake.clear()
            items, self.items, self.backlog = self.items, [], 0
            for item in items:
                if isinstance(item, bytearray):
                    await self.socket.send_bytes(bytes(item))
                else:
                    await self.socket.send_str(item)
            if self.closing and not self.items:
                await self.socket.close()
                return


class Hub:
    """The driver's screen and the followers watching it."""

    def __init__(self, cols: int, rows: int, on_count: Callable[[int], None]) -> None:
        self.screen = DriverScreen(cols, rows)
        self.followers: set[Follower] = set()
        self.on_count = on_count
        self._unparsed = bytearray()
        self._parsing = False

    def _size_message(self) -> str:
        cols, rows = self.screen.size
        return json.dumps({"type": "size", "cols": cols, "rows": rows})

    def _catch_up(self) -> None:
        """Parse everything not yet parsed (before a snapshot)."""
        if self._unparsed:
            data, self._unparsed = bytes(self._unparsed), bytearray()
            self.screen.feed(data)

    def _parse_slice(self) -> None:
        data = bytes(self._unparsed[:PARSE_SLICE])
        del self._unparsed[:PARSE_SLICE]
        self.screen.feed(data)
        if self._unparsed:
            asyncio.get_running_loop().call_soon(self._parse_slice)
        else:
            self._parsing = False

    def _start_sync(self, follower: Follower) -> None:
        self._catch_up()
        follower.reset()
        follower.push(self._size_message())
        follower.push(self.screen.snapshot())

    def join(self, follower: Follower) -> None:
        """A new follower: the current size and screen first, then the live stream."""
        self._start_sync(follower)
        self.followers.add(follower)
        self.on_count(len(self.followers))

    def leave(self, follower: Follower) -> None:
        """A follower closed its tab."""
        if follower in self.followers:
            self.followers.discard(follower)
            self.on_count(len(self.followers))

    def output(self, data: bytes) -> None:
        """The app wrote ``data``: to every follower now, to the screen soon after."""
        lagging = [f for f in self.followers if f.backlog > BACKLOG_LIMIT]
        for follower in self.followers:
            if follower.backlog <= BACKLOG_LIMIT:
                follower.push(data)
        self._unparsed += data
        for follower in lagging:  # the snapshot includes ``data``
            self._start_sync(follower)
        if self._unparsed and not self._parsing:
            self._parsing = True
            asyncio.get_running_loop().call_soon(self._parse_slice)

    def resize(self, cols: int, rows: int) -> None:
        """The driver's terminal changed size: followers re-lay their page."""
        self._catch_up()
        self.screen.resize(cols, rows)
        message = self._size_message()
        for follower in self.followers:
            follower.push(message)

    def end(self) -> None:
        """The driver's app has ended: tell every follower and close their sockets."""
        message = json.dumps({"type": "ended"})
        for follower in self.followers:
            follower.push(message)
            follower.closing = True
