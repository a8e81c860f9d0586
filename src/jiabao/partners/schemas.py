"""Submitted and displayed shapes of the partner network."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

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


# --- the partner network's JSON API (/api/v1/partners/me/...) ---


def _two_places(value: Decimal) -> str:
    return str(value.quantize(CENT))


CENT = Decimal("0.01")
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
MoneyText = Annotated[
    Decimal,
    PlainSerializer(_two_places, return_type=str, when_used="json"),
    Field(description="Yuan, a string with two decimals", examples=["1280.00"]),
]


class PageMeta(BaseModel):
    total: int = Field(description="How many items there are in all")
    limit: int
    offset: int


class ServedHousehold(BaseModel):
    """A household the partner serves, masked as on the portal (我的客户)."""

    id: int
    account_no: str
    region: str
    head_name: str
    head_id_number_masked: str
    head_phone_masked: str | None
    member_count: int
    protection_score: int | None = Field(description="The latest assessment's score (null: never assessed)")
    total_gap: MoneyText | None = Field(description="The latest assessment's cover gap (null: never assessed)")


class HouseholdPage(PageMeta):
    partner_id: int
    items: list[ServedHousehold]


class SaleOut(BaseModel):
    """A policy the partner sold (the policy's own attribution, else its application's)."""

    policy_id: int
    policy_no: str
    household_id: int
    product_code: str
    status: str
    frequency: str
    payment_term: int
    annual_premium: MoneyText
    instalment: MoneyText
    issued_on: date
    effective_date: date
    cooling_off_end: date
    ended_on: date | None
    end_reason: str | None
    next_due: date | None = Field(description="The earliest unpaid instalment")
    renewal_due: bool = Field(description="A live policy whose next premium falls due within 60 days (续期将到期)")


class SalesPage(PageMeta):
    partner_id: int
    month: str | None = Field(description="Policies whose effective date falls in this month (null: all)")
    items: list[SaleOut]


class StatementMonth(BaseModel):
    month: str
    net: MoneyText
    status: str = Field(description="The month's latest run: computed | running | approved | paid | not_run")


class StatementMonthPage(PageMeta):
    partner_id: int
    items: list[StatementMonth]


class StatementLineOut(BaseModel):
    kind: str = Field(description="first_year, renewal, override, persistency_13/25, clawback, quality, tax…")
    policy_no: str | None
    ref: str
    base: MoneyText
    rate: Decimal
    amount: MoneyText
    adjustment: bool


class StatementOut(PageMeta):
    """A month's commission statement: the same figures as the statement page and its PDF. ``total``, ``limit``
    and ``offset`` page the lines; the totals are always over every line."""

    partner_id: int
    partner_name: str
    month: str
    status: str = Field(description="not_run | running | computed | approved | paid")
    by_kind: dict[str, MoneyText]
    gross: MoneyText
    tax: MoneyText
    net: MoneyText
    payable: MoneyText = Field(description="The net when positive; a negative net is carried into next month")
    lines: list[StatementLineOut]


class TeamMemberOut(BaseModel):
    """A partner directly under the caller (or the partner asked for) on some day of the month."""

    partner_id: int
    name: str
    kind: str
    status: str
    member_from: date = Field(description="The first day of the month it belonged to the team")
    member_until: date | None = Field(description="Its last day in the team, when it left or moved within the month")
    current: bool = Field(description="In the team on `on`")
    policies_sold: int = Field(
        description="Policies effective in the month sold by it or by anyone under it while it belonged to the team "
        "(the dated memberships on each policy's effective date)"
    )
    premium_sold: MoneyText = Field(description="Their annual premium")
    commission_net: MoneyText = Field(description="Its own commission lines of the month, net")


class TeamPage(PageMeta):
    partner_id: int
    kind: str
    month: str
    on: date = Field(description="The month's last day, or today while the month runs")
    policies_sold: int = Field(description="The team's sales in the month: the members' sums (not its own sales)")
    premium_sold: MoneyText = Field(description="Their annual premium")
    overrides: MoneyText = Field(description="Its override lines (管理津贴) of the month")
    items: list[TeamMemberOut]
