"""The command line through its real entry point, in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {**os.environ, "STANDUP_AS_OF": "2026-11-23T09:00"}


def standup(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "standup.cli", *args],
        capture_output=True, text=True, env=ENV, cwd=cwd, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "x.duckdb"
    done = standup("demo", "--no-open", "--leads", "3000", str(path))
    assert done.returncode == 0, done.stderr
    return path


def test_help_and_version() -> None:
    assert "standup demo" in standup("--help").stdout
    assert standup("--version").stdout.strip().endswith("0.1.0")


def test_demo_then_query_counts_leads(demo_db: Path) -> None:
    done = standup("query", str(demo_db), "select count(*) as n from leads", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"n": 3000}


def test_query_formats(demo_db: Path) -> None:
    sql = "select stage, count(*) as n from leads group by 1 order by 1"
    csv = standup("query", str(demo_db), sql, "--format", "csv").stdout.splitlines()
    assert csv[0] == '"stage","n"' and len(csv) == 9
    table = standup("query", str(demo_db), sql).stdout
    assert "opportunity" in table and "stage" in table


def test_query_limit_says_how_many_in_all(demo_db: Path) -> None:
    out = standup("query", str(demo_db), "select * from leads", "--limit", "5").stdout
    assert "first 5 of 3,000 rows" in out


def test_piped_query_table_keeps_each_row_on_one_line(demo_db: Path) -> None:
    # Not a terminal: no 80-column folding, every row whole on its own line.
    sql = "select lead_id, company, contact_name, email, stage, created_at, mql_at from leads"
    out = standup("query", str(demo_db), sql, "--limit", "4").stdout.splitlines()
    header, rows = out[0], out[2:6]
    assert all(name in header for name in ("lead_id", "contact_name", "email", "mql_at"))
    assert len(rows) == 4 and all("@" in row for row in rows)
    assert max(len(line) for line in out) > 120


def test_demo_leaves_a_checkpointed_file(tmp_path: Path) -> None:
    # Everything is folded into the file itself: copying it alone copies all of it.
    path = tmp_path / "fresh.duckdb"
    done = standup("demo", "--no-open", "--leads", "500", str(path))
    assert done.returncode == 0, done.stderr
    wal = Path(f"{path}.wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(path.read_bytes())
    done = standup("query", str(copy), "select count(*) as n from leads", "--format", "json")
    assert json.loads(done.stdout) == {"n": 500}


def test_demo_refuses_to_overwrite(demo_db: Path) -> None:
    done = standup("demo", "--no-open", str(demo_db))
    assert done.returncode == 1
    assert "already exists" in done.stderr and "--force" in done.stderr


def _assert_one_line_error(done: subprocess.CompletedProcess[str], text: str) -> None:
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert text in lines[0]


def test_query_on_a_text_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    _assert_one_line_error(standup("query", str(notes), "select 1"), "not a DuckDB database file")
    assert notes.read_text() == "not a database\n"


def test_query_on_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    _assert_one_line_error(standup("query", str(missing), "select 1"), "no such database")
    assert not missing.exists()


def test_bad_sql_and_writes(demo_db: Path) -> None:
    before = demo_db.read_bytes()
    _assert_one_line_error(standup("query", str(demo_db), "selec 1"), "syntax error")
    _assert_one_line_error(standup("query", str(demo_db), "drop table leads"), "read-only")
    assert demo_db.read_bytes() == before


def test_bad_as_of_and_bad_config(demo_db: Path, tmp_path: Path) -> None:
    _assert_one_line_error(
        standup("query", str(demo_db), "select 1", "--as-of", "someday"), "not a date"
    )
    bad = tmp_path / "c.toml"
    bad.write_text("[sla]\nno_touch_days = -1\n")
    _assert_one_line_error(
        standup("query", str(demo_db), "select 1", "--config", str(bad)), "sla.no_touch_days"
    )


def test_locked_file_is_a_one_line_error(demo_db: Path, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,time; c=duckdb.connect({str(demo_db)!r}); print('ok', flush=True); "
         "time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        config = tmp_path / "fast.toml"
        config.write_text("lock_timeout_seconds = 0.3\n")
        done = standup("query", str(demo_db), "select 1", "--config", str(config))
        _assert_one_line_error(done, "locked by another process")
    finally:
        holder.kill()
        holder.wait()
