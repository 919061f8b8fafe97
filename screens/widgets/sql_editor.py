"""``SqlEditor``: a TextArea for SQL with completion and history recall.

- Syntax highlighting from Textual's tree-sitter SQL grammar (``tree-sitter-sql``); without
  the grammar it still edits, unhighlighted.
- Completion pops up while typing a word or after ``table.``: tab accepts, up/down choose,
  escape closes; enter still starts a new line. Candidates come from
  :func:`standup.sqlcomplete.complete` on the live catalog.
- Up on the first line recalls older queries from the history, down on the last line
  newer ones, and past the newest the text being written comes back.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from standup.adhoc import Catalog, statement_at
from standup.sqlcomplete import Candidate, Completion, complete

_KIND_MARK = {"column": "col", "table": "tbl", "function": "fn", "keyword": "kw"}


class CompletionList(OptionList):
    """The dropdown under the cursor. Never takes focus: the editor drives it."""

    can_focus = False

    DEFAULT_CSS = """
    CompletionList {
        overlay: screen;
        position: absolute;
        constrain: inside inside;
        display: none;
        width: auto;
        min-width: 24;
        max-width: 60;
        height: auto;
        max-height: 10;
        border: round $accent;
        background: $surface;
        padding: 0;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.candidates: tuple[Candidate, ...] = ()
        self.prefix = ""

    def show(self, completion: Completion, x: int, y: int) -> None:
        """Offer ``completion`` at screen cell ``(x, y)`` (just below the cursor)."""
        self.candidates = completion.candidates
        self.prefix = completion.prefix
        self.clear_options()
        self.add_options(
            Option(f"{c.text}  [dim]{_KIND_MARK.get(c.kind, c.kind)} {c.detail}[/]".rstrip())
            for c in self.candidates
        )
        self.highlighted = 0
        self.styles.offset = (max(0, x - len(self.prefix)), y + 1)
        self.display = True

    def hide(self) -> None:
        """Close the dropdown."""
        self.display = False
        self.candidates = ()

    @property
    def open(self) -> bool:
        """True while the dropdown is shown with something to offer."""
        return bool(self.display and self.candidates)

    def move(self, step: int) -> None:
        """Move the highlight (wrapping)."""
        if self.candidates:
            current = self.highlighted or 0
            self.highlighted = (current + step) % len(self.candidates)

    def chosen(self) -> Candidate | None:
        """The highlighted candidate."""
        if not self.candidates or self.highlighted is None:
            return None
        return self.candidates[self.highlighted]


class SqlEditor(TextArea):
    """The SQL prompt's editor."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        language = "sql" if "sql" in TextArea().available_languages else None
        super().__init__(
            text,
            language=language,
            soft_wrap=False,
            tab_behavior="focus",
            show_line_numbers=True,
            **kwargs,
        )
        self.catalog = Catalog()
        self.recall_texts: list[str] = []  # query history, newest first
        self._recall = -1  # index into history while recalling; -1 = the draft
        self._draft = ""
        self._complete_next_change = False

    # -- what the screen uses --------------------------------------------------------

    def current_sql(self) -> tuple[str, int]:
        """The selection if there is one, else the statement under the cursor.

        Returns the text and its offset in the document (for error positions).
        """
        if self.selected_text.strip():
            start = min(self.selection.start, self.selection.end)
            return self.selected_text, self._offset(start)
        text = self.text
        span = statement_at(text, self._offset(self.cursor_location))
        if span is None:
            return "", 0
        return text[span[0] : span[1]], span[0]

    def move_to_offset(self, offset: int) -> None:
        """Put the cursor at character ``offset`` of the document."""
        before = self.text[:offset]
        row = before.count("\n")
        column = len(before) - (before.rfind("\n") + 1)
        self.move_cursor((row, column))

    def load(self, text: str) -> None:
        """Replace the text (a recalled or saved query), cursor at the end."""
        self.text = text
        self.move_cursor(self.document.end)
        self._recall = -1

    def _offset(self, location: tuple[int, int]) -> int:
        row, column = location
        lines = self.text.split("\n")
        return sum(len(line) + 1 for line in lines[:row]) + column

    # -- completion ------------------------------------------------------------------

    @property
    def dropdown(self) -> CompletionList | None:
        """The screen's completion dropdown, if it has one."""
        found = self.screen.query(CompletionList)
        return found.first() if found else None

    def update_completion(self) -> None:
        """Recompute the dropdown for the word before the cursor."""
        dropdown = self.dropdown
        if dropdown is None:
            return
        if self.selected_text:
            dropdown.hide()
            return
        offset = self._offset(self.cursor_location)
        text = self.text
        span = statement_at(text, offset)
        statement = text[span[0] : span[1]] if span else ""
        start = span[0] if span and span[0] <= offset else 0
        completion = complete(self.catalog, text[start:offset], statement)
        if not completion.candidates:
            dropdown.hide()
            return
        x, y = self.cursor_screen_offset
        dropdown.show(completion, x, y)

    def accept_completion(self) -> bool:
        """Replace the word being typed with the highlighted candidate."""
        dropdown = self.dropdown
        if dropdown is None or not dropdown.open:
            return False
        candidate = dropdown.chosen()
        prefix = dropdown.prefix
        dropdown.hide()
        if candidate is None:
            return False
        row, column = self.cursor_location
        self.replace(candidate.text, (row, column - len(prefix)), (row, column))
        return True

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._complete_next_change:
            self._complete_next_change = False
            self.update_completion()

    def on_blur(self, event: events.Blur) -> None:
        dropdown = self.dropdown
        if dropdown is not None:
            dropdown.hide()

    # -- keys ------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        dropdown = self.dropdown
        key = event.key
        if dropdown is not None and dropdown.open:
            handled = True
            if key == "tab":
                self.accept_completion()
            elif key == "down":
                dropdown.move(1)
            elif key == "up":
                dropdown.move(-1)
            elif key == "escape":
                dropdown.hide()
            else:
                handled = False
            if handled:
                event.stop()
                event.prevent_default()
                return
        first_line = self.cursor_location[0] == 0
        last_line = self.cursor_location[0] == self.document.line_count - 1
        recalled = not self.selected_text and (
            (key == "up" and first_line and self._recall_step(1, at_end=False))
            or (key == "down" and last_line and self._recall_step(-1, at_end=True))
        )
        if recalled:
            event.stop()
            event.prevent_default()
            return
        if event.is_printable or key in ("backspace", "delete", "ctrl+w"):
            self._complete_next_change = True
        elif dropdown is not None and key not in ("shift", "ctrl"):
            dropdown.hide()
        await super()._on_key(event)

    def _recall_step(self, step: int, at_end: bool) -> bool:
        """Move through history: +1 older, -1 newer. False when there is nowhere to go."""
        target = self._recall + step
        if target < -1 or target >= len(self.recall_texts) or (step < 0 and self._recall == -1):
            return False
        if self._recall == -1:
            self._draft = self.text
        self._recall = target
        self.text = self._draft if target == -1 else self.recall_texts[target]
        if at_end:
            self.move_cursor(self.document.end)
        else:
            self.move_cursor((0, len(self.document.get_line(0))))
        return True
