"""Standup mode for the app: presenter mode, the agenda, redaction, read-only sessions.

A mixin for :class:`screens.app.StandupApp`, kept in its own module so the app shell
stays small. Keys (none clash with DESIGN.md's map):

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

from textual.app import ScreenStackError
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from screens.themes import PROJECTOR
from screens.widgets.agenda_bar import AgendaBar
from standup.agenda import Agenda, State, Timing
from standup.errors import StandupError
from standup.meeting import Meeting, save_progress, start_meeting
from standup.redact import Redactor

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


class StandupMode:
    """Presenter / agenda / redaction state and actions; mixed into the App."""

    # Set by the App (declared here for readers; the App provides the real ones).
    store: Any
    config: Any
    clock: Any
    read_only: bool

    def init_standup_mode(self, *, redact: bool, present: bool) -> None:
        """Call from the App's __init__."""
        self.register_theme(PROJECTOR)  # type: ignore[attr-defined]
        self.redact = redact
        self.presenting = False
        self._present_at_start = present
        self._theme_before = ""
        self.agenda: Agenda | None = None
        self.meeting: Meeting | None = None
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
        self._base_sub_title = self.sub_title  # type: ignore[attr-defined]
        self._update_sub_title()
        if self._present_at_start:
            self._enter_presenter()

    # -- redaction ----------------------------------------------------------------------

    @property
    def redactor(self) -> Redactor:
        """Apply to every contact value before rendering: ``app.redactor.contact(name)``."""
        return Redactor(names=self.redact, amounts=self.redact and self.config.redact_amounts)

    def action_toggle_redact(self) -> None:
        """Contacts as initials / company only, or back to full names."""
        self.redact = not self.redact
        self._update_sub_title()
        self.notify(  # type: ignore[attr-defined]
            "Redaction on: contacts as initials, emails as company"
            if self.redact
            else "Redaction off: full contact names",
            title="Redact",
        )
        self._refresh_screen()

    # -- presenter mode -----------------------------------------------------------------

    def action_toggle_presenter(self) -> None:
        """Presenter mode on/off."""
        if self.presenting:
            self._leave_presenter()
        else:
            self._enter_presenter()

    def _enter_presenter(self) -> None:
        self.presenting = True
        self._theme_before = self.theme  # type: ignore[has-type]
        self.theme = PROJECTOR.name
        self.add_class("-presenting")  # type: ignore[attr-defined]
        self.switch_mode("presenter")  # type: ignore[attr-defined]
        self.call_after_refresh(self._sync_bar)  # type: ignore[attr-defined]

    def _leave_presenter(self) -> None:
        self.presenting = False
        self.theme = self._theme_before or self.config.theme
        self.remove_class("-presenting")  # type: ignore[attr-defined]
        if self.current_mode == "presenter":  # type: ignore[attr-defined]
            self.switch_mode("dashboard")  # type: ignore[attr-defined]
        self.call_after_refresh(self._sync_bar)  # type: ignore[attr-defined]

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
            self.notify("No meeting running: g starts the agenda", title="Agenda")  # type: ignore[attr-defined]
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
            self.config.agenda,
            monotonic=lambda: self.monotonic(),
            warn_fraction=self.config.agenda_warn_fraction,
        )
        self.meeting = None
        self._save_pending = False
        self.agenda.start()
        if self._agenda_timer is None:
            self._agenda_timer = self.set_interval(TICK_SECONDS, self._sync_bar)  # type: ignore[attr-defined]
        self._show_segment()
        # The timer runs either way; only a writable session records the meeting. (Said
        # after the refresh: a toast raised mid mode-switch lands on the old screen.)
        if self.read_only:
            self.call_after_refresh(self.refuse_write, "Recording the meeting")  # type: ignore[attr-defined]
            return
        now = self.clock.now()
        self.run_worker(  # type: ignore[attr-defined]
            partial(self._record_start, now, list(self.config.agenda)),
            thread=True,
            group="meeting",
        )

    def _record_start(self, now: datetime, segments: list[Any]) -> None:
        try:
            meeting = start_meeting(self.store, now, self.config, segments)
        except StandupError as exc:
            self.call_from_thread(self._meeting_error, str(exc))  # type: ignore[attr-defined]
            return
        self.call_from_thread(self._meeting_started, meeting)  # type: ignore[attr-defined]

    def _meeting_started(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self.notify(  # type: ignore[attr-defined]
            f"Meeting #{meeting.meeting_id} started; KPI snapshot recorded", title="Agenda"
        )
        self._refresh_screen()
        if self._save_pending or (self.agenda and self.agenda.state is State.FINISHED):
            self._save_meeting(
                ended=self.agenda is not None and self.agenda.state is State.FINISHED
            )

    def _meeting_error(self, message: str) -> None:
        self.notify(message, title="Agenda", severity="error")  # type: ignore[attr-defined]

    def _save_meeting(self, ended: bool = False) -> None:
        if self.read_only or self.agenda is None:
            return
        if self.meeting is None:
            self._save_pending = True  # the start is still being written; save after it
            return
        self._save_pending = False
        self._write_seq += 1
        ended_at = (
            self.meeting.started_at + timedelta(seconds=self.agenda.elapsed()) if ended else None
        )
        self.run_worker(  # type: ignore[attr-defined]
            partial(
                self._write_progress, self._write_seq, self.meeting, self.agenda.timings(), ended_at
            ),
            thread=True,
            group="meeting",
        )

    def _write_progress(
        self, seq: int, meeting: Meeting, timings: list[Timing], ended_at: datetime | None
    ) -> None:
        # Workers may run out of order; a newer state is never overwritten by an older one.
        with self._write_lock:
            if seq < self._written_seq:
                return
            try:
                save_progress(self.store, meeting, timings, ended_at)
            except StandupError as exc:
                self.call_from_thread(self._meeting_error, str(exc))  # type: ignore[attr-defined]
                return
            self._written_seq = seq
        if ended_at is not None:
            from standup.report import minutes

            text = minutes(
                self.store, str(meeting.meeting_id), ended_at, self.config, self.redactor
            )
            self.call_from_thread(self._show_minutes, meeting, text)  # type: ignore[attr-defined]

    async def action_quit(self) -> None:
        """Quit; a meeting still running ends now, so its record and minutes are complete."""
        agenda, meeting = self.agenda, self.meeting
        if (
            agenda is not None
            and meeting is not None
            and agenda.state in (State.RUNNING, State.PAUSED)
            and not self.read_only
        ):
            agenda.finish()
            ended_at = meeting.started_at + timedelta(seconds=agenda.elapsed())
            worker = self.run_worker(  # type: ignore[attr-defined]
                partial(save_progress, self.store, meeting, agenda.timings(), ended_at),
                thread=True,
                group="meeting",
                exit_on_error=False,
            )
            await worker.wait()
        await super().action_quit()  # type: ignore[misc]

    def _finish_agenda(self) -> None:
        self._sync_bar()
        if self.read_only:
            assert self.agenda is not None
            self.notify(  # type: ignore[attr-defined]
                f"Agenda done in {int(self.agenda.elapsed() // 60)} min (not recorded: read-only)",
                title="Agenda",
            )
            return
        self._save_meeting(ended=True)

    def _show_minutes(self, meeting: Meeting, text: str) -> None:
        from screens.minutes import MinutesScreen

        where = f"standup report {self.store.path.name} --standup {meeting.meeting_id}"
        self.push_screen(MinutesScreen(text, where))  # type: ignore[attr-defined]

    def _show_segment(self) -> None:
        assert self.agenda is not None
        mode, _, panel = self.agenda.current.screen.partition(":")
        if self.current_mode != mode:  # type: ignore[attr-defined]
            self.switch_mode(mode)  # type: ignore[attr-defined]
        if panel:
            self.call_after_refresh(self._focus_panel, panel)  # type: ignore[attr-defined]
        self.call_after_refresh(self._sync_bar)  # type: ignore[attr-defined]

    def _focus_panel(self, panel: str) -> None:
        """Bring the segment's panel into view: the screen's own focus_panel, else by id."""
        screen = self.screen  # type: ignore[attr-defined]
        focus = getattr(screen, "focus_panel", None)
        if callable(focus):
            focus(panel)
            return
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
            screen = self.screen  # type: ignore[attr-defined]
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

    def _refresh_screen(self) -> None:
        screen = self.screen  # type: ignore[attr-defined]
        refresh = getattr(screen, "refresh_panels", None) or getattr(screen, "action_refresh", None)
        if callable(refresh):
            refresh()

    def _update_sub_title(self) -> None:
        flags = [
            flag for flag, on in (("READ-ONLY", self.read_only), ("REDACTED", self.redact)) if on
        ]
        if self.following is not None:
            flags.append(f"👁 {self.following} following")
        extra = f" · {' · '.join(flags)}" if flags else ""
        self.sub_title = f"{self._base_sub_title}{extra}"  # type: ignore[attr-defined]
