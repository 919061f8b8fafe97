"""The ad-hoc SQL engine (shared by the SQL prompt and `standup query`), on real files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from standup.adhoc import (
    AdhocError,
    Cancelled,
    Engine,
    WriteRefused,
    statement_at,
    statement_kinds,
    statement_spans,
)
from standup.errors import AlreadyExists
from standup.sqlcomplete import complete
from standup.sqlhistory import SavedQueries
from standup.store import Store


def test_statements_split_on_semicolons_outside_strings_and_comments() -> None:
    text = "select ';' as a; -- a comment; still\nselect \"x;y\" from t /* ; */;\n\n"
    spans = statement_spans(text)
    assert [text[s:e].strip() for s, e in spans] == [
        "select ';' as a",
        '-- a comment; still\nselect "x;y" from t /* ; */',
    ]


def test_the_statement_under_the_cursor() -> None:
    text = "select 1;\nselect 2;\n\nselect 3"
    assert statement_at(text, 9) == (0, 8)  # just after the first ';'
    assert statement_at(text, 12) == (9, 18)
    assert statement_at(text, 20) == (19, 29)  # on the blank line: the next one
    assert statement_at(text, len(text)) == (19, 29)
    assert statement_at("  ", 1) is None


def test_statement_kinds() -> None:
    assert statement_kinds("select 1; insert into t values (1); drop table t") == [
        "SELECT",
        "INSERT",
        "DROP",
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "drop table leads",
        "update leads set score = 0",
        "insert into leads select * from leads",
        "create table x (a int)",
        "copy leads to 'leads.csv'",
        "attach 'other.duckdb' as other",
        "select 1; delete from leads",
    ],
)
def test_writes_are_refused_by_default(demo_store: Store, sql: str) -> None:
    with pytest.raises(WriteRefused, match="--allow-writes"):
        Engine(demo_store).run(sql)
    assert Engine(demo_store).run("select count(*) from leads").table.to_pylist() == [
        {"count_star()": 2000}
    ]


def test_writes_run_when_allowed(demo_store: Store) -> None:
    engine = Engine(demo_store, allow_writes=True)
    engine.run("create table notes as select 1 as n")
    assert Engine(demo_store).run("select n from notes").table.to_pylist() == [{"n": 1}]


def test_a_capped_result_says_how_many_in_all(demo_store: Store) -> None:
    seen = []
    result = Engine(demo_store).run("select * from leads", 50, on_first_rows=seen.append)
    assert result.table.num_rows == 50
    assert result.total_rows == 2000
    assert result.summary().startswith("first 50 of 2,000 rows")
    assert len(seen) == 1 and seen[0].total_rows is None  # rows first, count after


def test_errors_say_where(demo_store: Store) -> None:
    with pytest.raises(AdhocError) as caught:
        Engine(demo_store).run("select *\nfrom leads\nwher stage = 'mql'")
    assert "syntax error" in str(caught.value)
    assert caught.value.position is not None
    assert caught.value.position.line == 3


def test_interrupt_cancels_a_long_query(demo_store: Store) -> None:
    engine = Engine(demo_store)
    threading.Timer(0.3, engine.interrupt).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        engine.run("select count(*) from range(1000000000) a, range(1000000000) b")
    assert time.monotonic() - started < 1.5
    assert not engine.running


def test_no_external_access_for_serve_mode(demo_store: Store, tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    engine = Engine(demo_store, external_access=False)
    with pytest.raises(AdhocError, match="disabled"):
        engine.run(f"select * from read_csv('{outside}')")
    with pytest.raises(AdhocError, match="locked"):
        engine.run("set enable_external_access = true")
    assert engine.run("select count(*) as n from leads").table.to_pylist() == [{"n": 2000}]
    with pytest.raises(AdhocError, match="export is off"):
        engine.export("select 1", tmp_path / "x.csv", "csv")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_round_trips_and_refuses_to_overwrite(
    demo_store: Store, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"mql.{fmt}"
    engine = Engine(demo_store)
    sql = "select lead_id, stage from leads where stage = 'mql' order by lead_id"
    rows = engine.export(sql, target, fmt)  # type: ignore[arg-type]
    expected = engine.run(sql).table.num_rows
    assert rows == expected
    reader = {"csv": "read_csv", "parquet": "read_parquet", "json": "read_json"}[fmt]
    assert duckdb.sql(f"select count(*) from {reader}('{target}')").fetchone() == (expected,)
    with pytest.raises(AlreadyExists):
        engine.export("select 1 as a", target, fmt)  # type: ignore[arg-type]
    engine.export("select 1 as a", target, fmt, overwrite=True)  # type: ignore[arg-type]
    assert duckdb.sql(f"select count(*) from {reader}('{target}')").fetchone() == (1,)


def test_completion_from_the_live_catalog(demo_store: Store) -> None:
    catalog = Engine(demo_store).catalog()
    assert {"leads", "deals", "disputes"} <= set(catalog.tables)
    after_dot = complete(catalog, "select d.am", "select d.am from deals d")
    assert [c.text for c in after_dot.candidates] == ["amount"]
    tables = complete(catalog, "select * from le")
    assert "leads" in [c.text for c in tables.candidates]
    assert {c.kind for c in tables.candidates} == {"table"}  # after FROM: tables only
    in_context = complete(catalog, "select sta", "select sta from leads")
    texts = [c.text for c in in_context.candidates]
    assert texts[:2] == ["stage", "stage_entered_at"]
    assert "starts_with" in texts  # a DuckDB function
    keyword = complete(catalog, "SEL")
    assert "SELECT" in [c.text for c in keyword.candidates]


def test_saved_queries_keep_their_pin(tmp_path: Path) -> None:
    saved = SavedQueries(tmp_path / "saved.json")
    saved.save("Stalled", "select 1")
    saved.set_pinned("Stalled", True)
    saved.save("Stalled", "select 2")  # editing keeps the pin
    assert saved.pinned()[0].sql == "select 2"
    saved.delete("Stalled")
    assert saved.all() == []


def test_user_sql_never_touches_the_stores_shared_instance(demo_store: Store) -> None:
    # Serve mode locks the configuration of the instance it runs on, for good; a user may
    # ATTACH and USE at will. Neither may reach the instance the store's own units of
    # work share.
    locked = Engine(demo_store, external_access=False)
    assert locked.run("select count(*) as n from leads").table.to_pylist() == [{"n": 2000}]
    Engine(demo_store, allow_writes=True).run("attach ':memory:' as scratch; use scratch")
    with demo_store.reading() as conn:
        access = conn.execute("select current_setting('enable_external_access')").fetchone()
        assert access == (True,)
        scratch = "select count(*) from duckdb_databases() where database_name = 'scratch'"
        assert conn.execute(scratch).fetchone() == (0,)
        assert conn.execute("select count(*) from leads").fetchone() == (2000,)
