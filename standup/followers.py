"""How many follow the driver's screen: ``standup serve --follow`` writes it, the app
shows it in its header. A file, not a socket, so the core stays free of Textual and the
app of the server; kept apart from :mod:`standup.serve` so launch does not load that.
"""

from __future__ import annotations

from pathlib import Path

# `standup serve --follow` tells the driver's app where it writes how many are following.
FOLLOWERS_ENV = "STANDUP_FOLLOWERS_FILE"
# ... and the share link, which it printed before the app took the screen: the driver
# can show it again from inside the app to paste it in the call's chat.
SHARE_LINK_ENV = "STANDUP_SHARE_LINK"


def write_follower_count(path: Path, count: int) -> None:
    """Write the number of followers for the app to read (atomically: write, rename)."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(str(count), encoding="ascii")
    partial.replace(path)


def read_follower_count(path: Path) -> int | None:
    """The number of followers, or None if the file is missing or garbled."""
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
