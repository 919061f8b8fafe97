"""The SQL prompt, driven from the keyboard with Pilot on real demo databases."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from textual import events
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable as TextualTable
from textual.widgets import Input
from textual_fastdatatable import DataTable

from screens.app import StandupApp
from screens.sql_dialogs import AskModal, ConfirmModal, HistoryModal
from screens.sql_prompt import SqlScreen
from screens.widgets.dashboard_panels import StalledPanel
from screens.widgets.pinned_panel import PinnedQueryPanel
from screens.widgets.sql_editor import CompletionList
from standup.clock import Clock
from standup.config import Config
from standup.sqlhistory import History, SavedQueries
from standup.store import Store

SIZE = (140, 40)


async def wait_for(pilot: Pilot[None], check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.02)


async def open_prompt(pilot: Pilot[None]) -> SqlScreen:
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SqlScreen))
    screen = pilot.app.screen
    assert isinstance(screen, SqlScreen)
    await wait_for(pilot, lambda: bool(screen.editor.catalog.tables))
    return screen


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def run_and_wait(pilot: Pilot[None], screen: SqlScreen, key: str = "ctrl+j") -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: not screen.running)
    await pilot.pause()


async def test_type_a_query_run_it_and_see_rows(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        # Every app-level letter key (s d t p q) appears here: typing must not trigger them.
        sql = "select lead_id, stage from leads where stage = 'sql' order by lead_id limit 3"
        await type_text(pilot, sql)
        assert app.screen is screen
        assert screen.editor.text == sql
        await run_and_wait(pilot, screen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        assert [str(c.label) for c in table.ordered_columns] == ["lead_id", "stage"]
        assert table.get_cell_at(Coordinate(0, 1)) == "sql"
        status = str(screen.status.render())
        assert status.startswith("3 rows")
        assert screen.editor.text == sql  # the editor keeps the query
        assert screen.editor.language == "sql"  # highlighted by the tree-sitter grammar


async def test_money_shows_with_two_decimals_not_as_an_exponent(
    demo_store: Store, clock: Clock
) -> None:
    expected = demo_store.fetch_with(
        lambda c: c.execute("select sum(amount)::double from deals").fetchone()[0]
    )
    assert expected >= 1e6  # where a plain float format writes 2.094e+06
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.text = "select sum(amount)::double as won, 0.125::double as small from deals"
        await run_and_wait(pilot, screen)
        await pilot.pause(0.1)
        strips = app.screen._compositor.render_strips()
        text = "\n".join("".join(segment.text for segment in strip) for strip in strips)
        assert f"{expected:.2f}" in text and "e+" not in text
        assert "0.125" in text  # small floats keep their digits


async def test_f5_runs_the_statement_under_the_cursor(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.load("select 1 as one;\nselect 2 as two;")
        screen.editor.move_cursor((0, 3))
        await run_and_wait(pilot, screen, "f5")
        assert screen.result is not None
        assert screen.result.table.column_names == ["one"]
        screen.editor.move_cursor((1, 3))
        await run_and_wait(pilot, screen, "f5")
        assert screen.result.table.column_names == ["two"]


async def test_a_big_result_is_capped_and_counted(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, config=Config(sql_row_limit=100), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.load("select * from leads")
        await run_and_wait(pilot, screen)
        assert screen.query_one(DataTable).row_count == 100
        assert str(screen.status.render()).startswith("first 100 of 2,000 rows")


async def test_a_bad_query_shows_the_error_and_keeps_the_text(
    demo_store: Store, clock: Clock
) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        sql = "select *\nfrom leads\nwher stage = 'mql'"
        screen.editor.load(sql)
        await run_and_wait(pilot, screen)
        status = str(screen.status.render())
        assert "syntax error" in status
        assert "line 3" in status
        assert screen.has_class("-error")
        assert screen.editor.text == sql
        # The cursor is put where DuckDB says the problem is.
        assert screen.editor.cursor_location[0] == 2
        assert not screen.query(DataTable)

        screen.editor.load("select no_such_column from leads")
        await run_and_wait(pilot, screen)
        assert "no_such_column" in str(screen.status.render())


async def test_ctrl_c_cancels_a_long_query_and_the_app_responds(
    demo_store: Store, clock: Clock
) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.load("select count(*) from range(1000000000) a, range(1000000000) b")
        await pilot.press("ctrl+j")
        await pilot.pause(0.5)
        assert screen.running
        assert "running" in str(screen.status.render())
        started = time.monotonic()
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not screen.running, timeout=5)
        assert time.monotonic() - started < 1.0
        assert "cancelled" in str(screen.status.render())
        # Still responsive: the next query runs and shows its answer.
        screen.editor.load("select 42 as answer")
        await run_and_wait(pilot, screen)
        assert screen.result is not None
        assert screen.result.table.column("answer").to_pylist() == [42]


async def test_quitting_mid_query_does_not_wait_for_it(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.load("select count(*) from range(1000000000) a, range(1000000000) b")
        await pilot.press("ctrl+j")
        await pilot.pause(0.3)
        assert screen.running
        started = time.monotonic()
        await pilot.press("ctrl+q")
    # Without the interrupt the app would wait for a query that never ends; Pilot itself
    # takes ~2 s to notice the exit.
    assert time.monotonic() - started < 5.0
    deadline = time.monotonic() + 2
    while screen.engine.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not screen.engine.running  # DuckDB was interrupted, not left running


async def test_a_write_is_refused_with_the_way_to_allow_it(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        for sql in ("drop table leads", "delete from leads", "copy leads to 'x.csv'"):
            screen.editor.load(sql)
            await run_and_wait(pilot, screen)
            status = str(screen.status.render())
            assert "refused" in status
            assert "--allow-writes" in status
    assert demo_store.fetch_with(lambda c: c.sql("select count(*) from leads").fetchone()) == (
        2000,
    )


async def test_writes_allowed_shows_in_the_header_and_works(
    demo_store: Store, clock: Clock
) -> None:
    app = StandupApp(demo_store, config=Config(sql_allow_writes=True), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        assert "WRITES ALLOWED" in app.sub_title
        screen = await open_prompt(pilot)
        screen.editor.load("create table notes as select 1 as n")
        await run_and_wait(pilot, screen)
        assert screen.error is None
        await wait_for(pilot, lambda: "notes" in screen.editor.catalog.tables)


async def test_autocomplete_offers_a_column(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        dropdown = screen.query_one(CompletionList)
        await type_text(pilot, "select leads.sco")
        await wait_for(pilot, lambda: dropdown.open)
        assert [c.text for c in dropdown.candidates] == ["score"]
        await pilot.press("tab")
        assert screen.editor.text == "select leads.score"
        assert not dropdown.open

        await type_text(pilot, " from leads l where l.")
        await wait_for(pilot, lambda: dropdown.open)
        assert "stage_entered_at" in [c.text for c in dropdown.candidates]
        await pilot.press("escape")
        assert not dropdown.open
        assert app.screen is screen


async def test_a_burst_of_keys_arrives_whole(demo_store: Store, clock: Clock) -> None:
    # A fast typist (or a paste the terminal sends as keys) delivers many keys before the
    # app draws once: all of them are queued at once here, not one per frame as Pilot's
    # press does, while the completion list opens and closes on the way.
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        sql = "select l.lead_id, l.stage, d.amount from leads l join deals d using (lead_id)"
        for character in sql:
            key = "space" if character == " " else character
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: len(screen.editor.text) >= len(sql))
        await pilot.pause(0.2)
        assert screen.editor.text == sql


async def test_history_survives_a_restart(demo_store: Store, clock: Clock, data_home: Path) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        for sql in ("select 1 as first", "select 2 as second"):
            screen.editor.load(sql)
            await run_and_wait(pilot, screen)
    assert (data_home / "standup" / "sql_history.jsonl").exists()

    again = StandupApp(Store.open(demo_store.path), clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        await wait_for(pilot, lambda: bool(screen.editor.recall_texts))
        await pilot.press("up")
        assert screen.editor.text == "select 2 as second"
        await pilot.press("up")
        assert screen.editor.text == "select 1 as first"
        await pilot.press("down", "down")
        assert screen.editor.text == ""

        # The picker searches the whole history.
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(again.screen, HistoryModal))
        await type_text(pilot, "first")
        await pilot.press("enter")
        await wait_for(pilot, lambda: again.screen is screen)
        assert screen.editor.text == "select 1 as first"


async def test_export_writes_a_file_duckdb_reads_back(
    demo_store: Store, clock: Clock, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "mqls.parquet"
    target.parent.mkdir()
    app = StandupApp(demo_store, config=Config(sql_row_limit=10), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.load("select lead_id, stage from leads where stage = 'mql'")
        await run_and_wait(pilot, screen)

        async def export(path: Path) -> None:
            await pilot.press("ctrl+o")
            await wait_for(pilot, lambda: isinstance(app.screen, AskModal))
            app.screen.query_one(Input).value = str(path)
            await pilot.press("enter")

        await export(target)
        await wait_for(pilot, target.exists)
        await wait_for(pilot, lambda: not app.workers._workers)
        # The whole result, not just the 10 rows on screen.
        expected = demo_store.fetch_with(
            lambda c: c.sql("select count(*) from leads where stage = 'mql'").fetchone()[0]
        )
        assert expected > 10
        read = duckdb.sql(f"select count(*) from read_parquet('{target}')").fetchone()
        assert read == (expected,)

        # The same path again asks first; "n" leaves the file alone, "y" overwrites.
        before = target.stat().st_mtime_ns
        await export(target)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")
        await pilot.pause(0.2)
        assert target.stat().st_mtime_ns == before

        screen.editor.load("select 7 as seven")
        await run_and_wait(pilot, screen)
        await export(target)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: target.stat().st_mtime_ns != before)
        await wait_for(pilot, lambda: not app.workers._workers)
        assert duckdb.sql(f"select * from read_parquet('{target}')").fetchall() == [(7,)]


async def test_a_saved_query_is_in_the_command_palette(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.load("select count(*) as mqls from leads where stage = 'mql'")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, AskModal))
        await type_text(pilot, "MQL count")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [q.name for q in SavedQueries().all()] == ["MQL count"]

        screen.editor.load("")
        await pilot.press("escape", "d")
        await wait_for(pilot, lambda: not isinstance(app.screen, SqlScreen))
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await type_text(pilot, "MQL count")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SqlScreen))
        screen = app.screen
        assert isinstance(screen, SqlScreen)
        await wait_for(pilot, lambda: screen.result is not None and not screen.running)
        assert screen.result is not None
        assert screen.result.table.column_names == ["mqls"]


async def test_pin_marks_the_saved_query_for_the_dashboard(demo_store: Store, clock: Clock) -> None:
    app = StandupApp(demo_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_prompt(pilot)
        screen.editor.load("select stage, count(*) as n from leads group by stage")
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, AskModal))
        await type_text(pilot, "By stage")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [q.name for q in SavedQueries().pinned()] == ["By stage"]

        # The dashboard shows it as a live panel.
        await pilot.press("escape", "d")
        await wait_for(pilot, lambda: bool(app.screen.query(PinnedQueryPanel)))
        panel = app.screen.query_one(PinnedQueryPanel)
        assert panel.border_title == "⌗ By stage"
        await wait_for(pilot, lambda: panel.data is not None and bool(panel.query(DataTable)))
        assert panel.query_one(DataTable).row_count == 8
        # the pin adds a row to the grid: the others keep their height (it scrolls)
        stalled = app.screen.query_one(StalledPanel).query_one(TextualTable)
        assert stalled.size.height >= 6

        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen is screen)
        screen.editor.focus()
        await pilot.press("ctrl+g")  # again: unpin
        assert SavedQueries().pinned() == []
        await pilot.press("escape", "d")
        await wait_for(pilot, lambda: not app.screen.query(PinnedQueryPanel))


def test_history_file_is_per_user_and_skips_a_torn_line(data_home: Path, clock: Clock) -> None:
    history = History()
    history.add("select 1", clock.now())
    history.add("select 1", clock.now())  # a repeat is not stored twice
    with history.path.open("a", encoding="utf-8") as handle:
        handle.write('{"sql": "select 2", "at"')  # a crash mid-write
    history.add("select 3", clock.now())
    assert history.path == data_home / "standup" / "sql_history.jsonl"
    assert history.texts() == ["select 3", "select 1"]
    assert history.search("SELECT 3") == ["select 3"]


async def test_the_benchmark_function_measures_a_capped_result(demo_store: Store) -> None:
    from tests.bench.sql_bench import measure_big_result

    report = await measure_big_result(demo_store.path, "select * from leads, range(6)")
    assert report["rows_shown"] == 10_000
    assert report["total_rows"] == 12_000
    assert 0 < report["first_rows_ms"] < 5_000
    assert report["peak_rss_mib"] > 0
