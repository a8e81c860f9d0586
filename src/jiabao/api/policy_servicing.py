"""/api/v1 policy servicing (保全): submit a request, list a policy's requests, the online share (保全E化率)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from pydantic import BaseModel

from jiabao.api.deps import require, runtime_of
from jiabao.api.households import Reader, Writer
from jiabao.claims import evidence
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views
from jiabao.policies.servicing import holder, id_correction, loans, payouts, quality
from jiabao.policies.servicing import service as servicing
from jiabao.policies.servicing.loans import LoanTerms
from jiabao.policies.servicing.quality import QualityOut
from jiabao.policies.servicing.schemas import (
    FamilyChangeIn,
    FamilyChangeOut,
    HolderChangeIn,
    HolderConsentIn,
    IdCorrectionDecisionIn,
    OnlineShareOut,
    ServiceRequestIn,
    ServiceRequestOut,
)
from jiabao.underwriting.views import QuestionnaireOut

router = APIRouter(tags=["policies"])
Aggregates = Annotated[ServiceContext, Depends(require(*servicing.AGGREGATE_ROLES))]
Jobs = Annotated[ServiceContext, Depends(require(Role.ADMIN))]
Reviewers = Annotated[ServiceContext, Depends(require(*id_correction.REVIEWERS))]
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
EvidenceKind = Annotated[str, Form(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]


class ServiceDocumentOut(BaseModel):
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str


@router.post(
    "/households/{household_id}/service-documents",
    operation_id="service_documents_upload",
    status_code=201,
    responses={422: {"description": "Unknown kind, a file over 10 MB, or not a JPG, PNG or PDF (by content)"}},
)
async def upload_service_document(
    ctx: Writer, household_id: Id, kind: EvidenceKind, file: UploadFile
) -> ServiceDocumentOut:
    """Upload one piece of evidence for a servicing request (``kind``: id_document, household_register,
    police_certificate) through the claim-document store (checked by content, stored encrypted, reads audited);
    name its id in the request's ``document_ids``."""
    data = await file.read(evidence.MAX_BYTES + 1)
    doc = evidence.upload(ctx, household_id, kind=kind, data=data, known_kinds=set(id_correction.EVIDENCE_KINDS))
    return ServiceDocumentOut(id=doc.id, kind=doc.kind, content_type=doc.content_type, size=doc.size, sha256=doc.sha256)


@router.get("/servicing/id-corrections", operation_id="id_corrections_queue")
def id_corrections(ctx: Reviewers) -> list[dict[str, Any]]:
    """证件号码更正 waiting for review (service staff), oldest first; masked numbers only. ``own``: accepted by
    the caller, who may not review it (four eyes)."""
    return id_correction.queue(ctx)


@router.post("/servicing/id-corrections/{request_id}/decision", operation_id="id_corrections_decide")
def decide_id_correction(
    request: Request, ctx: Reviewers, request_id: Id, data: IdCorrectionDecisionIn
) -> ServiceRequestOut:
    """Approve or refuse an ID-number correction with a reason (not by who accepted it). Approval replaces the
    number, sets the birth date and sex from it and applies Insurance Law art. 32 to every policy insuring the
    person; 409 ``id_number_registered`` when the number belongs to another person (never merged)."""
    return servicing.decide_id_correction(ctx, runtime_of(request).products, request_id, data)


@router.post("/policies/{policy_id}/service-requests", operation_id="service_requests_submit", status_code=201)
def submit(request: Request, ctx: Writer, policy_id: int, data: ServiceRequestIn) -> ServiceRequestOut:
    """One servicing request (``kind``: contact_details, beneficiary, payment_account, payment_frequency,
    add_insured, remove_insured, address, occupation, identity, reduce_sum_assured, reduced_paid_up, policy_loan,
    loan_repayment, automatic_premium_loan, survival_confirmation, reprint, loss_report, rescission,
    age_correction, id_number_correction, renewal). The channel is the caller's: online for customers and
    partners, counter (or phone, ``via``) for service staff, who record the identity check and the customer's
    confirmation."""
    runtime = runtime_of(request)
    return servicing.submit(ctx, runtime.products, runtime.knowledge.get(), policy_id, data, loan_terms(request))


@router.post("/households/{household_id}/service-requests", operation_id="service_requests_family", status_code=201)
def submit_family(
    request: Request,
    ctx: Writer,
    household_id: int,
    data: FamilyChangeIn,
    holder: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="only the policies this member holds")] = None,
) -> FamilyChangeOut:
    """Change the address (``address``), a mobile (``contact_details``, with ``holder``) or the payment account
    (``payment_account``) on every live policy of the family in one request: one servicing request per policy, all
    or nothing. Policies another adult holds (without a proxy for the caller) are listed as skipped."""
    runtime = runtime_of(request)
    return servicing.submit_family(
        ctx, runtime.products, runtime.knowledge.get(), household_id, data, holder_person_id=holder
    )


@router.post("/policies/{policy_id}/policyholder-change", operation_id="policyholder_change_request", status_code=201)
def policyholder_change(request: Request, ctx: Writer, policy_id: int, data: HolderChangeIn) -> ServiceRequestOut:
    """变更投保人, asked by the current policyholder (online, or at a counter with ``identity_verified`` and
    ``customer_confirmed``): the new policyholder (an adult member with an insurable interest) and the insureds whose
    written consent is recorded (death cover, Insurance Law art. 34 para. 2). Refused while a policy loan is
    outstanding. The request then waits for the new policyholder's consent (status ``awaiting_consent``)."""
    row = holder.request_change(ctx, runtime_of(request).products, policy_id, data)
    return servicing.out(row, ctx.clock.today())


@router.post("/policies/{policy_id}/policyholder-change/consent", operation_id="policyholder_change_consent")
def policyholder_consent(request: Request, ctx: Writer, policy_id: int, data: HolderConsentIn) -> ServiceRequestOut:
    """The new policyholder consents (their own log-in, or a counter with their identity verified), declares full
    civil capacity and gives the premium account (their card with the debit authorisation, or the family payment
    account): the change takes effect. A request past its consent period is refused (409 ``holder_change_expired``)."""
    row = holder.consent(ctx, runtime_of(request).products, policy_id, data)
    return servicing.out(row, ctx.clock.today())


@router.post("/policies/{policy_id}/policyholder-change/decline", operation_id="policyholder_change_decline")
def policyholder_decline(ctx: Writer, policy_id: int) -> ServiceRequestOut:
    """Either party withdraws or declines the waiting change of policyholder; the policy is unchanged."""
    return servicing.out(holder.decline(ctx, policy_id), ctx.clock.today())


@router.post("/servicing/policyholder-changes/expire", operation_id="policyholder_change_expire")
def policyholder_expire(ctx: Jobs, as_of: date | None = None) -> dict[str, Any]:
    """The daily job (admin): changes of policyholder not consented within their period are marked expired."""
    return {"expired": holder.expire(ctx, as_of or ctx.clock.today())}


@router.get("/policies/{policy_id}/service-requests", operation_id="service_requests_list")
def list_requests(ctx: Reader, policy_id: int) -> list[ServiceRequestOut]:
    """The policy's requests with their service-level status (on_time / due_soon / overdue)."""
    return servicing.list_requests(ctx, policy_id)


@router.get("/servicing/online-share", operation_id="servicing_online_share")
def online_share(
    ctx: Aggregates,
    from_date: Annotated[date | None, Query(alias="from")] = None,
    to_date: Annotated[date | None, Query(alias="to")] = None,
) -> OnlineShareOut:
    """保全E化率 overall and by kind; by default from the first of this month to today (China dates)."""
    to = to_date or ctx.clock.today()
    return servicing.online_share(ctx, from_date=from_date or to.replace(day=1), to_date=to)


@router.get("/policies/{policy_id}/members/{person_id}/questionnaire", operation_id="service_requests_questionnaire")
def questionnaire(request: Request, ctx: Reader, policy_id: int, person_id: int) -> QuestionnaireOut:
    """The health questions for a household member to be added to the policy (answer them in the add_insured
    request)."""
    runtime = runtime_of(request)
    return servicing.add_member_questionnaire(ctx, runtime.products, runtime.knowledge.get(), policy_id, person_id)


def loan_terms(request: Request) -> LoanTerms:
    settings = runtime_of(request).settings
    return LoanTerms(settings.policy_loan_max_share, settings.policy_loan_annual_rate)


@router.get("/policies/{policy_id}/loan", operation_id="policy_loan_summary")
def loan(request: Request, ctx: Reader, policy_id: int) -> dict[str, Any]:
    """保单贷款: what is owed today (principal, interest), the cash value and what may still be borrowed."""
    policy, _ = views.load(ctx, policy_id)  # the household's access rules
    return loans.loan_summary(ctx.session, policy, ctx.clock.today(), loan_terms(request))


@router.get("/servicing/quality", operation_id="servicing_quality")
def service_quality(
    ctx: Aggregates,
    from_date: Annotated[date | None, Query(alias="from")] = None,
    to_date: Annotated[date | None, Query(alias="to")] = None,
) -> QualityOut:
    """Service quality per item: accepted, completed within the service level, online share, average time, by
    channel; by default this month to date (China dates)."""
    to = to_date or ctx.clock.today()
    return quality.quality(
        ctx, from_date=from_date or to.replace(day=1), to_date=to, roles=frozenset(servicing.AGGREGATE_ROLES)
    )


@router.post("/servicing/benefit-payments", operation_id="servicing_benefit_payments")
def benefit_payments(request: Request, ctx: Jobs, as_of: date | None = None) -> dict[str, Any]:
    """The daily job (admin): pay every survival benefit, annuity and maturity benefit due by ``as_of``."""
    summary = payouts.pay_due_benefits(ctx, runtime_of(request).products, as_of or ctx.clock.today())
    return {"as_of": summary.as_of, "paid": summary.paid, "waiting_for_survival": summary.waiting_for_survival}
