"""The one way a screen or widget reaches the running session (store, config, clock...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

from standup.session import Session

if TYPE_CHECKING:
    from screens.app import StandupApp


def session_of(node: DOMNode) -> Session:
    """The session of the app ``node`` is mounted in."""
    return cast("StandupApp", node.app).session
