"""One formatting for every number on the wall (dashboard, presenter, report agree)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standup.fmt import BIG_CHARS, MISSING, big_parts, compact, delta, duration_days, percent, share


@pytest.mark.parametrize(
    ("value", "money", "shown"),
    [
        (0, False, "0"),
        (842, False, "842"),
        (1234, False, "1,234"),  # a count the room checks against the CRM: exact
        (9999, False, "9,999"),
        (10_000, False, "10k"),
        (12_500, False, "12.5k"),
        (125_400, False, "125k"),
        (999_960, False, "1M"),  # rounds up a unit, never "1000k"
        (1_234_567, True, "$1.2M"),
        (1234, True, "$1.2k"),  # money is always short
        (-3_400_000, True, "-$3.4M"),
        (2.5, False, "2.5"),
        (None, False, MISSING),
    ],
)
def test_compact(value: float | None, money: bool, shown: str) -> None:
    assert compact(value, money) == shown


def test_percent_share_duration_and_delta() -> None:
    assert percent(0.342) == "34%" and percent(0.004) == "0.4%" and percent(None) == MISSING
    assert share(1, 4) == "25%" and share(3, 0) == MISSING
    assert duration_days(3.2) == "3d" and duration_days(0.5) == "12h"
    assert duration_days(0.01) == "14m" and duration_days(None) == MISSING
    assert delta(12) == "▲12" and delta(-1_200_000, money=True) == "▼$1.2M"
    assert delta(0) == "=0" and delta(None) == ""


@given(st.integers(min_value=-(10**10), max_value=10**10), st.booleans())
def test_big_digits_draw_only_what_digits_can(value: int, money: bool) -> None:
    digits, unit = big_parts(value, money)
    assert set(digits) <= BIG_CHARS
    assert unit in ("", "k", "M", "B")
    # the wall's big number and the dashboard's compact one say the same thing
    if unit or money:
        assert compact(value, money).replace(",", "") == digits + unit
    else:
        assert int(digits) == value
