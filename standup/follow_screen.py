"""The driver's screen, kept on the server, so a follower who joins late sees it at once.

Every byte the driver's app writes is fed to a pyte terminal emulator; :meth:`snapshot`
renders its current screen back to ANSI (characters, colours, bold / italic / underline
/ reverse / strike, the cursor), which a fresh xterm.js draws as the same picture. The
live stream follows the snapshot, so a follower is in step from its first frame.
"""

from __future__ import annotations

import pyte
from pyte.screens import Char

# pyte's colour names -> the SGR offset of that colour (30 + n foreground, 40 + n back).
_NAMES = ("black", "red", "green", "brown", "blue", "magenta", "cyan", "white")
_INDEX = {name: n for n, name in enumerate(_NAMES)}


def _colour(name: str, base: int) -> str:
    """SGR parameters for one pyte colour: ``default``, a name, ``bright...``, or hex."""
    if name == "default":
        return str(base + 9)
    if name in _INDEX:
        return str(base + _INDEX[name])
    if name.startswith("bright") and name[6:] in _INDEX:
        return str(base + 60 + _INDEX[name[6:]])
    try:
        rgb = int(name, 16)
    except ValueError:
        return str(base + 9)
    return f"{base + 8};2;{rgb >> 16 & 255};{rgb >> 8 & 255};{rgb & 255}"


def sgr(char: Char) -> str:
    """The full SGR sequence (from a reset) that draws ``char``'s style."""
    params = ["0", _colour(char.fg, 30), _colour(char.bg, 40)]
    for flag, code in (
        (char.bold, "1"),
        (char.italics, "3"),
        (char.underscore, "4"),
        (char.blink, "5"),
        (char.reverse, "7"),
        (char.strikethrough, "9"),
    ):
        if flag:
            params.append(code)
    return f"\x1b[{';'.join(params)}m"


class DriverScreen:
    """A server-side copy of the driver's terminal (``cols`` x ``rows``)."""

    def __init__(self, cols: int, rows: int) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)

    @property
    def size(self) -> tuple[int, int]:
        """(cols, rows)."""
        return self.screen.columns, self.screen.lines

    def feed(self, data: bytes) -> None:
        """Apply the app's output (any split of the byte stream, UTF-8 included)."""
        self.stream.feed(data)

    def resize(self, cols: int, rows: int) -> None:
        """The driver's terminal changed size (the app redraws after it)."""
        self.screen.resize(rows, cols)

    def snapshot(self) -> bytes:
        """ANSI that paints the current screen on a blank terminal of the same size."""
        screen = self.screen
        out = ["\x1b[0m\x1b[?25l\x1b[H\x1b[2J"]
        for y in range(screen.lines):
            row = screen.buffer[y]
            out.append(f"\x1b[{y + 1};1H")
            style = ""
            x = 0
            while x < screen.columns:
                char = row[x]
                x += 1
                if char.data == "":  # right half of a wide character drawn just before
                    continue
                code = sgr(char)
                if code != style:
                    out.append(code)
                    style = code
                out.append(char.data)
        cursor = screen.cursor
        out.append(f"\x1b[0m\x1b[{cursor.y + 1};{cursor.x + 1}H")
        if not cursor.hidden:
            out.append("\x1b[?25h")
        return "".join(out).encode("utf-8")
