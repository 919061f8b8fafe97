"""The dashboard's RevOps panel: win rate, deal size, cycle, coverage, speed-to-lead, new
and slipped pipeline, from ``standup.revenue.revops`` (fetched like the other panels, see
``panel_format.py``). Two columns of label/value pairs, one when narrow.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from screens.widgets.in_place import update_in_place
from screens.widgets.panel import Panel
from screens.widgets.panel_format import panel_fetch
from standup import panels
from standup.fmt import MISSING, compact, percent
from standup.store import Connection


def revops_lines(data: panels.RevOps) -> list[tuple[str, str]]:
    """(label, value) pairs of the RevOps strip, in reading order."""
    closed = f"{data.won_deals}/{data.closed_deals} closed"
    cycle = f"{data.cycle_days:.0f}d median" if data.cycle_days is not None else MISSING
    if data.cycle_undated:
        cycle += f" ({data.cycle_undated} without date)"
    if data.coverage is not None:
        coverage = f"{data.coverage:.1f}× of {compact(data.remaining_target, money=True)} left"
    else:
        coverage = "target met"
    if data.contact_cohort:
        median = (
            f" · med {data.contact_median_hours}h" if data.contact_median_hours is not None else ""
        )
        speed = f"{percent(data.contact_within)} <{data.contact_sla_hours}h{median}"
        late = f"{compact(data.contact_late)} past SLA"
    else:
        speed, late = "none accepted in window", MISSING
    return [
        ("Win rate", f"{percent(data.win_rate)} ({closed})"),
        ("Coverage", coverage),
        ("Avg deal", compact(data.avg_deal, money=True)),
        ("Open", f"{compact(data.open_pipeline, money=True)} pipeline"),
        ("Cycle", cycle),
        ("Speed", speed),
        ("New 7d", f"{compact(data.week_value, money=True)} · {compact(data.week_deals)} deals"),
        ("No touch", late),
        ("Period", data.period),
        ("Slipped", f"{compact(data.slipped)} · {compact(data.slipped_value, money=True)}"),
    ]


class RevOpsStrip:
    """Rich renderable: the RevOps pairs in two columns, or one when narrow."""

    def __init__(self, data: panels.RevOps) -> None:
        self.data = data

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        pairs = revops_lines(self.data)
        columns = 2 if options.max_width >= 64 else 1
        width = options.max_width // columns
        for start in range(0, len(pairs), columns):
            line = Text()
            for label, value in pairs[start : start + columns]:
                cell = Text.assemble((f"{label:<9}", "dim"), (value, "bold"))
                cell.truncate(width - 1, overflow="ellipsis")
                cell.pad_right(width - cell.cell_len)
                line.append_text(cell)
            yield line


class RevOpsPanel(Panel[panels.RevOps]):
    """Win rate, deal size, cycle, coverage, speed-to-lead, new and slipped pipeline."""

    TITLE = "RevOps"
    FETCH_KEY = "revops"

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="revops-strip")

    def fetch_on(self, conn: Connection, now: datetime) -> panels.RevOps:
        return panel_fetch(self, conn, now)

    def show(self, data: panels.RevOps) -> None:
        update_in_place(self.query_one(".revops-strip", Static), RevOpsStrip(data))


__all__ = ["RevOpsPanel", "revops_lines"]
