"""Cash values on any day (现金价值) and the unearned premium of a one-year product, as pure functions.

- **Between anniversaries** (7号 item 9: "a reasonable interpolation"): the quote carries the cash value at the
  end of each policy year, CV_1 … CV_n, and CV_0 = 0 at inception. On a day in policy year k, the position is
  t = (k − 1) + days since the last anniversary / days in that policy year (anniversaries by Civil Code art. 202:
  29 Feb → 28 Feb). The value is linear between CV_{k−1} and CV_k: a single-premium policy surrendered in year 1
  pays part of CV_1, not ¥0.
- **Paid for**: the position never runs ahead of the premiums paid. Premiums paid (or waived) cover
  ``instalments ÷ instalments a year`` years, so t = min(elapsed, paid). A policy in arrears (or suspended) gets
  the value at the end of what it paid for; a monthly payer the value at the month its premiums reached.
- **One-year products** (7号 item 10: for a term of a year or less the minimum cash value is the unearned
  premium; item 16: 1/365): refund = premium received for the cover year − annual premium × days elapsed /
  days in the cover year, never below 0. The catalog's one-year products state no surrender charge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from jiabao.core.errors import invalid
from jiabao.core.money import ZERO, to_decimal
from jiabao.policies.rules.schedule import add_years

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Position:
    """Where a policy stands on a day: full years elapsed and the fraction of the current policy year."""

    completed_years: int
    days: int
    """Days since the last anniversary (0 on an anniversary)."""
    days_in_year: int
    """Days from the last anniversary to the next (365 or 366)."""

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.days) / Decimal(self.days_in_year)

    @property
    def years(self) -> Decimal:
        """Fractional years elapsed (exact to Decimal precision; show with :func:`shown`)."""
        return Decimal(self.completed_years) + self.fraction


def position(start: date, on: date) -> Position:
    """The policy's position on ``on``, counting policy years from ``start`` (the effective date)."""
    if on < start:
        raise invalid("on", "before_start", "日期早于保单生效日", "the date is before the policy started")
    years = on.year - start.year
    while years > 0 and add_years(start, years) > on:
        years -= 1
    while add_years(start, years + 1) <= on:
        years += 1
    anniversary, following = add_years(start, years), add_years(start, years + 1)
    return Position(years, (on - anniversary).days, (following - anniversary).days)


def paid_years(instalments_paid: int, per_year: int) -> Decimal:
    """Years of cover the premiums paid (or waived) stand for: paid instalments ÷ instalments a year."""
    if instalments_paid < 0 or per_year < 1:
        raise invalid("instalments_paid", "negative", "期数不能为负数", "counts must not be negative")
    return Decimal(instalments_paid) / Decimal(per_year)


def shown(years: Decimal) -> Decimal:
    """A position for display: 4 places, rounded down."""
    return years.quantize(FOUR_PLACES, rounding=ROUND_FLOOR)


def cash_value_at(end_of_year: Mapping[int, Decimal], years: Decimal) -> Decimal:
    """The cash value ``years`` (fractional) after inception, linear between end-of-year values; CV_0 = 0 and a
    year past the table keeps its last value."""
    if years < 0:
        raise invalid("years", "negative", "保单年度不能为负数", "the policy year must not be negative")
    last = max(end_of_year, default=0)
    whole = int(years)
    if whole >= last:
        return to_decimal(end_of_year.get(last, ZERO))
    low = end_of_year.get(whole, ZERO) if whole > 0 else ZERO
    high = end_of_year.get(whole + 1, low)
    return to_decimal(low + (high - low) * (years - whole))


def unearned_premium(*, premium_for_year: Decimal, annual_premium: Decimal, start: date, on: date) -> Decimal:
    """One-year cover surrendered on ``on``: the premium received for the cover year less the premium earned
    (annual premium × days elapsed ÷ days in the cover year, 1/365), never below 0."""
    where = position(start, on)
    if where.completed_years > 0:
        return ZERO
    earned = to_decimal(annual_premium * where.days / where.days_in_year)
    return max(to_decimal(premium_for_year) - earned, ZERO)
