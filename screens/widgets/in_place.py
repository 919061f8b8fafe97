"""``update_in_place``: new content for a ``Static`` without laying out the whole screen.

``Static.update`` asks for a layout by default, and after a layout Textual repaints every
widget on the screen: at 160x45 on the dashboard that is ~15-25 ms of Python on the UI
thread, and a refresh updates a dozen summary and status lines. Almost every refresh
leaves their height as it was, so only a line whose height changes lays out again.
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


def update_in_place(static: Static, content: VisualType) -> None:
    """Show ``content`` in ``static``; lay out again only if its height changes."""
    static.update(content, layout=False)
    styles = static.styles
    if styles.width is not None and styles.width.is_auto:
        static.refresh(layout=True)  # its width follows the content
        return
    if styles.height is not None and not styles.height.is_auto:
        return  # a fixed height (a status line): the content cannot change the layout
    width = static.size.width
    if not width:
        return  # hidden, or not arranged yet: showing or arranging it lays it out
    needed = static.get_content_height(static.container_size, static.app.size, width)
    if needed != static.size.height:
        static.refresh(layout=True)
