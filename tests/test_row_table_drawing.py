"""RowTable draws segment for segment what Textual's DataTable draws, only faster.

``RowTable._render_cell`` builds one-line text cells with ``cell_line`` instead of Rich's
general renderer. Generated cells (wide characters, brackets, styles and spans, every
justify and overflow, widths down to nothing, cursor and hover) are drawn both ways on
a live table; text, styles and click meta must be identical. Whole frames are compared
too, against a stock DataTable given the same rows, moves and scrolls: RowTable keys
its lines by the cursor's row and asks its styles once per drawing (FrameStyles).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable

from screens.widgets.cell_line import cell_line
from screens.widgets.row_table import RowTable
from screens.widgets.table_sync import literal

COLUMNS = ("mark", "id", "company")
ALPHABET = "ab Z09-[]/@#:" + "日本é⧗▲—✓…" + "\U0001f642"
STYLES = st.sampled_from(["", "bold yellow", "italic", "dim", "cyan on red", "underline"])


@st.composite
def cells(draw: st.DrawFn) -> Any:
    """A cell as the queue gives one: a str (plain text to RowTable) or a styled Text."""
    plain = draw(st.text(ALPHABET, max_size=24))
    if draw(st.booleans()):
        return plain
    text = Text(
        plain,
        style=draw(STYLES),
        justify=draw(st.sampled_from([None, "left", "right", "center", "full"])),
        overflow=draw(st.sampled_from([None, "fold", "crop", "ellipsis"])),
        end="",
    )
    if plain and draw(st.booleans()):
        start = draw(st.integers(0, len(plain) - 1))
        text.stylize(draw(STYLES) or "bold", start, draw(st.integers(start + 1, len(plain))))
    return text


class TableApp(App[None]):
    def __init__(self, fixed_columns: int = 0) -> None:
        super().__init__()
        self.fixed_columns = fixed_columns

    def compose(self) -> ComposeResult:
        yield RowTable(cursor_type="row", zebra_stripes=True, fixed_columns=self.fixed_columns)

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        for i in range(5):
            table.add_row(" ", f"D-{i}", "Acme", key=str(i))


def _both_ways(
    table: RowTable, row: int, column: int, width: int, cursor: bool, hover: bool
) -> tuple[Any, Any]:
    """The cell drawn by RowTable, then by DataTable itself, each from an empty cache."""
    base = table.rich_style
    table._cell_render_cache.clear()
    ours = table._render_cell(row, column, base, width, cursor, hover)
    table._cell_render_cache.clear()
    theirs = DataTable._render_cell(table, row, column, base, width, cursor, hover)
    return ours, theirs


async def test_generated_cells_draw_as_datatable_draws_them() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        fast = 0

        @settings(max_examples=400, deadline=None)
        @given(
            cell=cells(),
            row=st.integers(0, 4),
            column=st.integers(0, 2),
            width=st.integers(0, 30),
            cursor=st.booleans(),
            hover=st.booleans(),
            padding=st.integers(0, 2),
        )
        def check(
            cell: Any, row: int, column: int, width: int, cursor: bool, hover: bool, padding: int
        ) -> None:
            nonlocal fast
            table.cell_padding = padding
            values = [" ", f"D-{row}", "Acme"]
            values[column] = cell
            table.replace_row(str(row), values)
            ours, theirs = _both_ways(table, row, column, width, cursor, hover)
            assert ours == theirs
            drawn = table._get_row_renderables(row).cells[column]
            fast += cell_line(app.console, drawn, width, padding, Style(), Style()) is not None

        check()
        assert fast > 200  # most examples took the fast path, so it is what was compared


async def test_fixed_columns_and_the_header_draw_as_datatable_draws_them() -> None:
    app = TableApp(fixed_columns=1)
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        for row in (-1, 0, 3):
            for column in range(len(COLUMNS)):
                for cursor in (False, True):
                    ours, theirs = _both_ways(table, row, column, 9, cursor, False)
                    assert ours == theirs


async def test_str_cells_are_text_not_markup() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(RowTable)
        table.add_row(" ", "D-9", "Acme [/Inc]", key="9")  # markup: a closing tag alone
        table.replace_row("1", [" ", "D-1", "[old] acme"])  # markup: a style tag
        await pilot.pause()
        drawn = ["".join(s.text for s in table.render_line(y)) for y in range(8)]
        assert any("Acme [/Inc]" in line for line in drawn)
        assert any("[old] acme" in line for line in drawn)


def frame(table: DataTable[Any]) -> list[list[Any]]:
    """Every line of ``table`` as drawn (its segments)."""
    return [list(strip) for strip in table.render_lines(Region(0, 0, *table.size))]


class TwinApp(App[None]):
    """A RowTable and a stock DataTable, the same size, given the same rows and moves."""

    CSS = """
    DataTable { height: 12; width: 60; }
    DataTable.-alt { background: darkblue; }
    DataTable.-alt > .datatable--header { background: darkred; }
    DataTable.-alt > .datatable--odd-row { background: darkgreen; }
    """
    AUTO_FOCUS = None  # neither table has the focus, so both are styled alike

    def compose(self) -> ComposeResult:
        yield RowTable(cursor_type="row", zebra_stripes=True, id="ours")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="theirs")

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            for name in COLUMNS:
                table.add_column(name, key=name)
            for i in range(30):
                table.add_row(Text(" "), Text(f"D-{i}"), Text(f"Acme {i}"), key=str(i))


ROWS = st.integers(0, 29)
MOVES = st.one_of(
    st.tuples(st.just("cursor"), ROWS),
    st.tuples(st.just("hover"), st.integers(-1, 29), st.booleans()),
    st.tuples(st.just("replace"), ROWS, cells()),
    st.tuples(st.just("scroll"), st.integers(0, 25)),
)


async def test_whole_frames_draw_as_datatable_draws_them() -> None:
    """Lines cached by the cursor's row (not its coordinate), styles asked once per
    drawing: after any run of cursor moves, hovers, rewritten rows and scrolls, every
    line RowTable draws is the line a stock DataTable draws in the same state."""
    app = TwinApp()
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        ours = app.query_one("#ours", RowTable)
        theirs = app.query_one("#theirs", DataTable)
        assert ours.size == theirs.size and not (ours.has_focus or theirs.has_focus)

        @settings(max_examples=60, deadline=None)
        @given(moves=st.lists(MOVES, min_size=1, max_size=12))
        def check(moves: list[tuple[Any, ...]]) -> None:
            for move in moves:
                kind, row = move[0], move[1]
                if kind == "cursor":
                    for table in (ours, theirs):
                        table.move_cursor(row=row, animate=False)
                elif kind == "hover":
                    for table in (ours, theirs):
                        table.hover_coordinate = Coordinate(row, 0)
                        table._show_hover_cursor = move[2]
                        table.refresh()
                elif kind == "replace":
                    values = [Text("⧗"), Text(f"D-{row}"), move[2]]
                    ours.replace_row(str(row), values)
                    for name, value in zip(COLUMNS, values, strict=True):
                        theirs.update_cell(str(row), name, literal(value))
                for table in (ours, theirs):  # the same scroll, whatever each made of it
                    y = move[1] if kind == "scroll" else round(ours.scroll_y)
                    table.scroll_to(y=y, animate=False, immediate=True)
                assert ours.scroll_offset == theirs.scroll_offset
                assert frame(ours) == frame(theirs), move

        check()


async def test_a_restyled_table_draws_its_new_styles() -> None:
    """What FrameStyles keeps lasts one drawing: a class that changes the table's, the
    header's and the odd rows' backgrounds shows in RowTable's next frame as in the
    stock table's."""
    app = TwinApp()
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        ours = app.query_one("#ours", RowTable)
        theirs = app.query_one("#theirs", DataTable)
        before = frame(ours)
        assert before == frame(theirs)
        for table in (ours, theirs):
            table.add_class("-alt")
        await pilot.pause()
        after = frame(ours)
        assert after != before
        assert after == frame(theirs)
