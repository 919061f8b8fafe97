"""``standup serve DB --follow``: the driver's one app, broadcast read-only to browsers.

The server runs the app in a pseudo-terminal and attaches the driver's own terminal to
it, like ``script`` or tmux: the driver's terminal in raw mode, keys forwarded, output
mirrored, resizes passed on. The app's output also goes to every follower's browser tab
over a websocket (see :mod:`standup.follow_hub`); nothing a follower sends reaches the
app. The page is textual-serve's own xterm.js build and CSS, served from its installed
package: nothing is fetched from anywhere else.

A share link carries a random token; without it there is no page and no stream (403).
The app is told how many are following through a small file it polls
(``STANDUP_FOLLOWERS_FILE``). When the app ends, so does the server; when the server is
stopped (SIGINT, SIGTERM, SIGHUP), it stops the app's whole process group first.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import secrets
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import tty
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from standup.errors import StandupError
from standup.follow_hub import Follower, Hub
from standup.followers import FOLLOWERS_ENV, SHARE_LINK_ENV, write_follower_count
from standup.serve import ServeOptions, view_args

PAGE = Path(__file__).with_name("follow_page.html")
# Seconds the app gets to exit after SIGTERM before it is killed.
STOP_GRACE = 3.0
# What a killed full-screen app may leave switched on in the driver's terminal.
RESTORE_TERMINAL = (
    b"\x1b[0m\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?2004l"
    b"\x1b[?1004l\x1b[?1049l\x1b[?25h"
)


def follow_command(options: ServeOptions, python: str | None = None) -> list[str]:
    """The driver's app: ``standup open`` on the DB, with the driver's own rights."""
    args = [python or sys.executable, "-m", "standup.cli", "open", str(options.db)]
    if options.allow_writes:
        args.append("--allow-writes")
    return args + view_args(options)


def share_url(options: ServeOptions, token: str) -> str:
    """The link followers open."""
    return f"{options.url}/follow/{token}"


def follow_startup_line(options: ServeOptions) -> str:
    """One line: what is exposed (the driver's screen, view only), where, to whom."""
    reach = (
        "anyone on this machine"
        if options.local_only
        else "ANYONE who can reach this host on the network"
    )
    return (
        f"standup serve --follow: the driver's screen of {options.db}, view-only, "
        f"at {options.url} for {reach} who has the share link below; "
        "followers' keys never reach the app"
    )


def _static_dir() -> Path:
    """textual-serve's static files: its xterm.js build, xterm.css and fonts."""
    import textual_serve

    return Path(textual_serve.__file__).with_name("static")


def _winsize(fd: int) -> tuple[int, int]:
    """(cols, rows) of the terminal on ``fd``."""
    size = os.get_terminal_size(fd)
    return size.columns, size.lines


def _set_winsize(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _write_all(fd: int, data: bytes) -> None:
    """All of ``data``, also to a non-blocking fd (the pty's master: a big paste may fill
    its input buffer; wait up to 2 s for the app to read rather than drop keys, but never
    hang the server on an app that stopped reading)."""
    view = memoryview(data)
    waits = 0
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            waits += 1
            if waits > 20:
                return
            select.select([], [fd], [], 0.1)
            continue
        view = view[written:]


@contextlib.contextmanager
def _raw(fd: int) -> Iterator[None]:
    """The driver's terminal in raw mode (every key to the app), restored afterwards."""
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, saved)


class FollowServer:
    """The app in a pty, the driver's terminal on it, followers on the web."""

    def __init__(self, options: ServeOptions, token: str, count_file: Path) -> None:
        self.options = options
        self.token = token
        self.count_file = count_file
        self.stdin, self.stdout = sys.stdin.fileno(), sys.stdout.fileno()
        self.cols, self.rows = _winsize(self.stdout)
        self.hub = Hub(self.cols, self.rows, self._count_changed)
        self.stopped = asyncio.Event()
        self.signalled = False  # stopped by a signal, not by the app ending
        self.app: subprocess.Popen[bytes] | None = None
        self.master = -1

    def _count_changed(self, count: int) -> None:
        write_follower_count(self.count_file, count)

    # -- the app and the driver's terminal -----------------------------------------

    def start_app(self) -> None:
        """Start the app on a new pty of the driver's size, as its controlling terminal."""
        master, slave = os.openpty()
        _set_winsize(slave, self.cols, self.rows)
        env = {
            **os.environ,
            FOLLOWERS_ENV: str(self.count_file),
            SHARE_LINK_ENV: share_url(self.options, self.token),
        }
        env.setdefault("TERM", "xterm-256color")

        def controlling_tty() -> None:  # in the child, after setsid: resizes send SIGWINCH
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.app = subprocess.Popen(
            follow_command(self.options),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=controlling_tty,
        )
        os.close(slave)
        os.set_blocking(master, False)
        self.master = master

    def _signalled(self) -> None:
        self.signalled = True
        self.stopped.set()

    def _from_driver(self) -> None:
        try:
            data = os.read(self.stdin, 65536)
        except OSError:
            data = b""
        if not data:  # the driver's terminal went away
            self.stopped.set()
            return
        with contextlib.suppress(OSError):
            _write_all(self.master, data)

    def _from_app(self) -> None:
        try:
            data = os.read(self.master, 262144)
        except BlockingIOError:
            return
        except OSError:  # EIO: the app closed the pty (it exited)
            data = b""
        if not data:
            self.stopped.set()
            return
        with contextlib.suppress(OSError):
            _write_all(self.stdout, data)
        self.hub.output(data)

    def _driver_resized(self) -> None:
        cols, rows = _winsize(self.stdout)
        if (cols, rows) == (self.cols, self.rows):
            return
        self.cols, self.rows = cols, rows
        _set_winsize(self.master, cols, rows)
        self.hub.resize(cols, rows)

    def stop_app(self) -> None:
        """SIGTERM to the app's process group, SIGKILL after the grace period."""
        app = self.app
        if app is None or app.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(app.pid, signal.SIGTERM)
        try:
            app.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(app.pid, signal.SIGKILL)
            app.wait()

    # -- the web side ----------------------------------------------------------------

    def _token_ok(self, request: Any) -> bool:
        return secrets.compare_digest(str(request.match_info.get("token", "")), self.token)

    async def page(self, request: Any) -> Any:
        from aiohttp import web

        if not self._token_ok(request):
            raise web.HTTPForbidden(text="standup: this link needs its share token.\n")
        html = PAGE.read_text(encoding="utf-8").replace("{{title}}", self.options.db.name)
        return web.Response(text=html, content_type="text/html", headers=_PAGE_HEADERS)

    async def socket(self, request: Any) -> Any:
        from aiohttp import web

        if not self._token_ok(request):
            raise web.HTTPForbidden(text="standup: this link needs its share token.\n")
        ws = web.WebSocketResponse(heartbeat=30, max_msg_size=4096)
        await ws.prepare(request)
        follower = Follower(ws)
        self.hub.join(follower)
        pump = asyncio.create_task(follower.pump())
        try:
            async for _message in ws:
                pass  # a follower's keys and resizes go nowhere: view only
        finally:
            self.hub.leave(follower)
            if not follower.closing:
                pump.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await pump
        return ws

    async def forbidden(self, request: Any) -> Any:
        from aiohttp import web

        raise web.HTTPForbidden(text="standup: open the share link the driver gave you.\n")

    def web_app(self) -> Any:
        """The aiohttp application: the page and its socket behind the token, static files."""
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/follow/{token}", self.page)
        app.router.add_get("/follow/{token}/ws", self.socket)
        app.router.add_static("/static", _static_dir(), show_index=False)
        app.router.add_get("/", self.forbidden)
        return app

    # -- the run ---------------------------------------------------------------------

    async def run(self) -> None:
        """Serve until the app ends or the server is told to stop; then clean up."""
        from aiohttp import web

        runner = web.AppRunner(self.web_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.options.host, self.options.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise StandupError(
                f"serve: cannot listen on {self.options.url}: {exc.strerror}"
            ) from None
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, self._signalled)
        loop.add_signal_handler(signal.SIGWINCH, self._driver_resized)
        self.start_app()
        loop.add_reader(self.master, self._from_app)
        loop.add_reader(self.stdin, self._from_driver)
        try:
            with _raw(self.stdin):
                await self.stopped.wait()
        finally:
            loop.remove_reader(self.stdin)
            loop.remove_reader(self.master)
            killed = self.app is not None and self.app.poll() is None
            await loop.run_in_executor(None, self.stop_app)
            if killed:
                with contextlib.suppress(OSError):
                    _write_all(self.stdout, RESTORE_TERMINAL)
            os.close(self.master)
            self.hub.end()
            await asyncio.sleep(0.2)  # let the "ended" message reach the followers
            await runner.cleanup()


# Served with the page: the browser itself refuses anything not from this server.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; worker-src 'self' blob:"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def serve_follow(options: ServeOptions) -> int:
    """Run ``standup serve --follow`` in this terminal until the app or the server stops.

    Returns the exit code: the app's own when it failed, else 0 (also when stopped)."""
    if not (os.isatty(sys.stdin.fileno()) and os.isatty(sys.stdout.fileno())):
        raise StandupError("serve --follow needs a terminal: the driver's app runs in it")
    token = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="standup-follow-") as tmp:
        count_file = Path(tmp) / "followers"
        write_follower_count(count_file, 0)
        print(follow_startup_line(options), flush=True)
        print(f"share link: {share_url(options, token)}", flush=True)
        server = FollowServer(options, token, count_file)
        asyncio.run(server.run())
        print(f"standup serve --follow: ended (share link was {share_url(options, token)})")
    code = server.app.returncode if server.app is not None else 0
    return 0 if server.signalled or not code or code < 0 else code
