"""Every dashboard panel query on small hand-built databases with known answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from standup import facts, panels
from standup.config import SLA, Config
from standup.store import Connection, Store
from tests.conftest import AS_OF

NOW = AS_OF
US = timedelta(microseconds=1)


def lead(
    conn: Connection,
    lead_id: int,
    stage: str,
    *,
    entered: datetime,
    campaign_id: int | None = 1,
    owner_id: int | None = 11,
    mql_at: datetime | None = None,
    accepted_at: datetime | None = None,
    last_touch_at: datetime | None = None,
) -> None:
    conn.execute(
        "INSERT INTO leads (lead_id, company, owner_id, campaign_id, stage, stage_entered_at,"
        " created_at, mql_at, accepted_at, last_touch_at, updated_at)"
        " VALUES ($id, $company, $owner, $campaign, $stage, $entered, $created, $mql, $acc,"
        " $touch, $entered)",
        {
            "id": lead_id,
            "company": f"Co {lead_id}",
            "owner": owner_id,
            "campaign": campaign_id,
            "stage": stage,
            "entered": entered,
            "created": entered - timedelta(days=1),
            "mql": mql_at,
            "acc": accepted_at,
            "touch": last_touch_at,
        },
    )


def deal(
    conn: Connection,
    deal_id: int,
    lead_id: int,
    stage: str,
    amount: float,
    *,
    entered: datetime,
    closed_at: datetime | None = None,
    last_touch_at: datetime | None = None,
) -> None:
    conn.execute(
        "INSERT INTO deals (deal_id, lead_id, owner_id, stage, amount, created_at,"
        " stage_entered_at, last_touch_at, closed_at, updated_at)"
        " VALUES ($id, $lead, 11, $stage, $amount, $entered, $entered, $touch, $closed, $entered)",
        {
            "id": deal_id,
            "lead": lead_id,
            "stage": stage,
            "amount": amount,
            "entered": entered,
            "touch": last_touch_at or entered,
            "closed": closed_at,
        },
    )


def move(conn: Connection, lead_id: int, to_stage: str, at: datetime) -> None:
    conn.execute(
        "INSERT INTO stage_history (lead_id, to_stage, moved_at, actor, source)"
        " VALUES ($l, $s, $at, 'test', 'test')",
        {"l": lead_id, "s": to_stage, "at": at},
    )


def dispute(
    conn: Connection,
    dispute_id: int,
    lead_id: int,
    *,
    due: datetime,
    raised_by: str = "marketing",
    kind: str = "missed_followup",
    reason: str = "no_follow_up",
    status: str = "open",
) -> None:
    conn.execute(
        "INSERT INTO disputes (dispute_id, lead_id, raised_by, kind, reason_code, claim, status,"
        " opened_at, due_at) VALUES ($id, $lead, $by, $kind, $reason, 'claim', $status,"
        " $opened, $due)",
        {
            "id": dispute_id,
            "lead": lead_id,
            "by": raised_by,
            "kind": kind,
            "reason": reason,
            "status": status,
            "opened": due - timedelta(days=3),
            "due": due,
        },
    )


def campaign(conn: Connection, campaign_id: int, name: str, spend: float = 1000) -> None:
    conn.execute(
        "INSERT INTO campaigns (campaign_id, name, spend) VALUES ($id, $name, $spend)",
        {"id": campaign_id, "name": name, "spend": spend},
    )


def read(store: Store, fn: Any, config: Config | None = None, now: datetime = NOW) -> Any:
    with store.reading() as conn:
        return fn(conn, now, config or Config())


# -- pipeline -------------------------------------------------------------------------


def test_pipeline_counts_values_and_conversion_with_an_empty_stage(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        # four inquiries (created six days ago), two of which went on to MQL two days ago;
        # nobody reached SAL (an empty stage)
        for i in range(1, 5):
            stage = "mql" if i <= 2 else "inquiry"
            mql_at = NOW - timedelta(days=2) if i <= 2 else None
            lead(conn, i, stage, entered=NOW - timedelta(days=5), mql_at=mql_at)
        # an opportunity (open deal) and a customer (won deal); a lost deal is not value.
        # Created 91+ days ago: outside the window, so not in the inquiry cohort
        old = NOW - timedelta(days=90)
        lead(conn, 10, "opportunity", entered=old)
        deal(conn, 100, 10, "proposal", 5000, entered=NOW - timedelta(days=3))
        lead(conn, 11, "customer", entered=old)
        deal(conn, 101, 11, "won", 7000, entered=NOW - timedelta(days=3), closed_at=NOW)
        lead(conn, 12, "disqualified", entered=old)
        deal(conn, 102, 12, "lost", 9000, entered=NOW - timedelta(days=3), closed_at=NOW)
    result = read(empty_store, panels.pipeline)
    by_stage = {row.stage: row for row in result.stages}
    assert [row.stage for row in result.stages] == list(panels.FUNNEL)
    assert by_stage["inquiry"].leads == 2 and by_stage["mql"].leads == 2
    assert by_stage["inquiry"].reached == 4  # created in the window
    assert by_stage["inquiry"].conversion == pytest.approx(0.5)  # two of four reached MQL
    assert by_stage["mql"].reached == 2
    assert by_stage["mql"].conversion == 0.0  # two reached MQL, none SAL
    assert by_stage["sal"].conversion is None  # nobody reached SAL: no division by zero
    assert by_stage["opportunity"].value == 5000
    assert by_stage["customer"].value == 7000
    assert by_stage["customer"].conversion is None  # last stage has no next
    assert by_stage["inquiry"].value is None
    assert result.exits == {"recycled": 0, "disqualified": 1}
    assert result.open_value == 5000


def test_pipeline_on_an_empty_database(empty_store: Store) -> None:
    result = read(empty_store, panels.pipeline)
    assert all(row.leads == 0 and row.conversion is None for row in result.stages)
    assert result.open_value == 0


# -- stalled --------------------------------------------------------------------------

SLA_CONFIG = Config(
    sla=SLA(
        accept_mql_hours=24,
        stage_days={"inquiry": 30, "mql": 2, "sal": 7, "sql": 14, "opportunity": 30},
        deal_stage_days={"proposal": 21},
        no_touch_days=10,
    )
)


def test_a_lead_exactly_at_its_threshold_is_not_stalled(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        lead(conn, 1, "inquiry", entered=NOW - timedelta(days=30))  # exactly at 30 days
        lead(conn, 2, "inquiry", entered=NOW - timedelta(days=30) - US)  # one µs past
        lead(conn, 3, "inquiry", entered=NOW - timedelta(days=29))
    result = read(empty_store, panels.stalled, SLA_CONFIG)
    assert [row.lead_id for row in result.rows] == [2]
    assert result.total == 1
    assert result.rows[0].rule == "in stage"
    assert result.rows[0].days_over == pytest.approx(0, abs=1e-6)


def test_mql_not_accepted_within_sla_hours(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        at = NOW - timedelta(hours=24)
        lead(conn, 1, "mql", entered=at, mql_at=at)  # exactly 24h: not yet
        at = NOW - timedelta(hours=30)
        lead(conn, 2, "mql", entered=at, mql_at=at)  # 6h over the accept SLA
    result = read(empty_store, panels.stalled, SLA_CONFIG)
    assert [(row.lead_id, row.rule) for row in result.rows] == [(2, "not accepted")]
    assert result.rows[0].days_over == pytest.approx(6 / 24)


def test_stalled_rules_and_money_first(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        # worked lead, recent stage but no touch for 12 days: 2 days over "no touch"
        lead(
            conn,
            1,
            "sal",
            entered=NOW - timedelta(days=3),
            last_touch_at=NOW - timedelta(days=12),
        )
        # opportunity whose deal sits in proposal 25 days (limit 21): 4 days, 50k at risk
        lead(conn, 2, "opportunity", entered=NOW - timedelta(days=5), last_touch_at=NOW)
        deal(conn, 20, 2, "proposal", 50000, entered=NOW - timedelta(days=25), last_touch_at=NOW)
        # a small deal stalled longer: money first, so it comes after the 50k one
        lead(conn, 3, "opportunity", entered=NOW - timedelta(days=40), last_touch_at=NOW)
        deal(conn, 30, 3, "proposal", 1000, entered=NOW - timedelta(days=2), last_touch_at=NOW)
        # closed leads are never stalled, however old
        lead(conn, 4, "customer", entered=NOW - timedelta(days=400))
        lead(conn, 5, "recycled", entered=NOW - timedelta(days=400))
        # fresh and touched: fine
        lead(conn, 6, "sql", entered=NOW - timedelta(days=1), last_touch_at=NOW)
    result = read(empty_store, panels.stalled, SLA_CONFIG)
    got = [(row.lead_id, row.rule, round(row.days_over, 3), row.amount) for row in result.rows]
    assert got == [
        (2, "deal in stage", 4.0, 50000.0),
        (3, "in stage", 10.0, 1000.0),
        (1, "no touch", 2.0, 0.0),
    ]
    assert result.total == 3
    assert result.total_amount == 51000


def test_stalled_limit_keeps_totals(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        for i in range(1, 8):
            lead(conn, i, "inquiry", entered=NOW - timedelta(days=31 + i))
    with empty_store.reading() as conn:
        result = panels.stalled(conn, NOW, SLA_CONFIG, limit=3)
    assert [row.lead_id for row in result.rows] == [7, 6, 5]  # most overdue first
    assert result.total == 7


def test_nothing_stalled(empty_store: Store) -> None:
    result = read(empty_store, panels.stalled, SLA_CONFIG)
    assert result.rows == [] and result.total == 0 and result.total_amount == 0


# -- disputes -------------------------------------------------------------------------


def test_disputes_overdue_first_and_due_now_is_not_overdue(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        lead(conn, 1, "mql", entered=NOW - timedelta(days=5))
        dispute(conn, 1, 1, due=NOW)  # due exactly now
        dispute(conn, 2, 1, due=NOW - timedelta(seconds=1), raised_by="sales", kind="lead_quality",
                reason="junk_source")  # fmt: skip
        dispute(conn, 3, 1, due=NOW - timedelta(days=2), status="escalated")
        dispute(conn, 4, 1, due=NOW + timedelta(days=1))
        dispute(conn, 5, 1, due=NOW - timedelta(days=9), status="resolved")
    result = read(empty_store, panels.disputes)
    assert [row.dispute_id for row in result.rows] == [3, 2, 1, 4]
    assert [row.overdue for row in result.rows] == [True, True, False, False]
    assert result.total == 4
    assert result.overdue == 2
    assert result.by_side == {"marketing": 3, "sales": 1}
    assert result.by_reason == {"Sales missed the follow-up SLA": 3, "Junk from this campaign": 1}
    due_now = result.rows[2]
    assert due_now.due_in_days == 0 and due_now.age_days == pytest.approx(3)
    assert result.rows[0].company == "Co 1"


def test_no_open_disputes(empty_store: Store) -> None:
    result = read(empty_store, panels.disputes)
    assert result.rows == [] and result.total == 0 and result.overdue == 0
    assert result.by_reason == {} and result.by_side == {}


# -- campaigns ------------------------------------------------------------------------


def test_campaigns_rates_attribution_and_zero_mqls(empty_store: Store) -> None:
    at = NOW - timedelta(days=10)
    with empty_store.writing() as conn:
        campaign(conn, 1, "Good", spend=2000)
        campaign(conn, 2, "Junk", spend=5000)
        campaign(conn, 3, "Only inquiries", spend=100)  # leads, but zero MQLs
        campaign(conn, 4, "Empty", spend=0)  # no leads at all
        # Good: 2 MQLs, both accepted; one won deal (first touch), one open deal
        lead(conn, 1, "customer", entered=at, campaign_id=1, mql_at=at, accepted_at=at)
        deal(conn, 10, 1, "won", 30000, entered=at, closed_at=at)
        lead(conn, 2, "opportunity", entered=at, campaign_id=1, mql_at=at, accepted_at=at)
        deal(conn, 11, 2, "proposal", 8000, entered=at)
        # Junk: 4 MQLs, one accepted, two disputes
        for i in range(3, 7):
            accepted = at if i == 3 else None
            lead(conn, i, "mql", entered=at, campaign_id=2, mql_at=at, accepted_at=accepted)
        dispute(conn, 1, 3, due=NOW, raised_by="sales", kind="lead_quality", reason="junk_source")
        dispute(conn, 2, 4, due=NOW)
        lead(conn, 7, "inquiry", entered=at, campaign_id=3)
    result = read(empty_store, panels.campaigns)
    names = [row.name for row in result.rows]
    # too few campaigns with enough MQLs to judge any "worst": by lead -> customer rate,
    # none last
    assert names == ["Junk", "Only inquiries", "Good", "Empty"]
    junk, inquiries, good, empty = result.rows
    assert junk.mqls == 4 and junk.accepted == 1 and junk.acceptance_rate == 0.25
    assert junk.disputes == 2 and junk.quality_disputes == 1 and junk.dispute_rate == 0.5
    assert not junk.worst and result.qualifying == 0
    assert good.acceptance_rate == 1.0 and good.dispute_rate == 0.0 and not good.worst
    assert good.won == 30000 and good.pipeline == 8000 and good.spend == 2000
    assert inquiries.mqls == 0 and inquiries.acceptance_rate is None
    assert inquiries.dispute_rate is None and not inquiries.worst
    assert empty.leads == 0 and empty.acceptance_rate is None and empty.won == 0


# -- shared goal ----------------------------------------------------------------------


def test_goal_uses_the_quarter_target_and_only_this_quarter(empty_store: Store) -> None:
    with empty_store.writing() as conn:
        lead(conn, 1, "customer", entered=NOW)
        deal(conn, 1, 1, "won", 1000, entered=NOW, closed_at=datetime(2026, 10, 1, 0, 0))
        deal(conn, 2, 1, "won", 500, entered=NOW, closed_at=datetime(2026, 11, 20, 12, 0))
        deal(conn, 3, 1, "won", 9999, entered=NOW, closed_at=datetime(2026, 9, 30, 23, 59))
        deal(conn, 4, 1, "won", 7777, entered=NOW, closed_at=NOW + timedelta(hours=1))
        deal(conn, 5, 1, "proposal", 5555, entered=NOW)
        conn.execute("INSERT INTO targets VALUES (DATE '2026-10-01', 3000)")
    result = read(empty_store, panels.goal)
    assert result.quarter_start == datetime(2026, 10, 1).date()
    assert result.won == 1500
    assert result.target == 3000 and result.target_from == "targets"
    assert result.progress == 0.5
    assert len(result.trend) == 54  # Oct 1 .. Nov 23
    assert result.trend[0] == 1000 and result.trend[-1] == 1500
    assert result.trend == sorted(result.trend)  # cumulative
    # 53.375 days of a 92-day quarter have passed
    assert result.expected == pytest.approx(3000 * 53.375 / 92)


def test_goal_falls_back_to_config_target(empty_store: Store) -> None:
    result = read(empty_store, panels.goal, Config(revenue_target=2000))
    assert result.target == 2000 and result.target_from == "config" and result.won == 0
    zero = read(empty_store, panels.goal, Config(revenue_target=0))
    assert zero.progress is None


def test_quarter_start() -> None:
    assert panels.quarter_start(datetime(2026, 1, 1)) == datetime(2026, 1, 1).date()
    assert panels.quarter_start(datetime(2026, 6, 30, 23)) == datetime(2026, 4, 1).date()
    assert panels.quarter_start(datetime(2026, 12, 31)) == datetime(2026, 10, 1).date()


# -- all at once ----------------------------------------------------------------------


def test_refresh_all_on_the_demo(demo_store: Store) -> None:
    board = panels.refresh_all(demo_store, NOW, Config())
    assert (
        sum(row.leads for row in board.pipeline.stages) + sum(board.pipeline.exits.values()) == 2000
    )
    assert board.stalled.total > 0 and board.stalled.rows[0].amount > 0
    assert board.disputes.overdue > 0
    assert board.campaigns.rows[0].name == "Trade show badge scans"  # the demo's junk source
    assert board.goal.target_from == "targets" and board.goal.won > 0
    assert board.seconds > 0


# -- stored dashboard facts (migration 009) --------------------------------------------


def board_numbers(store: Store, config: Config | None = None) -> tuple[Any, ...]:
    """Every panel's answer (not its timings), however the facts behind it were found."""
    with store.reading() as conn:
        board = panels.compute_all(conn, NOW, config or Config())
    pipe = board.pipeline  # all but `summarized`: the stage-entry summary rides the restamp
    return (
        pipe.stages,
        pipe.exits,
        pipe.open_value,
        board.stalled.rows,
        board.stalled.total,
        board.stalled.total_amount,
        board.disputes,
        board.campaigns,
        board.goal,
    )


def usable(store: Store, config: Config | None = None) -> bool:
    with store.reading() as conn:
        return facts.usable(conn, config or Config())


def test_stored_facts_give_the_same_answer_as_live_ones(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "d.duckdb")
    generate_into(store)
    assert not usable(store)  # nothing stamped yet: every panel computes live
    live = board_numbers(store)
    assert facts.restamp(store, Config(), NOW) == 600
    assert usable(store)
    assert board_numbers(store) == live


def test_a_write_by_another_tool_is_noticed(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "d.duckdb")
    generate_into(store)
    facts.restamp(store, Config(), NOW)
    stalled_ids = {row.lead_id for row in all_stalled(store).rows}
    victim = min(i for i in stalled_ids if i % 7 == 1)  # a stalled MQL, no deal
    with store.writing() as conn:
        # plain SQL that does not keep the facts in step: the lead is accepted now
        conn.execute(
            "UPDATE leads SET stage = 'sal', stage_entered_at = $now, last_touch_at = $now,"
            " updated_at = $now + INTERVAL 1 SECOND WHERE lead_id = $id",
            {"now": NOW, "id": victim},
        )
        # and a new MQL nobody accepted for 3 days
        lead(conn, 10_000, "mql", entered=NOW - timedelta(days=3), mql_at=NOW - timedelta(days=3))
    assert not usable(store)
    with store.reading() as conn:
        # the changed lead: its stored row and its live one; the new lead: its live row;
        # the same three again for their stored / live fingerprints (fact_sources)
        assert facts.out_of_step(conn) == 6
    after = all_stalled(store)
    assert not after.stored and after.needs_restamp
    ids = {row.lead_id for row in after.rows}
    assert victim not in ids and 10_000 in ids
    live = board_numbers(store)
    facts.restamp(store, Config(), NOW)
    assert usable(store) and board_numbers(store) == live


def test_writers_keep_the_facts_in_step(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "d.duckdb")
    generate_into(store)
    facts.restamp(store, Config(), NOW)
    victim = min(row.lead_id for row in all_stalled(store).rows if row.lead_id % 7 == 1)
    with store.writing() as conn:
        conn.execute(
            "UPDATE leads SET stage = 'sal', stage_entered_at = $now, last_touch_at = $now,"
            " updated_at = $now WHERE lead_id = $id",
            {"now": NOW, "id": victim},
        )
        lead(conn, 10_000, "mql", entered=NOW - timedelta(days=3), mql_at=NOW - timedelta(days=3))
        deal(conn, 9_000, 10_000, "proposal", 5_000, entered=NOW - timedelta(days=40))
        facts.refresh_leads(conn, [victim, 10_000])
    assert usable(store)  # the writer kept the facts and their fingerprints in step
    with store.reading() as conn:
        assert facts.out_of_step(conn) == 0
    stored = board_numbers(store)
    assert victim not in {row.lead_id for row in all_stalled(store).rows}
    facts.restamp(store, Config(), NOW)
    assert board_numbers(store) == stored


def test_too_many_changed_leads_leave_the_restamp_to_the_app(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "d.duckdb")
    generate_into(store)
    facts.restamp(store, Config(), NOW)
    with store.writing() as conn:
        facts.refresh_leads(conn, range(1, facts.REFRESH_IDS_CAP + 2))
    assert not usable(store)


def test_a_different_sla_ignores_stored_facts(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "d.duckdb")
    generate_into(store)
    facts.restamp(store, Config(), NOW)
    strict = Config(sla=SLA(stage_days={"inquiry": 1, "mql": 1, "sal": 1, "sql": 1}))
    assert not usable(store, strict)
    live_strict = read(store, panels.stalled, strict)
    assert not live_strict.stored
    facts.restamp(store, strict, NOW)
    stamped_strict = read(store, panels.stalled, strict)
    assert stamped_strict.stored and same(stamped_strict, live_strict)
    assert live_strict.total > read(store, panels.stalled).total  # under the default SLA


def same(a: panels.Stalled, b: panels.Stalled) -> bool:
    """Same answer, however it was computed (stored or fresh deadlines)."""
    return (a.rows, a.total, a.total_amount) == (b.rows, b.total, b.total_amount)


def all_stalled(store: Store) -> panels.Stalled:
    with store.reading() as conn:
        return panels.stalled(conn, NOW, Config(), limit=10_000)


def generate_into(store: Store) -> None:
    """600 leads across every stage and age, half with touches, some with open deals."""
    with store.writing() as conn:
        conn.execute(
            """
            INSERT INTO leads (lead_id, company, owner_id, campaign_id, stage, stage_entered_at,
                               created_at, mql_at, last_touch_at, updated_at)
            SELECT i, 'Co ' || i, 11, 1,
                   ['inquiry', 'mql', 'sal', 'sql', 'opportunity', 'customer',
                    'recycled'][i % 7 + 1],
                   $now - to_hours(7 * i), $now - to_hours(7 * i + 24), $now - to_hours(7 * i),
                   CASE WHEN i % 2 = 1 THEN $now - to_hours(5 * i) END, $now - to_hours(7 * i)
            FROM range(1, 601) AS t(i)
            """,
            {"now": NOW},
        )
        conn.execute(
            """
            INSERT INTO deals (deal_id, lead_id, owner_id, stage, amount, created_at,
                               stage_entered_at, last_touch_at, updated_at)
            SELECT lead_id, lead_id, 11, 'proposal', 1000 * lead_id, stage_entered_at,
                   stage_entered_at, stage_entered_at, stage_entered_at
            FROM leads WHERE stage = 'opportunity' AND lead_id % 3 <> 0
            """
        )
