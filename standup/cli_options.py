"""What every command shares: the default database, the ``--as-of`` / ``--config`` and
``--allow-writes`` options, and opening the store with the configured lock-retry budget.

Light on purpose (click, config, clock, store): every command's start-up imports it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from standup.clock import AS_OF_ENV, Clock
from standup.config import CONFIG_ENV, Config, load_config
from standup.store import RetryPolicy, Store

DEFAULT_DB = "standup.duckdb"

F = TypeVar("F", bound=Callable[..., Any])


def common_options(func: F) -> F:
    """``--as-of`` and ``--config``, which every command takes."""

    @click.option(
        "--as-of",
        envvar=AS_OF_ENV,
        metavar="WHEN",
        help=f"Pin 'now' (ISO date or date-time) [env: {AS_OF_ENV}].",
    )
    @click.option(
        "--config",
        "config_path",
        envvar=CONFIG_ENV,
        type=click.Path(dir_okay=False),
        help=f"Config TOML file [env: {CONFIG_ENV}].",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, as_of: str | None, config_path: str | None, **kwargs: Any) -> Any:
        config = load_config(config_path)
        clock = Clock.from_setting(as_of)
        return func(*args, config=config, clock=clock, **kwargs)

    return wrapper  # type: ignore[return-value]


def open_store(db: str, config: Config, *, read_only: bool = False) -> Store:
    """Open an existing database with the configured lock-retry budget (``read_only``:
    a store that refuses every write, see :class:`Store`).

    A ``postgresql://`` URL opens the team's shared database instead (team mode).
    """
    retry = RetryPolicy(timeout=config.lock_timeout_seconds)
    if db.startswith(("postgresql://", "postgres://")):
        from standup.team.pgstore import PgStore

        return PgStore.open(db, retry, read_only=read_only)
    return Store.open(db, retry, read_only=read_only)


def allow_writes_option(func: F) -> F:
    """``--allow-writes``: let the SQL prompt / ``standup query`` run writing statements."""
    return click.option(
        "--allow-writes",
        is_flag=True,
        help="Let ad-hoc SQL change the database (the SQL prompt is read-only by default).",
    )(func)


def with_writes(config: Config, allow_writes: bool) -> Config:
    """``config`` with ``sql_allow_writes`` turned on when the flag says so."""
    return config.model_copy(update={"sql_allow_writes": True}) if allow_writes else config


def session_config(config: Config, *, allow_writes: bool, served: bool) -> Config:
    """The config an app session runs with: ``--allow-writes`` on, and for a viewer started
    by ``standup serve`` no file access from the SQL prompt (never the server's files)."""
    config = with_writes(config, allow_writes)
    if served:
        config = config.model_copy(update={"sql_external_access": False})
    return config
