"""The SQL prompt's export (``ctrl+o``): the whole current result to CSV, Parquet or JSON,
the format picked by the path's suffix, asking before it overwrites a file or, with
redaction on, before it writes the full contact data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from screens.sql_dialogs import AskModal, ConfirmModal
from standup.adhoc import EXPORT_FORMATS, ExportFormat
from standup.errors import AlreadyExists, StandupError

if TYPE_CHECKING:
    from screens.sql_prompt import SqlScreen

EXPORT_SUFFIXES: dict[str, ExportFormat] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
}


class ExportActions:
    """:class:`~screens.sql_prompt.SqlScreen`'s export action (mixed into it only)."""

    def action_export(self: SqlScreen) -> None:
        """Write the whole current result to CSV, Parquet or JSON (by the path's suffix)."""
        if self.result is None or not self.last_sql or self.result.kind != "SELECT":
            self.notify("Run a query first: export writes its result", title="Export")
            return
        if not self.engine.external_access:
            self.notify("Export is off: external file access is disabled", severity="error")
            return
        suggestion = str(Path.cwd() / "result.csv")
        formats = ", ".join(sorted(EXPORT_SUFFIXES))
        self.app.push_screen(
            AskModal("Export result to", suggestion, f"the suffix picks the format: {formats}"),
            self._export_to,
        )

    def _export_to(self: SqlScreen, answer: str | None, overwrite: bool = False) -> None:
        if not answer:
            return
        path = Path(answer).expanduser()
        fmt = EXPORT_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            self.notify(
                f"{path.name}: say the format with the suffix ({', '.join(EXPORT_FORMATS)})",
                title="Export",
                severity="error",
            )
            return
        if path.exists() and not overwrite:

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._export_to(answer, overwrite=True)

            self.app.push_screen(ConfirmModal(f"{path} exists. Overwrite it?"), confirmed)
            return
        if self._redacting:
            # The one exception to redaction, and only when asked for: y writes the full
            # contact data, n the file redacted like the screen.
            def full(yes: bool | None) -> None:
                self._export(self.last_sql, path, fmt, overwrite, unredacted=bool(yes))

            self.app.push_screen(
                ConfirmModal(
                    "Redaction is on. Export the full contact data (names, emails)?"
                    " y: unredacted · n: redacted like the screen"
                ),
                full,
            )
            return
        self._export(self.last_sql, path, fmt, overwrite)

    @work(thread=True, exit_on_error=False, group="sql-export")
    def _export(
        self: SqlScreen,
        sql: str,
        path: Path,
        fmt: ExportFormat,
        overwrite: bool,
        unredacted: bool = False,
    ) -> None:
        self.engine.redact = self._redacting
        try:
            rows = self.engine.export(sql, path, fmt, overwrite=overwrite, unredacted=unredacted)
        except (StandupError, AlreadyExists) as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Export", severity="error")
            return
        self.app.call_from_thread(
            self.notify, f"Wrote {rows:,} rows to {path}", title=f"Export {fmt}"
        )
