"""The terms an underwriting decision puts on an insured's premium and cover (pure: no database, no clock).

One reading for the engine's decisions and an underwriter's: the stored result's ``lines`` each carry
``extra_premium_percent`` (rating, 加费), ``flat_extras`` (‰ of the sum assured a year, optionally for some years)
and ``exclusions`` (除外责任). A product prices all its lines in one premium, so the insured's rating is the
largest rating on any of the product's lines (the CI rating of a CI product with a death benefit, say), the
flat extra is the largest line's, and every exclusion on any of the product's lines is printed on the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Terms:
    extra_premium_percent: int = 0
    flat_per_mille: Decimal = Decimal(0)
    flat_years: int | None = None
    """None: a permanent flat extra (every premium year)."""
    exclusions: tuple[dict[str, str], ...] = field(default=())
    """[{code, line, wording_zh, wording_en}], one per distinct wording."""

    @property
    def standard(self) -> bool:
        return not self.extra_premium_percent and not self.flat_per_mille and not self.exclusions


def terms_of(result: Mapping[str, Any], lines: Iterable[str]) -> Terms:
    """The premium and cover terms of a stored decision result on the product's ``lines``."""
    wanted = set(lines)
    percent, flat, years = 0, Decimal(0), None
    exclusions: dict[str, dict[str, str]] = {}
    for line in result.get("lines", []):
        if str(line.get("line")) not in wanted:
            continue
        percent = max(percent, int(line.get("extra_premium_percent") or 0))
        extras = line.get("flat_extras") or []
        line_flat = sum((Decimal(str(x["per_mille"])) for x in extras), Decimal(0))
        if line_flat > flat:
            flat = line_flat
            durations = [x.get("years") for x in extras]
            years = None if any(d is None for d in durations) else max(int(d) for d in durations)
        for ex in line.get("exclusions") or []:
            exclusions.setdefault(
                ex["wording_zh"],
                {"code": ex["code"], "line": str(line["line"]), "wording_zh": ex["wording_zh"],
                 "wording_en": ex["wording_en"]},
            )  # fmt: skip
    return Terms(percent, flat, years if flat else None, tuple(exclusions.values()))


def money(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def flat_extra_amount(terms: Terms, sum_assured: Decimal) -> Decimal:
    """The flat extra a year: ‰ of the sum assured, half-up to the fen."""
    return money(terms.flat_per_mille * sum_assured / 1000)


def rated_premium(standard: Decimal, terms: Terms, sum_assured: Decimal) -> Decimal:
    """Standard premium × (100 + rating) % plus the flat extra (each half-up to the fen)."""
    rated = money(standard * (100 + terms.extra_premium_percent) / 100)
    return rated + flat_extra_amount(terms, sum_assured)
