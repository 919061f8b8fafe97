"""Every number and label the wall shows, formatted one way: dashboard, presenter, report.

Counts below 10,000 stay exact (``1,234``: the room checks them against the CRM); bigger
counts and all money go short (``12.5k``, ``$1.2M``). ``percent(0.342) == "34%"``,
``duration_days(3.2) == "3d"``, ``delta(5) == "▲5"``. A missing value (None) prints as an
em dash, never as 0 or NaN.

Presenter mode draws values with Textual's Digits, which draws only
``0-9 A-F $ £ € + - ^ x : ( )`` (and ``.``/``,`` small) in its 3x3 font; anything else,
like the ``M`` of ``1.2M``, would come out one line high beside three-line digits.
:func:`big_parts` splits a value into what Digits can draw and a unit label beside it.
"""

from __future__ import annotations

from standup.config import SLA

MISSING = "—"

# What Textual's Digits renders big (plus "." and "," which it draws as small points).
BIG_CHARS = frozenset(" 0123456789+-^x:ABCDEF$£€().,")

# Below this an integer count is shown whole.
EXACT_BELOW = 10_000


def _scaled(value: float) -> tuple[float, str]:
    size = abs(value)
    for limit, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        # 999,960 is "1M", not "1000k"
        if size >= limit * 0.9995:
            return value / limit, unit
    return value, ""


def _short(number: float) -> str:
    """Up to three significant digits: 1.2, 12.5, 125 (no trailing .0)."""
    text = f"{number:.1f}" if abs(number) < 99.95 else f"{number:.0f}"
    return text.removesuffix(".0")


def _exact(value: float, money: bool) -> bool:
    return not money and abs(value) < EXACT_BELOW and float(value).is_integer()


def compact(value: float | None, money: bool = False) -> str:
    """``842`` → ``842``, ``1234`` → ``1,234``, ``12_500`` → ``12.5k``; money ``$1.2M``."""
    if value is None:
        return MISSING
    if _exact(value, money):
        return f"{int(value):,}"
    number, unit = _scaled(value)
    sign = "-" if number < 0 else ""
    return f"{sign}{'$' if money else ''}{_short(abs(number))}{unit}"


def big_parts(value: float, money: bool = False) -> tuple[str, str]:
    """Split a value into (what Digits draws, a unit label in normal text).

    ``1_234_567`` money → ``("$1.2", "M")``; ``37`` → ``("37", "")``; ``12_500`` →
    ``("12.5", "k")``. The first part only ever holds characters in :data:`BIG_CHARS`.
    """
    number, unit = _scaled(value)
    if _exact(value, money):
        # Counts stay exact on the wall: "1008 stalled", not "1k" (no comma: Digits
        # draws it as a small point, which reads as a decimal from the back).
        digits, unit = str(int(value)), ""
    elif not unit and float(value).is_integer():
        digits = str(int(value))
    else:
        digits = _short(abs(number))
        digits = f"-{digits}" if number < 0 else digits
    if money:
        digits = digits.replace("-", "-$", 1) if digits.startswith("-") else f"${digits}"
    return digits, unit


def percent(ratio: float | None) -> str:
    """0.342 -> 34%; below 1% shows one decimal (0.4%) so small rates are not 0%."""
    if ratio is None:
        return MISSING
    pct = ratio * 100
    if 0 < abs(pct) < 1:
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def share(part: float, whole: float) -> str:
    """``part`` as a percentage of ``whole``; a dash when there is no whole."""
    return percent(part / whole) if whole else MISSING


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
    """▲12 / ▼$1.2M / =0 — the arrow carries the direction, so colour is never needed
    alone; empty when there is nothing to compare with."""
    if change is None:
        return ""
    if abs(change) < 1e-9:
        return "=0"
    arrow = "▲" if change > 0 else "▼"
    return f"{arrow}{compact(abs(change), money)}"


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


def stall_label(rule: str, stage: str, days_over: float, sla: SLA) -> str:
    """Why a stalled row is stalled, for the wall: how long it has been (where the rule
    says), and how far past the SLA: ``"no touch 50d · 40d over"``.

    ``days_over`` counts from the deadline of ``rule`` (the SLA's threshold), so the time
    since is the threshold plus that. "deal in stage" says only how far over: the lead's
    deal stage (its biggest open deal) need not be the deal that broke its SLA.
    """
    over = f"{days_over:.0f}d over"
    threshold: float | None = None
    if rule == "in stage":
        threshold = sla.stage_days.get(stage)
    elif rule in ("no touch", "deal untouched"):
        threshold = sla.no_touch_days
    elif rule == "not accepted":
        threshold = sla.accept_mql_hours / 24
    if threshold is None:
        return f"{rule} · {over}"
    return f"{rule} {days_over + threshold:.0f}d · {over}"
