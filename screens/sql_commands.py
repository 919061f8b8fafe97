"""Saved SQL queries in the command palette (ctrl+p): pick one to run it at the SQL prompt."""

from __future__ import annotations

from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from standup.errors import StandupError
from standup.sqlhistory import SavedQueries, SavedQuery


class SavedQueryCommands(Provider):
    """One command per saved query: "SQL: <name>" opens the prompt and runs it."""

    def _queries(self) -> list[SavedQuery]:
        try:
            return SavedQueries().all()
        except StandupError:
            return []

    async def discover(self) -> Hits:
        for query in self._queries():
            yield DiscoveryHit(
                f"SQL: {query.name}",
                partial(open_saved_query, self.app, query.sql),
                help=_one_line(query.sql),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for saved in self._queries():
            label = f"SQL: {saved.name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(open_saved_query, self.app, saved.sql),
                    help=_one_line(saved.sql),
                )


def open_saved_query(app: App[object], sql: str) -> None:
    """Switch to the SQL prompt and run ``sql`` there."""
    from screens.sql_prompt import SqlScreen

    app.switch_mode("sql")
    if isinstance(app.screen, SqlScreen):
        app.screen.run_query(sql)


def _one_line(sql: str) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= 80 else text[:79] + "…"
