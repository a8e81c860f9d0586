"""The underwriter's decision on a referred reinstatement (复效核保) and consent by silence.

SPC Interp. III art. 8 (regulation.md §2.7, H): the insurer may refuse a reinstatement only when the insured's
risk rose significantly during suspension, and **no explicit refusal within 30 days of the application counts as
consent**. "Within 30 days" is counted as every period here (Civil Code art. 201): the application day is day 0,
day 30 (``consent_by_silence_on``) is the last day a refusal counts; from day 31 the reinstatement stands.

- :func:`decide` — an underwriter (or admin) accepts or refuses an open referral up to day 30, with a reason.
  Accepting reinstates at once: the back premiums with interest to that day are collected from the account the
  policyholder gave with the application, the open suspension period is closed (``policy_suspensions``) and the
  policy is in force again. Refusing closes the request; the policy stays suspended (the 2-year window still
  runs, and the policyholder may surrender).
- :func:`accept_by_silence` — the daily billing job (``billing_service.refresh_all``) reinstates every referral
  still open after day 30, dated day 31 (cover resumes that day whatever day the job runs).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.policies.billing import suspensions
from jiabao.policies.billing.common import Locked, lock_policy
from jiabao.policies.billing.reinstatement import DEFAULT_ANNUAL_RATE, _amounts, _back_premiums, _notify
from jiabao.policies.billing.service import apply
from jiabao.policies.common import ledger_posting, payments
from jiabao.policies.common.models import Policy, ServiceRequest
from jiabao.policies.rules import billing as rules
from jiabao.policies.rules.servicing import ServicingItem

DECIDERS = frozenset({Role.UNDERWRITER, Role.ADMIN})


@dataclass(frozen=True)
class ReviewResult:
    policy_id: int
    service_request_id: int
    outcome: str
    """``reinstated`` (accepted), ``deemed_reinstated`` (30 days' silence) or ``refused``."""
    reinstated_on: date | None
    policy_status: str
    payment_id: int | None
    total: str | None


def open_referral(ctx: ServiceContext, policy_id: int) -> ServiceRequest | None:
    stmt = select(ServiceRequest).where(
        ServiceRequest.policy_id == policy_id,
        ServiceRequest.kind == ServicingItem.REINSTATEMENT.value,
        ServiceRequest.status == "referred",
    )
    return ctx.session.scalars(stmt.order_by(ServiceRequest.id).limit(1)).first()


def consent_day(request: ServiceRequest) -> date:
    """Day 30 after the application: the last day a refusal counts."""
    return date.fromisoformat(str(request.payload["consent_by_silence_on"]))


def referrals(ctx: ServiceContext) -> list[dict[str, Any]]:
    """Open referrals, oldest first (the underwriter's queue)."""
    if ctx.principal.role not in DECIDERS:
        raise PermissionDenied("Only underwriters decide reinstatements", "仅核保人员可审核复效申请")
    stmt = (
        select(ServiceRequest, Policy)
        .join(Policy, Policy.id == ServiceRequest.policy_id)
        .where(ServiceRequest.kind == ServicingItem.REINSTATEMENT.value, ServiceRequest.status == "referred")
        .order_by(ServiceRequest.requested_at)
        .limit(200)
    )
    return [
        {
            "service_request_id": request.id,
            "policy_id": policy.id,
            "policy_no": policy.policy_no,
            "product_code": policy.product_code,
            "requested_at": request.requested_at,
            "consent_by_silence_on": consent_day(request),
            "account_masked": request.payload.get("account_masked"),
            "quoted_total": request.result.get("quoted", {}).get("total"),
        }
        for request, policy in ctx.session.execute(stmt)
    ]


def decide(ctx: ServiceContext, policy_id: int, *, accept: bool, reason: str) -> ReviewResult:
    """The underwriter's decision on the open referral of ``policy_id`` (see the module docstring)."""
    if ctx.principal.role not in DECIDERS:
        raise PermissionDenied("Only underwriters decide reinstatements", "仅核保人员可审核复效申请")
    locked = lock_policy(ctx, policy_id, writers=DECIDERS)
    request = open_referral(ctx, policy_id)
    if request is None:
        raise Conflict("No reinstatement is waiting for a decision", "该保单没有待审核的复效申请", code="no_referral")
    today = ctx.clock.today()
    if today > consent_day(request):
        # more than 30 days without a refusal: consent by silence, whatever is decided now (the job may not have
        # run yet); reinstated from day 31
        return _reinstate(ctx, locked, request, consent_day(request) + timedelta(days=1), "deemed_reinstated")
    if not accept:
        return _refuse(ctx, locked, request, reason)
    return _reinstate(ctx, locked, request, today, "reinstated", decided_by=ctx.principal.user_id, reason=reason)


def _refuse(ctx: ServiceContext, locked: Locked, request: ServiceRequest, reason: str) -> ReviewResult:
    request.status, request.completed_at = "rejected", ctx.now()
    request.result = {
        **request.result,
        "outcome": "refused",
        "reason": reason,
        "decided_by": ctx.principal.user_id,
        "decided_on": ctx.clock.today().isoformat(),
        "basis": "SPC Interp. III art. 8: refused because the insured's risk rose significantly during suspension",
    }
    ctx.session.flush()
    ctx.audit("policy.reinstatement_refused", "policy", locked.policy.id, {"service_request_id": request.id})
    return ReviewResult(locked.policy.id, request.id, "refused", None, locked.policy.status, None, None)


def _reinstate(
    ctx: ServiceContext,
    locked: Locked,
    request: ServiceRequest,
    on: date,
    how: str,
    *,
    decided_by: int | None = None,
    reason: str | None = None,
) -> ReviewResult:
    """Collect the back premiums to ``on`` from the account given with the application and reinstate from ``on``."""
    policy = locked.policy
    due = _back_premiums(locked, on, DEFAULT_ANNUAL_RATE)
    number = ctx.cipher.decrypt(payments.ACCOUNT_COLUMN, base64.b64decode(str(request.payload["account_enc_b64"])))
    payment = payments.receive(
        ctx,
        key=f"reinstatement-review-{request.id}",
        kind="reinstatement",
        amount=due.total,
        account_number=number,
        holder_person_id=policy.policyholder_person_id,
        details={"channel": request.channel, "service_request_id": request.id, "how": how, **_amounts(due)},
        policy_id=policy.id,
    )
    by_seq = {r.seq: r for r in locked.instalments}
    for line in due.lines:
        by_seq[line.instalment].paid_on, by_seq[line.instalment].payment_id = on, payment.id
    policy.reinstated_on = [*policy.reinstated_on, on.isoformat()]
    suspensions.close(ctx, policy.id, on, how)
    policy.suspended_on, policy.status, policy.updated_at = None, rules.PolicyStatus.IN_FORCE.value, ctx.now()
    ctx.session.flush()
    ledger_posting.premium_received(ctx, payment, policy)
    apply(ctx, locked, max(on, ctx.clock.today()))
    request.status, request.completed_at = "completed", ctx.now()
    request.result = {
        **request.result,
        "outcome": how,
        "reinstated_on": on.isoformat(),
        "payment_id": payment.id,
        "decided_by": decided_by,
        "reason": reason,
        **_amounts(due),
    }
    ctx.session.flush()
    _notify(ctx, locked, on)
    ctx.audit("policy.reinstate", "policy", policy.id, {"payment_id": payment.id, "how": how, **_amounts(due)})
    return ReviewResult(policy.id, request.id, how, on, policy.status, payment.id, str(due.total))


def accept_by_silence(ctx: ServiceContext, as_of: date, *, policy_ids: list[int] | None = None) -> list[ReviewResult]:
    """The daily job's part: every referral still open after its day 30 is reinstated, dated day 31."""
    stmt = select(ServiceRequest).where(
        ServiceRequest.kind == ServicingItem.REINSTATEMENT.value, ServiceRequest.status == "referred"
    )
    if policy_ids is not None:
        stmt = stmt.where(ServiceRequest.policy_id.in_(policy_ids))
    done = []
    for request in list(ctx.session.scalars(stmt.order_by(ServiceRequest.id))):
        if as_of <= consent_day(request):
            continue
        locked = lock_policy(ctx, request.policy_id)
        if locked.policy.status in ("cancelled", "surrendered", "terminated"):
            request.status, request.completed_at = "rejected", ctx.now()
            request.result = {**request.result, "outcome": f"policy_{locked.policy.status}"}
            continue
        done.append(_reinstate(ctx, locked, request, consent_day(request) + timedelta(days=1), "deemed_reinstated"))
    return done
