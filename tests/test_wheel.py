"""The built wheel works outside the repository, in a fresh virtualenv."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True, timeout=600,
    )  # fmt: skip
    wheel = next(dist.glob("standup-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True, timeout=900,
    )  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["STANDUP_AS_OF"] = "2026-11-23"
    helped = subprocess.run(
        [str(bin_dir / "standup"), "--help"], cwd=work, env=env, capture_output=True, text=True
    )
    assert helped.returncode == 0 and "demo" in helped.stdout
    made = subprocess.run(
        [str(bin_dir / "standup"), "demo", "--no-open", "--leads", "500"],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    counted = subprocess.run(
        [str(bin_dir / "standup"), "query", "standup.duckdb", "select count(*) from leads",
         "--format", "csv"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert counted.stdout.splitlines()[1] == "500"
    # The app itself imports from the installed wheel (screens and queries are packaged).
    code = "import screens.app, queries; print(len(queries.load('demo/03_leads')))"
    imported = subprocess.run(
        [str(bin_dir / "python"), "-c", code],
        cwd=work, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
