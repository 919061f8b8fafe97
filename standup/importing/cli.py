"""``standup import``: progress on stderr, a per-table summary and the invalid rows."""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

import click

from standup.importing.mapping import TABLES, Mapping, load_mapping
from standup.importing.run import ImportResult, import_files, with_created_owners
from standup.store import RetryPolicy, Store


def run_import(
    db: str,
    retry: RetryPolicy,
    files: list[str],
    mapping_spec: str | None,
    *,
    now: datetime,
    dry_run: bool,
    skip_invalid: bool,
    create_owners: bool,
    report_path: str | None,
    show: int,
) -> int:
    """Run an import from the command line; returns the exit code (1: rows were invalid
    and nothing was written).

    A database that does not exist yet is created for the import (a team's first import
    of its CRM) and removed again if nothing ends up written to it.
    """
    mapping = load_mapping(mapping_spec)
    if create_owners:
        mapping = with_created_owners(mapping)
    target = Path(db)
    created = not target.exists()
    store = Store.create(db, retry) if created else Store.open(db, retry)
    try:
        code, written = _run(
            store,
            files,
            mapping,
            mapping_spec,
            now=now,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            report_path=report_path,
            show=show,
        )
    except BaseException:
        if created:
            _remove(store.path)
        raise
    if created and not written:
        _remove(store.path)
    elif created:
        click.echo(f"Created {store.path}.", err=True)
    return code


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def _run(
    store: Store,
    files: list[str],
    mapping: Mapping,
    mapping_spec: str | None,
    *,
    now: datetime,
    dry_run: bool,
    skip_invalid: bool,
    report_path: str | None,
    show: int,
) -> tuple[int, bool]:
    # Progress only on a terminal: piped output (cron, tests) gets just the summary.
    bar_file = sys.stderr if sys.stderr.isatty() else io.StringIO()
    with click.progressbar(length=100, label="Importing", file=bar_file, show_eta=False) as bar:

        def progress(step: int, total: int, label: str) -> None:
            bar.label = f"Importing: {label:<32.32}"
            bar.update(round(step / total * 100) - bar.pos)

        result = import_files(
            store,
            files,
            mapping,
            now=now,
            mapping_name=mapping_spec or mapping.name,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            report_path=Path(report_path) if report_path else None,
            progress=progress,
        )
    print_result(result, show)
    # a dry run with invalid rows fails too (unless --skip-invalid would write the rest)
    failed = bool(result.invalid_rows) and not result.written and not (dry_run and skip_invalid)
    return (1 if failed else 0), result.written


def print_result(result: ImportResult, show: int) -> None:
    """The summary table, the first ``show`` invalid rows, and what happened."""
    out = click.echo
    for source in result.files:
        noun = "row" if source.rows == 1 else "rows"
        out(f"{source.label}: {source.rows:,} {noun} -> {source.table}")
    header = f"{'table':<10} {'new':>9} {'updated':>9} {'unchanged':>9} {'invalid':>9}"
    out(header)
    for name in TABLES:
        if name not in result.tables:
            continue
        c = result.counts[name]
        line = f"{name:<10} {c.new:>9,} {c.updated:>9,} {c.unchanged:>9,} {c.invalid:>9,}"
        if c.duplicate:
            line += f"   ({c.duplicate:,} exact duplicate rows skipped)"
        out(line)
    for name, n in result.undated.items():
        noun = "row" if n == 1 else "rows"
        out(f"{name}: {n:,} {noun} had no created date (imported with the date unknown)")
    if result.owners_created:
        noun = "owner" if result.owners_created == 1 else "owners"
        out(f"people: {result.owners_created:,} {noun} created from the owner columns")
    if result.driven:
        out(f"leads: {result.driven:,} moved by their deals (won -> customer, ...)")
    if result.errors:
        out("")
        noun = "row" if result.invalid_rows == 1 else "rows"
        out(f"{result.invalid_rows:,} invalid {noun}:")
        for error in result.errors[:show]:
            out(f"  {error.describe()}")
        more = len(result.errors) - show
        if more > 0 or len(result.errors) >= 1000:
            where = f" (all in {result.report_path})" if result.report_path else " (--report FILE)"
            out(f"  ... and more{where}")
    if result.dry_run:
        out("Dry run: nothing written.")
    elif result.written:
        rejected = (
            f"; {result.invalid_rows:,} invalid rows kept in import_quarantine"
            if result.invalid_rows
            else ""
        )
        out(f"Imported (run {result.run_id}){rejected}.")
    else:
        click.echo("standup: nothing written: fix the rows above or use --skip-invalid", err=True)
