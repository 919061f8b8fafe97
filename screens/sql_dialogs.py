"""Small modals of the SQL prompt: ask for a line of text, confirm, pick from history."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class AskModal(ModalScreen[str | None]):
    """One line of text (a path, a name). Enter answers, escape cancels (None)."""

    CSS_PATH = "sql_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="sql_dialog.cancel"),
    ]

    def __init__(self, title: str, value: str = "", hint: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="sql-dialog"):
            yield Static(self._title, classes="sql-dialog-title")
            yield Input(self._value, id="sql-dialog-input")
            yield Static(self._hint or "enter to confirm · escape to cancel", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question: y confirms; n or escape declines."""

    CSS_PATH = "sql_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="sql_confirm.yes"),
        Binding("n", "answer(False)", "No", id="sql_confirm.no"),
        Binding("escape", "answer(False)", "No", show=False, id="sql_confirm.cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="sql-dialog"):
            yield Static(self._question, classes="sql-dialog-title")
            yield Static("y: yes · n / escape: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class HistoryModal(ModalScreen[str | None]):
    """Browse and search the query history; enter puts the query into the editor."""

    CSS_PATH = "sql_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="sql_history.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="sql_history.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="sql_history.up"),
    ]

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self._texts = texts  # newest first

    def compose(self) -> ComposeResult:
        with Vertical(classes="sql-dialog", id="sql-history-box"):
            yield Static(f"History ({len(self._texts):,} queries)", classes="sql-dialog-title")
            yield Input(placeholder="search: words the query contains", id="sql-history-search")
            yield OptionList(id="sql-history-list")
            yield Static("type to search · ↑↓ choose · enter to use · escape", classes="hint")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, needle: str) -> None:
        words = needle.lower().split()
        found = [text for text in self._texts if all(word in text.lower() for word in words)]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(" ".join(text.split())[:200], id=str(index))
            for index, text in enumerate(found[:500])
        )
        self._found = found
        if found:
            options.highlighted = 0

    @on(Input.Changed, "#sql-history-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#sql-history-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or index >= len(self._found):
            self.dismiss(None)
        else:
            self.dismiss(self._found[index])

    def action_move(self, step: int) -> None:
        """Move the highlight while the search box keeps focus."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
