"""A generator of large, realistic CRM exports, for the import benchmark.

``make_leads_csv(path, rows)`` writes a HubSpot-style contacts export (the bundled
``hubspot`` mapping reads it): quoted commas in company names, two date formats, empty
cells, owners from the demo team and campaign names in the lead-source column. DuckDB
writes it set-based, so a million rows take a second or two.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_SQL = """
COPY (
    SELECT
        (100000 + i)::VARCHAR AS "Record ID",
        list_extract(['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey'], 1 + i % 6)
            AS "First Name",
        list_extract(['Nguyen', 'Smith', 'Garcia', 'Okafor', 'Tanaka'], 1 + i % 5)
            AS "Last Name",
        'contact' || i || '@example.com' AS "Email",
        list_extract(['Acme, Inc', 'Globex', 'Initech, LLC', 'Umbrella "Bio"', 'Hooli'],
                     1 + (i // 7) % 5) AS "Company Name",
        list_extract(['Dana Brooks', 'Marcus Webb', 'Sofia Alvarez', 'Tom Rourke', ''],
                     1 + (i // 3) % 5) AS "Contact owner",
        list_extract(['Subscriber', 'Lead', 'Marketing Qualified Lead', 'Sales Qualified Lead',
                      'Opportunity', 'Customer'], 1 + (i * 7) % 6) AS "Lifecycle Stage",
        CASE WHEN i % 2 = 0
             THEN strftime(TIMESTAMP '2026-01-01' + to_minutes(i % 400000), '%Y-%m-%d %H:%M')
             ELSE strftime(TIMESTAMP '2026-01-01' + to_minutes(i % 400000), '%m/%d/%Y')
        END AS "Create Date",
        CASE WHEN (i * 7) % 6 >= 2
             THEN strftime(TIMESTAMP '2026-03-01' + to_minutes(i % 300000), '%Y-%m-%d %H:%M')
        END AS "Became a Marketing Qualified Lead Date",
        strftime(TIMESTAMP '2026-06-01' + to_minutes(i % 200000), '%Y-%m-%d %H:%M')
            AS "Last Activity Date",
        list_extract(['Paid Social', 'Organic Search', 'Offline Sources', 'Referrals'],
                     1 + i % 4) AS "Original Source",
        list_extract(['Paid social: RevOps ebook', 'Organic search', 'Trade show badge scans',
                      'Partner referrals', 'Webinar: Pipeline Math', ''], 1 + (i // 11) % 6)
            AS "Original Source Drill-Down 1",
        ((i * 37) % 100)::VARCHAR AS "HubSpot Score"
    FROM range($rows) AS t(i)
) TO '{path}' (HEADER, DELIMITER ',', QUOTE '"')
"""


def make_leads_csv(path: str | Path, rows: int = 1_000_000) -> Path:
    """Write a HubSpot-style contacts export of ``rows`` leads to ``path``."""
    target = Path(path)
    # COPY's target cannot be a parameter; the path is ours (a benchmark temp file).
    escaped = str(target).replace("'", "''")
    with duckdb.connect() as conn:
        conn.execute(_SQL.replace("{path}", escaped), {"rows": rows})
    return target
