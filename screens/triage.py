"""The Triage screen (built in its own issue)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class TriageScreen(Screen[None]):
    """Placeholder until its issue lands: says so instead of pretending."""

    BINDINGS: ClassVar[list[BindingType]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Triage: not built yet", id="triage-body")
        yield Footer()
