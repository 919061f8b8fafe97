"""The panels tell the truth on the shapes real CRM exports have (issue 12, the readers).

Each fixture is a small database of one real-export shape, built by inserting rows
through the schema (Store + migrations). Every expected figure is computed here,
independently of the panels: in Python over the rows the test inserted, or in plain SQL
over the raw tables, never copied from the panels' output.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from standup import facts, panels, revenue
from standup.config import Config
from standup.lifecycle import FUNNEL, rank
from standup.store import Connection, Store
from tests.conftest import AS_OF

NOW = AS_OF  # 2026-11-23 09:00, in Q4 2026
WINDOW = Config().conversion_window_days
MILESTONE = {
    "inquiry": "created_at",
    "mql": "mql_at",
    "sal": "accepted_at",
    "sql": "sql_at",
    "opportunity": "opportunity_at",
    "customer": "customer_at",
}


@dataclass
class Lead:
    """A lead row as an export would give it (None: the export does not know)."""

    lead_id: int
    stage: str
    reached_stage: str | None
    campaign_id: int | None = 1
    created_at: datetime | None = None
    stage_entered_at: datetime | None = None
    mql_at: datetime | None = None
    accepted_at: datetime | None = None
    sql_at: datetime | None = None
    opportunity_at: datetime | None = None
    customer_at: datetime | None = None
    first_contact_at: datetime | None = None


@dataclass
class Deal:
    deal_id: int
    lead_id: int
    stage: str
    amount: float
    created_at: datetime | None = None
    closed_at: datetime | None = None
    expected_close: date | None = None


@dataclass
class Fixture:
    leads: list[Lead] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    moves: list[tuple[int, str | None, str, datetime | None]] = field(default_factory=list)
    campaigns: dict[int, tuple[str, float]] = field(default_factory=lambda: {1: ("One", 100.0)})


def insert(store: Store, fx: Fixture) -> None:
    """Every row of ``fx`` through the schema, as an import would leave them."""
    with store.writing() as conn:
        for cid, (name, spend) in fx.campaigns.items():
            conn.execute(
                "INSERT INTO campaigns (campaign_id, name, spend) VALUES (?, ?, ?)",
                [cid, name, spend],
            )
        for ld in fx.leads:
            conn.execute(
                "INSERT INTO leads (lead_id, company, campaign_id, stage, reached_stage,"
                " stage_entered_at, created_at, mql_at, accepted_at, sql_at, opportunity_at,"
                " customer_at, first_contact_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    ld.lead_id,
                    f"Co {ld.lead_id}",
                    ld.campaign_id,
                    ld.stage,
                    ld.reached_stage,
                    ld.stage_entered_at,
                    ld.created_at,
                    ld.mql_at,
                    ld.accepted_at,
                    ld.sql_at,
                    ld.opportunity_at,
                    ld.customer_at,
                    ld.first_contact_at,
                    NOW - timedelta(days=400),
                ],
            )
        for d in fx.deals:
            conn.execute(
                "INSERT INTO deals (deal_id, lead_id, stage, amount, created_at,"
                " stage_entered_at, expected_close, closed_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    d.deal_id,
                    d.lead_id,
                    d.stage,
                    d.amount,
                    d.created_at,
                    d.created_at,
                    d.expected_close,
                    d.closed_at,
                    NOW - timedelta(days=400),
                ],
            )
        for lead_id, from_stage, to_stage, at in fx.moves:
            conn.execute(
                "INSERT INTO stage_history (lead_id, from_stage, to_stage, moved_at, actor,"
                " source) VALUES (?, ?, ?, ?, 'import', 'import')",
                [lead_id, from_stage, to_stage, at],
            )


def board(store: Store, now: datetime = NOW, config: Config | None = None) -> panels.Dashboard:
    with store.reading() as conn:
        return panels.compute_all(conn, now, config or Config())


def both_ways(store: Store, now: datetime = NOW, config: Config | None = None) -> panels.Dashboard:
    """The board computed live (never stamped), then from stored facts: both must agree."""
    live = board(store, now, config)
    facts.restamp(store, config or Config(), NOW)
    stored = board(store, now, config)
    assert same(live, stored)
    return stored


def same(a: panels.Dashboard, b: panels.Dashboard) -> bool:
    """The same answers from both (``summarized`` says which way they were found)."""
    keep = {"pipeline": {"summarized"}}
    for name in ("pipeline", "campaigns", "goal", "revops"):
        left = getattr(a, name).model_dump(exclude=keep.get(name))
        right = getattr(b, name).model_dump(exclude=keep.get(name))
        assert left == right, name
    return True


# -- independent expectations -----------------------------------------------------------


def in_window(at: datetime | None, now: datetime = NOW) -> bool:
    """The panels' conversion window: the last WINDOW calendar days up to now's day."""
    return at is not None and now.date() - timedelta(days=WINDOW) < at.date() <= now.date()


def reached_rank(ld: Lead) -> int:
    ranks = [rank(ld.reached_stage), rank(ld.stage)]
    ranks += [i + 1 for i, s in enumerate(FUNNEL) if getattr(ld, MILESTONE[s]) is not None]
    return max(r for r in ranks if r is not None)


def expected_funnel(fx: Fixture) -> dict[str, tuple[int, int, int]]:
    """Per stage: (reached in window, of them reached the next, reached without a date)."""
    out = {}
    for i, stage in enumerate(FUNNEL, start=1):
        got = [ld for ld in fx.leads if reached_rank(ld) >= i]
        cohort = [ld for ld in got if in_window(getattr(ld, MILESTONE[stage]))]
        advanced = [ld for ld in cohort if reached_rank(ld) >= i + 1]
        undated = [ld for ld in got if getattr(ld, MILESTONE[stage]) is None]
        out[stage] = (len(cohort), len(advanced), len(undated))
    return out


def assert_funnel(pipeline: panels.Pipeline, fx: Fixture) -> None:
    want = expected_funnel(fx)
    for row in pipeline.stages:
        cohort, advanced, undated = want[row.stage]
        assert (row.reached, row.advanced, row.undated) == (cohort, advanced, undated), row.stage
        if row.stage == "customer" or cohort == 0:
            assert row.conversion is None
        else:
            assert row.conversion == pytest.approx(advanced / cohort)
            assert row.conversion <= 1.0


# -- shape 1: a deals-only export with derived leads ------------------------------------


def deals_only() -> Fixture:
    """~Opportunities only: won and lost deals with dates, open ones with no date or value.

    The derived leads went inquiry -> customer or inquiry -> disqualified in the history
    (never through opportunity), as `create_leads` makes them.
    """
    fx = Fixture()
    deal_id = 100
    for i in range(1, 41):
        engaged = NOW - timedelta(days=3 * i)
        if i % 4 == 0:  # open, no dates, no value
            fx.leads.append(Lead(i, "opportunity", "opportunity"))
            fx.deals.append(Deal(deal_id, i, "qualification", 0))
            fx.moves.append((i, None, "inquiry", None))
            fx.moves.append((i, "inquiry", "opportunity", None))
        elif i % 4 == 1:  # lost
            closed = engaged + timedelta(days=i % 7 + 1)
            fx.leads.append(
                Lead(i, "disqualified", "opportunity", created_at=engaged, opportunity_at=engaged)
            )
            fx.deals.append(Deal(deal_id, i, "lost", 0, engaged, closed))
            fx.moves.append((i, None, "inquiry", engaged))
            fx.moves.append((i, "inquiry", "disqualified", closed))
        else:  # won
            closed = engaged + timedelta(days=2 * i % 11 + 1)
            fx.leads.append(
                Lead(
                    i,
                    "customer",
                    "customer",
                    created_at=engaged,
                    opportunity_at=engaged,
                    customer_at=closed,
                    stage_entered_at=closed,
                )
            )
            fx.deals.append(Deal(deal_id, i, "won", 1000.0 * i, engaged, closed))
            fx.moves.append((i, None, "inquiry", engaged))
            fx.moves.append((i, "inquiry", "customer", closed))
        deal_id += 1
    return fx


def test_deals_only_export_conversion_is_a_cohort_never_above_100(tmp_path: Path) -> None:
    fx = deals_only()
    store = Store.create(tmp_path / "d.duckdb")
    insert(store, fx)
    pipe = both_ways(store).pipeline
    assert_funnel(pipe, fx)
    by = {row.stage: row for row in pipe.stages}
    # the bug this replaces: 193% opportunity and 0% inquiry
    assert by["inquiry"].conversion == 1.0  # every dated lead went on (to a deal at least)
    assert 0 < by["opportunity"].conversion < 1.0
    # MQL, SAL, SQL were passed at a time the export does not know: said, not invented
    assert by["mql"].undated == sum(1 for ld in fx.leads if ld.mql_at is None)
    assert by["mql"].reached == 0
    # stage counts: the leads as they are (now is after all of the data)
    assert not pipe.from_history
    for row in pipe.stages:
        assert row.leads == sum(1 for ld in fx.leads if ld.stage == row.stage)


def test_deals_only_campaign_and_revops_numbers(tmp_path: Path) -> None:
    fx = deals_only()
    store = Store.create(tmp_path / "d.duckdb")
    insert(store, fx)
    b = both_ways(store, config=Config(goal_period="all"))
    (row,) = b.campaigns.rows
    won = [d for d in fx.deals if d.stage == "won"]
    closed = [d for d in fx.deals if d.stage in ("won", "lost")]
    assert row.leads == 40
    assert row.mqls == row.accepted == sum(1 for ld in fx.leads if reached_rank(ld) >= 3)
    assert row.customers == len(won)
    assert row.won == sum(d.amount for d in won)
    assert row.win_rate == pytest.approx(len(won) / len(closed))
    assert row.won_deals == len(won) and row.closed_deals == len(closed)
    # RevOps over all time
    ops = b.revops
    assert ops.period == "all time"
    assert ops.win_rate == pytest.approx(len(won) / len(closed))
    assert ops.avg_deal == pytest.approx(sum(d.amount for d in won) / len(won))
    days = sorted(int((d.closed_at - d.created_at).total_seconds() // 86400) for d in won)  # type: ignore[operator]
    assert ops.cycle_days == days[(len(days) - 1) // 2]  # lower median, whole days
    assert ops.cycle_undated == 0


# -- shape 2: a leads export with a Converted flag and no dates -------------------------


def flag_export() -> Fixture:
    """Leads with a converted flag and dispositions, not one date.

    Five campaigns of known conversion; converted leads reached customer (with a won deal),
    the others stopped at mql, sal or disqualified.
    """
    fx = Fixture(campaigns={})
    plan = {  # campaign: (name, leads, converted, accepted-not-converted, spend)
        1: ("Best source", 100, 92, 4, 1000.0),
        2: ("Webinar", 80, 30, 20, 2000.0),
        3: ("Ebook", 90, 25, 25, 3000.0),
        4: ("Badge scans", 120, 3, 10, 4000.0),
        5: ("Partners", 60, 20, 20, 500.0),
        6: ("Tiny", 10, 0, 0, 50.0),  # too few MQLs to be judged
    }
    lead_id, deal_id = 1, 1
    for cid, (name, n, converted, accepted, spend) in plan.items():
        fx.campaigns[cid] = (name, spend)
        for k in range(n):
            if k < converted:
                fx.leads.append(Lead(lead_id, "customer", "customer", cid))
                fx.deals.append(Deal(deal_id, lead_id, "won", 500.0 + k))
                deal_id += 1
            elif k < converted + accepted:
                fx.leads.append(Lead(lead_id, "disqualified", "sal", cid))
            else:
                fx.leads.append(Lead(lead_id, "mql", "mql", cid))
            lead_id += 1
    return fx


def test_flag_export_scoreboard_counts_reached_mqls_and_flags_only_the_clearly_worst(
    tmp_path: Path,
) -> None:
    fx = flag_export()
    store = Store.create(tmp_path / "f.duckdb")
    insert(store, fx)
    b = both_ways(store)
    rows = {row.name: row for row in b.campaigns.rows}
    for cid, (name, spend) in fx.campaigns.items():
        leads = [ld for ld in fx.leads if ld.campaign_id == cid]
        mqls = [ld for ld in leads if reached_rank(ld) >= 2]
        accepted = [ld for ld in leads if reached_rank(ld) >= 3]
        customers = [ld for ld in leads if reached_rank(ld) >= 6]
        ids = {ld.lead_id for ld in leads}
        won = sum(d.amount for d in fx.deals if d.lead_id in ids and d.stage == "won")
        row = rows[name]
        assert (row.leads, row.mqls, row.accepted, row.customers) == (
            len(leads),
            len(mqls),
            len(accepted),
            len(customers),
        )
        assert row.acceptance_rate == pytest.approx(len(accepted) / len(mqls))
        assert row.lead_to_customer == pytest.approx(len(customers) / len(leads))
        assert row.won == won and row.spend == spend
        assert row.roi == pytest.approx(won / spend)
    # the best source is not "Accepted 0% · Won 0 · worst" any more
    best = rows["Best source"]
    assert best.acceptance_rate == pytest.approx(96 / 100) and best.won > 0 and not best.worst
    # worst: strictly below the first quartile of the judged campaigns (>= 30 MQLs)
    judged = [r for r in rows.values() if r.mqls >= panels.WORST_MIN_MQLS]
    assert len(judged) == 5 and b.campaigns.qualifying == 5
    q1_customer = statistics.quantiles(
        [r.customers / r.leads for r in judged], n=4, method="inclusive"
    )[0]
    q1_accept = statistics.quantiles(
        [r.accepted / r.mqls for r in judged], n=4, method="inclusive"
    )[0]
    flagged = {
        r.name
        for r in judged
        if r.customers / r.leads < q1_customer or r.accepted / r.mqls < q1_accept
    }
    assert flagged == {"Badge scans"}
    assert {r.name for r in rows.values() if r.worst} == flagged
    assert b.campaigns.rows[0].name == "Badge scans"  # worst first
    # no dates: no conversion invented, every stage's leads counted as undated
    for row in b.pipeline.stages:
        assert row.reached == 0 and row.conversion is None
        assert row.undated == sum(
            1 for ld in fx.leads if reached_rank(ld) >= FUNNEL.index(row.stage) + 1
        )
    # no clocks invented either: nothing stalled, no speed-to-lead cohort
    assert b.stalled.total == 0
    assert b.revops.contact_cohort == 0 and b.revops.contact_within is None


def test_worst_is_not_judged_with_fewer_than_four_campaigns_of_volume(tmp_path: Path) -> None:
    fx = flag_export()
    keep = {1, 2, 4, 6}  # three with >= 30 MQLs, and the tiny one
    fx.leads = [ld for ld in fx.leads if ld.campaign_id in keep]
    ids = {ld.lead_id for ld in fx.leads}
    fx.deals = [d for d in fx.deals if d.lead_id in ids]
    fx.campaigns = {cid: c for cid, c in fx.campaigns.items() if cid in keep}
    store = Store.create(tmp_path / "f.duckdb")
    insert(store, fx)
    camps = board(store).campaigns
    assert camps.qualifying == 3
    assert not any(row.worst for row in camps.rows)


def test_a_campaign_carried_by_one_deal_is_marked(tmp_path: Path) -> None:
    fx = Fixture(campaigns={1: ("Whale", 10.0), 2: ("Steady", 10.0)})
    amounts = {1: [100.0, 200.0, 50_000.0], 2: [100.0, 200.0, 250.0]}
    deal_id = 1
    for cid, values in amounts.items():
        for amount in values:
            at = NOW - timedelta(days=deal_id)
            fx.leads.append(Lead(deal_id, "customer", "customer", cid, created_at=at))
            fx.deals.append(Deal(deal_id, deal_id, "won", amount, at, at))
            deal_id += 1
    store = Store.create(tmp_path / "o.duckdb")
    insert(store, fx)
    rows = {row.name: row for row in both_ways(store).campaigns.rows}
    for name, values in zip(("Whale", "Steady"), amounts.values(), strict=True):
        biggest = max(values)
        assert rows[name].won_max == biggest
        assert rows[name].outlier == (biggest > sum(values) - biggest)
    assert rows["Whale"].outlier and not rows["Steady"].outlier


# -- shape 3: an MQL file plus closed deals on those leads --------------------------------


def mqls_and_deals() -> Fixture:
    """MQLs with dates; a won deal moved some to customer, a lost one some to disqualified."""
    fx = Fixture()
    for i in range(1, 61):
        mql = NOW - timedelta(days=i * 2, hours=3)
        ld = Lead(i, "mql", "mql", created_at=mql - timedelta(days=1), mql_at=mql)
        if i % 3 == 0:  # won: reached customer; SAL/SQL passed at unknown times
            ld.stage, ld.reached_stage = "customer", "customer"
            ld.accepted_at = mql + timedelta(hours=5)
            ld.first_contact_at = mql + timedelta(hours=5 + i % 70)
            closed = mql + timedelta(days=i % 9 + 1)
            ld.customer_at = ld.stage_entered_at = closed
            fx.deals.append(Deal(1000 + i, i, "won", 2000.0 + 10 * i, mql, closed))
        elif i % 3 == 1 and i % 2 == 0:  # accepted, not yet contacted
            ld.stage, ld.reached_stage, ld.accepted_at = "sal", "sal", mql + timedelta(hours=1)
            ld.stage_entered_at = ld.accepted_at
        elif i % 5 == 0:  # lost deal: disqualified after reaching opportunity
            ld.stage, ld.reached_stage = "disqualified", "opportunity"
            ld.opportunity_at = mql + timedelta(days=3)
            fx.deals.append(Deal(1000 + i, i, "lost", 0, mql, mql + timedelta(days=9)))
        else:
            ld.stage_entered_at = mql
        fx.leads.append(ld)
    # open deals: two slipped (expected close before today), one due later, one new
    for k, (expected, created) in enumerate(
        [
            (NOW.date() - timedelta(days=3), 30),
            (NOW.date() - timedelta(days=1), 20),
            (NOW.date() + timedelta(days=9), 12),
            (NOW.date() + timedelta(days=30), 2),
        ]
    ):
        lead_id = 200 + k
        made = NOW - timedelta(days=created)
        fx.leads.append(
            Lead(lead_id, "opportunity", "opportunity", created_at=made, opportunity_at=made)
        )
        fx.deals.append(
            Deal(3000 + k, lead_id, "proposal", 10_000.0 * (k + 1), made, None, expected)
        )
    return fx


def test_won_deals_count_their_leads_as_mqls_and_customers(tmp_path: Path) -> None:
    fx = mqls_and_deals()
    store = Store.create(tmp_path / "m.duckdb")
    insert(store, fx)
    b = both_ways(store)
    assert_funnel(b.pipeline, fx)
    (row,) = b.campaigns.rows
    assert row.mqls == sum(1 for ld in fx.leads if reached_rank(ld) >= 2)
    assert row.customers == sum(1 for ld in fx.leads if ld.stage == "customer") > 0
    assert row.accepted == sum(1 for ld in fx.leads if reached_rank(ld) >= 3)


def test_revops_numbers_of_the_mql_and_deals_shape(tmp_path: Path) -> None:
    fx = mqls_and_deals()
    store = Store.create(tmp_path / "m.duckdb")
    insert(store, fx)
    config = Config()
    ops = both_ways(store, config=config).revops
    quarter = date(2026, 10, 1)
    in_q = [
        d for d in fx.deals if d.closed_at and quarter <= d.closed_at.date() and d.closed_at <= NOW
    ]
    won = [d for d in in_q if d.stage == "won"]
    assert ops.period == "this quarter"
    assert (ops.won_deals, ops.closed_deals) == (len(won), len(in_q))
    assert ops.win_rate == pytest.approx(len(won) / len(in_q))
    assert ops.avg_deal == pytest.approx(sum(d.amount for d in won) / len(won))
    days = sorted(int((d.closed_at - d.created_at).total_seconds() // 86400) for d in won)  # type: ignore[operator]
    assert ops.cycle_days == days[(len(days) - 1) // 2]
    open_deals = [d for d in fx.deals if d.stage not in ("won", "lost")]
    assert ops.open_pipeline == sum(d.amount for d in open_deals)
    won_q = sum(d.amount for d in won)
    assert ops.remaining_target == max(config.revenue_target - won_q, 0)
    assert ops.coverage == pytest.approx(ops.open_pipeline / ops.remaining_target)
    slipped = [d for d in open_deals if d.expected_close and d.expected_close < NOW.date()]
    assert (ops.slipped, ops.slipped_value) == (len(slipped), sum(d.amount for d in slipped))
    week = [
        d
        for d in fx.deals
        if d.created_at
        and NOW.date() - timedelta(days=6) <= d.created_at.date()
        and d.created_at <= NOW
    ]
    assert (ops.week_deals, ops.week_value) == (len(week), sum(d.amount for d in week))
    # speed-to-lead: leads accepted in the window, hours from acceptance to first contact
    hours = config.sla.first_contact_hours
    cohort = [ld for ld in fx.leads if in_window(ld.accepted_at)]
    waited = sorted(
        max(int((ld.first_contact_at - ld.accepted_at).total_seconds() // 3600), 0)  # type: ignore[operator]
        for ld in cohort
        if ld.first_contact_at is not None
    )
    late_day = (NOW - timedelta(hours=hours)).date()
    late = [ld for ld in cohort if ld.first_contact_at is None and ld.accepted_at.date() < late_day]  # type: ignore[union-attr]
    assert ops.contact_cohort == len(cohort) > 0
    assert ops.contact_within == pytest.approx(sum(1 for h in waited if h < hours) / len(cohort))
    assert ops.contact_median_hours == waited[(len(waited) - 1) // 2]
    assert ops.contact_late == len(late) > 0
    assert ops.contact_sla_hours == hours


# -- as of a time before some of the data ---------------------------------------------------


def test_stage_counts_as_of_a_past_time_come_from_the_history(tmp_path: Path) -> None:
    fx = mqls_and_deals()
    store = Store.create(tmp_path / "h.duckdb")
    # history: every lead's moves, at its milestone times (some unknown)
    for ld in fx.leads:
        steps = [("inquiry", ld.created_at), ("mql", ld.mql_at), ("sal", ld.accepted_at)]
        steps += (
            [(ld.stage, ld.stage_entered_at or ld.customer_at)]
            if ld.stage not in ("mql", "sal")
            else []
        )
        prev = None
        for stage, at in steps:
            if at is None and stage != ld.stage:
                continue
            fx.moves.append((ld.lead_id, prev, stage, at))
            prev = stage
    insert(store, fx)
    then = NOW - timedelta(days=40)
    pipe = both_ways(store, then).pipeline
    assert pipe.from_history
    # independently: per lead, the last move at or before `then` (unknown times first)
    last: dict[int, tuple[tuple[int, datetime], str]] = {}
    for order, (lead_id, _, to_stage, at) in enumerate(fx.moves):
        if at is not None and at > then:
            continue
        key = (0 if at is None else 1, at or datetime.min, order)
        if lead_id not in last or key > last[lead_id][0]:  # type: ignore[operator]
            last[lead_id] = (key, to_stage)  # type: ignore[assignment]
    counted = {stage: 0 for stage in FUNNEL + panels.SIDE_EXITS}
    for _, stage in last.values():
        counted[stage] += 1
    got = {row.stage: row.leads for row in pipe.stages} | pipe.exits
    assert got == counted
    # and now (after all data): the leads' stages as they are
    now_pipe = board(store).pipeline
    assert not now_pipe.from_history
    assert {row.stage: row.leads for row in now_pipe.stages} == {
        s: sum(1 for ld in fx.leads if ld.stage == s) for s in FUNNEL
    }


# -- the goal's period ------------------------------------------------------------------


def history_of_wins() -> Fixture:
    """Won deals in Q2 and Q3 2026 only: this quarter (Q4) has none."""
    fx = Fixture()
    closes = [
        datetime(2026, 4, 3),
        datetime(2026, 6, 30, 23),
        datetime(2026, 8, 9),
        datetime(2026, 9, 1),
    ]
    for i, closed in enumerate(closes, start=1):
        fx.leads.append(Lead(i, "customer", "customer", created_at=closed - timedelta(days=30)))
        fx.deals.append(Deal(i, i, "won", 1000.0 * i, closed - timedelta(days=30), closed))
    return fx


@pytest.mark.parametrize(
    ("key", "label", "start", "end"),
    [
        ("auto", "Q3 2026 (latest with data)", date(2026, 7, 1), date(2026, 10, 1)),
        ("quarter", "this quarter", date(2026, 10, 1), date(2027, 1, 1)),
        ("last_quarter", "Q3 2026", date(2026, 7, 1), date(2026, 10, 1)),
        ("all", "all time", date(1900, 1, 1), date(2027, 1, 1)),
    ],
)
def test_goal_offers_the_period_that_has_data(
    tmp_path: Path, key: str, label: str, start: date, end: date
) -> None:
    fx = history_of_wins()
    store = Store.create(tmp_path / "g.duckdb")
    insert(store, fx)
    config = Config(goal_period=key)
    b = both_ways(store, config=config)
    want = sum(d.amount for d in fx.deals if d.closed_at and start <= d.closed_at.date() < end)
    assert b.goal.period == label and b.revops.period == label
    assert b.goal.won == want
    assert b.goal.trend[-1] == want
    won_in = [d for d in fx.deals if d.closed_at and start <= d.closed_at.date() < end]
    assert b.revops.won_deals == len(won_in)
    # the KPI stays this quarter's, whatever the tile shows
    assert b.revops.won_this_quarter == 0


def test_goal_falls_back_to_the_latest_quarter_with_wins_and_says_so(tmp_path: Path) -> None:
    fx = history_of_wins()
    fx.deals = [d for d in fx.deals if d.closed_at and d.closed_at < datetime(2026, 7, 1)]
    store = Store.create(tmp_path / "g.duckdb")
    insert(store, fx)
    with store.reading() as conn:
        facts.prepare(conn, Config())
        which = revenue.period(conn, NOW, "auto")
    assert which.fell_back and which.label == "Q2 2026 (latest with data)"
    assert board(store).goal.won == sum(d.amount for d in fx.deals)


def test_a_deal_closed_later_today_is_not_counted_as_of_now(tmp_path: Path) -> None:
    # the day summaries cannot see the hour: a time after now switches to the deals
    fx = history_of_wins()
    fx.leads.append(Lead(99, "customer", "customer", created_at=NOW - timedelta(days=3)))
    fx.deals.append(Deal(99, 99, "won", 777.0, NOW - timedelta(days=3), NOW + timedelta(hours=2)))
    fx.deals.append(Deal(98, 99, "won", 5.0, NOW - timedelta(days=3), NOW - timedelta(hours=2)))
    store = Store.create(tmp_path / "g.duckdb")
    insert(store, fx)
    b = both_ways(store)
    assert b.goal.period == "this quarter" and b.goal.won == 5.0
    assert b.revops.won_deals == 1 and b.revops.won_this_quarter == 5.0


# -- writers keep the new facts in step ------------------------------------------------


def test_a_writer_keeps_fact_days_in_step(tmp_path: Path) -> None:
    fx = mqls_and_deals()
    store = Store.create(tmp_path / "w.duckdb")
    insert(store, fx)
    facts.restamp(store, Config(), NOW)
    with store.writing() as conn:
        # a triage-style change: a lead accepted and contacted, a deal won today
        conn.execute(
            "UPDATE leads SET stage = 'sal', reached_stage = 'sal', accepted_at = $at,"
            " first_contact_at = $at, updated_at = $at WHERE lead_id = 1",
            {"at": NOW - timedelta(hours=3)},
        )
        conn.execute(
            "UPDATE deals SET stage = 'won', closed_at = $at, updated_at = $at"
            " WHERE deal_id = 3000",
            {"at": NOW - timedelta(hours=1)},
        )
        facts.refresh_leads(conn, [1, 200])
    kept, kept_days = board(store), _fact_days(store)
    with store.reading() as conn:
        assert facts.usable(conn, Config())
        assert facts.out_of_step(conn) == 0
    facts.restamp(store, Config(), NOW)
    fresh = board(store)
    assert same(kept, fresh)
    assert kept_days == _fact_days(store)
    assert kept.revops.won_this_quarter == fresh.revops.won_this_quarter > 0


def _fact_days(store: Store) -> list[Any]:
    with store.reading() as conn:
        return _summed(conn)


def _summed(conn: Connection) -> list[Any]:
    return conn.execute(
        "SELECT measure, stage, day, bucket, sum(n), round(sum(amount), 2) FROM fact_days"
        " GROUP BY ALL HAVING sum(n) <> 0 ORDER BY ALL"
    ).fetchall()


# -- the report ---------------------------------------------------------------------------


def test_the_report_says_the_same_numbers_and_names_the_period(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from standup.cli import cli
    from standup.report import summary

    fx = history_of_wins()
    store = Store.create(tmp_path / "r.duckdb")
    insert(store, fx)
    text = summary(store, NOW, Config())
    q3 = [d for d in fx.deals if d.closed_at and date(2026, 7, 1) <= d.closed_at.date()]
    assert "## Shared goal — revenue won Q3 2026 (latest with data)" in text
    assert f"${sum(d.amount for d in q3) / 1000:.0f}k of" in text
    assert f"100% ({len(q3)} won of {len(q3)} closed)" in text  # win rate, Q3
    assert "## Funnel" in text and "## Campaigns" in text and "## RevOps" in text
    for placeholder in ("| None", "None |", "— <>", "score None", "nan", "<>"):
        assert placeholder not in text
    result = CliRunner().invoke(
        cli, ["report", str(tmp_path / "r.duckdb"), "--period", "all", "--as-of", NOW.isoformat()]
    )
    assert result.exit_code == 0, result.output
    total = sum(d.amount for d in fx.deals)
    assert "## Shared goal — revenue won all time" in result.output
    assert f"${total / 1000:.0f}k won in all." in result.output
