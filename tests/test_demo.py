"""The demo database: deterministic, and it tells the story the dashboard needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from standup.demo import generate
from standup.errors import AlreadyExists
from standup.store import Store
from tests.conftest import AS_OF


def _one(store: Store, sql: str) -> object:
    return store.fetch_with(lambda c: c.execute(sql).fetchone()[0])


def test_same_seed_and_as_of_give_the_same_data(tmp_path: Path) -> None:
    digest = (
        "SELECT sum(hash(lead_id, stage, owner_id, stage_entered_at, score, company)) FROM leads"
    )
    a = generate(tmp_path / "a.duckdb", now=AS_OF, leads=1500, seed=3)
    b = generate(tmp_path / "b.duckdb", now=AS_OF, leads=1500, seed=3)
    c = generate(tmp_path / "c.duckdb", now=AS_OF, leads=1500, seed=4)
    assert _one(a, digest) == _one(b, digest)
    assert _one(a, digest) != _one(c, digest)


def _table_digests(store: Store) -> dict[str, tuple[object, ...]]:
    """Row count and an order-insensitive hash of every row (ids included) of every table."""

    def read(conn: object) -> dict[str, tuple[object, ...]]:
        tables = [
            row[0]
            for row in conn.execute(  # type: ignore[attr-defined]
                "SELECT table_name FROM duckdb_tables() WHERE table_name <> 'schema_version'"
            ).fetchall()
        ]
        return {
            name: conn.execute(  # type: ignore[attr-defined]
                f"SELECT count(*), sum(hash(t)) FROM (SELECT * FROM {name}) AS t"
            ).fetchone()
            for name in tables
        }

    return store.fetch_with(read)


def test_same_seed_gives_identical_tables_ids_included(tmp_path: Path) -> None:
    # Large enough for DuckDB to split the inserts across threads (ids drawn row by row
    # from a sequence in a parallel insert would come out in a different order each run).
    a = generate(tmp_path / "a.duckdb", now=AS_OF, leads=60_000, seed=11)
    b = generate(tmp_path / "b.duckdb", now=AS_OF, leads=60_000, seed=11)
    digests = _table_digests(a)
    assert digests == _table_digests(b)
    assert digests["leads"][0] == 60_000 and digests["touches"][0] > 60_000


def test_sequences_continue_after_the_demo_ids(demo_store: Store) -> None:
    def next_ids(conn: object) -> tuple[object, ...]:
        row = conn.execute(  # type: ignore[attr-defined]
            "SELECT (SELECT max(touch_id) FROM touches), nextval('touch_ids'), "
            "(SELECT max(history_id) FROM stage_history), nextval('stage_history_ids')"
        ).fetchone()
        return tuple(row)

    with demo_store.writing() as conn:
        max_touch, next_touch, max_history, next_history = next_ids(conn)
    assert next_touch == max_touch + 1  # type: ignore[operator]
    assert next_history == max_history + 1  # type: ignore[operator]
    ids = demo_store.fetch_with(
        lambda c: c.execute(
            "SELECT count(*) = count(DISTINCT history_id), min(history_id) FROM stage_history"
        ).fetchone()
    )
    assert ids == (True, 1)


def test_demo_tells_a_story(demo_store: Store) -> None:
    stages = dict(
        demo_store.fetch_with(
            lambda c: c.execute("SELECT stage, count(*) FROM leads GROUP BY stage").fetchall()
        )
    )
    assert sum(stages.values()) == 2000
    assert set(stages) == {
        "inquiry", "mql", "sal", "sql", "opportunity", "customer", "recycled", "disqualified",
    }  # fmt: skip
    # The trade-show campaign (3) gets rejected far more often than partner referrals (1).
    reject_rate = demo_store.fetch_with(
        lambda c: dict(
            c.execute(
                "SELECT campaign_id, avg((stage = 'recycled')::INT) FROM leads "
                "WHERE mql_at IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
    )
    assert reject_rate[3] > 3 * reject_rate[1]
    # Tom (14) lets MQLs rot: he holds most of the MQLs still waiting for a decision.
    rotting = dict(
        demo_store.fetch_with(
            lambda c: c.execute(
                "SELECT owner_id, count(*) FROM leads WHERE stage = 'mql' "
                "AND mql_at < $now - INTERVAL 24 HOUR GROUP BY 1",
                {"now": AS_OF},
            ).fetchall()
        )
    )
    assert max(rotting, key=lambda owner: rotting[owner]) == 14
    # Disputes from both sides, some open, some overdue; revenue won this quarter; a target.
    sides = demo_store.fetch_with(
        lambda c: {
            row[0]
            for row in c.execute(
                "SELECT DISTINCT raised_by FROM disputes WHERE status <> 'resolved'"
            ).fetchall()
        }
    )
    assert sides == {"marketing", "sales"}
    assert _one(demo_store, f"SELECT count(*) FROM disputes WHERE due_at < TIMESTAMP '{AS_OF}'"
                " AND status <> 'resolved'") > 0  # fmt: skip
    assert _one(demo_store, "SELECT count(*) FROM targets") == 1
    won = _one(
        demo_store,
        "SELECT sum(amount) FROM deals WHERE stage = 'won' AND closed_at >= TIMESTAMP '2026-10-01'",
    )
    assert won and float(str(won)) > 0


def test_history_matches_every_lead_stage(demo_store: Store) -> None:
    mismatches = _one(
        demo_store,
        """
        SELECT count(*) FROM leads AS l
        JOIN (SELECT lead_id, arg_max(to_stage, moved_at) AS last_stage
              FROM stage_history GROUP BY lead_id) AS h USING (lead_id)
        WHERE h.last_stage <> l.stage
        """,
    )
    assert mismatches == 0
    assert _one(demo_store, "SELECT count(DISTINCT lead_id) FROM stage_history") == 2000


def test_nothing_is_in_the_future(demo_store: Store) -> None:
    latest = _one(
        demo_store,
        "SELECT max(greatest(created_at, stage_entered_at, coalesce(last_touch_at, created_at))) "
        "FROM leads",
    )
    assert latest is not None and latest <= AS_OF


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "mine.duckdb"
    path.write_bytes(b"precious")
    with pytest.raises(AlreadyExists, match="--force"):
        generate(path, now=AS_OF, leads=10)
    assert path.read_bytes() == b"precious"
    generate(path, now=AS_OF, leads=10, force=True)
    assert _one(Store.open(path), "SELECT count(*) FROM leads") == 10
