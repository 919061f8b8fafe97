"""Five of the six live panels of the dashboard: Pipeline and the shared goal here; the
list panels (Stalled, Open disputes, Campaigns) in ``list_panels.py``, RevOps in
``revops_panel.py``, what they share in ``panel_format.py``. Each fetches with one core
function from ``standup.dashboard.FETCHES`` (its ``FETCH_KEY``) in the refresh worker and
draws on the main thread (see :class:`Panel`); the dashboard's
:class:`~screens.widgets.panel_feed.PanelFeed` runs all six on one connection per
refresh (the first one started by ``standup open`` before the app was imported).

Colour always comes with a word or a symbol (▲/▼, OVERDUE, ⚠), so the panels read the
same on a 16-colour projector and for colour-blind viewers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Digits, Sparkline, Static

from screens.widgets.in_place import update_in_place
from screens.widgets.list_panels import CampaignsPanel, DisputesPanel, StalledPanel
from screens.widgets.panel import Panel
from screens.widgets.panel_format import (
    SHORT_STAGES,
    STAGE_LABELS,
    STAGE_STYLES,
    align_right,
    delta_text,
    panel_fetch,
    when_text,
)
from standup.dashboard import GoalData, PipelineData
from standup.fmt import compact, delta, percent
from standup.store import Connection

# -- pipeline -------------------------------------------------------------------------


class PipelineBars:
    """Rich renderable: one bar per funnel stage, sized to the space it is given."""

    def __init__(self, data: PipelineData) -> None:
        self.data = data

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        pipeline, snap = self.data.pipeline, self.data.snapshot
        before = snap.kpis if snap else {}
        width = options.max_width
        label_w, num_w = 12, 6
        fixed = label_w + 1 + 1 + num_w + 1 + num_w + 1 + num_w + 1 + 6
        bar_w = max(width - fixed, 3)
        top = max((row.leads for row in pipeline.stages), default=0) or 1
        since = f"since {when_text(snap.taken_at, self.data.now)}" if snap else "no standup yet"
        head = Text.assemble(
            (f"{'stage':<{label_w}} {'':<{bar_w}} ", "dim"),
            (f"{'leads':>{num_w}} {'Δ':>{num_w}} {'value':>{num_w}} {'conv':>6}", "dim"),
        )
        yield head
        for row in pipeline.stages:
            filled = row.leads / top * bar_w
            full = int(filled)
            bar = "█" * full + ("▌" if filled - full >= 0.5 else "")
            key = f"leads.{row.stage}"
            change = row.leads - before[key] if key in before else None
            conv = f"→{percent(row.conversion)}" if row.conversion is not None else ""
            if row.stage == "customer":
                conv = ""
            yield Text.assemble(
                (f"{STAGE_LABELS[row.stage]:<{label_w}} ", "bold"),
                (f"{bar:<{bar_w}}", STAGE_STYLES.get(row.stage, "")),
                " ",
                (f"{compact(row.leads):>{num_w}}", "bold"),
                " ",
                align_right(delta_text(change, good_up=row.stage == "customer" or None), num_w),
                " ",
                (f"{compact(row.value, money=True) if row.value is not None else '':>{num_w}}", ""),
                " ",
                (f"{conv:>6}", ""),
            )
        exits = "  ".join(
            f"{STAGE_LABELS[stage]} {compact(n)}"
            + (f" {delta(n - before[f'leads.{stage}'])}" if f"leads.{stage}" in before else "")
            for stage, n in pipeline.exits.items()
        )
        yield Text(f"side exits: {exits}", style="dim")
        undated = " · ".join(
            f"{SHORT_STAGES[row.stage]} {compact(row.undated)}"
            for row in pipeline.stages
            if row.undated
        )
        if undated:
            yield Text(f"without date (left out of conv): {undated}", style="yellow")
        counted = "as of now, from history · " if pipeline.from_history else ""
        yield Text(
            f"{counted}Δ {since} · conv = reached next / reached this, last "
            f"{pipeline.window_days}d",
            style="dim",
        )


class PipelinePanel(Panel[PipelineData]):
    """Lead counts per stage as bars, deal value, conversion and change since last standup."""

    TITLE = "Pipeline"
    FETCH_KEY = "pipeline"

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="pipeline-bars")

    def fetch_on(self, conn: Connection, now: datetime) -> PipelineData:
        return panel_fetch(self, conn, now)

    def show(self, data: PipelineData) -> None:
        update_in_place(self.query_one(".pipeline-bars", Static), PipelineBars(data))
        if not data.pipeline.summarized:
            # e.g. the stage-entry summary no longer matches stage_history: the restamp
            # (run by the Stalled panel, which owns it) also builds the stage-entry summary
            for stalled in self.screen.query(StalledPanel):
                stalled.start_restamp()


# -- shared goal ----------------------------------------------------------------------


def _goal_number(value: float) -> str:
    """Three significant digits for the big number: 1.82M, 182k, 18.2k."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            scaled = value / limit
            digits = 2 if scaled < 10 else 1 if scaled < 100 else 0
            return f"{scaled:.{digits}f}{suffix}"
    return f"{value:.0f}"


class GoalPanel(Panel[GoalData]):
    """Revenue won in the period vs target: the one number both teams own."""

    TITLE = "Shared goal: revenue won this quarter"
    FETCH_KEY = "goal"

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="goal-top"):
            yield Digits("", classes="goal-digits")
            yield Static("", classes="goal-label")
        yield Sparkline([], classes="goal-trend")

    def fetch_on(self, conn: Connection, now: datetime) -> GoalData:
        return panel_fetch(self, conn, now)

    def show(self, data: GoalData) -> None:
        goal, snap = data.goal, data.snapshot
        self.border_title = f"Shared goal: revenue won {goal.period}"
        self.query_one(Digits).update(_goal_number(goal.won))
        source = "" if goal.target_from == "targets" else " (config)"
        parts: list[Any] = []
        if goal.period_key == "all":
            parts += [
                ("all time", "bold"),
                f" · this quarter's target {compact(goal.target, money=True)}",
            ]
        else:
            gap = goal.won - goal.expected
            parts += [
                (f"{percent(goal.progress)}", "bold"),
                f" of {compact(goal.target, money=True)} target{source}\n",
                Text(
                    f"▲ ahead of pace by {compact(gap, money=True)}"
                    if gap >= 0
                    else f"▼ behind pace by {compact(-gap, money=True)}",
                    style="green" if gap >= 0 else "red",
                ),
            ]
        this_quarter = goal.period == "this quarter"
        if this_quarter and snap and "revenue.won_quarter" in snap.kpis:
            change = goal.won - snap.kpis["revenue.won_quarter"]
            parts += [
                "\n",
                delta_text(change, good_up=True, money=True),
                f" since {when_text(snap.taken_at, data.now)}",
            ]
        parts.append(("\nc: period", "dim"))
        update_in_place(self.query_one(".goal-label", Static), Text.assemble(*parts))
        self.query_one(Sparkline).data = goal.trend


__all__ = [
    "CampaignsPanel",
    "DisputesPanel",
    "GoalPanel",
    "PipelineBars",
    "PipelinePanel",
    "StalledPanel",
    "panel_fetch",
]
