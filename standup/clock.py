"""The one place that knows what time it is.

Every query takes ``now`` as a parameter. A pinned "as of" time (``--as-of`` or
``STANDUP_AS_OF``) freezes it, so tests are deterministic and a historic export shows
sensible ages. Times are naive UTC throughout, matching the TIMESTAMP columns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from standup.errors import StandupError

AS_OF_ENV = "STANDUP_AS_OF"


def parse_as_of(text: str) -> datetime:
    """Parse an as-of value: an ISO date (``2026-11-23``) or date-time (``2026-11-23T09:30``).

    A value with a UTC offset is converted to naive UTC.
    """
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise StandupError(
            f"as-of {text!r} is not a date or date-time (use e.g. 2026-11-23 or 2026-11-23T09:30)"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


@dataclass(frozen=True)
class Clock:
    """Hands out ``now``: the pinned as-of time if there is one, else the wall clock."""

    as_of: datetime | None = None

    def now(self) -> datetime:
        """The current time for queries, naive UTC, to the microsecond."""
        if self.as_of is not None:
            return self.as_of
        return datetime.now(UTC).replace(tzinfo=None)

    @property
    def pinned(self) -> bool:
        """True when time is frozen by an as-of setting."""
        return self.as_of is not None

    @classmethod
    def from_setting(cls, as_of: str | None = None) -> Clock:
        """Build from a flag value, falling back to ``STANDUP_AS_OF``, then the wall clock."""
        text = as_of if as_of else os.environ.get(AS_OF_ENV)
        return cls(parse_as_of(text) if text else None)
