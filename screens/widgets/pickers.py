"""Small modal prompts shared by triage and the open-dispute dialog.

``ChoiceModal`` picks one value from a list (optionally type-to-filter, optionally with
one-letter shortcuts); ``TextModal`` asks for one line of text. Both dismiss with the
value, or ``None`` on escape, so callers can ``await app.push_screen_wait(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

PROMPT_CSS = """
ChoiceModal, TextModal {
    align: center middle;
}
.prompt-box {
    width: 64;
    height: auto;
    max-height: 80%;
    border: thick $accent;
    background: $surface;
    padding: 0 1;
}
.prompt-title {
    text-style: bold;
    padding-bottom: 1;
}
.prompt-hint {
    color: $text-muted;
    padding-top: 1;
}
.prompt-error {
    color: $error;
}
.prompt-box OptionList {
    height: auto;
    max-height: 16;
}
"""


class ChoiceModal(ModalScreen[str | None]):
    """Pick one of ``options`` (value, label). Enter picks, escape cancels.

    With ``filterable`` an input above the list narrows it as you type (up/down still
    move the highlight). ``shortcuts`` maps single keys to values for one-key answers.
    """

    DEFAULT_CSS = PROMPT_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, str]],
        *,
        default: str | None = None,
        filterable: bool = False,
        shortcuts: dict[str, str] | None = None,
        hint: str = "",
    ) -> None:
        super().__init__()
        self._title = title
        self._options = list(options)
        self._default = default
        self._filterable = filterable
        self._shortcuts = shortcuts or {}
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Static(self._title, classes="prompt-title")
            if self._filterable:
                yield Input(placeholder="type to filter", id="prompt-filter")
            yield OptionList(id="prompt-options")
            hint = self._hint or (
                "type to filter · ↑↓ move · enter pick · esc cancel"
                if self._filterable
                else "↑↓ move · enter pick · esc cancel"
            )
            yield Static(hint, classes="prompt-hint")

    def on_mount(self) -> None:
        self._fill("")
        if self._filterable:
            self.query_one("#prompt-filter", Input).focus()
        else:
            self.query_one(OptionList).focus()

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        needle = text.strip().lower()
        shown = [
            (value, label)
            for value, label in self._options
            if not needle or needle in value.lower() or needle in label.lower()
        ]
        options.add_options([Option(label, id=value) for value, label in shown])
        if not shown:
            return
        values = [value for value, _ in shown]
        index = values.index(self._default) if self._default in values and not needle else 0
        options.highlighted = index

    @on(Input.Changed, "#prompt-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#prompt-filter")
    def _filter_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: Key) -> None:
        """Arrows move the list while typing in the filter; shortcut keys pick at once."""
        options = self.query_one(OptionList)
        if self._filterable and event.key in ("down", "up"):
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()
            return
        if not self._filterable and event.key in self._shortcuts:
            event.stop()
            self.dismiss(self._shortcuts[event.key])

    def action_cancel(self) -> None:
        """Close without picking."""
        self.dismiss(None)


class TextModal(ModalScreen[str | None]):
    """Ask for one line of text (pre-filled with ``initial``). Enter submits, escape cancels.

    ``validate`` returns why an answer is unusable (or None): the modal then stays open
    and shows the reason, so a typo never closes it with nothing done.
    """

    DEFAULT_CSS = PROMPT_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.text_cancel"),
    ]

    def __init__(
        self,
        title: str,
        *,
        initial: str = "",
        placeholder: str = "",
        validate: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._initial = initial
        self._placeholder = placeholder
        self._validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Static(self._title, classes="prompt-title")
            yield Input(value=self._initial, placeholder=self._placeholder, id="prompt-text")
            yield Static("", classes="prompt-error", id="prompt-error")
            yield Static("enter ok · esc cancel", classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self._validate(event.value) if self._validate else None
        if problem:
            self.query_one("#prompt-error", Static).update(problem)
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
