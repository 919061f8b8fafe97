"""Open a dispute on a lead from any lead row (built with the triage issue)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static


class OpenDisputeModal(ModalScreen[int | None]):
    """Placeholder until the triage issue lands: says so instead of pretending."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="open_dispute.close"),
    ]

    def __init__(self, lead_id: int) -> None:
        super().__init__()
        self.lead_id = lead_id

    def compose(self) -> ComposeResult:
        yield Static(f"Opening a dispute on lead {self.lead_id}: not built yet")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
