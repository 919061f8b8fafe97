"""What each dashboard panel fetches, and the dashboard's first refresh started early.

:data:`FETCHES` maps a panel's key to the core function that gets its data on an open
read-only connection; the dashboard's panel widgets fetch through it (their
``FETCH_KEY``). :class:`FirstRefresh` runs all of them on a thread that ``standup open``
starts *before* it imports the app (issue 3: full dashboard on screen ~1 s after launch).
Importing Textual and building the first frame is ~0.3-0.5 s of Python holding the GIL,
while DuckDB releases the GIL as it queries: started first, the refresh runs beside the
imports on the other core instead of after them, and the dashboard's first refresh only
collects its result.

No Textual here (the CLI imports this before the app).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from standup import check, facts, kpis, panels
from standup.config import Config
from standup.store import Connection, Store
from standup.tiles import last_standup

# (connection, now, config, the running meeting's standup id or None) -> the panel's data
Fetch = Callable[[Connection, datetime, Config, int | None], Any]
# Per panel key: its data, or the exception its fetch raised.
Results = dict[str, tuple[Any, BaseException | None]]


@dataclass(frozen=True)
class PipelineData:
    """The Pipeline panel's data: the funnel and the standup its deltas compare with."""

    pipeline: panels.Pipeline
    snapshot: kpis.Snapshot | None
    now: datetime


@dataclass(frozen=True)
class GoalData:
    """The shared-goal panel's data: revenue won and the standup its delta compares with."""

    goal: panels.Goal
    snapshot: kpis.Snapshot | None
    now: datetime


def pipeline_data(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> PipelineData:
    """The funnel, and the last standup (while a meeting runs, the one before it, issue 6)."""
    return PipelineData(
        panels.pipeline(conn, now, config), last_standup(conn, now, standup_id), now
    )


def goal_data(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> GoalData:
    """Revenue won vs target, and the last standup (as :func:`pipeline_data`)."""
    return GoalData(panels.goal(conn, now, config), last_standup(conn, now, standup_id), now)


def stalled_data(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> panels.Stalled:
    """Leads and deals past their SLA (no standup comparison)."""
    return panels.stalled(conn, now, config)


def disputes_data(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> panels.Disputes:
    """Open disputes (no standup comparison)."""
    return panels.disputes(conn, now, config)


def campaigns_data(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> panels.Campaigns:
    """The campaign scoreboard (no standup comparison)."""
    return panels.campaigns(conn, now, config)


def revops_data(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> panels.RevOps:
    """The RevOps numbers (no standup comparison)."""
    return panels.revops(conn, now, config)


def check_data(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> check.Report | None:
    """The data-quality counts for the dashboard's warning line (``standup check``).

    Last in :data:`FETCHES`, so the panels before it have settled the facts on this
    connection and :func:`standup.facts.prepare` costs nothing here.
    """
    return check.dashboard_report(conn, stored=facts.prepare(conn, config))


# In the order the dashboard shows them (and a refresh fetches them).
FETCHES: dict[str, Fetch] = {
    "pipeline": pipeline_data,
    "goal": goal_data,
    "revops": revops_data,
    "stalled": stalled_data,
    "disputes": disputes_data,
    "campaigns": campaigns_data,
    "check": check_data,
}


def _not_at_launch(
    conn: Connection, now: datetime, config: Config, standup_id: int | None = None
) -> None:
    """The launch refresh's stand-in for :func:`check_data`: nothing (not checked yet)."""
    return None


# What ``standup open``'s launch refresh fetches: every panel, but not the data-quality
# check (~0.2 s of CPU at 1M leads) that the first frame must not wait for; the
# dashboard's next refresh (``refresh_seconds`` later) brings its warning line.
LAUNCH_FETCHES: dict[str, Fetch] = {**FETCHES, "check": _not_at_launch}


def fetch_all(
    store: Store,
    now: datetime,
    config: Config,
    fetches: Mapping[str, Fetch] = FETCHES,
    standup_id: int | None = None,
) -> Results:
    """Every fetch on one read-only connection; a fetch's own failure is its result.

    Failing to open the connection (file locked past the retry budget) fails every
    fetch that has no result.
    """
    results: Results = {}
    try:
        with store.reading() as conn:
            for key, fetch in fetches.items():
                try:
                    results[key] = (fetch(conn, now, config, standup_id), None)
                except Exception as exc:  # one bad panel must not blank the others
                    results[key] = (None, exc)
    except Exception as exc:
        for key in fetches:
            if key not in results or results[key][1] is not None:
                results[key] = (None, exc)
    return results


class FirstRefresh:
    """The dashboard's first refresh, running on its own thread from construction on.

    Made by the composition root (``standup open``) with the store, config and clock time
    it hands the app, before importing the app. No meeting runs at launch, so the
    standup comparisons exclude none. :meth:`result` blocks: call it from a worker
    thread, never the UI thread.
    """

    def __init__(
        self,
        store: Store,
        now: datetime,
        config: Config,
        fetches: Mapping[str, Fetch] = FETCHES,
    ) -> None:
        self.store = store
        self.now = now
        self.config = config
        self._fetches = dict(fetches)
        self._results: Results = {}
        self._done = threading.Event()
        # perf_counter() when the fetches started / finished (benchmarks)
        self.started_at = time.perf_counter()
        self.finished_at: float | None = None
        # Not a daemon: quitting while it queries waits for it (as for Textual's thread
        # workers), rather than tearing DuckDB down under a running query.
        self._thread = threading.Thread(target=self._run, name="first-refresh")
        self._thread.start()

    def _run(self) -> None:
        try:
            self._results = fetch_all(self.store, self.now, self.config, self._fetches)
        finally:
            self.finished_at = time.perf_counter()
            self._done.set()

    @property
    def done(self) -> bool:
        """True once every fetch has finished (well or not)."""
        return self._done.is_set()

    def result(self, timeout: float | None = None) -> Results:
        """Per panel key, its data or the exception its fetch raised (waits for them)."""
        if not self._done.wait(timeout):
            raise TimeoutError("the first refresh is still running")
        return self._results
