"""Saved SQL queries pinned to the dashboard, as live panels.

A :class:`PinnedQueryPanel` is a :class:`~screens.widgets.panel.Panel` of the dashboard's
feed: it refreshes with the built-in panels, keeps its last good rows when a refresh
fails, and runs its query through the same :class:`standup.adhoc.Engine` as the SQL
prompt (on the engine's own connection: ``OWN_CONNECTION``) — always read-only, whatever
the prompt allows, since it runs every few seconds unattended.

:func:`sync_pinned_panels` makes a container's pinned panels match the saved queries
(``standup.sqlhistory.SavedQueries``): the dashboard calls it when it is shown, at launch
too, so what only a pinned panel needs (the SQL engine, pyarrow, textual-fastdatatable) is
imported when there is one to run or draw, not with the dashboard.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from screens.session import session_of
from screens.widgets.in_place import update_in_place
from screens.widgets.panel import Panel
from standup.errors import StandupError
from standup.sqlhistory import SavedQueries, SavedQuery

if TYPE_CHECKING:
    from screens.widgets.panel_feed import PanelFeed
    from standup.adhoc import Result

# A panel is a glance, not a report: the rows that fit.
PINNED_ROWS = 50


def panel_id(name: str) -> str:
    """A stable widget id for the saved query ``name``."""
    return "pinned-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


class PinnedQueryPanel(Panel["Result"]):
    """A saved query's answer, refreshed like the other panels."""

    DEFAULT_CSS = """
    PinnedQueryPanel > .pinned-rows {
        height: auto;
        max-height: 12;
    }
    PinnedQueryPanel > .pinned-rows > DataTable {
        height: auto;
        max-height: 12;
    }
    PinnedQueryPanel > .pinned-summary {
        color: $text-muted;
    }
    """

    OWN_CONNECTION = True

    def __init__(self, query: SavedQuery, feed: PanelFeed | None = None) -> None:
        super().__init__(
            title=f"⌗ {query.name}", id=panel_id(query.name), classes="pinned", feed=feed
        )
        self.query_name = query.name
        self.sql = query.sql

    def compose_body(self) -> ComposeResult:
        yield Vertical(classes="pinned-rows")
        yield Static("", classes="pinned-summary")

    def fetch(self) -> Result:
        # Imported here, in the worker, on first use: the first draw then finds the table
        # widget loaded instead of importing it on the UI thread.
        import screens.widgets.arrow_table  # noqa: F401
        from standup.adhoc import Engine

        engine = Engine(
            self.store,
            allow_writes=False,
            external_access=self.config.sql_external_access,
        )
        engine.redact = session_of(self).redact  # `m` redacts these too
        return engine.run(self.sql, PINNED_ROWS)

    def show(self, data: Result) -> None:
        from textual_fastdatatable import DataTable

        from screens.widgets.arrow_table import arrow_table

        update_in_place(self.query_one(".pinned-summary", Static), data.summary().split(" · ")[0])
        holder = self.query_one(".pinned-rows", Vertical)
        previous = self.query(DataTable)
        old = getattr(self, "_shown_table", None)
        # fastdatatable cannot change rows in place: mount a new table, but only when the
        # answer changed, so the cursor stays put between identical refreshes.
        if previous and old is not None and old.equals(data.table):
            return
        self._shown_table = data.table
        previous.remove()
        if data.table.num_columns:
            holder.mount(arrow_table(data.table, zebra_stripes=False, cursor_type="row"))


class PinnedPanels(Vertical):
    """The row of pinned-query panels under the dashboard's own."""

    DEFAULT_CSS = """
    PinnedPanels {
        height: auto;
        layout: grid;
        grid-size: 2;
        grid-gutter: 0;
    }
    """


def sync_pinned_panels(container: Widget, feed: PanelFeed) -> None:
    """Make ``container``'s pinned-query panels match the saved queries (new ones join
    ``feed``, the screen's, which refreshes them with the others).

    The panels live in one :class:`PinnedPanels` child (id ``pinned-panels``), present only
    while something is pinned; the container gets the class ``-with-pinned`` meanwhile,
    so a grid layout can give that child a row of its own.
    """
    try:
        wanted = {panel_id(q.name): q for q in SavedQueries().pinned()}
    except StandupError as exc:
        container.notify(str(exc), title="Pinned queries", severity="warning")
        return
    holders = container.query_children(PinnedPanels)
    if not wanted:
        holders.remove()
        container.remove_class("-with-pinned")
        return
    container.add_class("-with-pinned")
    if holders:
        holder = holders.first()
    else:
        holder = PinnedPanels(id="pinned-panels")
        container.mount(holder)
    keep = set()
    for panel in holder.query_children(PinnedQueryPanel):
        query = wanted.get(panel.id or "")
        if query is None or query.sql != panel.sql:
            feed.discard(panel)  # now: a refresh running may still hand it its rows
            panel.remove()
        else:
            keep.add(panel.id)
    new = [PinnedQueryPanel(query, feed) for key, query in wanted.items() if key not in keep]
    if new:
        holder.mount(*new)
