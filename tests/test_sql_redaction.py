"""Issue 13: with redaction on, the SQL prompt shows no contact name and no email address.

Keys as a user presses them (`m`, `s`, the query, ctrl+j), on a real demo file; what is
expected is computed from the file with plain DuckDB, not from the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from textual.coordinate import Coordinate
from textual_fastdatatable import DataTable

from screens.app import StandupApp
from screens.sql_dialogs import ConfirmModal
from standup.adhoc import AdhocError, Engine
from standup.clock import Clock
from standup.store import Store
from tests.test_sql_prompt import SIZE, open_prompt, run_and_wait, type_text, wait_for

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


def contacts(path: Path) -> tuple[set[str], set[str]]:
    """Every contact name and email in the file (plain DuckDB)."""
    with duckdb.connect(str(path), read_only=True) as conn:
        rows = conn.execute("SELECT contact_name, email FROM leads").fetchall()
    return {r[0] for r in rows if r[0]}, {r[1] for r in rows if r[1]}


def cells(table: DataTable) -> list[str]:
    return [
        str(table.get_cell_at(Coordinate(row, col)))
        for row in range(table.row_count)
        for col in range(len(table.ordered_columns))
    ]


def initials(name: str) -> str:
    return "".join(part[0].upper() + "." for part in re.split(r"[\s\-]+", name) if part)


async def test_m_then_s_select_contacts_shows_initials_and_domains(
    demo_store: Store, clock: Clock
) -> None:
    names, emails = contacts(demo_store.path)
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert "REDACTED" in app.sub_title
        screen = await open_prompt(pilot)
        await type_text(pilot, "select contact_name, email from leads order by lead_id")
        await run_and_wait(pilot, screen)
        table = screen.query_one(DataTable)
        shown = cells(table)
        assert table.row_count > 100
        assert not names & set(shown) and not emails & set(shown)
        assert not any(EMAIL.search(cell) for cell in shown)
        with duckdb.connect(str(demo_store.path), read_only=True) as conn:
            first = conn.execute(
                "SELECT contact_name, email FROM leads ORDER BY lead_id LIMIT 1"
            ).fetchone()
        assert first is not None
        assert table.get_cell_at(Coordinate(0, 0)) == initials(first[0])
        assert table.get_cell_at(Coordinate(0, 1)) == "@" + first[1].split("@")[1].lower()

        # switched off: the result is run again, in full
        await pilot.press("escape", "m")
        await wait_for(pilot, lambda: not screen.running and screen.result is not None)
        await pilot.pause(0.2)
        await wait_for(pilot, lambda: not screen.running)
        assert table is not screen.query_one(DataTable)
        assert str(screen.query_one(DataTable).get_cell_at(Coordinate(0, 0))) == first[0]


@pytest.mark.parametrize(
    "sql",
    [
        "select lower(contact_name) || ' <' || email || '>' as who from leads",
        "select string_agg(contact_name, ', ') as all_names from leads",
        "select claim from disputes",
        "select note from touches where note is not null",
        "select 'write to someone@example.org' as t",
        "select * from leads",
    ],
)
def test_expressions_over_contact_columns_stay_redacted(demo_store: Store, sql: str) -> None:
    names, _ = contacts(demo_store.path)
    engine = Engine(demo_store)
    engine.redact = True
    table = engine.run(sql, limit=2000).table
    text = "\n".join(str(v) for col in table.columns for v in col.to_pylist())
    assert not EMAIL.search(text), sql
    lowered = text.lower()
    assert not any(name.lower() in lowered for name in names if len(name) > 5), sql


def test_the_file_cannot_be_read_around_the_views(demo_store: Store) -> None:
    engine = Engine(demo_store)
    engine.redact = True
    catalog = demo_store.path.stem
    with pytest.raises(AdhocError, match="redaction is on"):
        engine.run(f"select contact_name from {catalog}.main.leads", limit=5)
    with pytest.raises(AdhocError):
        engine.run(f"select content from read_blob('{demo_store.path}')", limit=5)
    engine.redact = False  # and without redaction the same SQL works
    assert engine.run(f"select contact_name from {catalog}.main.leads", limit=5).table.num_rows


async def test_export_while_redacted_asks_and_defaults_to_redacted(
    demo_store: Store, clock: Clock, tmp_path: Path
) -> None:
    names, _ = contacts(demo_store.path)
    app = StandupApp(demo_store, clock=clock)
    target = tmp_path / "out.csv"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        screen = await open_prompt(pilot)
        await type_text(pilot, "select contact_name from leads")
        await run_and_wait(pilot, screen)
        for answer, unredacted in (("n", False), ("y", True)):
            target.unlink(missing_ok=True)
            await pilot.press("ctrl+o")
            await wait_for(pilot, lambda: app.screen is not screen)
            field = app.screen.query_one("Input")
            field.value = str(target)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
            await pilot.press(answer)
            await wait_for(pilot, lambda: target.exists() and target.stat().st_size > 0)
            await pilot.pause(0.3)
            written = set(target.read_text().splitlines()[1:])
            assert bool(written & names) is unredacted


async def test_a_pinned_query_panel_is_redacted_too(demo_store: Store, clock: Clock) -> None:
    from screens.widgets.pinned_panel import PinnedQueryPanel
    from standup.sqlhistory import SavedQueries

    names, emails = contacts(demo_store.path)
    SavedQueries().save("Who", "select contact_name, email from leads", pinned=True)
    app = StandupApp(demo_store, clock=clock, redact=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query(PinnedQueryPanel)))
        panel = app.screen.query_one(PinnedQueryPanel)
        await wait_for(pilot, lambda: panel.data is not None)
        shown = {str(v) for col in panel.data.table.columns for v in col.to_pylist()}
        assert shown and not shown & names and not shown & emails
