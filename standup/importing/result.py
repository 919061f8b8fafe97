"""What an import reports: each invalid cell, per-table counts, and the outcome as a
whole (what the CLI prints and the tests read)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from standup.importing.sources import SourceFile


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
