"""Submitted and displayed shapes of complaints (投诉)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from jiabao.voice.deadlines import ClockKind, PauseReason
from jiabao.voice.major import Cause
from jiabao.voice.taxonomy import Category, Channel, Complainant


def _plain(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise ValueError("must not contain control characters")
    return value.strip()


def _line(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("must not contain control characters")
    return value.strip()


Text = Annotated[str, AfterValidator(_plain)]
Line = Annotated[str, AfterValidator(_line)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Delivery = Literal["sms", "email", "letter"]
Outcome = Literal["upheld", "partly_upheld", "not_upheld"]


class ComplaintIn(BaseModel):
    """A complaint as filed online by the customer or recorded by staff from the hotline, counter or a letter."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel = Channel.ONLINE
    complainant_kind: Complainant = Complainant.CUSTOMER
    complainant_person_id: Id | None = None
    """A household member who complains (default: the customer filing it)."""
    complainant_name: Line | None = Field(default=None, max_length=60)
    """For a proxy (代理人) or an heir (继承人) who is not a member."""
    phone: Line | None = Field(default=None, max_length=20)
    delivery: Delivery = "sms"
    policy_ids: list[Id] = Field(default_factory=list, max_length=20)
    claim_id: Id | None = None
    category: Category | None = None
    """Leave empty to take the classifier's suggestion (a person confirms it later)."""
    subcategory: Line | None = Field(default=None, max_length=30)
    summary: Text = Field(min_length=4, max_length=2000)
    group_size: int = Field(default=1, ge=1, le=100000)
    regulator_ref: Line | None = Field(default=None, max_length=60)
    regulator_designated: bool = False
    cause: Cause | None = None
    subject_user_id: Id | None = None
    """The staff member or agent complained about (never handles it)."""


class ClockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ClockKind
    on: date = Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))
    reason: Line = Field(min_length=2, max_length=200)
    pause_reason: PauseReason | None = None
    approved_by: Id | None = None
    complainant_told: bool = False
    """A further extension is told to the complainant (art. 18)."""


class DecisionIn(BaseModel):
    """The decision (处理决定, art. 19): facts found, basis, reasons, the remedy, and the root cause found."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    facts: Text = Field(min_length=2, max_length=1000)
    basis: Text = Field(min_length=2, max_length=500)
    reasons: Text = Field(min_length=2, max_length=1000)
    remedy: Text = Field(default="", max_length=500)
    root_cause: Line | None = Field(default=None, max_length=200)
    action: Line | None = Field(default=None, max_length=300)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field(min_length=2, max_length=1000)


class ReviewDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["upheld", "changed"]
    reasons: Text = Field(min_length=2, max_length=1000)


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Category
    subcategory: Line | None = Field(default=None, max_length=30)


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    root_cause: Line = Field(min_length=2, max_length=200)
    action: Line = Field(min_length=2, max_length=300)
    action_status: Literal["open", "done"] = "open"


class EventOut(BaseModel):
    kind: str
    on: date
    at: datetime
    detail: dict[str, object]


class ComplaintOut(BaseModel):
    id: int
    ref: str
    regulator_ref: str | None
    channel: str
    received_on: date
    complainant_kind: str
    complainant_name: str | None
    household_id: int | None
    policy_ids: list[int]
    claim_id: int | None
    category: str
    subcategory: str | None
    suggested_category: str | None
    suggested_subcategory: str | None
    suggestion_score: float | None
    category_confirmed: bool
    product_line: str
    region: str
    status: str
    team: str | None
    handler_id: int | None
    elderly: bool
    major: bool
    emergency: bool
    major_reasons: list[str]
    limit_days: int
    due_on: date | None
    days_left: int | None
    warning: str | None
    decided_on: date | None
    outcome: str | None
    letter_delivered_on: date | None
    review_request_deadline: date | None
    review_due: date | None
    closed_on: date | None
    summary: str | None
    decision: dict[str, object]
    root_cause: str | None
    action: str | None
    action_status: str | None
    events: list[EventOut]
