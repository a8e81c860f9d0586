"""Submitted and displayed shapes of the family domain. Stored, submitted and shown shapes differ on purpose:
the API never returns a clear ID number or phone except through the audited identity endpoint."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jiabao.family.enums import LifeEventKind, LifeStage, Relationship, Sex

ID_TYPES = ("resident_id", "hk_macau_tw_residence_permit", "passport", "foreign_permanent_residence")


class PersonIn(BaseModel):
    """A person as submitted. For resident IDs, birth date and sex may be left out: they are derived."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=60)
    id_type: str = Field(default="resident_id", pattern="^(" + "|".join(ID_TYPES) + ")$")
    id_number: str = Field(min_length=5, max_length=24)
    sex: Sex | None = None
    birth_date: date | None = None
    phone: str | None = Field(default=None, max_length=24)
    occupation: str | None = Field(default=None, max_length=60)
    occupation_class: int | None = Field(default=None, ge=1, le=6)
    annual_income: Decimal | None = Field(default=None, ge=0, le=Decimal("100000000"), decimal_places=2)
    social_insurance: bool = True


class MemberIn(PersonIn):
    relationship: Relationship


class MemberUpdate(BaseModel):
    """Fields a member's record may change. Identity fields are fixed once verified."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=60)
    phone: str | None = Field(default=None, max_length=24)
    occupation: str | None = Field(default=None, max_length=60)
    occupation_class: int | None = Field(default=None, ge=1, le=6)
    annual_income: Decimal | None = Field(default=None, ge=0, le=Decimal("100000000"), decimal_places=2)
    social_insurance: bool | None = None
    retired: bool | None = None


LEAVE_REASONS = (
    LifeEventKind.MEMBER_LEFT,
    LifeEventKind.CHILD_LEAVES_HOME,
    LifeEventKind.DIVORCE,
    LifeEventKind.DEATH,
)


class MemberLeave(BaseModel):
    model_config = ConfigDict(extra="forbid")

    left_on: date
    reason: LifeEventKind = Field(
        default=LifeEventKind.MEMBER_LEFT,
        description="One of member_left, child_leaves_home, divorce, death (a member cannot leave by being born)",
        json_schema_extra={"enum": [r.value for r in LEAVE_REASONS]},
    )

    @field_validator("reason")
    @classmethod
    def _a_way_of_leaving(cls, value: LifeEventKind) -> LifeEventKind:
        if value not in LEAVE_REASONS:
            raise ValueError("is not a way of leaving a household")
        return value


class HouseholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    head: PersonIn
    partner_id: int | None = None


class LifeEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: LifeEventKind
    occurred_on: date
    person_id: int | None = None
    note: str | None = Field(default=None, max_length=200)


class CoverOut(BaseModel):
    """One line of a member's cover (filled in once policies exist)."""

    policy_no: str
    product: str
    sum_assured: Decimal
    status: str


class MemberOut(BaseModel):
    member_id: int
    person_id: int
    name: str
    sex: Sex
    birth_date: date
    age: int
    relationship: Relationship
    id_type: str
    id_number_masked: str
    phone_masked: str | None
    occupation: str | None
    occupation_class: int | None
    social_insurance: bool
    retired: bool
    annual_income: Decimal | None = None
    joined_on: date
    left_on: date | None
    active: bool
    cover: list[CoverOut] = []


class LifeEventOut(BaseModel):
    id: int
    kind: LifeEventKind
    occurred_on: date
    person_id: int | None
    note: str | None


class HouseholdOut(BaseModel):
    id: int
    account_no: str
    region: str
    head_person_id: int
    partner_id: int | None
    life_stage: LifeStage
    life_stage_reason: str
    members: list[MemberOut]
    former_members: list[MemberOut]


class HouseholdSummary(BaseModel):
    id: int
    account_no: str
    region: str
    head_name: str
    head_id_number_masked: str
    head_phone_masked: str | None
    member_count: int


class IdentityOut(BaseModel):
    """Clear identity data: only through the audited endpoint, only for roles whose work needs it."""

    person_id: int
    name: str
    id_type: str
    id_number: str
    phone: str | None


class MembershipRequestOut(BaseModel):
    """A member addition waiting for verification (docs/security.md, "Adding a member"): the same answer whether
    or not the insurer already knows the person."""

    id: int
    household_id: int
    status: Literal["pending", "approved", "rejected"]
    relationship: Relationship
    name_masked: str
    id_number_masked: str
    created_at: datetime
    member_id: int | None = None
    message_zh: str
    message_en: str


class MembershipDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    approve: bool
    note: str | None = Field(default=None, max_length=200)


class MembershipQueueItem(BaseModel):
    """A pending request as the back office sees it."""

    request: MembershipRequestOut
    known_person_id: int | None
