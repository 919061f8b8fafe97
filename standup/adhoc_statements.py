"""Statements in a text: where each one starts and ends (for the editor's run-this-one)
and DuckDB's type of each, which decides the read-only rule (see :data:`READ_TYPES`)."""

from __future__ import annotations

import re

import duckdb

from standup.adhoc_errors import explain

# The statement types that may run when writes are off: each of DuckDB 1.5's types is
# decided here, and a type not listed (a new one, an internal one) is refused: the rule
# fails closed. Refused up front with one clear message; everything allowed then runs on
# a read-only connection, so DuckDB enforces the rule on the database too.
#   SELECT         queries, DESCRIBE, SHOW, SUMMARIZE, FROM-first, VALUES, UNPIVOT
#   EXPLAIN        only of an allowed statement (EXPLAIN ANALYZE runs it)
#   PREPARE        only of an allowed statement; EXECUTE then runs only such a one, as a
#                  run's statements share one connection that ends with the run
#   EXECUTE        see PREPARE
#   SET            SET / RESET / USE: settings of the private instance the run gets
#   VARIABLE_SET   SET VARIABLE, as SET
# (PRAGMA table_info(...), version and the like parse as SELECT, PRAGMA threads = N as SET.)
# Refused: PRAGMA (those left do things: enable_profiling may write a file, force_checkpoint)
# INSERT UPDATE DELETE MERGE_INTO CREATE (incl. PIVOT's enum, CREATE SECRET)
# CREATE_FUNC DROP (incl. DEALLOCATE) ALTER (incl. COMMENT ON) COPY COPY_DATABASE ATTACH
# DETACH EXPORT LOAD (incl. INSTALL) EXTENSION VACUUM (incl. ANALYZE) TRANSACTION CALL
# (CHECKPOINT is one, and procedures may write) UPDATE_EXTENSIONS, and the internal
# RELATION LOGICAL_PLAN MULTI INVALID (tests/test_sql_statement_rule.py, one row each).
READ_TYPES = frozenset({"SELECT", "EXPLAIN", "PREPARE", "EXECUTE", "SET", "VARIABLE_SET"})
# Of those, the ones that wrap another statement, which must be allowed itself.
_WRAPPERS = {
    "EXPLAIN": re.compile(r"^\s*EXPLAIN\s+(?:ANALYZE\s+)?(?:\([^)]*\)\s*)?(.*)$", re.I | re.S),
    "PREPARE": re.compile(r"^\s*PREPARE\s+\S+?\s*(?:\([^)]*\)\s*)?AS\s+(.*)$", re.I | re.S),
}


_TOKEN = re.compile(
    r"""
      '(?:[^']|'')*'?          # string literal ('' escapes a quote)
    | "(?:[^"]|"")*"?          # quoted identifier
    | \$\$.*?(?:\$\$|\Z)       # dollar-quoted string
    | --[^\n]*                 # line comment
    | /\*.*?(?:\*/|\Z)         # block comment
    | ;                        # statement separator
    """,
    re.VERBOSE | re.DOTALL,
)


def statement_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each statement in ``text``, split on ``;``.

    Semicolons inside strings, quoted identifiers and comments do not split. Spans exclude
    the ``;`` itself; blank statements are dropped.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _TOKEN.finditer(text):
        if match.group() == ";":
            spans.append((start, match.start()))
            start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if _has_code(text[s:e])]


def _has_code(chunk: str) -> bool:
    stripped = _TOKEN.sub(lambda m: "" if m.group().startswith(("--", "/*")) else "x", chunk)
    return bool(stripped.strip())


def statement_at(text: str, offset: int) -> tuple[int, int] | None:
    """The span of the statement under ``offset``.

    Between statements (after a ``;``, on blank lines) the cursor belongs to the statement
    that ended on its line, else to the next one; after the last one, to the last one.
    """
    spans = statement_spans(text)
    previous: tuple[int, int] | None = None
    for start, end in spans:
        code_start = start + len(text[start:end]) - len(text[start:end].lstrip())
        if offset < code_start:
            if previous is not None and "\n" not in text[previous[1] : offset]:
                return previous
            return (start, end)
        if offset <= end:
            return (start, end)
        previous = (start, end)
    return previous


def statement_kinds(sql: str) -> list[str]:
    """DuckDB's statement type of each statement in ``sql`` (``"SELECT"``, ``"INSERT"``...).

    A statement that wraps another (``EXPLAIN ANALYZE INSERT ...``, ``PREPARE p AS
    COPY ...``) is reported as the wrapped one when that one may write, so the read-only
    rule sees through it.
    """
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise explain(exc, sql) from None
    return [_kind(statement) for statement in statements]


def _kind(statement: duckdb.Statement) -> str:
    kind = str(statement.type).rsplit(".", 1)[-1]
    if kind == "???":  # no name in the Python enum (UPDATE EXTENSIONS in 1.5)
        return "UNKNOWN"
    pattern = _WRAPPERS.get(kind)
    if pattern is None:
        return kind
    match = pattern.match(statement.query)
    try:
        inner = duckdb.extract_statements(match.group(1)) if match else []
    except duckdb.Error:
        inner = []
    if not inner:
        return f"{kind} (unreadable)"  # not in READ_TYPES: refused
    wrapped = [_kind(s) for s in inner]
    return next((k for k in wrapped if writes(k)), kind)


def writes(kind: str) -> bool:
    """True for a statement type that may change the database or write files (any type
    not known to be read-only)."""
    return kind not in READ_TYPES
