"""Config loading and the as-of clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from standup.clock import Clock, parse_as_of
from standup.config import Config, load_config
from standup.errors import ConfigError, StandupError


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("STANDUP_CONFIG", raising=False)
    assert load_config() == Config()


def test_file_overrides_defaults(tmp_path: Path) -> None:
    file = tmp_path / "c.toml"
    file.write_text("revenue_target = 2e6\n[sla]\naccept_mql_hours = 8\nstage_days = {mql = 1}\n")
    cfg = load_config(file)
    assert cfg.revenue_target == 2_000_000
    assert cfg.sla.accept_mql_hours == 8
    assert cfg.sla.stage_days == {"mql": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[sla]\naccept_mql_hours = 'soon'\n", "sla.accept_mql_hours"),
        ("refresh_secs = 3\n", "refresh_secs: Extra inputs are not permitted"),
        ("[sla]\ndispute_due_days = 0\n", "sla.dispute_due_days"),
        ("revenue_target = \n", "not valid TOML"),
    ],
)
def test_invalid_config_names_key_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    file = tmp_path / "c.toml"
    file.write_text(text)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(file)
    assert str(file) in str(info.value)
    assert "\n" not in str(info.value)


def test_explicit_missing_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.toml")


def test_as_of_flag_env_and_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANDUP_AS_OF", "2026-01-02T03:04")
    assert Clock.from_setting(None).now() == datetime(2026, 1, 2, 3, 4)
    assert Clock.from_setting("2025-12-31").now() == datetime(2025, 12, 31)
    monkeypatch.delenv("STANDUP_AS_OF")
    assert not Clock.from_setting(None).pinned


def test_as_of_with_offset_becomes_naive_utc() -> None:
    assert parse_as_of("2026-11-23T10:00+01:00") == datetime(2026, 11, 23, 9, 0)


def test_bad_as_of_is_one_line() -> None:
    with pytest.raises(StandupError, match="not a date"):
        parse_as_of("yesterday")
