"""Standup mode for the app: presenter mode, the agenda, redaction, read-only sessions.

The base class of :class:`screens.app.StandupApp`, kept in its own module so the app
shell stays small. It owns the :class:`~standup.session.Session`. Keys (none clash with
DESIGN.md's map):

    p   presenter mode on/off (projector theme, big numbers, minimal chrome)
    g   agenda: start / pause / resume (starting records the KPI snapshot + meeting)
    ]   next agenda segment (after the last one the meeting ends and the minutes show)
    [   previous agenda segment
    m   redaction on/off (contacts as initials, emails as company domain)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from textual.app import App, ScreenStackError
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from screens.messages import MeetingFailed, MeetingStarted, MinutesReady
from screens.session import Refreshable, refuse_write
from screens.themes import PROJECTOR
from screens.widgets.agenda_bar import AgendaBar
from standup.agenda import Agenda, State, Timing
from standup.errors import StandupError
from standup.meeting import Meeting, save_progress, start_meeting
from standup.session import Session

STANDUP_BINDINGS: list[BindingType] = [
    # Kept out of the footers (the ? help and presenter mode's hint line list them), so
    # the other screens' footers and snapshots stay as their own issues drew them.
    Binding("p", "toggle_presenter", "Presenter", show=False, id="app.presenter"),
    Binding("g", "agenda_toggle", "Agenda start/pause", show=False, id="app.agenda_toggle"),
    Binding(
        "right_square_bracket",
        "agenda_next",
        "Next segment",
        key_display="]",
        show=False,
        id="app.agenda_next",
    ),
    Binding(
        "left_square_bracket",
        "agenda_previous",
        "Previous segment",
        key_display="[",
        show=False,
        id="app.agenda_previous",
    ),
    Binding("m", "toggle_redact", "Redact", show=False, id="app.redact"),
]

TICK_SECONDS = 0.5


class StandupMode(App[None]):
    """Presenter / agenda / redaction state and actions, over the session it owns."""

    def __init__(self, session: Session, *, present: bool) -> None:
        super().__init__()
        # Everything about this run, read-only enforced inside (see standup.session);
        # screens reach it with screens.session.session_of(self).
        self.session = session
        self.register_theme(PROJECTOR)
        self.presenting = False
        self._present_at_start = present
        self._theme_before = ""
        self.agenda: Agenda | None = None
        # Monotonic seconds for the agenda; tests replace it to move time without sleeping.
        self.monotonic: Callable[[], float] = time.monotonic
        self._agenda_timer: Any = None
        self._base_sub_title = ""
        # How many watch this screen (``standup serve --follow``); None when not served.
        self.following: int | None = None
        self._save_pending = False
        self._write_lock = threading.Lock()
        self._write_seq = 0
        self._written_seq = 0

    def mount_standup_mode(self) -> None:
        """Call from the App's on_mount (after the sub-title is set)."""
        self._base_sub_title = self.sub_title
        self._update_sub_title()
        if self._present_at_start:
            self._enter_presenter()

    # -- redaction ----------------------------------------------------------------------

    def action_toggle_redact(self) -> None:
        """Contacts as initials / company only, or back to full names."""
        session = self.session
        session.redact = not session.redact
        self._update_sub_title()
        self.notify(
            "Redaction on: contacts as initials, emails as company"
            if session.redact
            else "Redaction off: full contact names",
            title="Redact",
        )
        self.refresh_screen()

    # -- presenter mode -----------------------------------------------------------------

    def action_toggle_presenter(self) -> None:
        """Presenter mode on/off."""
        if self.presenting:
            self._leave_presenter()
        else:
            self._enter_presenter()

    def _enter_presenter(self) -> None:
        self.presenting = True
        self._theme_before = self.theme
        self.theme = PROJECTOR.name
        self.add_class("-presenting")
        self.switch_mode("presenter")
        self.call_after_refresh(self._sync_bar)

    def _leave_presenter(self) -> None:
        self.presenting = False
        self.theme = self._theme_before or self.session.config.theme
        self.remove_class("-presenting")
        if self.current_mode == "presenter":
            self.switch_mode("dashboard")
        self.call_after_refresh(self._sync_bar)

    # -- the agenda ---------------------------------------------------------------------

    def action_agenda_toggle(self) -> None:
        """Start the meeting, or pause / resume it."""
        if self.agenda is None or self.agenda.state is State.FINISHED:
            self._start_agenda()
            return
        self.agenda.toggle()
        self._sync_bar()
        self._save_meeting()

    def action_agenda_next(self) -> None:
        """Next segment; after the last one, end the meeting and show the minutes."""
        if self.agenda is None or not self.agenda.started:
            self.notify("No meeting running: g starts the agenda", title="Agenda")
            return
        if self.agenda.state is State.FINISHED:
            return
        self.agenda.next()
        if self.agenda.state is State.FINISHED:
            self._finish_agenda()
            return
        self._show_segment()
        self._save_meeting()

    def action_agenda_previous(self) -> None:
        """Back one segment."""
        if self.agenda is None or not self.agenda.previous():
            return
        self._show_segment()
        self._save_meeting()

    def _start_agenda(self) -> None:
        self.agenda = Agenda(
            self.session.config.agenda,
            monotonic=lambda: self.monotonic(),
            warn_fraction=self.session.config.agenda_warn_fraction,
        )
        self.session.meeting = None
        self._save_pending = False
        self.agenda.start()
        if self._agenda_timer is None:
            self._agenda_timer = self.set_interval(TICK_SECONDS, self._sync_bar)
        self._show_segment()
        # The timer runs either way; only a writable session records the meeting. (Said
        # after the refresh: a toast raised mid mode-switch lands on the old screen.)
        if self.session.read_only:
            self.call_after_refresh(refuse_write, self, "Recording the meeting")
            return
        now = self.session.now()
        self.run_worker(
            partial(self._record_start, now, list(self.session.config.agenda)),
            thread=True,
            group="meeting",
        )

    def _record_start(self, now: datetime, segments: list[Any]) -> None:
        try:
            meeting = start_meeting(self.session.store, now, self.session.config, segments)
        except StandupError as exc:
            self.post_message(MeetingFailed(str(exc)))
            return
        self.post_message(MeetingStarted(meeting))

    def on_meeting_started(self, message: MeetingStarted) -> None:
        meeting = self.session.meeting = message.meeting
        self.notify(f"Meeting #{meeting.meeting_id} started; KPI snapshot recorded", title="Agenda")
        self.refresh_screen()
        if self._save_pending or (self.agenda and self.agenda.state is State.FINISHED):
            self._save_meeting(
                ended=self.agenda is not None and self.agenda.state is State.FINISHED
            )

    def on_meeting_failed(self, message: MeetingFailed) -> None:
        self.notify(message.reason, title="Agenda", severity="error")

    def _save_meeting(self, ended: bool = False) -> None:
        meeting = self.session.meeting
        if self.session.read_only or self.agenda is None:
            return
        if meeting is None:
            self._save_pending = True  # the start is still being written; save after it
            return
        self._save_pending = False
        self._write_seq += 1
        elapsed = timedelta(seconds=self.agenda.elapsed())
        ended_at = meeting.started_at + elapsed if ended else None
        timings = self.agenda.timings()
        self.run_worker(
            partial(self._write_progress, self._write_seq, meeting, timings, ended_at),
            thread=True,
            group="meeting",
        )

    def _write_progress(
        self, seq: int, meeting: Meeting, timings: list[Timing], ended_at: datetime | None
    ) -> None:
        # Workers may run out of order; a newer state is never overwritten by an older one.
        session = self.session
        with self._write_lock:
            if seq < self._written_seq:
                return
            try:
                save_progress(session.store, meeting, timings, ended_at)
            except StandupError as exc:
                self.post_message(MeetingFailed(str(exc)))
                return
            self._written_seq = seq
        if ended_at is not None:
            from standup.report import minutes

            meeting_id = str(meeting.meeting_id)
            text = minutes(session.store, meeting_id, ended_at, session.config, session.redactor)
            self.post_message(MinutesReady(meeting, text))

    async def action_quit(self) -> None:
        """Quit; a meeting still running ends now, so its record and minutes are complete."""
        agenda, meeting = self.agenda, self.session.meeting
        if (
            agenda is not None
            and meeting is not None
            and agenda.state in (State.RUNNING, State.PAUSED)
            and not self.session.read_only
        ):
            agenda.finish()
            ended_at = meeting.started_at + timedelta(seconds=agenda.elapsed())
            worker = self.run_worker(
                partial(save_progress, self.session.store, meeting, agenda.timings(), ended_at),
                thread=True,
                group="meeting",
                exit_on_error=False,
            )
            await worker.wait()
        await super().action_quit()

    def _finish_agenda(self) -> None:
        self._sync_bar()
        if self.session.read_only:
            assert self.agenda is not None
            self.notify(
                f"Agenda done in {int(self.agenda.elapsed() // 60)} min (not recorded: read-only)",
                title="Agenda",
            )
            return
        self._save_meeting(ended=True)

    def on_minutes_ready(self, message: MinutesReady) -> None:
        from screens.minutes import MinutesScreen

        meeting, text = message.meeting, message.text
        where = f"standup report {self.session.store.path.name} --standup {meeting.meeting_id}"
        self.push_screen(MinutesScreen(text, where))

    def _show_segment(self) -> None:
        assert self.agenda is not None
        mode, _, panel = self.agenda.current.screen.partition(":")
        if self.current_mode != mode:
            self.switch_mode(mode)
        if panel:
            self.call_after_refresh(self._focus_panel, panel)
        self.call_after_refresh(self._sync_bar)

    def _focus_panel(self, panel: str) -> None:
        """Bring the segment's panel (by id) into view and focus its first table."""
        screen = self.screen
        found = screen.query(f"#{panel}")
        if not found:
            return
        widget = found.first()
        widget.scroll_visible(top=True, animate=False)
        focusable = [w for w in widget.query("*") if w.focusable]
        if focusable:
            focusable[0].focus()

    def _sync_bar(self) -> None:
        """Make sure the showing screen has the agenda bar, and redraw it."""
        try:
            screen = self.screen
        except ScreenStackError:
            return  # the app is closing: the timer fired after the last screen went
        if isinstance(screen, ModalScreen):
            return
        found = screen.query(AgendaBar)
        if found:
            bar = found.first()
        elif self.agenda is None:
            return
        else:
            bar = AgendaBar()
            screen.mount(bar)
        bar.show(self.agenda)

    # -- shared -------------------------------------------------------------------------

    def refresh_screen(self) -> None:
        """Redraw the showing screen's data (redaction flipped, a snapshot recorded...)."""
        screen = self.screen
        if isinstance(screen, Refreshable):
            screen.refresh_panels()

    def _update_sub_title(self) -> None:
        flags = [
            flag
            for flag, on in (
                ("READ-ONLY", self.session.read_only),
                ("REDACTED", self.session.redact),
            )
            if on
        ]
        if self.following is not None:
            flags.append(f"👁 {self.following} following")
        extra = f" · {' · '.join(flags)}" if flags else ""
        self.sub_title = f"{self._base_sub_title}{extra}"
