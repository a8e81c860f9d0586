"""Billing (续期缴费): the status job and renewal premiums.

- :func:`refresh` / :func:`refresh_all` recompute each live policy's status from its instalments with
  ``rules.billing.billing_state`` (in_force → in_grace → suspended → terminated), store it, and queue the premium
  reminders, grace warnings and suspension notice exactly once each: what was sent is recorded as keys in
  ``Policy.details["billing"]["sent"]``, so running the job twice sends nothing new.
- :func:`pay_premium` pays the oldest unpaid instalment once per idempotency key, under the policy's row lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.core.errors import Conflict
from jiabao.core.idempotency import scoped_key
from jiabao.db.context import ServiceContext
from jiabao.notify import MessageKind
from jiabao.policies.billing import suspensions
from jiabao.policies.billing.common import (
    ENDED,
    Locked,
    bank_card,
    channel_of,
    check_key,
    check_replay,
    lock_policy,
    payment_by_key,
    product_names,
    refuse_ended,
    set_billing,
    state,
)
from jiabao.policies.billing.common import billing_details as _billing
from jiabao.policies.billing.common import schedule as _schedule
from jiabao.policies.common import ledger_posting, messages, payments
from jiabao.policies.common.models import Instalment, Payment, Policy
from jiabao.policies.rules import billing as rules
from jiabao.policies.rules.billing import PolicyStatus
from jiabao.policies.rules.schedule import reminder_dates
from jiabao.policies.servicing import surrender

REMINDER_DAYS = (30, 7)
"""Premium reminders go out 30 and 7 days before each due date from instalment 2 (BSR art. 21; the days are ours).
A job run that finds both due sends only the nearer one."""
PAY_AHEAD_DAYS = 60
"""An instalment can be paid from 60 days before its due date (so a wrong click never prepays years)."""


@dataclass(frozen=True)
class RefreshResult:
    policy_id: int
    status: str
    previous: str
    sent: tuple[str, ...]


@dataclass(frozen=True)
class RefreshSummary:
    as_of: date
    policies: int
    changed: dict[str, int]
    messages: int
    last_id: int


def refresh(ctx: ServiceContext, policy_id: int, *, as_of: date | None = None) -> RefreshResult:
    """Recompute one policy's billing status on ``as_of`` (default today) and send what is due, once."""
    return apply(ctx, lock_policy(ctx, policy_id), as_of or ctx.clock.today())


def refresh_all(ctx: ServiceContext, as_of: date, *, after_id: int = 0, limit: int | None = None) -> RefreshSummary:
    """The nightly job: every live policy with an id above ``after_id`` (at most ``limit``), in id order. First,
    referred reinstatements left unrefused for more than 30 days are reinstated (consent by silence).

    Batch-friendly: the caller may commit per page and resume from ``last_id``; each policy is locked while it is
    recomputed, so a premium paid at the same moment is never overwritten.
    """
    stmt = select(Policy.id).where(Policy.id > after_id, Policy.status.not_in(ENDED)).order_by(Policy.id)
    ids = list(ctx.session.scalars(stmt.limit(limit) if limit else stmt))
    from jiabao.policies.billing import reinstatement_review  # it builds on this module: imported when the job runs

    deemed = reinstatement_review.accept_by_silence(ctx, as_of, policy_ids=ids)  # SPC Interp. III art. 8
    changed: dict[str, int] = {"deemed_reinstated": len(deemed)} if deemed else {}
    sent = 0
    for policy_id in ids:
        result = refresh(ctx, policy_id, as_of=as_of)
        sent += len(result.sent)
        if result.status != result.previous:
            key = f"{result.previous}->{result.status}"
            changed[key] = changed.get(key, 0) + 1
    ctx.audit("billing.refresh_all", "policy", None, {"as_of": as_of.isoformat(), "policies": len(ids), **changed})
    return RefreshSummary(as_of, len(ids), changed, sent, ids[-1] if ids else after_id)


def apply(ctx: ServiceContext, locked: Locked, as_of: date) -> RefreshResult:
    """Store the status the rules give on ``as_of`` and queue the messages not yet sent."""
    policy = locked.policy
    previous = policy.status
    if previous in ENDED:
        return RefreshResult(policy.id, previous, previous, ())
    current = state(locked, as_of)
    billing = _billing(policy)
    _store_status(ctx, locked, current, billing)
    sent = _messages(ctx, locked, current, billing, as_of)
    set_billing(policy, billing)
    ctx.session.flush()
    return RefreshResult(policy.id, policy.status, previous, tuple(sent))


def _store_status(ctx: ServiceContext, locked: Locked, current: rules.BillingState, billing: dict[str, Any]) -> None:
    policy = locked.policy
    status = current.status.value
    if status == policy.status:
        return
    detail: dict[str, Any] = {"from": policy.status, "to": status, "as_of": current.as_of.isoformat()}
    if current.status is PolicyStatus.SUSPENDED and current.suspended_on:
        policy.suspended_on = current.suspended_on
        notice = rules.suspension_notice_deadline(current.suspended_on).due
        suspensions.start(ctx, policy.id, current.suspended_on, notice)
        detail |= {"suspended_on": current.suspended_on.isoformat(), "notice_due": notice.isoformat()}
    if current.status is PolicyStatus.TERMINATED and current.terminated_on:
        policy.ended_on, policy.end_reason = current.terminated_on, "not_reinstated"
        suspensions.close(ctx, policy.id, current.terminated_on, "terminated")
        terminated = surrender.pay_on_termination(ctx, locked, current.terminated_on)
        detail["cash_value"] = str(terminated.amount) if terminated else "0.00"
        detail["terminated_on"] = current.terminated_on.isoformat()
    policy.status, policy.updated_at = status, ctx.now()
    ctx.audit("policy.billing_status", "policy", policy.id, detail)


Due = tuple[str, MessageKind, Decimal, date | None]


def _messages(
    ctx: ServiceContext, locked: Locked, current: rules.BillingState, billing: dict[str, Any], as_of: date
) -> list[str]:
    sent: set[str] = set(billing["sent"])
    due: list[Due] = []
    superseded: list[str] = []
    if current.status in (PolicyStatus.IN_FORCE, PolicyStatus.IN_GRACE):
        due, superseded = _reminders(locked, as_of)
    if current.status is PolicyStatus.IN_GRACE and current.overdue_instalments:
        key = f"grace:{current.overdue_instalments[0]}"
        due.append((key, MessageKind.GRACE_PERIOD_WARNING, current.overdue_amount, current.grace_ends_on))
    if current.status is PolicyStatus.SUSPENDED and current.suspended_on:
        key = f"suspension:{current.suspended_on.isoformat()}"
        due.append((key, MessageKind.SUSPENSION_NOTICE, current.overdue_amount, current.suspended_on))
    new = [d for d in due if d[0] not in sent]
    for key, kind, amount, on in new:
        messages.queue(
            ctx,
            kind,
            recipient=locked.holder,
            policy_no=locked.policy.policy_no,
            product=product_names(locked.policy),
            link=f"/policies/{locked.policy.id}",
            amount=amount,
            on=on,
        )
        ctx.audit("policy.billing_message", "policy", locked.policy.id, {"key": key, "kind": kind.value})
    billing["sent"] = sorted(sent | {d[0] for d in due} | set(superseded))
    return [d[0] for d in new]


def _reminders(locked: Locked, as_of: date) -> tuple[list[Due], list[str]]:
    """The nearest reminder of each unpaid instalment whose reminder window (send date … due date) holds ``as_of``,
    and the farther ones of the same instalment, which are only recorded as sent (never two in one run)."""
    unpaid = {r.seq: r for r in locked.instalments if r.paid_on is None and not r.waived}
    windows: dict[int, list[str]] = {}
    for reminder in reminder_dates(_schedule(list(unpaid.values())), REMINDER_DAYS):
        if reminder.send_on <= as_of <= reminder.due:
            windows.setdefault(reminder.instalment, []).append(f"reminder:{reminder.instalment}:{reminder.days_before}")
    due: list[Due] = []
    superseded: list[str] = []
    for seq, keys in windows.items():
        due.append((keys[-1], MessageKind.PREMIUM_DUE_REMINDER, unpaid[seq].amount, unpaid[seq].due_date))
        superseded += keys[:-1]
    return due, superseded


@dataclass(frozen=True)
class PremiumResult:
    payment_id: int
    policy_id: int
    instalment: int
    due_date: date
    amount: Decimal
    status: str
    replayed: bool


def pay_premium(ctx: ServiceContext, policy_id: int, *, idempotency_key: str | None, account: str) -> PremiumResult:
    """Pay the oldest unpaid instalment (renewal premium). The same key always returns the first result.

    Refused (409) when the policy is suspended (reinstate instead), has ended, is paid up, or the next instalment
    is more than 60 days away.
    """
    locked = lock_policy(ctx, policy_id)
    key = scoped_key(locked.policy.household_id, check_key(idempotency_key))
    existing = payment_by_key(ctx, key)
    if existing is not None:
        return _result(locked, check_replay(existing, policy_id, "renewal_premium"), replayed=True)
    today = ctx.clock.today()
    apply(ctx, locked, today)
    policy = locked.policy
    refuse_ended(policy)
    if policy.status == PolicyStatus.SUSPENDED:
        raise Conflict(
            "The policy is suspended: apply for reinstatement, which pays the back premiums with interest",
            "保单效力已中止，请申请复效（补交保费及利息）",
            code="policy_suspended",
        )
    row = _next_instalment(locked, today)
    payment = _receive(ctx, policy, key, bank_card(account), row)
    row.paid_on, row.payment_id = today, payment.id
    ctx.session.flush()
    ledger_posting.premium_received(ctx, payment, policy)
    apply(ctx, locked, today)
    ctx.audit("policy.premium_paid", "policy", policy.id, {"payment_id": payment.id, "instalment": row.seq})
    return _result(locked, payment, replayed=False)


def _next_instalment(locked: Locked, today: date) -> Instalment:
    row = next((r for r in locked.instalments if r.paid_on is None and not r.waived), None)
    if row is None:
        raise Conflict("Every premium is paid", "保费已全部交清", code="paid_up")
    opens = row.due_date - timedelta(days=PAY_AHEAD_DAYS)
    if today < opens:
        raise Conflict(
            f"The next premium is due on {row.due_date}; it can be paid from {opens}",
            f"下期保费应缴日为 {row.due_date}，可自 {opens} 起交纳",
            code="not_yet_due",
        )
    return row


def _receive(ctx: ServiceContext, policy: Policy, key: str, number: str, row: Instalment) -> Payment:
    details = {"instalment": row.seq, "due_date": row.due_date.isoformat(), "channel": channel_of(ctx.principal)}
    return payments.receive(
        ctx,
        key=key,
        kind="renewal_premium",
        amount=row.amount,
        account_number=number,
        holder_person_id=policy.policyholder_person_id,
        details=details,
        policy_id=policy.id,
    )


def _result(locked: Locked, payment: Payment, *, replayed: bool) -> PremiumResult:
    return PremiumResult(
        payment_id=payment.id,
        policy_id=locked.policy.id,
        instalment=int(payment.details["instalment"]),
        due_date=date.fromisoformat(payment.details["due_date"]),
        amount=payment.amount,
        status=locked.policy.status,
        replayed=replayed,
    )
