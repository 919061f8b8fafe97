"""``Panel``: a dashboard tile that says what to fetch and how to draw it.

A subclass says *what* to fetch (:meth:`Panel.fetch_on`, on a read-only connection the
refresh shares, in a worker thread, may do DuckDB work) and *how* to draw it
(:meth:`Panel.show`, main thread). Everything about *when* is its screen's
:class:`~screens.widgets.panel_feed.PanelFeed`'s, the one scheduler: every panel belongs
to one feed, which refreshes all its panels together in one worker (one timer, re-armed
after each refresh, never overlapping; nothing queried while the screen is not on
display), hands each its data, and marks the ones whose fetch failed STALE (the last good
data stays on screen, the status line says what failed and how old the data is).

The border title is the panel's title; the border subtitle shows when it last refreshed.
A :class:`Panel.Refreshed` message bubbles up after every fetch (good or failed).

A panel whose query must open a connection of its own (a pinned saved query runs through
the SQL prompt's engine) sets ``OWN_CONNECTION`` and implements :meth:`Panel.fetch`; the
feed runs it in the same refresh, after the shared connection is closed::

    class PinnedQuery(Panel[pa.Table]):
        OWN_CONNECTION = True

        def compose_body(self) -> ComposeResult:
            yield DataTable()

        def fetch(self) -> pa.Table:                  # worker thread: DuckDB is fine here
            return run_readonly(self.store, self.sql, 100).table

        def show(self, data: pa.Table) -> None:       # main thread: draw, in place
            sync_rows(self.query_one(DataTable), ...)
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from screens.session import session_of
from standup.config import Config
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
    """Base class for live panels. Subclasses implement compose_body, fetch_on (or, with
    ``OWN_CONNECTION``, fetch) and show; their screen's feed refreshes them."""

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
    # True: the feed calls :meth:`fetch` (its own connection), not :meth:`fetch_on`.
    OWN_CONNECTION: ClassVar[bool] = False

    class Refreshed(Message):
        """Posted (bubbling) after every fetch, good or failed: headers update from it."""

        def __init__(self, panel: Panel[Any]) -> None:
            super().__init__()
            self.panel = panel

    def __init__(
        self,
        *,
        title: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        feed: PanelFeed | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        # The screen's feed; a panel shown without one has nothing to refresh it.
        self.feed = feed
        if feed is not None:
            feed.add(self)
        self.border_title = title if title is not None else self.TITLE
        # What the feed records (the feed sets these, panels and screens read them).
        self.data: T | None = None
        self.last_ok: datetime | None = None  # wall clock of the last good fetch
        self.last_ok_mono: float | None = None
        self.error: str | None = None
        self.fetch_count = 0  # completed fetches, good or bad (tests wait on it)

    # -- what subclasses provide ---------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The panel's own widgets (above the status line)."""
        yield from ()

    def fetch_on(self, conn: Connection, now: datetime) -> T:
        """Get the data on the refresh's read-only connection (shared by the feed's panels).

        Runs in the feed's worker thread: may block, must not touch widgets; ``now`` is
        the refresh's time for queries, the same for every panel.
        """
        raise NotImplementedError

    def fetch(self) -> T:
        """Get the data on a connection of the panel's own (``OWN_CONNECTION`` panels).

        Worker thread, like :meth:`fetch_on`; by default it is :meth:`fetch_on` on a
        read-only connection of its own.
        """
        with self.store.reading() as conn:
            return self.fetch_on(conn, self.now())

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

    # -- the feed's side -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_body()
        yield Static("", classes="panel-status")

    def on_mount(self) -> None:
        if self.feed is not None:
            self.feed.joined(self)

    def on_unmount(self) -> None:
        if self.feed is not None:
            self.feed.discard(self)

    @property
    def busy(self) -> bool:
        """True while the feed's refresh (which fetches this panel too) is running."""
        return self.feed is not None and self.feed.busy

    def refresh_now(self) -> None:
        """Ask the feed for a refresh now (of all its panels: one connection for all)."""
        if self.feed is not None:
            self.feed.request()

    def stale_seconds(self) -> float | None:
        """Seconds since the last good fetch (None if there never was one)."""
        if self.last_ok_mono is None:
            return None
        return time.monotonic() - self.last_ok_mono
