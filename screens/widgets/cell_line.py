"""One DataTable cell drawn as one line of segments, without Rich's general renderer.

Textual's DataTable draws every cell through ``console.render_lines`` of a ``Styled``
wrapped around a ``Padding``: four nested renderables, each with its own options copy,
generator and line splitting, ~0.06-0.1 ms a cell on this machine. For a one-line cell of
plain text that machinery produces exactly: the padding, the text (wrapped with
``no_wrap``, so cut to the width), spaces up to the width, the padding again, and the
table's styles around every segment. :func:`cell_line` builds that directly, about three
times faster, which is most of what a triage key's frame spends drawing its two rows.

It declines (returns None) whatever it would not draw identically: several lines, tabs,
a width without room for the text. ``tests/test_row_table_drawing.py`` compares it with the
stock rendering over generated cells, so a Rich or Textual change that alters the result
fails there.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_NEWLINE = Text("\n")
_BLANK = Style()


def cell_line(
    console: Console, cell: object, width: int, padding: int, pre: Style, post: Style
) -> list[Segment] | None:
    """``cell`` drawn ``width`` cells wide with ``padding`` either side, or None.

    ``pre`` goes under the cell's own styles and ``post`` over them, as DataTable layers
    its CSS and its cursor. None means: draw it the stock way.
    """
    inner = width - 2 * padding
    if not isinstance(cell, Text) or inner < 1:
        return None
    plain = cell.plain
    if "\n" in plain or "\t" in plain:
        return None
    lines = cell.wrap(
        console,
        inner,
        justify=cell.justify or "default",
        overflow=cell.overflow or "fold",
        no_wrap=True,
    )
    # Joined as Text.__rich_console__ does: that is what gives the text its own style
    # (Text.render alone drops it when the text has no spans).
    segments = list(_NEWLINE.join(lines[:1]).render(console, end=""))
    side = [Segment(" " * padding, _BLANK)] if padding else []
    line = [*side, *Segment.adjust_line_length(segments, inner, style=_BLANK, pad=True), *side]
    return list(Segment.apply_style(line, style=pre, post_style=post))
