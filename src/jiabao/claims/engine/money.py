"""Money helpers of the engine: every amount is ``Decimal`` yuan rounded half-up to the fen."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def total(values: Iterable[Decimal]) -> Decimal:
    return money(sum(values, ZERO))


def percent(ratio: Decimal) -> str:
    """0.3 → '30%'."""
    return f"{(ratio * 100).normalize():f}%"
