"""/api/v1 policy servicing (保全): submit a request, list a policy's requests, the online share (保全E化率)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from jiabao.api.deps import require, runtime_of
from jiabao.api.households import Reader, Writer
from jiabao.db.context import ServiceContext
from jiabao.policies.servicing import service as servicing
from jiabao.policies.servicing.schemas import OnlineShareOut, ServiceRequestIn, ServiceRequestOut
from jiabao.underwriting.views import QuestionnaireOut

router = APIRouter(tags=["policies"])
Aggregates = Annotated[ServiceContext, Depends(require(*servicing.AGGREGATE_ROLES))]


@router.post("/policies/{policy_id}/service-requests", operation_id="service_requests_submit", status_code=201)
def submit(request: Request, ctx: Writer, policy_id: int, data: ServiceRequestIn) -> ServiceRequestOut:
    """One servicing request (``kind``: contact_details, beneficiary, payment_account, payment_frequency,
    add_insured, remove_insured). The channel is the caller's: online for customers and partners, counter for
    service staff."""
    runtime = runtime_of(request)
    return servicing.submit(ctx, runtime.products, runtime.knowledge.get(), policy_id, data)


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
