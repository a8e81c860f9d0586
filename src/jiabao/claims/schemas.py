"""Submitted and displayed shapes of claims (理赔申请)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jiabao.claims.engine import BillItem, Cause, CiFacts, ClaimType, Diagnosis


class ClaimIn(BaseModel):
    """A claim as reported online or at the counter; every document needed is listed at once on the page."""

    model_config = ConfigDict(extra="forbid")

    insured_person_id: int
    claim_type: ClaimType
    cause: Cause = Cause.ILLNESS
    event_date: date
    hospital: str = Field(default="", max_length=100)
    diagnoses: list[Diagnosis] = Field(default_factory=list, max_length=20)
    ci: CiFacts | None = None
    bill_items: list[BillItem] = Field(default_factory=list, max_length=200)
    social_insurance_settled: bool = False
    disability_grades: list[int] = Field(default_factory=list, max_length=10)
    document_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(default_factory=list, max_length=30)
    """Uploads (``POST /households/{id}/claim-documents``) this claim rests on: the documents the engine counts."""
    account: str = Field(min_length=12, max_length=30, description="The insured's (or beneficiary's) own bank card")
    payee_person_id: int | None = None
    insured_authorised: bool = False
    """For a claim filed by a family member (代人申请): the insured's authorisation was given."""
    counter_identity_verified: bool = False
    """At the counter: the staff member checked the customer's identity document against the insured or payee."""
    counter_customer_confirmed: bool = False
    """At the counter: the customer confirmed the claim as recorded (read back and signed or confirmed)."""
    channel: Literal["counter", "phone"] | None = None
    """Staff only: how the claim was reported — at the counter (default) or by phone (电话报案, recorded by the
    claims handler or counter staff). A customer's own filing is always ``online``."""


class ClaimLineOut(BaseModel):
    policy_id: int
    benefit: str
    amount: Decimal
    advance: bool = False
    text_zh: str = ""
    text_en: str = ""


class ClaimOut(BaseModel):
    id: int
    claim_no: str
    household_id: int
    insured_person_id: int
    insured_name: str
    claim_type: str
    status: str
    channel: str
    proxy: bool
    event_date: date
    reported_at: datetime
    claimed_amount: Decimal
    approved_amount: Decimal | None
    paid_amount: Decimal
    decision_due: date
    decision_due_provisional: bool = False
    """The deadline counts working days of a year beyond the official holiday data (provisional calendar)."""
    payment_due: date | None
    notice_due: date | None
    account_masked: str
    lines: list[ClaimLineOut]
    explanation_zh: str
    explanation_en: str
    missing_documents: list[str]
    waivers: list[dict[str, Any]]
    documents: list[dict[str, Any]] = Field(default_factory=list)
    """The uploaded documents attached (kind, type, size, id; the content is fetched separately)."""
    rejection_notice_zh: str | None = None
    rejection_notice_en: str | None = None
    notice_sent_on: date | None = None
    complexity: str = "ordinary"
    """``complex`` (30 days) only with ``complexity_reasons``; else ``ordinary`` (5 working days)."""
    complexity_reasons: list[dict[str, str]] = Field(default_factory=list)
    advance_held: bool = False
    """A CI advance above the configured amount waits for an adjuster (never paid straight through)."""
    replayed: bool = False
    document_requests: list[dict[str, Any]] = Field(default_factory=list)
    """Requests for further documents: kinds, requested_on, received_on (the clock paused in between)."""
    open_request_kinds: list[str] = Field(default_factory=list)
    request_notice_zh: str | None = None
    request_notice_en: str | None = None
    investigations_open: int = 0
    beneficiaries: list[dict[str, Any]] = Field(default_factory=list)
    """Death claims: each recipient (named beneficiary or legal heir), share, amount, own account, paid or not."""
    appeal: dict[str, Any] | None = None
    """The latest appeal: status (open, upheld, overturned) and the decision letter."""
    advance_payment_by: date | None = None
    """Insurance Law art. 25: the determinable part is paid by this date (60 days, pauses deducted)."""
    deductions: dict[str, list[dict[str, str]]] = Field(default_factory=dict)
    """Per policy, what its benefit paid off first (unpaid premium of the grace period …)."""


class DocumentRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]] = Field(
        min_length=1, max_length=30
    )


class DocumentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(min_length=1, max_length=30)


class InvestigationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["hospital_records", "site_visit", "police_report", "other"]
    assignee: Annotated[int, Field(ge=1, le=2**63 - 1)]
    instructions: str = Field(min_length=4, max_length=1000)


class InvestigationOutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    investigation_id: Annotated[int, Field(ge=1, le=2**63 - 1)]
    outcome: Literal["confirmed", "contradicted", "inconclusive"]
    findings: str = Field(min_length=4, max_length=2000)


class ReunderwritingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy_id: Annotated[int, Field(ge=1, le=2**63 - 1)]
    impairment: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_]+$")
    answers: dict[Annotated[str, Field(max_length=60)], str | int | bool] = Field(default_factory=dict, max_length=30)
    causal_icd: list[Annotated[str, Field(min_length=1, max_length=10, pattern=r"^[A-Za-z][0-9A-Za-z.]*$")]] = Field(
        default_factory=list, max_length=10
    )
    """The ICD-10 codes that caused the claim (the primary diagnosis)."""


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grounds: str = Field(min_length=4, max_length=1000)


class AppealDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overturn: bool
    reason: str = Field(min_length=4, max_length=500)
    amounts: dict[int, Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), decimal_places=2)]] = Field(
        default_factory=dict, max_length=50
    )


class BeneficiaryAccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    beneficiary_id: Annotated[int, Field(ge=1, le=2**63 - 1)]
    account: str = Field(min_length=12, max_length=30)


class ChannelFigures(BaseModel):
    """Claims quality by reporting channel (online, counter, phone)."""

    channel: str
    accepted: int
    """Claims received (受理)."""
    decided: int
    decided_within_limit: int
    """Decided on or before the decision deadline (5 working days / 30 days, pauses deducted)."""
    decided_within_limit_share: Decimal
    average_days_to_decision: Decimal | None


class AdjusterDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approve: bool
    amounts: dict[int, Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), decimal_places=2)]] = Field(
        default_factory=dict, max_length=50
    )
    """Policy id → amount to pay (approve only); the engine's lines are the default."""
    reason: str = Field(min_length=4, max_length=500)


class ClaimsPanel(BaseModel):
    """线上理赔率, straight-through share and time to payment."""

    total: int
    online: int
    online_share: Decimal
    straight_through: int
    straight_through_share: Decimal
    paid: int
    time_to_payment_p50_seconds: float | None
    time_to_payment_p90_seconds: float | None
    overdue_decisions: int
    accepted: int = 0
    decided_within_limit: int = 0
    decided_within_limit_share: Decimal = Decimal(0)
    average_days_to_decision: Decimal | None = None
    by_channel: list[ChannelFigures] = Field(default_factory=list)
