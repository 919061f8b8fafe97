"""``make bench``: how standup feels under real data, measured the same way every time.

Builds demo databases (100k and 1M leads by default, 10M with ``--big``), measures each
number as the median of ``--runs`` runs after ``--warmup`` unmeasured ones, prints a
Markdown table and writes it to ``BENCHMARKS.md`` with the core count and the date.

Side by side, in the same run: the dashboard's panel queries on SQLite (stdlib sqlite3,
sensible indexes, built from the same data) and Harlequin's cold start on the same
DuckDB file. Absolute times on a shared machine drift; the ratios are what to compare.

Every row is always printed: a feature that is not built (or a peer that could not be
installed) says so instead of showing a number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.bench import bench_team, sqlite_baseline
from tests.bench.pty_run import run_in_pty

AS_OF = datetime(2026, 11, 23, 9, 0)
DEFAULT_SIZES = (100_000, 1_000_000)
BIG = 10_000_000
ROOT = Path(__file__).resolve().parents[2]

NOT_BUILT = "n/a (not built)"
# Panels that read the stored dashboard facts (migration 009) have no like-for-like SQLite
# statement: the facts are state DuckDB keeps, not a query SQLite could run the same way.
PRECOMPUTED = "n/a (reads stored facts)"


# -- results ---------------------------------------------------------------------------


@dataclass
class Cell:
    """One measured number (``value`` in the row's unit, for judging) and its text."""

    value: float | None
    text: str


@dataclass
class Row:
    """One line of the table: a measure at every size, and the goal it is judged by."""

    key: str
    label: str
    goal: float | None = None  # at 1M leads (value must be <= goal)
    goal_text: str = ""
    goal_big: float | None = None  # at 10M leads, where the issue sets one
    cells: dict[int, Cell] = field(default_factory=dict)


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def _num(n: float) -> str:
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return f"{n:.3g}"


def median_time(fn: Callable[[], object], runs: int, warmup: int) -> float:
    """Median wall seconds of ``fn`` over ``runs`` runs, after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cpu_seconds() -> float:
    """CPU time of this process so far, every thread (DuckDB's too)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_with_cpu(fn: Callable[[], object], runs: int, warmup: int) -> tuple[float, float]:
    """(median wall seconds, mean CPU seconds per run): CPU is what a loaded shared
    machine does not inflate."""
    before = cpu_seconds()
    wall = median_time(fn, runs, warmup)
    return wall, (cpu_seconds() - before) / (max(runs, 1) + warmup)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- the run ---------------------------------------------------------------------------


@dataclass
class Options:
    """What to run, and where."""

    sizes: list[int]
    runs: int = 5
    warmup: int = 1
    heavy_runs: int = 1  # demo generation and CSV import (seconds each at 1M)
    workdir: Path = ROOT / ".bench"
    out: Path | None = ROOT / "BENCHMARKS.md"
    harlequin: str = "auto"  # auto (install into workdir) / skip / path to the binary
    reuse: bool = False  # reuse demo files already in workdir (skips demo timing)
    triage_actions: int = 40
    idle_seconds: float = 10.0
    follow_followers: int = 20  # `standup serve --follow`: browser tabs watching
    follow_keys: int = 40  # keystrokes the driver types
    log: Callable[[str], None] = print


class Bench:
    """Runs every measurement and collects the rows."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.rows: dict[str, Row] = {}
        self.notes: list[str] = []
        self._define_rows()

    # -- row definitions -------------------------------------------------------------

    def _row(self, key: str, label: str, goal: float | None = None, goal_text: str = "",
             goal_big: float | None = None) -> None:  # fmt: skip
        self.rows[key] = Row(key, label, goal, goal_text, goal_big)

    def _define_rows(self) -> None:
        self._row("demo", "Demo generation (whole file, `standup.demo.generate`)")
        self._row("import", "CSV import, HubSpot export → leads (`standup import`, whole process)",
                  10.0, "≤ 10 s for 1M rows")  # fmt: skip
        self._row("cold", "Cold start → whole dashboard on screen with data (pty, whole process)",
                  0.8, "≤ 0.8 s")  # fmt: skip
        self._row("cold_drawn", "… until that frame was complete (pty, before the app's exit)",
                  0.8, "≤ 0.8 s")  # fmt: skip
        self._row("imports", "… of which Python imports (`import screens.app`, fresh process)")
        for name in self.panel_names():
            self._row(f"panel:{name}", f"Panel query: {name}", 0.060, "≤ 60 ms", 0.300)
        self._row("refresh", "Full refresh: every panel, one read-only connection", 0.060,
                  "≤ 60 ms", 0.300)  # fmt: skip
        self._row("facts_check", "Stored facts still true? Nothing written since the last check "
                  "(file position: stat + header)")  # fmt: skip
        self._row("facts_scan", "… after a write by anyone (fingerprint of leads, deals, "
                  "disputes: `facts/in_step.sql`)")  # fmt: skip
        self._row("refresh_moved", "Full refresh right after another process wrote (the "
                  "fingerprint scan + every panel)", 0.060, "≤ 60 ms", 0.300)  # fmt: skip
        self._row("stall", "Longest UI-thread stall during a full refresh", 0.016, "≤ 16 ms")
        self._row("triage_core", "Triage action: commit + refreshed row (core) p50 / p95",
                  0.030, "p95 ≤ 30 ms")  # fmt: skip
        self._row("triage_unit", "… the whole unit of work, the dashboard facts that follow "
                  "the commit included")  # fmt: skip
        self._row("uow", "… of which per unit of work: attach + detach the file (read / write)")
        self._row("triage_pending", "Triage key press → row shown pending, ⧗ (app) p50 / p95",
                  0.016, "p95 ≤ 16 ms")  # fmt: skip
        self._row("triage_committed", "Triage key press → committed, DecisionApplied (app) "
                  "p50 / p95", 0.050, "p95 ≤ 50 ms")  # fmt: skip
        self._row("triage_first", "… the session's first decision, committed (the file "
                  "attached read-write anew: after a pause past the write hold)")  # fmt: skip
        self._row("triage_app", "Triage key press → committed and rendered (app) p50 / p95",
                  0.030, "p95 ≤ 30 ms")  # fmt: skip
        self._row("sql_first", "SQL prompt: `SELECT * FROM leads` → first rows drawn", 0.100,
                  "≤ 100 ms")  # fmt: skip
        self._row("sql_rss", "SQL prompt: peak RSS with that result open")
        self._row("idle_rss", "Peak RSS, dashboard open and idle (refreshing)", 200.0,
                  "≤ 200 MiB")  # fmt: skip
        self._row("follow", f"`serve --follow`: driver key → {self.opts.follow_followers} "
                  "followers p50 / p95 (fan-out p95; server CPU per follower per key)",
                  0.150, "p95 ≤ 150 ms")  # fmt: skip
        self._row("cmp:harlequin", "Harlequin cold start → catalog on screen (pty)")
        self._row("ratio:cold", "Cold start ratio: Harlequin ÷ standup")
        for name in self.panel_names():
            self._row(f"sqlite:{name}", f"SQLite ÷ DuckDB, panel {name} (query + fetch)")
        bench_team.define_rows(self)

    @staticmethod
    def panel_names() -> list[str]:
        """The dashboard's panels (none before the dashboard exists)."""
        try:
            from standup import panels
        except ImportError:
            return []
        return list(panels.PANELS)

    def put(self, key: str, size: int, value: float | None, text: str) -> None:
        """Record one cell."""
        self.rows[key].cells[size] = Cell(value, text)

    def fail(self, key: str, size: int, exc: BaseException) -> None:
        """A measurement that broke: the row says so (and the run goes on)."""
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
        self.put(key, size, None, f"error: {message}")
        self.opts.log(f"  ! {key} at {_num(size)}: {message}")

    @contextmanager
    def guard(self, key: str, size: int) -> Iterator[None]:
        """Run a measurement; an exception becomes the row's text."""
        try:
            yield
        except Exception as exc:
            self.fail(key, size, exc)

    # -- helpers ---------------------------------------------------------------------

    def standup_argv(self, *args: str) -> list[str]:
        """The installed ``standup`` script next to this interpreter (as a user runs it)."""
        script = Path(sys.executable).with_name("standup")
        base = [str(script)] if script.exists() else [sys.executable, "-m", "standup.cli"]
        return [*base, *args]

    def child_env(self) -> dict[str, str]:
        """Environment for child processes: private history/config dirs."""
        env = dict(os.environ)
        env["XDG_DATA_HOME"] = str(self.opts.workdir / "xdg-data")
        env["XDG_CONFIG_HOME"] = str(self.opts.workdir / "xdg-config")
        env.pop("STANDUP_CONFIG", None)
        return env

    def demo_path(self, size: int) -> Path:
        return self.opts.workdir / f"demo-{size}.duckdb"

    # -- measurements ----------------------------------------------------------------

    def run(self) -> None:
        """Every measurement at every size."""
        self.opts.workdir.mkdir(parents=True, exist_ok=True)
        harlequin = self.find_harlequin()
        if harlequin is not None:
            self.notes.append(
                f"Harlequin {self.harlequin_version(harlequin)} from PyPI, in its own venv "
                "(its exact Textual pins would change standup's), with DuckDB pinned to "
                "standup's 1.5.x; opened `--read-only` on the same file."
            )
        for size in self.opts.sizes:
            self.opts.log(f"== {_num(size)} leads")
            db = self.build_demo(size)
            if db is None:
                continue
            self.measure_import(size)
            self.measure_cold_start(size, db)
            self.measure_harlequin(size, db, harlequin)
            self.measure_panels(size, db)
            self.measure_facts_check(size, db)
            self.measure_probe("stall", size, db)
            self.measure_triage_core(size, db)
            self.measure_unit_of_work(size, db)
            self.measure_probe("triage", size, db)
            self.measure_probe("sql", size, db)
            self.measure_idle_rss(size, db)
            self.measure_follow(size, db)
            bench_team.measure(self, size, db)
        bench_team.stop()

    def build_demo(self, size: int) -> Path | None:
        from standup.demo import generate

        path = self.demo_path(size)
        if self.opts.reuse and path.exists():
            self.put("demo", size, None, "reused file (not timed)")
            return path
        self.opts.log(f"  demo generation ({_num(size)} leads)")
        times = []
        try:
            for _ in range(max(self.opts.heavy_runs, 1)):
                started = time.perf_counter()
                generate(path, now=AS_OF, leads=size, seed=42, force=True)
                times.append(time.perf_counter() - started)
        except Exception as exc:
            self.fail("demo", size, exc)
            return None
        seconds = statistics.median(times)
        self.put("demo", size, seconds, f"{seconds:.2f} s ({_num(size / seconds)} leads/s)")
        return path

    def measure_import(self, size: int) -> None:
        key = "import"
        try:
            from tests.bench.import_csv import make_leads_csv
        except ImportError:
            self.put(key, size, None, NOT_BUILT)
            return
        from standup.demo import generate

        with self.guard(key, size):
            self.opts.log(f"  CSV import ({_num(size)} rows)")
            csv = self.opts.workdir / f"hubspot-{size}.csv"
            if not csv.exists():
                make_leads_csv(csv, size)
            # The owners and campaign names in the export must exist: a small demo file.
            base = self.opts.workdir / "import-base.duckdb"
            if not base.exists():
                generate(base, now=AS_OF, leads=100, seed=1, force=True)
            target = self.opts.workdir / "import-target.duckdb"
            times = []
            for _ in range(max(self.opts.heavy_runs, 1)):
                fresh_copy(base, target)
                argv = self.standup_argv(
                    "import", str(target), str(csv), "--mapping", "hubspot", "--as-of",
                    AS_OF.isoformat(sep=" "),
                )  # fmt: skip
                started = time.perf_counter()
                done = subprocess.run(argv, capture_output=True, text=True, env=self.child_env())
                times.append(time.perf_counter() - started)
                if done.returncode != 0:
                    raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()[-200:]}")
            remove_db(target)
            seconds = statistics.median(times)
            self.put(key, size, seconds, f"{seconds:.2f} s ({_num(size / seconds)} rows/s)")

    def cold_start(self, db: Path, *extra: str) -> Any:
        argv = self.standup_argv("open", str(db), "--as-of", AS_OF.isoformat(sep=" "), *extra)
        return run_in_pty(argv, env=self.child_env(), cwd=str(self.opts.workdir), timeout=120)

    def measure_cold_start(self, size: int, db: Path) -> None:
        key = "cold"
        with self.guard(key, size):
            self.opts.log("  cold start (pty)")
            runs, drawn = [], []
            for index in range(self.opts.warmup + max(self.opts.runs, 1)):
                result = self.cold_start(db, "--exit-after-first-refresh")
                if result.exit_code != 0:
                    raise RuntimeError(f"exit {result.exit_code}: {result.text[-200:]!r}")
                if index >= self.opts.warmup:
                    runs.append(result.seconds)
                    if result.drawn is not None:
                        drawn.append(result.drawn)
            seconds = statistics.median(runs)
            self.put(key, size, seconds, _ms(seconds))
            if drawn:
                seconds = statistics.median(drawn)
                self.put("cold_drawn", size, seconds, _ms(seconds))
        with self.guard("imports", size):
            argv = [sys.executable, "-c", "import screens.app"]
            seconds = median_time(
                lambda: subprocess.run(argv, check=True, cwd=str(ROOT), env=self.child_env()),
                self.opts.runs,
                self.opts.warmup,
            )
            self.put("imports", size, seconds, _ms(seconds))

    def find_harlequin(self) -> Path | None:
        """Harlequin's executable: given, or installed into its own venv in the workdir.

        Its own venv, not the project's: Harlequin pins exact versions of Textual's
        packages, and installing it beside standup would change standup's own. DuckDB is
        pinned to standup's 1.5.x there too, so both open the file with the same engine.
        """
        choice = self.opts.harlequin
        if choice == "skip":
            self.notes.append("Harlequin skipped (--harlequin skip).")
            return None
        if choice != "auto":
            path = Path(choice)
            return path if path.exists() else None
        venv = self.opts.workdir / "harlequin-venv"
        exe = venv / "bin" / "harlequin"
        if exe.exists():
            return exe
        self.opts.log("  installing Harlequin into its own venv (pip, once)")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                 "harlequin>=2.17,<3", "duckdb>=1.5,<1.6"],
                check=True, capture_output=True, timeout=600,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            self.notes.append(f"Harlequin could not be installed: {exc}")
            return None
        return exe if exe.exists() else None

    def harlequin_version(self, exe: Path) -> str:
        try:
            out = subprocess.run(
                [str(exe.with_name("python")), "-c",
                 "import importlib.metadata as m; print(m.version('harlequin'))"],
                capture_output=True, text=True, timeout=30,
            )  # fmt: skip
            return out.stdout.strip()
        except (subprocess.SubprocessError, OSError):
            return "?"

    def measure_harlequin(self, size: int, db: Path, exe: Path | None) -> None:
        key = "cmp:harlequin"
        if exe is None:
            reason = "skipped" if self.opts.harlequin == "skip" else "not installed"
            self.put(key, size, None, f"n/a (Harlequin {reason})")
            self.put("ratio:cold", size, None, "n/a")
            return
        with self.guard(key, size):
            self.opts.log("  Harlequin cold start (pty)")
            # Its catalog shows "<file stem> db" once it has read the file's schema.
            marker = re.compile(re.escape(f"{db.stem} db"))
            argv = [str(exe), str(db), "--read-only", "--no-write-history"]
            runs = []
            for index in range(self.opts.warmup + max(self.opts.runs, 1)):
                result = run_in_pty(
                    argv, env=self.child_env(), cwd=str(self.opts.workdir), timeout=120,
                    marker=marker,
                )  # fmt: skip
                if index >= self.opts.warmup:
                    runs.append(result.seconds)
            seconds = statistics.median(runs)
            self.put(key, size, seconds, _ms(seconds))
            ours = self.rows["cold"].cells.get(size)
            if ours is not None and ours.value:
                ratio = seconds / ours.value
                self.put("ratio:cold", size, ratio, f"{ratio:.2f}×")
            else:
                self.put("ratio:cold", size, None, "n/a (no standup cold start)")

    def measure_panels(self, size: int, db: Path) -> None:
        names = self.panel_names()
        if not names:
            return
        from standup import panels
        from standup.config import Config
        from standup.store import Store

        self.opts.log("  panel queries (DuckDB, then SQLite)")
        store = Store.open(db)
        config = Config()
        calls: dict[str, list[sqlite_baseline.Call]] = {}
        duck_raw: dict[str, float] = {}
        duck_rows: dict[str, int] = {}
        with store.reading() as conn:
            for name in names:
                fn = panels.PANELS[name]
                with self.guard(f"panel:{name}", size):
                    seconds, cpu = timed_with_cpu(
                        lambda fn=fn: fn(conn, AS_OF, config), self.opts.runs, self.opts.warmup
                    )
                    self.put(f"panel:{name}", size, seconds, f"{_ms(seconds)} (CPU {_ms(cpu)})")
                    calls[name] = sqlite_baseline.record_calls(fn, conn, AS_OF, config)
                    duck_rows[name] = sqlite_baseline.run_duckdb(conn, calls[name])
                    duck_raw[name] = median_time(
                        lambda c=calls[name]: sqlite_baseline.run_duckdb(conn, c),
                        self.opts.runs,
                        self.opts.warmup,
                    )
        with self.guard("refresh", size):
            seconds, cpu = timed_with_cpu(
                lambda: panels.refresh_all(store, AS_OF, config), self.opts.runs, self.opts.warmup
            )
            self.put("refresh", size, seconds, f"{_ms(seconds)} (CPU {_ms(cpu)})")
        lite_path = self.opts.workdir / f"demo-{size}.sqlite"
        try:
            self.opts.log("  exporting to SQLite")
            started = time.perf_counter()
            sqlite_baseline.export(db, lite_path)
            self.notes.append(
                f"SQLite copy of {_num(size)} leads built in {time.perf_counter() - started:.1f} s."
            )
            lite = sqlite_baseline.connect(lite_path)
        except Exception as exc:
            for name in names:
                self.fail(f"sqlite:{name}", size, exc)
            return
        try:
            for name in names:
                key = f"sqlite:{name}"
                if name not in calls:
                    self.put(key, size, None, "n/a (DuckDB side failed)")
                    continue
                if any(sqlite_baseline.reads_stored_facts(n) for n, _ in calls[name]):
                    self.put(key, size, None, PRECOMPUTED)
                    continue
                if any(sqlite_baseline.sqlite_sql(n) is None for n, _ in calls[name]):
                    self.put(key, size, None, "n/a (no SQLite translation)")
                    continue
                with self.guard(key, size):
                    seconds = median_time(
                        lambda c=calls[name]: sqlite_baseline.run_sqlite(lite, c),
                        self.opts.runs,
                        self.opts.warmup,
                    )
                    got = sqlite_baseline.run_sqlite(lite, calls[name])
                    if got != duck_rows[name]:
                        self.notes.append(
                            f"SQLite answered panel {name} with {got} rows, DuckDB with "
                            f"{duck_rows[name]} ({_num(size)} leads): the translation drifted."
                        )
                    ratio = seconds / duck_raw[name]
                    text = f"{ratio:.1f}× ({_ms(seconds)} vs {_ms(duck_raw[name])})"
                    self.put(key, size, ratio, text)
        finally:
            lite.close()
            lite_path.unlink(missing_ok=True)

    def measure_facts_check(self, size: int, db: Path) -> None:
        """What it costs to know the stored dashboard facts still describe the tables
        (issue 13): the position check every refresh pays, the fingerprint scan a refresh
        pays once after any write it did not make itself, and such a whole refresh."""
        from standup import facts, panels
        from standup.config import Config
        from standup.store import Store

        self.opts.log("  facts check (position, fingerprint)")
        store = Store.open(db)
        config = Config()
        with store.reading() as conn:
            with self.guard("facts_check", size):
                facts.usable(conn, config)
                seconds, cpu = timed_with_cpu(
                    lambda: facts.usable(conn, config), self.opts.runs, self.opts.warmup
                )
                self.put("facts_check", size, seconds, f"{_ms(seconds)} (CPU {_ms(cpu)})")
            with self.guard("facts_scan", size):
                seconds, cpu = timed_with_cpu(
                    lambda: facts.in_step(conn), self.opts.runs, self.opts.warmup
                )
                self.put("facts_scan", size, seconds, f"{_ms(seconds)} (CPU {_ms(cpu)})")

        def moved() -> None:
            facts.forget_checks()  # as if another process had written
            board = panels.refresh_all(store, AS_OF, config)
            if not board.stalled.stored:
                raise RuntimeError("the stored facts were not in step")

        with self.guard("refresh_moved", size):
            seconds, cpu = timed_with_cpu(moved, self.opts.runs, self.opts.warmup)
            self.put("refresh_moved", size, seconds, f"{_ms(seconds)} (CPU {_ms(cpu)})")

    def probe(self, kind: str, db: Path, runs: int) -> dict[str, Any]:
        argv = [sys.executable, "-m", "tests.bench.probe", kind, str(db),
                "--as-of", AS_OF.isoformat(sep=" "), "--runs", str(runs)]  # fmt: skip
        done = subprocess.run(
            argv, capture_output=True, text=True, env=self.child_env(), cwd=str(ROOT),
            timeout=900,
        )  # fmt: skip
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if not lines:
            # The exception's own line, not the traceback's tail.
            last = [line for line in done.stderr.splitlines() if line.strip()][-1:] or [""]
            raise RuntimeError(f"probe {kind}: exit {done.returncode}: {last[0][-200:]}")
        result: dict[str, Any] = json.loads(lines[-1])
        if "error" in result:
            raise RuntimeError(result["error"])
        return result

    def measure_probe(self, kind: str, size: int, db: Path) -> None:
        if kind == "stall":
            if not self.panel_names():
                self.put("stall", size, None, NOT_BUILT)
                return
            with self.guard("stall", size):
                self.opts.log("  UI stall during refresh (app)")
                got = self.probe("stall", db, self.opts.runs)
                ms = got["max_stall_ms"]
                self.put("stall", size, ms / 1000, f"{ms:.1f} ms (worst {got['worst_ms']:.0f})")
        elif kind == "triage":
            self.measure_triage_app(size, db)
        elif kind == "sql":
            if not _has_module("standup.adhoc") or not _has_attr("screens.sql_prompt", "SqlScreen"):
                self.put("sql_first", size, None, NOT_BUILT)
                self.put("sql_rss", size, None, NOT_BUILT)
                return
            try:
                self.opts.log("  SQL prompt first rows (app)")
                got = self.sql_probe(db)
            except Exception as exc:
                self.fail("sql_first", size, exc)
                self.fail("sql_rss", size, exc)
                return
            ms = got["first_rows_ms"]
            detail = got.get("detail", "")
            self.put(
                "sql_first", size, ms / 1000, f"{ms:.0f} ms ({_num(got['rows'])} rows{detail})"
            )
            self.put("sql_rss", size, got["peak_rss_mib"], f"{got['peak_rss_mib']:.0f} MiB")

    def measure_triage_app(self, size: int, db: Path) -> None:
        """Decisions through the real screen (``tests.bench.bench_triage_screen``)."""
        keys = {"triage_pending": "pending_shown_ms", "triage_committed": "committed_ms",
                "triage_app": "shown_ms"}  # fmt: skip
        if not _has_module("standup.triage"):
            for key in keys:
                self.put(key, size, None, NOT_BUILT)
            return
        self.opts.log("  triage keys (app)")
        copy = fresh_copy(db, self.opts.workdir / "triage-app.duckdb")
        try:
            # enough decisions that p95 is not simply the slowest one (the first, cold)
            got = self.probe("triage", copy, max(self.opts.triage_actions, 1))
        except Exception as exc:
            for key in keys:
                self.fail(key, size, exc)
            return
        finally:
            remove_db(copy)
        for key, measured in keys.items():
            p50, p95 = got[measured]["p50"], got[measured]["p95"]
            self.put(key, size, p95 / 1000, f"{p50:.0f} / {p95:.0f} ms")
        first = got.get("first_committed_ms")
        if first is not None:
            self.put("triage_first", size, first / 1000, f"{first:.0f} ms")

    def sql_probe(self, db: Path) -> dict[str, Any]:
        """The SQL prompt's own benchmark (``tests.bench.sql_bench``, one fresh process per
        run) when it exists, else this package's probe."""
        if not _has_module("tests.bench.sql_bench"):
            return self.probe("sql", db, self.opts.runs)
        runs: list[dict[str, Any]] = []
        for index in range(self.opts.warmup + max(self.opts.runs, 1)):
            argv = [sys.executable, "-m", "tests.bench.sql_bench", str(db), "SELECT * FROM leads"]
            done = subprocess.run(
                argv, capture_output=True, text=True, env=self.child_env(), cwd=str(ROOT),
                timeout=900,
            )  # fmt: skip
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if not lines:
                raise RuntimeError(f"sql_bench: exit {done.returncode}: {done.stderr[-300:]}")
            if index >= self.opts.warmup:
                runs.append(json.loads(lines[-1]))

        def med(key: str) -> float:
            return statistics.median(float(r[key]) for r in runs)

        query, draw = med("query_ms"), med("first_rows_ms")
        return {
            "first_rows_ms": query + draw,
            "rows": runs[0]["total_rows"],
            "peak_rss_mib": med("peak_rss_mib"),
            "detail": f"; query {query:.0f} + draw {draw:.0f}, "
            f"UI CPU {med('first_rows_ui_cpu_ms'):.0f} ms",
        }

    def measure_triage_core(self, size: int, db: Path) -> None:
        key = "triage_core"
        try:
            from standup import triage
        except ImportError:
            self.put(key, size, None, NOT_BUILT)
            return
        from standup import write_hold
        from standup.store import Store

        with self.guard(key, size):
            self.opts.log("  triage actions (core)")
            copy = fresh_copy(db, self.opts.workdir / "triage-core.duckdb")
            try:
                store = Store.open(copy)
                store.write_hold_seconds = 2.0  # as the screen holds it through a burst
                rows = triage.queue(store, AS_OF)
                times: list[float] = []  # until the commit (on_committed), as the screen
                units: list[float] = []  # until triage.apply returns: facts included
                committed: list[float] = []
                actions = ["accept", "note", "escalate", "disqualify", "reassign"]
                count = min(self.opts.triage_actions, len(rows))
                for index, row in enumerate(rows[: count + self.opts.warmup]):
                    action = actions[index % len(actions)]
                    extra: dict[str, Any] = {}
                    if action == "disqualify":
                        extra["reason_code"] = "no_need"
                    elif action == "reassign":
                        extra["owner_id"] = 11 if row.owner_id != 11 else 12
                    elif action == "note":
                        extra["note"] = "bench"
                    elif action == "escalate" and row.status == "escalated":
                        action, extra = "note", {"note": "bench"}
                    target = [triage.Target(row.dispute_id, row.version)]
                    committed.clear()
                    started = time.perf_counter()
                    triage.apply(
                        store, action, target, now=AS_OF, actor="bench",
                        on_committed=lambda _: committed.append(time.perf_counter()), **extra,
                    )  # fmt: skip
                    if index >= self.opts.warmup:
                        units.append(time.perf_counter() - started)
                        times.append(committed[0] - started)
                    if index % 5 == 4:
                        triage.checkpoint(store)  # the screen does this while the room talks
            finally:
                write_hold.release(copy)
                remove_db(copy)
            if not times:
                raise RuntimeError("no open disputes to act on")
            for name, got in ((key, times), ("triage_unit", units)):
                p50, p95 = statistics.median(got), percentile(got, 0.95)
                self.put(name, size, p95, f"{p50 * 1000:.1f} / {p95 * 1000:.1f} ms")

    def measure_unit_of_work(self, size: int, db: Path) -> None:
        """What the store's attach-per-unit-of-work costs on this file, by itself."""
        from standup.store import Store

        with self.guard("uow", size):
            copy = fresh_copy(db, self.opts.workdir / "uow.duckdb")
            try:
                store = Store.open(copy)

                def read() -> None:
                    with store.reading():
                        pass

                def write() -> None:
                    with store.writing():
                        pass

                r = median_time(read, self.opts.runs, self.opts.warmup)
                w = median_time(write, self.opts.runs, self.opts.warmup)
            finally:
                remove_db(copy)
            self.put("uow", size, w, f"{r * 1000:.1f} / {w * 1000:.1f} ms")

    def measure_idle_rss(self, size: int, db: Path) -> None:
        key = "idle_rss"
        with self.guard(key, size):
            self.opts.log(f"  idle RSS ({self.opts.idle_seconds:g} s open)")
            result = self.cold_start(db, "--exit-after", str(self.opts.idle_seconds))
            if result.exit_code != 0:
                raise RuntimeError(f"exit {result.exit_code}: {result.text[-200:]!r}")
            mib = result.max_rss_kib / 1024
            self.put(key, size, mib, f"{mib:.0f} MiB")

    def measure_follow(self, size: int, db: Path) -> None:
        """``tests.bench.bench_follow`` in its own process (a pty, a server, followers)."""
        key = "follow"
        if not _has_module("standup.follow"):
            self.put(key, size, None, NOT_BUILT)
            return
        with self.guard(key, size):
            n = self.opts.follow_followers
            self.opts.log(f"  serve --follow: {n} followers")
            copy = fresh_copy(db, self.opts.workdir / "follow.duckdb")
            argv = [sys.executable, "-m", "tests.bench.bench_follow", str(copy),
                    "--followers", str(n), "--keys", str(self.opts.follow_keys)]  # fmt: skip
            try:
                done = subprocess.run(
                    argv, capture_output=True, text=True, env=self.child_env(),
                    cwd=str(ROOT), timeout=600,
                )  # fmt: skip
            finally:
                remove_db(copy)
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if not lines:
                last = [line for line in done.stderr.splitlines() if line.strip()][-1:] or [""]
                raise RuntimeError(f"bench_follow: exit {done.returncode}: {last[0][-200:]}")
            got = json.loads(lines[-1])
            text = (
                f"{got['follower_p50_ms']:.0f} / {got['follower_p95_ms']:.0f} ms "
                f"(fan-out {got['fan_out_p95_ms']:.1f} ms; "
                f"CPU {got['cpu_per_follower_per_key_ms']:.2f} ms)"
            )
            self.put(key, size, got["follower_p95_ms"] / 1000, text)

    # -- the table -------------------------------------------------------------------

    def verdict(self, row: Row) -> str:
        """Judge the row at 1M leads (and at 10M where the issue sets a goal there)."""
        parts = []
        for size, goal in ((1_000_000, row.goal), (BIG, row.goal_big)):
            cell = row.cells.get(size)
            if goal is None or cell is None:
                continue
            if cell.value is None:
                parts.append(f"{_num(size)}: —")
            else:
                ok = cell.value <= goal
                parts.append(f"{_num(size)}: {'✅ met' if ok else '❌ missed'}")
        return "; ".join(parts) or "—"

    def markdown(self) -> str:
        """The whole report."""
        sizes = self.opts.sizes
        header = "| Measure | " + " | ".join(f"{_num(s)} leads" for s in sizes)
        header += " | Goal (1M leads) | Verdict |"
        rule = "|---|" + "---|" * len(sizes) + "---|---|"

        def table(keys: list[str]) -> list[str]:
            lines = [header, rule]
            for key in keys:
                row = self.rows[key]
                cells = [row.cells[s].text if s in row.cells else "—" for s in sizes]
                goal = row.goal_text + (" (10M: ≤ 300 ms)" if row.goal_big else "")
                lines.append(
                    f"| {row.label} | " + " | ".join(cells) + f" | {goal} | {self.verdict(row)} |"
                )
            return lines

        ours = [k for k in self.rows if not k.startswith(("cmp:", "ratio:", "sqlite:"))]
        peers = [k for k in self.rows if k.startswith(("cmp:", "ratio:", "sqlite:"))]
        import duckdb

        when = datetime.now().strftime("%Y-%m-%d %H:%M")
        cores = os.cpu_count()
        out = [
            "# Benchmarks",
            "",
            f"Measured {when} on {cores} cores ({platform.machine()}, {platform.system()}), "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
            f"SQLite {sqlite_baseline.sqlite3.sqlite_version}. "
            f"Median of {self.opts.runs} runs after {self.opts.warmup} warm-up "
            f"(demo generation and import: median of {self.opts.heavy_runs}). "
            f"Reproduce with `make bench` (`make bench BENCH_ARGS=--big` adds 10M leads).",
            "",
            "## standup",
            "",
            *table(ours),
            "",
            "## Side by side (same run, same data)",
            "",
            "SQLite: the same panel statements translated to SQLite (times as epoch "
            "microseconds, indexes in `tests/bench/sqlite/indexes.sql`), on a copy of the "
            "same data; ratio > 1 means SQLite is slower. Harlequin: launch until its data "
            "catalog shows the file, in the same pty.",
            "",
            *table(peers),
            "",
            "## How it is measured",
            "",
            "- Cold start: `standup open DB --exit-after-first-refresh` in a real "
            "pseudo-terminal (160×45); launch until the process exits after the frame "
            "that shows every panel's first data. Whole process: interpreter, imports, "
            'first queries. OS file cache warm (the warm-up run). "Until that frame was '
            'complete": when the last output before the app left the alternate screen '
            "arrived (the frame the exit code vouches for); the rest is the app's exit "
            "(terminal restore, Textual's input thread, interpreter teardown).",
            "- Panel queries: each dashboard panel function on one open read-only "
            "connection (query + Python models); full refresh: `panels.refresh_all` "
            "(opens its own connection, like a refresh worker). CPU: process CPU time per "
            "run, all threads: on an idle 2-core machine the wall time approaches "
            "CPU / 2 for DuckDB's parallel work.",
            "- UI stall: the app headless (`App.run_test`, every frame rendered) on the "
            "file; a 2 ms asyncio ticker on the UI event loop records its own lateness "
            "while every panel refreshes; the longest delay per refresh, median. The "
            "probe waits with plain sleeps: Pilot's `pause` posts to every widget and "
            "forces a frame each time, work a terminal session does not do.",
            "- Triage core: `triage.apply` (the decision and its audit rows, then the "
            "refreshed queue row) over a mix of accept / note / escalate / disqualify / "
            "reassign on a copy of the file, the attachment held through the burst as the "
            "screen holds it: until the decision commits (its `on_committed`, what a key "
            "waits for), and until the dashboard facts that follow in the same unit of work "
            "are stored. App (`tests.bench.bench_triage_screen`): Pilot "
            "decides in turn `x` (first reason, default fault) and `a` (default fault) on a "
            "copy, 0.6 s apart; from the last enter to the first frame (rendered to "
            "terminal text) whose row shows `⧗ <decision>`, to the writer's "
            "`DecisionApplied`, and to the first frame whose row shows `✓ <stage>`.",
            "- SQL prompt: `python -m tests.bench.sql_bench DB 'SELECT * FROM leads'` (the "
            "prompt's own probe, headless app, fresh process per run): ctrl+j until the "
            "first rows are painted = query (capped Arrow rows ready) + draw; peak RSS of "
            "that process with the result open.",
            "- Idle RSS: `standup open DB --exit-after N` in the pty; the child's peak RSS.",
            "- Peak RSS is the child's own `VmHWM` (`/proc/PID/status`), not `ru_maxrss`, "
            "which Linux inherits from this (large) driver process across fork + exec.",
            "- Import: a HubSpot-style contacts CSV (`tests.bench.import_csv`) into a "
            "small demo file, `standup import ... --mapping hubspot`, whole process.",
            "- Team (`tests/bench/bench_team.py`): a private PostgreSQL on loopback "
            "(Debian's package, fsync off), the same demo file pushed in; full refresh "
            "through the postgres scanner; triage `accept` / `note` / `escalate` through "
            "psycopg (one transaction each, rows locked, versioned update); another "
            "client's `note` commit until this client's listener counts its NOTIFY, and "
            "until a full refresh after it has finished.",
            "- `serve --follow`: `python -m tests.bench.bench_follow DB` — the server on a "
            "pty (140×40) this process types on, N websocket followers of the share link; "
            "the driver types a random word into the SQL prompt and each key's echo is "
            "timed until it reached every follower (p50 / p95 over all followers and "
            "keys; fan-out = follower arrival − driver's terminal arrival). CPU: the "
            "server's CPU with N followers minus with none, per follower per key.",
        ]
        if self.notes:
            out += ["", "## Notes", "", *[f"- {note}" for note in self.notes]]
        return "\n".join(out) + "\n"


def fresh_copy(src: Path, dst: Path) -> Path:
    """Copy a database file, first removing ``dst`` and any WAL left beside it (DuckDB
    would replay a stale WAL into the new copy)."""
    remove_db(dst)
    shutil.copy(src, dst)
    return dst


def remove_db(path: Path) -> None:
    """Delete a database file and its WAL."""
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def _has_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def _has_attr(module: str, attr: str) -> bool:
    import importlib

    try:
        return hasattr(importlib.import_module(module), attr)
    except ImportError:
        return False


def run_bench(opts: Options) -> Bench:
    """Run everything; write the report to ``opts.out`` (if set) and return the bench."""
    bench = Bench(opts)
    bench.run()
    if opts.out is not None:
        opts.out.write_text(bench.markdown(), encoding="utf-8")
    return bench


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.bench``."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="comma-separated lead counts (default 100000,1000000)")  # fmt: skip
    parser.add_argument("--big", action="store_true", help="also 10M leads")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--heavy-runs", type=int, default=1,
                        help="runs of demo generation and CSV import")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--harlequin", default="auto",
                        help="auto (install into the workdir), skip, or a path")  # fmt: skip
    parser.add_argument("--reuse", action="store_true",
                        help="reuse demo files in the workdir (not timed)")  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.big and BIG not in sizes:
        sizes.append(BIG)
    opts = Options(
        sizes=sizes,
        runs=args.runs,
        warmup=args.warmup,
        heavy_runs=args.heavy_runs,
        workdir=args.workdir.resolve(),
        out=args.out,
        harlequin=args.harlequin,
        reuse=args.reuse,
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )
    bench = run_bench(opts)
    print(bench.markdown())


if __name__ == "__main__":
    main()
