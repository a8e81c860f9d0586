"""/api/v1 confirmation, payment and issuance, and policies (保单)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from jiabao.api.deps import require, runtime_of
from jiabao.api.households import Reader, Writer
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.policies.application import service as applications
from jiabao.policies.application.confirmation import ConfirmIn
from jiabao.policies.application.schemas import ApplicationOut
from jiabao.policies.common import views
from jiabao.policies.issuance import batch
from jiabao.policies.issuance import service as issuance

router = APIRouter(tags=["policies"])
BatchSender = Annotated[ServiceContext, Depends(require(Role.PARTNER, Role.SERVICE, Role.ADMIN))]


@router.get("/applications/{application_id}/requirements", operation_id="applications_requirements")
def requirements(request: Request, ctx: Reader, application_id: int) -> dict[str, Any]:
    """Consents needed per insured, suitability findings to confirm, and the dual-recording requirement."""
    return applications.requirements(ctx, runtime_of(request).products, application_id)


@router.post("/applications/{application_id}/confirm", operation_id="applications_confirm")
def confirm(request: Request, ctx: Writer, application_id: int, data: ConfirmIn) -> ApplicationOut:
    return applications.confirm(ctx, runtime_of(request).products, application_id, data)


class PaymentIn(BaseModel):
    account: str = Field(min_length=12, max_length=30, description="The policyholder's own bank card number")


class PaymentOut(BaseModel):
    payment_id: int
    policy_id: int
    policy_no: str
    amount: str
    replayed: bool


@router.post("/applications/{application_id}/payments", operation_id="applications_pay", status_code=201)
def pay(
    request: Request,
    ctx: Writer,
    application_id: int,
    data: PaymentIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=80)],
) -> PaymentOut:
    """Pay the first premium and issue the policy. Repeating the request with the same Idempotency-Key returns
    the first result and never charges twice."""
    engine = runtime_of(request).products
    try:
        result = issuance.pay_first_premium(
            ctx, engine, application_id, idempotency_key=idempotency_key, account=data.account
        )
    except IntegrityError:
        ctx.session.rollback()  # a concurrent request with the same key won the race: return its result
        existing = issuance.payment_for_client_key(ctx, application_id, idempotency_key)
        if existing is None:
            raise
        result = issuance.replay(ctx, existing)
    # Commit here, in the thread that holds the application's row lock: leaving it to the dependency's exit
    # (which needs another worker thread) can starve when every worker is waiting on that same lock.
    ctx.session.commit()
    return PaymentOut(
        payment_id=result.payment_id,
        policy_id=result.policy_id,
        policy_no=result.policy_no,
        amount=str(result.amount),
        replayed=result.replayed,
    )


@router.post("/applications/batch", operation_id="applications_batch")
def issue_batch(request: Request, ctx: BatchSender, data: batch.BatchIn) -> batch.BatchOut:
    """An institutional partner's batch (批量投保): each item is underwritten, priced, screened, confirmed, paid and
    issued by the same rules as one at a time, with its own result (policy number, or the refusal with its
    reason); an item key sent again returns its policy and never charges twice."""
    runtime = runtime_of(request)
    return batch.issue_batch(ctx, runtime.products, runtime.knowledge.get(), data)


@router.get("/households/{household_id}/policies", operation_id="policies_list")
def household_policies(request: Request, ctx: Reader, household_id: int) -> list[views.PolicyOut]:
    return views.for_household(ctx, runtime_of(request).products, household_id)


@router.get("/policies/{policy_id}", operation_id="policies_get")
def policy(request: Request, ctx: Reader, policy_id: int) -> views.PolicyOut:
    return views.view(ctx, runtime_of(request).products, policy_id)


@router.get("/policies/{policy_id}/document.pdf", operation_id="policies_document", response_class=Response)
def document(request: Request, ctx: Reader, policy_id: int, language: str = "zh") -> Response:
    """The electronic policy (电子保单), PDF."""
    pdf = views.document(ctx, runtime_of(request).products, policy_id, language="en" if language == "en" else "zh")
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="policy-{policy_id}.pdf"'}
    )
