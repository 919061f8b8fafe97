"""The ``?`` help: every key of the screen underneath, and the app-wide keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

# Textual's tab / shift+tab move between the tables: part of the key map, so shown.
FOCUS_KEYS = ("app.focus_next", "app.focus_previous", "focus_next", "focus_previous")


class HelpScreen(ModalScreen[None]):
    """A modal listing the bindings of ``screen`` and of the app."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help.close_again"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._under = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                f"Keys — {self._under.__class__.__name__.removesuffix('Screen')}", id="help-title"
            )
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static("escape or ? to close", id="help-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "does", "where")
        # Every key that works right now: the focused widget's, the screen's, the app's
        # (the agenda and redaction keys of its mixin too), hidden ones (j/k) included.
        # The screen's and app's declared BINDINGS alone missed some of them.
        rows: list[tuple[int, str, str, str]] = []
        for key, active in self._under.active_bindings.items():
            binding = active.binding
            node = active.node
            # Our keys all carry an id; Textual's own widget keys (scrolling, cursor
            # home/end, copy) would drown them, apart from the app's (palette, ctrl+q).
            ours = binding.id is not None or node is self.app or binding.action in FOCUS_KEYS
            if not binding.description or not ours:
                continue
            if node is self.app:
                order, where = 2, "anywhere"
            elif node is self._under:
                order, where = 0, "screen"
            else:
                order, where = 1, node.__class__.__name__
            shown = binding.key_display or self.app.get_key_display(binding)
            rows.append((order, where, shown or key, binding.description))
        for _, where, key, does in sorted(rows, key=lambda row: row[:2]):
            table.add_row(key, does, where)

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
