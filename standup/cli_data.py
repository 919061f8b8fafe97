"""The commands that move rows in and out without the app: ``query`` (ad-hoc SQL printed
as a table, CSV or JSON lines) and ``import`` (CRM exports through a column mapping).

pyarrow, Rich and the import machinery load only inside the command that needs them.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from standup.cli_options import allow_writes_option, common_options, open_store, with_writes
from standup.clock import Clock
from standup.config import Config
from standup.store import RetryPolicy


@click.command()
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


@click.command("import")
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
