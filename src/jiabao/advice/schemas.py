"""Submitted and displayed shapes of the advice API (家庭风险评估、智能推荐、动态调整)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from jiabao.advice.engine import GapKind, Tier
from jiabao.family.enums import LifeEventKind

Money = Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), decimal_places=2)]
PersonId = Annotated[int, Field(ge=1, le=2**63 - 1)]
BudgetShare = Annotated[Decimal, Field(ge=Decimal("0.01"), le=Decimal("0.50"), decimal_places=2)]
DebtKind = Literal["mortgage", "car_loan", "consumer_loan", "business_loan", "other"]
Trigger = Literal[
    "first",
    "manual",
    "facts_changed",
    "new_mortgage",
    "marriage",
    "birth",
    "child_adult",
    "child_leaves_home",
    "retirement",
    "death",
    "member_joined",
    "member_left",
    "divorce",
    "policy_ended",
    "policy_issued",
]


class MemberFactsIn(BaseModel):
    """One member's money facts. Omitted income / social insurance fall back to the member's record."""

    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    annual_income: Money | None = None
    social_insurance: bool | None = None
    education_cost: Money = Decimal(0)
    """A child's remaining planned education cost (教育金规划), in yuan."""
    cover_elsewhere: dict[GapKind, Money] = Field(default_factory=dict)
    """Cover the family holds with other insurers (他处已有保障): sum assured per kind; pension = a year."""
    premiums_elsewhere: Money = Decimal(0)
    """Annual premiums paid for that cover (counted against the budget)."""


class DebtIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DebtKind
    outstanding: Money


class FactsIn(BaseModel):
    """The household's financial facts (家庭财务信息)."""

    model_config = ConfigDict(extra="forbid")

    members: list[MemberFactsIn] = Field(default_factory=list, max_length=20)
    debts: list[DebtIn] = Field(default_factory=list, max_length=10)
    liquid_assets: Money = Decimal(0)
    budget_share: BudgetShare | None = None
    """Premiums as a share of household income (default 10%, from the assumptions file)."""


class MemberFactsOut(MemberFactsIn):
    name: str


class FactsOut(BaseModel):
    household_id: int
    members: list[MemberFactsOut]
    debts: list[DebtIn]
    liquid_assets: Decimal
    budget_share: Decimal | None
    version: int
    updated_at: datetime | None


class KindOut(BaseModel):
    kind: GapKind
    need: Decimal
    cover: Decimal
    gap: Decimal
    basis_zh: str
    basis_en: str


class MemberAssessmentOut(BaseModel):
    person_id: int
    name: str
    age: int
    tier: Tier
    kinds: list[KindOut]
    total_gap: Decimal


class ReasonOut(BaseModel):
    code: str
    person_id: int | None
    kind: GapKind | None
    text_zh: str
    text_en: str


class AssessmentOut(BaseModel):
    household_id: int
    as_of: date
    assumptions_version: str
    score: int
    reasons: list[ReasonOut]
    members: list[MemberAssessmentOut]
    totals: list[KindOut]
    total_gap: Decimal


class PlanLineOut(BaseModel):
    person_id: int
    name: str
    kind: GapKind
    product_code: str
    product_name_zh: str
    product_name_en: str
    sum_assured: Decimal
    coverage: int | None
    payment_term: int
    payout_age: int | None
    annual_premium: Decimal
    gap_before: Decimal
    closes: Decimal
    why_zh: str
    why_en: str


class SkippedOut(BaseModel):
    person_id: int
    name: str
    kind: GapKind
    gap: Decimal
    code: str
    text_zh: str
    text_en: str


class PlanOut(BaseModel):
    household_id: int
    as_of: date
    assumptions_version: str
    budget_share: Decimal
    budget: Decimal
    existing_premiums: Decimal
    total_premium: Decimal
    score_before: int
    score_after: int
    gap_before: Decimal
    gap_after: Decimal
    lines: list[PlanLineOut]
    skipped: list[SkippedOut]


class SnapshotOut(BaseModel):
    id: int
    computed_at: datetime
    as_of: date
    trigger: str
    score: int
    assumptions_version: str
    total_gap: Decimal
    widened: bool
    message_queued: bool


class AdviceEventIn(BaseModel):
    """A life event recorded on the household timeline and re-assessed at once (动态调整)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[
        LifeEventKind.MARRIAGE,
        LifeEventKind.BIRTH,
        LifeEventKind.CHILD_LEAVES_HOME,
        LifeEventKind.RETIREMENT,
        LifeEventKind.DEATH,
    ]
    person_id: PersonId | None = None
    occurred_on: date = Field(ge=date(1900, 1, 1), le=date(2100, 12, 31))


class ReassessOut(BaseModel):
    snapshot: SnapshotOut
    previous_score: int | None
    previous_gap: Decimal | None
