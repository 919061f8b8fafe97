"""``SteadyFooter``: a Footer that rebuilds its keys only when the keys it shows change.

Textual's Footer recomposes (unmounts and mounts a ``FooterKey`` per binding, each
styled against the app's whole stylesheet) every time its screen publishes
"bindings changed": on every focus change and every time a modal prompt opens over the
screen or closes. On the triage screen that was 3-4 rebuilds per decision (≈ 25-40 ms
each of UI-thread time, while the decision's write waited for the GIL), to draw exactly
the same keys again.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A drop-in Footer that skips rebuilds which would draw the same keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None
        self.rebuilds = 0  # completed rebuilds (tests)

    def _signature(self) -> tuple[Any, ...]:
        """What the footer would draw: each shown binding, enabled or not, in order."""
        shown = [
            (key, b.key, b.action, b.description, b.key_display, b.group, enabled, tooltip)
            for key, (_, b, enabled, tooltip) in self.screen.active_bindings.items()
            if b.show
        ]
        return (*shown, self.show_command_palette, self.compact)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Rebuild only if the bindings on display differ from the ones drawn."""
        drawn = self._shown is not None and self.is_attached and screen is self.screen
        if drawn and self._signature() == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self) -> Any:
        """Footer's keys; remembers what they show."""
        if self._bindings_ready:
            self._shown = self._signature()
            self.rebuilds += 1
        return super().compose()
