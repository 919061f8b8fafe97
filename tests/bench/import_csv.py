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
        conn.execute("SET enable_progress_bar = false")
        conn.execute(_SQL.replace("{path}", escaped), {"rows": rows})
    return target


def time_import(rows: int = 1_000_000, workdir: str | Path | None = None) -> dict[str, float]:
    """Generate a ``rows``-lead export, import it (validated) into a fresh demo database,
    and return the seconds taken (wall and CPU) with the row count.

    The demo database holds the team the export's owners name; its 100 demo leads make
    the import a realistic append rather than a load into an empty file.
    """
    import os
    import tempfile
    import time
    from datetime import datetime

    from standup.demo import generate
    from standup.importing.mapping import load_mapping
    from standup.importing.run import import_files

    now = datetime(2026, 11, 23, 9, 0)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        csv = make_leads_csv(Path(tmp) / "contacts.csv", rows)
        store = generate(Path(tmp) / "bench.duckdb", now=now, leads=100, seed=1)
        wall, cpu = time.perf_counter(), time.process_time()
        result = import_files(store, [str(csv)], load_mapping("hubspot"), now=now)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert result.written and result.counts["leads"].new == rows, result.summary()
        size = os.path.getsize(csv)
    return {"rows": rows, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "bytes": size}


if __name__ == "__main__":  # python -m tests.bench.import_csv [ROWS]
    import sys

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(time_import(count))
