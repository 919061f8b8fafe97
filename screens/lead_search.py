"""Find any lead by CRM id or company, to raise a dispute on it (``f`` in triage)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.session import session_of
from standup.errors import StandupError
from standup.lead_search import LeadMatch, find_leads

HINT = "type to search · ↑↓ move · enter pick · esc cancel"
# Typing pauses this long before a search: one scan per word, not per key.
DEBOUNCE_SECONDS = 0.15


def describe(match: LeadMatch) -> str:
    """One line per lead: CRM id, company, stage, owner and campaign (no contact data)."""
    parts = [match.crm_id, match.company or "(no company)", match.stage]
    parts += [value for value in (match.owner, match.campaign) if value]
    return " · ".join(parts)


class LeadSearchModal(ModalScreen[int | None]):
    """Type a CRM id or a company; enter picks the highlighted lead (dismisses its id)."""

    CSS_PATH = "lead_search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="lead_search.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None
        self.searches = 0  # searches finished (tests wait on it)
        self._found: dict[int, LeadMatch] = {}
        self.picked: LeadMatch | None = None  # the lead picked, for the caller's labels

    def compose(self) -> ComposeResult:
        with Vertical(id="lead-search-box"):
            yield Static("Raise a dispute on a lead: find it", id="lead-search-title")
            yield Input(placeholder="CRM id, company or lead number", id="lead-search-text")
            yield OptionList(id="lead-search-results")
            yield Static(
                "type to search · ↑↓ move · enter pick · esc cancel", id="lead-search-hint"
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(text))

    @work(thread=True, exclusive=True, group="lead-search")
    def _search(self, text: str) -> None:
        try:
            found = find_leads(session_of(self).store, text)
        except StandupError as exc:
            self.app.call_from_thread(self._say, str(exc))
            return
        self.app.call_from_thread(self._show, text, found)

    def _show(self, text: str, found: list[LeadMatch]) -> None:
        self.searches += 1
        if text != self.query_one(Input).value:
            return  # typed on since: the newer search will land
        results = self.query_one(OptionList)
        results.clear_options()
        self._found = {m.lead_id: m for m in found}
        results.add_options([Option(describe(m), id=str(m.lead_id)) for m in found])
        if found:
            results.highlighted = 0
        self._say("" if found or not text.strip() else f"no lead matches {text.strip()!r}")

    def _say(self, message: str) -> None:
        self.query_one("#lead-search-hint", Static).update(message or HINT)

    def on_key(self, event: Key) -> None:
        """Up/down move the results while the cursor stays in the search field."""
        results = self.query_one(OptionList)
        if event.key == "down":
            results.action_cursor_down()
        elif event.key == "up":
            results.action_cursor_up()
        else:
            return
        event.stop()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is None:
            self._say("nothing to pick yet: type a CRM id or a company")
            return
        self._picked_index(results.highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._picked_index(event.option_index)

    def _picked_index(self, index: int) -> None:
        option = self.query_one(OptionList).get_option_at_index(index)
        self.picked = self._found.get(int(str(option.id)))
        self.dismiss(int(str(option.id)))

    def action_dismiss_none(self) -> None:
        """Close without picking."""
        self.dismiss(None)
