"""The agenda's countdown line, mounted at the very top of whichever screen is showing.

It says the segment, its position, the time left (or over), and what comes next. Amber
past the warn fraction, red when over — and the words say so too ("OVER +01:10"), so it
reads on a 16-colour terminal and for colour-blind viewers.
"""

from __future__ import annotations

from textual.widgets import Static

from standup.agenda import Agenda, Level, State


class AgendaBar(Static):
    """One line: ``▶ AGENDA 2/4 Disputes · 03:12 left · next: Stalled``."""

    DEFAULT_CSS = """
    AgendaBar {
        split: top;
        height: 1;
        width: 100%;
        padding: 0 1;
        background: $primary-muted;
        color: $text;
        text-style: bold;
    }
    AgendaBar.-warn {
        background: $warning;
        color: black;
    }
    AgendaBar.-over {
        background: $error;
        color: white;
    }
    AgendaBar.-idle {
        display: none;
    }
    """

    def show(self, agenda: Agenda | None) -> None:
        """Redraw from the agenda's state (hidden when there is no meeting)."""
        if agenda is None or agenda.state is State.READY:
            self.add_class("-idle")
            return
        self.remove_class("-idle")
        level = agenda.level() if agenda.state is not State.FINISHED else Level.OK
        self.set_class(level is Level.WARN, "-warn")
        self.set_class(level is Level.OVER, "-over")
        self.update(describe(agenda))


def describe(agenda: Agenda) -> str:
    """The bar's text for an agenda in any state."""
    if agenda.state is State.FINISHED:
        return f"■ AGENDA done · {len(agenda.segments)} segments in {_mins(agenda.elapsed())}"
    position = f"{agenda.index + 1}/{len(agenda.segments)}"
    mark = "❚❚ PAUSED" if agenda.state is State.PAUSED else "▶ AGENDA"
    level = agenda.level()
    if level is Level.OVER:
        clock = f"OVER {agenda.countdown()}"
    elif level is Level.WARN:
        clock = f"{agenda.countdown()} left · wrap up"
    else:
        clock = f"{agenda.countdown()} left"
    nxt = (
        f"next: {agenda.segments[agenda.index + 1].name}"
        if agenda.index + 1 < len(agenda.segments)
        else "last segment"
    )
    return (
        f"{mark} {position} {agenda.current.name} · {clock} · {nxt}   (g pause · ] next · [ back)"
    )


def _mins(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}m {whole % 60:02d}s"
