"""The minutes, shown when the agenda's last segment ends (same text as `standup report`)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static


class MinutesScreen(ModalScreen[None]):
    """A scrollable Markdown view of a meeting's minutes."""

    DEFAULT_CSS = """
    MinutesScreen {
        align: center middle;
    }
    #minutes-box {
        width: 90%;
        height: 90%;
        border: heavy $primary;
        background: $surface;
        padding: 0 1;
    }
    #minutes-hint {
        height: 1;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="minutes.close"),
    ]

    def __init__(self, markdown: str, where: str = "") -> None:
        super().__init__()
        self.markdown = markdown
        self.where = where

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="minutes-box"):
            yield Markdown(self.markdown, id="minutes-text")
        hint = "escape to close"
        if self.where:
            hint += f" · the same text: {self.where}"
        yield Static(hint, id="minutes-hint")

    def action_close(self) -> None:
        self.dismiss(None)
