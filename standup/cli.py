"""The command line, and the composition root: it builds the store, config and clock and
hands them to the core or the app. Textual is imported lazily, only by commands that open
the app, so ``standup query`` starts fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from standup import __version__
from standup.clock import AS_OF_ENV, Clock
from standup.config import CONFIG_ENV, Config, load_config
from standup.errors import StandupError
from standup.store import RetryPolicy, Store

DEFAULT_DB = "standup.duckdb"
# Seconds between GIL hand-overs while the app runs (see make_app); Python's default is 0.005.
APP_SWITCH_INTERVAL = 0.001

F = TypeVar("F", bound=Callable[..., Any])


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


@cli.command()
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.option(
    "--standup",
    "which",
    metavar="last|N",
    default=None,
    help="Minutes of a recorded standup (`last` or its number); default: current summary.",
)
@click.option("--redact", is_flag=True, help="Scrub emails and names from claims and notes.")
@click.option(
    "--period",
    type=click.Choice(["auto", "quarter", "last_quarter", "all"]),
    default=None,
    help="The goal's and closed deals' period (default: the config's goal_period, auto:"
    " this quarter, or the latest quarter with won deals when this one has none).",
)
@common_options
def report(
    db: str, which: str | None, redact: bool, period: str | None, config: Config, clock: Clock
) -> None:
    """Print the standup summary, or a meeting's minutes, as Markdown."""
    from standup.redact import Redactor
    from standup.report import minutes, summary

    if period is not None:
        config = config.model_copy(update={"goal_period": period})
    store = open_store(db, config)
    redactor = Redactor(names=redact, amounts=redact and config.redact_amounts)
    if which is None:
        click.echo(summary(store, clock.now(), config, redactor), nl=False)
    else:
        click.echo(minutes(store, which, clock.now(), config, redactor), nl=False)


@cli.command("check")
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--examples",
    default=3,
    show_default=True,
    type=click.IntRange(0, 100),
    help="CRM ids listed per finding.",
)
@common_options
def check_cmd(db: str, fmt: str, examples: int, config: Config, clock: Clock) -> None:
    """Data-quality report: rows without dates, stage gaps, leads without owner or
    campaign, deals without amounts, amount outliers; a few CRM ids for each.

    Exit code 0 when every check passes, 1 when something is off (or the file cannot be
    read: then one line on stderr and nothing on stdout).
    """
    from standup.check import check, render_text

    store = open_store(db, config)
    report = check(store, examples)
    if fmt == "json":
        click.echo(json.dumps({"database": str(store.path), **report.as_json()}, indent=2))
    else:
        click.echo(render_text(report, store.path.name), nl=False)
    if not report.clean:
        sys.exit(1)


def _config_source(ctx: click.Context) -> str | None:
    """The config file the user named (flag or env var), to hand on to the viewers."""
    import os

    raw = ctx.params.get("config_path") or os.environ.get(CONFIG_ENV)
    return str(Path(raw).resolve()) if raw else None


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


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("sql")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@allow_writes_option
@common_options
def query(
    db: str,
    sql: str,
    fmt: str,
    limit: int | None,
    allow_writes: bool,
    config: Config,
    clock: Clock,
) -> None:
    """Run SQL against DB (read-only unless --allow-writes) and print the result."""
    from standup.adhoc import Engine

    config = with_writes(config, allow_writes)
    engine = Engine(
        open_store(db, config),
        allow_writes=config.sql_allow_writes,
        external_access=config.sql_external_access,
    )
    result = engine.run(sql, limit)
    table = result.table
    if fmt == "json":
        for row in table.to_pylist():
            click.echo(json.dumps(row, default=str))
    elif fmt == "csv":
        import pyarrow.csv as pacsv

        sink = sys.stdout.buffer
        pacsv.write_csv(table, sink)
        sink.flush()
    else:
        _print_table(table, result.total_rows)


@cli.command("import")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--mapping",
    "mapping_spec",
    metavar="MAP",
    help="Mapping TOML file, or a bundled one by name: hubspot, salesforce, standup "
    "(the default: standup's own column names).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows; keep the rejected ones in the import_quarantine table.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    help="Write every invalid row (file, line, column, value, reason) to this CSV.",
)
@click.option(
    "--create-owners",
    is_flag=True,
    help="Owners named in owner columns but unknown become people (a first import).",
)
@click.option("--show", default=20, show_default=True, help="Invalid rows to list on screen.")
@common_options
def import_cmd(
    db: str,
    files: tuple[str, ...],
    mapping_spec: str | None,
    dry_run: bool,
    skip_invalid: bool,
    create_owners: bool,
    report_path: str | None,
    show: int,
    config: Config,
    clock: Clock,
) -> None:
    """Load CRM exports (CSV, Parquet, JSON lines) into DB through a column mapping.

    Each FILE is detected as people, campaigns, leads, deals or touches by its columns;
    write TABLE=FILE to say it. Every row is validated first: by default nothing is
    written if any row is invalid. Re-importing the same file changes nothing. A DB that
    does not exist is created (and removed again if nothing is written).
    """
    from standup.importing.cli import run_import

    code = run_import(
        db,
        RetryPolicy(timeout=config.lock_timeout_seconds),
        list(files),
        mapping_spec,
        now=clock.now(),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        create_owners=create_owners,
        report_path=report_path,
        show=show,
    )
    if code:
        sys.exit(code)


def _print_table(table: Any, total: int | None) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Table(show_edge=False, header_style="bold")
    for name in table.column_names:
        out.add_column(name, overflow="fold")
    for row in table.to_pylist():
        out.add_row(*("" if value is None else str(value) for value in row.values()))
    # Piped into a file or another program there is no terminal width to fit: print
    # every row whole on one line instead of folding cells at Rich's default 80 columns.
    console = Console()
    if not console.is_terminal:
        from rich.measure import Measurement

        unbounded = console.options.update_width(1_000_000)
        width = Measurement.get(console, unbounded, out).maximum
        console = Console(width=max(80, width))
    console.print(out)
    if total is not None and total > table.num_rows:
        console.print(f"[dim]first {table.num_rows:,} of {total:,} rows[/dim]")


@cli.command()
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.option("--label", default=None, help="A name for this standup (e.g. 'Monday').")
@common_options
def snapshot(db: str, label: str | None, config: Config, clock: Clock) -> None:
    """Record the current KPIs as a standup snapshot ("since last standup" compares with it)."""
    from standup.kpis import record_snapshot

    now = clock.now()
    standup_id = record_snapshot(open_store(db, config), now, config, label)
    click.echo(f"Recorded standup snapshot {standup_id} at {now:%Y-%m-%d %H:%M}.", err=True)


from standup.team.cli import migrate, push  # noqa: E402 - team mode's commands

cli.add_command(migrate)
cli.add_command(push)


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


__all__ = ["DEFAULT_DB", "Path", "cli", "main"]
