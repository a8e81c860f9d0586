"""Submitted and displayed shapes of applications (投保)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jiabao.products.schema import Frequency
from jiabao.underwriting.engine import Channel


class InsuredIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: int
    declared_death_cover: Decimal | None = Field(default=None, ge=0, le=Decimal("100000000"), decimal_places=2)
    """Death cover this member holds with other insurers (the applicant's declaration; minors' cap)."""
    sum_assured: Decimal = Field(gt=0, le=Decimal("100000000"), decimal_places=2)


class ApplicationIn(BaseModel):
    """Apply for one product for up to 7 household members (一张保单最多7位家庭成员)."""

    model_config = ConfigDict(extra="forbid")

    product_code: str = Field(min_length=1, max_length=40)
    policyholder_person_id: int | None = None
    insureds: list[InsuredIn] = Field(min_length=1, max_length=7)
    coverage: int | None = Field(default=None, ge=1, le=120)
    payment_term: int = Field(default=1, ge=1, le=50)
    frequency: Frequency = Frequency.ANNUAL
    channel: Channel | None = None


class QuestionnaireIn(BaseModel):
    """Answers to the base questions and, per disclosed condition, to its reflexive questions."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any]
    reflexive: dict[str, dict[str, Any]] = Field(default_factory=dict)


class InsuredOut(BaseModel):
    person_id: int
    name: str
    age: int
    sum_assured: Decimal
    annual_premium: Decimal
    """What is charged for this member a year: the standard premium with the underwriting terms."""
    instalment: Decimal
    """This member's part of each instalment at the application's frequency (they add up to ``instalment``)."""
    standard_premium: Decimal | None = None
    extra_premium_percent: int = 0
    flat_extra: Decimal | None = None
    flat_extra_years: int | None = None
    exclusions: list[dict[str, str]] = []
    covered: bool
    """False once the member was declined or postponed and removed from the application."""
    uw_status: str
    conclusion: str | None
    automated: bool | None
    explanation_zh: str | None
    explanation_en: str | None
    review_right_zh: str | None
    review_right_en: str | None


class ApplicationOut(BaseModel):
    id: int
    household_id: int
    policyholder_person_id: int
    product_code: str
    product_name_zh: str
    product_name_en: str
    channel: Channel
    status: str
    frequency: Frequency
    payment_term: int
    coverage: int | None
    annual_premium: Decimal
    instalment: Decimal
    basis: str
    insureds: list[InsuredOut]
    created_at: datetime
