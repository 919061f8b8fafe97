"""The one way a screen or widget reaches the running session (store, config, clock...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from textual.dom import DOMNode

from standup.session import Session

if TYPE_CHECKING:
    from screens.app import StandupApp


@runtime_checkable
class Refreshable(Protocol):
    """A screen whose data can be fetched afresh (the app asks after redaction flips)."""

    def refresh_panels(self) -> None: ...


def session_of(node: DOMNode) -> Session:
    """The session of the app ``node`` is mounted in."""
    return cast("StandupApp", node.app).session


def refuse_write(node: DOMNode, what: str) -> bool:
    """Say so and return True when this session may not write (``--read-only``, serve).

    Every action that writes asks first: ``if refuse_write(self, "Accept"): return``.
    """
    if not session_of(node).read_only:
        return False
    node.app.notify(
        f"{what}: refused, this session is read-only (the host can serve with --allow-writes)",
        title="Read-only",
        severity="warning",
    )
    return True
