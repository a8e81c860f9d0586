"""Money: ``Decimal`` yuan in code, integer fen (分) in the database. Never ``float``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Exact conversion to a yuan amount rounded half-up to the fen. Floats are refused on purpose."""
    if isinstance(value, float):  # pragma: no cover - guarded by the type checker too
        raise TypeError("money must not be a float; pass a Decimal, int or str")
    try:
        return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc


def to_fen(amount: Decimal | int | str) -> int:
    """Yuan → integer fen, half-up."""
    return int(to_decimal(amount) * 100)


def from_fen(fen: int) -> Decimal:
    """Integer fen → yuan ``Decimal`` with two places."""
    return (Decimal(fen) / 100).quantize(FEN)


def format_yuan(amount: Decimal) -> str:
    """¥1,234.50 style display."""
    return f"¥{amount:,.2f}"
