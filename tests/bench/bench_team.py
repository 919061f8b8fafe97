"""Team mode in ``make bench``: the same demo file pushed into a real PostgreSQL.

A private server (tests/pg_server.py) on loopback, per bench run. Side by side with the
local file's rows of the same table: the full refresh (panels through DuckDB attached
READ_ONLY to Postgres), a triage action to committed (psycopg, one transaction), and
how long after another client's commit this client has heard it (LISTEN/NOTIFY) and has
its dashboard refreshed.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.bench.run import Bench

NO_POSTGRES = "n/a (no PostgreSQL installed)"


def define_rows(bench: Bench) -> None:
    """The team-mode rows, after the local file's."""
    row = bench._row
    row("team:push", "Team: `standup push` of the demo file into PostgreSQL (one transaction)")
    row("team:refresh", "Team: full refresh, panels via DuckDB attached READ_ONLY to Postgres")
    row("team:triage", "Team: triage action → committed (psycopg) p50 / p95", 0.010, "p95 ≤ 10 ms")
    row("team:heard", "Team: another client's commit → heard here (LISTEN/NOTIFY) p50")
    row("team:live", "Team: another client's commit → dashboard refreshed here p50", 1.0, "≤ 1 s")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class _Server:
    """One server for the whole bench run, started on first use."""

    server: Any = None
    failed: str | None = None


def _server() -> Any:
    if _Server.server is None and _Server.failed is None:
        from tests.pg_server import start_server

        try:
            _Server.server = start_server()
        except RuntimeError as exc:
            _Server.failed = str(exc)
    return _Server.server


def stop() -> None:
    """Stop the bench's server (end of the run)."""
    if _Server.server is not None:
        from standup.team.listen import stop_all
        from standup.team.pgstore import close_pools

        stop_all()
        close_pools()
        _Server.server.cleanup()
        _Server.server = None


def measure(bench: Bench, size: int, db: Path) -> None:
    """Every team-mode row at ``size``."""
    keys = ("team:push", "team:refresh", "team:triage", "team:heard", "team:live")
    server = _server()
    if server is None:
        for key in keys:
            bench.put(key, size, None, NO_POSTGRES)
        return
    from standup import panels, triage
    from standup.config import Config
    from standup.store import Store
    from standup.team.pgstore import PgStore
    from standup.team.push import push
    from tests.bench.run import AS_OF, _ms, fresh_copy, remove_db

    opts = bench.opts
    url = server.new_database(f"bench{size}")
    store = PgStore(url)
    with bench.guard("team:push", size):
        opts.log("  team: push into PostgreSQL")
        copy = fresh_copy(db, opts.workdir / "team-push.duckdb")
        try:
            pushed = push(Store.open(copy), store)
        finally:
            remove_db(copy)
        bench.put("team:push", size, pushed.seconds, f"{pushed.seconds:.1f} s")
    config = Config()
    with bench.guard("team:refresh", size):
        opts.log("  team: full refresh")
        times = []
        for index in range(opts.runs + opts.warmup):
            started = time.perf_counter()
            panels.refresh_all(store, AS_OF, config)
            if index >= opts.warmup:
                times.append(time.perf_counter() - started)
        value = statistics.median(times)
        bench.put("team:refresh", size, value, _ms(value))
    with bench.guard("team:triage", size):
        opts.log("  team: triage actions")
        rows = triage.queue(store, AS_OF)
        times = []
        count = min(opts.triage_actions, len(rows))
        for index, row in enumerate(rows[: count + opts.warmup]):
            action = ("accept", "note", "escalate")[index % 3]
            if action == "escalate" and row.status == "escalated":
                action = "note"
            target = [triage.Target(row.dispute_id, row.version)]
            started = time.perf_counter()
            triage.apply(store, action, target, now=AS_OF, actor="bench", note="bench")
            if index >= opts.warmup:
                times.append(time.perf_counter() - started)
        if not times:
            raise RuntimeError("no open disputes to act on")
        p50, p95 = statistics.median(times), _percentile(times, 0.95)
        bench.put("team:triage", size, p95, f"{p50 * 1000:.1f} / {p95 * 1000:.1f} ms")
    with bench.guard("team:live", size):
        opts.log("  team: latency after another client's commit")
        heard_times, live_times = [], []
        store.changes()  # this client's listener, connected before the first commit
        time.sleep(0.5)
        other = PgStore(url + "?application_name=bench_other")
        for _ in range(max(2, min(opts.runs, 5))):
            seen = store.changes()
            rows = triage.queue(other, AS_OF)
            if not rows:
                break
            row = rows[0]
            target = [triage.Target(row.dispute_id, row.version)]
            triage.note(other, target, now=AS_OF, actor="other laptop", note="bench")
            committed = time.perf_counter()
            deadline = committed + 10
            while store.changes() == seen and time.perf_counter() < deadline:
                time.sleep(0.0005)
            heard_times.append(time.perf_counter() - committed)
            panels.refresh_all(store, AS_OF, config)
            live_times.append(time.perf_counter() - committed)
        heard, live = statistics.median(heard_times), statistics.median(live_times)
        bench.put("team:heard", size, heard, _ms(heard))
        bench.put("team:live", size, live, _ms(live))
