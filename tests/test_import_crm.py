"""Real CRM export shapes (issue 12): the import tells the truth about stages and dates.

Expected figures are computed here from the fixture CSVs with Python's csv module, never
copied from the import's output. Fixtures: tests/fixtures/crm/ (make_fixtures.py).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from standup.importing import ImportResult, import_files, load_mapping
from standup.store import Store
from tests.conftest import AS_OF

CRM = Path(__file__).parent / "fixtures" / "crm"


def _csv(name: str) -> list[dict[str, str]]:
    with (CRM / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _import(store: Store, mapping: str, *files: str, **kw: Any) -> ImportResult:
    paths = [str(CRM / f) for f in files]
    return import_files(store, paths, load_mapping(CRM / mapping), now=AS_OF, **kw)


def _rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.reading() as conn:
        return conn.execute(sql).fetchall()


def _history(store: Store) -> list[tuple[Any, ...]]:
    return _rows(store, "SELECT * FROM stage_history ORDER BY history_id")


# -- shape 1: deals only -------------------------------------------------------------


def test_deals_only_export_derives_leads_that_pass_opportunity(tmp_path: Path) -> None:
    deals = _csv("pipeline.csv")
    prices = {r["product"]: float(r["sales_price"]) for r in _csv("products.csv")}
    store = Store.create(tmp_path / "pipeline.duckdb")
    result = _import(store, "pipeline.toml", "pipeline.csv")
    assert result.written and result.errors == []

    # first import into a database without people: the reps became people
    reps = {r["sales_agent"] for r in deals}
    assert result.owners_created == len(reps)
    assert {r[0] for r in _rows(store, "SELECT name FROM people")} == reps

    no_date = sum(1 for r in deals if not r["engage_date"])
    assert result.undated["deals"] == no_date
    assert _rows(store, "SELECT count(*) FROM deals WHERE created_at IS NULL") == [(no_date,)]

    expect_stage = {"Won": "customer", "Lost": "disqualified"}
    by_id = {r["opportunity_id"]: r for r in deals}
    found = _rows(
        store,
        "SELECT d.external_id, l.stage, l.reached_stage, l.opportunity_at, l.customer_at, "
        "d.amount FROM deals AS d JOIN leads AS l USING (lead_id)",
    )
    assert len(found) == len(deals)
    for ext, stage, reached, opp_at, cust_at, amount in found:
        row = by_id[ext]
        assert stage == expect_stage.get(row["deal_stage"], "opportunity"), ext
        assert reached == ("customer" if row["deal_stage"] == "Won" else "opportunity"), ext
        # the milestone is the export's date, or unknown: never the import's as-of
        engage = datetime.fromisoformat(row["engage_date"]) if row["engage_date"] else None
        assert opp_at == engage, ext
        won_at = datetime.fromisoformat(row["close_date"]) if row["deal_stage"] == "Won" else None
        assert cust_at == won_at, ext
        # an open deal has no value in the export: the product's list price (lookup)
        value = float(row["close_value"]) if row["close_value"] else prices[row["product"]]
        assert float(amount) == value, ext

    # every derived lead passed opportunity: never inquiry -> customer / disqualified
    paths = Counter(
        p
        for (p,) in _rows(
            store,
            "SELECT string_agg(to_stage, '>' ORDER BY history_id) FROM stage_history "
            "GROUP BY lead_id",
        )
    )
    outcome = Counter(r["deal_stage"] for r in deals)
    assert paths == {
        "inquiry>opportunity>customer": outcome["Won"],
        "inquiry>opportunity>disqualified": outcome["Lost"],
        "inquiry>opportunity": outcome["Prospecting"] + outcome["Engaging"],
    }
    with store.reading() as conn:
        at_as_of = conn.execute(
            "SELECT count(*) FROM stage_history WHERE moved_at = $t", {"t": AS_OF}
        ).fetchone()
    assert at_as_of == (0,)  # no move dated "now" for want of a date

    # re-import: nothing changes, no history appended
    before = _history(store)
    again = _import(store, "pipeline.toml", "pipeline.csv")
    assert again.counts["deals"].updated == 0 and again.counts["leads"].updated == 0
    assert _history(store) == before


# -- shape 2: leads with a Converted flag and dispositions, no dates ------------------


def _flag_stage(row: dict[str, str]) -> str:
    if row["Converted"] == "1":
        return "customer"
    return {
        "Already a student": "disqualified",
        "Interested in other courses": "disqualified",
        "Will revert after reading the email": "sal",
        "Ringing": "mql",
    }.get(row["Tags"], "inquiry")


def test_flag_export_derives_stages_and_invents_no_dates(tmp_path: Path) -> None:
    leads = _csv("leads_flags.csv")
    store = Store.create(tmp_path / "flags.duckdb")
    result = _import(store, "leads_flags.toml", "leads_flags.csv")
    assert result.written and result.errors == []
    assert result.undated == {"leads": len(leads)}

    found = dict(_rows(store, "SELECT external_id, stage FROM leads"))
    assert found == {r["Prospect ID"]: _flag_stage(r) for r in leads}
    # a lead at a main-path stage has reached it; dates are all unknown
    assert _rows(
        store,
        "SELECT count(*) FILTER (WHERE stage NOT IN ('disqualified', 'recycled') "
        "AND reached_stage IS DISTINCT FROM stage), count(created_at), count(stage_entered_at), "
        "count(mql_at), count(customer_at) FROM leads",
    ) == [(0, 0, 0, 0, 0)]
    assert _rows(store, "SELECT count(moved_at) FROM stage_history") == [(0,)]
    # the disposition became a reason code, the new one added by the mapping
    students = sum(1 for r in leads if r["Converted"] == "0" and r["Tags"] == "Already a student")
    assert _rows(store, "SELECT count(*) FROM leads WHERE reason_code = 'student'") == [(students,)]
    assert _rows(store, "SELECT kind FROM reason_codes WHERE code = 'other_course'") == [
        ("disqualify",)
    ]
    # per source, converted leads are customers (Reference converts ~90%)
    per_source = Counter(r["Lead Source"] for r in leads if r["Converted"] == "1")
    assert dict(
        _rows(
            store,
            "SELECT c.name, count(*) FROM leads JOIN campaigns AS c USING (campaign_id) "
            "WHERE stage = 'customer' GROUP BY 1",
        )
    ) == dict(per_source)


# -- shape 3: MQLs + deals won on them ------------------------------------------------


def test_won_deals_move_existing_leads_and_reimports_settle(tmp_path: Path) -> None:
    mqls = _csv("mql.csv")
    won = {r["mql_id"]: r for r in _csv("closed_deals.csv")}
    store = Store.create(tmp_path / "mql.duckdb")
    first = _import(store, "mql_deals.toml", "mql.csv")
    assert first.written and first.owners_created == 0  # no owner column in the MQL file
    second = _import(store, "mql_deals.toml", "closed_deals.csv")
    assert second.written and second.errors == []
    # the people table was empty: the deals' reps were created on this first owner import
    assert second.owners_created == len({r["sr_name"] for r in won.values()})
    assert second.driven == len(won)

    def state() -> dict[str, tuple[Any, ...]]:
        return {
            r[0]: r[1:]
            for r in _rows(
                store, "SELECT external_id, stage, reached_stage, customer_at, mql_at FROM leads"
            )
        }

    got = state()
    assert len(got) == len(mqls)
    for row in mqls:
        ext = row["mql_id"]
        mql_at = datetime.fromisoformat(row["first_contact_date"])
        if ext in won:
            assert got[ext] == (
                "customer",
                "customer",
                datetime.fromisoformat(won[ext]["won_date"]),
                mql_at,
            )
        else:
            assert got[ext] == ("mql", "mql", None, mql_at)
    # one history row per won deal on top of each lead's inquiry -> mql
    rows_per_lead = dict(_rows(store, "SELECT to_stage, count(*) FROM stage_history GROUP BY 1"))
    assert rows_per_lead == {"inquiry": len(mqls), "mql": len(mqls), "customer": len(won)}

    # re-import in both orders: no flip-flop, no new history rows
    history = _history(store)
    for order in (("mql.csv", "closed_deals.csv"), ("closed_deals.csv", "mql.csv")):
        for name in order:
            _import(store, "mql_deals.toml", name)
            assert state() == got, (order, name)
            assert _history(store) == history, (order, name)
    both = _import(store, "mql_deals.toml", "mql.csv", "closed_deals.csv")
    assert both.counts["leads"].updated == 0 and both.driven == 0
    assert _history(store) == history


def test_a_lost_deal_disqualifies_or_keeps_per_mapping(tmp_path: Path) -> None:
    mql = tmp_path / "m.csv"
    mql.write_text(
        "mql_id,first_contact_date,landing_page_id,origin\nm1,2026-03-01,lp1,email\n",
        encoding="utf-8",
    )
    lost = tmp_path / "d.csv"
    lost.write_text(
        "mql_id,seller_id,sr_name,won_date,business_segment,declared_monthly_revenue,state\n"
        "m1,s1,Zane Levy,2026-04-01,pet,0,lost\n",
        encoding="utf-8",
    )
    text = (CRM / "mql_deals.toml").read_text(encoding="utf-8")
    text = text.replace('defaults = { stage = "won" }', 'defaults = { stage = "lost" }')
    for option, stage in (("disqualified", "disqualified"), ("keep", "mql")):
        mapping = tmp_path / f"{option}.toml"
        mapping.write_text(text + f'lost_lead_stage = "{option}"\n', encoding="utf-8")
        store = Store.create(tmp_path / f"{option}.duckdb")
        for f in (mql, lost):
            import_files(store, [str(f)], load_mapping(mapping), now=AS_OF)
        assert _rows(store, "SELECT stage, reached_stage FROM leads") == [(stage, "opportunity")]


# -- the command line ------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "standup.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_dry_run_with_an_invalid_row_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "pipeline.csv"
    text = (CRM / "pipeline.csv").read_text(encoding="utf-8").splitlines()
    cells = text[3].split(",")
    cells[4] = "Maybe"  # deal_stage: not a stage the mapping knows
    text[3] = ",".join(cells)
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    (tmp_path / "products.csv").write_text(
        (CRM / "products.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    mapping = tmp_path / "pipeline.toml"
    mapping.write_text((CRM / "pipeline.toml").read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "crm.duckdb"
    args = ["import", str(db), str(bad), "--mapping", str(mapping), "--as-of", "2026-11-23"]
    done = _cli(*args, "--dry-run")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unknown stage" in done.stdout and "Dry run: nothing written." in done.stdout
    good = _cli(*args[:2], str(CRM / "pipeline.csv"), *args[3:], "--dry-run")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "had no created date" in good.stdout


def test_duplicate_and_missing_ids_are_reported_once_per_row(tmp_path: Path) -> None:
    lines = (CRM / "pipeline.csv").read_text(encoding="utf-8").splitlines()
    header, first, second = lines[0], lines[1], lines[2]
    # the same id with other values (a conflicting duplicate), and a row without an id
    changed = second.split(",")
    clash = ",".join([first.split(",")[0], *changed[1:]])
    no_id = ",".join(["", *changed[1:]])
    bad = tmp_path / "pipeline.csv"
    bad.write_text("\n".join([header, first, clash, no_id]) + "\n", encoding="utf-8")
    (tmp_path / "products.csv").write_bytes((CRM / "products.csv").read_bytes())
    mapping = tmp_path / "pipeline.toml"
    mapping.write_bytes((CRM / "pipeline.toml").read_bytes())
    store = Store.create(tmp_path / "dups.duckdb")
    result = import_files(store, [str(bad)], load_mapping(mapping), now=AS_OF, dry_run=True)
    opp_id = first.split(",")[0]
    assert [(e.line, e.column, e.value, e.reason) for e in result.errors] == [
        (2, "opportunity_id", opp_id, "duplicate id with different values (lines 2, 3)"),
        (3, "opportunity_id", opp_id, "duplicate id with different values (lines 2, 3)"),
        (4, "opportunity_id", None, "missing id"),
    ]


def test_hubspot_milestone_columns_fill_reached_stage_times(tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "Record ID,Lifecycle Stage,Create Date,Became a Marketing Qualified Lead Date,"
        "Became a Sales Qualified Lead Date,Became an Opportunity Date,Became a Customer Date\n"
        "1,Customer,2026-01-05,2026-01-06,,2026-02-01,2026-03-01\n"
        "2,Sales Qualified Lead,,,2026-04-02,,\n",
        encoding="utf-8",
    )
    store = Store.create(tmp_path / "hs.duckdb")
    result = import_files(store, [str(contacts)], load_mapping("hubspot"), now=AS_OF)
    assert result.written and result.undated == {"leads": 1}
    d = datetime
    assert _rows(
        store,
        "SELECT external_id, reached_stage, created_at, mql_at, sql_at, opportunity_at, "
        "customer_at FROM leads ORDER BY 1",
    ) == [
        ("1", "customer", d(2026, 1, 5), d(2026, 1, 6), None, d(2026, 2, 1), d(2026, 3, 1)),
        # sql, entered at its milestone; created and mql times unknown
        ("2", "sql", None, None, d(2026, 4, 2), None, None),
    ]
    # 1's history: each dated milestone, then the stage (sql: no date, not invented)
    assert _rows(
        store,
        "SELECT l.external_id, string_agg(h.to_stage, '>' ORDER BY h.history_id) "
        "FROM stage_history AS h JOIN leads AS l USING (lead_id) GROUP BY 1 ORDER BY 1",
    ) == [("1", "inquiry>mql>opportunity>customer"), ("2", "inquiry>sql")]
