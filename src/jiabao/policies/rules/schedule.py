"""Premium schedules (缴费计划): frequencies, modal factors, due dates, instalment counts and reminders.

Conventions (see docs/policies.md):

- The first instalment is due on the issue date and is collected with the application, so reminders start with
  the second one.
- Due dates are always computed from the issue date, never chained from the previous due date, and a day that
  does not exist in the target month is clamped to that month's last day (Civil Code art. 202, "没有对应日的，
  月末日为期间的最后一日", Conf. H). Issued 31 January, monthly: 29 Feb (leap year) / 28 Feb, 31 Mar, 30 Apr, ….
- Modal factors turn the annual premium into one instalment (instalment = annual premium × factor, rounded
  half-up to the fen). They are product data and always passed in. Market illustrations use roughly 0.52
  (semi-annual), 0.262 (quarterly) and 0.088 (monthly) (Conf. L: product rate tables, not a regulation).
"""

from __future__ import annotations

import calendar as _gregorian
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from jiabao.core.errors import FieldProblem, InvalidInput, invalid
from jiabao.core.money import to_decimal


class Frequency(StrEnum):
    """Payment frequency (缴费频率)."""

    ANNUAL = "annual"  # 年缴
    SEMI_ANNUAL = "semi_annual"  # 半年缴
    QUARTERLY = "quarterly"  # 季缴
    MONTHLY = "monthly"  # 月缴

    @property
    def per_year(self) -> int:
        return {"annual": 1, "semi_annual": 2, "quarterly": 4, "monthly": 12}[self.value]

    @property
    def months(self) -> int:
        """Months between two instalments."""
        return 12 // self.per_year


@dataclass(frozen=True, slots=True)
class ModalFactors:
    """Instalment = annual premium × factor. A product's own table; the annual factor is 1 by definition."""

    semi_annual: Decimal
    quarterly: Decimal
    monthly: Decimal

    def __post_init__(self) -> None:
        problems = tuple(
            FieldProblem(name, "out_of_range", "缴费系数须大于 0 且不超过 1", "a modal factor must be in (0, 1]")
            for name in ("semi_annual", "quarterly", "monthly")
            if not Decimal(0) < getattr(self, name) <= Decimal(1)
        )
        if problems:
            raise InvalidInput(fields=problems)

    def factor(self, frequency: Frequency) -> Decimal:
        if frequency is Frequency.ANNUAL:
            return Decimal(1)
        return {
            Frequency.SEMI_ANNUAL: self.semi_annual,
            Frequency.QUARTERLY: self.quarterly,
            Frequency.MONTHLY: self.monthly,
        }[frequency]


@dataclass(frozen=True, slots=True)
class Instalment:
    number: int
    """1-based; instalment 1 is due on the issue date."""
    due: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Reminder:
    instalment: int
    send_on: date
    due: date
    days_before: int


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def due_date(issue_date: date, frequency: Frequency, index: int) -> date:
    """Due date of instalment ``index`` (0 = the first, on the issue date), computed from the issue date."""
    if index < 0:
        raise invalid("index", "negative", "期次不能为负数", "the instalment index must not be negative")
    return add_months(issue_date, index * frequency.months)


def instalment_count(payment_years: int, frequency: Frequency) -> int:
    """Instalments over a payment term (缴费期间): years × instalments a year (20-year monthly → 240)."""
    if payment_years < 1:
        raise invalid("payment_years", "out_of_range", "缴费年期至少为 1 年", "the payment term is at least 1 year")
    return payment_years * frequency.per_year


def modal_premium(annual_premium: Decimal, frequency: Frequency, factors: ModalFactors) -> Decimal:
    """One instalment: annual premium × the frequency's modal factor, half-up to the fen."""
    if annual_premium <= 0:
        raise invalid("annual_premium", "not_positive", "年缴保费须大于 0", "the annual premium must be positive")
    return to_decimal(annual_premium * factors.factor(frequency))


def premium_schedule(
    *,
    issue_date: date,
    annual_premium: Decimal,
    frequency: Frequency,
    payment_years: int,
    factors: ModalFactors,
) -> tuple[Instalment, ...]:
    """Every instalment of the payment term with its due date and amount (all instalments equal)."""
    amount = modal_premium(annual_premium, frequency, factors)
    count = instalment_count(payment_years, frequency)
    return tuple(Instalment(i + 1, due_date(issue_date, frequency, i), amount) for i in range(count))


def reminder_dates(schedule: Sequence[Instalment], days_before: Sequence[int]) -> list[Reminder]:
    """Premium reminders (缴费提示) ``days_before`` each due date, for instalments 2 onwards.

    The insurer must remind a policyholder who wants reminders before each due date (Basic Service Rules art. 21,
    §2.7 H); how many days before is our choice and passed in. Sorted by send date.
    """
    if any(d < 0 for d in days_before):
        raise invalid("days_before", "negative", "提前天数不能为负数", "days before must not be negative")
    reminders = [
        Reminder(inst.number, inst.due - timedelta(days=d), inst.due, d)
        for inst in schedule
        if inst.number > 1
        for d in sorted(set(days_before), reverse=True)
    ]
    return sorted(reminders, key=lambda r: (r.send_on, r.instalment))
