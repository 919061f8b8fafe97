"""The pipeline panel: leads per funnel stage as of now, deal value, cohort conversion in
the window, and the side exits (queries/panels/pipeline.sql, stages_as_of.sql)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from standup import facts, revenue
from standup.config import Config
from standup.lifecycle import FUNNEL, SIDE_EXITS
from standup.panel_model import PanelModel
from standup.store import Connection, run

# Naive UTC times; DuckDB's epoch() counts seconds from here.
EPOCH = datetime(1970, 1, 1)


class StageRow(PanelModel):
    """One main-path stage: leads in it as of now, deal value, and cohort conversion.

    ``reached``: leads whose milestone of this stage (its time known) fell in the
    conversion window; ``advanced``: of them, those that reached the next stage (at any
    time); ``conversion`` = advanced / reached, so never above 100%. ``undated``: leads
    that reached this stage at an unknown time, left out of both (all time).
    """

    stage: str
    leads: int
    value: float | None  # deal value where a stage has deals (opportunity, customer)
    conversion: float | None  # advanced / reached; None when none reached it (or last)
    reached: int = 0
    advanced: int = 0
    undated: int = 0


class Pipeline(PanelModel):
    """The funnel as of now, plus the side exits."""

    stages: list[StageRow]
    exits: dict[str, int]
    window_days: int
    open_value: float  # value of all open deals
    # False when the stored facts could not be used and were computed live (slow): a
    # restamp would make this query fast again
    summarized: bool = True
    # True when now lies before some of the data, so the stage counts were rebuilt from
    # stage_history as of now (slower) instead of read from the stored facts
    from_history: bool = False


def quarter_start(now: datetime) -> date:
    """First day of the calendar quarter containing ``now``."""
    return revenue.quarter_start(now)


def pipeline(conn: Connection, now: datetime, config: Config) -> Pipeline:
    """Leads per stage as of ``now``, deal value, and cohort conversion in the window.

    The window is the last ``conversion_window_days`` calendar days up to now's day.
    Stage counts come from the stored facts, unless some lead knows of a time after
    ``now`` (an --as-of in the past): then from the history (panels/stages_as_of.sql).
    """
    stored = facts.prepare(conn, config)
    params = {
        "since_day": now.date() - timedelta(days=config.conversion_window_days),
        "now_day": now.date(),
    }
    rows = run(conn, "panels/pipeline", params).fetchall()
    measures: dict[str, dict[str, float]] = {
        name: {} for name in ("leads", "value", "reached", "advanced", "undated")
    }
    latest: float | None = None
    for measure, stage, amount in rows:
        if measure == "latest":
            latest = amount
        else:
            measures[measure][stage] = float(amount or 0)
    from_history = latest is not None and latest > (now - EPOCH).total_seconds()
    if from_history:
        measures["leads"] = {
            stage: float(n)
            for stage, n in run(conn, "panels/stages_as_of", {"now": now}).fetchall()
        }
    counts, values = measures["leads"], measures["value"]
    reached, advanced = measures["reached"], measures["advanced"]
    stages = []
    for index, stage in enumerate(FUNNEL):
        cohort = int(reached.get(stage, 0))
        last = index + 1 == len(FUNNEL)
        stages.append(
            StageRow(
                stage=stage,
                leads=int(counts.get(stage, 0)),
                value=values.get(stage) if stage in ("opportunity", "customer") else None,
                conversion=None if last or not cohort else advanced.get(stage, 0) / cohort,
                reached=cohort,
                advanced=int(advanced.get(stage, 0)),
                undated=int(measures["undated"].get(stage, 0)),
            )
        )
    return Pipeline(
        stages=stages,
        exits={stage: int(counts.get(stage, 0)) for stage in SIDE_EXITS},
        window_days=config.conversion_window_days,
        open_value=values.get("opportunity", 0.0),
        summarized=stored,
        from_history=from_history,
    )
