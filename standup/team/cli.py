"""Team mode's commands: ``standup migrate URL`` and ``standup push FILE URL``.

psycopg is imported only when one of them runs, so the other commands start as fast.
"""

from __future__ import annotations

import click

from standup.cli_options import common_options
from standup.clock import Clock
from standup.config import Config
from standup.errors import StandupError


@click.command()
@click.argument("url")
@click.option(
    "--viewer",
    "viewers",
    multiple=True,
    metavar="ROLE",
    help="Also make ROLE a viewer: it may log in and read, never write (repeatable).",
)
def migrate(url: str, viewers: tuple[str, ...]) -> None:
    """Create or upgrade standup's schema in the PostgreSQL database at URL."""
    from standup.team import is_team_url
    from standup.team.pgstore import PgStore, pg_schema_version, unported_migrations

    if not is_team_url(url):
        raise StandupError(f"{url}: not a postgresql:// URL (a local file migrates on open)")
    store = PgStore(url)
    store.file_schema_version()  # refuses a database a newer standup wrote
    applied = store.apply_migrations()
    for role in viewers:
        with store.pg_writing() as pg:
            for (statement,) in pg.run("roles/viewer", {"role": role}).fetchall():
                pg.run_text("roles/viewer", str(statement))
        click.echo(f"{role}: viewer (SELECT only)", err=True)
    done = ", ".join(f"{v:03d}" for v in applied) if applied else "nothing to apply"
    click.echo(f"{store.label}: schema version {pg_schema_version()} ({done})", err=True)
    missing = unported_migrations()
    if missing:
        listed = ", ".join(f"{v:03d}" for v in missing)
        click.echo(f"note: migrations {listed} have no PostgreSQL dialect yet", err=True)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("url")
@click.option("--replace", is_flag=True, help="Empty a target that already holds team data.")
@common_options
def push(file: str, url: str, replace: bool, config: Config, clock: Clock) -> None:
    """Move the team's local FILE.duckdb into the shared PostgreSQL at URL (one transaction).

    The team's dashboard facts follow the SLA of --config.
    """
    del clock  # the facts are stamped with the wall clock (informational)
    from standup.store import Store
    from standup.team import is_team_url
    from standup.team.pgstore import PgStore
    from standup.team.push import push as push_file

    if not is_team_url(url):
        raise StandupError(f"{url}: not a postgresql:// URL")
    target = PgStore(url)
    target.file_schema_version()
    result = push_file(Store.open(file), target, replace=replace, config=config)
    total = sum(result.rows.values())
    click.echo(
        f"{target.label}: pushed {total:,} rows from {file} in {result.seconds:.1f}s "
        f"(leads {result.rows.get('leads', 0):,}, disputes {result.rows.get('disputes', 0):,})",
        err=True,
    )
