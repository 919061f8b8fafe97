"""A realistic, seeded demo database with a story the dashboard can tell.

Campaigns of very different quality (trade-show badge scans that sales keeps
rejecting, partner referrals that close), reps who follow up fast and one (Tom) who lets
MQLs rot, disputes from both sides, SLA breaches, stalled deals with money at risk and a
quarter's revenue against a target. Everything is generated set-based in SQL
(``queries/demo/``), relative to ``now``, from a hash of (row, seed): the same seed and
as-of give the same file whatever the thread count.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import queries
from standup.config import Config
from standup.errors import AlreadyExists, StandupError
from standup.facts import restamp
from standup.kpis import record_historic_snapshot
from standup.store import Store

DEFAULT_LEADS = 5000
MAX_LEADS = 20_000_000

STEPS: list[tuple[str, str]] = [
    ("demo/01_people_campaigns", "people and campaigns"),
    ("demo/02_plan", "funnel paths"),
    ("demo/03_leads", "leads"),
    ("demo/04_deals", "deals"),
    ("demo/05_touches", "touches"),
    ("demo/06_history", "stage history"),
    ("demo/07_disputes", "disputes"),
    ("demo/08_targets", "targets"),
]

Progress = Callable[[int, int, str], None]


def generate(
    path: str | Path,
    *,
    now: datetime,
    leads: int = DEFAULT_LEADS,
    seed: int = 42,
    force: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
) -> Store:
    """Create a demo database at ``path`` and return its store.

    The file is built beside the target and moved into place only when complete, so an
    existing file (replaced only with ``force``) is never left half-written.
    """
    target = Path(path).expanduser().resolve()
    if not 0 < leads <= MAX_LEADS:
        raise StandupError(f"--leads must be between 1 and {MAX_LEADS:,}, got {leads:,}")
    if target.exists() and not force:
        raise AlreadyExists(f"{target}: already exists (use --force to replace it)")
    if target.is_dir():
        raise StandupError(f"{target}: is a directory")
    cfg = config or Config()
    building = target.with_name(f".{target.name}.{os.getpid()}.building")
    building.unlink(missing_ok=True)
    try:
        store = Store.create(building)
        with store.writing() as conn:
            conn.execute("SET VARIABLE seed = $v", {"v": seed})
            conn.execute("SET VARIABLE n = $v", {"v": leads})
            conn.execute("SET VARIABLE now = $v", {"v": now})
            conn.execute("SET VARIABLE dispute_due_days = $v", {"v": cfg.sla.dispute_due_days})
            for index, (name, label) in enumerate(STEPS):
                if progress:
                    progress(index, len(STEPS), label)
                conn.execute(queries.load(name))
        # "Since last standup" deltas show out of the box: a snapshot of last week's
        # meeting, rebuilt from the history as the data was then.
        record_historic_snapshot(store, now - timedelta(days=7), cfg, "demo: last week")
        # The dashboard facts (migration 009), under this SLA.
        restamp(store, cfg, now)
        if progress:
            progress(len(STEPS), len(STEPS), "done")
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}.wal").unlink(missing_ok=True)
    return Store(target)
