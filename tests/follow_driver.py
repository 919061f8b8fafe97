"""A driver's terminal for ``standup serve --follow`` tests and the benchmark.

The server runs on a pty this process holds: it reads the server's output (the first
lines, then the app's screen, mirrored) into a pyte screen, and types the driver's keys.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pyte

LINK = re.compile(r"share link: (http://\S+/follow/[A-Za-z0-9_-]+)")


class Driver:
    """``standup serve DB --follow`` on a pty of ``cols`` x ``rows``."""

    def __init__(self, db: Path, port: int, *, cols: int = 140, rows: int = 40,
                 env: dict[str, str] | None = None, extra: tuple[str, ...] = (),
                 emulate: bool = True) -> None:  # fmt: skip
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        child_env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        child_env.update(env or {})
        argv = [sys.executable, "-m", "standup.cli", "serve", str(db), "--follow",
                "--port", str(port), *extra]  # fmt: skip
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=child_env,
            start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.raw = bytearray()
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        # pyte for the driver's screen text; the benchmark searches raw bytes instead (pyte
        # is slow enough to compete with the server for the CPU).
        self.emulate = emulate
        self.lock = threading.Lock()
        self.arrivals: list[tuple[float, int]] = []  # (when, len(raw) after) per read
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.raw += chunk
                self.arrivals.append((time.perf_counter(), len(self.raw)))
                if self.emulate:
                    self.stream.feed(chunk)

    def text(self) -> str:
        """The driver's screen now."""
        with self.lock:
            return "\n".join(self.screen.display)

    def arrived_by(self, offset: int) -> float | None:
        """When the output up to byte ``offset`` had arrived."""
        with self.lock:
            for when, length in self.arrivals:
                if length >= offset:
                    return when
        return None

    def output(self) -> str:
        """Everything the server printed, escape sequences and all, as text."""
        with self.lock:
            return self.raw.decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        """Wait until ``needle`` is on the driver's screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if needle in screen:
                return screen
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never showed for the driver:\n{self.text()}")

    def share_link(self, timeout: float = 30.0) -> str:
        """The share link the server printed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = LINK.search(self.output())
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no share link; the server said:\n{self.output()[:2000]}")

    def first_line(self) -> str:
        """The server's first printed line."""
        return self.output().split("\r\n", 1)[0].split("\n", 1)[0].strip()

    def press(self, keys: str | bytes) -> None:
        """Type on the driver's keyboard."""
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def resize(self, cols: int, rows: int) -> None:
        """The driver's terminal window changes size (the pty is not the server's
        controlling terminal here, so the SIGWINCH a terminal would send is sent too)."""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        with self.lock:
            self.screen.resize(rows, cols)
        self.proc.send_signal(signal.SIGWINCH)

    def app_pids(self) -> list[int]:
        """The server's child processes (the app)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.proc.pid and fields[0] != "Z":
                found.append(int(entry.name))
        return found

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Signal the server (only the server) and wait for it to exit."""
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.close()

    def close(self) -> None:
        """Kill whatever is left (the whole session) and release the pty."""
        if self.proc.poll() is None:
            for pid in self.app_pids():  # the app has a session of its own
                os.kill(pid, signal.SIGKILL)
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
