"""Team mode's stored dashboard facts, kept by the server's triggers (standup.team.pgfacts).

Every figure is checked against the other engine: the DuckDB file, given the same
writes, computes its own facts with queries/facts/live.sql and its own sums, and the
team database's triggers must have stored the same, row for row, whoever wrote (the
app's triage, or plain SQL from another tool).
"""

from __future__ import annotations

import json
import math
import threading
from datetime import date, datetime
from typing import Any

import duckdb
import psycopg
import pytest

from standup import facts, panels
from standup.config import SLA, Config
from standup.errors import StandupError
from standup.store import Store
from standup.team.pgstore import PgStore
from standup.team.push import push
from tests.conftest import AS_OF
from tests.test_team_triage import _script

# lead_facts, every column; deal_list compared as data (JSONB there, a list of structs here).
_FACTS = "SELECT * FROM lead_facts ORDER BY lead_id"
# The totals and day buckets as a reader sums them (both tables are append-only deltas).
_TOTALS = (
    "SELECT campaign_id, stage, sum(leads), sum(mqls), sum(accepted), sum(open_amount), "
    "sum(won_amount), sum(disputes), sum(quality_disputes), sum(reached_mql), "
    "sum(reached_sal), sum(reached_customer), sum(won_deals), sum(closed_deals), "
    "sum(deal_amount) FROM fact_totals GROUP BY 1, 2 HAVING sum(leads) <> 0 ORDER BY 1, 2"
)
_DAYS = (
    "SELECT measure, stage, day, bucket, sum(n), sum(amount) FROM fact_days "
    "GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4"
)


def _same(a: Any, b: Any) -> bool:
    """Equal, floats to 1e-9 (the engines sum and divide doubles in their own order)."""
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return bool(a == b)


def _plain(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "amount":
        return float(value)
    if key == "expected_close":
        return value if isinstance(value, date) else date.fromisoformat(value)
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _deals(value: Any) -> list[dict[str, Any]] | None:
    """A lead's deal_list from either engine as plain data (JSON text times parsed)."""
    if value is None:
        return None
    items = value if isinstance(value, list) else json.loads(value)
    return [{k: v if k == "stage" else _plain(k, v) for k, v in item.items()} for item in items]


def _pg(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def _duck(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(store.path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _assert_rows(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]], what: str) -> None:
    assert len(got) == len(want), what
    for g, w in zip(got, want, strict=True):
        assert len(g) == len(w), what
        for i, (x, y) in enumerate(zip(g, w, strict=True)):
            assert _same(x, y), f"{what}: row {w[0]!r}, column {i}: {x!r} != {y!r}"


def assert_same_facts(store: Store, url: str) -> None:
    """The team database's stored facts and sums equal the file's, figure for figure."""
    got, want = _pg(url, _FACTS), _duck(store, _FACTS)
    _assert_rows([r[:-1] for r in got], [r[:-1] for r in want], "lead_facts")
    for g, w in zip(got, want, strict=True):
        assert _deals(g[-1]) == _deals(w[-1]), f"deal_list of lead {w[0]}"
    _assert_rows(_pg(url, _TOTALS), _duck(store, _TOTALS), "fact_totals")
    _assert_rows(_pg(url, _DAYS), _duck(store, _DAYS), "fact_days")


def _stamped(url: str) -> bool:
    return bool(_pg(url, "SELECT count(*) FROM facts_stamp")[0][0])


def test_push_stores_the_facts_the_file_computes(demo_store: Store, pg_url: str) -> None:
    push(demo_store, PgStore(pg_url))
    assert _stamped(pg_url)
    # The demo stamped the file's facts under the default SLA, as push did the team's.
    assert_same_facts(demo_store, pg_url)
    assert _pg(pg_url, "SELECT count(*) FROM lead_facts")[0][0] == 2000
    # the check the other tests lean on sees a stored fact that is wrong
    pg = PgStore(pg_url)
    assert pg.fetch_with(facts.out_of_step) == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE lead_facts SET disputes = disputes + 1 WHERE lead_id = 7")
    assert pg.fetch_with(facts.out_of_step) > 0


def test_triage_on_both_engines_leaves_the_same_facts(demo_store: Store, pg_url: str) -> None:
    """The app's writers skip refresh_leads on Postgres: the triggers did it."""
    pg = PgStore(pg_url)
    push(demo_store, pg)
    assert _script(pg) == _script(demo_store)
    assert_same_facts(demo_store, pg_url)
    config = Config()
    on_pg = panels.refresh_all(pg, AS_OF, config)
    on_file = panels.refresh_all(demo_store, AS_OF, config)
    assert on_pg.stalled.stored and on_pg.pipeline.summarized  # read, not computed live
    for name in panels.PANELS:
        assert getattr(on_pg, name) == getattr(on_file, name), name


# Writes another tool might make, in both dialects' common SQL: a stage change, a new
# deal, a deal moved to another lead, a dispute deleted, a lead deleted, a bulk update.
_OTHER_TOOL = [
    "UPDATE leads SET stage = 'sql', stage_entered_at = TIMESTAMP '2026-11-01 10:00:00' "
    "WHERE lead_id IN (SELECT lead_id FROM leads WHERE stage = 'mql' ORDER BY lead_id LIMIT 5)",
    "INSERT INTO deals (deal_id, lead_id, name, stage, amount, created_at, stage_entered_at, "
    "updated_at) SELECT 900001, min(lead_id), 'side deal', 'proposal', 12345.5, "
    "TIMESTAMP '2026-10-01 09:00:00', TIMESTAMP '2026-10-02 09:00:00', "
    "TIMESTAMP '2026-10-02 09:00:00' FROM leads",
    # a tie: the same amount as the lead's open deal, another stage (the lower id wins)
    "INSERT INTO deals (deal_id, lead_id, name, stage, amount, created_at, stage_entered_at, "
    "updated_at) SELECT 900002, lead_id, 'twin', 'negotiation', amount, created_at, "
    "stage_entered_at, updated_at FROM deals WHERE deal_id = (SELECT min(deal_id) FROM deals "
    "WHERE stage = 'proposal')",
    "UPDATE deals SET lead_id = (SELECT max(lead_id) FROM leads) "
    "WHERE deal_id = (SELECT min(deal_id) FROM deals WHERE stage = 'won')",
    "DELETE FROM disputes WHERE dispute_id = (SELECT min(dispute_id) FROM disputes "
    "WHERE status = 'open')",
    "DELETE FROM leads WHERE lead_id = (SELECT max(lead_id) FROM leads WHERE stage = 'inquiry')",
    "UPDATE leads SET last_touch_at = TIMESTAMP '2026-11-20 08:00:00' WHERE lead_id % 7 = 0",
]


def test_a_write_by_another_tool_is_kept_in_step(demo_store: Store, pg_url: str) -> None:
    """Plain SQL on the server (no standup involved) keeps the facts right; the file,
    given the same SQL, is restamped by standup and must agree."""
    push(demo_store, PgStore(pg_url))
    with psycopg.connect(pg_url) as conn:
        for sql in _OTHER_TOOL:
            conn.execute(sql)  # type: ignore[arg-type]
    with duckdb.connect(str(demo_store.path)) as duck:
        for sql in _OTHER_TOOL:
            duck.execute(sql)
    facts.restamp(demo_store, Config(), AS_OF)
    assert _stamped(pg_url)
    assert_same_facts(demo_store, pg_url)


def test_truncate_or_a_bulk_write_drops_the_stamp_and_an_app_restamps(
    demo_store: Store, pg_url: str
) -> None:
    pg = PgStore(pg_url)
    push(demo_store, pg)
    config = Config()
    # More leads than one statement may touch: the stamp goes, the panels compute live.
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            "SELECT standup_refresh_facts(ARRAY(SELECT generate_series(1, %s)::BIGINT))",
            (facts.REFRESH_IDS_CAP + 1,),
        )
    assert not _stamped(pg_url)
    live = panels.refresh_all(pg, AS_OF, config)
    assert not live.stalled.stored
    assert facts.restamp(pg, config, AS_OF) == 2000
    stored = panels.refresh_all(pg, AS_OF, config)
    assert stored.stalled.stored
    assert stored.stalled.model_dump(exclude={"stored"}) == live.stalled.model_dump(
        exclude={"stored"}
    )
    with psycopg.connect(pg_url) as conn:
        conn.execute("TRUNCATE touches, disputes")
    assert not _stamped(pg_url)


def test_another_sla_computes_live_and_never_restamps_the_team(
    demo_store: Store, pg_url: str
) -> None:
    """Two laptops with different SLA settings must not rebuild the team's facts in turn."""
    pg = PgStore(pg_url)
    push(demo_store, pg)
    other = Config(sla=SLA(no_touch_days=3))
    before = _pg(pg_url, "SELECT sla, stamped_at FROM facts_stamp")
    with pytest.raises(StandupError, match="another SLA"):
        facts.restamp(pg, other, AS_OF)
    assert _pg(pg_url, "SELECT sla, stamped_at FROM facts_stamp") == before
    on_pg = panels.refresh_all(pg, AS_OF, other)
    assert not on_pg.stalled.stored
    on_file = panels.refresh_all(demo_store, AS_OF, other)
    assert on_pg.stalled.model_dump(exclude={"stored"}) == on_file.stalled.model_dump(
        exclude={"stored"}
    )


def test_two_writers_of_one_lead_at_once_both_count(demo_store: Store, pg_url: str) -> None:
    """Two transactions changing one lead's facts at once, through different tables (no
    row lock between them): the lead keeps one row of facts, with neither change lost
    (the per-lead advisory lock serialises the refreshes)."""
    push(demo_store, PgStore(pg_url))
    lead, dispute = _pg(
        pg_url,
        "SELECT d.lead_id, d.dispute_id FROM disputes AS d JOIN leads AS l USING (lead_id) "
        "WHERE d.status = 'open' ORDER BY d.dispute_id LIMIT 1",
    )[0]
    resolve = f"UPDATE disputes SET status = 'resolved' WHERE dispute_id = {int(dispute)}"
    rename = f"UPDATE leads SET company = 'Renamed Ltd' WHERE lead_id = {int(lead)}"
    with psycopg.connect(pg_url) as one, psycopg.connect(pg_url) as two:
        one.execute(resolve)  # type: ignore[arg-type]
        done = threading.Event()

        def other() -> None:
            two.execute(rename)  # type: ignore[arg-type]
            two.commit()
            done.set()

        thread = threading.Thread(target=other)
        thread.start()
        assert not done.wait(0.5)  # waits for the first writer's lock on the lead's facts
        one.commit()
        thread.join(10)
        assert done.is_set()
    (row,) = _pg(
        pg_url, f"SELECT count(*), max(company) FROM lead_facts WHERE lead_id = {int(lead)}"
    )
    assert row == (1, "Renamed Ltd")
    with duckdb.connect(str(demo_store.path)) as duck:
        duck.execute(resolve)
        duck.execute(rename)
    facts.restamp(demo_store, Config(), AS_OF)
    assert_same_facts(demo_store, pg_url)


def _changed(table: str, column: str, data_type: str) -> str | None:
    """An expression that changes ``column`` of a row, within the schema's CHECKs."""
    choices = {
        ("leads", "stage"): "CASE WHEN stage = 'sql' THEN 'sal' ELSE 'sql' END",
        ("deals", "stage"): "CASE WHEN stage = 'proposal' THEN 'won' ELSE 'proposal' END",
        ("disputes", "status"): "CASE WHEN status = 'resolved' THEN 'open' ELSE 'resolved' END",
        (
            "disputes",
            "raised_by",
        ): "CASE WHEN raised_by = 'sales' THEN 'marketing' ELSE 'sales' END",
        ("disputes", "kind"): "CASE WHEN kind = 'lead_quality' THEN 'contest_reject' "
        "ELSE 'lead_quality' END",
        ("disputes", "outcome"): "CASE WHEN outcome = 'accept' THEN 'recycle' ELSE 'accept' END",
        ("disputes", "fault"): "CASE WHEN fault = 'sales' THEN 'data' ELSE 'sales' END",
        ("leads", "reached_stage"): "CASE WHEN reached_stage = 'customer' THEN 'mql' "
        "ELSE 'customer' END",
        # a deal or dispute moved to another lead; a lead given a new id
        ("deals", "lead_id"): "(SELECT max(lead_id) FROM leads)",
        ("disputes", "lead_id"): "(SELECT max(lead_id) FROM leads)",
        ("leads", "lead_id"): "(SELECT max(lead_id) + 1 FROM leads)",
        ("deals", "deal_id"): "(SELECT max(deal_id) + 1 FROM deals)",
        ("disputes", "dispute_id"): "(SELECT max(dispute_id) + 1 FROM disputes)",
    }
    if (table, column) in choices:
        return choices[(table, column)]
    if data_type.startswith("timestamp"):
        return f"coalesce({column}, TIMESTAMP '2026-11-01 08:00:00') + INTERVAL '1 day 3 hours'"
    if data_type == "date":
        return f"coalesce({column}, DATE '2026-11-01') + 1"
    if data_type in ("integer", "bigint", "numeric"):
        return f"coalesce({column}, 0) + 1"
    if data_type == "character varying":
        return f"coalesce({column}, '') || 'x'"
    return None


def test_every_column_of_the_source_tables_keeps_the_facts_true(
    demo_store: Store, pg_url: str
) -> None:
    """Change each column of leads, deals and disputes in turn, by plain SQL: after each
    write the stored facts and totals equal those computed from the tables then (the
    same rules, queries/pg/facts/live.sql, run over every lead: facts.out_of_step), so
    no column the facts read is missing from the triggers' checks."""
    pg = PgStore(pg_url)
    push(demo_store, pg)
    columns = _pg(
        pg_url,
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_name IN ('leads', 'deals', 'disputes') AND table_schema = 'public' "
        "ORDER BY table_name, ordinal_position",
    )
    # the row changed in each table: one with something to lose (an open deal, a dispute)
    picks = {
        "leads": "SELECT min(lead_id) FROM deals WHERE stage NOT IN ('won', 'lost')",
        "deals": "SELECT min(deal_id) FROM deals WHERE stage NOT IN ('won', 'lost')",
        "disputes": "SELECT min(dispute_id) FROM disputes WHERE status = 'open'",
    }
    changed = 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for table, column, data_type in columns:
            expr = _changed(str(table), str(column), str(data_type))
            if expr is None:
                continue
            key = {"leads": "lead_id", "deals": "deal_id", "disputes": "dispute_id"}[str(table)]
            pick = picks[str(table)]
            conn.execute(f"UPDATE {table} SET {column} = {expr} WHERE {key} = ({pick})")  # type: ignore[arg-type]
            changed += 1
            assert pg.fetch_with(facts.out_of_step) == 0, f"{table}.{column}"
    assert changed >= 30


def test_an_older_setup_is_brought_up_to_date_on_open(demo_store: Store, pg_url: str) -> None:
    """A team database migrated by an older standup (same schema, older triggers) gets
    this standup's setup when a read-write app opens it; a read-only one leaves it."""
    from standup.team.pgstore import setup_mark

    push(demo_store, PgStore(pg_url))
    triggers = "SELECT count(*) FROM pg_trigger WHERE tgname = 'standup_facts_update'"
    assert _pg(pg_url, triggers) == [(3,)]
    with psycopg.connect(pg_url) as conn:
        conn.execute("DROP TRIGGER standup_facts_update ON disputes")
        conn.execute("COMMENT ON FUNCTION standup_refresh_facts(BIGINT[]) IS 'older'")
    PgStore.open(pg_url, read_only=True)
    assert _pg(pg_url, triggers) == [(2,)]
    store = PgStore.open(pg_url)
    assert _pg(pg_url, triggers) == [(3,)] and store.applied_setup() == setup_mark()
