"""The dashboard: the screen the room looks at.

Six live panels (``screens/widgets/dashboard_panels.py``) and the saved queries pinned
under them refresh together through the screen's one
:class:`~screens.widgets.panel_feed.PanelFeed`: one thread worker and one read-only
connection per refresh (pinned queries run on the SQL engine's own, after it). This
screen adds what they share: ``ctrl+r`` refreshes all of them now, a cheap
0.5 s poll of the database file's (and its WAL's) size and mtime refreshes them when
another process writes (no DB work on the UI thread: it only stats two files), and a
status line says which database, as of when, when it last refreshed — and, if refreshes
fail (file locked), that the data on screen is stale and how old it is.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from screens.raise_dispute import find_lead_to_dispute, raise_dispute
from screens.session import session_of
from screens.widgets.dashboard_panels import (
    CampaignsPanel,
    DisputesPanel,
    GoalPanel,
    PipelinePanel,
    StalledPanel,
)
from screens.widgets.data_warning import DataWarning
from screens.widgets.in_place import update_in_place
from screens.widgets.panel import Panel, format_age
from screens.widgets.panel_feed import PanelFeed
from screens.widgets.pinned_panel import sync_pinned_panels
from screens.widgets.revops_panel import RevOpsPanel
from standup.revenue import PERIODS

FILE_POLL_SECONDS = 0.5
LIVE_POLL_SECONDS = 0.1


class DashboardScreen(Screen[None]):
    """Pipeline, shared goal, RevOps, stalled leads, open disputes and campaigns, live."""

    CSS_PATH = "dashboard.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (120, "-wide"),
    ]
    # Below 44 rows the wide grid's middle row (Stalled, Open disputes) would get what
    # is left after the other rows: nothing at 120x34. Short screens scroll instead.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-short"),
        (44, "-tall"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "refresh_panels", "Refresh", id="dashboard.refresh"),
        Binding("f", "flag_lead", "Flag lead", id="dashboard.flag_lead"),
        # The tables' own keys are the arrows; j/k are the key map's for every list.
        Binding("j", "move_cursor(1)", "Down", show=False, id="dashboard.down"),
        Binding("k", "move_cursor(-1)", "Up", show=False, id="dashboard.up"),
        Binding("c", "cycle_period", "Goal period", show=False, id="dashboard.cycle_period"),
        Binding(
            "enter",
            "open_row",
            "Open dispute / flag lead",
            show=False,
            id="dashboard.open_row",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._signature: object = None
        self.file_refreshes = 0  # refreshes triggered by a change on disk (tests wait on it)
        self._shown = False  # displayed at least once (the first resume is not a return)
        self.feed = PanelFeed(self)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="dash-status")
        yield DataWarning(id="data-warning", feed=self.feed)
        with VerticalScroll(id="panels"):
            yield PipelinePanel(id="pipeline", feed=self.feed)
            with Vertical(id="money"):
                yield GoalPanel(id="goal", feed=self.feed)
                yield RevOpsPanel(id="revops", feed=self.feed)
            yield StalledPanel(id="stalled", feed=self.feed)
            yield DisputesPanel(id="disputes", feed=self.feed)
            yield CampaignsPanel(id="campaigns", feed=self.feed)
        yield Footer()

    def on_mount(self) -> None:
        session = session_of(self)
        self._signature = session.change_signature()
        self.feed.request()  # the first refresh, at once
        # Team mode's signature is a counter in memory (LISTEN/NOTIFY): look more often.
        poll = LIVE_POLL_SECONDS if session.hears_commits else FILE_POLL_SECONDS
        self.set_interval(poll, self._poll_changes)
        self.set_interval(1.0, self.update_status)
        self.update_status()

    def action_move_cursor(self, step: int) -> None:
        """j / k: move the focused table's cursor (stalled, disputes, campaigns, pins)."""
        table = self.focused
        move = getattr(table, "action_cursor_down" if step > 0 else "action_cursor_up", None)
        if callable(move):
            move()

    # -- refreshing ----------------------------------------------------------------

    def panels(self) -> list[Panel[Any]]:
        """Every live panel on the screen."""
        return list(self.query(Panel))

    def refresh_panels(self) -> None:
        """Refresh every panel now, in one refresh (never overlapping the running one)."""
        self.feed.request()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self.feed.on_worker_state_changed(event):
            event.stop()

    def on_screen_resume(self) -> None:
        # Saved queries pinned at the SQL prompt (ctrl+g) join the live panels.
        sync_pinned_panels(self.query_one("#panels"), self.feed)
        # Panels do not query while another screen is on display: catch up at once.
        # (Not on first display: the first refresh is running or, when standup open had
        # it ready before the screen mounted, has just been shown.)
        returning, self._shown = self._shown, True
        if returning and self.feed.refreshes > 0 and not self.feed.busy:
            self.feed.request()

    def action_refresh_panels(self) -> None:
        self.refresh_panels()

    def action_cycle_period(self) -> None:
        """The shared goal's (and RevOps') period: auto -> this quarter -> last -> all."""
        session = session_of(self)
        now = session.config.goal_period
        nxt = PERIODS[(PERIODS.index(now) + 1) % len(PERIODS)]
        session.config = session.config.model_copy(update={"goal_period": nxt})
        labels = {"auto": "auto (latest with data)", "last_quarter": "last quarter"}
        self.notify(f"Goal period: {labels.get(nxt, nxt.replace('_', ' '))}")
        self.refresh_panels()

    def _poll_changes(self) -> None:
        signature = session_of(self).change_signature()
        if signature != self._signature:
            self._signature = signature
            self.file_refreshes += 1
            self.refresh_panels()

    # -- rows ----------------------------------------------------------------------

    def action_flag_lead(self) -> None:
        """Raise a dispute on the stalled lead under the cursor; elsewhere, find any lead."""
        stalled = self.query_one(StalledPanel)
        lead = stalled.selected_lead() if self._on_stalled() else None
        if lead is None:
            find_lead_to_dispute(self)
            return
        raise_dispute(self, lead, stalled.lead_label(lead))

    def _on_stalled(self) -> bool:
        focused = self.focused
        return focused is not None and self.query_one(StalledPanel) in focused.ancestors

    def action_open_row(self) -> None:
        """Enter outside a table: act on the focused table's row, if any."""
        if isinstance(self.focused, DataTable):
            self.focused.action_select_cursor()

    def on_panel_refreshed(self, event: Panel.Refreshed) -> None:
        self.update_status()

    # -- status line ---------------------------------------------------------------

    def update_status(self) -> None:
        """DB, as-of, last refresh; a loud warning while any panel shows stale data."""
        session = session_of(self)
        as_of = session.now().strftime("%Y-%m-%d %H:%M")
        pinned = " (pinned)" if session.clock.pinned else ""
        panels = self.panels()
        done = [p.last_ok for p in panels if p.last_ok is not None]
        refreshed = f"refreshed {max(done):%H:%M:%S}" if done else "loading…"
        stale = [p for p in panels if p.error is not None]
        line = Text.assemble(
            (f"{session.store.display_name}", "bold"),
            f" · as of {as_of}{pinned} · {refreshed}",
        )
        if stale:
            ages = [p.stale_seconds() for p in stale]
            oldest = max((a for a in ages if a is not None), default=None)
            age = f"data {format_age(oldest)} old" if oldest is not None else "no data yet"
            line.append_text(
                Text(f"  ⚠ STALE ({len(stale)} panels, {age}): {stale[0].error}", "bold red")
            )
        update_in_place(self.query_one("#dash-status", Static), line)
        self.set_class(bool(stale), "-stale")
