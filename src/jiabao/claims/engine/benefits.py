"""Benefit calculators for CI, death and accident disability: one payable line per policy, with reasons.

Each returns ``(lines, reasons)``; a calculator that finds nothing to pay returns its reasons and no line.
Benefits already paid are read from ``PolicyFacts.paid``: no benefit is paid twice, mild payments stay within
30% of the severe cover, and accident disability payments together stay within the sum assured.
"""

from __future__ import annotations

from decimal import Decimal

from jiabao.claims.engine.ci_grading import Grading
from jiabao.claims.engine.codes import BenefitKind, CiGrade, ReasonCode, Severity
from jiabao.claims.engine.context import Ctx, is_accident
from jiabao.claims.engine.money import ZERO, money, percent, total
from jiabao.claims.engine.results import PayableLine, Reason
from jiabao.claims.engine.texts import Bi, reason

B, C, S = BenefitKind, ReasonCode, Severity
Result = tuple[list[PayableLine], list[Reason]]
_NAMES = {
    B.CI_SEVERE: Bi("重度疾病保险金", "severe CI benefit"),
    B.CI_MILD: Bi("轻度疾病保险金", "mild CI benefit"),
    B.DEATH: Bi("身故保险金", "death benefit"),
    B.ACCIDENT_DEATH: Bi("意外身故保险金", "accidental death benefit"),
    B.ACCIDENT_DISABILITY: Bi("意外伤残保险金", "accident disability benefit"),
    B.SPOUSE_JOINT: Bi("夫妻同心金", "joint spouse benefit"),
}


def paid_amount(
    ctx: Ctx, benefit: BenefitKind, *, insured_id: str | None = None, mild_name: str | None = None
) -> Decimal:
    who = insured_id or ctx.cover.insured_id
    return total(
        p.amount
        for p in ctx.policy.paid
        if p.insured_id == who and p.benefit is benefit and (mild_name is None or p.mild_name == mild_name)
    )


def was_paid(ctx: Ctx, benefit: BenefitKind, *, insured_id: str | None = None, mild_name: str | None = None) -> bool:
    who = insured_id or ctx.cover.insured_id
    return any(
        p.insured_id == who and p.benefit is benefit and (mild_name is None or p.mild_name == mild_name)
        for p in ctx.policy.paid
    )


def already(ctx: Ctx, benefit: BenefitKind, rule: str) -> Reason:
    return reason(C.ALREADY_PAID, S.REJECT, rule, policy_id=ctx.pid, benefit=benefit, benefit_name=_NAMES[benefit])


def line(ctx: Ctx, benefit: BenefitKind, amount: Decimal, basis: Decimal, zh: str, en: str) -> PayableLine:
    product = ctx.policy.product
    return PayableLine(
        policy_id=ctx.pid,
        product_code=product.code,
        product_version=product.version,
        insured_id=ctx.cover.insured_id,
        benefit=benefit,
        amount=money(amount),
        basis=money(basis),
        text_zh=f"{_NAMES[benefit].zh}：{zh}" if benefit in _NAMES else zh,
        text_en=f"{_NAMES[benefit].en}: {en}" if benefit in _NAMES else en,
    )


def ci_lines(ctx: Ctx, grading: Grading) -> Result:
    """Severe: severe_multiple × SA, once. Mild: the product's multiple for that mild disease × SA, once per
    disease, never after a severe payment, capped at 30% of the severe multiple (CI definitions 2020, item 2)."""
    terms = ctx.policy.product.ci
    if terms is None:
        return [], [reason(C.CI_NOT_COVERED_BY_PRODUCT, S.REJECT, "ci_benefit", policy_id=ctx.pid)]
    sa = ctx.cover.sum_assured
    if grading.grade is CiGrade.SEVERE:
        if was_paid(ctx, B.CI_SEVERE):
            return [], [already(ctx, B.CI_SEVERE, "benefits_paid")]
        m = terms.severe_multiple
        return [line(ctx, B.CI_SEVERE, m * sa, sa, f"保额¥{sa}×{m}", f"sum assured ¥{sa} × {m}")], []
    if grading.grade is not CiGrade.MILD or grading.disease is None:
        return [], []
    return _mild_line(ctx, grading)


def _mild_line(ctx: Ctx, grading: Grading) -> Result:
    terms = ctx.policy.product.ci
    assert terms is not None and grading.disease is not None
    d = grading.disease
    name = d.mild_zh or d.zh
    multiple = terms.mild.get(name)
    if multiple is None:
        bi = Bi(name, d.mild_en or d.en)
        return [], [reason(C.CI_MILD_NOT_COVERED, S.REJECT, "ci_benefit", policy_id=ctx.pid, name=bi)]
    if was_paid(ctx, B.CI_SEVERE):
        return [], [already(ctx, B.CI_SEVERE, "benefits_paid")]
    if was_paid(ctx, B.CI_MILD, mild_name=name):
        return [], [already(ctx, B.CI_MILD, "benefits_paid")]
    reasons = []
    ratio = ctx.rules.rules.mild_cap_ratio
    cap = ratio * terms.severe_multiple
    if multiple > cap:
        multiple = cap
        reasons.append(reason(C.CI_MILD_CAPPED, S.INFO, "ci_mild_cap", policy_id=ctx.pid, ratio=percent(ratio)))
    sa = ctx.cover.sum_assured
    ln = line(ctx, B.CI_MILD, multiple * sa, sa, f"{name} 保额¥{sa}×{multiple}", f"{d.mild_en} ¥{sa} × {multiple}")
    return [ln], reasons


def death_lines(ctx: Ctx) -> Result:
    """Life death benefit (sa_multiple × SA + premium_multiple × premiums paid; not after a CI benefit on
    accelerated designs) and the accident death benefit (less accident disability already paid)."""
    lines: list[PayableLine] = []
    reasons: list[Reason] = []
    terms = ctx.policy.product.death
    sa = ctx.cover.sum_assured
    if "death" in ctx.lines and terms is not None:
        amount = terms.sa_multiple * sa + terms.premium_multiple * ctx.policy.premiums_paid
        if was_paid(ctx, B.DEATH):
            reasons.append(already(ctx, B.DEATH, "benefits_paid"))
        elif terms.healthy_only and was_paid(ctx, B.CI_SEVERE):
            reasons.append(reason(C.DEATH_AFTER_CI, S.REJECT, "death_benefit", policy_id=ctx.pid, benefit=B.DEATH))
        elif amount > 0:
            zh = f"保额¥{sa}×{terms.sa_multiple} + 已交保费¥{ctx.policy.premiums_paid}×{terms.premium_multiple}"
            en = f"¥{sa} × {terms.sa_multiple} + premiums paid ¥{ctx.policy.premiums_paid} × {terms.premium_multiple}"
            lines.append(line(ctx, B.DEATH, amount, sa, zh, en))
    if "accident" in ctx.lines:
        more_lines, more_reasons = _accident_death(ctx)
        lines += more_lines
        reasons += more_reasons
    return lines, reasons


def _accident_death(ctx: Ctx) -> Result:
    if not is_accident(ctx.claim):
        return [], [reason(C.NOT_ACCIDENT, S.REJECT, "accident_benefit", policy_id=ctx.pid)]
    if was_paid(ctx, B.ACCIDENT_DEATH):
        return [], [already(ctx, B.ACCIDENT_DEATH, "benefits_paid")]
    sa = ctx.cover.sum_assured
    before = paid_amount(ctx, B.ACCIDENT_DISABILITY)
    amount = max(ZERO, ctx.rules.rules.accident.death_multiple * sa - before)
    zh, en = f"保额¥{sa} − 已付伤残金¥{before}", f"¥{sa} less disability benefits paid ¥{before}"
    return [line(ctx, B.ACCIDENT_DEATH, amount, sa, zh, en)], []


def disability_lines(ctx: Ctx) -> Result:
    """Accident disability: the most severe grade's share of SA from the industry table (JR/T 0083-2013);
    all disability payments together stay within the sum assured. Several grades go to an adjuster."""
    if not is_accident(ctx.claim):
        return [], [reason(C.NOT_ACCIDENT, S.REJECT, "accident_benefit", policy_id=ctx.pid)]
    table = ctx.rules.rules.accident.disability_table
    grades = [g for g in ctx.claim.disability_grades if g in table]
    if not grades:
        return [], [reason(C.DISABILITY_GRADE_MISSING, S.REFER, "disability", policy_id=ctx.pid)]
    if was_paid(ctx, B.ACCIDENT_DEATH):
        return [], [already(ctx, B.ACCIDENT_DEATH, "benefits_paid")]
    reasons = []
    if len(grades) > 1:
        reasons.append(reason(C.DISABILITY_MULTIPLE, S.REFER, "disability", policy_id=ctx.pid))
    grade, sa = min(grades), ctx.cover.sum_assured
    share = table[grade]
    reasons.append(
        reason(C.DISABILITY_GRADE, S.INFO, "disability", policy_id=ctx.pid, grade=grade, ratio=percent(share))
    )
    left = max(ZERO, sa - paid_amount(ctx, B.ACCIDENT_DISABILITY))
    amount = share * sa
    if amount > left:
        amount = left
        reasons.append(reason(C.DISABILITY_CAP, S.INFO, "disability", policy_id=ctx.pid))
    zh, en = f"{grade}级 保额¥{sa}×{percent(share)}", f"grade {grade}: ¥{sa} × {percent(share)}"
    return [line(ctx, B.ACCIDENT_DISABILITY, amount, sa, zh, en)], reasons
