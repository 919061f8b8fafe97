"""The SQL prompt: ask the database a question nobody built a panel for.

An editor on top, results below. ``ctrl+j`` / ``f5`` runs the statement under the cursor (or
the selection) in a thread worker through :class:`standup.adhoc.Engine` (read-only unless
writes are allowed); a running line shows the elapsed time and ``ctrl+c`` cancels with
DuckDB's interrupt. Results arrive as Arrow and are shown by textual-fastdatatable's
``ArrowBackend``, capped at ``config.sql_row_limit`` rows ("first N of M").

History and saved queries live in per-user files (:mod:`standup.sqlhistory`); the actions
on them are in :mod:`screens.sql_saved`, export in :mod:`screens.sql_export`.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual_fastdatatable import DataTable

from screens.session import session_of
from screens.sql_export import ExportActions
from screens.sql_saved import SavedQueryActions
from screens.widgets.arrow_table import arrow_table, warm_up
from screens.widgets.sql_editor import CompletionList, SqlEditor
from standup.adhoc import AdhocError, Cancelled, Catalog, Engine, Result, format_elapsed
from standup.errors import StandupError
from standup.sqlhistory import History, SavedQueries

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class SqlScreen(ExportActions, SavedQueryActions, Screen[None]):
    """Editor, status line, results table; export (:mod:`screens.sql_export`) and history,
    saved queries and pins (:mod:`screens.sql_saved`) are mixed in."""

    CSS_PATH = "sql_prompt.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j", "run", "Run", priority=True, id="sql.run"),
        Binding("f5", "run", "Run", show=False, priority=True, id="sql.run_f5"),
        Binding("ctrl+c", "cancel", "Cancel query", show=False, priority=True, id="sql.cancel"),
        Binding("ctrl+r", "history", "History", id="sql.history"),
        Binding("ctrl+o", "export", "Export", id="sql.export"),
        Binding("ctrl+s", "save", "Save query", id="sql.save"),
        Binding("ctrl+g", "pin", "Pin to dashboard", id="sql.pin"),
        Binding("escape", "leave_editor", "Leave editor", show=False, id="sql.leave_editor"),
        Binding("e", "edit", "Edit query", show=False, id="sql.edit"),
    ]

    def __init__(self, engine: Engine | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._engine = engine
        self.history = History()
        self.saved = SavedQueries()
        self.result: Result | None = None
        self.error: AdhocError | None = None
        self.last_sql = ""  # the statement of the current result (for export)
        self._result_redacted = False  # the current result was drawn with redaction on
        self.saved_name: str | None = None  # the saved query the editor holds, if any
        self._started = 0.0
        self._ticker: Timer | None = None
        self._query_running = False
        self._run_token = 0
        # Benchmark hooks: when the worker had the rows, and how long until they showed.
        self.rows_ready_at = 0.0
        self.first_rows_ms: float | None = None
        self.first_rows_cpu_ms: float | None = None
        self._pending = ""
        self._painted = threading.Event()

    # -- set-up ---------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The engine on the app's store, under the app's read-only / external rules."""
        if self._engine is None:
            session = session_of(self)
            config = session.config
            # A read-only session (serve's viewers) never writes, whatever the config.
            self._engine = Engine(
                session.store,
                allow_writes=config.sql_allow_writes and not session.read_only,
                external_access=config.sql_external_access,
            )
        return self._engine

    @property
    def row_limit(self) -> int:
        """At most this many rows are fetched and shown."""
        return session_of(self).config.sql_row_limit

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sql-body"):
            yield SqlEditor(id="sql-editor")
            yield Static(self._idle_hint(), id="sql-status")
            yield Vertical(id="sql-results")
        yield CompletionList(id="sql-complete")
        yield Footer()

    def _idle_hint(self) -> str:
        mode = "writes allowed" if self.engine.allow_writes else "read-only"
        return f"[dim]{mode} · ctrl+j / f5 runs the statement under the cursor[/]"

    def on_mount(self) -> None:
        self.editor.focus()
        self._load_catalog()
        self._load_history()
        if self._pending:
            self.run_query(self._pending)
            self._pending = ""

    def on_unmount(self) -> None:
        # Quitting mid-query: stop DuckDB, or the app would wait for the query to end.
        if self._query_running:
            self.engine.interrupt()

    @property
    def editor(self) -> SqlEditor:
        """The query editor."""
        return self.query_one(SqlEditor)

    @property
    def status(self) -> Static:
        """The line between editor and results: running, summary or error."""
        return self.query_one("#sql-status", Static)

    @work(thread=True, exit_on_error=False, group="sql-catalog")
    def _load_catalog(self) -> None:
        warm_up()
        try:
            catalog = self.engine.catalog()
        except StandupError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="SQL", severity="warning")
            return
        self.app.call_from_thread(self._set_catalog, catalog)

    def _set_catalog(self, catalog: Catalog) -> None:
        self.editor.catalog = catalog

    @work(thread=True, exit_on_error=False, group="sql-history")
    def _load_history(self) -> None:
        try:
            texts = self.history.texts()
        except StandupError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="History", severity="warning")
            return
        self.app.call_from_thread(self._set_history, texts)

    def _set_history(self, texts: list[str]) -> None:
        self.editor.recall_texts = texts

    # -- running --------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while a query runs."""
        return self._query_running

    def action_run(self) -> None:
        """Run the statement under the cursor, or the selection."""
        if self._query_running:
            self.notify("A query is running: ctrl+c cancels it", title="SQL", severity="warning")
            return
        sql, offset = self.editor.current_sql()
        if not sql.strip():
            self.status.update("[dim]nothing to run: type a query first[/]")
            return
        dropdown = self.editor.dropdown
        if dropdown is not None:
            dropdown.hide()
        self._query_running = True
        self._run_token += 1
        self._started = time.perf_counter()
        # The old result goes now, on the key press, not when the answer arrives: a table
        # swapped under a running event loop is a race for anyone waiting on the screen.
        self.result = None
        self.rows_ready_at = 0.0
        self.first_rows_ms = None
        self.query_one("#sql-results", Vertical).remove_children()
        self.add_class("-running")
        self._tick()
        self._ticker = self.set_interval(0.1, self._tick)
        # Redaction (`m`) is the app's: the engine redacts at the source and scrubs the
        # result (standup.adhoc); what is on screen remembers which it was drawn under.
        self.engine.redact = self._redacting
        self._result_redacted = self._redacting
        self._execute(sql, offset, self._run_token)

    @property
    def _redacting(self) -> bool:
        return session_of(self).redact

    def refresh_panels(self) -> None:
        """Redaction was switched (``m``): a result drawn under the other setting goes; one
        drawn unredacted is run again redacted (and the other way round)."""
        if self.result is None or self._result_redacted == self._redacting or self.running:
            return
        if self.last_sql and self.result.kind == "SELECT":
            self.run_query(self.last_sql)
        else:
            self.result = None
            self.query_one("#sql-results", Vertical).remove_children()

    def on_screen_resume(self) -> None:
        """Back on the SQL prompt: redaction may have been switched on another screen."""
        self.refresh_panels()

    def run_query(self, sql: str) -> None:
        """Put ``sql`` in the editor and run it (the command palette's saved queries)."""
        if not self.query(SqlEditor):
            self._pending = sql  # not composed yet: run once mounted
            return
        self.editor.load(sql)
        self.action_run()

    def _tick(self) -> None:
        elapsed = time.perf_counter() - self._started
        spin = _SPINNER[int(elapsed * 10) % len(_SPINNER)]
        self.status.update(f"{spin} running… {format_elapsed(elapsed)} · ctrl+c cancels")

    @work(thread=True, exit_on_error=False, group="sql-run")
    def _execute(self, sql: str, offset: int, token: int) -> None:
        def first_rows(partial: Result) -> None:
            self.rows_ready_at = time.perf_counter()
            self._painted.clear()
            self.app.call_from_thread(self._show_result, partial, token)
            # Count only once the rows are on screen: on a busy machine the count would
            # otherwise compete with drawing them.
            self._painted.wait(timeout=0.5)

        result: Result | None = None
        error: StandupError | None = None
        try:
            result = self.engine.run(sql, self.row_limit, on_first_rows=first_rows)
        except StandupError as exc:
            error = exc
        if not self.rows_ready_at:
            self.rows_ready_at = time.perf_counter()
        try:
            self.history.add(
                sql,
                session_of(self).now(),
                db=str(self.engine.store.path),
                ok=error is None,
                rows=result.total_rows if result else None,
                ms=round(result.elapsed * 1000) if result else None,
            )
            texts = self.history.texts()
        except (StandupError, OSError) as exc:
            texts = []
            self.app.call_from_thread(self.notify, f"history: {exc}", severity="warning")
        self.app.call_from_thread(self._finished, sql, offset, token, result, error, texts)

    def _finished(
        self,
        sql: str,
        offset: int,
        token: int,
        result: Result | None,
        error: StandupError | None,
        texts: list[str],
    ) -> None:
        if token != self._run_token:
            return
        self._query_running = False
        self.remove_class("-running")
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if texts:
            self.editor.recall_texts = texts
        if result is not None:
            self.last_sql = sql
            self._show_result(result, token)
            if result.kind != "SELECT" and self.engine.allow_writes:
                self._load_catalog()  # a write may have made or dropped a table
        elif error is not None:
            self._show_error(error, sql, offset)

    def _show_result(self, result: Result, token: int) -> None:
        if token != self._run_token:
            return
        self.error = None
        self.remove_class("-error")
        shown = self.result
        self.result = result
        self.status.update(result.summary())
        if shown is not None and shown.table is result.table and self.query(DataTable):
            return  # the count arrived for rows already on screen
        holder = self.query_one("#sql-results", Vertical)
        if result.table.num_columns == 0:
            holder.mount(Static("[dim]done: the statement returned no rows[/]", id="sql-empty"))
            return
        cpu = time.thread_time()
        holder.mount(arrow_table(result.table, id="sql-table"))
        ready = self.rows_ready_at
        self.call_after_refresh(self._shown, ready, cpu)

    def _shown(self, ready: float, cpu: float = 0.0) -> None:
        if ready:
            self.first_rows_ms = (time.perf_counter() - ready) * 1000
            # UI-thread CPU spent on showing them: the part a busy machine cannot inflate
            # (other coroutines of the app may add to it, never other processes).
            self.first_rows_cpu_ms = (time.thread_time() - cpu) * 1000
        self._painted.set()

    def _show_error(self, error: StandupError, sql: str, offset: int) -> None:
        self.add_class("-error")
        if isinstance(error, Cancelled):
            self.status.update("[b]cancelled[/] · the editor keeps your query")
            self.remove_class("-error")
            return
        self.error = error if isinstance(error, AdhocError) else AdhocError(str(error))
        self.status.update(f"[b]error:[/] {_escape(str(error))}")
        position = getattr(error, "position", None)
        if position is not None:
            # Put the cursor where DuckDB says the problem is (the statement was stripped).
            lead = len(sql) - len(sql.lstrip())
            lines = sql.lstrip().split("\n")
            at = offset + lead + sum(len(line) + 1 for line in lines[: position.line - 1])
            self.editor.move_to_offset(at + position.column - 1)
        self.editor.focus()

    def action_cancel(self) -> None:
        """Cancel the running query (DuckDB interrupt); otherwise ctrl+c does its usual."""
        if not self._query_running:
            raise SkipAction()
        self.engine.interrupt()
        self.status.update("cancelling…")

    # -- editor / table focus ---------------------------------------------------------

    def action_leave_editor(self) -> None:
        """Escape: from the editor to the results (when there are any)."""
        if not self.editor.has_focus:
            raise SkipAction()
        tables = self.query(DataTable)
        if tables:
            tables.first().focus()
        else:
            self.set_focus(None)

    def action_edit(self) -> None:
        """Back to the editor."""
        self.editor.focus()


def _escape(text: str) -> str:
    """Keep DuckDB's message literal (it may contain [brackets])."""
    return text.replace("[", r"\[")
