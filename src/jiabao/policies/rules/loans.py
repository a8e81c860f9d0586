"""Policy loans (保单贷款) and automatic premium loans (自动垫交), as pure functions.

Terms (contract practice, Conf. L — the figures are the platform's defaults, overridable per call and set in the
settings ``policy_loan_max_share`` / ``policy_loan_annual_rate``):

- **Limit**: a loan may bring the debt up to ``max_share`` (default 80%) of the cash value on the loan date, net
  of what is already owed (principal and accrued interest).
- **Interest**: simple interest at ``annual_rate`` accruing daily, actual/365, rounded half-up to the fen; the day
  the loan is paid out is not counted (Civil Code art. 201), the repayment day is.
- **Repayment** settles accrued interest first, then principal.
- **Debt over the cash value**: when principal and interest exceed the cash value, the policyholder is given
  notice; if the debt still exceeds the cash value ``LAPSE_NOTICE_DAYS`` after the notice, the policy ends
  (效力终止) and the cash value settles the debt.
- **Deduction**: every benefit, surrender value or claim paid under the policy first settles the debt
  (the contract's loan clause; the remainder is paid).
- **Automatic premium loan** (自动垫交): when the policyholder opted in and a premium is still unpaid at the end
  of the grace period, the premium is lent against the policy — if the cash value, net of the debt, covers the
  premium — so the policy stays in force (Insurance Law art. 36 allows the contract to provide otherwise than
  suspension).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from jiabao.core.errors import invalid
from jiabao.core.money import ZERO, to_decimal

DEFAULT_MAX_SHARE = Decimal("0.80")
DEFAULT_ANNUAL_RATE = Decimal("0.05")
LAPSE_NOTICE_DAYS = 30
FEN = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Debt:
    principal: Decimal
    interest: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest


def accrued_interest(principal: Decimal, annual_rate: Decimal, start: date, on: date) -> Decimal:
    """Simple interest from ``start`` (not counted) to ``on`` (counted), actual/365, half-up to the fen."""
    if principal < 0:
        raise invalid("principal", "negative", "贷款本金不能为负数", "the principal must not be negative")
    if annual_rate < 0:
        raise invalid("annual_rate", "negative", "贷款利率不能为负数", "the rate must not be negative")
    days = max((on - start).days, 0)
    return to_decimal(principal * annual_rate * days / Decimal(365))


def available(cash_value: Decimal, owed: Decimal, *, max_share: Decimal = DEFAULT_MAX_SHARE) -> Decimal:
    """The most that may be lent today: max_share × cash value − what is owed, rounded down to the fen, ≥ 0."""
    if not Decimal(0) < max_share <= 1:
        raise invalid("max_share", "range", "贷款比例须在0到1之间", "the loan share must be in (0, 1]")
    room = (cash_value * max_share).quantize(FEN, rounding=ROUND_DOWN) - owed
    return max(room, ZERO)


def check_amount(amount: Decimal, cash_value: Decimal, owed: Decimal, *, max_share: Decimal) -> None:
    """Refuse a loan of ``amount`` above the limit (field ``amount``, with the limit in the message)."""
    limit = available(cash_value, owed, max_share=max_share)
    if amount <= 0:
        raise invalid("amount", "not_positive", "贷款金额须大于0", "the amount must be positive")
    if amount > limit:
        raise invalid(
            "amount",
            "over_limit",
            f"贷款金额超过可贷额度¥{limit}（现金价值的{max_share * 100:.0f}%扣除未还借款）",
            f"the amount is over the limit of ¥{limit} ({max_share * 100:.0f}% of the cash value less the debt)",
        )


@dataclass(frozen=True, slots=True)
class Repayment:
    interest_paid: Decimal
    principal_paid: Decimal
    left: Debt
    """What is still owed after the repayment."""


def repay(debt: Debt, amount: Decimal) -> Repayment:
    """Apply a repayment: interest first, then principal; more than the debt is refused (field ``amount``)."""
    if amount <= 0:
        raise invalid("amount", "not_positive", "还款金额须大于0", "the amount must be positive")
    if amount > debt.total:
        raise invalid(
            "amount",
            "over_debt",
            f"还款金额超过欠款本息合计¥{debt.total}",
            f"the amount is more than the ¥{debt.total} owed",
        )
    interest = min(amount, debt.interest)
    principal = amount - interest
    return Repayment(interest, principal, Debt(debt.principal - principal, debt.interest - interest))


class LoanState:
    OK = "ok"
    NOTICE = "notice"
    """The debt exceeds the cash value: give notice."""
    LAPSE = "lapse"
    """The notice period ran out with the debt still over the cash value: the policy ends."""


def loan_state(debt: Decimal, cash_value: Decimal, *, noticed_on: date | None, on: date) -> str:
    """Whether a debt over the cash value needs a notice, or ends the policy ``LAPSE_NOTICE_DAYS`` after one."""
    if debt <= cash_value:
        return LoanState.OK
    if noticed_on is not None and on > noticed_on + timedelta(days=LAPSE_NOTICE_DAYS):
        return LoanState.LAPSE
    return LoanState.NOTICE


def automatic_loan_covers(premium: Decimal, cash_value: Decimal, owed: Decimal, *, opted_in: bool) -> bool:
    """自动垫交: the policyholder opted in and the cash value net of the debt covers the premium."""
    return opted_in and premium > 0 and cash_value - owed >= premium


@dataclass(frozen=True, slots=True)
class Deduction:
    benefit: Decimal
    deducted: Decimal
    paid: Decimal


def deduct(benefit: Decimal, owed: Decimal) -> Deduction:
    """A benefit, surrender value or claim first settles the debt; the rest is paid (never below 0)."""
    deducted = min(max(owed, ZERO), max(benefit, ZERO))
    return Deduction(benefit, deducted, benefit - deducted)
