"""Update a DataTable from fresh rows without losing the user's place.

A live panel redraws every few seconds; clearing and refilling the table would throw the
cursor back to the top and reset scrolling. :func:`sync_rows` changes only the cells that
differ when the row keys are unchanged, and otherwise rebuilds the rows but puts the
cursor back on the same row key (or the same index if that row is gone) and restores the
scroll position.

A ``str`` cell is shown as it is, never parsed as markup: a company called ``[Acme]``
keeps its brackets, and the dashboard's first frame skips ~1,000 markup parses (Textual's
DataTable parses every ``str`` cell while it measures the columns).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

Row = tuple[str, Sequence[Any]]


def ensure_columns(table: DataTable[Any], columns: Sequence[tuple[str, str]]) -> None:
    """Add ``(key, label)`` columns once."""
    if not table.columns:
        for key, label in columns:
            table.add_column(label, key=key)


def cursor_key(table: DataTable[Any]) -> str | None:
    """The row key under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    try:
        row_key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
    except Exception:  # cursor outside the table while it is being rebuilt
        return None
    return str(row_key.value) if row_key.value is not None else None


def literal(cell: Any) -> Any:
    """``cell`` as the table should get it: a ``str`` as plain text, not markup."""
    return Text(cell, end="") if isinstance(cell, str) else cell


# What each table was last given, row key -> its cells as passed in: a refresh that
# changes nothing (most of them) compares plain tuples, not 2,000 Text cells.
_given: WeakKeyDictionary[DataTable[Any], dict[str, tuple[Any, ...]]] = WeakKeyDictionary()


def sync_rows(table: DataTable[Any], rows: Sequence[Row]) -> None:
    """Make ``table`` show ``rows`` (``(key, cells)``), keeping cursor and scroll."""
    before = _given.get(table, {})
    given = {key: tuple(cells) for key, cells in rows}
    _given[table] = given
    new_keys = [key for key, _ in rows]
    old_keys = [str(row.key.value) for row in table.ordered_rows]
    if new_keys == old_keys:
        column_keys = [column.key for column in table.ordered_columns]
        for key, cells in given.items():
            if before.get(key) == cells:
                continue
            for column_key, cell in zip(column_keys, map(literal, cells), strict=False):
                if table.get_cell(key, column_key) != cell:
                    table.update_cell(key, column_key, cell)
        return
    rows = [(key, [literal(cell) for cell in cells]) for key, cells in rows]
    keep = cursor_key(table)
    keep_index = table.cursor_row
    scroll_x, scroll_y = table.scroll_x, table.scroll_y
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if not rows:
        return
    index = new_keys.index(keep) if keep in new_keys else min(keep_index, len(rows) - 1)
    table.move_cursor(row=index, scroll=False)
    table.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
