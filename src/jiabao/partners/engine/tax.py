"""Tax withheld on commissions (代扣个人所得税), a configurable rule of the plan.

``agent_cumulative`` — insurance sales agents' commission (保险营销员佣金收入) under 财税〔2018〕164号 item 3 and
国家税务总局公告2018年第61号: income = commission × (1 − 20%); less 展业成本 25% of that income; withheld by the
cumulative method (累计预扣法) with the 5,000 yuan a month basic deduction and the annual comprehensive-income
brackets (3%–45%); this month's tax = tax on the year to date − tax already withheld this year (never negative).
``flat`` — a fixed share of a positive month (e.g. a service fee arrangement); ``none`` — institutions that invoice.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from jiabao.partners.engine.plans import TaxRule

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
INCOME_SHARE = Decimal("0.8")
COST_SHARE = Decimal("0.25")
MONTHLY_DEDUCTION = Decimal(5000)
# (upper bound of cumulative taxable income, rate, quick deduction) — 个人所得税预扣率表一
BRACKETS: tuple[tuple[Decimal | None, Decimal, Decimal], ...] = (
    (Decimal(36000), Decimal("0.03"), Decimal(0)),
    (Decimal(144000), Decimal("0.10"), Decimal(2520)),
    (Decimal(300000), Decimal("0.20"), Decimal(16920)),
    (Decimal(420000), Decimal("0.25"), Decimal(31920)),
    (Decimal(660000), Decimal("0.30"), Decimal(52920)),
    (Decimal(960000), Decimal("0.35"), Decimal(85920)),
    (None, Decimal("0.45"), Decimal(181920)),
)


def cumulative_tax(taxable: Decimal) -> Decimal:
    if taxable <= 0:
        return ZERO
    for upper, rate, quick in BRACKETS:
        if upper is None or taxable <= upper:
            return (taxable * rate - quick).quantize(FEN, rounding=ROUND_HALF_UP)
    raise AssertionError("unreachable")  # pragma: no cover


def withheld(
    rule: TaxRule, partner_kind: str, *, month_gross: Decimal, prior_gross: Decimal, prior_tax: Decimal, months: int
) -> Decimal:
    """Tax to withhold this month. ``prior_*`` are this tax year's earlier months; ``months`` counts the months
    of the year the partner has been paid in (the deduction accrues per month, 61号公告 item 1)."""
    if rule.method == "none" or partner_kind not in rule.applies_to:
        return ZERO
    if rule.method == "flat":
        return max(ZERO, (month_gross * rule.rate).quantize(FEN, rounding=ROUND_HALF_UP))
    income = max(ZERO, prior_gross + month_gross) * INCOME_SHARE
    taxable = income * (1 - COST_SHARE) - MONTHLY_DEDUCTION * months
    return max(ZERO, cumulative_tax(taxable) - prior_tax)
