"""`standup query` shares the SQL prompt's engine and read-only rule; --allow-writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from standup.store import Store

ENV = {**os.environ, "STANDUP_AS_OF": "2026-11-23T09:00"}


def standup(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "standup.cli", *args],
        capture_output=True,
        text=True,
        env=env or ENV,
        timeout=120,
    )


def test_writes_are_refused_in_one_line_with_the_way_out(empty_store: Store) -> None:
    done = standup("query", str(empty_store.path), "create table notes (n int)")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "refused" in lines[0] and "--allow-writes" in lines[0]


def test_allow_writes_flag_and_setting(empty_store: Store, tmp_path: Path) -> None:
    db = str(empty_store.path)
    assert standup("query", db, "create table a (n int)", "--allow-writes").returncode == 0
    config = tmp_path / "config.toml"
    config.write_text("sql_allow_writes = true\n")
    done = standup("query", db, "insert into a values (7)", "--config", str(config))
    assert done.returncode == 0, done.stderr
    out = standup("query", db, "select n from a", "--format", "csv").stdout
    assert out.split() == ['"n"', "7"]


def test_no_external_access_setting(empty_store: Store, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    config = tmp_path / "config.toml"
    config.write_text("sql_external_access = false\n")
    sql = f"select * from read_csv('{outside}')"
    assert standup("query", str(empty_store.path), sql).returncode == 0
    done = standup("query", str(empty_store.path), sql, "--config", str(config))
    assert done.returncode == 1
    assert "disabled" in done.stderr


def test_open_and_demo_take_allow_writes() -> None:
    assert "--allow-writes" in standup("open", "--help").stdout
    assert "--allow-writes" in standup("demo", "--help").stdout
