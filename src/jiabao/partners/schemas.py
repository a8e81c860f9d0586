"""Submitted and displayed shapes of the partner network."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["regional", "team", "institutional", "individual"]
LicenceKind = Literal["practice_registration", "institution_licence", "insurer_authorisation"]
REGIONS = ("east", "north", "central", "south", "southwest", "northwest", "northeast")
CHANNELS = ("online", "agent", "bank", "telesales", "partner")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LicenceIn(Strict):
    kind: LicenceKind
    number: str = Field(min_length=3, max_length=60)
    valid_from: date
    valid_to: date | None = None
    products: list[str] | None = None


class PartnerIn(Strict):
    username: str = Field(min_length=3, max_length=40, pattern=r"^[a-z0-9_.-]+$")
    password: str = Field(min_length=12, max_length=128)
    name: str = Field(min_length=2, max_length=80)
    kind: Kind
    institution_type: Literal["bank", "internet_platform"] | None = None
    products: list[str] = Field(default_factory=lambda: ["*"])
    channels: list[str] = Field(default_factory=lambda: ["partner"])
    regions: list[str] = Field(default_factory=lambda: ["*"])
    parent_id: int | None = None
    joined_on: date | None = None
    licences: list[LicenceIn] = Field(default_factory=list)


class MoveIn(Strict):
    parent_id: int
    on: date


class LeaveIn(Strict):
    on: date
    successor_id: int


class PlanIn(Strict):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    effective_from: date
    rules: dict[str, object]


class PartnerOut(BaseModel):
    id: int
    user_id: int
    kind: str
    name: str
    status: str
    parent_id: int | None
    products: list[str]
    channels: list[str]
    regions: list[str]
    under_review: list[str]
