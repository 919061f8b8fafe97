"""Dashboard facts (migration 009): what keeps the Pipeline, Campaigns and Stalled panels
fast at 1M leads.

Every lead's facts (stage, campaign, MQL/accepted, deal money, dispute counts and its SLA
deadlines) are computed by one statement, ``queries/facts/live.sql``, and stored in
``lead_facts``; ``fact_totals`` holds them summed per (campaign, stage). A deadline does
not depend on ``now``, so a refresh only compares it with ``now``: it reads a few hundred
summed rows and the facts of the leads it shows, never the leads themselves.

The stored facts are kept true two ways:

* every writer of leads, deals or disputes calls :func:`refresh_leads` for the leads it
  changed, in its own transaction (triage does for each action, the import for what it
  loaded);
* :func:`usable` checks, on each refresh, that the facts were stamped under the config's
  SLA and that they still describe the tables: the fingerprints stored with them
  (``fact_sources``, migration 012: per lead, a sum of hashes of its rows over every
  column the facts read) add up to the tables' own (``facts/in_step.sql``). Any write
  that changes one of those columns changes the sum, whoever made it (a row count and
  newest ``updated_at``, the watermark before, missed plain ``UPDATE``s). That scan costs
  tens of milliseconds at 1M leads, so it runs only when the file moved on disk
  (:class:`~standup.store.FilePosition`: WAL size, checkpoint iteration) since this
  process last checked; a write of this process that kept the facts in step carries the
  verdict over (see :func:`_after_write`). When the facts cannot be used (another SLA, or
  a write by another tool), :func:`prepare` computes them live into temporary tables of
  the same names, so the panels stay right but slow, and a read-write app restamps in
  the background (:func:`restamp`, also run by the demo).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import duckdb

import queries
from standup.attachments import attached_file
from standup.config import SLA, Config
from standup.errors import StandupError
from standup.lifecycle import sql_params as funnel_params
from standup.store import (
    Connection,
    FilePosition,
    Store,
    drop_variants,
    file_position,
    id_listing,
    on_write,
    run,
    run_text,
)

# Stages a lead can stall in (the SLA's stage_days may name any of these).
OPEN_STAGES: tuple[str, ...] = ("inquiry", "mql", "sal", "sql", "opportunity")

# A writer that changed more leads than this leaves the restamp to the app (one set-based
# pass beats a literal list of that many ids).
REFRESH_IDS_CAP = 5000


def sla_key(config: Config) -> str:
    """The SLA as canonical JSON: stored deadlines are valid only for this exact SLA."""
    return json.dumps(config.sla.model_dump(mode="json"), sort_keys=True)


def sla_params(sla: SLA) -> dict[str, Any]:
    """The SLA as the ``$name`` parameters of ``facts/live.sql``."""
    params: dict[str, Any] = {f"{stage}_days": sla.stage_days.get(stage) for stage in OPEN_STAGES}
    params["no_touch_days"] = sla.no_touch_days
    params["accept_mql_hours"] = sla.accept_mql_hours
    params["deal_stages"] = list(sla.deal_stage_days)
    params["deal_days"] = list(sla.deal_stage_days.values())
    params.update(funnel_params())
    return params


def _sum(conn: Connection) -> None:
    """Add the facts in ``facts_change`` to ``fact_totals`` and ``fact_days``."""
    run(conn, "facts/sum")
    run(conn, "facts/sum_days", funnel_params())


def _run(
    conn: Connection, name: str, params: dict[str, Any] | None, ids: Iterable[int] | None
) -> Connection:
    """Run ``queries/<name>.sql`` with its fragments spliced in.

    ``@live``, ``@source_rows`` and ``@watermark`` become the statements of the same names
    (static SQL of ours); ``@these_leads`` becomes ``lead_id IN (<ids>)`` with a literal
    list (each id through ``int``, so the indexes serve it: DuckDB scans for any
    parameterised list) or, with ``ids`` None, ``true``. Values are still bound as
    ``$name`` parameters.
    """
    sql = queries.load(name)
    sql = sql.replace("@live", queries.load("facts/live"))
    sql = sql.replace("@source_rows", queries.load("facts/source_rows"))
    sql = sql.replace("@watermark", queries.load("facts/watermark"))
    these = "true" if ids is None else f"lead_id IN ({id_listing(ids)})"
    return run_text(conn, name, sql.replace("@these_leads", these), params)


def _store_facts(conn: Connection, sla: SLA, ids: list[int]) -> None:
    """Replace the stored facts of ``ids`` with theirs now, totals included."""
    _run(conn, "facts/old", None, ids)
    _run(conn, "facts/new", sla_params(sla), ids)
    _run(conn, "facts/forget", None, ids)
    run(conn, "facts/insert")
    run(conn, "facts/change_some")
    _sum(conn)
    _run(conn, "facts/sources", None, ids)


def restamp(store: Store, config: Config, stamped_at: datetime) -> int:
    """Recompute every lead's facts under ``config``'s SLA, in one transaction.

    Returns the number of leads stamped. ``stamped_at`` is informational (wall clock).
    """
    with store.writing() as conn:
        return restamp_with(conn, config, stamped_at)


def restamp_with(conn: Connection, config: Config, stamped_at: datetime) -> int:
    """:func:`restamp` on an open read-write connection (inside the caller's transaction)."""
    if kept_by_server(conn):
        from standup.team import pgfacts
        from standup.team.pgstore import PgConn

        return pgfacts.restamp(cast(PgConn, conn), config, stamped_at)
    run(conn, "facts/clear")
    _run(conn, "facts/rebuild", sla_params(config.sla), None)
    _run(conn, "facts/sources_rebuild", None, None)
    run(conn, "facts/index")
    run(conn, "facts/change_all")
    _sum(conn)
    params = {"sla": sla_key(config), "stamped_at": stamped_at}
    row = _run(conn, "facts/record", params, None).fetchone()
    _restamped.add(conn)
    return int(row[0]) if row else 0


def refresh_leads(conn: Connection, lead_ids: Iterable[int]) -> None:
    """Bring the stored facts of ``lead_ids`` in step with the writer's change.

    Every writer of leads, deals or disputes calls it inside its transaction, after the
    change. The facts are recomputed under the SLA they were stamped with. Nothing to do
    while they were never stamped; more than :data:`REFRESH_IDS_CAP` leads drop the stamp
    instead, so the panels compute live until the app restamps (one set-based pass).
    """
    if kept_by_server(conn):
        return  # the team database's triggers did it, in this transaction
    ids = sorted(set(lead_ids))
    if not ids:
        return
    sla = _stamped_sla(conn)
    if sla is None:
        return
    if len(ids) > REFRESH_IDS_CAP:
        run(conn, "facts/unstamp")
        return
    # The stamp's watermark stays as the restamp left it: trust is the fingerprints'
    # (fact_sources), which _store_facts keeps, and what remembers a state of the file
    # (panels/refs_key.sql) reads the tables' own newest updated_at.
    _store_facts(conn, sla, ids)
    _kept.add(conn)


def out_of_step(conn: Connection) -> int:
    """Rows in which the stored facts differ from the facts computed now (0: in step).

    Under the SLA they were stamped with; a check for tests (and for the curious), as it
    computes every lead's facts.
    """
    sla = _stamped_sla(conn)
    if sla is None:
        raise StandupError("the dashboard facts were never stamped")
    if kept_by_server(conn):
        from standup.team import pgfacts
        from standup.team.pgstore import PgConn

        return pgfacts.out_of_step(cast(PgConn, conn))
    row = _run(conn, "facts/out_of_step", sla_params(sla), None).fetchone()
    sources = _run(conn, "facts/sources_out_of_step", None, None).fetchone()
    return (int(row[0]) if row else 0) + (int(sources[0]) if sources else 0)


def _stamped_sla(conn: Connection) -> SLA | None:
    """The SLA the stored facts follow; None when they were never stamped."""
    row = run(conn, "facts/stamp_sla").fetchone()
    return SLA.model_validate_json(row[0]) if row else None


def usable(conn: Connection, config: Config) -> bool:
    """True when the stored facts are stamped under ``config``'s SLA and still current.

    Current: their stored fingerprints add up to the tables' (``facts/in_step.sql``),
    checked once per position of the file on disk (see the module docstring).
    """
    row = run(conn, "facts/state", {"sla": sla_key(config)}).fetchone()
    if not (row and row[0]):
        return False
    path, read_only, team = attached_file(conn)
    if team:
        return True  # the server's triggers keep them current (standup.team.pgfacts)
    if path is None or not read_only:
        # In-memory: nothing on disk to tell a write by. A write unit: what it sees may
        # include its own uncommitted change, which a rollback would take back while
        # the file's position stays, so its verdict is not kept.
        return in_step(conn)
    # Taken with the file attached: no other process can commit until we let go of it.
    position = file_position(path)
    with _seen_lock:
        seen = _seen.get(path)
    if seen is not None and seen[0] == position:
        return seen[1]
    verdict = in_step(conn)
    with _seen_lock:
        _seen[path] = (position, verdict)
    return verdict


def kept_by_server(conn: Connection) -> bool:
    """Whether ``conn`` is a unit of work on the team's PostgreSQL, whose triggers keep
    the stored facts in step with every write (:mod:`standup.team.pgfacts`)."""
    return not isinstance(conn, duckdb.DuckDBPyConnection)


def in_step(conn: Connection) -> bool:
    """True when the stored facts' fingerprints add up to the tables' now (a full scan of
    the columns the facts read: ~tens of ms at 1M leads; see ``make bench``)."""
    row = run(conn, "facts/in_step").fetchone()
    return bool(row and row[0])


def forget_checks() -> None:
    """Forget every verdict of :func:`usable`: the next check scans, as after someone
    else's write (benchmarks time that case with it)."""
    with _seen_lock:
        _seen.clear()


# Per file: the position at which this process last checked :func:`in_step`, and what it
# found. Equal positions mean nobody committed since, so the verdict still holds.
_seen: dict[Path, tuple[FilePosition, bool]] = {}
_seen_lock = threading.Lock()
# Write connections on which a writer kept the facts in step (refresh_leads) or rebuilt
# them (restamp) in the transaction that is about to commit.
_kept: weakref.WeakSet[Connection] = weakref.WeakSet()
_restamped: weakref.WeakSet[Connection] = weakref.WeakSet()


def _after_write(
    conn: Connection, path: Path, before: FilePosition, after: FilePosition, changed: bool
) -> None:
    """A write unit of this process committed (the file still locked): carry the verdict.

    A restamp leaves the facts in step whatever they were. A write that kept them in step
    (every writer of leads, deals or disputes does, :func:`refresh_leads`), or a bare
    checkpoint, leaves them as they were, if this process had checked them at the
    position the write started from, i.e. nobody else wrote in between. Any other write
    (ad-hoc SQL, say) is left for the next reader to check.
    """
    with _seen_lock:
        seen = _seen.get(path)
        if conn in _restamped:
            _seen[path] = (after, True)
        elif seen is not None and seen[0] == before and (not changed or conn in _kept):
            _seen[path] = (after, seen[1])
    _restamped.discard(conn)
    _kept.discard(conn)


on_write(_after_write)


def prepare(conn: Connection, config: Config) -> bool:
    """Make ``lead_facts`` and ``fact_totals`` true for this unit of work.

    Returns True when the stored facts are used. Otherwise the facts are computed live
    (seconds at 1M leads) into temporary tables that shadow the stored ones until the
    connection closes, and False says a restamp would make refreshes fast again. Every
    panel calls it; only the first call on a connection does the work.
    """
    settled = _prepared.get(conn)
    if settled is not None:
        return settled
    stored = usable(conn, config)
    if not stored:
        # A variant that reads the stored facts in place (team mode) would miss the shadow.
        drop_variants(conn)
        run(conn, "facts/shadow_totals")
        _run(conn, "facts/shadow", sla_params(config.sla), None)
        run(conn, "facts/change_all")
        _sum(conn)
    _prepared[conn] = stored
    return stored


# What :func:`prepare` settled, per open connection: the panels of one refresh share a
# connection, so the watermark is checked once. Weak keys: an entry dies with its
# connection, like the temporary tables it may describe.
_prepared: weakref.WeakKeyDictionary[Connection, bool] = weakref.WeakKeyDictionary()
