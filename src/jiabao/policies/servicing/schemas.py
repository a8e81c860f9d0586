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


ServiceRequestIn = Annotated[
    ContactIn | BeneficiaryChangeIn | PaymentAccountIn | PaymentFrequencyIn | AddInsuredIn | RemoveInsuredIn,
    Field(discriminator="kind"),
]
REQUEST_ADAPTER: TypeAdapter[ServiceRequestIn] = TypeAdapter(ServiceRequestIn)


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
