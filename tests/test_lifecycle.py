"""The funnel order (standup.lifecycle) and migration 010's reached_stage backfill."""

from __future__ import annotations

from pathlib import Path

import duckdb

import queries
from standup import lifecycle, panels
from standup.store import Store, schema_version


def test_rank_and_furthest_follow_the_main_path() -> None:
    assert [lifecycle.rank(s) for s in lifecycle.FUNNEL] == [1, 2, 3, 4, 5, 6]
    assert lifecycle.rank("disqualified") is None
    assert lifecycle.rank(None) is None
    assert lifecycle.furthest("mql", "disqualified", "sql", None) == "sql"
    assert lifecycle.furthest("recycled") is None
    assert lifecycle.has_reached("opportunity", "sal")
    assert not lifecycle.has_reached("mql", "sal")
    assert not lifecycle.has_reached(None, "inquiry")
    assert panels.FUNNEL is lifecycle.FUNNEL


def test_sql_rank_agrees_with_python() -> None:
    conn = duckdb.connect()
    for stage in lifecycle.STAGES:
        got = conn.execute(
            "SELECT list_position($funnel, $s)", {**lifecycle.sql_params(), "s": stage}
        ).fetchone()
        assert got is not None and got[0] == lifecycle.rank(stage)


def test_migration_literal_is_the_funnel() -> None:
    # the migration writes the list out once (it is history); it must be today's order
    text = queries.load("migrations/010_reached")
    literal = "[" + ", ".join(f"'{s}'" for s in lifecycle.FUNNEL) + "]"
    assert literal in text


def _file_at_009(path: Path) -> None:
    conn = duckdb.connect(str(path))
    for version, name, sql in queries.migrations():
        if version > 9:
            break
        conn.execute(sql)
        conn.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    conn.close()


LEADS = [
    # lead_id, stage, history (to_stage, day), deals (stage, created day, closed day)
    (1, "mql", [("inquiry", 1), ("mql", 2)], []),
    (
        2,
        "disqualified",
        [("inquiry", 1), ("mql", 2), ("sal", 3), ("sql", 4), ("disqualified", 5)],
        [],
    ),
    (3, "sql", [], [("proposal", 6, None)]),  # a deal: reached opportunity
    (4, "mql", [("inquiry", 1)], [("lost", 3, 9), ("won", 4, 8)]),  # a won deal: customer
    (5, "recycled", [("inquiry", 1), ("recycled", 2)], []),
    (6, "customer", [], []),
]


def test_migration_backfills_reached_stage_and_milestones(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _file_at_009(path)
    conn = duckdb.connect(str(path))
    for lead_id, stage, history, deals in LEADS:
        conn.execute(
            "INSERT INTO leads (lead_id, stage, stage_entered_at, created_at, updated_at) "
            "VALUES (?, ?, DATE '2026-01-01', DATE '2026-01-01', DATE '2026-01-01')",
            [lead_id, stage],
        )
        for to_stage, day in history:
            conn.execute(
                "INSERT INTO stage_history (lead_id, to_stage, moved_at, actor, source) "
                "VALUES (?, ?, DATE '2026-01-01' + ?::INTEGER, 't', 't')",
                [lead_id, to_stage, day],
            )
        for number, (deal_stage, created, closed) in enumerate(deals):
            conn.execute(
                "INSERT INTO deals (deal_id, lead_id, stage, created_at, stage_entered_at, "
                "closed_at, updated_at) VALUES (?, ?, ?, DATE '2026-01-01' + ?::INTEGER, "
                "DATE '2026-01-01', DATE '2026-01-01' + ?::INTEGER, DATE '2026-01-01')",
                [lead_id * 10 + number, lead_id, deal_stage, created, closed],
            )
    conn.close()

    store = Store.open(path)
    assert store.file_schema_version() == schema_version()
    with store.reading() as conn:
        found = conn.execute(
            "SELECT lead_id, reached_stage, day(sql_at), day(opportunity_at), day(customer_at) "
            "FROM leads"
        ).fetchall()
    rows = {r[0]: r[1:] for r in found}
    # expected, by the rule: the furthest main-path stage of stage / history / deals
    for lead_id, stage, history, deals in LEADS:
        candidates = [stage] + [h[0] for h in history]
        candidates += ["opportunity"] * bool(deals)
        candidates += ["customer"] * any(d[0] == "won" for d in deals)
        assert rows[lead_id][0] == lifecycle.furthest(*candidates), lead_id
    assert rows[2][1:] == (1 + 4, None, None)
    assert rows[3][1:] == (None, 1 + 6, None)
    assert rows[4][1:] == (None, 1 + 3, 1 + 8)
    assert rows[6][1:] == (None, None, None)  # customer, time unknown

    # dates are nullable now
    with store.writing() as conn:
        conn.execute("INSERT INTO leads (lead_id, stage, updated_at) VALUES (99, 'inquiry', now())")
        conn.execute(
            "INSERT INTO deals (deal_id, lead_id, stage, updated_at) VALUES (99, 99, 'won', now())"
        )
        conn.execute(
            "INSERT INTO stage_history (lead_id, to_stage, actor, source) "
            "VALUES (99, 'inquiry', 't', 't')"
        )


def test_deals_index_survives_the_rebuild(empty_store: Store) -> None:
    with empty_store.reading() as conn:
        names = [r[0] for r in conn.execute("SELECT index_name FROM duckdb_indexes()").fetchall()]
    assert "deals_lead" in names


def test_demo_reached_stage_and_milestones_agree_with_its_history(demo_store: Store) -> None:
    with demo_store.reading() as conn:
        history = conn.execute(
            "SELECT lead_id, to_stage, moved_at FROM stage_history ORDER BY lead_id"
        ).fetchall()
        leads = conn.execute(
            "SELECT lead_id, reached_stage, sql_at, opportunity_at, customer_at FROM leads"
        ).fetchall()
    moves: dict[int, list[tuple[str, object]]] = {}
    for lead_id, to_stage, moved_at in history:
        moves.setdefault(lead_id, []).append((to_stage, moved_at))
    for lead_id, reached, sql_at, opp_at, cust_at in leads:
        mine = moves.get(lead_id, [])
        assert reached == lifecycle.furthest(*(s for s, _ in mine)), lead_id
        for stage, got in (("sql", sql_at), ("opportunity", opp_at), ("customer", cust_at)):
            times = [t for s, t in mine if s == stage]
            assert got == (min(times) if times else None), (lead_id, stage)  # type: ignore[type-var]
