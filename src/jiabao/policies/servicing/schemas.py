"""Servicing (保全) request bodies — one shape per kind, told apart by ``kind`` — and the shapes shown back.

The channel is never part of a body: the service takes it from the caller's role (see ``servicing_service``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from jiabao.policies.application.confirmation import BeneficiaryIn
from jiabao.policies.rules.schedule import Frequency
from jiabao.policies.rules.suitability import ConsentKind


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContactIn(_Body):
    """联系方式变更: the policyholder's mobile number (validated and re-encrypted by the family service)."""

    kind: Literal["contact_details"]
    phone: str = Field(min_length=1, max_length=24)


class BeneficiaryChangeIn(_Body):
    """受益人变更 for one insured: named beneficiaries with orders and shares, or the legal heirs."""

    kind: Literal["beneficiary"]
    insured_person_id: int
    legal_heirs: bool = False
    beneficiaries: list[BeneficiaryIn] = Field(default_factory=list, max_length=10)
    insured_consent: bool = False
    """The insured's written consent (Insurance Law arts. 39 and 41; Internet Measures art. 28)."""


class PaymentAccountIn(_Body):
    """缴费账户变更: the policyholder's own bank card and the debit authorisation."""

    kind: Literal["payment_account"]
    account: str = Field(min_length=1, max_length=30)
    debit_authorised: bool = False


class PaymentFrequencyIn(_Body):
    """缴费频率变更, from the next unpaid instalment."""

    kind: Literal["payment_frequency"]
    frequency: Frequency


class AddInsuredIn(_Body):
    """增加被保险人: a household member, the sum assured, the health questionnaire and the consents."""

    kind: Literal["add_insured"]
    person_id: int
    sum_assured: Decimal = Field(gt=0, le=Decimal("100000000"), decimal_places=2)
    answers: dict[str, Any] = Field(default_factory=dict)
    reflexive: dict[str, dict[str, Any]] = Field(default_factory=dict)
    consents: list[ConsentKind] = Field(default_factory=list)


class RemoveInsuredIn(_Body):
    """减少被保险人: the member's cover ends with the period already paid for; the row is kept."""

    kind: Literal["remove_insured"]
    person_id: int
    reason: str = Field(default="", max_length=200)


class ServiceRequestOut(BaseModel):
    id: int
    policy_id: int
    kind: str
    label_zh: str
    label_en: str
    channel: str
    status: str
    requested_at: datetime
    accept_due: date
    complete_due: date
    completed_at: datetime | None
    sla_status: str
    """on_time / due_soon / overdue for finishing (once finished: whether it was finished in time)."""
    accept_sla_status: str
    result: dict[str, Any]


class SkippedPolicy(BaseModel):
    policy_id: int
    policy_no: str
    reason_zh: str
    reason_en: str


class FamilyChangeOut(BaseModel):
    """One request for the whole family: a servicing request per policy (each counted in the online share), and the
    policies left out because the caller may not change them (another adult's contract, without a proxy)."""

    requests: list[ServiceRequestOut]
    skipped: list[SkippedPolicy]


class KindShare(BaseModel):
    online: int
    total: int
    share: Decimal


class OnlineShareOut(BaseModel):
    """保全E化率 over the requests received from ``from_date`` to ``to_date`` (China dates, inclusive)."""

    from_date: date
    to_date: date
    online: int
    total: int
    share: Decimal
    by_kind: dict[str, KindShare]


class _CounterBody(_Body):
    """Items of issue 17: at a counter (or on the phone) the staff member confirms that the customer's identity was
    verified and records the customer's confirmation; ``via`` says whether the customer came in or called."""

    identity_verified: bool = False
    customer_confirmed: bool = False
    via: Literal["counter", "phone"] = "counter"


class AddressIn(_CounterBody):
    """通讯地址变更: the correspondence address (kept encrypted)."""

    kind: Literal["address"]
    address: str = Field(min_length=5, max_length=200)


class OccupationIn(_CounterBody):
    """职业变更: the member's occupation and its class 1–6 (accident cover is re-rated)."""

    kind: Literal["occupation"]
    person_id: int
    occupation: str = Field(min_length=1, max_length=60)
    occupation_class: int = Field(ge=1, le=6)


class IdentityIn(_CounterBody):
    """身份信息更正: the name as on the evidence document (its reference is recorded)."""

    kind: Literal["identity"]
    person_id: int
    name: str = Field(min_length=1, max_length=60)
    evidence: str = Field(min_length=1, max_length=120)


class ReduceSumAssuredIn(_CounterBody):
    """减保: one insured's new, lower sum assured."""

    kind: Literal["reduce_sum_assured"]
    person_id: int
    sum_assured: Decimal = Field(gt=0, le=Decimal("100000000"), decimal_places=2)


class PaidUpIn(_CounterBody):
    """减额交清: stop the premiums and keep a reduced cover bought by the cash value."""

    kind: Literal["reduced_paid_up"]


class PolicyLoanIn(_CounterBody):
    """保单贷款: the amount to borrow against the cash value."""

    kind: Literal["policy_loan"]
    amount: Decimal = Field(gt=0, le=Decimal("100000000"), decimal_places=2)


class LoanRepaymentIn(_CounterBody):
    """保单贷款还款: the amount, from the policyholder's own card."""

    kind: Literal["loan_repayment"]
    amount: Decimal = Field(gt=0, le=Decimal("100000000"), decimal_places=2)
    account: str = Field(min_length=1, max_length=30)


class AutomaticLoanIn(_CounterBody):
    """自动垫交: opt in (or out)."""

    kind: Literal["automatic_premium_loan"]
    opted_in: bool


class SurvivalConfirmationIn(_CounterBody):
    """生存认证 for an annuitant."""

    kind: Literal["survival_confirmation"]
    person_id: int
    method: Literal["face_verification", "video", "in_person"] = "face_verification"


class ReprintIn(_CounterBody):
    """保单补发."""

    kind: Literal["reprint"]
    reason: Literal["lost", "damaged", "other"] = "lost"


class LossReportIn(_CounterBody):
    """保单挂失."""

    kind: Literal["loss_report"]
    lost_on: date


class RescissionIn(_CounterBody):
    """解除合同 (Insurance Law art. 16), service staff only."""

    kind: Literal["rescission"]
    learned_on: date
    intentional: bool
    reason: str = Field(min_length=1, max_length=200)


class AgeCorrectionIn(_CounterBody):
    """年龄更正 (Insurance Law art. 32), service staff only."""

    kind: Literal["age_correction"]
    person_id: int
    true_birth_date: date
    sex: Literal["M", "F"]
    learned_on: date
    proportional: bool = False
    evidence: str = Field(min_length=1, max_length=120)


class IdNumberCorrectionIn(_CounterBody):
    """证件号码更正 of a policyholder or insured (resident ID, GB 11643-1999), with uploaded evidence (the ids of
    documents uploaded to the household). Reviewed in the back office by someone other than who accepted it."""

    kind: Literal["id_number_correction"]
    person_id: int
    id_number: str = Field(min_length=1, max_length=40)
    document_ids: list[int] = Field(min_length=1, max_length=5)


class IdCorrectionDecisionIn(_Body):
    """The reviewer's decision on an ID-number correction: approve or refuse, with a reason; ``proportional``
    (art. 32 para. 2): when the premium paid was too low, reduce the sum assured in proportion instead of
    collecting the difference."""

    approve: bool
    reason: str = Field(min_length=1, max_length=200)
    proportional: bool = False


class RenewalIn(_CounterBody):
    """续保 of a one-year product for the next year."""

    kind: Literal["renewal"]


ServiceRequestIn = Annotated[
    ContactIn
    | BeneficiaryChangeIn
    | PaymentAccountIn
    | PaymentFrequencyIn
    | AddInsuredIn
    | RemoveInsuredIn
    | AddressIn
    | OccupationIn
    | IdentityIn
    | ReduceSumAssuredIn
    | PaidUpIn
    | PolicyLoanIn
    | LoanRepaymentIn
    | AutomaticLoanIn
    | SurvivalConfirmationIn
    | ReprintIn
    | LossReportIn
    | RescissionIn
    | AgeCorrectionIn
    | IdNumberCorrectionIn
    | RenewalIn,
    Field(discriminator="kind"),
]
REQUEST_ADAPTER: TypeAdapter[ServiceRequestIn] = TypeAdapter(ServiceRequestIn)
COUNTER_CHECKED = (
    AddressIn,
    OccupationIn,
    IdentityIn,
    ReduceSumAssuredIn,
    PaidUpIn,
    PolicyLoanIn,
    LoanRepaymentIn,
    AutomaticLoanIn,
    SurvivalConfirmationIn,
    ReprintIn,
    LossReportIn,
    RescissionIn,
    AgeCorrectionIn,
    IdNumberCorrectionIn,
    RenewalIn,
)

FamilyChangeIn = Annotated[ContactIn | PaymentAccountIn | AddressIn, Field(discriminator="kind")]
"""What a family may change on all its policies at once (issue 12 item 4)."""


class HolderChangeIn(_CounterBody):
    """变更投保人, asked by the current policyholder (online from their own log-in, or at a counter with their
    identity verified): the family member who is to hold the contract, and the insureds whose written consent to
    the transfer is recorded (Insurance Law art. 34 para. 2; a minor's by the parent or guardian)."""

    new_holder_person_id: int = Field(ge=1, le=2**63 - 1)
    insured_consents: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(default_factory=list, max_length=20)


class HolderConsentIn(_CounterBody):
    """The new policyholder's consent (from their own log-in, or at a counter with their identity verified): their
    declaration of full civil capacity, and the account later premiums come from — their own card with the debit
    authorisation, or the family payment account when the household has one."""

    capacity_declared: bool = False
    use_family_account: bool = False
    account: str | None = Field(default=None, max_length=30)
    debit_authorised: bool = False
