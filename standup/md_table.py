"""Markdown tables for the reports: cells that cannot break a row, and the table itself."""

from __future__ import annotations

from collections.abc import Sequence


def cell(value: object) -> str:
    """A table cell: no pipes or newlines to break the row."""
    if value is None:
        return ""
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table: the header, its rule, one line per row."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
