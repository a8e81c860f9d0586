"""Policy loans (保单贷款) and automatic premium loans (自动垫交): lend, repay, what is owed, the deduction from
benefits, the automatic loan at the end of grace and the lapse of a policy whose debt outgrew its cash value.
Rules and figures: :mod:`jiabao.policies.rules.loans`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.core import validation as v
from jiabao.core.errors import Conflict, FieldProblem
from jiabao.core.money import ZERO, to_decimal
from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.family.schemas import HouseholdOut
from jiabao.policies.billing.common import end_policy
from jiabao.policies.common.models import Instalment, Payment, Policy, ServiceRequest
from jiabao.policies.common.payments import ACCOUNT_COLUMN
from jiabao.policies.rules import loans as rules
from jiabao.policies.rules.servicing import Channel, ServicingItem
from jiabao.policies.servicing.common import finish, open_request, problem, raise_if, require_in_force
from jiabao.policies.servicing.models import PolicyLoan
from jiabao.policies.servicing.schemas import AutomaticLoanIn, LoanRepaymentIn, PolicyLoanIn
from jiabao.policies.servicing.values import cash_value


@dataclass(frozen=True)
class LoanTerms:
    """The configured terms (settings ``policy_loan_max_share``, ``policy_loan_annual_rate``)."""

    max_share: Decimal = rules.DEFAULT_MAX_SHARE
    annual_rate: Decimal = rules.DEFAULT_ANNUAL_RATE

    @property
    def rate_bp(self) -> int:
        return int((self.annual_rate * 10000).to_integral_value())


def _open_loans(session: Session, policy_id: int) -> list[PolicyLoan]:
    stmt = (
        select(PolicyLoan)
        .where(PolicyLoan.policy_id == policy_id, PolicyLoan.closed_on.is_(None))
        .order_by(PolicyLoan.lent_on, PolicyLoan.id)
    )
    return list(session.scalars(stmt))


def _debt_of(loan: PolicyLoan, on: date) -> rules.Debt:
    rate = Decimal(loan.rate_bp) / Decimal(10000)
    return rules.Debt(loan.principal, loan.interest + rules.accrued_interest(loan.principal, rate, loan.accrued_to, on))


def debt(session: Session, policy_id: int, on: date) -> rules.Debt:
    """Principal and interest owed on ``on`` across the policy's open loans."""
    parts = [_debt_of(loan, on) for loan in _open_loans(session, policy_id)]
    return rules.Debt(sum((p.principal for p in parts), ZERO), sum((p.interest for p in parts), ZERO))


def outstanding_loan(session: Session, policy_id: int, on: date) -> Decimal:
    """What a benefit, surrender value or claim paid on ``on`` must first settle (principal + interest)."""
    return debt(session, policy_id, on).total


def _roll(loan: PolicyLoan, on: date) -> None:
    """Bring the accrued interest into ``loan.interest`` up to ``on``."""
    if on > loan.accrued_to:
        loan.interest = _debt_of(loan, on).interest
        loan.accrued_to = on


def _apply(session: Session, policy_id: int, amount: Decimal, on: date, source: str) -> dict[str, str]:
    """Settle ``amount`` (≤ the debt): interest first across the loans, then principal, oldest first."""
    loans = _open_loans(session, policy_id)
    for loan in loans:
        _roll(loan, on)
    left = amount
    paid_interest = paid_principal = ZERO
    for field in ("interest", "principal"):
        for loan in loans:
            part = min(left, getattr(loan, field))
            if part <= 0:
                continue
            setattr(loan, field, getattr(loan, field) - part)
            left -= part
            entry = {"on": on.isoformat(), field: str(part), "source": source}
            loan.history = [*loan.history, entry]
            if field == "interest":
                paid_interest += part
            else:
                paid_principal += part
    for loan in loans:
        if loan.principal == 0 and loan.interest == 0:
            loan.closed_on, loan.close_reason = on, "repaid" if source == "repayment" else "deducted"
    session.flush()
    return {"interest": str(paid_interest), "principal": str(paid_principal)}


def settle_from_benefit(session: Session, policy_id: int, benefit: Decimal, on: date, *, source: str) -> Decimal:
    """Deduct the outstanding loan from a benefit paid under the policy (the loan clause); returns the amount
    deducted (0 when nothing is owed). ``source`` names the benefit (claim, surrender, annuity…)."""
    owed = outstanding_loan(session, policy_id, on)
    deduction = rules.deduct(benefit, owed)
    if deduction.deducted > 0:
        _apply(session, policy_id, deduction.deducted, on, source)
    return deduction.deducted


def _registered_account(session: Session, policy: Policy) -> Payment:
    """The policyholder's registered account: the last account premiums came from."""
    stmt = (
        select(Payment)
        .where(
            Payment.policy_id == policy.id,
            Payment.direction == "in",
            Payment.kind.not_in(("loan_repayment", "automatic_premium_loan")),
        )
        .order_by(Payment.created_at.desc(), Payment.id.desc())
        .limit(1)
    )
    payment = session.scalars(stmt).first()
    if payment is None:
        raise Conflict("No premium was received for this policy", "该保单没有缴费记录", code="no_premium_paid")
    return payment


def pay_to_registered_account(
    ctx: ServiceContext, policy: Policy, *, kind: str, key: str, amount: Decimal, details: dict[str, Any]
) -> Payment:
    """Money out to the registered account (the policyholder's own, Internet Measures art. 40), pending until
    finance pays it; ``key`` makes it once only."""
    source = _registered_account(ctx.session, policy)
    payment = Payment(
        idempotency_key=key,
        kind=kind,
        direction="out",
        policy_id=policy.id,
        amount=amount,
        account_enc=source.account_enc,
        account_masked=source.account_masked,
        holder_person_id=policy.policyholder_person_id,
        status="pending",
        created_at=ctx.now(),
        details=details,
    )
    ctx.session.add(payment)
    ctx.session.flush()
    return payment


def take_loan(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: PolicyLoanIn, terms: LoanTerms
) -> ServiceRequest:
    """保单贷款: up to ``terms.max_share`` of today's cash value less the debt; paid to the registered account."""
    del overview
    require_in_force(policy)
    today = ctx.clock.today()
    value = cash_value(ctx.session, policy, today)
    owed = outstanding_loan(ctx.session, policy.id, today)
    if value <= 0:
        raise Conflict(
            "The policy has no cash value to lend against", "保单暂无现金价值，不能办理贷款", code="no_cash_value"
        )
    rules.check_amount(data.amount, value, owed, max_share=terms.max_share)
    payload = {"amount": str(data.amount), "cash_value": str(value), "owed_before": str(owed)}
    row = open_request(ctx, policy, ServicingItem.POLICY_LOAN, channel, payload)
    payment = pay_to_registered_account(
        ctx,
        policy,
        kind="policy_loan",
        key=f"policy-loan-{row.id}",
        amount=data.amount,
        details={"service_request_id": row.id, "annual_rate": str(terms.annual_rate)},
    )
    loan = PolicyLoan(
        policy_id=policy.id,
        kind="loan",
        service_request_id=row.id,
        payment_id=payment.id,
        lent_on=today,
        amount=data.amount,
        rate_bp=terms.rate_bp,
        principal=data.amount,
        interest=ZERO,
        accrued_to=today,
        created_at=ctx.now(),
        history=[],
    )
    ctx.session.add(loan)
    ctx.session.flush()
    finish(
        ctx,
        policy,
        row,
        {
            "loan_id": loan.id,
            "amount": str(data.amount),
            "annual_rate": str(terms.annual_rate),
            "limit": str(rules.available(value, owed, max_share=terms.max_share)),
            "payment_id": payment.id,
            "account_masked": payment.account_masked,
        },
    )
    return row


def _card(raw: str) -> tuple[str | None, list[FieldProblem]]:
    try:
        return v.check_bank_card(raw, field="account", strict=True).number, []
    except v.ValidationFailed as exc:
        return None, [FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors]


def repay_loan(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: LoanRepaymentIn
) -> ServiceRequest:
    """Repay (part of) the debt from the policyholder's card: interest first, then principal."""
    del overview
    today = ctx.clock.today()
    number, problems = _card(data.account)
    owed = debt(ctx.session, policy.id, today)
    if owed.total <= 0:
        problems.append(problem("amount", "nothing_owed", "该保单没有未还借款", "Nothing is owed on this policy"))
    elif data.amount > owed.total:
        problems.append(
            problem(
                "amount",
                "over_debt",
                f"还款金额超过欠款本息合计¥{owed.total}",
                f"The amount is more than the ¥{owed.total} owed",
            )
        )
    raise_if(problems)
    assert number is not None
    row = open_request(ctx, policy, ServicingItem.LOAN_REPAYMENT, channel, {"amount": str(data.amount)})
    masked = mask_bank_card(number)
    payment = Payment(
        idempotency_key=f"loan-repayment-{row.id}",
        kind="loan_repayment",
        direction="in",
        policy_id=policy.id,
        amount=data.amount,
        account_enc=ctx.cipher.encrypt(ACCOUNT_COLUMN, number),
        account_masked=masked,
        holder_person_id=policy.policyholder_person_id,
        status="paid",
        created_at=ctx.now(),
        details={"service_request_id": row.id},
    )
    ctx.session.add(payment)
    ctx.session.flush()
    split = _apply(ctx.session, policy.id, data.amount, today, "repayment")
    left = debt(ctx.session, policy.id, today)
    finish(ctx, policy, row, {**split, "payment_id": payment.id, "owed_after": str(left.total)})
    return row


def set_automatic_loan(
    ctx: ServiceContext,
    policy: Policy,
    overview: HouseholdOut,
    channel: Channel,
    data: AutomaticLoanIn,
    terms: LoanTerms,
) -> ServiceRequest:
    """Opt in to (or out of) 自动垫交; the interest rate of the day is agreed for the automatic loans."""
    del overview
    row = open_request(ctx, policy, ServicingItem.AUTOMATIC_PREMIUM_LOAN, channel, {"opted_in": data.opted_in})
    apl = {"opted_in": data.opted_in, "rate_bp": terms.rate_bp, "since": ctx.clock.today().isoformat()}
    policy.details = {**policy.details, "automatic_premium_loan": apl}
    finish(ctx, policy, row, apl)
    return row


def cover_by_automatic_loan(ctx: ServiceContext, policy: Policy, unpaid: list[Instalment], on: date) -> list[int]:
    """At the end of grace: lend every overdue instalment, oldest first, while the policyholder opted in and the
    cash value net of the debt covers it. Returns the seqs paid by loan (the policy then stays in force)."""
    apl = policy.details.get("automatic_premium_loan") or {}
    if not apl.get("opted_in"):
        return []
    paid: list[int] = []
    for inst in unpaid:
        value = cash_value(ctx.session, policy, on)
        owed = outstanding_loan(ctx.session, policy.id, on)
        if not rules.automatic_loan_covers(inst.amount, value, owed, opted_in=True):
            break
        loan = PolicyLoan(
            policy_id=policy.id,
            kind="automatic",
            instalment_id=inst.id,
            lent_on=on,
            amount=inst.amount,
            rate_bp=int(apl.get("rate_bp") or LoanTerms().rate_bp),
            principal=inst.amount,
            interest=ZERO,
            accrued_to=on,
            created_at=ctx.now(),
            history=[],
        )
        ctx.session.add(loan)
        ctx.session.flush()
        source = _registered_account(ctx.session, policy)  # the premium is lent, no card is charged: the row
        payment = Payment(  # keeps the registered account so that money going back still goes there
            idempotency_key=f"apl-instalment-{inst.id}",
            kind="automatic_premium_loan",
            direction="in",
            policy_id=policy.id,
            amount=inst.amount,
            account_enc=source.account_enc,
            account_masked=source.account_masked,
            holder_person_id=policy.policyholder_person_id,
            status="paid",
            created_at=ctx.now(),
            details={"loan_id": loan.id, "instalment": inst.seq, "cash_value": str(value)},
        )
        ctx.session.add(payment)
        ctx.session.flush()
        loan.payment_id = payment.id
        inst.paid_on, inst.payment_id = on, payment.id
        paid.append(inst.seq)
        ctx.audit("policy.automatic_premium_loan", "policy", policy.id, {"loan_id": loan.id, "instalment": inst.seq})
    if paid:
        ctx.session.add(
            ServiceRequest(
                policy_id=policy.id,
                kind=ServicingItem.AUTOMATIC_PREMIUM_LOAN.value,
                channel=Channel.ONLINE.value,
                status="completed",
                requested_at=ctx.now(),
                accept_due=on,
                complete_due=on,
                completed_at=ctx.now(),
                payload={"automatic": True, "instalments": paid},
                result={"owed_after": str(outstanding_loan(ctx.session, policy.id, on))},
            )
        )
        ctx.session.flush()
    return paid


def loan_check(ctx: ServiceContext, policy: Policy, on: date) -> str:
    """The daily check of a policy with loans: a notice when the debt exceeds the cash value, the end of the
    policy (效力终止, reason ``loan_exceeds_cash_value``) when it still does after the notice period. Returns the
    state (``ok``, ``notice``, ``lapse``)."""
    owed = outstanding_loan(ctx.session, policy.id, on)
    if owed <= 0:
        return rules.LoanState.OK
    value = cash_value(ctx.session, policy, on)
    loans = dict(policy.details.get("loans") or {})
    noticed = date.fromisoformat(loans["noticed_on"]) if loans.get("noticed_on") else None
    state = rules.loan_state(owed, value, noticed_on=noticed, on=on)
    if state == rules.LoanState.OK and noticed is not None:
        loans.pop("noticed_on", None)
    elif state == rules.LoanState.NOTICE and noticed is None:
        loans["noticed_on"] = on.isoformat()
        ctx.audit("policy.loan_notice", "policy", policy.id, {"owed": str(owed), "cash_value": str(value)})
    elif state == rules.LoanState.LAPSE:
        settle_from_benefit(ctx.session, policy.id, value, on, source="lapse")
        for loan in _open_loans(ctx.session, policy.id):
            loan.closed_on, loan.close_reason = on, "lapsed"
        end_policy(ctx, policy, status="terminated", reason="loan_exceeds_cash_value")
        ctx.audit("policy.loan_lapse", "policy", policy.id, {"owed": str(owed), "cash_value": str(value)})
    policy.details = {**policy.details, "loans": loans}
    ctx.session.flush()
    return state


def loan_summary(session: Session, policy: Policy, on: date, terms: LoanTerms) -> dict[str, Any]:
    """What the policy page shows: debt, cash value, what may still be borrowed, each open loan."""
    owed = debt(session, policy.id, on)
    value = cash_value(session, policy, on)
    return {
        "on": on.isoformat(),
        "cash_value": str(value),
        "principal": str(owed.principal),
        "interest": str(owed.interest),
        "owed": str(owed.total),
        "available": str(rules.available(value, owed.total, max_share=terms.max_share)) if value > 0 else "0.00",
        "max_share": str(terms.max_share),
        "annual_rate": str(terms.annual_rate),
        "automatic_premium_loan": bool((policy.details.get("automatic_premium_loan") or {}).get("opted_in")),
        "loans": [
            {
                "id": loan.id,
                "kind": loan.kind,
                "lent_on": loan.lent_on.isoformat(),
                "amount": str(loan.amount),
                "principal": str(loan.principal),
                "interest": str(_debt_of(loan, on).interest),
                "annual_rate": str(to_decimal(Decimal(loan.rate_bp) / 100)),
            }
            for loan in _open_loans(session, policy.id)
        ],
    }
