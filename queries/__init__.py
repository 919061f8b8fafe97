"""Every SQL statement standup runs lives here as a ``.sql`` file.

Parameters are written ``$name`` and bound by DuckDB, never formatted into the text.
Files are addressed by their path without the suffix, e.g. ``load("panels/pipeline")``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable


def _root() -> Traversable:
    return files(__name__)


def _file(name: str) -> Traversable:
    node = _root()
    for part in f"{name}.sql".split("/"):
        node = node / part
    return node


@cache
def load(name: str) -> str:
    """The text of ``queries/<name>.sql``."""
    return _file(name).read_text(encoding="utf-8")


@cache
def load_if_any(name: str) -> str | None:
    """The text of ``queries/<name>.sql``, or None where there is no such file (a
    statement's dialect or variant that exists for only some statements)."""
    node = _file(name)
    return node.read_text(encoding="utf-8") if node.is_file() else None


def migrations(dialect: str = "") -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every ``migrations/NNN_name.sql``, in order; with a
    ``dialect`` (``"pg"``), those of ``<dialect>/migrations/`` instead."""
    folder = _root() / dialect if dialect else _root()
    found = []
    for entry in (folder / "migrations").iterdir():
        stem, _, suffix = entry.name.partition(".")
        if suffix != "sql":
            continue
        number, _, label = stem.partition("_")
        found.append((int(number), label, entry.read_text(encoding="utf-8")))
    return sorted(found)
