"""Arrow results in textual-fastdatatable, fast at any size.

``ArrowBackend`` measures every value of every column to size the columns: linear in the
rows, about 50 ms per 1,000 rows of the leads table. :class:`SampledArrowBackend` sizes
columns from the first rows only (what is on screen first), so a 10,000-row result shows
as fast as a 100-row one; a longer value further down is cut at the column's width.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from textual_fastdatatable import ArrowBackend, DataTable

# Rows measured to size the columns: a few screens' worth.
SAMPLE_ROWS = 200


class SampledArrowBackend(ArrowBackend):
    """An ``ArrowBackend`` that measures column widths on the first rows only."""

    @property
    def column_content_widths(self) -> list[int]:
        # Same cache attribute as the base class (textual-fastdatatable 0.19).
        if not self._column_content_widths:
            sample = self.data.slice(0, SAMPLE_ROWS)
            self._column_content_widths = [self._measure(arr) or 0 for arr in sample.columns]
        return self._column_content_widths


# From this size on, textual-fastdatatable's float format (6 significant digits) writes
# money as 2.094e+06 or drops its cents: such columns are shown with two decimals.
BIG_FLOAT = 1e4
# ... as long as decimal128(38, 2) holds them.
HUGE_FLOAT = 1e30


def readable_numbers(table: pa.Table) -> pa.Table:
    """``table`` with big float columns as two-decimal numbers, for the eye only (exports
    and the query's own result keep the floats)."""
    import pyarrow.compute as pc

    for index, field in enumerate(table.schema):
        if not pa.types.is_floating(field.type):
            continue
        column = table.column(index)
        extremes = pc.min_max(pc.abs(column))
        biggest = extremes["max"].as_py()
        finite = pc.all(pc.is_finite(column)).as_py() is not False
        if biggest is None or not finite or not BIG_FLOAT <= biggest < HUGE_FLOAT:
            continue
        shown = pc.cast(pc.round(column, 2), pa.decimal128(38, 2))
        table = table.set_column(index, pa.field(field.name, shown.type), shown)
    return table


def arrow_table(table: pa.Table, **kwargs: Any) -> DataTable:
    """A DataTable over ``table`` (cells are data, never markup; NULL shown dimmed; big
    floats with two decimals, see :func:`readable_numbers`)."""
    options: dict[str, Any] = {
        "max_column_content_width": 48,
        "null_rep": "[dim]NULL[/]",
        "render_markup": False,
        "zebra_stripes": True,
    }
    options.update(kwargs)
    return DataTable(backend=SampledArrowBackend(readable_numbers(table)), **options)


def warm_up() -> None:
    """Pay the one-time costs of the first table off the UI thread (call from a worker).

    The first measurement imports ``pyarrow.compute`` and registers a UDF: ~100 ms that
    would otherwise land between "query finished" and "rows on screen".
    """
    SampledArrowBackend(pa.table({"warm": ["up"], "n": [1]})).column_content_widths  # noqa: B018
