"""The triage queue turns a page when the cursor leaves the view, never scrolls a row.

Working down the queue, a decision moves the cursor one row on; the rows on the wall stay
where they are until the cursor passes the last one shown, then the view turns so the
cursor's row is ``CONTEXT`` rows below the top (the rows just decided still in sight).
Up past the first row shown, the same the other way. Real keys (Pilot), real demo file.
"""

from __future__ import annotations

from screens.triage_table import QueueTable
from standup.store import Store
from tests.test_triage_screen import _app, _open_triage, _settled

# A short terminal, so the test demo's queue (19 disputes) is about two views long.
SIZE = (160, 16)


def _shown(table: QueueTable) -> range:
    """The rows (indexes) in view: the header takes the view's first line."""
    top = round(table.scroll_y)
    return range(top, top + table.scrollable_content_region.height - 1)


async def test_the_queue_turns_a_page_when_the_cursor_leaves_the_view(
    demo_store: Store,
) -> None:
    app = _app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_triage(pilot)
        table = screen.table
        assert isinstance(table, QueueTable)
        view = _shown(table)
        assert view.start == 0 and 5 < len(view) < table.row_count - QueueTable.CONTEXT
        context = QueueTable.CONTEXT

        # Down to the last row shown: nothing moves.
        for _ in range(len(view) - 2):
            await pilot.press("j")
        await pilot.press("a", "enter")  # a decision there moves the cursor on by one
        await _settled(pilot, screen)
        assert table.cursor_row == view[-1] and _shown(table) == view

        # One more decision: the cursor leaves the view, which turns a page.
        await pilot.press("a", "enter")
        await _settled(pilot, screen)
        turned = _shown(table)
        assert table.cursor_row == view[-1] + 1 == turned.start + context
        assert len(turned) == len(view)

        # Back up within the view: nothing moves; past its first row: a page up.
        for _ in range(context):
            await pilot.press("k")
        assert table.cursor_row == turned.start and _shown(table) == turned
        await pilot.press("k")
        back = _shown(table)
        assert table.cursor_row == turned.start - 1
        assert back.start == max(0, table.cursor_row + context + 1 - len(back))
        assert table.cursor_row in back
