"""Completion for the SQL prompt: what may come next at the cursor, from the live catalog.

Pure functions of the text and a :class:`standup.adhoc.Catalog`, so they are tested without
a UI. Rules, in order of preference:

- after ``name.`` the columns of table ``name`` (or of the table that alias ``name`` stands for);
- right after FROM / JOIN / INTO / UPDATE / TABLE / DESCRIBE: table names;
- otherwise the columns of the tables the statement reads, then tables, functions, keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from standup.adhoc import Catalog

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_QUALIFIED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)?$")
_TABLE_CONTEXT = re.compile(
    r"\b(from|join|into|update|table|describe|summarize)\s+(?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)*$",
    re.IGNORECASE,
)
# `FROM leads l`, `JOIN deals AS d`, `FROM leads, deals d`
_TABLE_REF = re.compile(
    r"\b(?:from|join|,)\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s+(?:as\s+)?([A-Za-z_][A-Za-z0-9_]*))?",
    re.IGNORECASE,
)
_NOT_ALIAS = frozenset(
    {
        "where",
        "join",
        "left",
        "right",
        "inner",
        "outer",
        "full",
        "cross",
        "on",
        "using",
        "group",
        "order",
        "limit",
        "having",
        "union",
        "natural",
        "as",
        "window",
        "qualify",
        "select",
    }
)
MAX_ITEMS = 30


@dataclass(frozen=True)
class Candidate:
    """One suggestion: the text to insert and what kind of thing it is."""

    text: str
    kind: str  # "column", "table", "function", "keyword"
    detail: str = ""


@dataclass(frozen=True)
class Completion:
    """The word being typed (to be replaced) and what could replace it."""

    prefix: str
    candidates: tuple[Candidate, ...]


def tables_in(statement: str, catalog: Catalog) -> dict[str, str]:
    """Map of name-or-alias (lower case) to table name, for tables the statement reads."""
    known = {table.lower(): table for table in catalog.tables}
    found: dict[str, str] = {}
    for match in _TABLE_REF.finditer(statement):
        table = known.get(match.group(1).lower())
        if table is None:
            continue
        found[table.lower()] = table
        alias = match.group(2)
        if alias and alias.lower() not in _NOT_ALIAS:
            found[alias.lower()] = table
    return found


def complete(catalog: Catalog, before: str, statement: str = "") -> Completion:
    """Suggestions for the word ending at the cursor; ``before`` is the text up to it.

    ``statement`` is the whole statement under the cursor (for aliases and tables named
    after the cursor, as in ``SELECT le| FROM leads``); it defaults to ``before``.
    """
    statement = statement or before
    qualified = _QUALIFIED.search(before)
    if qualified:
        owner, prefix = qualified.group(1), qualified.group(2) or ""
        table = tables_in(statement, catalog).get(owner.lower())
        if table is None:
            table = next((t for t in catalog.tables if t.lower() == owner.lower()), None)
        if table is None:
            return Completion(prefix, ())
        columns = [
            Candidate(column, "column", table)
            for column in catalog.columns.get(table, ())
            if column.lower().startswith(prefix.lower())
        ]
        return Completion(prefix, tuple(columns[:MAX_ITEMS]))

    word = _WORD.search(before)
    prefix = word.group() if word else ""
    if not prefix:
        return Completion("", ())
    head = before[: len(before) - len(prefix)]
    lower = prefix.lower()

    tables = [Candidate(t, "table") for t in catalog.tables if t.lower().startswith(lower)]
    if _TABLE_CONTEXT.search(head):
        return Completion(prefix, tuple(tables[:MAX_ITEMS]))

    in_context = sorted(set(tables_in(statement, catalog).values()))
    seen: set[str] = set()
    columns = []
    for table in in_context:
        for column in catalog.columns.get(table, ()):
            if column.lower().startswith(lower) and column not in seen:
                seen.add(column)
                columns.append(Candidate(column, "column", table))
    functions = [
        Candidate(name, "function") for name in catalog.functions if name.startswith(lower)
    ]
    upper = prefix[:1].isupper()
    keywords = [
        Candidate(name.upper() if upper else name.lower(), "keyword")
        for name in catalog.keywords
        if name.lower().startswith(lower)
    ]
    ordered = [*columns, *tables, *keywords, *functions]
    # Nothing to offer when the word is already complete and the only candidate.
    if len(ordered) == 1 and ordered[0].text == prefix:
        return Completion(prefix, ())
    unique: dict[str, Candidate] = {}
    for candidate in ordered:
        unique.setdefault(candidate.text.lower(), candidate)
    return Completion(prefix, tuple(list(unique.values())[:MAX_ITEMS]))
