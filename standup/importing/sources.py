"""Reading export files into a staging table, and telling which standup table each holds.

DuckDB reads every file (CSV with sniffed delimiter/quoting/BOM/line endings, Parquet,
JSON) into ``imp_raw`` as text, in file order; ``project_<table>.sql`` then maps its
columns, by the export's own names (bound as variables, never spliced into SQL), onto
standup's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from standup.errors import StandupError
from standup.importing.mapping import COLUMNS, Mapping, TableMapping
from standup.store import run

Connection = duckdb.DuckDBPyConnection

# queries/import/<reader>.sql per file suffix.
_READERS = {
    ".csv": "read_csv",
    ".tsv": "read_csv",
    ".txt": "read_csv",
    ".parquet": "read_parquet",
    ".jsonl": "read_json",
    ".ndjson": "read_json",
    ".json": "read_json",
}

# The column of NULLs every raw table has: what an absent source column reads as.
ABSENT = "__standup_null"


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
    first_rowid: int = 0

    @property
    def is_csv(self) -> bool:
        """CSV-like text (the reader knows the null markers; cells need only trimming)."""
        return _READERS[self.path.suffix.lower()] == "read_csv"

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
            f"{source.label}: unknown file type (use .csv, .tsv, .parquet, .json or .jsonl)"
        )
    return source


def read(conn: Connection, source: SourceFile, null_values: list[str]) -> None:
    """Load the file into ``imp_raw`` (text, file order) and record its rows and header."""
    reader = _READERS[source.path.suffix.lower()]
    params: dict[str, object] = {"path": str(source.path)}
    if source.is_csv:
        params["nulls"] = null_values
    try:
        try:
            conn.execute(_sql(reader), params)
        except duckdb.Error as exc:
            if "quoted new lines" not in str(exc):
                raise
            conn.execute(_sql("read_csv_serial"), params)
    except duckdb.Error as exc:
        raise ImportFileError(f"{source.label}: cannot read: {first_line(exc)}") from None
    row = run(conn, "import/raw_info").fetchone()
    assert row is not None
    source.rows, source.first_rowid, source.header = int(row[0]), int(row[1]), list(row[2])
    if source.is_csv and _line_breaks(source.path) > source.rows + 1:
        # Quoted cells span lines: number records by their first physical line.
        params = {"first_line": source.first_line, "first_rowid": source.first_rowid}
        run(conn, "import/raw_lines", params)
    else:
        run(conn, "import/raw_lines_none")


def _line_breaks(path: Path) -> int:
    """How many line breaks the file has (a C-speed byte count: ~0.1 s per 150 MB)."""
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def first_line(exc: BaseException) -> str:
    """The first non-empty line of a DuckDB error: what went wrong, without the hints."""
    return next((line for line in str(exc).splitlines() if line.strip()), "unreadable")


def find_column(header: list[str], wanted: str) -> str | None:
    """The header's own spelling of ``wanted``, matched case- and space-insensitively
    (exports differ in case and stray spaces between versions)."""
    present = {name.strip().lower(): name for name in header}
    return present.get(wanted.strip().lower())


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
        shown = ", ".join(source.header[:6]) + (", ..." if len(source.header) > 6 else "")
        raise ImportFileError(
            f"{source.label}: no mapping section matches its columns ({shown}); "
            f"name the table as TABLE=FILE or check --mapping"
        )
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        raise ImportFileError(
            f"{source.label}: could hold {scored[0][1]} or {scored[1][1]}; "
            f"name the table as TABLE=FILE"
        )
    return scored[0][1]


def column_sources(source: SourceFile, section: TableMapping) -> dict[str, list[str]]:
    """standup column -> the file's own names of its (one or two) source columns, for the
    columns this file has. Raises for a mapping that joins more than two columns."""
    found: dict[str, list[str]] = {}
    for column, wanted in section.columns.items():
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        present = [name for name in (find_column(source.header, n) for n in names) if name]
        if len(present) > 2:
            raise ImportFileError(
                f"{source.label}: {source.table}.columns.{column}: at most two source columns"
            )
        if present:
            found[column] = present
    return found


def missing_required(source: SourceFile, section: TableMapping, required: tuple[str, ...]) -> str:
    """The first required standup column the file cannot fill, as an error message, or ''."""
    present = column_sources(source, section)
    for column in required:
        if column in section.defaults or column in section.derive or column in present:
            continue
        wanted = section.columns.get(column)
        names = [wanted] if isinstance(wanted, str) else list(wanted or [])
        shown = " + ".join(names) or "(unmapped)"
        return f"{source.label}: no column {shown!r} for {source.table}.{column}"
    return ""


def _sql(name: str) -> str:
    import queries

    return queries.load(f"import/{name}")
