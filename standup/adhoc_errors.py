"""Ad-hoc SQL's errors: what DuckDB refused, as one line, with the position in the
user's statement when DuckDB says where (so the editor can jump there)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from standup.errors import QueryError

WRITE_HINT = (
    "the SQL prompt is read-only; to allow writes start standup with --allow-writes "
    "or set sql_allow_writes = true in the config"
)


@dataclass(frozen=True)
class ErrorPosition:
    """Where in the statement DuckDB says the problem is (1-based line and column)."""

    line: int
    column: int


class AdhocError(QueryError):
    """DuckDB refused the statement; ``position`` is set when DuckDB says where."""

    def __init__(self, message: str, position: ErrorPosition | None = None) -> None:
        super().__init__(message)
        self.position = position


class Cancelled(AdhocError):
    """The user cancelled the running query."""


class WriteRefused(AdhocError):
    """A statement would write, and writes are not allowed."""


_LINE = re.compile(r"^LINE (\d+): ?(.*)$")


def explain(exc: duckdb.Error, sql: str = "") -> AdhocError:
    """A one-line error from a DuckDB exception, with the position when DuckDB gives one."""
    if isinstance(exc, duckdb.InterruptException):
        return Cancelled("query cancelled")
    raw = str(exc).splitlines()
    lines = [line.strip() for line in raw if line.strip()]
    message = lines[0] if lines else type(exc).__name__
    if "read-only" in message or "read only" in message:
        return AdhocError(f"{message} ({WRITE_HINT})")
    # DuckDB's suggestions ("Candidate bindings: ...", "Did you mean ...") are the fix.
    hint = next(
        (line for line in lines[1:] if line.startswith(("Candidate bindings", "Did you mean"))),
        None,
    )
    if hint:
        message = f"{message} {hint}"
    position = _position(raw, sql)
    where = next((line for line in lines[1:] if line.startswith("LINE ")), None)
    if position is not None:
        return AdhocError(f"{message} (line {position.line}, column {position.column})", position)
    return AdhocError(f"{message} [{where}]" if where else message)


def _position(raw: list[str], sql: str) -> ErrorPosition | None:
    """Read DuckDB's ``LINE n: text`` + caret lines into a line/column of ``sql``."""
    for index, line in enumerate(raw):
        match = _LINE.match(line)
        if not match or index + 1 >= len(raw):
            continue
        caret = raw[index + 1]
        if "^" not in caret:
            return None
        number = int(match.group(1))
        shown = match.group(2)
        column = caret.index("^") - (len(line) - len(shown))
        # DuckDB may show a rewritten or shortened line; only trust it when it is the
        # user's own line, so the editor never jumps to a wrong place.
        source = sql.splitlines()
        if 1 <= number <= len(source) and shown.strip() and shown in source[number - 1]:
            return ErrorPosition(number, source[number - 1].index(shown) + column + 1)
        return None
    return None
