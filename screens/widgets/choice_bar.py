"""A picker drawn over the bottom of its screen, for the questions of a triage key.

Triage asks one or two questions per decision (a reason code, whose fault). A dialog
screen for each repainted the whole screen twice per question (pushed, then popped:
~20-30 ms of Python at 160×45), and the row's pending mark waited for the last one. The
bar is a widget of the screen itself, on top of the layout (``overlay: screen``), so it
takes no room; and it never takes the focus, because the queue table repaints every
row when it loses or regains it (its look depends on ``:focus``). Its screen hands it
the keys while it asks (:meth:`ChoiceBar.key`), so opening and closing it repaints the
lines it covers and nothing else, and the queue stays on view while the room decides.

``await bar.ask(...)`` returns the picked value, or ``None`` on escape; the bar stays on
display until :meth:`ChoiceBar.close`, so a second question replaces the first in place
and the last one goes in the same frame as what its answer changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ChoiceBar(Vertical, can_focus=False):
    """Pick one of some (value, label) options. Enter picks, escape cancels.

    With ``filterable`` the typed text narrows the list (up/down move the highlight);
    else ``shortcuts`` maps single keys to values for one-key answers, and j/k move.
    """

    DEFAULT_CSS = """
    ChoiceBar {
        display: none;
        overlay: screen;
        constrain: none inside;
        width: 1fr;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    ChoiceBar #prompt-title {
        text-style: bold;
    }
    ChoiceBar #prompt-hint, ChoiceBar #prompt-filter {
        color: $text-muted;
    }
    ChoiceBar OptionList {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
        & > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = ""
        self._options: list[tuple[str, str]] = []
        self._shown: list[str] = []  # the values on the list now, in order
        self._default: str | None = None
        self._filterable = False
        self._typed = ""
        self._shortcuts: dict[str, str] = {}
        self._answer: asyncio.Future[str | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="prompt-title")
        yield Static("", id="prompt-filter")
        options = OptionList(id="prompt-options")
        options.can_focus = False
        yield options
        yield Static("", id="prompt-hint")

    @property
    def question(self) -> str | None:
        """The open question's title; None when nothing is asked."""
        return self._title if self._answer is not None else None

    async def ask(
        self,
        title: str,
        options: Sequence[tuple[str, str]],
        *,
        default: str | None = None,
        filterable: bool = False,
        shortcuts: dict[str, str] | None = None,
        hint: str = "",
    ) -> str | None:
        """Show the question and wait for the answer (``None``: cancelled)."""
        if self._answer is not None:
            self._finish(None)  # a question left open is cancelled by the next
        self._title, self._options, self._default = title, list(options), default
        self._filterable, self._shortcuts, self._typed = filterable, shortcuts or {}, ""
        self.query_one("#prompt-title", Static).update(title)
        self.query_one("#prompt-filter", Static).display = filterable
        self.query_one("#prompt-hint", Static).update(
            hint
            or (
                "type to filter · ↑↓ move · enter pick · esc cancel"
                if filterable
                else "↑↓ move · enter pick · esc cancel"
            )
        )
        self._fill()
        self.display = True
        self._answer = asyncio.get_running_loop().create_future()
        return await self._answer

    def key(self, event: Key) -> None:
        """A key pressed while the bar asks (its screen hands over every one)."""
        event.stop()
        event.prevent_default()
        options = self.query_one(OptionList)
        key = event.key
        if key == "escape":
            self._finish(None)
        elif key == "enter":
            if options.highlighted is not None and self._shown:
                self._finish(self._shown[options.highlighted])
        elif key in ("down", "up") or (not self._filterable and key in ("j", "k")):
            if key in ("down", "j"):
                options.action_cursor_down()
            else:
                options.action_cursor_up()
        elif not self._filterable:
            if key in self._shortcuts:
                self._finish(self._shortcuts[key])
        elif key == "backspace":
            self._typed = self._typed[:-1]
            self._fill()
        elif event.is_printable and event.character:
            self._typed += event.character
            self._fill()

    def _fill(self) -> None:
        """The options the typed text matches, the default (or first) highlighted."""
        needle = self._typed.strip().lower()
        shown = [
            (value, label)
            for value, label in self._options
            if not needle or needle in value.lower() or needle in label.lower()
        ]
        self._shown = [value for value, _ in shown]
        typed = Text.assemble(("filter: ", "dim"), self._typed or "", ("▏", "bold"))
        self.query_one("#prompt-filter", Static).update(typed)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(label, id=value) for value, label in shown])
        if shown:
            default = self._default
            unfiltered = default in self._shown and not needle
            options.highlighted = self._shown.index(default) if unfiltered else 0

    def close(self) -> None:
        """Hide the bar (the asker calls it once it is done asking)."""
        if self._answer is None:
            self.display = False

    def _finish(self, value: str | None) -> None:
        # Still on display: the asker closes it in the same frame as what the answer
        # does (a triage row turning pending), or asks the next question in it.
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_result(value)

    @on(OptionList.OptionSelected, "#prompt-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._finish(event.option.id)
