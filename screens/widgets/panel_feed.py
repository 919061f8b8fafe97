"""``PanelFeed``: the one scheduler of a screen's panels, one connection per refresh.

Every :class:`~screens.widgets.panel.Panel` belongs to its screen's feed (the dashboard's
built-in and pinned panels, the presenter's board): the feed is the registry of them, owns
the timer, the worker, and what a panel shows about staleness. Panels only say what to
fetch and how to draw it.

Opening a DuckDB file costs real time at 1M leads (≈10 ms of CPU: the catalog, the
storage metadata of every table), and the store never holds a connection between units
of work. With each panel fetching on its own, a dashboard refresh paid that five times
over, on five workers queued behind the store's per-file lock. A feed instead runs
*one* thread worker per refresh: it opens one connection, asks each of its panels for
its data on it (:meth:`Panel.fetch_on`, with the same ``now`` for all, so the panels
agree with each other), closes it, fetches the panels that need a connection of their own
(``OWN_CONNECTION``: pinned saved queries), and hands every panel its result on the main
thread. A panel whose query fails shows staleness alone; when the connection itself
cannot be opened (file locked) they all do.

The first refresh may already be running: ``standup open`` starts one
(:class:`standup.dashboard.FirstRefresh`) before it imports the app and hands it over as
``session.first_refresh``. If it is done when the dashboard mounts, the feed hands its results
to the panels at once (the first frame shows them); otherwise its first worker only
waits for them (issue 3).

Scheduling: a one-shot timer re-armed after each refresh (never overlapping),
:meth:`PanelFeed.request` queues exactly one more while a refresh runs, and nothing is
queried while the screen is not the one on display (it catches up on return). The screen
forwards its worker events (:meth:`PanelFeed.on_worker_state_changed`).

Staleness: a failed fetch keeps the panel's last good data on screen, adds the ``-stale``
class (the border turns warning-coloured, the status line shows) and a border subtitle
``⚠ STALE · data 3m old``, its age kept current every second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from screens.messages import PanelsRefreshed
from screens.session import session_of
from screens.widgets.panel import format_age
from standup.errors import StandupError

if TYPE_CHECKING:
    from textual.screen import Screen

    from screens.widgets.panel import Panel
    from standup.dashboard import FirstRefresh

# What the worker hands back: per panel, its data or the exception its fetch raised.
Results = list[tuple["Panel[Any]", Any, BaseException | None]]


class PanelFeed:
    """Refreshes a screen's panels together, on one connection per refresh."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen
        self.panels: list[Panel[Any]] = []
        self.worker: Worker[Results] | None = None
        self._timer: Timer | None = None
        self._ticker: Timer | None = None
        self._again = False
        self._handing: Results = []  # results not drawn yet, one per frame (_hand_next)
        self.refreshes = 0  # completed refreshes (tests and benchmarks wait on it)
        # perf_counter() when the last refresh started / was handed to the panels (benchmarks)
        self.started_at: float | None = None
        self.delivered_at: float | None = None

    # -- the registry --------------------------------------------------------------

    def add(self, panel: Panel[Any]) -> None:
        """Feed ``panel`` (called by the panel's constructor)."""
        if panel not in self.panels:
            self.panels.append(panel)

    def joined(self, panel: Panel[Any]) -> None:
        """``panel`` was mounted: one that joins after the first refresh started (a
        query pinned meanwhile) gets its data with a refresh now, not a period later."""
        self.add(panel)
        if self.refreshes or self.busy:
            self.request()

    def discard(self, panel: Panel[Any]) -> None:
        """``panel`` was removed (unpinned): refreshes leave it out."""
        if panel in self.panels:
            self.panels.remove(panel)

    # -- scheduling ----------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a refresh is running, or its results are still being drawn."""
        return bool(self._handing) or (self.worker is not None and not self.worker.is_finished)

    @property
    def refresh_seconds(self) -> float:
        """Seconds between refreshes, from the app's config."""
        return session_of(self.screen).config.refresh_seconds

    def request(self) -> None:
        """Refresh now; if a refresh is running, once more right after it."""
        if self.busy:
            self._again = True
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._ticker is None:
            self._ticker = self.screen.set_interval(1.0, self._tick)
        self._again = False
        loaded = any(panel.data is not None for panel in self.panels)
        if loaded and not self.screen.is_current:
            self._timer = self.screen.set_timer(self.refresh_seconds, self.request)
            return
        session = session_of(self.screen)
        store, panels = session.store, list(self.panels)
        first = session.first_refresh
        self.started_at = time.perf_counter()
        if first is not None and any(panel.FETCH_KEY for panel in panels):
            session.first_refresh = None  # used once: later refreshes query afresh
            if first.done and all(panel.is_mounted for panel in panels):
                results = take_first_refresh(first, panels, fetch_missing=False)
                if len(results) == len(panels):
                    # Already fetched (it ran while the app was imported): show it in the
                    # first frame rather than paint empty panels, then start a worker
                    # and paint again. Only collecting results here: no DuckDB work.
                    self._delivered(results)
                    return
            self._run(lambda: take_first_refresh(first, panels))
            return
        now = session.now()
        self._run(lambda: fetch_all(store, now, panels))

    def _run(self, work: Callable[[], Results]) -> None:
        self.worker = self.screen.run_worker(
            work, thread=True, exit_on_error=False, group="panel-feed"
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> bool:
        """The screen forwards its worker events here; True when it was this feed's."""
        if event.worker is not self.worker:
            return False
        if event.state == WorkerState.SUCCESS:
            results: Results = event.worker.result or []
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            results = [(panel, None, error) for panel in self.panels]
        elif event.state == WorkerState.CANCELLED:
            results = []
        else:
            return True
        self._handing = list(results)
        self.worker = None
        self._hand_next()
        return True

    def _hand_next(self) -> None:
        """Main thread: one panel's result, the next after the frame that draws it.

        A 1M-lead refresh hands six panels tables of up to 200 rows; drawn in one go
        that kept the UI thread ~25 ms, a key press waiting behind it. One per frame,
        the longest wait is one panel's draw. ``busy`` holds until the last is drawn.
        """
        if not self._handing:
            return
        panel, data, error = self._handing.pop(0)
        self._hand(panel, data, error)
        if self._handing and self.screen.is_mounted:
            # the app, not the screen: a screen not on display does not refresh
            self.screen.app.call_after_refresh(self._hand_next)
        else:
            self._handing = []
            self._finished()

    def _delivered(self, results: Results) -> None:
        """Main thread: hand each panel its result at once, then schedule the next refresh."""
        for panel, data, error in results:
            self._hand(panel, data, error)
        self._finished()

    def _hand(self, panel: Panel[Any], data: Any, error: BaseException | None) -> None:
        # Not one removed meanwhile (unpinned while its query ran).
        if panel.is_mounted and panel in self.panels:
            self._deliver(panel, data, error)

    def _finished(self) -> None:
        """Every panel has this refresh's result: count it, schedule the next one."""
        self.refreshes += 1
        self.delivered_at = time.perf_counter()
        failed = tuple(panel.TITLE or type(panel).__name__ for panel in self.panels if panel.error)
        self.screen.post_message(PanelsRefreshed(failed))
        if self._again:
            self.request()
        elif self.screen.is_mounted:
            self._timer = self.screen.set_timer(self.refresh_seconds, self.request)

    # -- what a panel shows of it --------------------------------------------------

    def _deliver(self, panel: Panel[Any], data: Any, error: BaseException | None) -> None:
        """One panel's result: draw it, or keep the last good data and mark it stale."""
        if error is None:
            self._succeeded(panel, data)
        else:
            self._failed(panel, error)
        panel.fetch_count += 1
        panel.post_message(panel.Refreshed(panel))

    def _succeeded(self, panel: Panel[Any], data: Any) -> None:
        panel.data = data
        panel.error = None
        panel.last_ok = session_of(self.screen).wall_clock()
        panel.last_ok_mono = time.monotonic()
        panel.remove_class("-stale")
        try:
            panel.show(data)
        except Exception as exc:  # a drawing bug must not kill the live dashboard
            self._failed(panel, exc)
            return
        panel.border_subtitle = f"updated {panel.last_ok:%H:%M:%S}"

    def _failed(self, panel: Panel[Any], exc: BaseException) -> None:
        if isinstance(exc, StandupError):
            panel.error = str(exc).splitlines()[0]
        else:
            panel.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
        panel.add_class("-stale")
        self._mark_stale(panel)

    def _tick(self) -> None:
        """Every second: keep the stale panels' age current."""
        for panel in self.panels:
            if panel.error is not None and panel.is_mounted:
                self._mark_stale(panel)

    @staticmethod
    def _mark_stale(panel: Panel[Any]) -> None:
        seconds = panel.stale_seconds()
        age = "no data yet" if seconds is None else f"data {format_age(seconds)} old"
        panel.border_subtitle = f"⚠ STALE · {age}"
        for status in panel.query_children(".panel-status").results(Static):
            status.update(f"⚠ refresh failed, {age}: {panel.error}")


def fetch_all(store: Any, now: datetime, panels: list[Panel[Any]]) -> Results:
    """Worker thread: every panel's data, the shared ones on one read-only connection.

    A panel's own failure is its result; failing to open the shared connection fails
    every panel that needs it. ``OWN_CONNECTION`` panels are fetched after it is closed.
    """
    shared = [panel for panel in panels if not panel.OWN_CONNECTION]
    results = _fetch_shared(store, now, shared) if shared else []
    for panel in panels:
        if panel.OWN_CONNECTION:
            try:
                results.append((panel, panel.fetch(), None))
            except Exception as exc:  # one bad panel must not blank the others
                results.append((panel, None, exc))
    return results


def _fetch_shared(store: Any, now: datetime, panels: list[Panel[Any]]) -> Results:
    results: Results = []
    try:
        with store.reading() as conn:
            for panel in panels:
                try:
                    results.append((panel, panel.fetch_on(conn, now), None))
                except Exception as exc:  # one bad panel must not blank the others
                    results.append((panel, None, exc))
    except Exception as exc:
        done = {id(panel) for panel, _, error in results if error is None}
        return [(panel, None, exc) for panel in panels if id(panel) not in done] + [
            r for r in results if r[2] is None
        ]
    return results


def take_first_refresh(
    first: FirstRefresh, panels: list[Panel[Any]], *, fetch_missing: bool = True
) -> Results:
    """Worker thread: the panels' data from the refresh ``standup open`` started early.

    Waits for it; a panel it did not cover (no ``FETCH_KEY`` among its fetches) is
    fetched now, on a connection of its own, at the same ``now`` (or, without
    ``fetch_missing``, left out of the results).
    """
    done = first.result()
    results: Results = []
    missing: list[Panel[Any]] = []
    for panel in panels:
        key = panel.FETCH_KEY
        if key is not None and key in done:
            data, error = done[key]
            results.append((panel, data, error))
        else:
            missing.append(panel)
    if missing and fetch_missing:
        results += fetch_all(first.store, first.now, missing)
    return results
