"""Quote requests and the checks that refuse a quote outside a product's limits (pure)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jiabao.actuarial.tables import Sex
from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.products.schema import Category, DeathBenefit, Frequency, MultiStatePricing, Product

MINOR_DEATH_CAPS: tuple[tuple[int, Decimal], ...] = ((10, Decimal(200000)), (18, Decimal(500000)))
"""保监发〔2015〕90号: total death cover for a minor, all insurers — ¥200,000 under 10, ¥500,000 from 10 to 17."""
MINORS_RULE = "保监发〔2015〕90号"


class QuoteRefused(InvalidInput):
    """A quote outside a product's limits (超出产品投保规则). Carries the field and the reason in zh and en."""

    default_code = "quote_refused"
    default_zh = "报价超出产品投保规则"
    default_en = "The quote is outside the product's limits"

    def __init__(self, *, field: str, reason_zh: str, reason_en: str, member_id: str = "", product: str = ""):
        self.field = field
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        self.member_id = member_id
        self.product = product
        super().__init__(
            reason_en,
            reason_zh,
            fields=(FieldProblem(field, "quote_refused", reason_zh, reason_en),),
            extra={"member_id": member_id, "product": product},
        )


class ProductSelection(BaseModel):
    """One product chosen for one member, with its options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    product_code: str
    sum_assured: Decimal = Field(gt=0)
    """Yuan; the annual pension for annuities, the annual limit for medical."""
    coverage: int | None = None
    """Cover years (``years`` products) or end age (``to_age``); None for whole life and one-year cover."""
    payment_term: int = 1
    frequency: Frequency = Frequency.ANNUAL
    occupation_class: int | None = None
    social_insurance: bool | None = None
    health_rating: str | None = None
    payout_age: int | None = None


class MemberRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    member_id: str
    age: int = Field(ge=0, le=110)
    sex: Sex
    relation: Literal["self", "spouse", "child", "parent", "other"] = "self"
    selections: list[ProductSelection] = Field(default_factory=list)
    death_cover_held: Decimal = Field(default=Decimal(0), ge=0)
    """Death cover the member already has: in force in the household plus what the applicant declares elsewhere
    (counted toward the minors' cap)."""


def _refuse(member: MemberRequest, product: str, field: str, zh: str, en: str) -> QuoteRefused:
    return QuoteRefused(field=field, reason_zh=zh, reason_en=en, member_id=member.member_id, product=product)


def cover_years(product: Product, member: MemberRequest, sel: ProductSelection) -> int:
    """Years of cover implied by the product and the chosen option (refuses an option the product lacks)."""
    kind = product.coverage.kind
    if kind == "whole_life":
        return product.coverage.end_age - member.age + 1
    if kind == "one_year":
        return 1
    if sel.coverage not in product.coverage.options:
        raise _refuse(
            member,
            product.code,
            "coverage",
            f"保障期间须为 {product.coverage.options} 之一",
            f"coverage must be one of {product.coverage.options}",
        )
    return sel.coverage if kind == "years" else sel.coverage - member.age


def check_selection(product: Product, member: MemberRequest, sel: ProductSelection) -> int:
    """Refuse a selection outside the product's age, term, amount or option limits; return the cover years."""
    code, ages, age = product.code, product.ages, member.age
    if not ages.min_age <= age <= ages.max_age:
        raise _refuse(
            member,
            code,
            "age",
            f"投保年龄须在 {ages.min_age}–{ages.max_age} 岁之间（当前 {age} 岁）",
            f"issue age must be {ages.min_age}–{ages.max_age} (is {age})",
        )
    if sel.payment_term not in product.payment.terms:
        raise _refuse(
            member,
            code,
            "payment_term",
            f"交费期间须为 {product.payment.terms} 年之一",
            f"payment term must be one of {product.payment.terms} years",
        )
    if ages.max_age_at_payment_end is not None and age + sel.payment_term > ages.max_age_at_payment_end:
        raise _refuse(
            member,
            code,
            "payment_term",
            f"投保年龄加交费期间不得超过 {ages.max_age_at_payment_end} 岁",
            f"issue age plus payment term must not exceed {ages.max_age_at_payment_end}",
        )
    years = cover_years(product, member, sel)
    if years < sel.payment_term or years < 1:
        raise _refuse(
            member, code, "coverage", "保障期间不得短于交费期间", "cover must not be shorter than the payment term"
        )
    if sel.frequency not in product.payment.frequencies:
        raise _refuse(
            member, code, "frequency", "该产品不支持所选交费频率", "the product does not offer this payment frequency"
        )
    check_amount(product, member, sel)
    check_options(product, member, sel)
    return years


def check_amount(product: Product, member: MemberRequest, sel: ProductSelection) -> None:
    limits = product.amounts
    upper = limits.max
    if member.age < 18 and limits.max_minor is not None:
        upper = min(upper, limits.max_minor)
    sa = sel.sum_assured
    if not limits.min <= sa <= upper:
        raise _refuse(
            member,
            product.code,
            "sum_assured",
            f"保险金额须在 {limits.min}–{upper} 元之间",
            f"sum assured must be between {limits.min} and {upper} yuan",
        )
    if (sa - limits.min) % limits.step != 0:
        raise _refuse(
            member,
            product.code,
            "sum_assured",
            f"保险金额须为 {limits.step} 元的整数倍递增",
            f"sum assured must rise in steps of {limits.step} yuan",
        )


def check_options(product: Product, member: MemberRequest, sel: ProductSelection) -> None:
    code = product.code
    if product.occupation_classes and sel.occupation_class not in product.occupation_classes:
        raise _refuse(
            member,
            code,
            "occupation_class",
            f"职业类别须为 {product.occupation_classes} 类之一",
            f"occupation class must be one of {product.occupation_classes}",
        )
    if product.category is Category.MEDICAL and sel.social_insurance is None:
        raise _refuse(member, code, "social_insurance", "请说明是否有社会医疗保险", "state whether socially insured")
    pricing = product.pricing
    ratings = pricing.mortality_multipliers if isinstance(pricing, MultiStatePricing) else {}
    if ratings and sel.health_rating not in ratings:
        raise _refuse(
            member,
            code,
            "health_rating",
            f"健康等级须为 {sorted(ratings)} 之一",
            f"health rating must be one of {sorted(ratings)}",
        )
    if product.payout_ages:
        if sel.payout_age not in product.payout_ages:
            raise _refuse(
                member,
                code,
                "payout_age",
                f"领取年龄须为 {product.payout_ages} 岁之一",
                f"pension start age must be one of {product.payout_ages}",
            )
        if member.age + sel.payment_term > sel.payout_age:
            raise _refuse(
                member,
                code,
                "payout_age",
                "交费须在开始领取前完成",
                "premiums must be paid up before the pension starts",
            )


def death_cover(product: Product, sum_assured: Decimal) -> Decimal:
    """The death benefit a selection adds toward the minors' cap (保监发〔2015〕90号).

    A benefit that only returns premiums or the cash value is not counted (``sa_multiple`` 0); otherwise the sum
    assured × the largest death multiple. One-year accident cover pays its sum assured on accidental death, which
    counts (only aviation and major-natural-disaster accident cover is excluded, and none is sold here)."""
    pricing = product.pricing
    if isinstance(pricing, MultiStatePricing):
        multiple = max([b.sa_multiple for b in product.benefits if isinstance(b, DeathBenefit)] or [0.0])
        return (sum_assured * Decimal(str(multiple))).quantize(Decimal("0.01"))
    return sum_assured if product.category is Category.ACCIDENT else Decimal(0)


def minor_death_cap(age: int) -> Decimal | None:
    for below, cap in MINOR_DEATH_CAPS:
        if age < below:
            return cap
    return None


def check_minor_death_cover(member: MemberRequest, products: list[tuple[Product, ProductSelection]]) -> None:
    """Refuse when a minor's death cover (held + every selection) would exceed the cap for the age."""
    cap = minor_death_cap(member.age)
    if cap is None:
        return
    new = sum((death_cover(p, s.sum_assured) for p, s in products), Decimal(0))
    if new == 0 or member.death_cover_held + new <= cap:
        return
    room = max(cap - member.death_cover_held, Decimal(0))
    code = products[0][0].code if products else ""
    raise _refuse(
        member,
        code,
        "sum_assured",
        f"未成年人身故保险金额累计不得超过 {cap:,.0f} 元（{MINORS_RULE}）：已有 {member.death_cover_held:,.0f} 元，"
        f"本次 {new:,.0f} 元，最多还可投保身故保险金额 {room:,.0f} 元",
        f"a minor's total death cover may not exceed ¥{cap:,.0f} ({MINORS_RULE}): ¥{member.death_cover_held:,.0f}"
        f" held, ¥{new:,.0f} applied for; at most ¥{room:,.0f} more death cover is allowed",
    )
