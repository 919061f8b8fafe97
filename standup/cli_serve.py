"""``standup serve``: the app in browsers, a read-only process per tab, or with
``--follow`` every tab watching the driver's app. The server loads only when it runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from standup.cli_options import DEFAULT_DB, common_options, open_store
from standup.clock import Clock
from standup.config import CONFIG_ENV, Config


@click.command()
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allow-writes",
    is_flag=True,
    help="Let viewers triage and record meetings (default: read-only); with --follow, "
    "let the driver's SQL prompt write.",
)
@click.option("--redact", is_flag=True, help="Show contacts as initials / company only.")
@click.option("--present", is_flag=True, help="Start each viewer in presenter mode.")
@click.option(
    "--follow",
    is_flag=True,
    help="Run the app here (you drive) and show its screen, view-only, to every browser "
    "with the share link.",
)
@common_options
def serve(
    db: str,
    host: str,
    port: int,
    allow_writes: bool,
    redact: bool,
    present: bool,
    follow: bool,
    config: Config,
    clock: Clock,
) -> None:
    """Serve the app to browsers: each tab gets its own read-only app process, or with
    --follow every tab watches the driver's app in this terminal."""
    from standup.serve import ServeOptions
    from standup.serve import serve as run_server

    # Open (and migrate) once here, so the viewers' processes only ever read.
    store = open_store(db, config)
    ctx = click.get_current_context()
    run_server(
        ServeOptions(
            db=store.path,
            host=host,
            port=port,
            allow_writes=allow_writes,
            as_of=clock.as_of.isoformat() if clock.as_of else None,
            config_path=_config_source(ctx),
            present=present,
            redact=redact,
            follow=follow,
        )
    )


def _config_source(ctx: click.Context) -> str | None:
    """The config file the user named (flag or env var), to hand on to the viewers."""
    raw = ctx.params.get("config_path") or os.environ.get(CONFIG_ENV)
    return str(Path(raw).resolve()) if raw else None
