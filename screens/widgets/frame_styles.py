"""Styles a widget asks for again and again while drawing, computed once per drawing.

DataTable draws each line of a table asking the same styles: its own ``rich_style`` and
``background_colors``, and ``get_component_styles(<row's component>).rich_style`` for
the header, odd or even row. Each of them walks every ancestor's styles (~0.1 ms), three
or four times a line: drawing the triage queue's 41 lines anew took ~17 ms, ~11 without.

Nothing restyles a widget while one ``render_lines`` call draws it, so :class:`FrameStyles`
keeps what these return for the length of that call and no longer: there is nothing to
invalidate. Outside a drawing every answer is Textual's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.style import Style
from textual.color import Color
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

T = TypeVar("T")

# Not a Widget at run time: Textual takes a widget's CSS (DataTable's DEFAULT_CSS and
# component classes) from its first DOMNode base only, and this mixin comes first.
_Mixin = Widget if TYPE_CHECKING else object


class _ComponentStyles(RenderStyles):
    """A component's styles whose ``rich_style`` is computed once (for one drawing)."""

    _drawn: Style | None = None

    @property
    def rich_style(self) -> Style:
        if self._drawn is None:
            self._drawn = super().rich_style
        return self._drawn


class FrameStyles(_Mixin):
    """Mixin: ``rich_style``, ``background_colors`` and component styles asked once per
    ``render_lines`` call (see the module docstring)."""

    _frame: dict[object, Any] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        outer, self._frame = self._frame, {}
        try:
            return super().render_lines(crop)
        finally:
            self._frame = outer

    def _once(self, key: object, compute: Callable[[], T]) -> T:
        frame = self._frame
        if frame is None:
            return compute()
        if key not in frame:
            frame[key] = compute()
        found: T = frame[key]
        return found

    @property
    def rich_style(self) -> Style:
        return self._once("rich_style", lambda: super(FrameStyles, self).rich_style)

    @property
    def background_colors(self) -> tuple[Color, Color]:
        return self._once("background_colors", lambda: super(FrameStyles, self).background_colors)

    def get_component_styles(self, *names: str) -> RenderStyles:
        def compute() -> RenderStyles:
            styles = super(FrameStyles, self).get_component_styles(*names)
            node = styles.node
            assert node is not None
            once = _ComponentStyles(node, styles.base, styles.inline)
            once._updates = styles._updates
            return once

        if self._frame is None:
            return super().get_component_styles(*names)
        return self._once(names, compute)
