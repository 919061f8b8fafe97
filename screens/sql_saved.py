"""The SQL prompt's memory: the history of every query run (``ctrl+r``), saved queries
(``ctrl+s``, found again in the command palette) and pinning one to the dashboard as a
live panel (``ctrl+g``). The files behind them are :mod:`standup.sqlhistory`'s."""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.messages import PinsChanged
from screens.sql_dialogs import AskModal, HistoryModal
from standup.errors import StandupError

if TYPE_CHECKING:
    from screens.sql_prompt import SqlScreen


class SavedQueryActions:
    """:class:`~screens.sql_prompt.SqlScreen`'s history, save and pin actions (mixed into
    it only)."""

    def action_history(self: SqlScreen) -> None:
        """Browse and search every query run before."""

        def chosen(text: str | None) -> None:
            if text:
                self.editor.load(text)
            self.editor.focus()

        try:
            texts = self.history.texts()
        except StandupError as exc:
            self.notify(str(exc), title="History", severity="error")
            return
        self.app.push_screen(HistoryModal(texts), chosen)

    def action_save(self: SqlScreen) -> None:
        """Name the current query; it appears in the command palette (ctrl+p)."""
        sql, _ = self.editor.current_sql()
        if not sql.strip():
            self.notify("Nothing to save: the query is empty", title="Save")
            return

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                saved = self.saved.save(name, sql)
            except StandupError as exc:
                self.notify(str(exc), title="Save", severity="error")
                return
            self.saved_name = saved.name
            self.notify(f"Saved as “{saved.name}” (ctrl+p finds it)", title="Save")

        self.app.push_screen(AskModal("Save query as", self._name_for(sql) or ""), named)

    def _name_for(self: SqlScreen, sql: str) -> str | None:
        try:
            return next((q.name for q in self.saved.all() if q.sql == sql.strip()), None)
        except StandupError:
            return None

    def action_pin(self: SqlScreen) -> None:
        """Pin the current (saved) query to the dashboard as a live panel, or unpin it."""
        sql, _ = self.editor.current_sql()
        if not sql.strip():
            self.notify("Nothing to pin: the query is empty", title="Pin")
            return
        name = self._name_for(sql)
        if name is None:

            def named(answer: str | None) -> None:
                if answer:
                    try:
                        self.saved.save(answer, sql, pinned=True)
                    except StandupError as exc:
                        self.notify(str(exc), title="Pin", severity="error")
                        return
                    self._pinned_changed(answer, True)

            self.app.push_screen(AskModal("Name the panel", ""), named)
            return
        try:
            query = self.saved.set_pinned(name, not self._is_pinned(name))
        except StandupError as exc:
            self.notify(str(exc), title="Pin", severity="error")
            return
        self._pinned_changed(query.name, query.pinned)

    def _is_pinned(self: SqlScreen, name: str) -> bool:
        query = self.saved.get(name)
        return bool(query and query.pinned)

    def _pinned_changed(self: SqlScreen, name: str, pinned: bool) -> None:
        self.post_message(PinsChanged(name, pinned))
