"""StandupApp: the Textual shell. Screens are modes, one module each, switched by key.

Only the dashboard (the first frame) is imported with the app: the other screens, and
what they pull in (pyarrow, textual-fastdatatable, the triage core), load when first
opened, so launch does not pay for them (issue 3).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from screens import heap
from screens.dashboard import DashboardScreen
from screens.messages import PanelsRefreshed, PinsChanged, ShowDispute, SnapshotRecorded
from screens.session import refuse_write
from screens.standup_mode import STANDUP_BINDINGS, StandupMode
from standup.clock import Clock
from standup.config import Config
from standup.dashboard import FirstRefresh
from standup.errors import StandupError
from standup.followers import FOLLOWERS_ENV, SHARE_LINK_ENV, read_follower_count
from standup.session import Session
from standup.store import Store


# Screens other than the first one, imported when their mode is first entered.
def _triage_screen() -> Screen[None]:
    from screens.triage import TriageScreen

    return TriageScreen()


def _sql_screen() -> Screen[None]:
    from screens.sql_prompt import SqlScreen

    return SqlScreen()


def _presenter_screen() -> Screen[None]:
    from screens.presenter import PresenterScreen

    return PresenterScreen()


def _saved_query_commands() -> type[Provider]:
    """The command palette's saved queries (imported when the palette first opens)."""
    from screens.sql_commands import SavedQueryCommands

    return SavedQueryCommands


class StandupApp(StandupMode):
    """The app the room watches. Owns the session (store, config, clock...); screens read
    it through ``screens.session.session_of``."""

    TITLE = "standup"
    CSS_PATH = "app.tcss"
    MODES: ClassVar[dict[str, Callable[[], Screen[None]]]] = {  # type: ignore[assignment]
        "dashboard": DashboardScreen,
        "triage": _triage_screen,
        "sql": _sql_screen,
        "presenter": _presenter_screen,
    }
    DEFAULT_MODE = "dashboard"
    # How often the header's "as of" (and presenter's title clock) follow the wall clock.
    CLOCK_TICK_SECONDS = 15.0
    COMMANDS = App.COMMANDS | {_saved_query_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "switch_mode('dashboard')", "Dashboard", id="app.dashboard"),
        Binding("t", "switch_mode('triage')", "Triage", id="app.triage"),
        Binding("s", "switch_mode('sql')", "SQL", id="app.sql"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.force_quit"),
        *STANDUP_BINDINGS,
    ]

    def __init__(
        self,
        store: Store,
        config: Config | None = None,
        clock: Clock | None = None,
        *,
        exit_after_first_refresh: bool = False,
        exit_after: float | None = None,
        read_only: bool = False,
        redact: bool = False,
        present: bool = False,
        first_refresh: FirstRefresh | None = None,
    ):
        session = Session.start(store, config, clock, read_only=read_only, redact=redact)
        # Started early by ``standup open``, before this module was imported.
        session.first_refresh = first_refresh
        super().__init__(session, present=present)
        self.theme = session.config.theme
        # Benchmark hooks (hidden CLI flags): quit once every panel of the first screen
        # has drawn its data, or after a number of seconds.
        self._exit_after_first_refresh = exit_after_first_refresh
        self._exit_after = exit_after
        # What exists once the first refresh is drawn (modules, widgets, caches) lives as
        # long as the app: settled then (screens/heap.py), later full collections no
        # longer walk it (one took ~80 ms of the UI thread at 1M leads).
        self._heap_frozen = False

    def on_mount(self) -> None:
        self.sub_title = self._as_of_sub_title()
        self.mount_standup_mode()
        followers = os.environ.get(FOLLOWERS_ENV)
        if followers:  # broadcast by `standup serve --follow`: show who is watching
            self._followers_file = Path(followers)
            self._poll_followers()
            self.set_interval(1.0, self._poll_followers)
        if os.environ.get(SHARE_LINK_ENV):
            self.call_later(self.action_show_share_link)
        if not self.session.clock.pinned:
            # "as of" is the wall clock: it moves, so the header does too
            self.set_interval(self.CLOCK_TICK_SECONDS, self._tick_as_of)
        if self._exit_after_first_refresh:
            self._first_refresh_timer = self.set_interval(0.01, self._exit_when_panels_drawn)
        if self._exit_after is not None:
            self.set_timer(self._exit_after, self.exit)

    def _poll_followers(self) -> None:
        """Show the follower count the server writes (a few bytes from the page cache:
        cheap enough for the UI thread, unlike any database work)."""
        count = read_follower_count(self._followers_file)
        if count is not None and count != self.following:
            self.following = count
            self._update_sub_title()

    def _as_of_sub_title(self) -> str:
        session = self.session
        as_of = session.now().strftime("%Y-%m-%d %H:%M")
        pinned = " (pinned)" if session.clock.pinned else ""
        writes = " · SQL WRITES ALLOWED" if session.config.sql_allow_writes else ""
        return f"{session.store.display_name} · as of {as_of}{pinned}{writes}"

    def _tick_as_of(self) -> None:
        self._base_sub_title = self._as_of_sub_title()
        self._update_sub_title()

    def _exit_when_panels_drawn(self) -> None:
        """Quit after the frame that shows every panel's first result (the benchmark's
        cold start); exit code 1 if a panel's first refresh failed."""
        found = self.screen.panels() if isinstance(self.screen, DashboardScreen) else []
        if any(p.fetch_count == 0 for p in found):
            return
        self._first_refresh_timer.stop()
        failed = any(p.error for p in found)
        self.call_after_refresh(self.exit, return_code=1 if failed else 0)

    def on_panels_refreshed(self, message: PanelsRefreshed) -> None:
        if not self._heap_frozen:
            self._heap_frozen = True
            self.call_after_refresh(heap.settle)

    def on_show_dispute(self, message: ShowDispute) -> None:
        """Open the triage screen on one dispute (Enter on a dispute row anywhere)."""
        from screens.triage import TriageScreen

        self.switch_mode("triage")
        if isinstance(self.screen, TriageScreen):
            self.screen.focus_dispute(message.dispute_id)

    def on_pins_changed(self, message: PinsChanged) -> None:
        where = "pinned to" if message.pinned else "removed from"
        # The dashboard matches its pins to the saved queries whenever it shows again.
        self.notify(f"“{message.name}” {where} the dashboard", title="Pin")

    def find_lead_to_dispute(self) -> None:
        """Search any lead by CRM id or company, then raise a dispute on the one picked."""
        from screens.raise_dispute import find_lead_to_dispute

        find_lead_to_dispute(self)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: Textual's commands plus standup's own."""
        for command in super().get_system_commands(screen):
            # Textual's own saves into the platform's Downloads folder, which a server or
            # a fresh laptop account may not have: the command then failed with no path.
            if command.title == "Screenshot" and not self.is_web:
                command = SystemCommand(
                    "Screenshot",
                    "Save an SVG of the current screen in the working directory",
                    self.action_save_screenshot,
                )
            yield command
        if os.environ.get(SHARE_LINK_ENV):
            yield SystemCommand(
                "Show the share link",
                "The link followers open to watch this screen (standup serve --follow)",
                self.action_show_share_link,
            )
        yield SystemCommand(
            "Raise a dispute on any lead",
            "Find a lead by CRM id or company and open a dispute on it",
            self.find_lead_to_dispute,
        )
        yield SystemCommand(
            "Record standup snapshot",
            "Save the current KPIs; 'since last standup' deltas compare with it",
            self.action_record_snapshot,
        )
        if isinstance(screen, DashboardScreen):
            yield SystemCommand(
                "Cycle the goal period (c)",
                "Shared goal and RevOps: auto -> this quarter -> last quarter -> all time",
                screen.action_cycle_period,
            )

    def action_show_share_link(self) -> None:
        """Show the followers' share link (printed before the app took the screen)."""
        link = os.environ.get(SHARE_LINK_ENV, "")
        self.notify(f"Followers watch at {link}", title="Share link", timeout=20)

    def action_save_screenshot(self) -> None:
        """Save an SVG of the screen in the working directory and say where it went."""
        try:
            path = Path(self.save_screenshot(path=str(Path.cwd()))).resolve()
        except OSError as exc:
            self.notify(f"Screenshot not saved: {exc}", title="Screenshot", severity="error")
            return
        self.notify(f"Saved {path}", title="Screenshot")

    def action_record_snapshot(self) -> None:
        """Record a KPI snapshot in a thread worker, then refresh the screen's panels."""
        if refuse_write(self, "Recording a snapshot"):
            return
        self.run_worker(self._record_snapshot, thread=True, group="snapshot")

    def _record_snapshot(self) -> None:
        from standup.kpis import record_snapshot

        session = self.session
        try:
            standup_id = record_snapshot(session.store, session.now(), session.config)
        except StandupError as exc:
            self.call_from_thread(self.notify, str(exc), title="Snapshot", severity="error")
            return
        self.post_message(SnapshotRecorded(standup_id))

    def on_snapshot_recorded(self, message: SnapshotRecorded) -> None:
        self.notify(f"Recorded standup snapshot {message.standup_id}", title="Snapshot")
        self.refresh_screen()

    def action_help(self) -> None:
        """Show every key of the current screen (and the app-wide ones)."""
        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))
