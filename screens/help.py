"""The ``?`` help: every key of the screen underneath, and the app-wide keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


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
        seen: set[str] = set()
        for where, bindings in (("screen", self._under.BINDINGS), ("anywhere", self.app.BINDINGS)):
            for item in bindings:
                if not isinstance(item, Binding) or item.key in seen:
                    continue
                seen.add(item.key)
                key = item.key_display or item.key
                table.add_row(key, item.description or item.action, where)

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
