"""A question asked in one line of its screen, for the picks of a triage key.

Triage asks one or two questions per decision (a reason code, whose fault). A dialog
screen for each repainted the whole screen twice per question (pushed, then popped), and
the row's pending mark waited for the last one. A widget shown over the screen for the
question does no better: any change of what is displayed re-lays out the screen, and
Textual then repaints every line of it (~30 ms of Python at 160×45 on a 2-core laptop).
So the question is asked in the screen's status line, a line that is always there: each
key redraws that one line and nothing else, the queue keeps the focus (a DataTable
repaints every row when it loses or regains it), and the answer's own frame shows the
row pending. Its screen hands it every key while it asks (:meth:`QuestionLine.key`).

``await line.ask(...)`` returns the picked value, or ``None`` on escape.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from rich.text import Text
from textual.events import Key

# How much of the line the options may take before the rest is summarised as "+N".
_MIN_OPTION_WIDTH = 12
# Below this many columns the line drops its key hints for the options.
_WIDE = 120


class QuestionLine:
    """Pick one of some (value, label) options. Enter picks, escape cancels.

    With ``filterable`` the typed text narrows the options (←→ or ↑↓ move the
    highlight); else ``shortcuts`` maps single keys to values for one-key answers, and
    j / k move too. ``show`` draws the question line (a Text) wherever the screen wants.
    """

    def __init__(self, show: Callable[[Text], None], width: Callable[[], int]) -> None:
        self._show = show
        self._width = width
        self._title = ""
        self._options: list[tuple[str, str]] = []
        self._shown: list[tuple[str, str]] = []  # the options the typing matches
        self._highlighted = 0
        self._filterable = False
        self._typed = ""
        self._shortcuts: dict[str, str] = {}
        self._hint = ""
        self._answer: asyncio.Future[str | None] | None = None

    @property
    def question(self) -> str | None:
        """The open question's title; None when nothing is asked."""
        return self._title if self._answer is not None else None

    @property
    def offered(self) -> list[str]:
        """The values on offer now (narrowed by what was typed)."""
        return [value for value, _ in self._shown]

    @property
    def typed(self) -> str:
        """What was typed to narrow the options."""
        return self._typed

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
        self._title, self._options, self._hint = title, list(options), hint
        self._filterable, self._shortcuts, self._typed = filterable, shortcuts or {}, ""
        self._narrow(default)
        self._answer = asyncio.get_running_loop().create_future()
        self._draw()
        return await self._answer

    def key(self, event: Key) -> None:
        """A key pressed while it asks (its screen hands over every one)."""
        event.stop()
        event.prevent_default()
        key = event.key
        if key == "escape":
            self._finish(None)
            return
        if key == "enter":
            if self._shown:
                self._finish(self._shown[self._highlighted][0])
            return
        moves = {"down": 1, "right": 1, "up": -1, "left": -1}
        if not self._filterable:
            moves.update(j=1, k=-1)
        if key in moves:
            if self._shown:
                self._highlighted = (self._highlighted + moves[key]) % len(self._shown)
        elif not self._filterable:
            if key in self._shortcuts:
                self._finish(self._shortcuts[key])
            return
        elif key == "backspace":
            self._typed = self._typed[:-1]
            self._narrow(None)
        elif event.is_printable and event.character:
            self._typed += event.character
            self._narrow(None)
        self._draw()

    def _narrow(self, default: str | None) -> None:
        """The options the typed text matches, ``default`` (or the first) highlighted."""
        needle = self._typed.strip().lower()
        self._shown = [
            (value, label)
            for value, label in self._options
            if not needle or needle in value.lower() or needle in label.lower()
        ]
        values = self.offered
        self._highlighted = values.index(default) if default in values else 0

    def _draw(self) -> None:
        """The question, what was typed, the options around the highlighted one."""
        line = Text.assemble((f"{self._title} ", "bold"))
        if self._filterable:
            line.append_text(Text.assemble(("› ", "dim"), self._typed, ("▏ ", "bold")))
        keys = self._hint or (
            "type to filter · ←→ move · enter pick · esc cancel"
            if self._filterable
            else "←→ move · enter pick · esc cancel"
        )
        width = self._width()
        if width < _WIDE:
            keys = "esc cancel"  # the options come first on a narrow screen
        room = max(width - line.cell_len - len(keys) - 4, _MIN_OPTION_WIDTH)
        if not self._shown:
            line.append("nothing matches", style="italic")
        else:
            line.append_text(self._options_text(room))
        line.append(f"  {keys}", style="dim")
        self._show(line)

    def _options_text(self, room: int) -> Text:
        """As many options as fit in ``room`` cells, starting so the highlighted one is
        in view; the highlighted one with its label, the others by value."""
        labels = [
            label if i == self._highlighted else value
            for i, (value, label) in enumerate(self._shown)
        ]
        start = 0
        while (
            start < self._highlighted
            and sum(len(s) + 3 for s in labels[start : self._highlighted + 1]) + 3 > room
        ):
            start += 1
        text = Text("…  " if start else "")
        used = text.cell_len
        for i in range(start, len(labels)):
            more = f"+{len(labels) - i}"
            if used + len(labels[i]) + 2 + len(more) > room and i != self._highlighted:
                text.append(more, style="dim")
                break
            style = "reverse bold" if i == self._highlighted else ""
            text.append(f" {labels[i]} ", style=style)
            text.append(" ")
            used += len(labels[i]) + 3
        return text

    def _finish(self, value: str | None) -> None:
        # The line is left as it is: the asker's next status (the rows pending, or
        # "cancelled") replaces it, at once or in the frame after what the answer does.
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_result(value)
