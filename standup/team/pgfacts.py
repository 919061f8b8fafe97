"""Team mode's stored dashboard facts: kept by the server's triggers, not by the app.

In a file, every writer of leads, deals or disputes recomputes the facts of the leads it
changed (:func:`standup.facts.refresh_leads`) and a reader checks fingerprints before it
trusts them. On PostgreSQL the triggers of ``queries/pg/setup/020_facts.sql`` do that
recomputation in the writer's own transaction, whoever the writer is, so the app's writers
skip it and a reader only asks whether the facts were stamped under its SLA. The rules
are ``queries/pg/facts/live.sql``, the PostgreSQL twin of ``queries/facts/live.sql``.

This module splices those statements into the setup text (at ``standup migrate``) and
restamps (at ``standup push``, and when an app finds the database unstamped).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import queries
from standup.config import Config
from standup.errors import StandupError
from standup.lifecycle import FUNNEL

if TYPE_CHECKING:
    from standup.team.pgstore import PgConn

# The advisory lock space of the facts' locks (key 0: restamp vs. refresh; 1 and up: leads).
LOCK_SPACE = 20140


def _funnel_literal() -> str:
    return "ARRAY[" + ", ".join(f"'{stage}'" for stage in FUNNEL) + "]::VARCHAR[]"


def live(filter_sql: str) -> str:
    """``queries/pg/facts/live.sql`` for the leads ``filter_sql`` picks (static SQL of ours)."""
    text = queries.load("pg/facts/live").replace("@these_leads", filter_sql)
    return text.replace("@funnel", _funnel_literal())


def splice(setup_sql: str) -> str:
    """A setup statement with the facts' fragments in place (see ``020_facts.sql``)."""
    from standup.facts import REFRESH_IDS_CAP

    fragments = {
        "@live_some": live("lead_id = ANY(ids)"),
        "@live_all": live("true"),
        "@sum_totals": queries.load("pg/facts/sum_totals"),
        "@sum_days": queries.load("pg/facts/sum_days").replace("@funnel", _funnel_literal()),
        "@watermark": queries.load("facts/watermark"),  # the same SQL on both engines
        "@cap": str(REFRESH_IDS_CAP),
        "@locks": str(LOCK_SPACE),
    }
    for name, text in fragments.items():
        setup_sql = setup_sql.replace(name, text)
    return setup_sql


def restamp(conn: PgConn, config: Config, stamped_at: datetime) -> int:
    """Recompute every lead's facts under ``config``'s SLA, in ``conn``'s transaction.

    Returns the number of leads stamped. A database already stamped under another SLA is
    left alone: the team shares one set of stored facts, and two laptops with different
    SLA settings restamping in turn would rebuild them back and forth all meeting. That
    app computes its panels live instead (right, but slower); ``standup push`` or an
    explicit restamp changes the team's SLA.
    """
    from standup.facts import sla_key

    row = conn.run("facts/stamp_sla").fetchone()
    if row is not None and row[0] != sla_key(config):
        raise StandupError(
            f"{conn.store.label}: the team's dashboard facts follow another SLA; "
            "this app computes its panels live (slower) rather than restamp them"
        )
    return restamp_under(conn, config, stamped_at)


def restamp_under(conn: PgConn, config: Config, stamped_at: datetime) -> int:
    """Restamp under ``config``'s SLA whatever the stamp was (``standup push``)."""
    from standup.facts import sla_key

    row = conn.run("facts/restamp", {"sla": sla_key(config), "stamped_at": stamped_at}).fetchone()
    return int(row[0]) if row else 0


def out_of_step(conn: PgConn) -> int:
    """Rows in which the stored facts (or their totals) differ from the facts computed
    now over every lead: 0 when the triggers kept them true. A check for tests."""
    sql = queries.load("pg/facts/out_of_step").replace("@live", live("true"))
    row = conn.run_text("facts/out_of_step", sql).fetchone()
    return int(row[0]) if row else 0
