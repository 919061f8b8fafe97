"""``Panel``: a live, self-refreshing dashboard tile.

A subclass says *what* to fetch (:meth:`Panel.fetch`, runs in a thread worker, may do
DuckDB work) and *how* to draw it (:meth:`Panel.show`, runs on the main thread). The base
class does the rest:

- fetches on mount, then re-arms a one-shot timer after each fetch completes, so polls
  never overlap (a slow query delays the next poll instead of piling up);
- :meth:`Panel.refresh_now` fetches at once (ctrl+r, or the DB file changed on disk);
  if a fetch is already running it queues exactly one more;
- when a fetch fails (file locked, bad query) the last good data stays on screen and the
  status line says what failed and how old the data is, ticking every second.

The border title is the panel's title; the border subtitle shows when it last refreshed.
A :class:`Panel.Refreshed` message bubbles up after every fetch (good or failed).

A minimal panel (e.g. a pinned saved query)::

    class PinnedQuery(Panel[pa.Table]):
        def __init__(self, name: str, sql: str) -> None:
            super().__init__(title=name)
            self.sql = sql

        def compose_body(self) -> ComposeResult:
            yield DataTable()

        def fetch(self) -> pa.Table:                  # worker thread: DuckDB is fine here
            return run_readonly(self.store, self.sql, 100).table

        def show(self, data: pa.Table) -> None:       # main thread: draw, in place
            sync_rows(self.query_one(DataTable), ...)

Panels do not query while their screen is not the one on display (they re-arm the timer
and catch up when it is), so a hidden dashboard costs nothing.

A panel built with a :class:`~screens.widgets.panel_feed.PanelFeed` does not schedule
itself: the feed refreshes all its panels together on one connection, calling
:meth:`Panel.fetch_on` and :meth:`Panel.deliver` (the dashboard's built-in panels).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from screens.session import session_of
from standup.config import Config
from standup.errors import StandupError
from standup.store import Store

if TYPE_CHECKING:
    from screens.widgets.panel_feed import PanelFeed
    from standup.store import Connection

T = TypeVar("T")


def format_age(seconds: float) -> str:
    """A short age for a wall: 5s, 3m, 2h, 4d."""
    seconds = max(seconds, 0.0)
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86400:
        return f"{seconds / 3600:.0f}h"
    return f"{seconds / 86400:.0f}d"


class Panel(Vertical, Generic[T]):
    """Base class for live panels. Subclasses implement compose_body, fetch and show."""

    DEFAULT_CSS = """
    Panel {
        border: round $primary-darken-1;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        height: auto;
        padding: 0 1;
    }
    Panel:focus-within {
        border: round $accent;
    }
    Panel > .panel-status {
        display: none;
        color: $text-warning;
        background: $warning-muted;
    }
    Panel.-stale > .panel-status {
        display: block;
    }
    Panel.-stale {
        border: round $warning;
    }
    """

    TITLE: ClassVar[str] = ""
    # The key of the panel's fetch in ``standup.dashboard.FETCHES``, for the dashboard's
    # own panels: a feed hands them the first refresh ``standup open`` started early.
    FETCH_KEY: ClassVar[str | None] = None

    class Refreshed(Message):
        """Posted (bubbling) after every fetch, good or failed: headers update from it."""

        def __init__(self, panel: Panel[Any]) -> None:
            super().__init__()
            self.panel = panel

    def __init__(
        self,
        *,
        title: str | None = None,
        refresh_seconds: float | None = None,
        id: str | None = None,
        classes: str | None = None,
        feed: PanelFeed | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.feed = feed
        if feed is not None:
            feed.add(self)
        self.border_title = title if title is not None else self.TITLE
        self._refresh_seconds = refresh_seconds
        self._timer: Timer | None = None
        self._worker: Worker[T] | None = None
        self._again = False
        self.data: T | None = None
        self.last_ok: datetime | None = None  # wall clock of the last good fetch
        self._last_ok_mono: float | None = None
        self.error: str | None = None
        self.fetch_count = 0  # completed fetches, good or bad (tests wait on it)

    # -- what subclasses provide ---------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The panel's own widgets (above the status line)."""
        yield from ()

    def fetch(self) -> T:
        """Get the data. Runs in a thread worker: may block, must not touch widgets.

        By default: :meth:`fetch_on` on a read-only connection of its own.
        """
        with self.store.reading() as conn:
            return self.fetch_on(conn, self.now())

    def fetch_on(self, conn: Connection, now: datetime) -> T:
        """Get the data on an open read-only connection (a feed shares one per refresh).

        Runs in a thread worker; ``now`` is the refresh's time for queries.
        """
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Draw ``data``. Runs on the main thread; update widgets in place."""
        raise NotImplementedError

    # -- conveniences for fetch() --------------------------------------------------

    @property
    def store(self) -> Store:
        """The session's store."""
        return session_of(self).store

    @property
    def config(self) -> Config:
        """The session's config."""
        return session_of(self).config

    def now(self) -> datetime:
        """``now`` for queries, from the session's clock (pinned as-of or wall clock)."""
        return session_of(self).now()

    @property
    def refresh_seconds(self) -> float:
        """Seconds between polls: the constructor's value, else the config's."""
        if self._refresh_seconds is not None:
            return self._refresh_seconds
        return self.config.refresh_seconds

    def _wall(self) -> datetime:
        return session_of(self).wall_clock()

    # -- machinery -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_body()
        yield Static("", classes="panel-status")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        if self.feed is None:  # a feed starts its first refresh itself
            self.refresh_now()

    @property
    def busy(self) -> bool:
        """True while a fetch is running (the feed's refresh, for a fed panel)."""
        if self.feed is not None:
            return self.feed.busy
        return self._worker is not None and not self._worker.is_finished

    def refresh_now(self) -> None:
        """Fetch now; if a fetch is running, fetch once more right after it.

        While the panel's screen is not the one on display (another mode, a modal on
        top) it does not query: it only re-arms its timer, and fetches once it is back.
        A fed panel asks its feed, which refreshes all its panels.
        """
        if self.feed is not None:
            self.feed.request()
            return
        if self.busy:
            self._again = True
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._again = False
        if self.data is not None and not self.screen.is_current:
            self._timer = self.set_timer(self.refresh_seconds, self.refresh_now)
            return
        self._worker = self.run_worker(
            self.fetch, thread=True, exit_on_error=False, group=f"panel-{id(self)}"
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._worker:
            return
        if event.state == WorkerState.SUCCESS:
            self._succeeded(event.worker.result)  # type: ignore[arg-type]
        elif event.state == WorkerState.ERROR:
            self._failed(event.worker.error)
        elif event.state != WorkerState.CANCELLED:
            return
        event.stop()
        self.fetch_count += 1
        self._worker = None
        self.post_message(self.Refreshed(self))
        if self._again:
            self.refresh_now()
        elif self.is_mounted:
            self._timer = self.set_timer(self.refresh_seconds, self.refresh_now)

    def deliver(self, data: T | None, error: BaseException | None) -> None:
        """Main thread: a feed hands over this panel's data (or why there is none)."""
        if error is None:
            self._succeeded(data)  # type: ignore[arg-type]
        else:
            self._failed(error)
        self.fetch_count += 1
        self.post_message(self.Refreshed(self))

    def _succeeded(self, data: T) -> None:
        self.data = data
        self.error = None
        self.last_ok = self._wall()
        self._last_ok_mono = time.monotonic()
        self.remove_class("-stale")
        try:
            self.show(data)
        except Exception as exc:  # a drawing bug must not kill the live dashboard
            self._failed(exc)
            return
        self.border_subtitle = f"updated {self.last_ok:%H:%M:%S}"

    def _failed(self, exc: BaseException | None) -> None:
        if isinstance(exc, StandupError):
            self.error = str(exc).splitlines()[0]
        else:
            self.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
        self.add_class("-stale")
        self._tick()

    def stale_seconds(self) -> float | None:
        """Seconds since the last good fetch (None if there never was one)."""
        if self._last_ok_mono is None:
            return None
        return time.monotonic() - self._last_ok_mono

    def _tick(self) -> None:
        """Keep the staleness line's age current while the panel is stale."""
        if self.error is None:
            return
        if self._last_ok_mono is None:
            age = "no data yet"
        else:
            age = f"data {format_age(time.monotonic() - self._last_ok_mono)} old"
        self.border_subtitle = f"⚠ STALE · {age}"
        self.query_one(".panel-status", Static).update(f"⚠ refresh failed, {age}: {self.error}")
