"""What ad-hoc SQL hands back: a query's capped Arrow result with its full row count, and
the catalog of names completion offers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa


@dataclass(frozen=True)
class Result:
    """A query's answer: an Arrow table (at most the row limit) and how many rows in all.

    ``total_rows`` is ``None`` while the full count is not known yet (it is being counted).
    """

    table: pa.Table
    total_rows: int | None
    elapsed: float = 0.0
    statement: str = ""
    kind: str = "SELECT"

    @property
    def capped(self) -> bool:
        """True when the table holds fewer rows than the query returned."""
        return self.total_rows is None or self.total_rows > self.table.num_rows

    def summary(self) -> str:
        """``"1,234 rows · 12 ms"`` or ``"first 10,000 of 1,000,000 rows · 0.4 s"``."""
        shown = self.table.num_rows
        if self.total_rows is None:
            rows = f"first {shown:,} rows (counting…)"
        elif self.total_rows > shown:
            rows = f"first {shown:,} of {self.total_rows:,} rows"
        else:
            rows = f"{shown:,} row" + ("" if shown == 1 else "s")
        return f"{rows} · {format_elapsed(self.elapsed)}"


def format_elapsed(seconds: float) -> str:
    """Short human time: ``"85 ms"``, ``"1.4 s"``, ``"2 min 05 s"``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


@dataclass(frozen=True)
class Catalog:
    """What completion offers: names read from the live database."""

    tables: tuple[str, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    functions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
