"""Importing CRM exports: mapping, validation report, idempotence, updates, quarantine.

Fixtures in tests/fixtures/import/ are written like real exports: a UTF-8 BOM and CRLF
(HubSpot), quoted commas and quotes, empty strings and "Select" placeholders, two date
formats in one column, an exact duplicate row, a conflicting duplicate id, a stage value
nobody mapped, a semicolon-delimited spreadsheet, a TSV and JSON lines.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from standup import facts
from standup.config import Config
from standup.errors import StandupError
from standup.importing import ImportResult, MappingError, import_files, load_mapping
from standup.store import Store
from tests.bench.import_csv import make_leads_csv
from tests.conftest import AS_OF

FIXTURES = Path(__file__).parent / "fixtures" / "import"
CONTACTS = FIXTURES / "hubspot_contacts.csv"
CONTACTS_V2 = FIXTURES / "hubspot_contacts_v2.csv"
DEALS = FIXTURES / "hubspot_deals.csv"


def run(store: Store, *files: Path | str, mapping: str = "hubspot", **kw: Any) -> ImportResult:
    return import_files(
        store, [str(f) for f in files], load_mapping(mapping), now=kw.pop("now", AS_OF), **kw
    )


def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.reading() as conn:
        return conn.execute(sql).fetchall()


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table in full: what idempotence must leave untouched."""
    tables = ["people", "campaigns", "leads", "deals", "touches", "stage_history"]
    return {name: rows(store, f"SELECT * FROM {name} ORDER BY ALL") for name in tables}


CONTACT_ERRORS = [
    (7, "Contact owner", "Nobody Known", "unknown owner (import with --create-owners to add it)"),
    (8, "Lifecycle Stage", "Evangelist Plus", "unknown stage"),
    (9, "Create Date", "31/12/2026", 'bad date (add "%d/%m/%Y" to date_formats to read it)'),
    (9, "HubSpot Score", "x1", "not a number"),
    (11, "Record ID", None, "missing id"),
    (12, "Record ID", "109", "duplicate id with different values (lines 12, 13)"),
    (13, "Record ID", "109", "duplicate id with different values (lines 12, 13)"),
]


def test_invalid_rows_are_reported_exactly_and_nothing_is_written(
    demo_store: Store, tmp_path: Path
) -> None:
    before = snapshot(demo_store)
    report = tmp_path / "report.csv"
    result = run(demo_store, CONTACTS, report_path=report)

    assert not result.written
    assert [(e.line, e.column, e.value, e.reason) for e in result.errors] == CONTACT_ERRORS
    assert {e.file for e in result.errors} == {str(CONTACTS)}
    assert result.invalid_rows == 6
    assert result.summary() == {
        "campaigns": {"new": 1, "updated": 0, "unchanged": 0, "invalid": 0, "duplicate": 0},
        "leads": {"new": 5, "updated": 0, "unchanged": 0, "invalid": 6, "duplicate": 1},
    }
    assert snapshot(demo_store) == before
    assert rows(demo_store, "SELECT count(*) FROM import_runs") == [(0,)]

    # The report file holds every invalid cell, in file order, with the export's columns.
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,column,value,reason"
    assert lines[1] == (
        f"{CONTACTS},7,Contact owner,Nobody Known,"
        "unknown owner (import with --create-owners to add it)"
    )
    assert lines[5] == f"{CONTACTS},11,Record ID,,missing id"
    assert len(lines) == 1 + len(CONTACT_ERRORS)


def test_skip_invalid_imports_valid_rows_and_quarantines_the_rest(demo_store: Store) -> None:
    result = run(demo_store, CONTACTS, skip_invalid=True)
    assert result.written and result.run_id == 1

    imported = rows(
        demo_store,
        "SELECT l.external_id, company, contact_name, l.email, p.name, c.name, score, stage, "
        "created_at, mql_at, last_touch_at FROM leads AS l "
        "LEFT JOIN people AS p ON p.person_id = l.owner_id "
        "LEFT JOIN campaigns AS c ON c.campaign_id = l.campaign_id "
        "WHERE l.external_id NOT LIKE 'DEMO-%' ORDER BY 1",
    )
    d = datetime
    assert imported == [
        ("101", "Analytical Engines, Ltd", "Ada Lovelace", "ada@analytical.example",
         "Dana Brooks", "Paid social: RevOps ebook", 72, "mql",
         d(2026, 9, 1, 10, 15), d(2026, 9, 3, 8, 0), d(2026, 11, 20, 16, 40)),
        # US dates in the same column as ISO ones; exact duplicate row 10 skipped.
        ("102", "Cobol & Co", "Grace Hopper", "grace@cobol.example",
         "Marcus Webb", "Trade show badge scans", 55, "sql",
         d(2026, 9, 15, 14, 0), d(2026, 9, 16), None),
        # Quoted quotes; "" and "Select" are empty.
        ("103", 'Bletchley "Park" Ltd', "Alan Turing", None,
         None, None, None, "inquiry", d(2026, 10, 2), None, None),
        ("104", "Paths, Inc", "Edsger Dijkstra", "ed@shortest.example",
         "Dana Brooks", "Partner referrals", 90, "customer",
         d(2026, 6, 30, 9, 0), d(2026, 7, 2, 11, 0), d(2026, 11, 1, 12, 0)),
        # A campaign named only in the lead-source column became a campaign; an mql
        # without an MQL date reached mql at a time the export does not say (issue 12:
        # not its created date, which would start an SLA clock it never had).
        ("105", "Substitution Corp", "Barbara Liskov", "barbara@subst.example",
         "Sofia Alvarez", "SaaStr Annual 2026", 61, "mql",
         d(2026, 10, 10, 11, 11), None, None),
    ]  # fmt: skip
    assert rows(demo_store, "SELECT channel, spend FROM campaigns WHERE name LIKE 'SaaStr%'") == [
        ("Events", 0)
    ]
    quarantined = rows(
        demo_store, "SELECT run_id, tbl, line, col, value, reason FROM import_quarantine"
    )
    assert quarantined == [(1, "leads", *error) for error in CONTACT_ERRORS]
    # The whole rejected row is kept, as mapped onto standup's columns.
    (row,) = rows(demo_store, "SELECT row_data FROM import_quarantine WHERE line = 8")
    kept = json.loads(row[0])
    assert (kept["external_id"], kept["stage"], kept["company"]) == (
        "107", "Evangelist Plus", "Bell, Labs",
    )  # fmt: skip
    assert rows(demo_store, "SELECT rejected, mapping FROM import_runs") == [(6, "hubspot")]


def test_reimport_changes_nothing(demo_store: Store) -> None:
    run(demo_store, CONTACTS, skip_invalid=True)
    before = snapshot(demo_store)
    again = run(demo_store, CONTACTS, skip_invalid=True, now=datetime(2026, 11, 30))
    assert again.counts["leads"].as_dict() == {
        "new": 0, "updated": 0, "unchanged": 5, "invalid": 6, "duplicate": 1,
    }  # fmt: skip
    assert again.counts["campaigns"].new == 0
    assert snapshot(demo_store) == before


def test_updated_export_updates_by_external_id_and_appends_stage_history(
    demo_store: Store,
) -> None:
    run(demo_store, CONTACTS, skip_invalid=True)
    later = datetime(2026, 11, 25, 12, 0)
    result = run(demo_store, CONTACTS_V2, now=later)
    assert result.written
    assert result.counts["leads"].as_dict() == {
        "new": 1, "updated": 2, "unchanged": 3, "invalid": 0, "duplicate": 0,
    }  # fmt: skip
    assert rows(
        demo_store,
        "SELECT from_stage, to_stage, moved_at, actor, source FROM stage_history "
        "JOIN leads USING (lead_id) WHERE external_id = '101' ORDER BY moved_at",
    ) == [
        # A new lead's history: the dated milestones before its stage, then the stage.
        (None, "inquiry", datetime(2026, 9, 1, 10, 15), "import", "import"),
        ("inquiry", "mql", datetime(2026, 9, 3, 8, 0), "import", "import"),
        ("mql", "sql", later, "import", "import"),
    ]
    # The stage clock restarted at the import's as-of; other leads kept theirs.
    assert rows(
        demo_store,
        "SELECT external_id, stage, stage_entered_at, updated_at FROM leads "
        "WHERE external_id IN ('101', '102', '103') ORDER BY 1",
    ) == [
        ("101", "sql", later, later),
        # 102's export never said when it entered sql: unknown, not its created date
        ("102", "sql", None, AS_OF),
        ("103", "inquiry", datetime(2026, 10, 2), later),
    ]
    assert rows(demo_store, "SELECT company FROM leads WHERE external_id = '103'") == [
        ("Bletchley Park Ltd",)
    ]
    # The lowercase internal stage value maps too; the new lead joins the new campaign.
    assert rows(
        demo_store,
        "SELECT stage, c.name FROM leads AS l JOIN campaigns AS c USING (campaign_id) "
        "WHERE l.external_id = '110'",
    ) == [("mql", "SaaStr Annual 2026")]
    # Lead ids are not reused or changed by an update.
    assert rows(demo_store, "SELECT count(DISTINCT lead_id), count(*) FROM leads") == [(2006, 2006)]


def test_dry_run_counts_without_writing(demo_store: Store) -> None:
    run(demo_store, CONTACTS, skip_invalid=True)
    before = snapshot(demo_store)
    result = run(demo_store, CONTACTS_V2, dry_run=True)
    assert result.dry_run and not result.written
    assert result.counts["leads"].as_dict() == {
        "new": 1, "updated": 2, "unchanged": 3, "invalid": 0, "duplicate": 0,
    }  # fmt: skip
    assert snapshot(demo_store) == before
    assert rows(demo_store, "SELECT count(*) FROM import_runs") == [(1,)]


def test_parquet_export_imports_like_csv(demo_store: Store, tmp_path: Path) -> None:
    parquet = tmp_path / "contacts.parquet"
    with duckdb.connect() as conn:
        conn.execute(
            f"COPY (SELECT * FROM read_csv('{CONTACTS_V2}', all_varchar = true)) "
            f"TO '{parquet}' (FORMAT parquet)"
        )
    result = run(demo_store, parquet)
    assert result.counts["leads"].new == 6
    assert rows(demo_store, "SELECT stage FROM leads WHERE external_id = '110'") == [("mql",)]


def test_deal_only_export_creates_a_lead_per_deal(demo_store: Store) -> None:
    result = run(demo_store, DEALS)
    assert not result.written
    assert [(e.line, e.column, e.value, e.reason) for e in result.errors] == [
        (5, "Amount", "-500", "negative amount"),
        (6, "Deal Stage", "Verbal Yes", "unknown stage"),
    ]
    result = run(demo_store, DEALS, skip_invalid=True)
    assert result.summary() == {
        "leads": {"new": 4, "updated": 0, "unchanged": 0, "invalid": 0, "duplicate": 0},
        "deals": {"new": 4, "updated": 0, "unchanged": 0, "invalid": 2, "duplicate": 0},
    }
    assert rows(
        demo_store,
        "SELECT d.external_id, d.name, d.stage, d.amount, d.closed_at, l.external_id, "
        "l.company, l.stage FROM deals AS d JOIN leads AS l USING (lead_id) "
        "WHERE d.external_id NOT LIKE 'DEMO-%' ORDER BY 1",
    ) == [
        ("9001", "Globex - Platform, annual", "negotiation", 48000, None, "deal:9001",
         "Globex", "opportunity"),
        # Won: closed on its close date (HubSpot sets it when a deal closes).
        ("9002", "Initech renewal", "won", 12500, datetime(2026, 11, 2), "deal:9002",
         "Initech", "customer"),
        ("9003", "Hooli pilot", "qualification", 9000, None, "deal:9003", "Hooli",
         "opportunity"),
        ("9006", "Stark upgrade", "qualification", 0, None, "deal:9006", "Stark",
         "opportunity"),
    ]  # fmt: skip
    assert rows(
        demo_store,
        "SELECT d.created_at, d.stage_entered_at, l.stage_entered_at FROM deals AS d "
        "JOIN leads AS l USING (lead_id) WHERE d.external_id = '9002'",
    ) == [(datetime(2026, 8, 10, 11, 0), datetime(2026, 11, 2), datetime(2026, 11, 2))]


def test_closing_a_deal_moves_its_derived_lead(demo_store: Store, tmp_path: Path) -> None:
    run(demo_store, DEALS, skip_invalid=True)
    won = tmp_path / "deals_later.csv"
    text = DEALS.read_text(encoding="utf-8").replace(",Contract Sent,", ",Closed Won,")
    won.write_text(text, encoding="utf-8")
    later = datetime(2026, 11, 26, 10, 0)
    result = run(demo_store, won, skip_invalid=True, now=later)
    assert result.counts["deals"].updated == 1 and result.counts["leads"].updated == 1
    assert rows(
        demo_store,
        "SELECT stage, stage_entered_at, closed_at FROM deals WHERE external_id = '9001'",
    ) == [("won", later, later)]
    assert rows(
        demo_store,
        "SELECT from_stage, to_stage, moved_at FROM stage_history JOIN leads USING (lead_id) "
        "WHERE external_id = 'deal:9001' ORDER BY moved_at",
    ) == [
        # a derived lead passes opportunity (issue 12), both when the deal was created
        (None, "inquiry", datetime(2026, 9, 1, 9, 0)),
        ("inquiry", "opportunity", datetime(2026, 9, 1, 9, 0)),
        ("opportunity", "customer", later),
    ]


def test_own_columns_people_campaigns_leads_touches(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "own.duckdb")
    files = [FIXTURES / name for name in ("people.tsv", "campaigns.jsonl", "leads_own.csv")]
    files.append(FIXTURES / "touches.csv")
    result = run(store, *files, mapping="standup")
    found = [(Path(e.file).name, e.line, e.column, e.value, e.reason) for e in result.errors]
    assert found == [
        ("people.tsv", 4, "team", "finance", "unknown team"),
        ("campaigns.jsonl", 2, "spend", "-10", "negative amount"),
        ("leads_own.csv", 3, "campaign", "C-2", "unknown campaign"),
        # The lead exists only as a rejected row: its touches are rejected with it.
        ("touches.csv", 4, "lead", "L-2", "lead row is invalid"),
        ("touches.csv", 5, "lead", "L-9", "unknown lead"),
    ]  # fmt: skip
    run(store, *files, mapping="standup", skip_invalid=True)
    assert rows(store, "SELECT person_id, external_id, name, team FROM people ORDER BY 1") == [
        (1, "U-1", "Nora Quist", "sales"),
        (2, "U-2", "Ivo Marsh", "marketing"),
    ]
    assert rows(store, "SELECT name, owner_id, started_on::VARCHAR, spend FROM campaigns") == [
        ("Spring webinar", 2, "2026-03-01", 12000)
    ]
    assert rows(
        store, "SELECT external_id, owner_id, campaign_id, stage, stage_entered_at FROM leads"
    ) == [("L-1", 1, 1, "sal", datetime(2026, 10, 3, 10, 0))]
    assert rows(store, "SELECT kind, person_id, touched_at, note FROM touches ORDER BY 3") == [
        ("call", 1, datetime(2026, 11, 2, 10, 0), "left voicemail, will retry"),
        ("email", 1, datetime(2026, 11, 3, 9, 0), None),
    ]
    # A touch newer than the lead's last touch moves it forward.
    assert rows(store, "SELECT last_touch_at FROM leads") == [(datetime(2026, 11, 3, 9, 0),)]
    before = snapshot(store)
    again = run(store, *files, mapping="standup", skip_invalid=True)
    assert again.counts["touches"].unchanged == 2 and again.counts["touches"].new == 0
    assert snapshot(store) == before


def test_semicolon_spreadsheet_and_reason_codes(demo_store: Store) -> None:
    sheet = FIXTURES / "sheet_leads.csv"
    result = run(demo_store, sheet, mapping="standup")
    assert [(e.line, e.column, e.value) for e in result.errors] == [
        (4, "reason_code", "no_such_reason")
    ]
    # the message lists the codes there are and how to add one
    reason = result.errors[0].reason
    assert reason.startswith("unknown reason code (one of: bad_contact_data, bad_timing,")
    assert "add one under [[reason_codes]] in the mapping" in reason
    run(demo_store, sheet, mapping="standup", skip_invalid=True)
    assert rows(
        demo_store,
        "SELECT external_id, company, contact_name, reason_code, stage FROM leads "
        "WHERE external_id LIKE 'S-%' ORDER BY 1",
    ) == [
        ("S-1", "Acme", "Jo Park", None, "sal"),
        ("S-2", "Globex; EMEA", "Li Wei", "not_icp", "recycled"),
        ("S-4", "Hooli", "Ann Lee", None, "mql"),
    ]
    # A new mql lead without a stage-entered column entered its stage when it became an MQL;
    # a sal lead without an acceptance time was accepted when it entered sal.
    assert rows(
        demo_store,
        "SELECT external_id, stage_entered_at, mql_at, accepted_at FROM leads "
        "WHERE external_id IN ('S-1', 'S-4') ORDER BY 1",
    ) == [
        ("S-1", datetime(2026, 10, 3, 10, 0), datetime(2026, 10, 2, 9, 0),
         datetime(2026, 10, 3, 10, 0)),
        ("S-4", datetime(2026, 11, 21, 8, 0), datetime(2026, 11, 21, 8, 0), None),
    ]  # fmt: skip


def test_file_problems_are_one_line_errors(demo_store: Store, tmp_path: Path) -> None:
    with pytest.raises(StandupError, match=r"nope\.csv: no such file"):
        run(demo_store, tmp_path / "nope.csv")
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(StandupError, match=r"odd\.csv: no mapping section matches its columns"):
        run(demo_store, odd)
    (tmp_path / "x.xlsx").touch()
    with pytest.raises(StandupError, match=r"unknown file type"):
        run(demo_store, tmp_path / "x.xlsx")
    # TABLE=FILE names the table; a required column missing from the file is named.
    with pytest.raises(
        StandupError, match=r"odd\.csv: no column 'Record ID' for leads\.external_id"
    ):
        run(demo_store, f"leads={odd}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[leads]\ncolumns = { external_id = "id", stagee = "S" }\n',
         "leads.columns.stagee: not a standup leads column"),
        ('[leads]\ncolumns = { external_id = "id", stage = "S" }\n'
         '[leads.values.stage]\nHot = "hot"\n',
         "leads.values.stage.'Hot': 'hot' is not a leads stage"),
        ('colums = 1\n[leads]\ncolumns = { external_id = "id", stage = "S" }\n',
         "colums: Extra inputs are not permitted"),
        ("[leads\n", "not valid TOML"),
        ('[leads]\ncolumns = { external_id = "id" }\n',
         "leads.columns.stage: required (map it or give a default)"),
        ('[leads]\ncolumns = { external_id = 5, stage = "S" }\n',
         "leads.columns.external_id: Input should be a valid string"),
        ('name = "x"\n', "no table sections"),
        ('[leads]\ncolumns = { external_id = "id", stage = "S" }\nowner_team = "finance"\n',
         "leads.owner_team: 'finance' is not one of"),
    ],
)  # fmt: skip
def test_invalid_mapping_is_one_line_naming_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert str(caught.value).startswith(f"mapping {path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bundled_mappings_load_and_unknown_name_is_an_error() -> None:
    assert load_mapping("hubspot").tables() == ["leads", "deals"]
    assert load_mapping("salesforce").tables() == ["campaigns", "leads", "deals"]
    assert load_mapping(None).name == "standup"
    with pytest.raises(MappingError, match="bundled: hubspot, salesforce, standup"):
        load_mapping("pipedrive")


def test_salesforce_exports(demo_store: Store, tmp_path: Path) -> None:
    leads = tmp_path / "sf_leads.csv"
    leads.write_text(
        "Lead ID,First Name,Last Name,Company / Account,Email,Lead Status,Lead Owner,"
        "Lead Source,Create Date\r\n"
        "00Q1,Rosa,Diaz,Nine-Nine,rosa@99.example,Open - Not Contacted,Dana Brooks,"
        'Partner referrals,"11/20/2026, 9:15 AM"\r\n'
        "00Q2,Jake,Peralta,Nine-Nine,jake@99.example,Working - Contacted,Tom Rourke,Web,"
        "11/02/2026\r\n",
        encoding="utf-8",
    )
    opps = tmp_path / "sf_opps.csv"
    opps.write_text(
        "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date,"
        "Opportunity Owner,Converted Lead ID\r\n"
        '0061,Nine-Nine renewal,Nine-Nine,Negotiation/Review,"25,000",12/31/2026,'
        "11/21/2026,Dana Brooks,00Q1\r\n",
        encoding="utf-8",
    )
    result = run(demo_store, leads, opps, mapping="salesforce")
    assert result.errors == [] and result.written
    assert rows(
        demo_store,
        "SELECT l.external_id, l.stage, l.created_at, c.name, d.stage, d.amount "
        "FROM leads AS l JOIN campaigns AS c USING (campaign_id) "
        "LEFT JOIN deals AS d ON d.lead_id = l.lead_id AND d.external_id IS NOT NULL "
        "WHERE l.external_id LIKE '00Q%' ORDER BY 1",
    ) == [
        # an open deal moves an mql lead to opportunity (deals drive leads)
        (
            "00Q1",
            "opportunity",
            datetime(2026, 11, 20, 9, 15),
            "Partner referrals",
            "negotiation",
            25000,
        ),
        ("00Q2", "sal", datetime(2026, 11, 2), "Web", None, None),
    ]


def test_generated_benchmark_export_imports_cleanly(demo_store: Store, tmp_path: Path) -> None:
    path = make_leads_csv(tmp_path / "big.csv", rows=20_000)
    # Line numbers are exact deep into the file (from rowid order): break two rows.
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[12346].startswith("112345,") and lines[19999].startswith("119998,")
    for index in (12346, 19999):
        lines[index] = lines[index].replace(",2026-", ",2026-13-", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    errors = run(demo_store, bad).errors
    assert [(e.line, e.column, e.reason) for e in errors] == [
        (12347, "Became a Marketing Qualified Lead Date", "bad date"),
        (20000, "Create Date", "bad date"),
    ]

    result = run(demo_store, path)
    assert result.errors == []
    assert result.counts["leads"].new == 20_000
    assert rows(demo_store, "SELECT count(*) FROM leads") == [(22_000,)]
    assert rows(
        demo_store,
        "SELECT count(DISTINCT lead_id), count(*) FILTER (WHERE from_stage IS NULL) "
        "FROM stage_history WHERE source = 'import'",
    ) == [(20_000, 20_000)]


def test_readme_worked_example(demo_store: Store, tmp_path: Path) -> None:
    sheet, mapping = FIXTURES / "sheet.csv", str(FIXTURES / "sheet.toml")
    result = run(demo_store, sheet, mapping=mapping, dry_run=True)
    assert result.summary() == {
        "campaigns": {"new": 1, "updated": 0, "unchanged": 0, "invalid": 0, "duplicate": 0},
        "leads": {"new": 3, "updated": 0, "unchanged": 0, "invalid": 0, "duplicate": 0},
    }
    run(demo_store, sheet, mapping=mapping)
    assert rows(
        demo_store,
        "SELECT l.external_id, company, stage, created_at, c.name, p.name FROM leads AS l "
        "JOIN campaigns AS c USING (campaign_id) LEFT JOIN people AS p ON p.person_id = l.owner_id "
        "WHERE l.external_id LIKE 'A-%' ORDER BY 1",
    ) == [
        ("A-17", "Acme; EMEA", "mql", datetime(2026, 10, 23), "Partner referrals", "Dana Brooks"),
        ("A-18", "Globex", "recycled", datetime(2026, 10, 30, 14, 0), "Webinar: Pipeline Math",
         None),
        ("A-19", "Initech", "inquiry", datetime(2026, 11, 1), "Trade show", "Marcus Webb"),
    ]  # fmt: skip
    assert run(demo_store, sheet, mapping=mapping).counts["leads"].unchanged == 3
    lukewarm = tmp_path / "sheet.csv"
    lukewarm.write_text(sheet.read_text().replace(";Nurture;", ";Lukewarm;"))
    assert [e.describe() for e in run(demo_store, lukewarm, mapping=mapping).errors] == [
        f"{lukewarm}:3: Status 'Lukewarm': unknown stage"
    ]


def test_line_numbers_count_lines_inside_quoted_cells(demo_store: Store, tmp_path: Path) -> None:
    export = tmp_path / "notes.csv"
    export.write_bytes(
        b"external_id,stage,company,notes\r\n"
        b'N-1,mql,Acme,"called twice\r\nno answer\r\nwill retry"\r\n'
        b"N-2,bogus,Globex,\r\n"
        b'N-3,sql,Initech,"a\nb"\r\n'
        b"N-4,nope,Hooli,x\r\n"
    )
    errors = run(demo_store, f"leads={export}", mapping="standup").errors
    assert [(e.line, e.value) for e in errors] == [(5, "bogus"), (8, "nope")]


def test_short_rows_from_a_spreadsheet_are_padded(demo_store: Store, tmp_path: Path) -> None:
    export = tmp_path / "short.csv"
    export.write_text("external_id,stage,created_at\nX1,mql,2026-01-01\nX2,sal\nX3,sql,x,extra\n")
    errors = run(demo_store, f"leads={export}", mapping="standup").errors
    assert [(e.line, e.column, e.value, e.reason) for e in errors] == [
        (4, "created_at", "x", "bad date")
    ]


def test_a_narrower_export_updates_only_the_columns_it_carries(
    demo_store: Store, tmp_path: Path
) -> None:
    sheet = FIXTURES / "sheet_leads.csv"
    run(demo_store, sheet, mapping="standup", skip_invalid=True)
    narrow = tmp_path / "narrow.csv"
    narrow.write_text("external_id,stage,created_at\nS-1,sql,2026-10-01 09:00\n")
    later = datetime(2026, 11, 24, 8, 0)
    result = run(demo_store, f"leads={narrow}", mapping="standup", now=later)
    assert result.counts["leads"].updated == 1
    assert rows(
        demo_store,
        "SELECT company, contact_name, email, score, stage, stage_entered_at FROM leads "
        "WHERE external_id = 'S-1'",
    ) == [("Acme", "Jo Park", "jo@acme.example", 80, "sql", later)]


def test_imports_keep_the_dashboard_facts_in_step(demo_store: Store, tmp_path: Path) -> None:
    # leads (new and updated), then deals that move their leads, then a deal that closes
    run(demo_store, CONTACTS, skip_invalid=True)
    run(demo_store, CONTACTS_V2, now=datetime(2026, 11, 25, 12, 0))
    run(demo_store, DEALS, skip_invalid=True)
    won = tmp_path / "deals_later.csv"
    won.write_text(
        DEALS.read_text(encoding="utf-8").replace(",Contract Sent,", ",Closed Won,"),
        encoding="utf-8",
    )
    run(demo_store, won, skip_invalid=True, now=datetime(2026, 11, 26, 10, 0))
    with demo_store.reading() as conn:
        assert facts.usable(conn, Config())  # still trusted: every import kept them in step
        assert facts.out_of_step(conn) == 0
