"""Numbers formatted for a wall: short, fixed vocabulary, readable from the back of a room.

``compact(1_234_567) == "1.2M"``, ``percent(0.342) == "34%"``, ``duration_days(3.2) == "3d"``,
``delta(5) == "▲5"``. Missing values (None) print as an em dash, never as 0 or NaN.
"""

from __future__ import annotations

MISSING = "—"


def compact(value: float | None) -> str:
    """1234 -> 1.2k, 1_500_000 -> 1.5M, 980 -> 980; at most 4 characters plus sign."""
    if value is None:
        return MISSING
    sign = "-" if value < 0 else ""
    v = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= limit * 0.9995:
            scaled = v / limit
            text = f"{scaled:.1f}" if scaled < 9.95 else f"{scaled:.0f}"
            return f"{sign}{text}{suffix}"
    if v != int(v) and v < 10:
        return f"{sign}{v:.1f}"
    return f"{sign}{v:.0f}"


def percent(ratio: float | None) -> str:
    """0.342 -> 34%; below 1% shows one decimal (0.4%) so small rates are not 0%."""
    if ratio is None:
        return MISSING
    pct = ratio * 100
    if 0 < abs(pct) < 1:
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def duration_days(days: float | None) -> str:
    """An age or overrun: 45m, 5h, 3d (days below 1 shown in hours, below 1h in minutes)."""
    if days is None:
        return MISSING
    sign = "-" if days < 0 else ""
    d = abs(days)
    if d < 1 / 24:
        return f"{sign}{d * 1440:.0f}m"
    if d < 1:
        return f"{sign}{d * 24:.0f}h"
    return f"{sign}{d:.0f}d"


def delta(change: float | None, *, money: bool = False) -> str:
    """▲12 / ▼3 / =0 — the arrow carries the direction, so colour is never needed alone."""
    if change is None:
        return ""
    if abs(change) < 1e-9:
        return "=0"
    arrow = "▲" if change > 0 else "▼"
    amount = compact(abs(change)) if money or abs(change) >= 1000 else f"{abs(change):.0f}"
    return f"{arrow}{amount}"


def lead_ref(external_id: str | None, lead_id: int) -> str:
    """How the room finds a lead in the CRM: its CRM (external) id, else ``#<internal id>``.

    The ``#`` marks our own number, so nobody searches the CRM for it.
    """
    if external_id is not None and external_id.strip():
        return external_id.strip()
    return f"#{lead_id}"


def deal_ref(external_id: str | None, deal_id: int | None) -> str:
    """A deal's CRM id, else ``#<internal id>``; empty when there is no deal."""
    if external_id is not None and external_id.strip():
        return external_id.strip()
    return f"#{deal_id}" if deal_id is not None else ""
