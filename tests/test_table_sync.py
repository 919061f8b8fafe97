"""sync_rows: the dashboard tables' rows, updated in place."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from screens.widgets.table_sync import ensure_columns, sync_rows


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def test_str_cells_are_shown_literally_not_as_markup() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(DataTable)
        ensure_columns(table, [("lead", "Lead"), ("owner", "Owner")])
        styled = Text("!! +3d", style="bold red")
        sync_rows(table, [("1", ["[Acme] #1", styled]), ("2", ["[b]Bold[/b] Co #2", "ann"])])
        await pilot.pause()
        first = table.get_cell("1", "lead")
        assert isinstance(first, Text) and first.plain == "[Acme] #1" and not first.spans
        assert table.get_cell("2", "lead").plain == "[b]Bold[/b] Co #2"
        assert table.get_cell("1", "owner") is styled  # renderables pass through
        # The same rows again change nothing; a changed cell is updated in place.
        sync_rows(table, [("1", ["[Acme] #1", styled]), ("2", ["[b]Bold[/b] Co #2", "bob"])])
        assert table.get_cell("2", "owner").plain == "bob" and table.row_count == 2
