"""The benchmark harness runs end to end at a tiny size and produces every row."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.run import NOT_BUILT, PRECOMPUTED, Bench, Options, run_bench

SIZE = 2000


@pytest.mark.slow
def test_bench_runs_and_reports_every_row(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    bench = run_bench(
        Options(
            sizes=[SIZE],
            runs=1,
            warmup=0,
            workdir=tmp_path / "work",
            out=out,
            harlequin="skip",  # installing it is `make bench`'s job, not the test suite's
            triage_actions=3,
            idle_seconds=1.0,
            follow_keys=10,
            log=lambda line: None,
        )
    )
    report = out.read_text(encoding="utf-8")
    assert "cores" in report and "| Measure | 2k leads |" in report
    expected = {"demo", "cold", "refresh", "stall", "triage_core", "idle_rss", "sqlite:pipeline",
                "follow"}  # fmt: skip
    assert expected <= set(bench.rows)
    # the disputes panel still runs on SQLite; the others read stored facts (goal and
    # RevOps too, fact_days), so there is no like-for-like statement to compare
    assert bench.rows["sqlite:disputes"].cells[SIZE].value
    assert bench.rows["sqlite:goal"].cells[SIZE].text == PRECOMPUTED
    measureless = (NOT_BUILT, PRECOMPUTED)
    for key, row in bench.rows.items():
        assert SIZE in row.cells, f"row {key} has no value"
        cell = row.cells[SIZE]
        assert row.label in report
        assert not cell.text.startswith("error"), f"{key}: {cell.text}"
        if key != "cmp:harlequin" and key != "ratio:cold" and cell.text not in measureless:
            assert cell.value is not None and cell.value > 0, f"{key}: {cell.text}"
    assert not [note for note in bench.notes if "drifted" in note]  # same answers on SQLite
    assert bench.rows["cmp:harlequin"].cells[SIZE].text == "n/a (Harlequin skipped)"


def test_verdict_judges_at_one_million() -> None:
    bench = Bench(Options(sizes=[1_000_000, 10_000_000], out=None, log=lambda line: None))
    bench.put("refresh", 1_000_000, 0.050, "50 ms")
    bench.put("refresh", 10_000_000, 0.400, "400 ms")
    assert bench.verdict(bench.rows["refresh"]) == "1M: ✅ met; 10M: ❌ missed"
    bench.put("stall", 1_000_000, None, NOT_BUILT)
    assert bench.verdict(bench.rows["stall"]) == "1M: —"


def _hold_memory(mib: int) -> bytearray:
    """Touch ``mib`` MiB in this (the parent) process, so it is resident."""
    block = bytearray(mib * 1024 * 1024)
    for index in range(0, len(block), 4096):
        block[index] = 1
    return block


def test_child_peak_rss_is_its_own_not_the_parents() -> None:
    """A big benchmark driver must not inflate its children's peak RSS: Linux hands the
    parent's RSS to a child's ``ru_maxrss`` across fork + exec (the SQL prompt once
    "measured" 1084 MiB that way while using ~270)."""
    import subprocess
    import sys

    from tests.bench.pty_run import run_in_pty

    held = _hold_memory(400)
    try:
        code = "from tests.bench.sql_bench import peak_rss_mib; print(peak_rss_mib())"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert float(done.stdout.strip()) < 250, done.stdout
        in_pty = run_in_pty([sys.executable, "-c", "import time; time.sleep(0.3)"], timeout=30)
        assert in_pty.exit_code == 0
        assert in_pty.max_rss_kib < 250 * 1024, in_pty.max_rss_kib
    finally:
        del held


def test_drawn_is_the_last_output_before_leaving_the_alternate_screen() -> None:
    """A full-screen program's exit (here a 0.4 s pause before it restores the terminal)
    is not time to the screen: ``drawn`` stops at its final frame."""
    import sys

    from tests.bench.pty_run import run_in_pty

    code = (
        "import sys, time; w = sys.stdout.write; w('\\x1b[?1049h'); time.sleep(0.1); "
        "w('final frame'); sys.stdout.flush(); time.sleep(0.4); w('\\x1b[?1049l'); "
        "sys.stdout.flush()"
    )
    run = run_in_pty([sys.executable, "-c", code], timeout=30)
    assert run.exit_code == 0 and "final frame" in run.text
    assert run.drawn is not None
    assert 0.1 <= run.drawn <= run.seconds - 0.3, (run.drawn, run.seconds)
    plain = run_in_pty([sys.executable, "-c", "print('no alternate screen')"], timeout=30)
    assert plain.drawn is None
