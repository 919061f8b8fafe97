"""Settings: the SLA between the teams, refresh interval, revenue target, theme.

The SLA is configuration, not code (DESIGN.md). Defaults work without any file; a TOML
file overrides them. Lookup order: ``--config`` flag, ``STANDUP_CONFIG``, then
``$XDG_CONFIG_HOME/standup/config.toml`` (``~/.config/...``) if it exists.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from standup.errors import ConfigError

CONFIG_ENV = "STANDUP_CONFIG"


class _Strict(BaseModel):
    # A typo in a key should be an error that names the key, not a silent default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class SLA(_Strict):
    """The agreement between sales and marketing: how long each side may take."""

    accept_mql_hours: int = Field(24, ge=1, description="hours sales has to accept/reject an MQL")
    first_contact_hours: int = Field(48, ge=1, description="hours from acceptance to first touch")
    stage_days: dict[str, int] = Field(
        default_factory=lambda: {
            "inquiry": 30,
            "mql": 2,
            "sal": 7,
            "sql": 14,
            "opportunity": 30,
        },
        description="days a lead may sit in a stage before it is stalled",
    )
    deal_stage_days: dict[str, int] = Field(
        default_factory=lambda: {"qualification": 14, "proposal": 21, "negotiation": 30},
        description="days a deal may sit in a stage before it is stalled",
    )
    no_touch_days: int = Field(10, ge=1, description="days without a touch before stalled")
    dispute_due_days: int = Field(3, ge=1, description="days a dispute may stay open")


class AgendaSegment(_Strict):
    """One timeboxed part of the standup and the screen the room looks at meanwhile.

    ``screen`` is an app mode (``presenter``, ``dashboard``, ``triage``, ``sql``),
    optionally with a panel to focus: ``dashboard:stalled``.
    """

    name: str = Field(min_length=1, max_length=40)
    minutes: float = Field(gt=0, le=120)
    screen: str = Field("dashboard", pattern=r"^(presenter|dashboard|triage|sql)(:[a-z_]+)?$")


def _default_agenda() -> list[AgendaSegment]:
    return [
        AgendaSegment(name="Numbers", minutes=3, screen="presenter"),
        AgendaSegment(name="Disputes", minutes=5, screen="triage"),
        AgendaSegment(name="Stalled", minutes=4, screen="dashboard:stalled"),
        AgendaSegment(name="Campaigns", minutes=3, screen="dashboard:campaigns"),
    ]


class Config(_Strict):
    """Everything a user can set. ``Config()`` is the sensible default."""

    sla: SLA = Field(default_factory=SLA)
    refresh_seconds: float = Field(5.0, gt=0, le=3600)
    revenue_target: float = Field(1_500_000.0, ge=0, description="revenue to win per quarter")
    conversion_window_days: int = Field(90, ge=1)
    # The shared goal's period (standup.revenue): auto = this quarter, or the latest
    # quarter with won deals when this one has none.
    goal_period: str = Field("auto", pattern=r"^(auto|quarter|last_quarter|all)$")
    lock_timeout_seconds: float = Field(5.0, ge=0, le=600)
    # A triage burst keeps the file attached read-write this long after its last write,
    # so key presses in a row skip the attach; an import or second app waits at most
    # this long (DESIGN: the write hold). 0 lets go after every write.
    write_hold_seconds: float = Field(2.0, ge=0, le=30)
    theme: str = "textual-dark"
    # Standup mode (issue 6): the meeting's timeboxes, when a segment's countdown turns
    # amber, and whether redaction also turns deal amounts into bands.
    agenda: list[AgendaSegment] = Field(default_factory=_default_agenda, min_length=1)
    agenda_warn_fraction: float = Field(0.8, gt=0, lt=1)
    redact_amounts: bool = False
    # SQL prompt (and `standup query`): read-only unless writes are allowed here or by
    # --allow-writes; serve mode turns external file access off.
    sql_allow_writes: bool = False
    sql_external_access: bool = True
    sql_row_limit: int = Field(10_000, ge=1, le=1_000_000, description="rows the prompt shows")

    def locked_down(self) -> Config:
        """This config for a read-only session, whatever the file says: the SQL prompt
        may neither write nor read or write files outside the database."""
        return self.model_copy(update={"sql_allow_writes": False, "sql_external_access": False})


def default_config_path() -> Path:
    """Where the config lives when neither flag nor env var says otherwise."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "standup" / "config.toml"


def load_config(path: str | Path | None = None) -> Config:
    """Load the config, naming the file, key and problem in any error.

    An explicitly named file (flag or env var) must exist; the default location is optional.
    """
    explicit = path or os.environ.get(CONFIG_ENV)
    file = Path(explicit) if explicit else default_config_path()
    if not file.exists():
        if explicit:
            raise ConfigError(f"config {file}: no such file")
        return Config()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {file}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config {file}: cannot read: {exc}") from None
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"config {file}: {key}: {first['msg']}{more}") from None
