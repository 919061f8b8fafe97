"""Reading export files into staging tables, and telling which standup table each holds.

DuckDB reads every file (CSV with sniffed delimiter/quoting/BOM/line endings, Parquet,
JSON lines) into a temp table of text columns; the mapping then projects those columns,
by the export's own names, onto standup's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from standup.errors import StandupError
from standup.importing.mapping import COLUMNS, Mapping, TableMapping

Connection = duckdb.DuckDBPyConnection

# Reader per file suffix. Everything is read as text: conversion and its errors are ours.
_CSV = "read_csv($path, all_varchar = true, header = true, nullstr = $nulls)"
_READERS = {
    ".csv": _CSV,
    ".tsv": _CSV,
    ".txt": _CSV,
    ".parquet": "read_parquet($path)",
    ".jsonl": "read_json($path, format = 'newline_delimited')",
    ".ndjson": "read_json($path, format = 'newline_delimited')",
    ".json": "read_json($path, format = 'newline_delimited')",
}


# The staging column holding each row's line number in its file.
LINE = "__standup_line"


class ImportFileError(StandupError):
    """An export file cannot be read, or its table cannot be told."""


@dataclass
class SourceFile:
    """One export file and what the import learned about it."""

    index: int
    path: Path
    label: str  # the path as the user gave it: what reports show
    table: str = ""
    header: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def is_csv(self) -> bool:
        """CSV-like text (the reader knows the null markers; cells need only trimming)."""
        return self.path.suffix.lower() in (".csv", ".tsv", ".txt")

    @property
    def first_line(self) -> int:
        """The line number of the first data row: CSV has a header line, the others not."""
        return 2 if self.is_csv else 1


def parse_spec(spec: str, index: int) -> SourceFile:
    """``FILE`` or ``TABLE=FILE`` (to say which table a file holds when its header can't)."""
    table, sep, rest = spec.partition("=")
    if sep and table in COLUMNS:
        source = SourceFile(index, Path(rest), rest, table)
    else:
        source = SourceFile(index, Path(spec), spec)
    if not source.path.exists():
        raise ImportFileError(f"{source.label}: no such file")
    if source.path.is_dir():
        raise ImportFileError(f"{source.label}: is a directory")
    if source.path.suffix.lower() not in _READERS:
        raise ImportFileError(
            f"{source.label}: unknown file type (use .csv, .tsv, .parquet or .jsonl)"
        )
    return source


def reader_sql(source: SourceFile) -> str:
    """``SELECT`` of the file's rows with their line numbers; binds ``$path`` (and ``$nulls``
    for CSV). row_number() over the file's own order is the line number (the reader keeps
    file order while ``preserve_insertion_order`` is on, the default)."""
    reader = _READERS[source.path.suffix.lower()]
    return f"SELECT row_number() OVER () + {source.first_line - 1} AS {LINE}, * FROM {reader}"


def reader_params(source: SourceFile, null_values: list[str]) -> dict[str, object]:
    """The parameters :func:`reader_sql` binds."""
    params: dict[str, object] = {"path": str(source.path)}
    if source.is_csv:
        params["nulls"] = null_values
    return params


def read_header(conn: Connection, source: SourceFile, null_values: list[str]) -> None:
    """Sniff the file (DuckDB reads only a sample) and record its column names."""
    reader = _READERS[source.path.suffix.lower()]
    try:
        described = conn.execute(
            f"DESCRIBE SELECT * FROM {reader}", reader_params(source, null_values)
        ).fetchall()
    except duckdb.Error as exc:
        raise ImportFileError(f"{source.label}: cannot read: {first_line(exc)}") from None
    source.header = [row[0] for row in described]


def first_line(exc: BaseException) -> str:
    """The first non-empty line of a DuckDB error: what went wrong, without the hints."""
    return next((line for line in str(exc).splitlines() if line.strip()), "unreadable")


def _present(header: list[str]) -> dict[str, str]:
    # Exports differ in case and stray spaces between versions: match loosely.
    return {name.strip().lower(): name for name in header}


def find_column(header: list[str], wanted: str) -> str | None:
    """The header's own spelling of ``wanted``, matched case- and space-insensitively."""
    return _present(header).get(wanted.strip().lower())


def detect(source: SourceFile, mapping: Mapping) -> str:
    """Which table the file holds: the section whose detect columns are all present and
    most numerous. Ambiguity or no match is an error telling the user to name the table.
    """
    if source.table:
        if mapping.section(source.table) is None:
            raise ImportFileError(f"{source.label}: the mapping has no [{source.table}] section")
        return source.table
    scored: list[tuple[int, str]] = []
    for table in mapping.tables():
        section = mapping.section(table)
        assert section is not None
        wanted = section.detect_columns()
        if wanted and all(find_column(source.header, name) for name in wanted):
            scored.append((len(wanted), table))
    scored.sort(reverse=True)
    if not scored:
        raise ImportFileError(
            f"{source.label}: no mapping section matches its columns "
            f"({', '.join(source.header[:6])}{', ...' if len(source.header) > 6 else ''}); "
            f"name the table as TABLE=FILE or check --mapping"
        )
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        raise ImportFileError(
            f"{source.label}: could hold {scored[0][1]} or {scored[1][1]}; "
            f"name the table as TABLE=FILE"
        )
    return scored[0][1]


def quote(name: str) -> str:
    """A source column name as a SQL identifier (export headers have spaces, quotes...)."""
    return '"' + name.replace('"', '""') + '"'


def projection(
    source: SourceFile, table: str, section: TableMapping
) -> tuple[list[str], dict[str, str]]:
    """The SELECT list that maps the raw file onto ``imp_src_<table>``'s columns, and which
    standup column each export column fills (for reports).

    Identifiers come from the file's header (quoted) and standup's fixed column names;
    every value (defaults, value maps, null markers) is a bound variable, never text.
    """
    exprs: list[str] = []
    sources: dict[str, str] = {}
    clean = "imp_trim" if source.is_csv else "imp_clean"
    for column in COLUMNS[table]:
        wanted = section.columns.get(column)
        names = [wanted] if isinstance(wanted, str) else list(wanted or [])
        found = [name for name in (find_column(source.header, n) for n in names) if name]
        if not found:
            expr = "NULL::VARCHAR"
        elif len(found) == 1:
            expr = f"{clean}({quote(found[0])})"
            sources[column] = found[0]
        else:
            parts = ", ".join(f"{clean}({quote(name)})" for name in found)
            expr = f"nullif(concat_ws(' ', {parts}), '')"
            sources[column] = " + ".join(found)
        if column in section.values:
            var = f"imp_vm_{table}_{column}"
            expr = (
                f"(CASE WHEN map_contains(getvariable('{var}'), lower({expr})) "
                f"THEN nullif(getvariable('{var}')[lower({expr})], '') ELSE {expr} END)"
            )
        if column in section.defaults:
            expr = f"coalesce({expr}, getvariable('imp_def_{table}_{column}'))"
        exprs.append(f"{expr} AS {column}")
    return exprs, sources


def missing_required(source: SourceFile, section: TableMapping, required: tuple[str, ...]) -> str:
    """The first required standup column the file cannot fill, as an error message, or ''."""
    for column in required:
        if column in section.defaults:
            continue
        wanted = section.columns.get(column)
        names = [wanted] if isinstance(wanted, str) else list(wanted or [])
        if not any(find_column(source.header, name) for name in names):
            shown = " + ".join(names) or "(unmapped)"
            return f"{source.label}: no column {shown!r} for {source.table}.{column}"
    return ""
