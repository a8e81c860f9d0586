"""Cooling-off period (犹豫期) and what a cancellation refunds.

Rules (regulation.md §2.1):

- Long-term health insurance must give at least 15 days (Health Insurance Measures 2019 art. 15, Conf. H); other
  life products over 1 year give 15 days from signing for the policy by market practice (Conf. M). The length is
  per product (``days``); a long-term health product below 15 is refused.
- Cancelling inside the period refunds the premium paid less a production fee (工本费) of at most ¥10
  (Conf. M). Outside it, the contract can still be surrendered (退保), paying the cash value (Insurance Law art.
  47, §2.7 H) within 30 days.
- First-day convention: the day the policy is received (签收) is not counted (Civil Code art. 201, Conf. H;
  clauses read "自签收次日起15日内"). Received on 1 March with 15 days: the period is 2–16 March, a request on
  16 March (day 15) is a cooling-off cancellation and one on 17 March (day 16) is a surrender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from jiabao.core.errors import invalid
from jiabao.core.money import ZERO, to_decimal

COOLING_OFF_DAYS = 15
HEALTH_MINIMUM_DAYS = 15
MAX_PRODUCTION_FEE = Decimal("10.00")


class CancellationKind(StrEnum):
    COOLING_OFF = "cooling_off"  # 犹豫期内撤销
    SURRENDER = "surrender"  # 犹豫期后退保


@dataclass(frozen=True, slots=True)
class CoolingOffPeriod:
    received_on: date
    first_day: date
    last_day: date
    days: int

    def contains(self, day: date) -> bool:
        """True when a request made on ``day`` falls inside the period (receipt day included: nothing is lost)."""
        return self.received_on <= day <= self.last_day

    def day_number(self, day: date) -> int:
        """Day 1 is the day after receipt; the receipt day itself is day 0."""
        return (day - self.received_on).days


@dataclass(frozen=True, slots=True)
class CancellationResult:
    kind: CancellationKind
    refund: Decimal
    deduction: Decimal
    """Cooling-off: the production fee kept. Surrender: premium paid minus cash value (the surrender loss), ≥ 0."""
    premium_paid: Decimal
    period: CoolingOffPeriod
    basis: str


def cooling_off_period(
    received_on: date, *, days: int = COOLING_OFF_DAYS, long_term_health: bool = False
) -> CoolingOffPeriod:
    """The cooling-off period for a policy received on ``received_on`` (see the module docstring)."""
    minimum = HEALTH_MINIMUM_DAYS if long_term_health else 1
    if days < minimum:
        raise invalid(
            "days",
            "too_short",
            f"犹豫期不得少于 {minimum} 日",
            f"the cooling-off period must be at least {minimum} days",
        )
    return CoolingOffPeriod(received_on, received_on + timedelta(days=1), received_on + timedelta(days=days), days)


def cancellation_refund(
    *,
    received_on: date,
    requested_on: date,
    premium_paid: Decimal,
    cash_value: Decimal | None = None,
    days: int = COOLING_OFF_DAYS,
    production_fee: Decimal = MAX_PRODUCTION_FEE,
    long_term_health: bool = False,
) -> CancellationResult:
    """Refund for a cancellation requested on ``requested_on``.

    Inside the period: refund = premium paid − min(production fee, premium paid), with the fee at most ¥10.
    After it: refund = the cash value on the request date (required then); deduction = max(premium − cash value, 0).
    """
    period = cooling_off_period(received_on, days=days, long_term_health=long_term_health)
    _check_amounts(premium_paid, production_fee, requested_on, received_on)
    premium = to_decimal(premium_paid)
    if period.contains(requested_on):
        fee = min(to_decimal(production_fee), premium)
        return CancellationResult(
            CancellationKind.COOLING_OFF,
            premium - fee,
            fee,
            premium,
            period,
            f"cooling-off (犹豫期) cancellation on day {period.day_number(requested_on)} of {days}: premium refunded "
            "less a production fee of at most ¥10 (regulation.md §2.1, Conf. M; Health Measures art. 15, H)",
        )
    if cash_value is None or cash_value < 0:
        raise invalid(
            "cash_value", "required", "犹豫期后退保须提供现金价值", "after cooling-off the cash value is needed"
        )
    value = to_decimal(cash_value)
    return CancellationResult(
        CancellationKind.SURRENDER,
        value,
        max(premium - value, ZERO),
        premium,
        period,
        f"surrender (退保) on day {period.day_number(requested_on)}, after the {days}-day cooling-off period: cash "
        "value paid within 30 days (Insurance Law art. 47, regulation.md §2.7, Conf. H)",
    )


def _check_amounts(premium_paid: Decimal, production_fee: Decimal, requested_on: date, received_on: date) -> None:
    if premium_paid < 0:
        raise invalid("premium_paid", "negative", "已交保费不能为负数", "the premium paid must not be negative")
    if not ZERO <= production_fee <= MAX_PRODUCTION_FEE:
        raise invalid(
            "production_fee", "out_of_range", "工本费须在 0 至 10 元之间", "the production fee must be ¥0–¥10"
        )
    if requested_on < received_on:
        raise invalid(
            "requested_on", "before_receipt", "申请日期早于签收日期", "the request predates receipt of the policy"
        )
