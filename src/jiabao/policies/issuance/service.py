"""Payment and issuance (缴费与出单): the first premium is taken once per idempotency key, from the policyholder's
own account, and the policy is issued in the same transaction — after a crash there is both or neither."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import joinedload, undefer

from jiabao.core import validation as v
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from jiabao.core.idempotency import scoped_key
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.notify import MessageKind
from jiabao.policies.application.confirmation import covered as covered_insureds
from jiabao.policies.application.models import Application
from jiabao.policies.common import ledger_posting, messages, payments, premiums
from jiabao.policies.common.models import (
    BeneficiaryDesignation,
    Instalment,
    Payment,
    Policy,
    PolicyInsured,
    ReturnVisit,
)
from jiabao.policies.rules import return_visit as rv
from jiabao.policies.rules.cooling_off import cooling_off_period
from jiabao.policies.rules.cover import cover_end, term_months
from jiabao.policies.rules.schedule import Frequency, due_date, instalment_count
from jiabao.products.service import ProductEngine
from jiabao.underwriting.engine import Conclusion

ACCEPTED = {Conclusion.STANDARD, Conclusion.RATED, Conclusion.EXCLUSION, Conclusion.RATED_WITH_EXCLUSION}


_INSTALMENTS = cast(Table, Instalment.__table__)
"""Core inserts of several rows in one statement (the ORM writes these rows one by one on SQLite)."""


@dataclass(frozen=True)
class PaymentResult:
    payment_id: int
    policy_id: int
    policy_no: str
    amount: Decimal
    replayed: bool


_LOCK = (
    select(Application)
    .where(Application.id == bindparam("application_id"))
    .options(joinedload(Application.insureds), undefer(Application.quote))
    .with_for_update(of=Application)
)
"""The application with its insureds and its quote (the policy keeps it) in one round trip, built once."""


def lock_application(ctx: ServiceContext, application_id: int) -> Application:
    """The application row, locked FOR UPDATE on PostgreSQL so concurrent payments queue behind each other."""
    application = ctx.session.scalars(_LOCK, {"application_id": application_id}).unique().one_or_none()
    if application is None:
        raise NotFound("Application not found", "未找到该投保单", code="application_not_found")
    family.get_overview(ctx, application.household_id)  # the caller must be allowed to act on this household
    return application


_BY_KEY = select(Payment).where(Payment.idempotency_key == bindparam("key"))


def payment_by_key(ctx: ServiceContext, key: str) -> Payment | None:
    return ctx.session.scalars(_BY_KEY, {"key": key}).one_or_none()


def payment_for_client_key(ctx: ServiceContext, application_id: int, key: str) -> Payment | None:
    """The payment a client's key (scoped to the application's household) already made, if any."""
    application = ctx.session.get(Application, application_id)
    return None if application is None else payment_by_key(ctx, scoped_key(application.household_id, key.strip()))


def replay(ctx: ServiceContext, payment: Payment) -> PaymentResult:
    policy = ctx.session.scalars(select(Policy).where(Policy.application_id == payment.application_id)).one()
    return PaymentResult(payment.id, policy.id, policy.policy_no, payment.amount, replayed=True)


def _account(raw: str) -> str:
    try:
        return v.check_bank_card(raw, field="account", strict=True).number
    except v.ValidationFailed as exc:
        raise InvalidInput(
            fields=tuple(FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors)
        ) from exc


def pay_first_premium(
    ctx: ServiceContext, engine: ProductEngine, application_id: int, *, idempotency_key: str, account: str
) -> PaymentResult:
    """Charge the first instalment and issue the policy. The same key always returns the first result."""
    key = idempotency_key.strip()
    if not 8 <= len(key) <= 80:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "Idempotency-Key",
                    "invalid",
                    "幂等键须为8至80个字符",
                    "The idempotency key must be 8 to 80 characters",
                ),
            )
        )
    application = lock_application(ctx, application_id)
    key = scoped_key(application.household_id, key)
    existing = payment_by_key(ctx, key)
    if existing is not None:
        if existing.application_id != application_id:
            raise Conflict(
                "This idempotency key was used for another payment",
                "该幂等键已用于其他支付",
                code="idempotency_key_reused",
            )
        return replay(ctx, existing)
    if application.status == "issued":
        raise Conflict("This application is already paid and issued", "该投保单已缴费出单", code="already_issued")
    if application.status != "awaiting_payment":
        raise Conflict("Confirm the application before paying", "请先完成投保确认再缴费", code="not_confirmed")
    number = _account(account)
    payment = payments.receive(
        ctx,
        key=key,
        kind="first_premium",
        amount=application.instalment,
        account_number=number,
        holder_person_id=application.policyholder_person_id,
        details={"channel": application.channel},
        application_id=application.id,
    )
    policy = issue(ctx, engine, application, payment)
    return PaymentResult(payment.id, policy.id, policy.policy_no, payment.amount, replayed=False)


def issue(ctx: ServiceContext, engine: ProductEngine, application: Application, payment: Payment) -> Policy:
    """Issue the policy: insureds, beneficiaries, premium schedule (first paid), return visit, messages."""
    product = engine.catalog.products[application.product_code]
    today, now = ctx.clock.today(), ctx.now()
    covered = covered_insureds(application)
    births = {m.person_id: m.birth_date for m in family.get_overview(ctx, application.household_id).members}
    ends = {
        i.person_id: cover_end(product.coverage.kind, application.coverage, start=today, birth_date=births[i.person_id])
        for i in covered
    }
    period = cooling_off_period(today, days=product.free_look_days)
    policy = Policy(
        policy_no=f"P{today:%Y%m%d}{application.id:08d}",
        application_id=application.id,
        household_id=application.household_id,
        policyholder_person_id=application.policyholder_person_id,
        product_code=product.code,
        product_version=product.version,
        channel=application.channel,
        status="in_force",
        issued_at=now,
        effective_date=today,
        received_on=today,
        cooling_off_end=period.last_day,
        frequency=application.frequency,
        payment_term=application.payment_term,
        cover_years=application.coverage,
        annual_premium=application.annual_premium,
        instalment=application.instalment,
        basis=application.basis,
        reinstated_on=[],
        details={"quote": application.quote, **application.details},
        updated_at=now,
    )
    ctx.session.add(policy)
    ctx.session.flush()
    rows = []
    for insured in covered:
        row = PolicyInsured(
            policy_id=policy.id,
            person_id=insured.person_id,
            sum_assured=insured.sum_assured,
            annual_premium=insured.annual_premium,
            conclusion=insured.conclusion or "",
            decision_id=insured.decision_id,
            start_date=today,
            end_date=ends[insured.person_id],
            status="active",
        )
        premiums.copy_terms(insured, row)
        ctx.session.add(row)
        rows.append(row)
        designation = application.details.get("beneficiaries", {}).get(
            str(insured.person_id), {"legal_heirs": True, "beneficiaries": []}
        )
        ctx.session.add(
            BeneficiaryDesignation(
                policy_id=policy.id,
                insured_person_id=insured.person_id,
                version=1,
                legal_heirs=designation["legal_heirs"],
                beneficiaries=designation["beneficiaries"],
                effective_at=now,
                insured_consent=True,
            )
        )
    _schedule(ctx, policy, rows, payment, today)
    months = [term_months(today, end) for end in ends.values()]
    if rv.return_visit_required(None if None in months else max(m for m in months if m is not None)):
        ctx.session.add(
            ReturnVisit(
                policy_id=policy.id,
                status="pending",
                elderly=False,
                due_on=rv.visit_deadline(today, cooling_off_days=product.free_look_days).due,
                attempts=0,
                answers={},
                outcome={},
                created_at=now,
            )
        )
    application.status, application.updated_at = "issued", now
    payment.policy_id = policy.id
    ctx.session.flush()
    ledger_posting.premium_received(ctx, payment, policy)
    holder = next(
        m
        for m in family.get_overview(ctx, application.household_id).members
        if m.person_id == application.policyholder_person_id
    )
    messages.queue(
        ctx,
        MessageKind.POLICY_ISSUED,
        recipient=holder,
        policy_no=policy.policy_no,
        product=(product.name_zh, product.name_en),
        link=f"/policies/{policy.id}",
        on=period.last_day,
    )
    ctx.audit("policy.issue", "policy", policy.id, {"application_id": application.id, "payment_id": payment.id})
    return policy


def _schedule(ctx: ServiceContext, policy: Policy, rows: list[PolicyInsured], payment: Payment, today: date) -> None:
    """Every instalment is the sum of the insureds' parts charged on its due date (``policies.common.premiums``).
    Written in one multi-row statement (nothing reads the new rows' ids here; the ledger posting selects the
    paid one)."""
    frequency = Frequency(policy.frequency)
    schedule = []
    for i in range(instalment_count(policy.payment_term, frequency)):
        paid = i == 0
        due = due_date(today, frequency, i)
        amount = sum(
            (premiums.modal(premiums.annual_on(r, today, due), policy.frequency) for r in rows), Decimal("0.00")
        )
        schedule.append(
            {
                "policy_id": policy.id,
                "seq": i + 1,
                "due_date": due,
                "amount": amount,
                "paid_on": today if paid else None,
                "payment_id": payment.id if paid else None,
                "waived": False,
            }
        )
    ctx.session.flush()  # the insureds first, as the unit of work ordered them before
    ctx.session.execute(insert(_INSTALMENTS), schedule)
