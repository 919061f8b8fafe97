"""The dashboard's panels, as plain data: one function per panel, one SQL file each.

Every function takes an open connection, ``now`` and the config, runs its statement from
``queries/panels/`` and returns a pydantic model. No Textual here: the widgets in
``screens/widgets/`` call these in a thread worker and only draw the result.
:func:`refresh_all` computes every panel on one connection (what a dashboard refresh
costs; the benchmark times it).

Each panel family lives in its own module (``panel_pipeline``, ``panel_stalled``,
``panel_disputes``, ``panel_campaigns``; goal and RevOps in ``revenue``); this one
re-exports them all, so ``panels.X`` is the one name to use, and puts them together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from standup import facts, revenue
from standup.config import Config
from standup.lifecycle import FUNNEL as FUNNEL
from standup.lifecycle import SIDE_EXITS as SIDE_EXITS
from standup.panel_campaigns import WORST_DISPUTES as WORST_DISPUTES
from standup.panel_campaigns import WORST_MIN_CAMPAIGNS as WORST_MIN_CAMPAIGNS
from standup.panel_campaigns import WORST_MIN_MQLS as WORST_MIN_MQLS
from standup.panel_campaigns import CampaignRow as CampaignRow
from standup.panel_campaigns import Campaigns as Campaigns
from standup.panel_campaigns import campaigns as campaigns
from standup.panel_campaigns import first_quartile as first_quartile
from standup.panel_disputes import DISPUTES_LIMIT as DISPUTES_LIMIT
from standup.panel_disputes import DisputeRow as DisputeRow
from standup.panel_disputes import Disputes as Disputes
from standup.panel_disputes import disputes as disputes
from standup.panel_model import PanelModel
from standup.panel_pipeline import EPOCH as EPOCH
from standup.panel_pipeline import Pipeline as Pipeline
from standup.panel_pipeline import StageRow as StageRow
from standup.panel_pipeline import pipeline as pipeline
from standup.panel_pipeline import quarter_start as quarter_start
from standup.panel_stalled import STALLED_LIMIT as STALLED_LIMIT
from standup.panel_stalled import Stalled as Stalled
from standup.panel_stalled import StalledRow as StalledRow
from standup.panel_stalled import stalled as stalled
from standup.store import Connection, Store

# FUNNEL and SIDE_EXITS (the funnel order) come from standup.lifecycle, re-exported.
OPEN_STAGES = facts.OPEN_STAGES


# -- shared goal and RevOps (standup.revenue) -----------------------------------------

Goal = revenue.Goal
RevOps = revenue.RevOps
goal = revenue.goal
revops = revenue.revops


# -- everything at once ---------------------------------------------------------------


class Dashboard(PanelModel):
    """Every panel of one refresh, and how long the queries took."""

    now: datetime
    pipeline: Pipeline
    stalled: Stalled
    disputes: Disputes
    campaigns: Campaigns
    goal: Goal
    revops: RevOps
    seconds: float
    timings: dict[str, float]  # seconds per panel


PanelFn = Callable[[Connection, datetime, Config], BaseModel]

PANELS: dict[str, PanelFn] = {
    "pipeline": pipeline,
    "stalled": stalled,
    "disputes": disputes,
    "campaigns": campaigns,
    "goal": goal,
    "revops": revops,
}


def compute_all(conn: Connection, now: datetime, config: Config) -> Dashboard:
    """Every panel on one open connection."""
    started = time.perf_counter()
    parts: dict[str, Any] = {}
    timings: dict[str, float] = {}
    for name, fn in PANELS.items():
        begin = time.perf_counter()
        parts[name] = fn(conn, now, config)
        timings[name] = time.perf_counter() - begin
    return Dashboard(now=now, seconds=time.perf_counter() - started, timings=timings, **parts)


def refresh_all(store: Store, now: datetime, config: Config) -> Dashboard:
    """Every panel in one read-only unit of work: one dashboard refresh (benchmarked)."""
    with store.reading() as conn:
        return compute_all(conn, now, config)
