"""Presenter mode's screen: four big numbers for the wall, nothing else the room must read.

New MQLs since the last standup, open disputes, stalled leads, revenue won vs target,
drawn with Textual's Digits. Digits draws only 0-9 A-F and a few symbols, so each value
is split by :func:`standup.fmt.big_parts` into big digits plus a normal-size unit
("$1.9" + "M"): nothing renders half-big. On a roomy terminal (≥ 160×45) the worst
overdue disputes and stalled deals appear under the tiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Digits, Label, Static
from textual.worker import Worker

from screens.app import StandupApp
from screens.session import session_of
from screens.widgets.panel import Panel
from screens.widgets.panel_feed import PanelFeed
from standup import panels
from standup.config import SLA
from standup.fmt import big_parts, compact, delta, share, stall_label
from standup.redact import Redactor
from standup.store import Connection
from standup.tiles import Tiles, tiles

ROOMY = (160, 45)  # from this size on, the lists under the tiles are shown
LIST_ROWS = 5


@dataclass(frozen=True)
class Board:
    """One refresh of the presenter screen."""

    tiles: Tiles
    overdue: list[panels.DisputeRow]
    stalled: list[panels.StalledRow]


class KpiTile(Vertical):
    """A titled big number with a unit label and a caption (delta, target...)."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="tile")
        self.title = title

    def compose(self) -> ComposeResult:
        yield Label(self.title.upper(), classes="tile-title")
        with Horizontal(classes="tile-value"):
            yield Digits("-", classes="tile-digits")
            yield Label("", classes="tile-unit")
        yield Label("", classes="tile-caption")

    def show(self, value: float, caption: str, *, money: bool = False, level: str = "") -> None:
        """Draw ``value`` big; ``level`` is '', 'warn' or 'bad' (colour + the caption says why)."""
        digits, unit = big_parts(value, money)
        self.query_one(Digits).update(digits)
        self.query_one(".tile-unit", Label).update(unit)
        self.query_one(".tile-caption", Label).update(caption)
        self.set_class(level == "warn", "-warn")
        self.set_class(level == "bad", "-bad")


class PresenterBoard(Panel[Board]):
    """The tiles (and, when roomy, two short lists), refreshed like every panel."""

    TITLE = ""

    def compose_body(self) -> ComposeResult:
        with Grid(id="tiles"):
            yield KpiTile("New MQLs since last standup", id="tile-mqls")
            yield KpiTile("Open disputes", id="tile-disputes")
            yield KpiTile("Stalled leads", id="tile-stalled")
            yield KpiTile("Revenue won this quarter", id="tile-revenue")
        with Horizontal(id="lists"):
            yield Static("", id="list-disputes", classes="list")
            yield Static("", id="list-stalled", classes="list")

    def fetch_on(self, conn: Connection, now: datetime) -> Board:
        # On the feed's reading() connection, not fetch_with(): panel SQL (in team mode the
        # two differ, see PgStore).
        meeting = session_of(self).meeting
        exclude = meeting.standup_id if meeting is not None else None
        config = self.config
        overdue = [r for r in panels.disputes(conn, now, config).rows if r.overdue]
        stalled = panels.stalled(conn, now, config, limit=LIST_ROWS).rows
        return Board(tiles(conn, now, config, exclude), overdue[:LIST_ROWS], stalled)

    def show(self, data: Board) -> None:
        t = data.tiles
        since = f"since {t.since:%a %d %b}" if t.since else "in the last 7 days"
        d = t.deltas
        self.query_one("#tile-mqls", KpiTile).show(t.new_mqls, f"new MQLs {since}")
        self.query_one("#tile-disputes", KpiTile).show(
            t.open_disputes,
            _caption(f"{t.overdue_disputes} overdue", d.get("disputes.open")),
            level="bad" if t.overdue_disputes else "",
        )
        self.query_one("#tile-stalled", KpiTile).show(
            t.stalled_leads,
            _caption(f"{compact(t.stalled_value, True)} at risk", d.get("stalled.leads")),
            level="warn" if d.get("stalled.leads", 0) > 0 else "",
        )
        behind = t.target > 0 and t.won < t.target
        self.query_one("#tile-revenue", KpiTile).show(
            t.won,
            _caption(
                f"of {compact(t.target, True)} target · {share(t.won, t.target)}",
                d.get("revenue.won_quarter"),
                money=True,
            ),
            money=True,
            level="warn" if behind else "",
        )
        red = session_of(self).redactor
        self.query_one("#list-disputes", Static).update(_disputes_text(data.overdue))
        stalled = _stalled_text(data.stalled, red, self.config.sla)
        self.query_one("#list-stalled", Static).update(stalled)
        screen = self.screen
        if isinstance(screen, PresenterScreen):
            screen.update_title()  # the clock moves with each refresh


def _caption(text: str, change: float | None, money: bool = False) -> str:
    """``text · ▲9 since last`` (just ``text`` when there is nothing to compare)."""
    if change is None:
        return text
    return f"{text} · {delta(change, money=money)} since last"


def _disputes_text(rows: list[panels.DisputeRow]) -> str:
    lines = ["[b]Overdue disputes[/b]"]
    for r in rows:
        who = escape(" ".join(p for p in (r.label, r.ref, r.company) if p))
        lines.append(f"{who} · {abs(r.due_in_days):.0f}d overdue")
    if not rows:
        lines.append("none overdue")
    return "\n".join(lines)


def _stalled_text(rows: list[panels.StalledRow], red: Redactor, sla: SLA) -> str:
    lines = ["[b]Most money stalled[/b]"]
    for r in rows:
        exact = compact(r.amount, True)
        amount = red.amount(r.amount, exact)
        why = stall_label(r.rule, r.stage, r.days_over, sla)
        # single spaces: lead, deal, money and why fit one line of the half-width list
        who = escape(" ".join(p for p in (r.ref, r.company) if p))
        deal = f" · deal {escape(r.deal_ref)}" if r.deal_ref else ""
        lines.append(f"{who}{deal} · {amount} · {escape(why)}")
    if not rows:
        lines.append("nothing stalled")
    return "\n".join(lines)


class PresenterScreen(Screen[None]):
    """The Numbers screen of presenter mode: a title line, the tiles, a one-line key hint."""

    CSS_PATH = "presenter.tcss"
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self) -> None:
        super().__init__()
        self.feed = PanelFeed(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="presenter-title")
        yield PresenterBoard(id="presenter-board", feed=self.feed)
        yield Static(
            "p leave presenter · g start/pause agenda · [ ] segments · m redact · ? keys",
            id="presenter-hint",
        )

    def on_mount(self) -> None:
        self.update_title()
        self.feed.request()  # the first refresh, at once
        # The clock moves (unless --as-of pins it), and so does the title, between
        # refreshes too.
        self.set_interval(StandupApp.CLOCK_TICK_SECONDS, self.update_title)

    def on_screen_resume(self) -> None:
        self.update_title()

    def update_title(self) -> None:
        """``STANDUP · Monday 23 November 2026 · 09:00`` (· REDACTED while redacting)."""
        session = session_of(self)
        when = f" · {session.now():%A %d %B %Y · %H:%M}"
        redacted = " · REDACTED" if session.redact else ""
        self.query_one("#presenter-title", Static).update(f"STANDUP{when}{redacted}")

    def on_resize(self, event: Resize) -> None:
        roomy = event.size.width >= ROOMY[0] and event.size.height >= ROOMY[1]
        self.set_class(roomy, "-roomy")

    def refresh_panels(self) -> None:
        """ctrl+r / after a snapshot / redaction switched: fetch now."""
        self.update_title()
        self.feed.request()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self.feed.on_worker_state_changed(event):
            event.stop()
