"""/api/v1 policy billing: instalments, renewal premiums, reinstatement (复效), cooling-off cancellation (犹豫期撤销)
and surrender (退保). The routes that lock the policy row commit in the handler thread (see ``api.policies.pay``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, Path, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from jiabao.api.deps import require
from jiabao.api.households import Reader, Writer
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.policies.billing import reinstatement as billing_reinstatement
from jiabao.policies.billing import reinstatement_review, suspensions
from jiabao.policies.billing import service as billing_service
from jiabao.policies.billing.common import channel_of, lock_policy, state
from jiabao.policies.billing.service import PremiumResult
from jiabao.policies.servicing import cancellation, surrender

router = APIRouter(tags=["policies"])

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="8–80 characters; a repeated request returns the first result"),
]
T = TypeVar("T")


class AccountIn(BaseModel):
    account: str = Field(min_length=12, max_length=30, description="The policyholder's own bank card number")


class ReinstatementIn(AccountIn):
    risk_increased: bool = Field(
        description="Simplified health declaration: has the insured's risk risen significantly since suspension "
        "(new illness, diagnosis, hospital stay, dangerous occupation)? Yes goes to an underwriter."
    )


class InstalmentOut(BaseModel):
    seq: int
    due_date: date
    amount: Decimal
    paid_on: date | None
    waived: bool
    state: str
    """paid | waived | overdue | due (today) | upcoming"""


class SuspensionOut(BaseModel):
    suspended_on: date
    notice_due: date
    ended_on: date | None
    end_reason: str | None


class InstalmentsOut(BaseModel):
    policy_id: int
    status: str
    as_of: date
    next_due_date: date | None
    next_due_amount: Decimal | None
    overdue_amount: Decimal
    grace_ends_on: date | None
    suspended_on: date | None
    reinstatement_deadline: date | None
    instalments: list[InstalmentOut]
    suspensions: list[SuspensionOut] = []
    """Every suspension period (中止), kept after reinstatement: events inside one are not covered."""


def _locked(ctx: ServiceContext, call: Callable[[], T]) -> T:
    """Run a service that locks the policy row and commit here, in the thread holding the lock."""
    result = call()
    ctx.session.commit()
    return result


def _idempotent(ctx: ServiceContext, call: Callable[[], T]) -> T:
    """A concurrent request with the same key may win the insert race: then replaying returns its result."""
    try:
        result = call()
    except IntegrityError:
        ctx.session.rollback()
        result = call()
    ctx.session.commit()
    return result


@router.get("/policies/{policy_id}/instalments", operation_id="policies_instalments")
def instalments(ctx: Reader, policy_id: int) -> InstalmentsOut:
    """The premium schedule with what is paid, and the billing state today (grace, suspension, 2-year window)."""
    locked = lock_policy(ctx, policy_id, write=False)
    today = ctx.clock.today()
    current = state(locked, today)
    return InstalmentsOut(
        policy_id=policy_id,
        status=locked.policy.status if locked.policy.status in ("cancelled", "surrendered") else current.status,
        as_of=today,
        next_due_date=current.next_due_date,
        next_due_amount=current.next_due_amount,
        overdue_amount=current.overdue_amount,
        grace_ends_on=current.grace_ends_on,
        suspended_on=current.suspended_on,
        reinstatement_deadline=current.reinstatement_deadline,
        instalments=[
            InstalmentOut(
                seq=r.seq,
                due_date=r.due_date,
                amount=r.amount,
                paid_on=r.paid_on,
                waived=r.waived,
                state="paid"
                if r.paid_on
                else "waived"
                if r.waived
                else "overdue"
                if r.due_date < today
                else "due"
                if r.due_date == today
                else "upcoming",
            )
            for r in locked.instalments
        ],
        suspensions=[
            SuspensionOut(
                suspended_on=s.suspended_on, notice_due=s.notice_due, ended_on=s.ended_on, end_reason=s.end_reason
            )
            for s in suspensions.history(ctx, policy_id)
        ],
    )


@router.post("/policies/{policy_id}/premiums", operation_id="policies_pay_premium", status_code=201)
def pay_premium(ctx: Writer, policy_id: int, data: AccountIn, idempotency_key: IdempotencyKey = None) -> PremiumResult:
    """Pay the oldest unpaid instalment (renewal premium). Same Idempotency-Key → the first result, never twice."""
    return _idempotent(
        ctx,
        lambda: billing_service.pay_premium(ctx, policy_id, idempotency_key=idempotency_key, account=data.account),
    )


@router.get("/policies/{policy_id}/reinstatement", operation_id="policies_reinstatement_quote")
def reinstatement_quote(ctx: Reader, policy_id: int) -> dict[str, Any]:
    """What reinstating today costs: back premiums and simple interest, line by line."""
    due = billing_reinstatement.quote(ctx, policy_id)
    return {
        "reinstate_on": due.reinstate_on,
        "annual_rate": due.annual_rate,
        "principal": due.principal,
        "interest": due.interest,
        "total": due.total,
        "lines": due.lines,
        "basis": due.basis,
        "declaration": ReinstatementIn.model_fields["risk_increased"].description,
    }


@router.post("/policies/{policy_id}/reinstatement", operation_id="policies_reinstate", status_code=201)
def reinstate(
    ctx: Writer, policy_id: int, data: ReinstatementIn, response: Response, idempotency_key: IdempotencyKey = None
) -> dict[str, Any]:
    """Reinstate a suspended policy: 201 reinstated (back premiums charged), or 202 referred to an underwriter when
    the declaration says the risk rose significantly (nothing charged; a person will contact the customer)."""
    result = _idempotent(
        ctx,
        lambda: billing_reinstatement.reinstate(
            ctx, policy_id, idempotency_key=idempotency_key, account=data.account, risk_increased=data.risk_increased
        ),
    )
    if result.status == "referred":
        response.status_code = 202
    due = result.back_premiums
    return {
        "status": result.status,
        "policy_id": result.policy_id,
        "policy_status": result.policy_status,
        "service_request_id": result.service_request_id,
        "payment_id": result.payment_id,
        "principal": due.principal if due else None,
        "interest": due.interest if due else None,
        "total": due.total if due else None,
        "replayed": result.replayed,
    }


NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Free text: any character but control characters (line breaks allowed)."""
PolicyId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Underwriter = Annotated[ServiceContext, Depends(require(Role.UNDERWRITER, Role.ADMIN))]


class ReinstatementDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool = Field(description="Accept, or refuse (only if the insured's risk rose significantly)")
    reason: str = Field(min_length=4, max_length=500, pattern=NO_CONTROL)


class ReinstatementDecisionOut(BaseModel):
    policy_id: int
    service_request_id: int
    outcome: str
    """``reinstated``, ``deemed_reinstated`` (30 days without refusal) or ``refused``."""
    reinstated_on: date | None
    policy_status: str
    payment_id: int | None
    total: str | None


class ReinstatementReferralOut(BaseModel):
    service_request_id: int
    policy_id: int
    policy_no: str
    product_code: str
    requested_at: datetime
    consent_by_silence_on: date
    account_masked: str | None
    quoted_total: str | None


@router.get("/reinstatement-referrals", operation_id="policies_reinstatement_referrals")
def reinstatement_referrals(ctx: Underwriter) -> list[ReinstatementReferralOut]:
    """Referred reinstatements waiting for an underwriter, oldest first, with the day silence becomes consent."""
    return [ReinstatementReferralOut(**row) for row in reinstatement_review.referrals(ctx)]


@router.post(
    "/policies/{policy_id}/reinstatement/decision",
    operation_id="policies_reinstatement_decide",
    responses={409: {"description": "No referral waiting (no_referral), or the policy is no longer suspended"}},
)
def reinstatement_decision(
    ctx: Underwriter, policy_id: PolicyId, data: ReinstatementDecisionIn
) -> ReinstatementDecisionOut:
    """The underwriter accepts (back premiums collected, reinstated today) or refuses a referred reinstatement.
    More than 30 days after the application it counts as accepted whatever is sent (SPC Interp. III art. 8)."""
    result = _locked(ctx, lambda: reinstatement_review.decide(ctx, policy_id, accept=data.accept, reason=data.reason))
    return ReinstatementDecisionOut(**vars(result))


@router.post("/policies/{policy_id}/cancellation", operation_id="policies_cancel", status_code=201)
def cancel(ctx: Writer, policy_id: int) -> cancellation.CancellationOut:
    """Cancel inside the cooling-off period (犹豫期): premium back less at most ¥10. After it: 409, surrender."""
    return _locked(ctx, lambda: cancellation.cancel(ctx, policy_id, channel=channel_of(ctx.principal)))


@router.get("/policies/{policy_id}/surrender-quote", operation_id="policies_surrender_quote")
def surrender_quote(ctx: Reader, policy_id: int) -> surrender.SurrenderQuote:
    """What surrendering today would pay (the cancellation refund inside the cooling-off period); always shown."""
    return surrender.quote(ctx, policy_id)


@router.post("/policies/{policy_id}/surrender", operation_id="policies_surrender", status_code=201)
def surrender_policy(ctx: Writer, policy_id: int) -> surrender.SurrenderOut:
    """Surrender (退保) for the cash value, paid within 30 days to the account that paid the premiums."""
    return _locked(ctx, lambda: surrender.surrender(ctx, policy_id, channel=channel_of(ctx.principal)))
