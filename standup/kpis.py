"""KPI snapshots: "since last standup".

Each standup meeting can record a snapshot of the headline numbers into the ``standups``
table (KPI name -> number, as JSON). The dashboard and presenter mode compare the current
numbers with the latest snapshot taken at or before ``now``.

KPI names (all floats):
    ``leads.<stage>``        leads in each lifecycle stage (all eight stages)
    ``mqls.new_7d``          leads that became MQLs in the 7 days up to now
    ``disputes.open``        open or escalated disputes
    ``disputes.overdue``     of those, past their due time
    ``stalled.leads``        leads/deals past an SLA threshold
    ``stalled.value``        open deal value on stalled leads
    ``pipeline.open_value``  value of all open deals
    ``revenue.won_quarter``  revenue won this quarter so far (whatever period the goal shows)
    ``revenue.target``       this quarter's revenue target
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from standup import panels
from standup.config import Config
from standup.store import Connection, Record, Store, record, records, run

STAGES: tuple[str, ...] = panels.FUNNEL + panels.SIDE_EXITS


# How KPIs are named and ordered for people (reports, minutes).
MONEY_KPIS = frozenset(
    {"stalled.value", "pipeline.open_value", "revenue.won_quarter", "revenue.target"}
)

KPI_LABELS: dict[str, str] = {
    "mqls.new_7d": "New MQLs (7 days)",
    "mqls.new_since": "New MQLs since last standup",
    "disputes.open": "Open disputes",
    "disputes.overdue": "Overdue disputes",
    "stalled.leads": "Stalled leads",
    "stalled.value": "Deal value stalled",
    "pipeline.open_value": "Open pipeline",
    "revenue.won_quarter": "Revenue won this quarter",
    "revenue.target": "Quarter revenue target",
}

# The order KPIs are listed in reports; anything else follows alphabetically.
KPI_ORDER: tuple[str, ...] = (
    "revenue.won_quarter",
    "revenue.target",
    "pipeline.open_value",
    "mqls.new_7d",
    "disputes.open",
    "disputes.overdue",
    "stalled.leads",
    "stalled.value",
    "leads.inquiry",
    "leads.mql",
    "leads.sal",
    "leads.sql",
    "leads.opportunity",
    "leads.customer",
    "leads.recycled",
    "leads.disqualified",
)


def kpi_label(name: str) -> str:
    """A KPI's name for people (``leads.sal`` → ``Leads in sal``)."""
    if name in KPI_LABELS:
        return KPI_LABELS[name]
    if name.startswith("leads."):
        return f"Leads in {name.removeprefix('leads.')}"
    return name


def kpi_sort_key(name: str) -> tuple[int, str]:
    """Sort KPIs in :data:`KPI_ORDER`, unknown ones last."""
    try:
        return (KPI_ORDER.index(name), name)
    except ValueError:
        return (len(KPI_ORDER), name)


class Snapshot(BaseModel):
    """One recorded standup: when, an optional label, and its KPIs."""

    model_config = ConfigDict(frozen=True)

    standup_id: int
    taken_at: datetime
    label: str | None
    kpis: dict[str, float]


def kpis_from(dashboard: panels.Dashboard, new_mqls: int) -> dict[str, float]:
    """The KPI dict for an already computed dashboard (no further queries but MQLs)."""
    out: dict[str, float] = {
        f"leads.{row.stage}": float(row.leads) for row in dashboard.pipeline.stages
    }
    out.update({f"leads.{stage}": float(n) for stage, n in dashboard.pipeline.exits.items()})
    out["mqls.new_7d"] = float(new_mqls)
    out["disputes.open"] = float(dashboard.disputes.total)
    out["disputes.overdue"] = float(dashboard.disputes.overdue)
    out["stalled.leads"] = float(dashboard.stalled.total)
    out["stalled.value"] = dashboard.stalled.total_amount
    out["pipeline.open_value"] = dashboard.pipeline.open_value
    # this quarter's, whichever period the goal tile shows (it may show an older quarter)
    out["revenue.won_quarter"] = dashboard.revops.won_this_quarter
    out["revenue.target"] = dashboard.revops.quarter_target
    return out


def new_mqls(conn: Connection, now: datetime, since: datetime | None = None) -> int:
    """Leads that became MQLs after ``since`` (default: the 7 days up to ``now``)."""
    since = since if since is not None else now - timedelta(days=7)
    row = record(run(conn, "kpis/new_mqls", {"since": since, "now": now}))
    return int(row["new_mqls"]) if row else 0


def current_kpis(conn: Connection, now: datetime, config: Config) -> dict[str, float]:
    """Every KPI as of ``now`` (current state of the data, ages measured at ``now``)."""
    return kpis_from(panels.compute_all(conn, now, config), new_mqls(conn, now))


def historic_kpis(conn: Connection, at: datetime, config: Config) -> dict[str, float]:
    """KPIs as they were at ``at``, rebuilt from the append-only history.

    Stage counts come from ``stage_history``, disputes from their opened/resolved times,
    revenue from deal close times. Stalled counts cannot be rebuilt (touch history is not
    complete), so they are left out; a delta is simply not shown for them.
    """
    params = {"at": at, "quarter_start": panels.quarter_start(at)}
    out = {f"leads.{stage}": 0.0 for stage in STAGES}
    out.update({str(r["kpi"]): float(r["value"]) for r in records(run(conn, "kpis/as_of", params))})
    out["revenue.target"] = panels.goal(conn, at, config).target
    return out


def read_current_kpis(store: Store, now: datetime, config: Config) -> dict[str, float]:
    """:func:`current_kpis` in a read unit of its own.

    A writer records them, but does not compute them in its transaction: in team mode
    that is a psycopg connection, while the KPIs are the panels' SQL, DuckDB's, which
    team mode reads through DuckDB attached to the database (``store.reading``).
    """
    with store.reading() as conn:
        return current_kpis(conn, now, config)


def record_snapshot(store: Store, now: datetime, config: Config, label: str | None = None) -> int:
    """Record the current KPIs as a standup snapshot taken at ``now``; return its id."""
    kpis = read_current_kpis(store, now, config)
    with store.writing() as conn:
        return insert_snapshot(conn, now, label, kpis)


def record_historic_snapshot(
    store: Store, at: datetime, config: Config, label: str | None = None
) -> int:
    """Record a snapshot of the KPIs as they were at ``at`` (see :func:`historic_kpis`)."""
    with store.reading() as conn:  # DuckDB's SQL, as read_current_kpis
        kpis = historic_kpis(conn, at, config)
    with store.writing() as conn:
        return insert_snapshot(conn, at, label, kpis)


def insert_snapshot(
    conn: Connection, taken_at: datetime, label: str | None, kpis: dict[str, float]
) -> int:
    """Store ``kpis`` as a standup snapshot (in the caller's transaction); its id."""
    row = record(
        run(
            conn,
            "kpis/insert_snapshot",
            {"taken_at": taken_at, "label": label, "kpis": json.dumps(kpis, sort_keys=True)},
        )
    )
    assert row is not None  # INSERT ... RETURNING always returns the row
    return int(row["standup_id"])


def latest_snapshot_before(conn: Connection, now: datetime) -> Snapshot | None:
    """The latest snapshot taken at or before ``now``, or None if there is none."""
    return snapshot_from(record(run(conn, "kpis/latest_snapshot", {"now": now})))


def snapshot_from(row: Record | None) -> Snapshot | None:
    """A ``standups`` row (``standup_id, taken_at, label, kpis``) as a :class:`Snapshot`.

    The stored JSON's numbers become floats; anything else in it is left out.
    """
    if row is None:
        return None
    raw = json.loads(row["kpis"])
    kpis = {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}
    return Snapshot(
        standup_id=row["standup_id"], taken_at=row["taken_at"], label=row["label"], kpis=kpis
    )


def deltas(current: dict[str, float], before: Snapshot | None) -> dict[str, float]:
    """current - before for every KPI both have (empty without a snapshot)."""
    if before is None:
        return {}
    return {k: v - before.kpis[k] for k, v in current.items() if k in before.kpis}
