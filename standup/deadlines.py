"""Precomputed SLA deadlines (migration 002): what keeps the Stalled panel fast at 1M leads.

A lead's deadline is the moment it breaches the SLA: the earliest of entering its stage
plus the stage's days, its last touch plus ``no_touch_days`` (worked stages), and
becoming an MQL plus ``accept_mql_hours``. It does not depend on ``now``, so it can be
computed once and stored: ``lead_deadlines`` holds it for every lead, in the same row
order as ``leads``, and the Stalled query reads both with a POSITIONAL JOIN.

Writers never need to know: a stored row is used only while it is *fresh* (same lead_id
and ``updated_at`` as when stamped, and the same SLA config); anything else is computed
on the fly by the same query. :func:`restamp` rebuilds the table; the demo calls it, and
the app calls it in the background when :func:`drift` says many rows have gone stale
(e.g. after an import).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from standup.config import Config
from standup.store import Connection, Store, run

# Stages a lead can stall in (the SLA's stage_days may name any of these).
OPEN_STAGES: tuple[str, ...] = ("inquiry", "mql", "sal", "sql", "opportunity")

# The app restamps in the background once this many leads are not covered.
RESTAMP_MIN_DRIFT = 5000


def sla_key(config: Config) -> str:
    """The SLA as canonical JSON: stored deadlines are valid only for this exact SLA."""
    return json.dumps(config.sla.model_dump(mode="json"), sort_keys=True)


def sla_params(config: Config) -> dict[str, Any]:
    """The SLA as the ``$name`` parameters of the deadline expressions."""
    sla = config.sla
    params: dict[str, Any] = {f"{stage}_days": sla.stage_days.get(stage) for stage in OPEN_STAGES}
    params["no_touch_days"] = sla.no_touch_days
    params["accept_mql_hours"] = sla.accept_mql_hours
    return params


def restamp(store: Store, config: Config, stamped_at: datetime) -> int:
    """Recompute every lead's deadline under ``config``'s SLA, in one transaction.

    Returns the number of leads stamped. ``stamped_at`` is informational (wall clock).
    """
    with store.writing() as conn:
        return restamp_with(conn, config, stamped_at)


def restamp_with(conn: Connection, config: Config, stamped_at: datetime) -> int:
    """:func:`restamp` on an open read-write connection (inside the caller's transaction)."""
    run(conn, "deadlines/clear")
    run(conn, "deadlines/stamp", sla_params(config))
    row = run(
        conn, "deadlines/record", {"sla": sla_key(config), "stamped_at": stamped_at}
    ).fetchone()
    return int(row[0]) if row else 0


def stamp_ok(conn: Connection, config: Config) -> bool:
    """True when the stored deadlines were stamped under ``config``'s SLA."""
    row = run(conn, "deadlines/stamp_ok", {"sla": sla_key(config)}).fetchone()
    return bool(row and row[0])


# Up to this many drifted leads are passed to the Stalled query by id; beyond that it
# simply computes every lead's deadline (and the app restamps in the background).
DRIFT_IDS_CAP = 20_000


def drifted_ids(conn: Connection, config: Config, cap: int = DRIFT_IDS_CAP) -> list[int] | None:
    """Ids of leads without a fresh stored deadline, or None when there are more than cap."""
    ok = stamp_ok(conn, config)
    if not ok:
        return None
    rows = run(conn, "deadlines/drifted", {"stamp_ok": ok, "cap": cap}).fetchall()
    return None if len(rows) > cap else [int(row[0]) for row in rows]


def drift(conn: Connection, config: Config) -> tuple[int, int]:
    """(leads not covered by fresh stored deadlines, all leads)."""
    row = run(conn, "deadlines/drift", {"stamp_ok": stamp_ok(conn, config)}).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
