"""Session: everything a screen needs to know about *this* run of the app, in one place.

The store (read-only enforced inside it), the config, the clock, who is driving, whether
contacts are redacted, and the meeting in progress. The Textual app owns one Session;
screens and widgets reach it through ``screens.session.session_of(widget)`` and nothing
else, so "what can a screen ask the app for" is this class and its docstrings.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime

from standup.clock import Clock
from standup.config import Config
from standup.meeting import Meeting
from standup.redact import Redactor
from standup.store import Store

ACTOR_ENV = "STANDUP_ACTOR"


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

    def now(self) -> datetime:
        """The time every query of this session is asked about (pinned by --as-of)."""
        return self.clock.now()
