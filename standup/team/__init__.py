"""Team mode: the same app on one shared PostgreSQL (``standup postgresql://...``).

PostgreSQL is the system of record. Every write is a psycopg 3 transaction
(:mod:`standup.team.pgstore`), the triage rules are :mod:`standup.triage`'s own, run
through the Postgres dialect of its statements (``queries/pg/``), and
:mod:`standup.team.push` moves a team's local DuckDB file into the shared database.
"""

from __future__ import annotations

URL_PREFIXES = ("postgresql://", "postgres://")


def is_team_url(db: str) -> bool:
    """True for a PostgreSQL connection URL (team mode), False for a DuckDB file path."""
    return db.startswith(URL_PREFIXES)
