"""Inputs and outputs of the needs analysis and the plan: plain frozen data, amounts in ``Decimal`` yuan."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class GapKind(StrEnum):
    """The risks the analysis measures (保障类型)."""

    DEATH = "death"  # 身故/全残
    CI = "ci"  # 重大疾病
    MEDICAL = "medical"  # 医疗
    ACCIDENT = "accident"  # 意外
    PENSION = "pension"  # 养老 (annual pension)


class Tier(StrEnum):
    """A member's place in the household for the analysis and the plan's order."""

    BREADWINNER = "breadwinner"  # earns an income and is not retired
    ADULT = "adult"  # an adult without income (e.g. a parent at home)
    ELDER = "elder"  # 60+ or retired
    CHILD = "child"


ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class MemberInput:
    """One household member as the analysis sees them. ``cover`` is what is already held, here and elsewhere
    (the pension kind in annual pension), ``education_cost`` the remaining planned education cost of a child."""

    member_id: str
    name: str
    age: int
    sex: str  # "M" | "F"
    relationship: str  # self, spouse, child, parent, grandparent, …
    annual_income: Decimal = ZERO
    social_insurance: bool = True
    retired: bool = False
    occupation_class: int | None = None
    cover: dict[GapKind, Decimal] = field(default_factory=dict)
    education_cost: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class HouseholdInput:
    members: tuple[MemberInput, ...]
    debts: Decimal = ZERO  # outstanding mortgage and other loans
    liquid_assets: Decimal = ZERO  # savings and investments that could be used
    existing_premiums: Decimal = ZERO  # annual premiums already paid for cover (counted against the budget)


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class KindResult:
    kind: GapKind
    need: Decimal
    cover: Decimal
    gap: Decimal
    basis: Text  # how the need was computed, in plain words


@dataclass(frozen=True, slots=True)
class MemberResult:
    member_id: str
    name: str
    age: int
    tier: Tier
    kinds: dict[GapKind, KindResult]
    years_to_replace: int  # income years behind the death need (0 for non-earners)

    @property
    def total_gap(self) -> Decimal:
        return sum((k.gap for k in self.kinds.values()), ZERO)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # gap | covered | no_needs
    member_id: str | None
    kind: GapKind | None
    text: Text


@dataclass(frozen=True, slots=True)
class Assessment:
    assumptions_version: str
    members: tuple[MemberResult, ...]
    totals: dict[GapKind, KindResult]
    score: int  # 0–100
    reasons: tuple[Reason, ...]
    household_income: Decimal

    @property
    def total_gap(self) -> Decimal:
        return sum((k.gap for k in self.totals.values()), ZERO)

    def member(self, member_id: str) -> MemberResult:
        return next(m for m in self.members if m.member_id == member_id)


@dataclass(frozen=True, slots=True)
class PlanLine:
    member_id: str
    member_name: str
    kind: GapKind
    product_code: str
    product_name_zh: str
    product_name_en: str
    sum_assured: Decimal
    coverage: int | None
    payment_term: int
    payout_age: int | None
    occupation_class: int | None
    social_insurance: bool | None
    health_rating: str | None
    annual_premium: Decimal
    gap_before: Decimal
    closes: Decimal
    why: Text


@dataclass(frozen=True, slots=True)
class Skipped:
    member_id: str
    member_name: str
    kind: GapKind
    gap: Decimal
    code: str  # no_product | budget | too_small | minor_cap
    text: Text


@dataclass(frozen=True, slots=True)
class Plan:
    assumptions_version: str
    budget: Decimal  # for new premiums: share × income − existing premiums, never negative
    budget_share: Decimal
    lines: tuple[PlanLine, ...]
    skipped: tuple[Skipped, ...]
    total_premium: Decimal
    after: Assessment  # the household's assessment with the plan bought
