"""Contract alterations (保全) as pure functions: reduction of the sum assured (减保), reduced paid-up (减额交清),
occupation re-rating, rescission for non-disclosure (art. 16), misstated age (art. 32), renewal of one-year
products and the dates of survival, maturity and annuity payments.

Sources (``../shared/domain/regulation.md``): Insurance Law art. 16 (§1.7, H), art. 32 (§1.7, H), arts. 52–53
(risk increase / decrease: the premium follows; a decrease refunds the premium by the day), Health Insurance
Measures art. 21 (guaranteed renewal: not refused, cover not cut; §2.4, H). Cash values: ``rules.cash_value``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from jiabao.core.errors import invalid
from jiabao.core.money import ZERO, to_decimal
from jiabao.policies.rules.schedule import add_years

RESCISSION_DAYS = 30
"""Insurance Law art. 16: the right lapses 30 days after the insurer learns the cause."""
INCONTESTABLE_YEARS = 2
"""Insurance Law art. 16: no rescission 2 years after the contract is formed."""
SURVIVAL_PROOF_DAYS = 365
"""An annuitant's survival confirmation holds for a year (product practice, Conf. L)."""


@dataclass(frozen=True, slots=True)
class Reduction:
    ratio: Decimal
    """Reduced part ÷ old sum assured (6 places)."""
    payout: Decimal
    """The cash value of the reduced part, paid to the policyholder."""
    new_annual_premium: Decimal
    new_sum_assured: Decimal


def reduce_sum_assured(
    *, old: Decimal, new: Decimal, cash_value: Decimal, annual_premium: Decimal, minimum: Decimal, step: Decimal
) -> Reduction:
    """减保: the sum assured falls from ``old`` to ``new``; the reduced part is treated as surrendered — its cash
    value (cash value × reduced ÷ old) is paid — and the premium falls in proportion."""
    if new >= old:
        raise invalid("sum_assured", "not_lower", "减保后保额须低于现保额", "the new sum assured must be lower")
    if new < minimum:
        raise invalid(
            "sum_assured", "below_minimum", f"减保后保额不能低于¥{minimum}", f"the product's minimum is ¥{minimum}"
        )
    if step > 0 and (new / step) != (new / step).to_integral_value():
        raise invalid(
            "sum_assured", "step", f"保额须为¥{step}的整数倍", f"the sum assured must be a multiple of ¥{step}"
        )
    reduced = old - new
    return Reduction(
        ratio=(reduced / old).quantize(Decimal("0.000001")),
        payout=to_decimal(cash_value * reduced / old),
        new_annual_premium=to_decimal(annual_premium * new / old),
        new_sum_assured=new,
    )


def paid_up_sum_assured(net_cash_value: Decimal, single_premium_per_unit: Decimal, *, unit: Decimal) -> Decimal:
    """减额交清: the sum assured the net cash value buys as a single premium at the attained age on the product's
    net single premium basis (``single_premium_per_unit`` per ``unit`` of sum assured), rounded down to the yuan."""
    if single_premium_per_unit <= 0:
        raise invalid("basis", "no_premium", "无法计算趸缴净保费", "no net single premium for this position")
    if net_cash_value <= 0:
        raise invalid("cash_value", "none", "现金价值不足，无法办理减额交清", "there is no cash value to convert")
    return (net_cash_value / single_premium_per_unit * unit).quantize(Decimal(1), rounding=ROUND_DOWN)


@dataclass(frozen=True, slots=True)
class Rerating:
    new_annual_premium: Decimal
    adjustment: Decimal
    """For the rest of the period already paid, by the day: > 0 the extra premium due (risk increased, art. 52),
    < 0 the premium refunded (risk decreased, art. 53 "按日计算退还")."""
    increased: bool


def rerate_occupation(
    *,
    annual_premium: Decimal,
    old_factor: Decimal,
    new_factor: Decimal,
    paid_to: date,
    on: date,
    paid_period_days: int,
    paid_amount: Decimal,
) -> Rerating:
    """Occupation change on accident cover: the premium follows the class factor (art. 52 increase, art. 53
    decrease) from the change; for the rest of the period already paid the difference is settled by the day:
    paid amount × (new/old − 1) × days left ÷ days in the period (collected when positive, refunded when
    negative)."""
    if old_factor <= 0 or new_factor <= 0:
        raise invalid("occupation_class", "factor", "职业类别费率无效", "no rate factor for the class")
    new_premium = to_decimal(annual_premium * new_factor / old_factor)
    adjustment = ZERO
    if paid_to > on and paid_period_days > 0:
        days_left = (paid_to - on).days
        adjustment = to_decimal(paid_amount * (new_factor / old_factor - 1) * days_left / paid_period_days)
    return Rerating(new_premium, adjustment, new_factor > old_factor)


@dataclass(frozen=True, slots=True)
class RescissionWindow:
    allowed: bool
    last_day: date | None
    """The last day the insurer may rescind (the earlier of the two art. 16 limits)."""
    reason: str


def rescission_window(*, formed_on: date, learned_on: date, on: date) -> RescissionWindow:
    """Insurance Law art. 16 (H): within 30 days of learning the cause and not more than 2 years after the contract
    was formed (first day not counted, Civil Code art. 201: formed 26 Nov 2026 → the last day is 26 Nov 2028)."""
    if learned_on < formed_on or learned_on > on:
        raise invalid("learned_on", "range", "知道解除事由的日期无效", "the date the cause was learned is not valid")
    by_knowledge = learned_on + timedelta(days=RESCISSION_DAYS)
    by_formation = add_years(formed_on, INCONTESTABLE_YEARS)  # first day not counted: the anniversary is the last
    last = min(by_knowledge, by_formation)
    if on > by_formation:
        return RescissionWindow(False, None, "incontestable")
    if on > by_knowledge:
        return RescissionWindow(False, None, "thirty_days_passed")
    return RescissionWindow(True, last, "within_limits")


def rescission_refund(premiums_paid: Decimal, *, intentional: bool) -> Decimal:
    """Art. 16: intentional non-disclosure — no premium refund; gross negligence — premiums refunded."""
    return ZERO if intentional else to_decimal(premiums_paid)


@dataclass(frozen=True, slots=True)
class AgeCorrection:
    outcome: str
    """``rescind`` (true age outside the limits, within 2 years), ``extra_premium`` or ``proportional_cover``
    (underpaid), ``refund`` (overpaid), ``none``."""
    amount: Decimal
    """Premium to collect (extra_premium), to refund (refund); 0 otherwise."""
    new_annual_premium: Decimal
    new_sum_assured: Decimal


def correct_age(
    *,
    true_age: int,
    min_age: int,
    max_age: int,
    formed_on: date,
    on: date,
    sum_assured: Decimal,
    stated_premium: Decimal,
    true_premium: Decimal | None,
    years_paid: Decimal,
    proportional: bool,
) -> AgeCorrection:
    """Insurance Law art. 32 (H): a true age outside the product's limits lets the insurer rescind within 2 years
    of formation (the cash value is refunded — by the caller); otherwise an underpayment is collected
    (``extra_premium``: the annual difference × years paid) or the cover is proportioned (sum assured × stated ÷
    true premium), and an overpayment is refunded (the annual difference × years paid); the premium is the true
    one from then on."""
    if true_age < min_age or true_age > max_age:
        if on > add_years(formed_on, INCONTESTABLE_YEARS):
            raise invalid(
                "birth_date",
                "incontestable",
                "合同成立已满二年，不能因年龄不实解除合同",
                "the contract is over 2 years old: it cannot be rescinded for the age",
            )
        return AgeCorrection("rescind", ZERO, ZERO, ZERO)
    if true_premium is None:
        raise invalid("birth_date", "no_price", "无法按真实年龄计算保费", "no premium for the true age")
    if true_premium == stated_premium:
        return AgeCorrection("none", ZERO, stated_premium, sum_assured)
    difference = to_decimal(abs(true_premium - stated_premium) * years_paid)
    if true_premium < stated_premium:
        return AgeCorrection("refund", difference, true_premium, sum_assured)
    if proportional:
        new_sa = (sum_assured * stated_premium / true_premium).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        return AgeCorrection("proportional_cover", ZERO, stated_premium, new_sa)
    return AgeCorrection("extra_premium", difference, true_premium, sum_assured)


@dataclass(frozen=True, slots=True)
class RenewalDecision:
    renew: bool
    reason: str
    guaranteed: bool


def renewal_decision(
    *,
    attained_age: int,
    max_renewal_age: int | None,
    guaranteed_until: date | None,
    renewal_date: date,
    on_sale: bool,
    claims_made: int,
) -> RenewalDecision:
    """A one-year product at its end: inside a guaranteed-renewal period it is renewed whatever the claims
    (Health Insurance Measures art. 21), up to the product's maximum renewal age; outside it, renewal is offered
    while the product is on sale and the age allows — a claim is never a reason to refuse."""
    del claims_made  # recorded by the caller; never a ground for refusal
    if max_renewal_age is not None and attained_age > max_renewal_age:
        return RenewalDecision(False, "max_renewal_age", False)
    guaranteed = guaranteed_until is not None and renewal_date <= guaranteed_until
    if guaranteed:
        return RenewalDecision(True, "guaranteed", True)
    if not on_sale:
        return RenewalDecision(False, "product_closed", False)
    return RenewalDecision(True, "offered", False)


def payout_dates(
    *, effective: date, issue_age: int, from_age: int, to_age: int, cover_end: date | None, through: date
) -> list[date]:
    """Policy anniversaries (and the effective date) up to ``through`` on which the insured's attained age is in
    [from_age, to_age): the dates a survival benefit or annuity is due (paid at the start of the year, as priced)."""
    out = []
    t = max(from_age - issue_age, 0)
    while issue_age + t < to_age:
        day = add_years(effective, t)
        if day > through or (cover_end is not None and day > cover_end):
            break
        out.append(day)
        t += 1
    return out


def survival_proven(confirmed_on: date | None, due: date) -> bool:
    """An annuity is paid only with the annuitant's survival confirmed on or after a year before the due date (a
    confirmation after the due date releases the payment then)."""
    return confirmed_on is not None and confirmed_on >= due - timedelta(days=SURVIVAL_PROOF_DAYS)
