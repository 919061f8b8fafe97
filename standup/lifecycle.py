"""The lead lifecycle's order, in one place: the funnel's main path and its side exits.

A lead at a later stage of the main path has reached every earlier one
(``leads.reached_stage``, migration 010). Python code ranks stages with :func:`rank`;
SQL gets the same order as a bound parameter, never a second copy of the list: pass
:func:`sql_params` (``$funnel``) and write ``list_position($funnel, stage)`` for the
rank (NULL off the main path) and ``$funnel[rank]`` for the stage at a rank.
"""

from __future__ import annotations

from typing import Any

# The forward path of the funnel, in order; recycled and disqualified are side exits.
FUNNEL: tuple[str, ...] = ("inquiry", "mql", "sal", "sql", "opportunity", "customer")
SIDE_EXITS: tuple[str, ...] = ("recycled", "disqualified")
STAGES: tuple[str, ...] = FUNNEL + SIDE_EXITS

# The milestone column that records when a lead first reached each main-path stage
# (inquiry's is created_at; sal's is accepted_at, the name triage has always used).
MILESTONES: dict[str, str] = {
    "inquiry": "created_at",
    "mql": "mql_at",
    "sal": "accepted_at",
    "sql": "sql_at",
    "opportunity": "opportunity_at",
    "customer": "customer_at",
}


def rank(stage: str | None) -> int | None:
    """1-based position of ``stage`` on the main path; None for a side exit or None.

    The same numbers as SQL's ``list_position($funnel, stage)``.
    """
    if stage is None or stage not in FUNNEL:
        return None
    return FUNNEL.index(stage) + 1


def furthest(*stages: str | None) -> str | None:
    """The furthest main-path stage among ``stages`` (side exits and None ignored)."""
    ranks = [r for r in (rank(s) for s in stages) if r is not None]
    return FUNNEL[max(ranks) - 1] if ranks else None


def has_reached(reached_stage: str | None, stage: str) -> bool:
    """Whether a lead whose furthest stage is ``reached_stage`` has reached ``stage``."""
    have, want = rank(reached_stage), rank(stage)
    return have is not None and want is not None and have >= want


def sql_params() -> dict[str, Any]:
    """The funnel as SQL parameters: ``$funnel`` (the main path, in order)."""
    return {"funnel": list(FUNNEL)}
