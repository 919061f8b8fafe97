"""``TextModal``: a dialog asking for one line of text (a triage note, a revisit date).

It dismisses with the text, or ``None`` on escape, so callers can
``await app.push_screen_wait(...)``. (Picks from a list are asked in the triage screen's
status line, :mod:`screens.widgets.question_line`.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

PROMPT_CSS = """
TextModal {
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
