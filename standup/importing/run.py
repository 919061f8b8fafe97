"""The import itself: stage every file, validate every row in bulk SQL, plan, then write.

Everything happens on one connection in one transaction (``store.writing()``), so an
import is all or nothing; a dry run does the same work on a read-only connection and
stops before writing. Rows are never looped over in Python: each step is one SQL file in
``queries/import/`` run over whole staging tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from standup import facts, lifecycle
from standup.errors import StandupError
from standup.importing.mapping import COLUMNS, REQUIRED, TABLES, Mapping, TableMapping
from standup.importing.sources import (
    ABSENT,
    ImportFileError,
    SourceFile,
    column_sources,
    detect,
    find_column,
    missing_required,
    parse_spec,
    read,
)
from standup.store import Store, run

Connection = duckdb.DuckDBPyConnection
Progress = Callable[[int, int, str], None]

# Columns a lead derived from a deal row takes from it (deals_derive_leads.sql).
_DERIVED_LEAD_COLUMNS = (
    "company", "contact_name", "email", "owner", "campaign", "created_at", "opportunity_at",
    "customer_at",
)  # fmt: skip


@dataclass(frozen=True)
class RowError:
    """One invalid cell: where it is, what it holds, what is wrong."""

    table: str
    file: str
    line: int
    column: str
    value: str | None
    reason: str

    def describe(self) -> str:
        """``file:line: column 'value': reason`` for the screen."""
        shown = f" {self.value!r}" if self.value is not None else ""
        return f"{self.file}:{self.line}: {self.column}{shown}: {self.reason}"


@dataclass
class TableCounts:
    """What the import does (or would do) to one table."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    duplicate: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain dict for JSON and tests."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "duplicate": self.duplicate,
        }


@dataclass
class ImportResult:
    """The outcome of one import (or dry run)."""

    files: list[SourceFile]
    counts: dict[str, TableCounts]
    errors: list[RowError]
    invalid_rows: int
    written: bool
    dry_run: bool
    run_id: int | None = None
    report_path: Path | None = None
    tables: list[str] = field(default_factory=list)
    # table -> rows that had no created date (imported with the date unknown)
    undated: dict[str, int] = field(default_factory=dict)
    driven: int = 0  # leads their deals moved (won -> customer, ...)
    owners_created: int = 0  # people made from the owner columns

    def summary(self) -> dict[str, dict[str, int]]:
        """table -> counts, for the tables this import touched."""
        return {name: self.counts[name].as_dict() for name in self.tables}


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
        self._setup(conn)
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
            self._derive(conn, source, section)
            columns = self._project(conn, source, section, offset)
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

    def _setup(self, conn: Connection) -> None:
        mapping = self.mapping
        run(conn, "import/vars/nulls", {"v": list(mapping.null_values)})
        run(conn, "import/vars/formats", {"v": list(mapping.date_formats)})
        run(conn, "import/vars/now", {"v": self.now})
        run(conn, "import/vars/funnel", {"v": lifecycle.sql_params()["funnel"]})
        deals = mapping.section("deals")
        run(
            conn,
            "import/vars/lost_stage",
            {"v": deals.lost_lead_stage if deals else "disqualified"},
        )
        keys, maps = [""], [{"k": [""], "v": [""]}]  # never empty: MAP needs its types
        defaults: dict[str, str] = {"": ""}
        for table in TABLES:
            section = mapping.section(table)
            if section is None:
                continue
            for column, values in section.values.items():
                keys.append(f"{table}.{column}")
                maps.append(
                    {"k": [key.strip().lower() for key in values], "v": list(values.values())}
                )
            for column, value in section.defaults.items():
                defaults[f"{table}.{column}"] = value
        run(conn, "import/vars/values", {"k": keys, "v": maps})
        run(conn, "import/vars/defaults", {"k": list(defaults), "v": list(defaults.values())})
        run(conn, "import/setup")
        # sentinel row: the list's type is known even when the mapping adds no codes
        codes = [{"code": "", "kind": "", "category": "", "label": "", "default_action": "",
                  "recycle_days": 0}]  # fmt: skip
        codes += [
            c.model_dump() | {"recycle_days": c.recycle_days or 0} for c in mapping.reason_codes
        ]
        run(conn, "import/reason_codes_stage", {"codes": codes})
        for table in ("leads", "deals"):
            section = mapping.section(table)
            for column, lk in (section.lookup if section else {}).items():
                if not Path(lk.file).exists():
                    raise ImportFileError(f"{table}.lookup.{column}: no such file {lk.file}")
                params = {"col": column, "match": lk.match, "value": lk.value, "file": lk.file}
                try:
                    run(conn, "import/lookup_insert", params)
                except StandupError as exc:
                    raise ImportFileError(f"{table}.lookup.{column}: {exc}") from None

    def _derive(self, conn: Connection, source: SourceFile, section: TableMapping) -> None:
        """Evaluate the section's derive rules and lookups over the file just read."""
        if not section.derive and not section.lookup:
            run(conn, "import/derive_none")
            return

        def header(name: str) -> str:
            return find_column(source.header, name) or "__standup_null"

        # sentinels that match nothing keep the lists' types known (derive.sql)
        rules: list[dict[str, Any]] = [
            {"col": "", "pos": 0, "conds": [{"src": "", "val": "\x00"}], "then": ""}
        ]
        needed = {"__standup_null"}
        for column, column_rules in section.derive.items():
            for pos, rule in enumerate(column_rules, start=1):
                conds = [
                    {"src": header(src), "val": val.strip().lower()}
                    for src, val in rule.when.items()
                ]
                needed |= {c["src"] for c in conds}
                rules.append({"col": column, "pos": pos, "conds": conds, "then": rule.then})
        lookups = [{"col": "", "src": ""}]
        for column, lk in section.lookup.items():
            lookups.append({"col": column, "src": header(lk.key)})
            needed.add(header(lk.key))
        params = {"needed": sorted(needed), "rules": rules, "lookups": lookups}
        run(conn, "import/derive", params)

    def _project(
        self, conn: Connection, source: SourceFile, section: TableMapping, offset: int
    ) -> dict[str, list[str]]:
        """Map the file just read onto ``imp_src_<table>``; returns the columns it fed."""
        columns = column_sources(source, section)
        table = source.table
        names = list(COLUMNS[table])
        # Always two sources per column; ABSENT (a column of NULLs) fills the gaps.
        parts = [[*columns.get(name, []), ABSENT, ABSENT][:2] for name in names]
        run(conn, "import/vars/cols", {"k": names, "v": parts})
        run(conn, "import/vars/csv", {"v": source.is_csv})
        run(
            conn,
            f"import/project_{table}",
            {
                "file": source.index,
                "first_rowid": source.first_rowid,
                "first_line": source.first_line,
            },
        )
        run(
            conn,
            "import/file_insert",
            {"file": source.index, "label": source.label, "row_offset": offset},
        )
        for column, used in columns.items():
            run(
                conn,
                "import/column_insert",
                {"file": source.index, "col": column, "source": " + ".join(used)},
            )
        return columns

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
