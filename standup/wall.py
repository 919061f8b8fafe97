"""Numbers for a wall: KPI names, compact values and big-digit parts for presenter mode.

Textual's Digits draws only ``0-9 A-F $ £ € + - ^ x : ( )`` (and ``.``/``,`` small) in
its 3x3 font; anything else, like the ``M`` of ``1.2M`` or a ``%``, would come out one
line high beside three-line digits. :func:`big_parts` splits a value into the part
Digits can draw and a unit label drawn in normal text next to it.
"""

from __future__ import annotations

from standup.config import SLA

# What Textual's Digits renders big (plus "." and "," which it draws as small points).
BIG_CHARS = frozenset(" 0123456789+-^x:ABCDEF$£€().,")

MONEY_KPIS = frozenset(
    {"stalled.value", "pipeline.open_value", "revenue.won_quarter", "revenue.target"}
)

KPI_LABELS: dict[str, str] = {
    "mqls.new_7d": "New MQLs (7 days)",
    "mqls.new_since": "New MQLs since last standup",
    "disputes.open": "Open disputes",
    "disputes.overdue": "Overdue disputes",
    "stalled.leads": "Stalled leads",
    "stalled.value": "Deal value stalled",
    "pipeline.open_value": "Open pipeline",
    "revenue.won_quarter": "Revenue won this quarter",
    "revenue.target": "Quarter revenue target",
}

# The order KPIs are listed in reports; anything else follows alphabetically.
KPI_ORDER: tuple[str, ...] = (
    "revenue.won_quarter",
    "revenue.target",
    "pipeline.open_value",
    "mqls.new_7d",
    "disputes.open",
    "disputes.overdue",
    "stalled.leads",
    "stalled.value",
    "leads.inquiry",
    "leads.mql",
    "leads.sal",
    "leads.sql",
    "leads.opportunity",
    "leads.customer",
    "leads.recycled",
    "leads.disqualified",
)


def kpi_label(name: str) -> str:
    """A KPI's name for people (``leads.sal`` → ``Leads in sal``)."""
    if name in KPI_LABELS:
        return KPI_LABELS[name]
    if name.startswith("leads."):
        return f"Leads in {name.removeprefix('leads.')}"
    return name


def kpi_sort_key(name: str) -> tuple[int, str]:
    """Sort KPIs in :data:`KPI_ORDER`, unknown ones last."""
    try:
        return (KPI_ORDER.index(name), name)
    except ValueError:
        return (len(KPI_ORDER), name)


def _scaled(value: float) -> tuple[float, str]:
    size = abs(value)
    for limit, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return value / limit, unit
    return value, ""


def _short(number: float) -> str:
    """Up to three significant digits: 1.2, 12.5, 125 (no trailing .0)."""
    size = abs(number)
    text = f"{number:.1f}" if size < 100 else f"{number:.0f}"
    return text.removesuffix(".0")


def compact(value: float, money: bool = False) -> str:
    """``1234567`` → ``1.2M`` (``$1.2M`` for money); small counts stay exact (``842``)."""
    if not money and abs(value) < 10_000 and float(value).is_integer():
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
    if not money and abs(value) < 10_000 and float(value).is_integer():
        # Counts stay exact on the wall: "1008 stalled", not "1k".
        digits, unit = str(int(value)), ""
    elif not unit and float(value).is_integer():
        digits = str(int(value))
    else:
        digits = _short(abs(number))
        digits = f"-{digits}" if number < 0 else digits
    if money:
        digits = digits.replace("-", "-$", 1) if digits.startswith("-") else f"${digits}"
    return digits, unit


def delta_text(delta: float | None, money: bool = False) -> str:
    """``▲ 12`` / ``▼ $1.2M`` / ``= 0``: the arrow says the direction, not just colour."""
    if delta is None:
        return "–"
    if abs(delta) < 1e-9:
        return "= 0"
    arrow = "▲" if delta > 0 else "▼"
    return f"{arrow} {compact(abs(delta), money)}"


def percent(part: float, whole: float) -> str:
    """``part`` as a whole-number percentage of ``whole`` (``–`` for a zero whole)."""
    if not whole:
        return "–"
    return f"{part / whole * 100:.0f}%"


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
