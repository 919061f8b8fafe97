"""The SQL prompt's memory: history of every run query, and named saved queries.

Both live in per-user files under ``$XDG_DATA_HOME/standup/`` (``~/.local/share/standup``),
not in the database: the prompt's connection is read-only, the same questions are asked
of many database files, and a crash of the app must not lose what was typed.

- ``sql_history.jsonl``: one JSON object per run, appended (a torn last line from a crash
  is skipped on reading). Consecutive duplicates are not repeated.
- ``saved_queries.json``: ``{name: {"sql": ..., "pinned": bool}}``, replaced atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from standup.errors import StandupError

HISTORY_FILE = "sql_history.jsonl"
SAVED_FILE = "saved_queries.json"
# History is for recall, not an archive: keep the file from growing without bound.
HISTORY_KEEP = 5000


def data_dir() -> Path:
    """``$XDG_DATA_HOME/standup`` (default ``~/.local/share/standup``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "standup"


@dataclass(frozen=True)
class HistoryEntry:
    """One query as it was run."""

    sql: str
    at: str  # ISO time (the app's clock)
    db: str = ""
    ok: bool = True
    rows: int | None = None
    ms: int | None = None


class History:
    """Every query run at the prompt, oldest first, kept in a JSON-lines file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / HISTORY_FILE

    def entries(self) -> list[HistoryEntry]:
        """All entries, oldest first. Unreadable lines (a torn write) are skipped."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StandupError(f"{self.path}: cannot read history: {exc.strerror}") from None
        found = []
        for line in text.splitlines():
            try:
                data = json.loads(line)
                found.append(HistoryEntry(**data))
            except (ValueError, TypeError):
                continue
        return found

    def add(
        self,
        sql: str,
        at: datetime,
        db: str = "",
        ok: bool = True,
        rows: int | None = None,
        ms: int | None = None,
    ) -> HistoryEntry:
        """Append one run (unless it repeats the last one's text)."""
        entry = HistoryEntry(sql.strip(), at.isoformat(timespec="seconds"), db, ok, rows, ms)
        if not entry.sql:
            return entry
        existing = self.entries()
        if existing and existing[-1].sql == entry.sql:
            return entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if len(existing) >= HISTORY_KEEP:
            keep = [*existing[-(HISTORY_KEEP - 1) :], entry]
            _atomic_write(self.path, "".join(json.dumps(asdict(e)) + "\n" for e in keep))
        else:
            # A crash mid-write leaves a torn last line: start on a fresh line after it.
            fresh = "\n" if _ends_torn(self.path) else ""
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(fresh + json.dumps(asdict(entry)) + "\n")
        return entry

    def texts(self) -> list[str]:
        """Distinct query texts, most recent first (for recall and the picker)."""
        seen: set[str] = set()
        out = []
        for entry in reversed(self.entries()):
            if entry.sql not in seen:
                seen.add(entry.sql)
                out.append(entry.sql)
        return out

    def search(self, needle: str) -> list[str]:
        """Distinct texts containing every word of ``needle`` (any case), newest first."""
        words = needle.lower().split()
        return [text for text in self.texts() if all(word in text.lower() for word in words)]


@dataclass(frozen=True)
class SavedQuery:
    """A query the room asks again: a name, its SQL, and whether it is on the dashboard."""

    name: str
    sql: str
    pinned: bool = False


class SavedQueries:
    """Named queries in a small JSON file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / SAVED_FILE

    def all(self) -> list[SavedQuery]:
        """Every saved query, by name."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise StandupError(f"{self.path}: cannot read saved queries: {exc}") from None
        if not isinstance(data, dict):
            raise StandupError(f"{self.path}: saved queries must be a JSON object")
        return sorted(
            (
                SavedQuery(name, str(item.get("sql", "")), bool(item.get("pinned", False)))
                for name, item in data.items()
                if isinstance(item, dict)
            ),
            key=lambda query: query.name.lower(),
        )

    def get(self, name: str) -> SavedQuery | None:
        """The saved query called ``name``, if any."""
        return next((query for query in self.all() if query.name == name), None)

    def save(self, name: str, sql: str, pinned: bool | None = None) -> SavedQuery:
        """Save (or replace) ``name``; keeps its pinned state unless ``pinned`` is given."""
        name = name.strip()
        if not name:
            raise StandupError("a saved query needs a name")
        if not sql.strip():
            raise StandupError("nothing to save: the query is empty")
        queries = {query.name: query for query in self.all()}
        old = queries.get(name)
        keep_pin = old.pinned if old is not None else False
        queries[name] = SavedQuery(name, sql.strip(), keep_pin if pinned is None else pinned)
        self._write(queries.values())
        return queries[name]

    def set_pinned(self, name: str, pinned: bool) -> SavedQuery:
        """Pin ``name`` to the dashboard (or unpin it)."""
        query = self.get(name)
        if query is None:
            raise StandupError(f"no saved query called {name!r}")
        return self.save(name, query.sql, pinned)

    def delete(self, name: str) -> None:
        """Forget ``name``."""
        self._write(query for query in self.all() if query.name != name)

    def pinned(self) -> list[SavedQuery]:
        """Saved queries shown as dashboard panels."""
        return [query for query in self.all() if query.pinned]

    def _write(self, queries: Iterable[SavedQuery]) -> None:
        items = {q.name: {"sql": q.sql, "pinned": q.pinned} for q in queries}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.path, json.dumps(items, indent=2) + "\n")


def _ends_torn(path: Path) -> bool:
    """True when ``path`` exists, is not empty and does not end with a newline."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return False
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) != b"\n"
    except FileNotFoundError:
        return False


def _atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so a crash leaves the old or the new file, never half."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
