"""The command line, and the composition root: it builds the store, config and clock and
hands them to the core or the app. Textual is imported lazily, only by commands that open
the app, so ``standup query`` starts fast.

The ``standup`` group and the commands that start the app (``open``, ``demo``) live here;
the others live in ``standup/cli_*.py`` by family and are added to the group below.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from standup import __version__
from standup.cli_data import import_cmd, query
from standup.cli_options import (
    DEFAULT_DB,
    allow_writes_option,
    common_options,
    open_store,
    session_config,
    with_writes,
)
from standup.cli_reports import check_cmd, report, snapshot
from standup.cli_serve import serve
from standup.clock import Clock
from standup.config import Config
from standup.errors import StandupError
from standup.store import Store
from standup.team.cli import migrate, push

# Seconds between GIL hand-overs while the app runs (see make_app); Python's default is 0.005.
APP_SWITCH_INTERVAL = 0.001


class _DefaultToOpen(click.Group):
    """``standup [DB]`` opens the app: anything that is not a subcommand means ``open``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (
            args[0] not in self.commands
            and args[0] not in ctx.help_option_names
            and args[0] != "--version"
        ):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToOpen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="standup")
def cli() -> None:
    """standup: the joint sales + marketing standup, in your terminal.

    Run `standup demo` to try it on a realistic demo database.
    """


def make_app(store: Store, config: Config, clock: Clock, **options: Any) -> Any:
    """The Textual app (imported here so the other commands never load Textual).

    The dashboard's first refresh starts first, on a thread, so its queries run while
    Textual is imported (issue 3); the app takes it over. ``options`` are the app's
    meeting switches: ``read_only``, ``redact``, ``present``, and the hidden benchmark
    flags (see ``open``).
    """
    from standup.dashboard import LAUNCH_FETCHES, FirstRefresh

    # DuckDB's Python client takes the GIL back between the steps of a running query.
    # While another thread runs Python (Textual importing, laying out or drawing), each
    # retake waits out that thread's switch interval, 5 ms by default: at 1M leads a
    # refresh beside a busy Python thread took ~1.1 s instead of ~0.25 s alone, ~0.5-0.6 s
    # at 1 ms, while the busy thread kept ~90% of its pace. So the app's threads hand
    # over the GIL every 1 ms.
    sys.setswitchinterval(APP_SWITCH_INTERVAL)
    first_refresh = FirstRefresh(store, clock.now(), config, LAUNCH_FETCHES)

    from screens.app import StandupApp

    return StandupApp(
        store=store, config=config, clock=clock, first_refresh=first_refresh, **options
    )


def run_app(store: Store, config: Config, clock: Clock, **options: Any) -> None:
    """Start the app (see :func:`make_app`) and exit with its return code."""
    app = make_app(store, config, clock, **options)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@cli.command("open")
@click.argument("db", default=DEFAULT_DB, envvar="STANDUP_DB", type=click.Path(dir_okay=False))
@allow_writes_option
@click.option(
    "--read-only",
    is_flag=True,
    help="Refuse every write: no triage, no meeting records (what `standup serve` uses).",
)
@click.option("--redact", is_flag=True, help="Show contacts as initials / company only.")
@click.option("--present", is_flag=True, help="Start in presenter (projector) mode.")
@click.option(
    "--served",
    is_flag=True,
    hidden=True,
    help="Started by `standup serve`: the SQL prompt gets no file access.",
)
# Hidden, for `make bench`: cold start = launch until every panel has drawn its data.
@click.option("--exit-after-first-refresh", is_flag=True, hidden=True)
@click.option("--exit-after", type=float, default=None, hidden=True)
@common_options
def open_cmd(
    db: str,
    allow_writes: bool,
    read_only: bool,
    redact: bool,
    present: bool,
    served: bool,
    exit_after_first_refresh: bool,
    exit_after: float | None,
    config: Config,
    clock: Clock,
) -> None:
    """Open the app on DB (default ./standup.duckdb)."""
    config = session_config(config, allow_writes=allow_writes, served=served)
    run_app(
        open_store(db, config, read_only=read_only),
        config,
        clock,
        read_only=read_only,
        redact=redact,
        present=present,
        exit_after_first_refresh=exit_after_first_refresh,
        exit_after=exit_after,
    )


@cli.command()
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.option("--leads", default=5000, show_default=True, help="How many leads to generate.")
@click.option("--seed", default=42, show_default=True, help="Random seed (same seed, same data).")
@click.option("--force", is_flag=True, help="Replace DB if it exists.")
@click.option("--no-open", is_flag=True, help="Only create the file; do not open the app.")
@allow_writes_option
@common_options
def demo(
    db: str,
    leads: int,
    seed: int,
    force: bool,
    no_open: bool,
    allow_writes: bool,
    config: Config,
    clock: Clock,
) -> None:
    """Create a realistic demo database at DB and open it."""
    config = with_writes(config, allow_writes)
    from standup.demo import generate

    show = sys.stderr.isatty()
    with click.progressbar(length=100, label="Generating demo", file=sys.stderr) as bar:

        def progress(step: int, total: int, label: str) -> None:
            if show:
                bar.label = f"Generating {label:<22}"
                bar.update(round(step / total * 100) - bar.pos)

        store = generate(
            db,
            now=clock.now(),
            leads=leads,
            seed=seed,
            force=force,
            config=config,
            progress=progress,
        )
    click.echo(f"Created {store.path} with {leads:,} leads.", err=True)
    if not no_open:
        run_app(store, config, clock)


for _command in (serve, report, check_cmd, query, import_cmd, snapshot, migrate, push):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: expected problems become one line on stderr and exit code 1."""
    try:
        cli.main(args=argv, prog_name="standup", standalone_mode=False)
    except StandupError as exc:
        click.echo(f"standup: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("standup: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()


__all__ = [
    "DEFAULT_DB",
    "cli",
    "common_options",
    "main",
    "make_app",
    "open_store",
    "run_app",
    "session_config",
    "with_writes",
]
