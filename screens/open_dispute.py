"""Open a dispute on a lead from any lead row: pick side, reason, claim."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from standup import triage
from standup.errors import StandupError
from standup.session import actor_name

if TYPE_CHECKING:
    from screens.app import StandupApp

SIDES = [
    ("marketing", "marketing — that lead was good / sales never followed up"),
    ("sales", "sales — the lead is junk"),
]


class OpenDisputeModal(ModalScreen[int | None]):
    """Ask which side raises it, the reason code and the claim; dismiss with the new id."""

    CSS_PATH = "open_dispute.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="open_dispute.close"),
    ]

    def __init__(self, lead_id: int, label: str | None = None) -> None:
        super().__init__()
        self.lead_id = lead_id
        # how the title names the lead: its CRM id (and company), else our own number
        self.label = label or f"#{lead_id}"
        self._reasons: list[tuple[str, str, str, int | None]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dispute-box"):
            yield Static(f"Open a dispute on lead {self.label}", id="open-dispute-title")
            yield Static("Raised by", classes="open-dispute-label")
            yield OptionList(*[Option(label, id=side) for side, label in SIDES], id="od-side")
            yield Static("Reason code", classes="open-dispute-label")
            yield OptionList(id="od-reason")
            yield Static("Claim (what does the raising side say?)", classes="open-dispute-label")
            yield Input(placeholder="e.g. Director-level contact, asked for pricing", id="od-claim")
            yield Button("Open dispute", variant="primary", id="od-submit")
            yield Static("", id="od-error")
            yield Static(
                "tab moves · enter in the claim opens it · esc cancels", id="open-dispute-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#od-side", OptionList).highlighted = 0
        self.query_one("#od-side", OptionList).focus()
        self._load_reasons()

    @work(thread=True)
    def _load_reasons(self) -> None:
        app = cast("StandupApp", self.app)
        try:
            reasons = triage.reason_codes(app.store)
        except StandupError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self._show_reasons, reasons)

    def _show_reasons(self, reasons: list[tuple[str, str, str, int | None]]) -> None:
        # Dispute reasons first: they are what a dispute is usually about.
        ordered = sorted(reasons, key=lambda r: (r[1] != "dispute", r[0]))
        self._reasons = ordered
        options = self.query_one("#od-reason", OptionList)
        options.add_options([Option(f"{code} — {label}", id=code) for code, _, label, _ in ordered])
        options.highlighted = 0

    @on(OptionList.OptionSelected, "#od-side")
    def _side_picked(self) -> None:
        self.query_one("#od-reason", OptionList).focus()

    @on(OptionList.OptionSelected, "#od-reason")
    def _reason_picked(self) -> None:
        self.query_one("#od-claim", Input).focus()

    @on(Input.Submitted, "#od-claim")
    @on(Button.Pressed, "#od-submit")
    def _submit(self) -> None:
        side_list = self.query_one("#od-side", OptionList)
        reason_list = self.query_one("#od-reason", OptionList)
        if side_list.highlighted is None or reason_list.highlighted is None:
            self._error("pick a side and a reason code")
            return
        side = side_list.get_option_at_index(side_list.highlighted).id
        reason = reason_list.get_option_at_index(reason_list.highlighted).id
        claim = self.query_one("#od-claim", Input).value
        if not claim.strip():
            self._error("a dispute needs a claim")
            return
        assert side is not None and reason is not None
        self._open(side, reason, claim)

    @work(thread=True, exclusive=True)
    def _open(self, side: str, reason: str, claim: str) -> None:
        app = cast("StandupApp", self.app)
        try:
            row = triage.open_dispute(
                app.store,
                self.lead_id,
                side,
                reason,
                claim,
                app.clock.now(),
                actor=actor_name(),
                config=app.config,
            )
        except StandupError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self._opened, row)

    def _opened(self, row: triage.QueueRow) -> None:
        company = f" {row.company}" if row.company else ""
        self.app.notify(f"{row.label} opened on lead {row.ref}{company} ({row.raised_by})")
        self.dismiss(row.dispute_id)

    def _error(self, message: str) -> None:
        self.query_one("#od-error", Static).update(message)

    def action_dismiss_none(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
