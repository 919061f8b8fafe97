"""Standup mode's core: the agenda timer on an injected clock, redaction rules, wall
number formatting for Digits, and what `standup serve` runs and says."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standup.agenda import Agenda, Level, State, clock_text
from standup.config import AgendaSegment, Config, load_config
from standup.fmt import BIG_CHARS, big_parts, compact, delta
from standup.redact import Redactor, amount_band, email_company, initials, scrub_text
from standup.serve import ServeOptions, app_command, startup_line


class FakeClock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


SEGMENTS = [
    AgendaSegment(name="Numbers", minutes=3, screen="presenter"),
    AgendaSegment(name="Disputes", minutes=5, screen="triage"),
    AgendaSegment(name="Stalled", minutes=1, screen="dashboard:stalled"),
]


def test_agenda_counts_down_turns_amber_then_red() -> None:
    clock = FakeClock()
    agenda = Agenda(SEGMENTS, monotonic=clock, warn_fraction=0.8)
    assert agenda.state is State.READY and agenda.countdown() == "03:00"
    agenda.start()
    clock.advance(0.4)
    assert agenda.countdown() == "03:00"  # rounds up: never shows less time than is left
    clock.advance(100)
    assert agenda.countdown() == "01:20" and agenda.level() is Level.OK
    clock.advance(43.6)  # 144 s of 180 = 0.8: amber
    assert agenda.level() is Level.WARN and agenda.countdown() == "00:36"
    clock.advance(46)  # 190 s
    assert agenda.level() is Level.OVER and agenda.countdown() == "+00:10"


def test_agenda_pause_next_previous_and_timings() -> None:
    clock = FakeClock()
    agenda = Agenda(SEGMENTS, monotonic=clock)
    assert not agenda.next()  # nothing to move before the meeting starts
    agenda.toggle()
    clock.advance(60)
    agenda.toggle()  # pause
    assert agenda.state is State.PAUSED
    clock.advance(600)  # a long interruption does not count against the segment
    assert agenda.spent() == 60
    agenda.toggle()  # resume
    clock.advance(30)
    assert agenda.next() and agenda.current.name == "Disputes"
    clock.advance(200)
    assert agenda.previous() and agenda.current.name == "Numbers"
    clock.advance(15)  # back on Numbers: its clock continues
    assert agenda.spent() == 105
    agenda.next()
    clock.advance(10)
    agenda.next()
    clock.advance(70)
    assert agenda.level() is Level.OVER
    assert agenda.next() and agenda.state is State.FINISHED
    clock.advance(99)  # finished: nothing moves any more
    timings = agenda.timings()
    assert [(t.name, t.spent, t.planned) for t in timings] == [
        ("Numbers", 105, 180),
        ("Disputes", 210, 300),
        ("Stalled", 70, 60),
    ]
    assert [t.started_offset for t in timings] == [0, 690, 915]
    assert timings[2].over == 10
    assert agenda.elapsed() == 60 + 600 + 30 + 200 + 15 + 10 + 70


def test_clock_text() -> None:
    assert clock_text(0) == "00:00"
    assert clock_text(59.9) == "00:59"
    assert clock_text(3725) == "1:02:05"


def test_default_agenda_and_validation() -> None:
    config = Config()
    assert [(s.name, s.minutes) for s in config.agenda] == [
        ("Numbers", 3),
        ("Disputes", 5),
        ("Stalled", 4),
        ("Campaigns", 3),
    ]
    with pytest.raises(ValueError, match="screen"):
        Config.model_validate({"agenda": [{"name": "x", "minutes": 1, "screen": "nowhere"}]})


def test_initials_and_email_company() -> None:
    assert initials("Dana Kowalski") == "D.K."
    assert initials("jean-luc picard") == "J.L.P."
    assert initials("  ") == "" and initials(None) == ""
    assert email_company("Dana.K@Acme.io") == "@acme.io"
    assert email_company("not an email") == "(email hidden)"


def test_scrub_text_removes_emails_and_names() -> None:
    text = "Dana Kowalski (dana@acme.io) says DANA KOWALSKI never got a call"
    out = scrub_text(text, ("Dana Kowalski",))
    assert "dana@" not in out.lower() and "kowalski" not in out.lower()
    assert "@acme.io" in out and out.count("D.K.") == 2


def test_redactor_off_passes_through_and_amount_bands() -> None:
    off = Redactor()
    assert off.contact("Dana K") == "Dana K" and off.email("a@b.co") == "a@b.co"
    on = Redactor(names=True, amounts=True)
    assert on.contact("Dana K") == "D.K." and on.email("a@b.co") == "@b.co"
    assert on.amount(75_000, "$75k") == "50k–100k"
    assert Redactor(names=True).amount(75_000, "$75k") == "$75k"
    assert [amount_band(x) for x in (0, 9_999, 10_000, 999_999, 1_000_000)] == [
        "<10k",
        "<10k",
        "10k–50k",
        "250k–1M",
        "1M+",
    ]


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.booleans())
def test_big_parts_only_hold_what_digits_draws_big(value: float, money: bool) -> None:
    digits, unit = big_parts(value, money)
    assert set(digits) <= BIG_CHARS, digits
    assert unit in ("", "k", "M", "B")
    assert len(digits) <= 8  # fits a tile on a 120-column projector terminal


def test_big_parts_examples() -> None:
    assert big_parts(1_234_567, money=True) == ("$1.2", "M")
    assert big_parts(1008) == ("1008", "")  # counts stay exact
    assert big_parts(12_500) == ("12.5", "k")
    assert big_parts(0, money=True) == ("$0", "")
    assert compact(1_900_000, True) == "$1.9M" and compact(842) == "842"
    assert delta(-3) == "▼3" and delta(0) == "=0" and delta(None) == ""


def test_serve_defaults_are_local_and_read_only(tmp_path: Path) -> None:
    options = ServeOptions(db=tmp_path / "x.duckdb", as_of="2026-11-23T09:00:00")
    argv = shlex.split(app_command(options, python="/py"))
    assert argv[:6] == ["/py", "-m", "standup.cli", "open", str(tmp_path / "x.duckdb"), "--served"]
    assert (
        "--read-only" in argv
        and "--allow-writes" not in argv
        and argv[argv.index("--as-of") + 1] == "2026-11-23T09:00:00"
    )
    line = startup_line(options)
    assert "http://127.0.0.1:8000" in line and "this machine only" in line
    assert "read-only" in line


def test_serve_open_host_with_writes_says_so(tmp_path: Path) -> None:
    options = ServeOptions(db=tmp_path / "x y.duckdb", host="0.0.0.0", allow_writes=True)
    argv = shlex.split(app_command(options))
    assert "--read-only" not in argv and str(tmp_path / "x y.duckdb") in argv
    assert "--served" in argv and "--allow-writes" in argv
    line = startup_line(options)
    assert "ANYONE" in line and "READ-WRITE" in line and "no file access" in line


def test_lock_down_turns_sql_writes_and_file_access_off() -> None:
    wide_open = Config(sql_allow_writes=True, sql_external_access=True)
    locked = wide_open.locked_down()
    assert locked.sql_allow_writes is False and locked.sql_external_access is False
    assert locked.agenda == wide_open.agenda  # nothing else changes


def test_readme_agenda_example_is_a_valid_config(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Standup mode")[1].split("```toml")[1].split("```")[0]
    file = tmp_path / "config.toml"
    file.write_text(example, encoding="utf-8")
    config = load_config(file)
    assert config.agenda == Config().agenda and config.agenda_warn_fraction == 0.8
