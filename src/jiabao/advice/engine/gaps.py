"""Needs and gaps per member and household, and the protection score (家庭风险评估). Pure.

The method (docs/planning.md) with every figure from the assumptions file:

* earners: income > 0, not retired, under the statutory retirement age;
* death/disability — earners only: income × replacement ratio for the years until the youngest child is
  independent (or the dependant years when there are dependants but no child), valued as an annuity-certain,
  capped at the years left to retirement; plus the earner's income share of the debts and the children's
  education costs and the final expenses; less the same share of the liquid assets; never below 0;
* critical illness — years of income (earners) plus the treatment cost (adult, child or elder);
* medical — the catastrophic bill less what social insurance pays (all of it without social insurance);
* accident — a multiple of income for earners (with a floor), a fixed amount for other adults and elders;
* pension — for earners before retirement: income × (target − the basic pension's replacement), a year;
* gap = max(0, need − cover); score = 100 × Σ w·min(1, cover/need) / Σ w over the needs > 0 (kind weight ×
  member weight), 100 when there is no need at all.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from jiabao.advice.engine.assumptions import Assumptions
from jiabao.advice.engine.model import (
    ZERO,
    Assessment,
    GapKind,
    HouseholdInput,
    KindResult,
    MemberInput,
    MemberResult,
    Reason,
    Text,
    Tier,
)

KIND_ZH = {
    GapKind.DEATH: "身故/全残",
    GapKind.CI: "重疾",
    GapKind.MEDICAL: "医疗",
    GapKind.ACCIDENT: "意外",
    GapKind.PENSION: "养老（每年）",
}
KIND_EN = {
    GapKind.DEATH: "death/disability",
    GapKind.CI: "critical illness",
    GapKind.MEDICAL: "medical",
    GapKind.ACCIDENT: "accident",
    GapKind.PENSION: "pension (a year)",
}
YUAN = Decimal(1)


def yuan(value: Decimal) -> Decimal:
    return value.quantize(YUAN, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    return f"¥{int(yuan(value)):,}"


def pct(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def is_earner(m: MemberInput, a: Assumptions) -> bool:
    """Earns an income the family lives on: income > 0, not retired and under the statutory retirement age (an
    older member's income is treated as a pension: it does not stop at death, and builds no pension need)."""
    retire_at: int = a.roles.retirement_age.get(m.sex, 60)  # type: ignore[call-overload]
    return m.annual_income > 0 and not m.retired and m.age < retire_at


def tier_of(m: MemberInput, a: Assumptions) -> Tier:
    if m.age < a.roles.child_below_age:
        return Tier.CHILD
    if m.age >= a.roles.elder_from_age or m.retired:
        return Tier.ELDER
    return Tier.BREADWINNER if is_earner(m, a) else Tier.ADULT


def annuity_certain(years: int, rate: Decimal) -> Decimal:
    """ä_n: n yearly payments of 1 in advance at ``rate``."""
    if years <= 0:
        return ZERO
    if rate == 0:
        return Decimal(years)
    v = 1 / (1 + rate)
    return (1 - v**years) / (rate * v)


def _years_to_replace(m: MemberInput, members: tuple[MemberInput, ...], a: Assumptions) -> tuple[int, str]:
    """Years of income the death need replaces, and why: ``child``, ``dependants`` or ``none``."""
    children = [x for x in members if x.age < a.roles.child_below_age]
    if children:
        youngest = min(x.age for x in children)
        years, why = a.death.child_independent_age - youngest, "child"
    elif any(not is_earner(x, a) for x in members if x.member_id != m.member_id):
        years, why = a.death.dependant_years, "dependants"
    else:
        years, why = a.death.no_dependant_years, "none"
    to_retirement = max(0, a.roles.retirement_age.get(m.sex, 60) - m.age)  # type: ignore[call-overload]
    return max(0, min(years, to_retirement)), why


def _death(m: MemberInput, h: HouseholdInput, income_total: Decimal, a: Assumptions) -> tuple[Decimal, int, Text]:
    if not is_earner(m, a):
        return (
            ZERO,
            0,
            Text("没有工作收入，身故不会减少家庭收入", "no earned income: a death does not cut the family's income"),
        )
    share = m.annual_income / income_total if income_total else ZERO
    years, why = _years_to_replace(m, h.members, a)
    d = a.death
    education = sum((x.education_cost for x in h.members), ZERO)
    replaced = m.annual_income * d.income_replacement_ratio * annuity_certain(years, d.discount_rate)
    need = max(ZERO, replaced + share * (h.debts + education) + d.final_expenses - share * h.liquid_assets)
    ratio = pct(d.income_replacement_ratio)
    if why == "child":
        head = Text(
            f"按收入的{ratio}替代{years}年（到最小的孩子{d.child_independent_age}岁独立）",
            f"{ratio} of income for {years} years (until the youngest child is {d.child_independent_age})",
        )
    elif why == "dependants":
        head = Text(f"按收入的{ratio}替代{years}年（赡养家人）", f"{ratio} of income for {years} years (dependants)")
    else:
        head = Text("没有需要供养的家人", "no dependants")
    text = Text(
        f"{head.zh}，加上分担的房贷等负债和子女教育金 {fmt(share * (h.debts + education))}、丧葬费用 "
        f"{fmt(d.final_expenses)}，减去分担的存款与投资 {fmt(share * h.liquid_assets)}",
        f"{head.en}, plus the share of debts (mortgage) and education costs {fmt(share * (h.debts + education))} "
        f"and final expenses {fmt(d.final_expenses)}, less the share of savings {fmt(share * h.liquid_assets)}",
    )
    return yuan(need), years, text


def _ci(m: MemberInput, tier: Tier, a: Assumptions) -> tuple[Decimal, Text]:
    c = a.ci
    if tier is Tier.CHILD:
        return c.treatment_cost_child, Text(
            f"少儿重疾的治疗与家长陪护费用 {fmt(c.treatment_cost_child)}",
            f"a child's treatment and a parent's care {fmt(c.treatment_cost_child)}",
        )
    treatment = c.treatment_cost_elder if tier is Tier.ELDER else c.treatment_cost
    if is_earner(m, a):
        return yuan(m.annual_income * c.income_years + treatment), Text(
            f"治疗期间{c.income_years.normalize():f}年的收入损失，加治疗康复费用 {fmt(treatment)}",
            f"{c.income_years.normalize():f} years of lost income during treatment plus treatment {fmt(treatment)}",
        )
    return treatment, Text(f"治疗康复费用 {fmt(treatment)}", f"treatment and rehabilitation {fmt(treatment)}")


def _medical(m: MemberInput, a: Assumptions) -> tuple[Decimal, Text]:
    bill = a.medical.catastrophic_bill
    if m.social_insurance:
        share = a.medical.social_insurance_share
        return yuan(bill * (1 - share)), Text(
            f"一次大病住院约 {fmt(bill)}，社保报销约{pct(share)}后的自付部分",
            f"a {fmt(bill)} hospital bill less the ~{pct(share)} social insurance pays",
        )
    return bill, Text(
        f"没有社保，一次大病住院约 {fmt(bill)} 需全部自付",
        f"no social insurance: a {fmt(bill)} bill is all out of pocket",
    )


def _accident(m: MemberInput, tier: Tier, a: Assumptions) -> tuple[Decimal, Text]:
    c = a.accident
    if tier is Tier.CHILD:
        return c.child, Text(
            "孩子的意外保障一般由学平险提供，不在此测算", "a child's accident cover comes from school cover"
        )
    floor = c.elder if tier is Tier.ELDER else c.min_adult
    if is_earner(m, a):
        need = max(floor, m.annual_income * c.income_multiple)
        return yuan(need), Text(
            f"收入的{c.income_multiple.normalize():f}倍，至少 {fmt(floor)}",
            f"{c.income_multiple.normalize():f} × income, at least {fmt(floor)}",
        )
    return floor, Text(f"意外伤残与身故的基本保障 {fmt(floor)}", f"basic accident cover {fmt(floor)}")


def _pension(m: MemberInput, a: Assumptions) -> tuple[Decimal, Text]:
    retire_at = a.roles.retirement_age.get(m.sex, 60)  # type: ignore[call-overload]
    if not is_earner(m, a) or m.age >= retire_at:
        return ZERO, Text(
            "不需要补充养老金测算（无工作收入或已到退休年龄）", "no pension need (no income or at retirement)"
        )
    p = a.pension
    social = p.social_pension_replacement if m.social_insurance else ZERO
    need = max(ZERO, m.annual_income * (p.target_replacement - social))
    return yuan(need), Text(
        f"退休后每年希望有现收入的{pct(p.target_replacement)}，基本养老金约替代{pct(social)}，每年差额",
        f"a pension of {pct(p.target_replacement)} of income; the basic pension replaces ~{pct(social)}",
    )


def assess_member(m: MemberInput, h: HouseholdInput, income_total: Decimal, a: Assumptions) -> MemberResult:
    tier = tier_of(m, a)
    death, years, death_text = _death(m, h, income_total, a)
    computed = {
        GapKind.DEATH: (death, death_text),
        GapKind.CI: _ci(m, tier, a),
        GapKind.MEDICAL: _medical(m, a),
        GapKind.ACCIDENT: _accident(m, tier, a),
        GapKind.PENSION: _pension(m, a),
    }
    kinds = {}
    for kind, (need, text) in computed.items():
        cover = max(ZERO, m.cover.get(kind, ZERO))
        kinds[kind] = KindResult(kind, need, cover, max(ZERO, need - cover), text)
    return MemberResult(m.member_id, m.name, m.age, tier, kinds, years)


def _weight(member: MemberResult, kind: GapKind, a: Assumptions) -> Decimal:
    return a.score.kind_weights.get(kind, ZERO) * a.score.member_weights.get(member.tier, Decimal(1))


def score_of(members: tuple[MemberResult, ...], a: Assumptions) -> int:
    total = covered = ZERO
    for m in members:
        for kind, r in m.kinds.items():
            if r.need > 0:
                w = _weight(m, kind, a)
                total += w
                covered += w * min(Decimal(1), r.cover / r.need)
    if total == 0:
        return 100
    return max(0, min(100, int((100 * covered / total).quantize(YUAN, rounding=ROUND_HALF_UP))))


def reasons_of(members: tuple[MemberResult, ...], a: Assumptions) -> tuple[Reason, ...]:
    ranked = sorted(
        ((m, r) for m in members for r in m.kinds.values() if r.gap > 0),
        key=lambda mr: (-_weight(mr[0], mr[1].kind, a) * mr[1].gap / mr[1].need, -mr[1].gap, mr[0].member_id),
    )
    reasons = [
        Reason(
            "gap",
            m.member_id,
            r.kind,
            Text(
                f"{m.name}的{KIND_ZH[r.kind]}保障缺口 {fmt(r.gap)}"
                f"（需要 {fmt(r.need)}，已有 {fmt(r.cover)}）：{r.basis.zh}。",
                f"{m.name}: {KIND_EN[r.kind]} gap {fmt(r.gap)} "
                f"(need {fmt(r.need)}, held {fmt(r.cover)}): {r.basis.en}.",
            ),
        )
        for m, r in ranked[: a.score.reasons]
    ]
    if reasons:
        return tuple(reasons)
    if any(r.need > 0 for m in members for r in m.kinds.values()):
        return (
            Reason("covered", None, None, Text("全家各项保障已覆盖测算的需要。", "Every measured need is covered.")),
        )
    return (Reason("no_needs", None, None, Text("目前没有测算出保障需要。", "No protection need was found.")),)


def assess(household: HouseholdInput, assumptions: Assumptions) -> Assessment:
    """Needs, cover and gaps per member and kind, the household totals, the score and its reasons."""
    income_total = sum((m.annual_income for m in household.members if is_earner(m, assumptions)), ZERO)
    members = tuple(assess_member(m, household, income_total, assumptions) for m in household.members)
    totals = {}
    for kind in GapKind:
        need = sum((m.kinds[kind].need for m in members), ZERO)
        cover = sum((m.kinds[kind].cover for m in members), ZERO)
        gap = sum((m.kinds[kind].gap for m in members), ZERO)
        totals[kind] = KindResult(kind, need, cover, gap, Text("全家合计", "household total"))
    return Assessment(
        assumptions_version=assumptions.version,
        members=members,
        totals=totals,
        score=score_of(members, assumptions),
        reasons=reasons_of(members, assumptions),
        household_income=sum((m.annual_income for m in household.members), ZERO),
    )
