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

"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

# The private render caches (and the counter in their keys) this module evicts from.
_CACHES = (
    "_row_renderable_cache",  # key (update_count, row_index)
    "_cell_render_cache",  # key (row_key, column_key, ...)
    "_row_render_cache",  # key (row_key, line_no, ...)
    "_line_cache",  # key (y, ...): y is a line of the table, header included
)


def can_patch(table: DataTable[Any]) -> bool:
    """True when ``table`` has the render caches :meth:`RowTable.replace_row` evicts from."""
    return all(hasattr(table, name) for name in (*_CACHES, "_update_count", "_data"))


class RowTable(DataTable[Any]):
    """A DataTable with :meth:`replace_row`: one row rewritten, one row re-rendered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._patchable = can_patch(self)

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
