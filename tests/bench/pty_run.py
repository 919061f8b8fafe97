"""Run a whole program in a real pseudo-terminal and time it, as a user would see it.

The child gets a pty of a fixed size as its controlling terminal (Textual writes to it
exactly as it would to a terminal emulator). The parent drains the output continuously
(a full pty buffer would block the child) and either waits for the child to exit or for
a marker to appear on screen, then kills it.

For a full-screen program that quits by itself, :attr:`PtyRun.drawn` is when its last
frame was complete: the arrival of the last output before it left the alternate screen
(``ESC [ ? 1049 l``). What follows (restoring the terminal, joining threads, the
interpreter's own teardown) is exit time, not time to the screen.

Peak RSS is the child's ``VmHWM`` from ``/proc/PID/status``, read while it runs (the last
reading before it exits or is killed), not ``os.wait4``'s ``ru_maxrss``: Linux carries
the parent's resident memory over ``fork`` + ``exec`` into the child's ``ru_maxrss``, so a
benchmark driver holding 1 GiB would make every child look 1 GiB big. ``ru_maxrss`` is
the fallback where ``/proc`` is missing.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass

# CSI / OSC / other escape sequences: removed to search the screen's text for a marker.
_ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=$ ]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b."
)


@dataclass(frozen=True)
class PtyRun:
    """How one run in the pty went."""

    seconds: float  # launch -> exit (or -> marker seen)
    exit_code: int | None  # None when we killed it after the marker
    max_rss_kib: int  # the child's peak resident set (VmHWM; ru_maxrss without /proc)
    matched: bool  # the marker was seen (always True when no marker was asked for)
    text: str  # the screen output with escape sequences removed (for diagnostics)
    # launch -> the last output before the program left the alternate screen (its final
    # frame complete); None if it never left it (killed at a marker, or not full-screen)
    drawn: float | None = None


_LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def screen_text(raw: bytes) -> str:
    """Printable text of a terminal byte stream (escape sequences dropped)."""
    return _ANSI.sub(b"", raw).decode("utf-8", "replace")


def _hwm_kib(pid: int, parent_cmdline: bytes) -> int | None:
    """The child's ``VmHWM`` (KiB), once it runs its own program; else ``None``.

    Between fork and exec the child still has a copy of the parent's memory (and the
    parent's command line), so a reading then would be the parent's size.
    """
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            if cmdline.read() == parent_cmdline:
                return None
    except OSError:
        return None
    return vm_hwm_kib(pid)


def vm_hwm_kib(pid: int | str = "self") -> int | None:
    """``VmHWM`` (peak RSS, KiB) from ``/proc/PID/status``; ``None`` where not available."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _own_cmdline() -> bytes:
    try:
        with open("/proc/self/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def run_in_pty(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    size: tuple[int, int] = (160, 45),
    timeout: float = 60.0,
    marker: re.Pattern[str] | None = None,
) -> PtyRun:
    """Start ``argv`` on a fresh pty; return when it exits, or when ``marker`` shows.

    Raises ``TimeoutError`` (after killing the child) if neither happens in ``timeout``.
    """
    columns, lines = size
    child_env = dict(os.environ if env is None else env)
    child_env.setdefault("TERM", "xterm-256color")
    child_env.setdefault("COLORTERM", "truecolor")
    child_env["COLUMNS"], child_env["LINES"] = str(columns), str(lines)
    parent_cmdline = _own_cmdline()
    started = time.perf_counter()
    pid, fd = os.forkpty()
    if pid == 0:  # the child: exec the program on the pty
        try:
            if cwd:
                os.chdir(cwd)
            os.execvpe(argv[0], list(argv), child_env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    raw = bytearray()
    matched = marker is None
    status: int | None = None
    usage = None
    ended = started
    hwm: int | None = None  # the last VmHWM reading of the child (monotonic while it runs)
    drawn: float | None = None
    last_output = started  # when the latest chunk arrived
    sampled = 0.0
    try:
        deadline = started + timeout
        while True:
            now = time.perf_counter()
            if now - sampled > 0.02:
                hwm = _hwm_kib(pid, parent_cmdline) or hwm
                sampled = now
            if now > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                raise TimeoutError(
                    f"{argv[0]}: no {'marker' if marker else 'exit'} within {timeout:.0f} s; "
                    f"screen: {screen_text(bytes(raw))[-300:]!r}"
                )
            ready, _, _ = select.select([fd], [], [], 0.005)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child closed the pty (it exited)
                    chunk = b""
                if chunk:
                    arrived = time.perf_counter()
                    if drawn is None and _LEAVE_ALT_SCREEN in raw[-16:] + chunk:
                        # Output before the sequence in this chunk arrived now; if the
                        # sequence starts the chunk, the frame ended with the one before.
                        head = chunk.split(_LEAVE_ALT_SCREEN, 1)[0]
                        in_this = len(head) > 0 and _LEAVE_ALT_SCREEN not in raw[-16:] + head
                        drawn = (arrived if in_this else last_output) - started
                    last_output = arrived
                    raw += chunk
                    if (
                        marker is not None
                        and not matched
                        and marker.search(screen_text(bytes(raw[-200_000:])))
                    ):
                        matched = True
                        ended = time.perf_counter()
                        hwm = _hwm_kib(pid, parent_cmdline) or hwm
                        os.kill(pid, signal.SIGKILL)
                        _, status, usage = os.wait4(pid, 0)
                        return PtyRun(
                            ended - started,
                            None,
                            hwm or usage.ru_maxrss,
                            True,
                            screen_text(bytes(raw)),
                        )
                    continue
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                ended = time.perf_counter()
                break
    finally:
        os.close(fd)
    assert usage is not None and status is not None
    code = os.waitstatus_to_exitcode(status)
    return PtyRun(
        ended - started, code, hwm or usage.ru_maxrss, matched, screen_text(bytes(raw)), drawn
    )
