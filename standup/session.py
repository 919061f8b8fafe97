"""Session: everything a screen needs to know about *this* run of the app, in one place.

The store (read-only enforced inside it), the config, the clock, who is driving, whether
contacts are redacted, and the meeting in progress. The Textual app owns one Session;
screens and widgets reach it through ``screens.session.session_of(widget)`` and nothing
else, so "what can a screen ask the app for" is this class and its docstrings.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from standup.clock import Clock
from standup.config import Config
from standup.meeting import Meeting
from standup.redact import Redactor
from standup.store import Store

if TYPE_CHECKING:  # its panels' SQL loads with the dashboard, not with every session
    from standup.dashboard import FirstRefresh

ACTOR_ENV = "STANDUP_ACTOR"

FileSignature = tuple[tuple[int, int] | None, tuple[int, int] | None]


@runtime_checkable
class HearsCommits(Protocol):
    """A store told of every commit (team mode's LISTEN/NOTIFY), so no file to watch."""

    def changes(self) -> int:
        """How many commits, by anyone, this process has heard of."""
        ...


def wall_clock() -> datetime:
    """Local wall-clock time, for "last refreshed" labels (never for queries)."""
    return datetime.now()


def file_signature(path: Path) -> FileSignature:
    """(mtime_ns, size) of the database file and of its WAL (None when absent)."""

    def one(p: str) -> tuple[int, int] | None:
        try:
            st = os.stat(p)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    return one(str(path)), one(f"{path}.wal")


def actor_name() -> str:
    """Who is driving: ``STANDUP_ACTOR`` or the login name, recorded on every event."""
    try:
        return os.environ.get(ACTOR_ENV) or getpass.getuser()
    except (KeyError, OSError):
        return "standup"


@dataclass
class Session:
    """One run of the app: store, config, clock, actor, redaction and the meeting.

    Build it with :meth:`start`, which enforces read-only: a read-only session holds a
    read-only store (its ``writing()`` raises ``ReadOnlyStore``) and a locked-down config,
    so a screen that forgets to ask :attr:`read_only` still cannot write.
    """

    store: Store
    config: Config = field(default_factory=Config)
    clock: Clock = field(default_factory=Clock)
    actor: str = field(default_factory=actor_name)
    read_only: bool = False
    # Toggled by `m`; everything rendered goes through ``redactor`` first.
    redact: bool = False
    # The agenda's meeting once `g` started one (recorded only when writable).
    meeting: Meeting | None = None
    # The dashboard's first refresh when the launcher started it before the UI was
    # imported (``standup open``); the dashboard takes it once, then queries afresh.
    first_refresh: FirstRefresh | None = None
    # "Refreshed 09:00:05" and data ages: real time even when queries are pinned.
    wall_clock: Callable[[], datetime] = wall_clock

    @classmethod
    def start(
        cls,
        store: Store,
        config: Config | None = None,
        clock: Clock | None = None,
        *,
        read_only: bool = False,
        redact: bool = False,
        actor: str | None = None,
    ) -> Session:
        """The session for ``store``; read-only if asked or if the store already is."""
        read_only = read_only or store.read_only
        config = config or Config()
        if not read_only:
            store.write_hold_seconds = config.write_hold_seconds
        return cls(
            store=store.as_read_only() if read_only else store,
            config=config.locked_down() if read_only else config,
            clock=clock or Clock(),
            actor=actor or actor_name(),
            read_only=read_only,
            redact=redact,
        )

    @property
    def redactor(self) -> Redactor:
        """Apply to every contact value before rendering: ``session.redactor.contact(name)``."""
        return Redactor(names=self.redact, amounts=self.redact and self.config.redact_amounts)

    @property
    def hears_commits(self) -> bool:
        """True when commits are announced (team mode), so polling can be cheap and fast."""
        return isinstance(self.store, HearsCommits)

    def change_signature(self) -> int | FileSignature:
        """Moves whenever someone commits: the heard-commit count, else the file's stat.

        Cheap enough for the UI thread (a counter, or two ``stat`` calls).
        """
        if isinstance(self.store, HearsCommits):
            return self.store.changes()
        return file_signature(Path(self.store.path))

    def now(self) -> datetime:
        """The time every query of this session is asked about (pinned by --as-of)."""
        return self.clock.now()
