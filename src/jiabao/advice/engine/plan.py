"""The recommended plan (智能推荐): close the largest gaps first within a budget, breadwinners first. Pure.

Order: gap kinds in the file's ``kind_order`` (medical and accident first: cheap, and they close a whole gap),
within a kind members by tier (``recommend.tiers``: breadwinners before dependants), then by income and by the
size of the gap (largest first). For each gap the
candidate products of its kind are tried in the file's order; the first the member may buy (issue age, payment
term, options, amount limits, the minors' death cap of 保监发〔2015〕90号) and that the pricer accepts is bought
for the gap rounded up to the product's step — or for as much as the remaining budget pays, if that still closes
at least ``min_fraction_of_gap`` of it. A bought line adds cover to every kind its category counts toward, so a
later gap it already closed is not bought twice. The budget is a hard limit: the lines' premiums never exceed it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from jiabao.advice.engine.assumptions import Assumptions, ProductChoice
from jiabao.advice.engine.gaps import KIND_EN, KIND_ZH, assess, fmt, yuan
from jiabao.advice.engine.model import (
    ZERO,
    Assessment,
    GapKind,
    HouseholdInput,
    MemberInput,
    MemberResult,
    Plan,
    PlanLine,
    Skipped,
    Text,
    Tier,
)
from jiabao.products.schema import Category, DeathBenefit, MultiStatePricing, Product, ProductLine

FEN = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Options:
    """The options a plan line is quoted with (annual premiums)."""

    coverage: int | None
    payment_term: int
    payout_age: int | None = None
    occupation_class: int | None = None
    social_insurance: bool | None = None
    health_rating: str | None = None


PremiumFn = Callable[[Product, MemberInput, Options, Decimal], Decimal | None]
"""Annual premium of ``product`` for the member with these options and sum assured, or None if refused."""


def budget_for(household_income: Decimal, existing_premiums: Decimal, share: Decimal) -> Decimal:
    """New premiums allowed: share × income less the premiums already paid, never negative (to the fen)."""
    return max(ZERO, (household_income * share - existing_premiums).quantize(FEN, rounding=ROUND_DOWN))


def _cover_years(product: Product, age: int, coverage: int | None) -> int:
    kind = product.coverage.kind
    if kind == "whole_life":
        return product.coverage.end_age - age + 1
    if kind == "one_year":
        return 1
    assert coverage is not None
    return coverage if kind == "years" else coverage - age


def choose_options(product: Product, m: MemberInput, choice: ProductChoice, years_needed: int) -> Options | None:
    """The first options of ``choice`` this member may buy, or None (age, term, options)."""
    if not product.ages.min_age <= m.age <= product.ages.max_age:
        return None
    kind = product.coverage.kind
    coverages: list[int | None]
    if kind == "years":
        offered = sorted(product.coverage.options)
        long_enough = [c for c in offered if c >= years_needed]
        preferred: list[int | None] = [c for c in choice.coverage if c in offered]
        fallback: list[int | None] = list(offered)
        coverages = [long_enough[0] if long_enough else offered[-1]] if years_needed else (preferred or fallback)
    elif kind == "to_age":
        coverages = [c for c in (choice.coverage or product.coverage.options) if c in product.coverage.options]
        coverages = [c for c in coverages if c is not None and c > m.age]
    else:
        coverages = [None]
    occupation = None
    if product.occupation_classes:
        occupation = m.occupation_class or 1
        if occupation not in product.occupation_classes:
            return None
    rating = None
    if isinstance(product.pricing, MultiStatePricing) and product.pricing.mortality_multipliers:
        rating = choice.health_rating
    social = m.social_insurance if product.category is Category.MEDICAL else None
    limit = product.ages.max_age_at_payment_end
    for coverage in coverages:
        years = _cover_years(product, m.age, coverage)
        for term in choice.payment_terms:
            if term not in product.payment.terms or term > years or (limit is not None and m.age + term > limit):
                continue
            payout = None
            if product.payout_ages:
                fits = [p for p in choice.payout_ages if p in product.payout_ages and m.age + term <= p]
                if not fits:
                    continue
                payout = fits[0]
            return Options(coverage, term, payout, occupation, social, rating)
    return None


def _round_up(amount: Decimal, product: Product) -> Decimal:
    low, step = Decimal(product.amounts.min), Decimal(product.amounts.step)
    if amount <= low:
        return low
    steps = ((amount - low) / step).to_integral_value(rounding="ROUND_CEILING")
    return low + steps * step


def _round_down(amount: Decimal, product: Product) -> Decimal:
    low, step = Decimal(product.amounts.min), Decimal(product.amounts.step)
    if amount < low:
        return ZERO
    return low + ((amount - low) / step).to_integral_value(rounding=ROUND_DOWN) * step


def sum_assured_limit(
    product: Product, m: MemberInput, a: Assumptions, cover: Mapping[GapKind, Decimal]
) -> tuple[Decimal, bool]:
    """The largest sum assured the member may buy, and whether the minors' death cap is what limits it."""
    upper = Decimal(product.amounts.max)
    if m.age < 18 and product.amounts.max_minor is not None:
        upper = min(upper, Decimal(product.amounts.max_minor))
    cap = a.minor_death_cap(m.age)
    multiple = death_multiple(product)
    if cap is not None and multiple > 0:
        room = (cap - cover.get(GapKind.DEATH, ZERO)) / multiple  # 保监发〔2015〕90号: all death cover counts
        if room < upper:
            return _round_down(max(room, ZERO), product), True
    return upper, False


def death_multiple(product: Product) -> Decimal:
    """The multiple of the sum assured paid on death (counted toward the minors' cap). A return of premiums
    does not count (保监发〔2015〕90号: premiums paid and cash values are excluded)."""
    if isinstance(product.pricing, MultiStatePricing):
        multiples = [Decimal(str(b.sa_multiple)) for b in product.benefits if isinstance(b, DeathBenefit)]
        return max(multiples, default=ZERO)
    return Decimal(1) if ProductLine.DEATH in product.product_lines else ZERO


@dataclass
class _State:
    remaining: Decimal
    covers: dict[str, dict[GapKind, Decimal]]


def _order(
    assessment: Assessment, inputs: Mapping[str, MemberInput], a: Assumptions
) -> list[tuple[MemberResult, GapKind]]:
    kinds = {k: i for i, k in enumerate(a.recommend.kind_order)}
    tiers = {t: i for i, t in enumerate(a.recommend.tiers)}
    items = [(m, r.kind, r.gap) for m in assessment.members for r in m.kinds.values() if r.gap > 0]
    items.sort(
        key=lambda x: (
            kinds.get(x[1], len(kinds)),
            tiers.get(x[0].tier, len(tiers)),
            -inputs[x[0].member_id].annual_income,
            -x[2],
            x[0].member_id,
        )
    )
    return [(m, k) for m, k, _ in items]


def _why(
    m: MemberResult, kind: GapKind, gap: Decimal, product: Product, sa: Decimal, premium: Decimal, closes: Decimal
) -> Text:
    basis = m.kinds[kind].basis
    first = Text("家庭经济支柱优先保障；", "breadwinners first; ") if m.tier is Tier.BREADWINNER else Text("", "")
    partial = (
        Text(f"预算内可补上其中 {fmt(closes)}。", f"the budget closes {fmt(closes)} of it.")
        if closes < gap
        else Text("可完全补上。", "it closes it fully.")
    )
    return Text(
        f"{first.zh}补{m.name}的{KIND_ZH[kind]}缺口 {fmt(gap)}（{basis.zh}）：{product.name_zh}保额 {fmt(sa)}，"
        f"每年保费 ¥{premium:,.2f}，{partial.zh}",
        f"{first.en}{m.name}'s {KIND_EN[kind]} gap {fmt(gap)} ({basis.en}): {product.name_en} for {fmt(sa)}, "
        f"¥{premium:,.2f} a year; {partial.en}",
    )


def recommend(
    household: HouseholdInput,
    assumptions: Assumptions,
    products: Mapping[str, Product],
    premium: PremiumFn,
    *,
    budget_share: Decimal | None = None,
    assessment: Assessment | None = None,
) -> Plan:
    """The plan for this household within ``budget_share`` of its income (the file's default when None)."""
    a = assumptions
    share = a.recommend.budget_share_of_income if budget_share is None else budget_share
    before = assessment or assess(household, a)
    budget = budget_for(before.household_income, household.existing_premiums, share)
    inputs = {m.member_id: m for m in household.members}
    state = _State(budget, {m.member_id: dict(m.cover) for m in household.members})
    lines: list[PlanLine] = []
    skipped: list[Skipped] = []
    for member, kind in _order(before, inputs, a):
        m = inputs[member.member_id]
        need = member.kinds[kind].need
        gap = need - state.covers[m.member_id].get(kind, ZERO)
        if gap <= 0:
            continue
        outcome = _close(m, member, kind, gap, a, products, premium, state)
        if isinstance(outcome, PlanLine):
            lines.append(outcome)
        else:
            skipped.append(outcome)
    after_members = tuple(replace(m, cover=state.covers[m.member_id]) for m in household.members)
    after = assess(replace(household, members=after_members), a)
    total = sum((line.annual_premium for line in lines), ZERO)
    return Plan(a.version, budget, share, tuple(lines), tuple(skipped), total, after)


def _skip(m: MemberResult, kind: GapKind, gap: Decimal, code: str) -> Skipped:
    texts = {
        "no_product": Text("目前没有适合这个年龄的产品", "no product fits this age"),
        "budget": Text("预算内无法补上", "not within the budget"),
        "too_small": Text("缺口小于产品最低保额的一半，暂不需要购买", "less than half the smallest amount on sale"),
        "minor_cap": Text(
            "未成年人身故保险金已达保监发〔2015〕90号规定的上限",
            "the minors' death cover cap (CIRC 2015 No. 90) is reached",
        ),
    }
    t = texts[code]
    return Skipped(
        m.member_id,
        m.name,
        kind,
        gap,
        code,
        Text(
            f"{m.name}的{KIND_ZH[kind]}缺口 {fmt(gap)}：{t.zh}。", f"{m.name}: {KIND_EN[kind]} gap {fmt(gap)}: {t.en}."
        ),
    )


def _close(
    m: MemberInput,
    member: MemberResult,
    kind: GapKind,
    gap: Decimal,
    a: Assumptions,
    products: Mapping[str, Product],
    premium: PremiumFn,
    state: _State,
) -> PlanLine | Skipped:
    reason = "no_product"
    for choice in a.recommend.products.get(kind, []):
        product = products.get(choice.code)
        if product is None:
            continue
        counts = a.cover_mapping.get(product.category.value, {}).get(kind, ZERO)
        if counts <= 0:
            continue
        options = choose_options(product, m, choice, member.years_to_replace if kind is GapKind.DEATH else 0)
        if options is None:
            continue
        upper, capped = sum_assured_limit(product, m, a, state.covers[m.member_id])
        if upper < product.amounts.min:
            reason = "minor_cap" if capped else reason
            continue
        wanted = min(_round_up(gap / counts, product), upper)
        medical = product.category is Category.MEDICAL
        if not medical and gap < a.recommend.min_fraction_of_gap * Decimal(product.amounts.min) * counts:
            reason = "too_small"
            continue
        price = premium(product, m, options, wanted)
        if price is None:
            continue
        sa = wanted
        if price > state.remaining:
            sa, price = _fit(product, m, options, wanted, price, state.remaining, premium)
            closes = min(gap, sa * counts)
            if sa <= 0 or price is None or (not medical and closes < a.recommend.min_fraction_of_gap * gap):
                reason = "budget"
                continue
        closes = yuan(min(gap, sa * counts))
        state.remaining -= price
        for covered_kind, share in a.cover_mapping.get(product.category.value, {}).items():
            held = state.covers[m.member_id]
            held[covered_kind] = held.get(covered_kind, ZERO) + sa * share
        return PlanLine(
            member_id=m.member_id,
            member_name=m.name,
            kind=kind,
            product_code=product.code,
            product_name_zh=product.name_zh,
            product_name_en=product.name_en,
            sum_assured=sa,
            coverage=options.coverage,
            payment_term=options.payment_term,
            payout_age=options.payout_age,
            occupation_class=options.occupation_class,
            social_insurance=options.social_insurance,
            health_rating=options.health_rating,
            annual_premium=price,
            gap_before=gap,
            closes=closes,
            why=_why(member, kind, gap, product, sa, price, closes),
        )
    return _skip(member, kind, gap, reason)


def _fit(
    product: Product,
    m: MemberInput,
    options: Options,
    wanted: Decimal,
    price: Decimal,
    remaining: Decimal,
    premium: PremiumFn,
) -> tuple[Decimal, Decimal | None]:
    """The largest sum assured (on the product's steps) whose premium fits ``remaining``; (0, None) if none."""
    if remaining <= 0 or price <= 0:
        return ZERO, None
    sa = _round_down((wanted * remaining / price).quantize(FEN, rounding=ROUND_HALF_UP), product)
    step = Decimal(product.amounts.step)
    for _ in range(50):
        if sa < product.amounts.min or sa <= 0:
            return ZERO, None
        found = premium(product, m, options, sa)
        if found is None:
            return ZERO, None
        if found <= remaining:
            return sa, found
        sa -= step
    return ZERO, None
