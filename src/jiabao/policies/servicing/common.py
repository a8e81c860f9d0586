"""Shared steps of every servicing (保全) request: the channel from the caller's role, the policy (locked, with
the household's access rules), the request row with its service-level dates, completion, audit and message.

Channel: customers and partners act online (网上/移动端自助); service staff and admins act at a counter (柜面)
for the customer who came in. The client never says which — the role does.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family import proxies as family_proxies
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.partners import service as partners
from jiabao.policies.common import premiums, views
from jiabao.policies.common.models import Instalment, Policy, PolicyInsured, ServiceRequest
from jiabao.policies.rules.servicing import SERVICING_ITEMS, Channel, ServicingItem, servicing_deadlines
from jiabao.products.quoting import MODAL_FACTORS, money
from jiabao.products.schema import Frequency as ProductFrequency

ONLINE_ROLES = frozenset({Role.CUSTOMER, Role.PARTNER})
COUNTER_ROLES = frozenset({Role.SERVICE, Role.ADMIN})
LIVE = frozenset({"in_force", "in_grace", "suspended"})


def channel_of(ctx: ServiceContext) -> Channel:
    """``online`` for customers and partners, ``counter`` for service staff; anyone else may not submit."""
    if ctx.principal.role in ONLINE_ROLES:
        return Channel.ONLINE
    if ctx.principal.role in COUNTER_ROLES:
        return Channel.COUNTER
    raise PermissionDenied()


def counter_checks(channel: Channel, body: Any) -> Channel:
    """At a counter or on the phone, staff record that they verified the customer's identity and that the customer
    confirmed the request (issue 17 item 3); a call is recorded as ``phone``. Online, the log-in is the identity
    and the submission the confirmation."""
    if channel is Channel.ONLINE:
        return channel
    problems = []
    if not body.identity_verified:
        problems.append(
            problem("identity_verified", "required", "请先核验客户身份", "Verify the customer's identity first")
        )
    if not body.customer_confirmed:
        problems.append(
            problem("customer_confirmed", "required", "请记录客户的确认", "Record the customer's confirmation")
        )
    raise_if(problems)
    return Channel.PHONE if body.via == "phone" else Channel.COUNTER


def may_service(ctx: ServiceContext, household_id: int, holder: int) -> bool:
    """Whether the caller may request servicing on a contract ``holder`` holds: staff and partners may; a customer
    for their own contracts or under a consented servicing proxy (``PermissionDenied`` from the proxy check when
    one exists but not for servicing or no longer)."""
    if ctx.principal.role is not Role.CUSTOMER or ctx.principal.person_id == holder:
        return True
    return family_proxies.check_act(ctx, household_id, holder, "servicing")


def load_for_service(ctx: ServiceContext, policy_id: int) -> tuple[Policy, HouseholdOut]:
    """The policy locked FOR UPDATE (PostgreSQL) so two changes to one policy queue, with the household view.

    A household the caller may not see is a 404; a customer who is not the policyholder may not request
    servicing (the contract's changes are the policyholder's, Insurance Law arts. 20, 41)."""
    ctx.session.scalars(select(Policy.id).where(Policy.id == policy_id).with_for_update()).one_or_none()
    policy, overview = views.load(ctx, policy_id)
    if not may_service(ctx, policy.household_id, policy.policyholder_person_id):
        raise PermissionDenied("Only the policyholder may request servicing", "仅投保人本人可以申请保全")
    if policy.status not in LIVE:
        raise Conflict(
            f"The policy is {policy.status}; it can no longer be changed",
            "保单已终止，无法办理该项保全",
            code="policy_not_active",
        )
    return policy, overview


def require_in_force(policy: Policy) -> None:
    if policy.status != "in_force":
        raise Conflict(
            "Pay the overdue premium (or reinstate) before this change",
            "请先缴清欠缴保费（或办理复效）后再办理该项变更",
            code="policy_not_in_force",
        )


def problem(field: str, code: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(field, code, zh, en)


def raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise InvalidInput(fields=tuple(problems))


def current_member(overview: HouseholdOut, person_id: int, field: str) -> MemberOut:
    for member in overview.members:
        if member.person_id == person_id:
            return member
    raise InvalidInput(fields=(problem(field, "not_a_member", "此人不是该家庭成员", "Not a member of this household"),))


def active_insureds(policy: Policy) -> list[PolicyInsured]:
    return [i for i in policy.insureds if i.status == "active"]


def open_request(
    ctx: ServiceContext, policy: Policy, item: ServicingItem, channel: Channel, payload: dict[str, Any]
) -> ServiceRequest:
    """The request row, accepted on receipt: accept within 2 working days, finish within 5 (BSR arts. 19–20).

    Everything this module does is decided on receipt, so the finish limit is counted from the receipt date too
    (a referred underwriting case keeps that date as its target)."""
    today = ctx.clock.today()
    accept, complete = servicing_deadlines(item, today, approved_on=today)[:2]
    row = ServiceRequest(
        policy_id=policy.id,
        kind=item.value,
        channel=channel.value,
        status="accepted",
        requested_at=ctx.now(),
        accept_due=accept.due,
        complete_due=complete.due,
        requested_by=ctx.principal.user_id or None,
        payload=payload,
        result={},
    )
    ctx.session.add(row)
    ctx.session.flush()
    partners.on_service_request(ctx, request_id=row.id, policy_id=policy.id, household_id=policy.household_id)
    return row


def finish(
    ctx: ServiceContext,
    policy: Policy,
    row: ServiceRequest,
    result: dict[str, Any],
    *,
    status: str = "completed",
    note_zh: str = "",
) -> None:
    """Completed (or rejected) now; audited; the policyholder gets a message when it was completed (``note_zh``:
    what it changed, e.g. the effect on the premium or the cover, added to the message)."""
    row.status, row.completed_at, row.result = status, ctx.now(), result
    policy.updated_at = ctx.now()
    ctx.session.flush()
    ctx.audit(
        f"servicing.{row.kind}", "policy", policy.id, {"request_id": row.id, "channel": row.channel, "status": status}
    )
    if status == "completed":
        _message(ctx, policy, row, note_zh)


def _message(ctx: ServiceContext, policy: Policy, row: ServiceRequest, note_zh: str = "") -> None:
    """An SMS to the policyholder (masked data only; the worker looks the number up when it sends)."""
    label = SERVICING_ITEMS[ServicingItem(row.kind)].label_zh
    message(ctx, policy, f"您的保单{policy.policy_no}的{label}已办理完成（受理号{row.id}）。{note_zh}")


def message(ctx: ServiceContext, policy: Policy, text_zh: str) -> None:
    """An SMS to the policyholder: ``text_zh`` between the brand and the fraud warning (masked data only)."""
    enqueue(
        ctx.session,
        topic="sms",
        at=ctx.now(),
        payload={
            "kind": "servicing_completed",
            "person_id": policy.policyholder_person_id,
            "subject": None,
            "body": f"【家保】{text_zh}如非本人操作，请致电95xxx。",
            "policy_no": policy.policy_no,
        },
    )


def received_on(row: ServiceRequest) -> date:
    return row.requested_at.astimezone(CHINA_TZ).date()


def unpaid_instalments(ctx: ServiceContext, policy_id: int) -> list[Instalment]:
    stmt = (
        select(Instalment)
        .where(Instalment.policy_id == policy_id, Instalment.paid_on.is_(None), Instalment.waived.is_(False))
        .order_by(Instalment.seq)
    )
    return list(ctx.session.scalars(stmt))


def modal(annual: Decimal, frequency: str) -> Decimal:
    """One insured's part of an instalment: annual × the product's modal factor, half-up to the fen (as quoted)."""
    return money(annual * MODAL_FACTORS[ProductFrequency(frequency)])


def charged(insured: PolicyInsured, due: date) -> bool:
    """Whether the insured's premium is part of the instalment due on ``due`` (effective-dated cover)."""
    return insured.start_date <= due and (insured.end_date is None or due <= insured.end_date)


def replan_amounts(ctx: ServiceContext, policy: Policy, frequency: str) -> dict[str, Any]:
    """Set every unpaid instalment to the sum of the charged insureds' parts; the policy's figures follow.

    Returns what changed (first seq, count, old and new amount of the next instalment) for the request's result."""
    unpaid = unpaid_instalments(ctx, policy.id)
    changed, before = 0, unpaid[0].amount if unpaid else policy.instalment
    for inst in unpaid:
        amount = sum(
            (
                modal(premiums.annual_on(i, i.start_date, inst.due_date), frequency)
                for i in policy.insureds
                if charged(i, inst.due_date)
            ),
            Decimal(0),
        )
        if amount != inst.amount:
            inst.amount, changed = amount, changed + 1
    ongoing = [i for i in policy.insureds if i.status == "active"]
    policy.annual_premium = sum((i.annual_premium for i in ongoing), Decimal(0))
    policy.instalment = (
        unpaid[0].amount if unpaid else sum((modal(i.annual_premium, frequency) for i in ongoing), Decimal(0))
    )
    ctx.session.flush()
    return {
        "from_seq": unpaid[0].seq if unpaid else None,
        "instalments_changed": changed,
        "next_amount_before": str(before),
        "next_amount_after": str(policy.instalment),
        "annual_premium": str(policy.annual_premium),
    }


def day_before(day: date) -> date:
    return day - timedelta(days=1)
