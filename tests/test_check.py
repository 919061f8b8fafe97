"""``standup check`` (issue 12): each defect planted in a fixture database, the expected
findings computed here in plain Python over the rows the fixture wrote, the CLI run as a
real subprocess (exit codes, text and JSON), and the dashboard's warning line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.app import StandupApp
from screens.widgets.data_warning import DataWarning
from screens.widgets.panel import Panel
from standup import check, facts
from standup.clock import Clock
from standup.config import Config
from standup.dashboard import LAUNCH_FETCHES, FirstRefresh
from standup.store import Store
from tests.conftest import AS_OF

FUNNEL = ["inquiry", "mql", "sal", "sql", "opportunity", "customer"]
MILESTONES = ["created_at", "mql_at", "accepted_at", "sql_at", "opportunity_at", "customer_at"]
T0 = AS_OF - timedelta(days=60)


@pytest.fixture(autouse=True)
def fresh_check_cache() -> None:
    check.forget()


def clean_lead(lead_id: int, stage: str, **changes: Any) -> dict[str, Any]:
    """A lead with every field a check looks at filled in consistently."""
    rank = FUNNEL.index(stage) + 1 if stage in FUNNEL else 3  # side exits: reached sal
    row: dict[str, Any] = {
        "lead_id": lead_id,
        "external_id": f"CRM-{lead_id}",
        "company": f"Co {lead_id}",
        "owner_id": 1 if rank >= 2 else None,
        "campaign_id": 1 + lead_id % 2,
        "stage": stage,
        "reached_stage": FUNNEL[rank - 1],
        "stage_entered_at": T0 + timedelta(days=rank),
        "updated_at": T0 + timedelta(days=rank),
    }
    for index, column in enumerate(MILESTONES):
        row[column] = T0 + timedelta(days=index) if index < rank else None
    row.update(changes)
    return row


def clean_deal(
    deal_id: int, lead_id: int, stage: str, amount: float, **changes: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "deal_id": deal_id,
        "external_id": f"OPP-{deal_id}",
        "lead_id": lead_id,
        "stage": stage,
        "amount": amount,
        "created_at": T0 + timedelta(days=4),
        "stage_entered_at": T0 + timedelta(days=5),
        "closed_at": T0 + timedelta(days=6) if stage in ("won", "lost") else None,
        "updated_at": T0 + timedelta(days=6),
    }
    row.update(changes)
    return row


def clean_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Leads along the whole funnel with their deals: nothing for a check to find."""
    leads, deals = [], []
    for i in range(1, 13):
        leads.append(clean_lead(i, FUNNEL[i % 6]))
    leads.append(clean_lead(13, "disqualified"))
    deal_id = 100
    for lead in leads:
        if lead["stage"] in ("opportunity", "customer"):
            deal_id += 1
            stage = "won" if lead["stage"] == "customer" else "proposal"
            deals.append(clean_deal(deal_id, lead["lead_id"], stage, 1000.0 + deal_id))
    deals.append(clean_deal(199, 13, "lost", 0.0))  # a lost deal without an amount is fine
    return leads, deals


def defective_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The clean rows plus one or more rows with each defect, some without a CRM id."""
    leads, deals = clean_rows()
    leads += [
        clean_lead(21, "mql", created_at=None),
        clean_lead(22, "inquiry", created_at=None, external_id=None),
        clean_lead(23, "sal", stage_entered_at=None),
        clean_lead(24, "sql", accepted_at=None),  # reached sal, no accepted date
        clean_lead(25, "sal", mql_at=None, external_id=""),  # blank CRM id: #25
        # a disqualified lead that had reached sql (reached_stage), sql time unknown
        clean_lead(26, "disqualified", reached_stage="sql", sql_at=None, accepted_at=T0, mql_at=T0),
        clean_lead(27, "customer", customer_at=None),  # with a won deal below
        clean_lead(28, "opportunity", opportunity_at=None),
        clean_lead(29, "opportunity"),  # a won deal on it: not a customer
        clean_lead(30, "customer"),  # no won deal at all
        clean_lead(31, "sql", owner_id=None),  # handed to sales without an owner
        clean_lead(32, "inquiry", owner_id=None),  # marketing's still: not a finding
        clean_lead(33, "mql", campaign_id=None),
        clean_lead(34, "inquiry", campaign_id=None, external_id=None),
    ]
    deals += [
        clean_deal(201, 27, "won", 2000.0),
        clean_deal(202, 28, "proposal", 1500.0),
        clean_deal(203, 29, "won", 1800.0),
        clean_deal(204, 28, "qualification", 1200.0, created_at=None),
        clean_deal(205, 29, "won", 1700.0, closed_at=None, external_id=None),
        clean_deal(206, 28, "negotiation", 0.0),  # open, no amount
        clean_deal(207, 27, "won", 0.0),  # won, no amount
        clean_deal(208, 28, "proposal", 5_000_000.0),  # bigger than all others together
    ]
    return leads, deals


def _insert(conn: Any, table: str, row: dict[str, Any]) -> None:
    # column names are this file's own constants; the values are bound
    names = ", ".join(row)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('$' + c for c in row)})", row)


def write(path: Path, leads: list[dict[str, Any]], deals: list[dict[str, Any]]) -> Store:
    """A fresh standup database holding these rows (people 1-2, campaigns 1-2)."""
    store = Store.create(path)
    with store.writing() as conn:
        conn.execute("INSERT INTO people VALUES (1, NULL, 'Sam Seller', NULL, 'sales', NULL, true)")
        conn.execute(
            "INSERT INTO people VALUES (2, NULL, 'Mo Marketer', NULL, 'marketing', NULL, true)"
        )
        conn.execute("INSERT INTO campaigns (campaign_id, name) VALUES (1, 'Webinar'), (2, 'Ads')")
        for row in leads:
            _insert(conn, "leads", row)
        for row in deals:
            _insert(conn, "deals", row)
    facts.restamp(store, Config(), datetime.now())
    return store


def expected(leads: list[dict[str, Any]], deals: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per finding code, the CRM ids of every row that has it, worked out in Python."""

    def ref(row: dict[str, Any], key: str) -> str:
        ext = (row["external_id"] or "").strip()
        return ext or f"#{row[key]}"

    def reached(row: dict[str, Any]) -> int:
        stage = row["reached_stage"] or row["stage"]
        return FUNNEL.index(stage) + 1 if stage in FUNNEL else 0

    won_leads = {d["lead_id"] for d in deals if d["stage"] == "won"}
    lead_rules: dict[str, Callable[[dict[str, Any]], bool]] = {
        "leads.no_created_at": lambda r: r["created_at"] is None,
        "leads.no_stage_entered_at": lambda r: r["stage_entered_at"] is None,
        "leads.no_mql_at": lambda r: reached(r) >= 2 and r["mql_at"] is None,
        "leads.no_accepted_at": lambda r: reached(r) >= 3 and r["accepted_at"] is None,
        "leads.no_sql_at": lambda r: reached(r) >= 4 and r["sql_at"] is None,
        "leads.no_opportunity_at": lambda r: reached(r) >= 5 and r["opportunity_at"] is None,
        "leads.no_customer_at": lambda r: reached(r) >= 6 and r["customer_at"] is None,
        "leads.won_not_customer": lambda r: r["lead_id"] in won_leads and r["stage"] != "customer",
        "leads.customer_without_won": lambda r: (
            r["stage"] == "customer" and r["lead_id"] not in won_leads
        ),
        "leads.no_owner": lambda r: reached(r) >= 2 and r["owner_id"] is None,
        "leads.no_campaign": lambda r: r["campaign_id"] is None,
    }
    priced = sorted(d["amount"] for d in deals if d["amount"] > 0)
    n = len(priced)
    median = (priced[(n - 1) // 2] + priced[n // 2]) / 2
    total = sum(priced)
    deal_rules: dict[str, Callable[[dict[str, Any]], bool]] = {
        "deals.no_created_at": lambda d: d["created_at"] is None,
        "deals.no_closed_at": lambda d: d["stage"] in ("won", "lost") and d["closed_at"] is None,
        "deals.no_amount": lambda d: d["stage"] != "lost" and not d["amount"],
        "deals.larger_than_all_others": lambda d: n >= 3 and d["amount"] > total - d["amount"],
        "deals.amount_outliers": lambda d: d["amount"] > 100 * median,
    }
    out: dict[str, list[str]] = {}
    for code, rule in lead_rules.items():
        hits = sorted((r for r in leads if rule(r)), key=lambda r: r["lead_id"])
        out[code] = [ref(r, "lead_id") for r in hits]
    for code, rule in deal_rules.items():
        by_amount = "outlier" in code or "larger" in code  # the biggest first
        hits = sorted(
            (d for d in deals if rule(d)),
            key=(lambda d: -d["amount"]) if by_amount else (lambda d: d["deal_id"]),
        )
        out[code] = [ref(d, "deal_id") for d in hits]
    return {code: refs for code, refs in out.items() if refs}


ALL_CODES = {code for code, _, _ in check.LEAD_CHECKS + check.LEAD_DEAL_CHECKS + check.DEAL_CHECKS}


# -- the core ----------------------------------------------------------------------------


def test_clean_data_has_no_findings(tmp_path: Path) -> None:
    leads, deals = clean_rows()
    assert expected(leads, deals) == {}  # the fixture itself is clean
    report = check.check(write(tmp_path / "clean.duckdb", leads, deals))
    assert report.clean and report.findings == []
    assert check.warning_line(report) is None
    assert set(report.checked) == ALL_CODES and len(ALL_CODES) == 16


def test_every_planted_defect_is_found_with_its_crm_ids(tmp_path: Path) -> None:
    leads, deals = defective_rows()
    want = expected(leads, deals)
    assert set(want) == ALL_CODES  # every check has something to find in this fixture
    report = check.check(write(tmp_path / "bad.duckdb", leads, deals), examples=3)
    got = {f.code: f for f in report.findings}
    assert set(got) == set(want)
    for code, refs in want.items():
        assert got[code].count == len(refs), code
        assert got[code].examples == refs[:3], code
    assert "#22" in got["leads.no_created_at"].examples  # no CRM id: our number, marked
    assert "#25" in got["leads.no_mql_at"].examples  # a blank CRM id counts as none
    assert "#205" in got["deals.no_closed_at"].examples
    assert got["deals.larger_than_all_others"].text == "1 deal larger than all other deals combined"


def test_counts_only_and_the_warning_line(tmp_path: Path) -> None:
    leads, deals = defective_rows()
    want = expected(leads, deals)
    with write(tmp_path / "bad.duckdb", leads, deals).reading() as conn:
        report = check.run_checks(conn, examples=0)
    assert {f.code: f.count for f in report.findings} == {c: len(r) for c, r in want.items()}
    assert all(f.examples == [] for f in report.findings)
    line = check.warning_line(report)
    assert line is not None and line.startswith("⚠ data: ")
    assert line.endswith("run `standup check`")
    biggest = max(len(r) for r in want.values())
    assert f"{biggest:,} " in line
    assert f"{len(want) - 3} more" in line


def test_dashboard_report_is_remembered_until_a_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leads, deals = clean_rows()
    store = write(tmp_path / "clean.duckdb", leads, deals)
    config = Config()

    def dash() -> check.Report:
        with store.reading() as conn:
            return check.dashboard_report(conn, stored=facts.prepare(conn, config))

    first = dash()
    assert first.clean
    # nothing written: the same report (a copy), not a new pass
    again = dash()
    assert again == first and again.checked_at == first.checked_at
    # a writer that keeps the facts in step plants a defect: seen once the recheck is due
    with store.writing() as conn:
        conn.execute(
            # an updated_at below the newest one: the watermark's maxima do not move
            "UPDATE leads SET campaign_id = NULL, updated_at = TIMESTAMP '2020-01-01'"
            " WHERE lead_id = 3"
        )
        facts.refresh_leads(conn, [3])
    # changed, but rechecked at most every RECHECK_SECONDS
    assert dash().checked_at == first.checked_at
    monkeypatch.setattr(check, "RECHECK_SECONDS", 0.0)
    later = dash()
    assert later.checked_at > first.checked_at
    assert [(f.code, f.count) for f in later.findings] == [("leads.no_campaign", 1)]


def test_the_launch_refresh_leaves_the_check_out(tmp_path: Path) -> None:
    leads, deals = defective_rows()
    store = write(tmp_path / "bad.duckdb", leads, deals)
    first = FirstRefresh(store, AS_OF, Config(), LAUNCH_FETCHES)
    results = first.result(timeout=60)
    assert results["check"] == (None, None)  # not checked: the first frame never waits
    assert all(data is not None for key, (data, _) in results.items() if key != "check")


# -- the command line --------------------------------------------------------------------


def standup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "standup.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_exit_codes_text_and_json(tmp_path: Path) -> None:
    leads, deals = clean_rows()
    clean = write(tmp_path / "clean.duckdb", leads, deals)
    done = standup("check", str(clean.path))
    assert done.returncode == 0, done.stderr
    assert "clean, all 16 checks passed" in done.stdout

    leads, deals = defective_rows()
    want = expected(leads, deals)
    bad = write(tmp_path / "bad.duckdb", leads, deals)
    done = standup("check", str(bad.path))
    assert done.returncode == 1, done.stderr
    assert f"{len(want)} problems found" in done.stdout
    assert f"⚠ {len(want['leads.no_created_at'])} leads without a created date" in done.stdout
    assert "e.g. CRM-21, #22" in done.stdout

    done = standup("check", str(bad.path), "--format", "json", "--examples", "5")
    assert done.returncode == 1, done.stderr
    body = json.loads(done.stdout)
    assert body["clean"] is False and body["database"] == str(bad.path)
    assert {f["code"]: f["count"] for f in body["findings"]} == {c: len(r) for c, r in want.items()}
    assert {f["code"]: f["examples"] for f in body["findings"]} == {
        c: r[:5] for c, r in want.items()
    }


def test_cli_on_a_missing_file_says_so_and_prints_no_report(tmp_path: Path) -> None:
    done = standup("check", str(tmp_path / "nope.duckdb"))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("standup: ") and len(done.stderr.strip().splitlines()) == 1


def test_the_demo_is_clean(demo_store: Store) -> None:
    """The demo tells a true story: no warning on its dashboard."""
    done = standup("check", str(demo_store.path))
    assert done.returncode == 0, done.stdout + done.stderr


# -- the dashboard -----------------------------------------------------------------------


async def _wait(pilot: Pilot[Any], cond: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


async def test_dashboard_shows_one_warning_line_when_something_is_off(tmp_path: Path) -> None:
    leads, deals = defective_rows()
    want = expected(leads, deals)
    store = write(tmp_path / "bad.duckdb", leads, deals)
    app = StandupApp(store=store, config=Config(refresh_seconds=3600), clock=Clock(AS_OF))
    async with app.run_test(size=(160, 45)) as pilot:
        warning = app.screen.query_one(DataWarning)
        await _wait(pilot, lambda: warning.line is not None)
        assert warning.display
        line = warning.line or ""
        assert line.startswith("⚠ data: ") and "run `standup check`" in line
        assert f"{len(want['leads.no_created_at'])} leads without a created date" in line


async def test_dashboard_shows_no_warning_on_clean_data(demo_store: Store) -> None:
    app = StandupApp(store=demo_store, config=Config(refresh_seconds=3600), clock=Clock(AS_OF))
    async with app.run_test(size=(160, 45)) as pilot:
        warning = app.screen.query_one(DataWarning)
        await _wait(pilot, lambda: all(p.fetch_count >= 1 for p in app.screen.query(Panel)))
        assert warning.error is None and warning.data is not None and warning.data.clean
        assert warning.line is None and not warning.display
