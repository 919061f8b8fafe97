"""CRM ids of the leads (and deals) a panel names, so the room can find them in the CRM.

The panels take their labels from the dashboard facts (``lead_facts``); the CRM ids live
in ``leads`` and ``deals``. Looking up a panel's few hundred shown leads there is a scan
of the lead ids at 1M leads (~40 ms: DuckDB turns a long literal ``IN`` list into a join
and the ids are spread over every row group), and the Stalled and Open disputes panels
would each pay it on every refresh. The shown leads barely change between refreshes and
a lead's CRM id changes only with a write, so the ids are remembered per database and
per state of the stored facts (``facts_stamp``: row counts and newest ``updated_at``,
and the rows of ``fact_totals``, to which every writer that keeps the facts in step
appends): any such write starts a new cache, and only leads not seen since are looked up.

When the stored facts are not usable (computed live for this refresh: a write by
another tool), nothing is remembered: the watermark does not describe the tables then.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from standup.store import Connection, run, run_for_ids

# One shown row's ids: external_id, deal_id, deal_external_id.
Refs = dict[str, Any]

# Leads remembered per database before the cache starts over (a panel shows <= 200).
CACHE_LIMIT = 20_000

_lock = threading.Lock()
# per attached database: (facts watermark, lead_id -> its refs)
_cache: dict[str, tuple[tuple[Any, ...], dict[int, Refs]]] = {}


def lookup(conn: Connection, lead_ids: Iterable[int], *, stored: bool) -> dict[int, Refs]:
    """CRM ids of ``lead_ids`` and of each one's biggest open deal, by lead id.

    ``stored``: the connection's dashboard facts are the stored ones (what
    :func:`standup.facts.prepare` returned), so the cache may be used.
    """
    wanted = sorted(set(lead_ids))
    if not wanted:
        return {}
    if not stored:
        return _fetch(conn, wanted)
    row = run(conn, "panels/refs_key").fetchone()
    if row is None:  # never stamped (prepare would not have said "stored")
        return _fetch(conn, wanted)
    database, key = str(row[0]), tuple(row[1:])
    with _lock:
        held_key, held = _cache.get(database, (None, {}))
        known = dict(held) if held_key == key else {}
    missing = [i for i in wanted if i not in known]
    if missing:
        found = _fetch(conn, missing)
        # a lead that no longer exists is remembered as having no ids
        for i in missing:
            known[i] = found.get(i, {})
        if len(known) > CACHE_LIMIT:
            known = {i: known[i] for i in wanted}
        with _lock:
            _cache[database] = (key, known)
    return {i: known[i] for i in wanted if known.get(i)}


def _fetch(conn: Connection, lead_ids: list[int]) -> dict[int, Refs]:
    rows = run_for_ids(conn, "panels/lead_refs", None, lead_ids).fetchall()
    return {
        int(r[0]): {"external_id": r[1], "deal_id": r[2], "deal_external_id": r[3]} for r in rows
    }


def forget() -> None:
    """Drop every remembered id (tests; a process that replaced files under the same name)."""
    with _lock:
        _cache.clear()
