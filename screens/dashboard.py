"""The dashboard: the screen the room looks at. Panels arrive with the dashboard issue."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class DashboardScreen(Screen[None]):
    """Header with DB and as-of time; the live panels are built in issue 3."""

    CSS_PATH = "dashboard.tcss"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Dashboard", id="dashboard-body")
        yield Footer()
