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

from standup.importing.mapping import COLUMNS, REQUIRED, TABLES, Mapping
from standup.importing.sources import (
    LINE,
    ImportFileError,
    SourceFile,
    detect,
    first_line,
    missing_required,
    parse_spec,
    projection,
    read_header,
    reader_params,
    reader_sql,
)
from standup.store import Store, run

Connection = duckdb.DuckDBPyConnection
Progress = Callable[[int, int, str], None]

# Columns a lead derived from a deal row takes from it (deals_derive_leads.sql).
_DERIVED_LEAD_COLUMNS = ("company", "contact_name", "email", "owner", "campaign", "created_at")


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

    def summary(self) -> dict[str, dict[str, int]]:
        """table -> counts, for the tables this import touched."""
        return {name: self.counts[name].as_dict() for name in self.tables}


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
    job = _Job(sources, mapping, now, mapping_name or mapping.name, progress)
    if dry_run:
        with store.reading() as conn:
            job.stage(conn)
            job.finish_report(conn, report_path)
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

    def tick(self, label: str) -> None:
        """Report one step done to the progress callback."""
        self.step += 1
        if self.progress:
            self.progress(min(self.step, self.total), self.total, label)

    # -- staging and validation --------------------------------------------------------

    def stage(self, conn: Connection) -> None:
        """Read, project, validate and plan everything; write nothing to the database."""
        self._setup(conn)
        for source in self.sources:
            read_header(conn, source, list(self.mapping.null_values))
            source.table = detect(source, self.mapping)
        self._check_required()
        self._project(conn)
        # From here on every row carries its file and line: staging tables need not keep
        # insertion order, which lets DuckDB build them in parallel.
        conn.execute("SET preserve_insertion_order = false")
        self._validate_and_plan(conn)
        self._count(conn)

    def _setup(self, conn: Connection) -> None:
        mapping = self.mapping
        conn.execute("SET VARIABLE imp_nulls = $v", {"v": list(mapping.null_values)})
        conn.execute("SET VARIABLE imp_formats = $v", {"v": list(mapping.date_formats)})
        conn.execute("SET VARIABLE imp_now = $v", {"v": self.now})
        conn.execute(_query("setup"))
        for table in TABLES:
            columns = ", ".join(f"{name} VARCHAR" for name in COLUMNS[table])
            conn.execute(
                f"CREATE OR REPLACE TEMP TABLE imp_src_{table} "
                f"(file VARCHAR, line BIGINT, {columns})"
            )
            section = mapping.section(table)
            if section is None:
                continue
            for column, values in section.values.items():
                conn.execute(
                    f"SET VARIABLE imp_vm_{table}_{column} = MAP($k, $v)",
                    {
                        "k": [key.strip().lower() for key in values],
                        "v": list(values.values()),
                    },
                )
            for column, value in section.defaults.items():
                conn.execute(f"SET VARIABLE imp_def_{table}_{column} = $v", {"v": value})
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE imp_files "
            "(file VARCHAR, file_index INTEGER, row_offset BIGINT)"
        )
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE imp_columns (file VARCHAR, col VARCHAR, source VARCHAR)"
        )

    def _check_required(self) -> None:
        for source in self.sources:
            section = self.mapping.section(source.table)
            assert section is not None
            problem = missing_required(source, section, REQUIRED[source.table])
            if problem:
                raise ImportFileError(problem)

    def _project(self, conn: Connection) -> None:
        provided: dict[str, list[set[str]]] = {}
        offset = 0
        for source in self.sources:
            self.tick(f"reading {source.path.name}")
            section = self.mapping.section(source.table)
            assert section is not None
            exprs, columns = projection(source, source.table, section)
            # One pass over the file: read, number the lines, clean and map the columns.
            # The table and column names are standup's own; source names are quoted.
            params = reader_params(source, list(self.mapping.null_values))
            try:
                done = conn.execute(
                    f"INSERT INTO imp_src_{source.table} "
                    f"SELECT $file, {LINE}, {', '.join(exprs)} FROM ({reader_sql(source)})",
                    {**params, "file": source.label},
                ).fetchone()
            except duckdb.Error as exc:
                raise ImportFileError(f"{source.label}: cannot read: {first_line(exc)}") from None
            source.rows = int(done[0]) if done else 0
            conn.execute(
                "INSERT INTO imp_files VALUES ($file, $index, $offset)",
                {"file": source.label, "index": source.index, "offset": offset},
            )
            offset += source.rows + source.first_line
            if columns:
                conn.executemany(
                    "INSERT INTO imp_columns VALUES ($file, $col, $source)",
                    [
                        {"file": source.label, "col": col, "source": name}
                        for col, name in columns.items()
                    ],
                )
            provided.setdefault(source.table, []).append(set(columns) | set(section.defaults))
        # A column counts as provided (and so overwrites stored values) only if every file
        # of its table has it: a narrower export must not blank out what it does not carry.
        for table, sets in provided.items():
            self.mapped[table] = sorted(set.intersection(*sets))
        conn.execute(
            "SET VARIABLE imp_has_refs = (SELECT count(*) > 0 FROM imp_src_deals) "
            "OR (SELECT count(*) > 0 FROM imp_src_touches)"
        )
        deals = self.mapping.section("deals")
        if deals is not None and deals.create_leads and "deals" in provided:
            conn.execute(_query("deals_derive_leads"))
            derived = [c for c in _DERIVED_LEAD_COLUMNS if c in self.mapped["deals"]]
            self.mapped["leads"] = sorted(set(self.mapped.get("leads", [])) | {*derived, "stage"})

    def _validate_and_plan(self, conn: Connection) -> None:
        def step(name: str, label: str, params: dict[str, Any] | None = None) -> None:
            self.tick(label)
            conn.execute(_query(name), params)

        def dups(table: str) -> None:
            conn.execute(_query("dup_keys"))
            conn.execute(_query("dups"), {"tbl": table})
            conn.execute(_query("dups_skip"), {"tbl": table})

        def mapped(table: str) -> dict[str, Any]:
            return {"mapped": self.mapped.get(table, []), "now": self.now}

        leads = self.mapping.section("leads")
        create_campaigns = bool(leads and leads.create_campaigns)

        step("people_typed", "checking people")
        conn.execute(_query("people_errors"))
        dups("people")
        conn.execute(_query("invalid"))
        conn.execute(_query("people_plan"), {"mapped": self.mapped.get("people", [])})
        conn.execute(_query("people_keys"))

        step("campaigns_typed", "checking campaigns")
        conn.execute(_query("campaigns_errors"))
        dups("campaigns")
        conn.execute(_query("invalid"))
        conn.execute(_query("campaigns_plan"), {"mapped": self.mapped.get("campaigns", [])})
        conn.execute(_query("campaigns_keys"))

        step("leads_typed", "checking leads")
        step("leads_errors", "validating leads", {"create_campaigns": create_campaigns})
        dups("leads")
        step("lead_names", "checking deals")
        conn.execute(_query("deals_typed"))
        step("deals_errors", "validating deals")
        dups("deals")
        step("touches_typed", "checking touches")
        conn.execute(_query("touches_errors"))
        dups("touches")
        conn.execute(_query("invalid"))

        if create_campaigns:
            step("campaigns_derive", "deriving campaigns")
            conn.execute(_query("campaigns_keys"))
        step("leads_plan", "planning leads", mapped("leads"))
        conn.execute(_query("leads_keys"))
        step("cascade", "planning deals")
        conn.execute(_query("invalid"))
        conn.execute(_query("deals_plan"), mapped("deals"))
        step("touches_plan", "planning touches")

    def _count(self, conn: Connection) -> None:
        for table, new, updated, unchanged in conn.execute(_query("summary")).fetchall():
            counts = self.counts[table]
            counts.new, counts.updated, counts.unchanged = int(new), int(updated), int(unchanged)
        for table, what, n in conn.execute(_query("invalid_counts")).fetchall():
            setattr(self.counts[table], what, int(n))
        row = conn.execute("SELECT count(*) FROM imp_invalid").fetchone()
        skipped = conn.execute("SELECT count(*) FROM imp_skip").fetchone()
        self.invalid_rows = int(row[0] if row else 0) - int(skipped[0] if skipped else 0)

    def finish_report(self, conn: Connection, report_path: Path | None, limit: int = 1000) -> None:
        """Collect the first ``limit`` errors, and write all of them to ``report_path``."""
        sql = _query("report")
        if report_path is not None:
            # COPY takes its target as a bound parameter; the query is our own file.
            conn.execute(
                f"COPY (SELECT file, line, col AS column, value, reason FROM ({sql})) "
                "TO $path (HEADER, DELIMITER ',')",
                {"path": str(report_path)},
            )
        rows = conn.execute(f"SELECT * FROM ({sql}) LIMIT {int(limit)}").fetchall()
        self.errors = [
            RowError(table, file, int(line), col, value, reason)
            for table, file, line, col, value, reason, _ in rows
        ]

    # -- writing ------------------------------------------------------------------------

    def apply(self, conn: Connection) -> None:
        """Write the plan, record the run and quarantine the rejected rows."""
        self.tick("writing people and campaigns")
        conn.execute(_query("people_apply"))
        conn.execute(_query("campaigns_apply"))
        self.tick("writing leads")
        conn.execute(_query("leads_apply"))
        self.tick("writing deals and touches")
        conn.execute(_query("deals_apply"))
        conn.execute(_query("touches_apply"))
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
        deals = self.mapping.section("deals")
        if "deals" in touched and deals is not None and deals.create_leads:
            touched.add("leads")
        leads = self.mapping.section("leads")
        if "leads" in touched and leads is not None and leads.create_campaigns:
            touched.add("campaigns")
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
        )


def _query(name: str) -> str:
    import queries

    return queries.load(f"import/{name}")
