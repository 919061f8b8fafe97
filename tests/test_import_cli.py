"""`standup import` through the real entry point: exit codes, output, the funnel it leaves
behind for `standup query`, and lock contention with another process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "import"
ENV = {**os.environ, "STANDUP_AS_OF": "2026-11-23T09:00"}
ENV.pop("STANDUP_CONFIG", None)


def standup(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "standup.cli", *args],
        capture_output=True, text=True, env=env or ENV, timeout=120,
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A demo database with the demo team and campaigns and a single demo lead."""
    path = tmp_path / "crm.duckdb"
    done = standup("demo", "--no-open", "--leads", "1", str(path))
    assert done.returncode == 0, done.stderr
    return path


FUNNEL = (
    "SELECT stage, count(*) AS n FROM leads WHERE external_id NOT LIKE 'DEMO-%' "
    "GROUP BY stage ORDER BY stage"
)


def funnel(db: Path) -> dict[str, int]:
    done = standup("query", str(db), FUNNEL, "--format", "json")
    assert done.returncode == 0, done.stderr
    return {row["stage"]: row["n"] for row in map(json.loads, done.stdout.splitlines())}


def test_import_then_query_shows_the_funnel(db: Path, tmp_path: Path) -> None:
    contacts = FIXTURES / "hubspot_contacts.csv"
    done = standup("import", str(db), str(contacts), "--mapping", "hubspot", "--skip-invalid")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:4] == [
        f"{contacts}: 12 rows -> leads",
        "table            new   updated unchanged   invalid",
        "campaigns          1         0         0         0",
        "leads              5         0         0         6   (1 exact duplicate rows skipped)",
    ]
    assert done.stdout.rstrip().endswith(
        "Imported (run 1); 6 invalid rows kept in import_quarantine."
    )
    assert funnel(db) == {"customer": 1, "inquiry": 1, "mql": 2, "sql": 1}

    # The next export: one lead moved to sql, one new mql.
    v2 = FIXTURES / "hubspot_contacts_v2.csv"
    later = {**ENV, "STANDUP_AS_OF": "2026-11-25T12:00"}
    done = standup("import", str(db), str(v2), "--mapping", "hubspot", env=later)
    assert done.returncode == 0, done.stderr
    assert "leads              1         2         3         0" in done.stdout
    assert funnel(db) == {"customer": 1, "inquiry": 1, "mql": 2, "sql": 2}
    # Time in stage works across imports: the move is in the history at the import's as-of.
    moved = standup(
        "query", str(db),
        "SELECT from_stage, to_stage, moved_at FROM stage_history JOIN leads USING (lead_id) "
        "WHERE external_id = '101' ORDER BY moved_at", "--format", "csv",
    )  # fmt: skip
    assert moved.stdout.splitlines()[1:] == [
        ',"inquiry",2026-09-01 10:15:00.000000',
        '"inquiry","mql",2026-09-03 08:00:00.000000',
        '"mql","sql",2026-11-25 12:00:00.000000',
    ]


def test_invalid_rows_exit_1_and_write_nothing(db: Path, tmp_path: Path) -> None:
    contacts = FIXTURES / "hubspot_contacts.csv"
    report = tmp_path / "invalid.csv"
    done = standup(
        "import", str(db), str(contacts), "--mapping", "hubspot", "--report", str(report),
        "--show", "3",
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "standup: nothing written: fix the rows above or use --skip-invalid"
    )
    listed = done.stdout.split("6 invalid rows:\n", 1)[1].splitlines()
    assert listed == [
        f"  {contacts}:7: Contact owner 'Nobody Known': unknown owner"
        " (import with --create-owners to add it)",
        f"  {contacts}:8: Lifecycle Stage 'Evangelist Plus': unknown stage",
        f"  {contacts}:9: Create Date '31/12/2026': bad date"
        ' (add "%d/%m/%Y" to date_formats to read it)',
        f"  ... and more (all in {report})",
    ]
    assert len(report.read_text(encoding="utf-8").splitlines()) == 8
    assert funnel(db) == {}


def test_dry_run_writes_nothing(db: Path) -> None:
    contacts = FIXTURES / "hubspot_contacts.csv"
    done = standup("import", str(db), str(contacts), "--mapping", "hubspot", "--dry-run")
    # the file has invalid rows: a dry run says so in its exit code too (issue 12)
    assert done.returncode == 1, done.stderr
    assert "leads              5         0         0         6" in done.stdout
    assert done.stdout.rstrip().endswith("Dry run: nothing written.")
    assert funnel(db) == {}


def test_bad_mapping_and_missing_file_are_one_line_errors(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[leads]\ncolumns = { external_id = "id", stage = "S", sore = "x" }\n')
    done = standup("import", str(db), str(FIXTURES / "leads_own.csv"), "--mapping", str(bad))
    assert done.returncode == 1
    assert done.stderr.startswith(f"standup: mapping {bad}: leads.columns.sore: not a standup")
    assert len(done.stderr.strip().splitlines()) == 1
    done = standup("import", str(db), str(tmp_path / "missing.csv"))
    assert done.returncode == 1
    assert done.stderr.strip() == f"standup: {tmp_path / 'missing.csv'}: no such file"


HOLD = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
conn.execute("SELECT count(*) FROM leads").fetchall()
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
conn.close()
"""


def hold(db: Path, mode: str, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the file (as the app's refresh or a second copy would)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), mode, str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


@pytest.mark.parametrize("mode", ["ro", "rw"])
def test_import_waits_for_a_brief_lock(db: Path, mode: str) -> None:
    holder = hold(db, mode, 1.5)
    started = time.monotonic()
    try:
        done = standup(
            "import", str(db), str(FIXTURES / "hubspot_contacts_v2.csv"), "--mapping", "hubspot"
        )
    finally:
        holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 1.0
    assert funnel(db) == {"customer": 1, "inquiry": 1, "mql": 2, "sql": 2}


def test_import_gives_up_on_a_long_lock_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("lock_timeout_seconds = 0.5\n")
    holder = hold(db, "rw", 4)
    try:
        done = standup(
            "import", str(db), str(FIXTURES / "hubspot_contacts_v2.csv"), "--mapping", "hubspot",
            "--config", str(config),
        )  # fmt: skip
    finally:
        holder.wait(timeout=30)
    assert done.returncode == 1
    assert "locked by another process" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert funnel(db) == {}


def test_first_import_creates_the_database_and_the_owners(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.duckdb"
    contacts = FIXTURES / "hubspot_contacts.csv"
    # Other rows of the file are invalid: nothing is kept, the database is not left behind.
    done = standup("import", str(fresh), str(contacts), "--mapping", "hubspot")
    assert done.returncode == 1
    assert not fresh.exists()
    # A first import (no people yet) creates the owners it names, and says so.
    done = standup("import", str(fresh), str(contacts), "--mapping", "hubspot", "--skip-invalid")
    assert done.returncode == 0, done.stderr
    assert f"Created {fresh}." in done.stderr
    assert "people             4         0         0         0" in done.stdout
    assert "people: 4 owners created from the owner columns" in done.stdout
    people = standup(
        "query", str(fresh), "SELECT name, team FROM people ORDER BY name", "--format", "csv"
    )
    # Owners of rejected rows only (Tom Rourke, Aisha Khan) are not created.
    assert people.stdout.splitlines()[1:] == [
        '"Dana Brooks","sales"',
        '"Marcus Webb","sales"',
        '"Nobody Known","sales"',
        '"Sofia Alvarez","sales"',
    ]
    assert funnel(fresh) == {"customer": 1, "inquiry": 2, "mql": 2, "sql": 1}
    # Later imports refuse unknown owners, and the message names the way out.
    other = tmp_path / "other.csv"
    other.write_text(
        contacts.read_text(encoding="utf-8").replace("Dana Brooks", "Pat Newcomer"),
        encoding="utf-8",
    )
    done = standup("import", str(fresh), str(other), "--mapping", "hubspot")
    assert done.returncode == 1
    assert "'Pat Newcomer': unknown owner (import with --create-owners to add it)" in done.stdout
