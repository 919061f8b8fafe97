"""The import itself: stage every file, validate every row in bulk SQL, plan, then write.

Everything happens on one connection in one transaction (``store.writing()``), so an
import is all or nothing; a dry run does the same work on a read-only connection and
stops before writing. Rows are never looped over in Python: each step is one SQL file in
``queries/import/`` run over whole staging tables.

The staging steps are :mod:`standup.importing.staging`'s, the outcome's types
:mod:`standup.importing.result`'s (re-exported here).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from standup import facts
from standup.importing.mapping import REQUIRED, TABLES, Mapping
from standup.importing.result import ImportResult as ImportResult
from standup.importing.result import RowError as RowError
from standup.importing.result import TableCounts as TableCounts
from standup.importing.sources import (
    ImportFileError,
    SourceFile,
    detect,
    missing_required,
    parse_spec,
    read,
)
from standup.importing.staging import derive, project, setup
from standup.store import Connection, Store, run

Progress = Callable[[int, int, str], None]

# Columns a lead derived from a deal row takes from it (deals_derive_leads.sql).
_DERIVED_LEAD_COLUMNS = (
    "company", "contact_name", "email", "owner", "campaign", "created_at", "opportunity_at",
    "customer_at",
)  # fmt: skip


def with_created_owners(mapping: Mapping) -> Mapping:
    """The mapping with ``create_owners`` on for every section that has an owner column."""
    update = {
        table: section.model_copy(update={"create_owners": True})
        for table in ("campaigns", "leads", "deals", "touches")
        if (section := mapping.section(table)) is not None
    }
    return mapping.model_copy(update=update)


class ImportInvalid(Exception):
    """Raised inside the write transaction to roll it back when rows are invalid."""


def import_files(
    store: Store,
    specs: list[str],
    mapping: Mapping,
    *,
    now: datetime,
    mapping_name: str = "",
    dry_run: bool = False,
    skip_invalid: bool = False,
    report_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import export files into ``store``: validate every row, then write in one transaction.

    Nothing is written if any row is invalid, unless ``skip_invalid`` (then the valid rows
    are written and the rejected ones recorded in ``import_quarantine``). ``dry_run``
    computes the same counts on a read-only connection. Raises ``StandupError`` for an
    unreadable file or one whose table cannot be told.
    """
    sources = [parse_spec(spec, index) for index, spec in enumerate(specs)]
    # A first import (a database without people) creates the owners its files name: a
    # CRM export names its reps but comes without a people file. Later imports refuse
    # unknown owners unless asked (--create-owners).
    first = not store.fetch("import/people_count")[0][0]
    if first:
        mapping = with_created_owners(mapping)
    job = _Job(sources, mapping, now, mapping_name or mapping.name, progress)
    if dry_run:
        with store.reading() as conn:
            job.stage(conn)
            job.finish_report(conn, report_path)
        job.done()
        return job.result(written=False, dry_run=True, report_path=report_path)
    try:
        with store.writing() as conn:
            job.stage(conn)
            job.finish_report(conn, report_path)
            if job.invalid_rows and not skip_invalid:
                raise ImportInvalid
            job.apply(conn)
    except ImportInvalid:
        return job.result(written=False, dry_run=False, report_path=report_path)
    job.done()
    return job.result(written=True, dry_run=False, report_path=report_path)


class _Job:
    """One import's state between its steps."""

    def __init__(
        self,
        sources: list[SourceFile],
        mapping: Mapping,
        now: datetime,
        mapping_name: str,
        progress: Progress | None,
    ) -> None:
        self.sources = sources
        self.mapping = mapping
        self.now = now
        self.mapping_name = mapping_name
        self.progress = progress
        self.step = 0
        # reading each file, ~13 validation and plan steps, writing
        self.total = len(sources) + 16
        self.counts = {name: TableCounts() for name in TABLES}
        self.errors: list[RowError] = []
        self.invalid_rows = 0
        self.run_id: int | None = None
        self.mapped: dict[str, list[str]] = {}
        self.undated: dict[str, int] = {}  # table -> valid rows without a created date
        self.driven = 0  # leads their deals moved
        self.owners_created = 0  # people made from owner columns

    def done(self) -> None:
        """The progress bar's last step (the commit is behind us)."""
        if self.progress:
            self.progress(self.total, self.total, "done")

    def tick(self, label: str) -> None:
        """Report one step done to the progress callback."""
        self.step += 1
        if self.progress:
            self.progress(min(self.step, self.total), self.total, label)

    # -- staging and validation --------------------------------------------------------

    def stage(self, conn: Connection) -> None:
        """Read, project, validate and plan everything; write nothing to the database."""
        setup(conn, self.mapping, self.now)
        offset = 0
        provided: dict[str, list[set[str]]] = {}
        for source in self.sources:
            self.tick(f"reading {source.path.name}")
            run(conn, "import/vars/ordered")
            read(conn, source, list(self.mapping.null_values))
            source.table = detect(source, self.mapping)
            section = self.mapping.section(source.table)
            assert section is not None
            problem = missing_required(source, section, REQUIRED[source.table])
            if problem:
                raise ImportFileError(problem)
            run(conn, "import/vars/unordered")
            derive(conn, source, section)
            columns = project(conn, source, section, offset)
            offset += source.rows + source.first_line
            given = set(columns) | set(section.defaults) | set(section.derive) | set(section.lookup)
            provided.setdefault(source.table, []).append(given)
        # A column counts as provided (and so overwrites stored values) only if every file
        # of its table has it: a narrower export must not blank out what it does not carry.
        for table, sets in provided.items():
            self.mapped[table] = sorted(set.intersection(*sets))
        run(conn, "import/vars/has_refs")
        deals = self.mapping.section("deals")
        if deals is not None and deals.create_leads and "deals" in provided:
            run(conn, "import/deals_derive_leads")
            derived = [c for c in _DERIVED_LEAD_COLUMNS if c in self.mapped["deals"]]
            self.mapped["leads"] = sorted(set(self.mapped.get("leads", [])) | {*derived, "stage"})
        self._validate_and_plan(conn)
        self._count(conn)

    def _validate_and_plan(self, conn: Connection) -> None:
        def step(name: str, label: str, params: dict[str, Any] | None = None) -> None:
            self.tick(label)
            run(conn, f"import/{name}", params)

        def dups(table: str) -> None:
            run(conn, "import/dups", {"tbl": table})
            run(conn, "import/dups_skip", {"tbl": table})

        def mapped(table: str) -> dict[str, Any]:
            return {"mapped": self.mapped.get(table, []), "now": self.now}

        leads = self.mapping.section("leads")
        create_campaigns = bool(leads and leads.create_campaigns)

        step("people_typed", "checking people")
        run(conn, "import/people_errors")
        dups("people")
        run(conn, "import/invalid")
        run(conn, "import/people_plan", {"mapped": self.mapped.get("people", [])})
        run(conn, "import/people_keys")
        teams = {}
        for table in ("campaigns", "leads", "deals", "touches"):
            section = self.mapping.section(table)
            wanted = section is not None and section.create_owners
            teams[f"{table}_team"] = (
                section.owner_team_or_default(table) if section and wanted else None
            )
        if any(teams.values()):
            run(conn, "import/people_derive", teams)
            run(conn, "import/people_keys")

        step("campaigns_typed", "checking campaigns")
        run(conn, "import/campaigns_errors")
        dups("campaigns")
        run(conn, "import/invalid")
        run(conn, "import/campaigns_plan", {"mapped": self.mapped.get("campaigns", [])})
        run(conn, "import/campaigns_keys")

        step("leads_typed", "checking leads")
        step("leads_errors", "validating leads", {"create_campaigns": create_campaigns})
        dups("leads")
        step("lead_names", "checking deals")
        run(conn, "import/deals_typed")
        step("deals_errors", "validating deals")
        dups("deals")
        step("touches_typed", "checking touches")
        run(conn, "import/touches_errors")
        dups("touches")
        run(conn, "import/invalid")

        if create_campaigns:
            step("campaigns_derive", "deriving campaigns")
            run(conn, "import/campaigns_keys")
        step("leads_plan", "planning leads", mapped("leads"))
        run(conn, "import/leads_keys")
        step("cascade", "planning deals")
        run(conn, "import/invalid")
        run(conn, "import/deals_plan", mapped("deals"))
        step("touches_plan", "planning touches")
        if any(teams.values()):
            run(conn, "import/people_prune")

    def _count(self, conn: Connection) -> None:
        for table, new, updated, unchanged in run(conn, "import/summary").fetchall():
            counts = self.counts[table]
            counts.new, counts.updated, counts.unchanged = int(new), int(updated), int(unchanged)
        for table, what, n in run(conn, "import/invalid_counts").fetchall():
            setattr(self.counts[table], what, int(n))
        row = run(conn, "import/counts").fetchone()
        self.invalid_rows = int(row[0]) if row else 0
        self.undated = {t: int(n) for t, n in run(conn, "import/undated").fetchall() if n}
        row = run(conn, "import/owners_created").fetchone()
        self.owners_created = int(row[0]) if row else 0

    def finish_report(self, conn: Connection, report_path: Path | None, limit: int = 1000) -> None:
        """Collect the first ``limit`` errors, and write all of them to ``report_path``."""
        run(conn, "import/report")
        if report_path is not None:
            run(conn, "import/report_copy", {"path": str(report_path)})
        rows = run(conn, "import/report_rows", {"limit": limit}).fetchall()
        self.errors = [
            RowError(table, file, int(line), col, value, reason)
            for table, file, line, col, value, reason in rows
        ]

    # -- writing ------------------------------------------------------------------------

    def apply(self, conn: Connection) -> None:
        """Write the plan, record the run and quarantine the rejected rows."""
        self.tick("writing people and campaigns")
        run(conn, "import/reason_codes_apply")
        run(conn, "import/people_apply")
        run(conn, "import/campaigns_apply")
        self.tick("writing leads")
        run(conn, "import/leads_apply")
        self.tick("writing deals and touches")
        run(conn, "import/deals_apply")
        run(conn, "import/lead_drive")
        row = run(conn, "import/drive_counts").fetchone()
        self.driven = int(row[0]) if row else 0
        run(conn, "import/touches_apply")
        # the dashboard facts of what changed, in this same transaction
        capped = {"cap": facts.REFRESH_IDS_CAP}
        facts.refresh_leads(
            conn, [r[0] for r in run(conn, "import/changed_leads", capped).fetchall()]
        )
        summary = {name: self.counts[name].as_dict() for name in self._tables()}
        row = run(
            conn,
            "import/run_insert",
            {
                "now": self.now,
                "mapping": self.mapping_name,
                "files": json.dumps([s.label for s in self.sources]),
                "summary": json.dumps(summary),
                "rejected": self.invalid_rows,
            },
        ).fetchone()
        self.run_id = int(row[0]) if row else None
        if self.invalid_rows:
            run(conn, "import/quarantine", {"run_id": self.run_id})

    def _tables(self) -> list[str]:
        touched = {source.table for source in self.sources}
        # Tables filled only by derivation (leads from deals, campaigns from leads) show
        # when the import does something to them.
        touched |= {name for name, counts in self.counts.items() if any(counts.as_dict().values())}
        return [name for name in TABLES if name in touched]

    def result(self, *, written: bool, dry_run: bool, report_path: Path | None) -> ImportResult:
        """The outcome, for the CLI and tests."""
        return ImportResult(
            files=self.sources,
            counts=self.counts,
            errors=self.errors,
            invalid_rows=self.invalid_rows,
            written=written,
            dry_run=dry_run,
            run_id=self.run_id,
            report_path=report_path,
            tables=self._tables(),
            undated=self.undated,
            driven=self.driven,
            owners_created=self.owners_created,
        )
