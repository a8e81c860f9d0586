"""Medical reimbursement (医疗费用补偿) for one policy, applied after the policies before it in the insured's order.

For policy *k* in the order (Health Insurance Measures 2019 arts. 5 and 25 — indemnity never exceeds the cost):

    out_of_pocket = Σ covered items (amount − social insurance paid)
    remaining     = out_of_pocket − paid by policies 1..k−1
    deductible    = min(remaining, deductible − used so far [− paid by earlier policies, if they count])
    payable       = min((remaining − deductible) × ratio, annual limit − paid this year)

``used so far`` is the insured's own figure, or the household's when the rule set makes the product's
deductible household-shared (家庭共享免赔额). ``ratio`` is the with-social-insurance ratio only when the bills were
settled through social insurance first.
"""

from __future__ import annotations

from decimal import Decimal

from jiabao.claims.engine.codes import BenefitKind, ReasonCode, Severity
from jiabao.claims.engine.context import Ctx
from jiabao.claims.engine.facts import BillItem
from jiabao.claims.engine.money import ZERO, money, percent, total
from jiabao.claims.engine.results import PayableLine, Reason
from jiabao.claims.engine.texts import Bi, reason

C, S = ReasonCode, Severity
RULE = "medical_reimbursement"


def out_of_pocket(items: list[BillItem]) -> Decimal:
    """What the covered items cost the insured after social insurance."""
    return total(max(ZERO, i.amount - i.social_insurance_paid) for i in items if i.covered)


def _deductible_left(ctx: Ctx, prior_paid: Decimal) -> tuple[Decimal, Bi]:
    terms = ctx.policy.product.medical
    assert terms is not None
    scheme = ctx.rules.medical_scheme(ctx.policy.product.code)
    if scheme.deductible_scope == "household":
        used = ctx.case.household.shared_deductible_used.get(ctx.policy.product.code, ZERO)
        scope = Bi("家庭共享", "shared by the household")
    else:
        used, scope = ctx.cover.deductible_used, Bi("个人", "the insured's own")
    left = max(ZERO, terms.deductible - used)
    if scheme.other_insurance_offsets_deductible:
        left = max(ZERO, left - prior_paid)
    return left, scope


def medical_line(ctx: Ctx, items: list[BillItem], prior_paid: Decimal) -> tuple[PayableLine | None, list[Reason]]:
    """The payable line of one medical policy, or None when the product has no medical terms."""
    terms = ctx.policy.product.medical
    if terms is None:
        return None, []
    pid, reasons = ctx.pid, []
    excluded = total(i.amount for i in items if not i.covered)
    if excluded > 0:
        reasons.append(reason(C.MEDICAL_ITEMS_NOT_COVERED, S.INFO, RULE, policy_id=pid, amount=excluded))
    cost = out_of_pocket(items)
    remaining = max(ZERO, cost - prior_paid)
    if prior_paid > 0:
        reasons.append(reason(C.MEDICAL_PAID_ELSEWHERE, S.INFO, RULE, policy_id=pid, amount=prior_paid))
    left, scope = _deductible_left(ctx, prior_paid)
    deductible = min(left, remaining)
    if deductible > 0:
        reasons.append(reason(C.MEDICAL_DEDUCTIBLE, S.INFO, RULE, policy_id=pid, amount=deductible, scope=scope))
    settled = ctx.claim.social_insurance_settled
    ratio = terms.ratio_with_social_insurance if settled else terms.ratio_without_social_insurance
    si = (
        Bi("经社保结算", "settled through social insurance")
        if settled
        else Bi("未经社保结算", "not through social insurance")
    )
    reasons.append(reason(C.MEDICAL_RATIO, S.INFO, RULE, policy_id=pid, ratio=percent(ratio), si=si))
    payable = money((remaining - deductible) * ratio)
    limit_left = max(ZERO, terms.annual_limit - ctx.cover.medical_paid)
    if payable > limit_left:
        payable = limit_left
        reasons.append(reason(C.MEDICAL_ANNUAL_LIMIT, S.INFO, RULE, policy_id=pid, amount=limit_left))
    if payable == 0:
        reasons.append(reason(C.MEDICAL_NOTHING_PAYABLE, S.INFO, RULE, policy_id=pid))
    product = ctx.policy.product
    zh = f"医疗费用补偿：(¥{remaining} − 免赔额¥{deductible}) × {percent(ratio)}"
    en = f"medical: (¥{remaining} − deductible ¥{deductible}) × {percent(ratio)}"
    result = PayableLine(
        policy_id=pid,
        product_code=product.code,
        product_version=product.version,
        insured_id=ctx.cover.insured_id,
        benefit=BenefitKind.MEDICAL,
        amount=payable,
        basis=remaining,
        deductible_applied=money(deductible),
        text_zh=zh,
        text_en=en,
    )
    return result, reasons
