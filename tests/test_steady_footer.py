"""SteadyFooter: same keys → no rebuild; different keys → rebuilt and shown."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from screens.widgets.steady_footer import SteadyFooter


class Zed(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("z", "zed", "Zed")]


class Prompt(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Button("ok")


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "alpha", "Alpha")]

    def compose(self) -> ComposeResult:
        yield Button("first", id="first")  # takes the focus at start
        yield Zed("zed", id="zed")
        yield SteadyFooter()


def _keys(app: App[None]) -> set[str]:
    return {key.key for key in app.screen.query(FooterKey)}


async def test_a_modal_opening_and_closing_does_not_rebuild_the_footer() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(SteadyFooter)
        before = footer.rebuilds
        assert before >= 1 and "a" in _keys(app)
        for _ in range(3):
            app.push_screen(Prompt())
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
        assert footer.rebuilds == before
        assert "a" in _keys(app)


async def test_new_keys_rebuild_it() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(SteadyFooter)
        before = footer.rebuilds
        assert "z" not in _keys(app)
        app.query_one(Zed).focus()
        await pilot.pause()
        await pilot.pause()
        assert footer.rebuilds > before
        assert {"a", "z"} <= _keys(app)
