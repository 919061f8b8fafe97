"""The dashboard's one-line data-quality warning (``standup check``, issue 12).

A fed panel like the others (:class:`~screens.widgets.panel.Panel`, its fetch
``standup.dashboard.check_data`` runs in the refresh worker), drawn as a single line
under the status line and hidden while the data is clean. ``standup open``'s launch
refresh does not check (``standup.dashboard.LAUNCH_FETCHES``: the first frame never
waits for a pass over every lead), so after launch the line comes with the next refresh.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from screens.widgets.in_place import update_in_place
from screens.widgets.panel import Panel
from standup import check
from standup.store import Connection


class DataWarning(Panel[check.Report | None]):
    """``⚠ data: 5,679 leads without a created date · … — run `standup check```."""

    TITLE = ""
    FETCH_KEY = "check"
    DEFAULT_CSS = """
    DataWarning {
        border: none;
        height: auto;
        padding: 0 1;
        display: none;
    }
    DataWarning.-shown, DataWarning.-stale {
        display: block;
    }
    DataWarning > .data-warning-line {
        color: $text-warning;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.line: str | None = None  # what it shows (tests read it)

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="data-warning-line")

    def fetch_on(self, conn: Connection, now: datetime) -> check.Report | None:
        from standup.dashboard import FETCHES

        return FETCHES["check"](conn, now, self.config, None)  # type: ignore[no-any-return]

    def show(self, data: check.Report | None) -> None:
        if data is None:  # not checked yet (the launch refresh)
            return
        self.line = check.warning_line(data)
        update_in_place(self.query_one(".data-warning-line", Static), Text(self.line or "", end=""))
        self.set_class(self.line is not None, "-shown")
