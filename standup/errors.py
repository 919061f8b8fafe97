"""Errors a user can cause and fix. Each carries a one-line message saying what and where.

The CLI prints ``str(error)`` and exits 1; the app shows it in a notification. Anything
that is *not* a ``StandupError`` is a bug and may show a traceback.
"""

from __future__ import annotations


class StandupError(Exception):
    """Base class: an expected problem with a one-line, user-facing message."""


class DatabaseMissing(StandupError):
    """The database path does not exist."""


class NotADatabase(StandupError):
    """The path exists but is not a (standup) DuckDB file."""


class SchemaTooNew(StandupError):
    """The file was written by a newer standup than this one."""


class DatabaseLocked(StandupError):
    """Another process held the file lock for longer than the retry budget."""


class QueryError(StandupError):
    """DuckDB refused a statement (syntax, binder, constraint, read-only...)."""


class ConfigError(StandupError):
    """The config file is unreadable or a key has an invalid value."""


class AlreadyExists(StandupError):
    """Refusing to overwrite an existing file without --force."""


class ReadOnlyStore(StandupError):
    """A write was asked of a store opened read-only (``--read-only``, ``standup serve``)."""
