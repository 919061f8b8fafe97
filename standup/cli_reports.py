"""The commands that read the standup out: ``report`` (summary or minutes as Markdown),
``check`` (the data-quality report) and ``snapshot`` (record the KPIs for next time).

Each imports its core module only when it runs, so the CLI starts fast.
"""

from __future__ import annotations

import json
import sys

import click

from standup.cli_options import DEFAULT_DB, common_options, open_store
from standup.clock import Clock
from standup.config import Config


@click.command()
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


@click.command("check")
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


@click.command()
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.option("--label", default=None, help="A name for this standup (e.g. 'Monday').")
@common_options
def snapshot(db: str, label: str | None, config: Config, clock: Clock) -> None:
    """Record the current KPIs as a standup snapshot ("since last standup" compares with it)."""
    from standup.kpis import record_snapshot

    now = clock.now()
    standup_id = record_snapshot(open_store(db, config), now, config, label)
    click.echo(f"Recorded standup snapshot {standup_id} at {now:%Y-%m-%d %H:%M}.", err=True)
