"""RowTable.replace_row: only the row is re-rendered, and never drawn stale.

The fast path evicts entries from Textual DataTable's private render caches. These tests
draw every line after a replace, then force the table-wide invalidation Textual itself
would do (``update_cell``) and draw again: both must be identical, cell text and styles.
A Textual upgrade that changes those caches fails here instead of showing old rows.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Input

from screens.widgets.row_table import RowTable, can_patch

COLUMNS = ("mark", "id", "stage", "owner")


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RowTable(cursor_type="row", zebra_stripes=True)
        yield Input()

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        for name in COLUMNS:
            table.add_column(name, key=name, width=14 if name == "stage" else None)
        for i in range(300):
            table.add_row(*_cells(i, "mql"), key=str(i))
        table.focus()


def _cells(i: int, stage: str) -> list[Any]:
    return [Text(" "), f"D-{i}", Text(stage, style="italic"), f"owner {i % 7}"]


def _drawn(table: RowTable) -> list[list[tuple[str, str]]]:
    """Every visible line of the table as (text, style) segments, via its own caches."""
    return [
        [(seg.text, str(seg.style)) for seg in table.render_line(y)]
        for y in range(table.size.height)
    ]


def _full_redraw(table: RowTable) -> list[list[tuple[str, str]]]:
    """What Textual's own invalidation draws: bump the table-wide counter, draw again."""
    key = str(table.ordered_rows[0].key.value)
    table.update_cell(key, "id", table.get_cell(key, "id"))
    return _drawn(table)


async def test_textual_still_has_the_caches_replace_row_patches() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)):
        assert can_patch(app.query_one(RowTable))


async def test_without_the_caches_it_falls_back_to_update_cell() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        _drawn(table)
        table._patchable = False  # as if a Textual release had renamed its caches
        counter = table._update_count
        assert table.replace_row("2", _cells(2, "fallback"))
        assert table._update_count > counter
        await pilot.pause()
        assert "fallback" in "".join(t for t, _ in _drawn(table)[3])


async def test_replaced_rows_draw_as_a_full_redraw_would() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        _drawn(table)  # fill the caches
        counter = table._update_count
        table.move_cursor(row=3)
        await pilot.pause()
        assert table.replace_row("3", _cells(3, "pending accept"))  # the cursor row
        assert table.replace_row("5", [Text("✓"), "D-5", Text("✓ sal", style="dim"), "x"])
        assert table._update_count == counter  # the fast path: no table-wide invalidation
        await pilot.pause()
        patched = _drawn(table)
        assert "pending accept" in "".join(t for t, _ in patched[4])  # header + 3 rows above
        assert "✓ sal" in "".join(t for t, _ in patched[6])
        assert patched == _full_redraw(table)


async def test_focus_changes_and_replaces_in_between_never_draw_stale() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        _drawn(table)
        app.query_one(Input).focus()  # the table blurs: cursor and tint change
        await pilot.pause()
        blurred = _drawn(table)
        assert table.replace_row("0", _cells(0, "settled"))
        await pilot.pause()
        table.focus()
        await pilot.pause()
        focused = _drawn(table)
        assert focused != blurred
        assert "settled" in "".join(t for t, _ in focused[1])
        assert focused == _full_redraw(table)


async def test_replace_row_of_a_missing_row_is_refused() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)):
        table = app.query_one(RowTable)
        assert not table.replace_row("nope", _cells(0, "x"))
