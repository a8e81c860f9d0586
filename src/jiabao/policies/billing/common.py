"""Shared pieces of billing, reinstatement, cancellation and surrender: the locked policy, its schedule and
premiums as the pure rules see them, the caller's channel, idempotency keys, payments out and servicing records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jiabao.core import validation as v
from jiabao.core.auth import HOUSEHOLD_WRITERS, Principal, Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.policies.billing import suspensions
from jiabao.policies.common import ledger_posting
from jiabao.policies.common.models import Instalment, Payment, Policy, ServiceRequest
from jiabao.policies.rules import billing as rules
from jiabao.policies.rules.calendar import SlaKind
from jiabao.policies.rules.schedule import Instalment as ScheduledInstalment
from jiabao.policies.rules.servicing import Channel, ServicingItem, servicing_deadlines

ONLINE_ROLES = frozenset({Role.CUSTOMER, Role.PARTNER})
ENDED = frozenset({"cancelled", "surrendered", "terminated"})


@dataclass
class Locked:
    """A policy row locked for this transaction, its household (access already checked) and its instalments."""

    policy: Policy
    household: HouseholdOut
    instalments: list[Instalment]

    @property
    def holder(self) -> MemberOut:
        members = self.household.members + self.household.former_members
        return next(m for m in members if m.person_id == self.policy.policyholder_person_id)


def lock_policy(
    ctx: ServiceContext, policy_id: int, *, write: bool = True, writers: frozenset[Role] = HOUSEHOLD_WRITERS
) -> Locked:
    """The policy row FOR UPDATE (PostgreSQL; SQLite serialises writers anyway) with the household's access rules:
    a policy of a household the caller may not see is a 404, a role that may not change it a 403."""
    stmt = select(Policy).where(Policy.id == policy_id).options(selectinload(Policy.insureds))
    policy = ctx.session.scalars(stmt.with_for_update(of=Policy) if write else stmt).one_or_none()
    if policy is None:
        raise NotFound("Policy not found", "未找到该保单", code="policy_not_found")
    household = family.get_overview(ctx, policy.household_id)
    if write and ctx.principal.role not in writers:
        raise PermissionDenied("Your role may not change policies", "您的角色不能办理保单业务")
    return Locked(policy, household, instalments(ctx, policy.id))


def instalments(ctx: ServiceContext, policy_id: int) -> list[Instalment]:
    stmt = select(Instalment).where(Instalment.policy_id == policy_id).order_by(Instalment.seq)
    return list(ctx.session.scalars(stmt))


def schedule(rows: list[Instalment]) -> tuple[ScheduledInstalment, ...]:
    return tuple(ScheduledInstalment(r.seq, r.due_date, r.amount) for r in rows)


def premiums(rows: list[Instalment]) -> list[rules.Payment]:
    """Premium received per instalment on the day it was paid; a waived instalment counts as paid on its due date
    (the waiver means the policyholder owes nothing for it)."""
    out = [rules.Payment(r.paid_on, r.amount) for r in rows if r.paid_on is not None]
    out += [rules.Payment(r.due_date, r.amount) for r in rows if r.waived and r.paid_on is None]
    return out


def reinstatements(policy: Policy) -> list[date]:
    return [date.fromisoformat(d) for d in policy.reinstated_on or []]


def state(locked: Locked, as_of: date) -> rules.BillingState:
    rows = locked.instalments
    return rules.billing_state(schedule(rows), premiums(rows), as_of, reinstated_on=reinstatements(locked.policy))


def channel_of(principal: Principal) -> Channel:
    """Customers and partners come through the web or the API (online); staff serve at the counter."""
    return Channel.ONLINE if principal.role in ONLINE_ROLES else Channel.COUNTER


def bank_card(raw: str) -> str:
    """The account number: digits only, 12–19 of them (422 otherwise, and for a failed Luhn check)."""
    try:
        return v.check_bank_card(raw, field="account", strict=True).number
    except v.ValidationFailed as exc:
        raise InvalidInput(
            fields=tuple(FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors)
        ) from exc


def product_names(policy: Policy) -> tuple[str, str]:
    """The product's Chinese and English names as quoted at issue (the policy row keeps only the code)."""
    members = policy.details.get("quote", {}).get("members") or [{}]
    line = (members[0].get("lines") or [{}])[0]
    return line.get("name_zh", policy.product_code), line.get("name_en", policy.product_code)


def check_key(key: str | None) -> str:
    cleaned = (key or "").strip()
    if not 8 <= len(cleaned) <= 80:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "Idempotency-Key",
                    "invalid",
                    "请提供8至80个字符的幂等键（Idempotency-Key）",
                    "Send an Idempotency-Key header of 8 to 80 characters",
                ),
            )
        )
    return cleaned


def payment_by_key(ctx: ServiceContext, key: str) -> Payment | None:
    return ctx.session.scalars(select(Payment).where(Payment.idempotency_key == key)).one_or_none()


def check_replay(payment: Payment, policy_id: int, kind: str) -> Payment:
    if payment.policy_id != policy_id or payment.kind != kind:
        raise Conflict(
            "This idempotency key was used for another payment",
            "该幂等键已用于其他支付",
            code="idempotency_key_reused",
        )
    return payment


def premium_paid(ctx: ServiceContext, policy_id: int) -> Decimal:
    """Every premium received for the policy (first, renewal and reinstatement premiums, interest excluded)."""
    stmt = select(func.coalesce(func.sum(Instalment.amount), 0)).where(
        Instalment.policy_id == policy_id, Instalment.paid_on.is_not(None)
    )
    return Decimal(ctx.session.scalar(stmt) or 0).quantize(Decimal("0.01"))


def last_paying(ctx: ServiceContext, policy_id: int) -> Payment:
    """The latest payment in: money going back is paid to the account it came from."""
    stmt = (
        select(Payment)
        .where(Payment.policy_id == policy_id, Payment.direction == "in")
        .order_by(Payment.created_at.desc(), Payment.id.desc())
        .limit(1)
    )
    payment = ctx.session.scalars(stmt).first()
    if payment is None:
        raise Conflict("No premium was received for this policy", "该保单没有缴费记录", code="no_premium_paid")
    return payment


def pay_out(ctx: ServiceContext, policy: Policy, *, kind: str, amount: Decimal, details: dict[str, Any]) -> Payment:
    """Money out to the account that last paid, pending until finance pays it; one per policy and kind (the
    deterministic key makes a second one fail at the database)."""
    source = last_paying(ctx, policy.id)
    payment = Payment(
        idempotency_key=f"{kind}-policy-{policy.id}",
        kind=kind,
        direction="out",
        policy_id=policy.id,
        amount=amount,
        account_enc=source.account_enc,  # same column, same key: the ciphertext stays valid
        account_masked=source.account_masked,
        holder_person_id=policy.policyholder_person_id,
        status="pending",
        created_at=ctx.now(),
        details=details,
    )
    ctx.session.add(payment)
    ctx.session.flush()
    ledger_posting.paid_out(ctx, payment, policy.household_id)
    return payment


def service_request(
    ctx: ServiceContext,
    policy: Policy,
    item: ServicingItem,
    *,
    channel: Channel,
    status: str,
    payload: dict[str, Any],
    result: dict[str, Any],
    complete_due: date | None = None,
) -> ServiceRequest:
    """The servicing record (保全申请) with its channel and deadlines (accept in 2 working days; finish in 5 working
    days of approval, which is today for the requests handled here, unless ``complete_due`` is given)."""
    today = ctx.clock.today()
    deadlines = {d.kind: d.due for d in servicing_deadlines(item, today, approved_on=today)}
    request = ServiceRequest(
        policy_id=policy.id,
        kind=item.value,
        channel=channel.value,
        status=status,
        requested_at=ctx.now(),
        accept_due=deadlines[SlaKind.SERVICING_ACCEPT],
        complete_due=complete_due or deadlines[SlaKind.SERVICING_COMPLETE],
        completed_at=ctx.now() if status == "completed" else None,
        requested_by=ctx.principal.user_id or None,
        payload=payload,
        result=result,
    )
    ctx.session.add(request)
    ctx.session.flush()
    return request


def billing_details(policy: Policy) -> dict[str, Any]:
    """A copy of ``details["billing"]`` (the messages sent); assign it back with :func:`set_billing`. The suspension
    history is a table (``policy_suspensions``)."""
    current = policy.details.get("billing") or {}
    return {"sent": list(current.get("sent", []))}


def set_billing(policy: Policy, billing: dict[str, Any]) -> None:
    policy.details = {**policy.details, "billing": billing}  # a new dict, so the JSON column is marked dirty


def end_policy(ctx: ServiceContext, policy: Policy, *, status: str, reason: str) -> None:
    today = ctx.clock.today()
    suspensions.close(ctx, policy.id, today, reason)
    policy.status, policy.ended_on, policy.end_reason, policy.updated_at = status, today, reason, ctx.now()
    for insured in policy.insureds:
        if insured.status == "active":
            insured.status, insured.end_date = "ended", today


def refuse_ended(policy: Policy) -> None:
    if policy.status in ENDED:
        raise Conflict(
            f"The policy has ended ({policy.status})",
            {"cancelled": "该保单已撤销", "surrendered": "该保单已退保", "terminated": "该保单已终止"}[policy.status],
            code=f"policy_{policy.status}",
        )
