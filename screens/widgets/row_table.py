"""``RowTable``: a DataTable whose rows can be rewritten in place for the cost of that row.

Textual's ``DataTable.update_cell`` bumps one table-wide counter that is part of every
render cache key, so the next frame re-renders *every* visible cell through Rich
(≈ 80-100 ms for a 45-line, 9-column table) and rebuilds the row-offset list of the
whole table. The triage queue rewrites one row per key press (pending, then settled), so
that cost landed on every action, and it ran on the UI thread while the write's worker
waited for the GIL.

:meth:`RowTable.replace_row` writes the new cells and evicts only that row's entries
from the render caches, then repaints only that row's region. The caches are private to
Textual's DataTable; :func:`can_patch` checks that they are still there (with the key
layout this relies on) and otherwise :meth:`replace_row` falls back to
``update_cell`` — slower, never stale. ``tests/test_row_table.py`` renders a patched
table against a fresh one, so a Textual upgrade that changes the caches fails there.

Its ``str`` cells are plain text, never markup (a company called ``Acme [/Inc]`` would
otherwise stop the table drawing). A re-rendered row's one-line text cells are drawn
by :func:`cell_line` instead of Rich's general renderer (about three times faster),
into the same cache, under the same keys. Its lines are cached by whether the cursor is
on their row rather than by the cursor's coordinate, so a cursor move or a scroll
draws only the lines that change, and the styles every line asks for are computed once
per drawing (:class:`FrameStyles`). ``tests/test_row_table_drawing.py`` holds all of it
to what a stock DataTable draws.

"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from screens.widgets.cell_line import cell_line
from screens.widgets.frame_styles import FrameStyles
from screens.widgets.table_sync import literal

# The private render caches (and the counter in their keys) this module evicts from.
_CACHES = (
    "_row_renderable_cache",  # key (update_count, row_index)
    "_cell_render_cache",  # key (row_key, column_key, ...)
    "_row_render_cache",  # key (row_key, line_no, ...)
    "_line_cache",  # key (y, ...): y is a line of the table, header included
)


# What RowTable._render_cell and _render_line read of DataTable's own rendering.
_CELL_PARTS = (
    "_get_offsets",
    "_row_locations",
    "_column_locations",
    "_get_row_renderables",
    "_get_styles_to_render_cell",
)


def can_patch(table: DataTable[Any]) -> bool:
    """True when ``table`` has the render caches :meth:`RowTable.replace_row` evicts from."""
    parts = (*_CACHES, *_CELL_PARTS, "_update_count", "_data")
    return all(hasattr(table, name) for name in parts)


class RowTable(FrameStyles, DataTable[Any]):
    """A DataTable with :meth:`replace_row`: one row rewritten, one row re-rendered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._patchable = can_patch(self)

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        """DataTable.add_row, with ``str`` cells as plain text (:func:`literal`)."""
        return super().add_row(*map(literal, cells), height=height, key=key, label=label)

    def replace_row(self, row_key: str, cells: Sequence[Any]) -> bool:
        """Put ``cells`` (one per column, in column order) in row ``row_key``.

        Returns False if the table has no such row. Column widths are left as they are
        (like ``update_cell`` without ``update_width``).
        """
        key = RowKey(row_key)
        if key not in self._row_locations:
            return False
        columns = self.ordered_columns
        if len(cells) != len(columns):
            raise ValueError(f"{len(cells)} cells for {len(columns)} columns")
        cells = [literal(cell) for cell in cells]
        if not self._patchable:
            for column, value in zip(columns, cells, strict=True):
                self.update_cell(key, column.key, value)
            return True
        row = self._data[key]
        for column, value in zip(columns, cells, strict=True):
            row[column.key] = value
        index = self.get_row_index(key)
        self._evict_row(key, index)
        self.refresh_row(index)
        return True

    def _evict_row(self, key: RowKey, index: int) -> None:
        """Drop every cached rendering of one row (its cells, its lines)."""
        self._row_renderable_cache.discard((self._update_count, index))
        # (Textual's LRUCache is not iterable itself; .keys() is its view of the keys.)
        cells = self._cell_render_cache
        for cell_key in [k for k in cells.keys() if k[0] == key]:  # noqa: SIM118
            cells.discard(cell_key)
        rows = self._row_render_cache
        for row_key in [k for k in rows.keys() if k[0] == key]:  # noqa: SIM118
            rows.discard(row_key)
        lines, drawn = self._line_cache, self._row_lines(index)
        for line_key in [k for k in lines.keys() if k[0] in drawn]:  # noqa: SIM118
            lines.discard(line_key)

    def _row_lines(self, index: int) -> range:
        """The table lines (``y`` of ``_render_line``, header included) that draw row ``index``."""
        region = self._get_row_region(index)  # the same lines refresh_row repaints
        return range(region.y, region.y + region.height)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """DataTable's line, cached under a key that names the cursor's *row*.

        DataTable keys a line by the cursor's coordinate, so moving the cursor one row
        re-renders every line drawn after it: all of them when the table scrolls (~10 ms
        for the queue's 40 lines, a triage key's frame once the cursor reaches the
        bottom). With a row cursor a line only depends on whether the cursor or the hover
        is on its row, so that is what the key says; the line is DataTable's own.
        """
        if self.cursor_type != "row" or not self._patchable:
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, _ = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        found = self._row_locations.get(row_key)
        row = -1 if found is None else found  # the header is on no row
        key = (
            y,  # first, as in DataTable's keys: _evict_row drops a row's lines by it
            x1,
            x2,
            self.size.width,
            row == self.cursor_coordinate.row,
            row == self.hover_coordinate.row,
            self.show_cursor,
            base_style,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached: Strip | None = self._line_cache.get(key)  # type: ignore[arg-type]
        if cached is None:
            cached = super()._render_line(y, x1, x2, base_style)
            self._line_cache[key] = cached  # type: ignore[index]
        return cached

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """DataTable's cell rendering, with :func:`cell_line` for one-line body cells.

        The cache key, the styles and the meta (which row and column a click is on) are
        DataTable's own (textual/widgets/_data_table.py); anything else is left to it.
        """
        stock = super()._render_cell
        if row_index < 0 or column_index < 0 or not self._patchable:
            return stock(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        key = (
            row_key,
            self._column_locations.get_key(column_index),
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached: list[list[Segment]] | None = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1:
            return stock(row_index, column_index, base_style, width, cursor, hover)
        component, post = self._get_styles_to_render_cell(
            False,
            False,
            row_index < self.fixed_rows or column_index < self.fixed_columns,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index})
        cell = self._get_row_renderables(row_index).cells[column_index]
        line = cell_line(self.app.console, cell, width, self.cell_padding, pre + component, post)
        if line is None:
            return stock(row_index, column_index, base_style, width, cursor, hover)
        self._cell_render_cache[key] = lines = [line]
        return lines
