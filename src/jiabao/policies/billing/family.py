"""One family bill (家庭账单, issue 12 item 2).

* The household designates a **family payment account** (:func:`designate_account`): a bank card checked like
  every account (12–19 digits, Luhn check digit), held by an adult member, stored encrypted and shown masked.
* :func:`draw_up` puts every instalment of the household's live policies falling due in a period on one bill
  (premium receivable in the ledger) and sends one reminder naming every policy on it.
* :func:`collect` takes the bill's total in **one debit** from the family account and allocates it to each policy
  (one payment row per policy, one ledger journal for the debit). A declined debit changes no instalment: each
  stays due, and each policy runs its own grace period (``rules.billing``) and reminders. A repeated request with
  the same idempotency key returns the first outcome (the key is recorded on the bill, under its row lock).
* A single policy can still be paid alone (``billing_service.pay_premium``); the bill then collects only what is
  still due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.core.auth import HOUSEHOLD_WRITERS
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.core.idempotency import scoped_key
from jiabao.core.money import ZERO
from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.ledger import service as ledger
from jiabao.notify import Channel, MessageKind
from jiabao.notify.sms import SmsTooLong
from jiabao.policies.billing.common import ENDED, bank_card, check_key, lock_policy, product_names
from jiabao.policies.billing.family_models import FamilyBill, FamilyBillItem, FamilyPaymentAccount
from jiabao.policies.billing.service import apply
from jiabao.policies.common import messages, payments
from jiabao.policies.common.models import Instalment, Policy

ACCOUNT_COLUMN = "family_payment_accounts.account"
BILLABLE = ("in_force", "in_grace")
"""A suspended policy is reinstated (back premiums with interest), not billed; an ended one owes nothing."""
SMS_POLICY_NUMBERS = 6
"""An SMS names up to six policies (then "等N张"); the e-mail always names every one."""


@dataclass(frozen=True)
class DebitOutcome:
    accepted: bool
    reason: str | None = None
    """The bank's reason for a declined debit (e.g. ``insufficient_funds``)."""


DebitGateway = Callable[[str, Decimal, str], DebitOutcome]
"""(account number, amount, reference) → the bank's answer. The platform has no bank link: the default accepts,
as the single-policy payments do; tests and the bank's file import pass a declining one."""


def accept_all(account: str, amount: Decimal, reference: str) -> DebitOutcome:
    return DebitOutcome(True)


@dataclass(frozen=True)
class AccountOut:
    household_id: int
    holder_person_id: int
    holder_name: str
    account_masked: str
    designated_at: str


@dataclass(frozen=True)
class BillLine:
    policy_id: int
    policy_no: str
    product_zh: str
    product_en: str
    holder_name: str
    instalment_seq: int
    due_date: date
    amount: Decimal
    paid: bool
    paid_by_bill: bool


@dataclass(frozen=True)
class BillOut:
    id: int
    bill_no: str
    household_id: int
    period_start: date
    period_end: date
    debit_on: date
    total: Decimal
    outstanding: Decimal
    status: str
    account_masked: str | None
    lines: list[BillLine]
    attempts: list[dict[str, Any]]


@dataclass(frozen=True)
class CollectionOut:
    bill: BillOut
    outcome: str
    """paid | declined"""
    amount: Decimal
    payment_ids: list[int]
    replayed: bool


def _writer(ctx: ServiceContext) -> None:
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Your role may not change the family's billing", "您的角色不能办理家庭缴费业务")


def _active_account(ctx: ServiceContext, household_id: int) -> FamilyPaymentAccount | None:
    stmt = select(FamilyPaymentAccount).where(
        FamilyPaymentAccount.household_id == household_id, FamilyPaymentAccount.active.is_(True)
    )
    return ctx.session.scalars(stmt.order_by(FamilyPaymentAccount.id.desc()).limit(1)).first()


def _account_out(row: FamilyPaymentAccount, overview: HouseholdOut) -> AccountOut:
    names = {m.person_id: m.name for m in overview.members + overview.former_members}
    return AccountOut(
        row.household_id, row.holder_person_id, names.get(row.holder_person_id, ""), row.account_masked,
        row.designated_at.isoformat(),
    )  # fmt: skip


def current_account(ctx: ServiceContext, household_id: int) -> AccountOut | None:
    overview = family.get_overview(ctx, household_id)
    row = _active_account(ctx, household_id)
    return None if row is None else _account_out(row, overview)


def designate_account(ctx: ServiceContext, household_id: int, *, account: str, holder_person_id: int) -> AccountOut:
    """Designate (or change) the family payment account. The holder is an adult active member (18+: the debit
    is the holder's own money); the previous designation is ended, not overwritten."""
    overview = family.get_overview(ctx, household_id)
    _writer(ctx)
    number = bank_card(account)
    holder = next((m for m in overview.members if m.person_id == holder_person_id), None)
    if holder is None or holder.age < 18:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "holder_person_id",
                    "not_adult_member",
                    "账户持有人须为本家庭的成年成员",
                    "The account holder must be an adult member of the family",
                ),
            )
        )
    now = ctx.now()
    previous = _active_account(ctx, household_id)
    if previous is not None:
        previous.active, previous.ended_at = False, now
    row = FamilyPaymentAccount(
        household_id=household_id,
        holder_person_id=holder_person_id,
        account_enc=ctx.cipher.encrypt(ACCOUNT_COLUMN, number),
        account_masked=mask_bank_card(number),
        active=True,
        designated_at=now,
        designated_by=ctx.principal.user_id or None,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit(
        "family.payment_account",
        "household",
        household_id,
        {
            "account": row.account_masked,
            "holder_person_id": holder_person_id,
            "replaces": previous.id if previous else None,
        },
    )
    return _account_out(row, overview)


def _due_rows(ctx: ServiceContext, household_id: int, start: date, end: date) -> list[tuple[Instalment, Policy]]:
    stmt = (
        select(Instalment, Policy)
        .join(Policy, Policy.id == Instalment.policy_id)
        .where(
            Policy.household_id == household_id,
            Policy.status.in_(BILLABLE),
            Instalment.due_date >= start,
            Instalment.due_date <= end,
            Instalment.paid_on.is_(None),
            Instalment.waived.is_(False),
        )
        .order_by(Instalment.due_date, Policy.id, Instalment.seq)
    )
    return [(i, p) for i, p in ctx.session.execute(stmt).all()]


def _bill_no(household_id: int, start: date) -> str:
    return f"FB{start:%Y%m}{household_id:010d}"


def draw_up(ctx: ServiceContext, household_id: int, start: date, end: date) -> BillOut:
    """The bill of ``start`` … ``end`` (one per household and period: drawing it up again returns it). Refused
    when nothing falls due (409 ``nothing_due``)."""
    overview = family.get_overview(ctx, household_id)
    _writer(ctx)
    if end < start or (end - start).days > 92:
        raise InvalidInput(
            fields=(FieldProblem("end", "invalid_period", "账单期间须为1至93天", "A bill covers 1 to 93 days"),)
        )
    existing = ctx.session.scalars(
        select(FamilyBill).where(FamilyBill.household_id == household_id, FamilyBill.period_start == start)
    ).one_or_none()
    if existing is not None:
        return bill_out(ctx, existing, overview)
    rows = _due_rows(ctx, household_id, start, end)
    if not rows:
        raise Conflict("No premium of the family falls due in this period", "本期间没有应缴保费", code="nothing_due")
    account = _active_account(ctx, household_id)
    bill = FamilyBill(
        household_id=household_id,
        bill_no=_bill_no(household_id, start),
        period_start=start,
        period_end=end,
        total=sum((i.amount for i, _ in rows), ZERO),
        status="open",
        payment_account_id=account.id if account else None,
        created_at=ctx.now(),
        attempts=[],
    )
    ctx.session.add(bill)
    ctx.session.flush()
    for instalment, policy in rows:
        ctx.session.add(
            FamilyBillItem(bill_id=bill.id, policy_id=policy.id, instalment_id=instalment.id, amount=instalment.amount)
        )
        ledger.post_due(
            ctx,
            household_id=household_id,
            policy_id=policy.id,
            person_id=policy.policyholder_person_id,
            instalment_id=instalment.id,
            amount=instalment.amount,
            due_date=instalment.due_date,
            bill_id=bill.id,
        )
    ctx.session.flush()
    out = bill_out(ctx, bill, overview)
    _notify(ctx, overview, out, MessageKind.FAMILY_BILL_DUE, out.total)
    ctx.audit("family.bill", "household", household_id, {"bill_no": bill.bill_no, "total": str(bill.total)})
    return out


def _lock_bill(ctx: ServiceContext, bill_id: int) -> FamilyBill:
    stmt = select(FamilyBill).where(FamilyBill.id == bill_id).with_for_update(of=FamilyBill)
    bill = ctx.session.scalars(stmt).one_or_none()
    if bill is None:
        raise NotFound("Family bill not found", "未找到该家庭账单", code="family_bill_not_found")
    return bill


def collect(
    ctx: ServiceContext, bill_id: int, *, idempotency_key: str | None, bank: DebitGateway = accept_all
) -> CollectionOut:
    """One debit of everything on the bill still due, from the family payment account, allocated per policy."""
    bill = _lock_bill(ctx, bill_id)
    overview = family.get_overview(ctx, bill.household_id)  # 404 for a household the caller may not see
    _writer(ctx)
    key = scoped_key(bill.household_id, check_key(idempotency_key))
    earlier = next((a for a in bill.attempts if a["key"] == key), None)
    if earlier is not None:
        out = bill_out(ctx, bill, overview)
        return CollectionOut(out, earlier["outcome"], Decimal(earlier["amount"]), earlier["payment_ids"], True)
    if bill.status == "paid":
        raise Conflict("This family bill is paid", "该家庭账单已缴清", code="family_bill_paid")
    account = _active_account(ctx, bill.household_id)
    if account is None:
        raise Conflict(
            "Designate a family payment account first", "请先指定家庭缴费账户", code="no_family_payment_account"
        )
    due = _still_due(ctx, bill)
    if not due:
        raise Conflict("Every premium on the bill is already paid", "账单上的保费均已缴纳", code="nothing_due")
    amount = sum((i.amount for _, i, _p in due), ZERO)
    number = ctx.cipher.decrypt(ACCOUNT_COLUMN, account.account_enc)
    answer = bank(number, amount, bill.bill_no)
    attempt: dict[str, Any] = {
        "key": key,
        "at": ctx.now().isoformat(),
        "amount": str(amount),
        "account_masked": account.account_masked,
        "outcome": "paid" if answer.accepted else "declined",
        "reason": answer.reason,
        "payment_ids": [],
    }
    if not answer.accepted:
        bill.status = "failed"
        bill.attempts = [*bill.attempts, attempt]
        ctx.session.flush()
        out = bill_out(ctx, bill, overview)
        _notify(ctx, overview, out, MessageKind.FAMILY_BILL_FAILED, amount)
        ctx.audit(
            "family.bill_declined", "household", bill.household_id, {"bill_no": bill.bill_no, "reason": answer.reason}
        )
        return CollectionOut(out, "declined", amount, [], False)
    payment_ids = _allocate(ctx, bill, account, number, key, due)
    attempt["payment_ids"] = payment_ids
    bill.status, bill.paid_at = "paid", ctx.now()
    bill.attempts = [*bill.attempts, attempt]
    ctx.session.flush()
    ctx.audit("family.bill_paid", "household", bill.household_id, {"bill_no": bill.bill_no, "amount": str(amount)})
    return CollectionOut(bill_out(ctx, bill, overview), "paid", amount, payment_ids, False)


def _still_due(ctx: ServiceContext, bill: FamilyBill) -> list[tuple[FamilyBillItem, Instalment, Policy]]:
    stmt = (
        select(FamilyBillItem, Instalment, Policy)
        .join(Instalment, Instalment.id == FamilyBillItem.instalment_id)
        .join(Policy, Policy.id == FamilyBillItem.policy_id)
        .where(FamilyBillItem.bill_id == bill.id, Instalment.paid_on.is_(None), Instalment.waived.is_(False))
        .where(Policy.status.not_in(ENDED))
        .order_by(Policy.id, Instalment.seq)
    )
    return [(b, i, p) for b, i, p in ctx.session.execute(stmt).all()]


def _allocate(
    ctx: ServiceContext,
    bill: FamilyBill,
    account: FamilyPaymentAccount,
    number: str,
    key: str,
    due: list[tuple[FamilyBillItem, Instalment, Policy]],
) -> list[int]:
    today = ctx.clock.today()
    by_policy: dict[int, list[tuple[FamilyBillItem, Instalment, Policy]]] = defaultdict(list)
    for row in due:
        by_policy[row[2].id].append(row)
    parts: list[tuple[int, Decimal, Decimal, list[int]]] = []
    payment_ids: list[int] = []
    for policy_id, rows in by_policy.items():
        locked = lock_policy(ctx, policy_id)
        amount = sum((i.amount for _, i, _p in rows), ZERO)
        payment = payments.receive(
            ctx,
            key=f"{key[:60]}-p{policy_id}",
            kind="family_bill",
            amount=amount,
            account_number=number,
            holder_person_id=account.holder_person_id,
            details={
                "bill_id": bill.id,
                "bill_no": bill.bill_no,
                "instalments": [i.seq for _, i, _p in rows],
                "instalment": rows[0][1].seq,
                "due_date": rows[0][1].due_date.isoformat(),
                "channel": "family_bill",
            },
            policy_id=policy_id,
        )
        for item, instalment, _p in rows:
            instalment.paid_on, instalment.payment_id = today, payment.id
            item.payment_id = payment.id
        ctx.session.flush()
        apply(ctx, locked, today)  # in_grace → in_force where this settles the arrears
        parts.append((policy_id, amount, ZERO, [i.id for _, i, _p in rows]))
        payment_ids.append(payment.id)
    ledger.post_premium(
        ctx,
        household_id=bill.household_id,
        source=f"bill:{bill.id}",
        payment_id=None,
        person_id=account.holder_person_id,
        total=sum((p[1] for p in parts), ZERO),
        parts=parts,
        memo={"kind": "family_bill", "bill_no": bill.bill_no, "payments": payment_ids},
    )
    return payment_ids


def bill_out(ctx: ServiceContext, bill: FamilyBill, overview: HouseholdOut | None = None) -> BillOut:
    overview = overview or family.get_overview(ctx, bill.household_id)
    names = {m.person_id: m.name for m in overview.members + overview.former_members}
    stmt = (
        select(FamilyBillItem, Instalment, Policy)
        .join(Instalment, Instalment.id == FamilyBillItem.instalment_id)
        .join(Policy, Policy.id == FamilyBillItem.policy_id)
        .where(FamilyBillItem.bill_id == bill.id)
        .order_by(Instalment.due_date, Policy.id)
    )
    lines = []
    for item, instalment, policy in ctx.session.execute(stmt).all():
        zh, en = product_names(policy)
        lines.append(
            BillLine(
                policy_id=policy.id,
                policy_no=policy.policy_no,
                product_zh=zh,
                product_en=en,
                holder_name=names.get(policy.policyholder_person_id, ""),
                instalment_seq=instalment.seq,
                due_date=instalment.due_date,
                amount=item.amount,
                paid=instalment.paid_on is not None or instalment.waived,
                paid_by_bill=item.payment_id is not None,
            )
        )
    account = ctx.session.get(FamilyPaymentAccount, bill.payment_account_id) if bill.payment_account_id else None
    active = _active_account(ctx, bill.household_id)
    shown = active or account
    return BillOut(
        id=bill.id,
        bill_no=bill.bill_no,
        household_id=bill.household_id,
        period_start=bill.period_start,
        period_end=bill.period_end,
        debit_on=min((x.due_date for x in lines), default=bill.period_start),
        total=bill.total,
        outstanding=sum((x.amount for x in lines if not x.paid), ZERO),
        status=bill.status,
        account_masked=shown.account_masked if shown else None,
        lines=lines,
        attempts=[{k: v for k, v in a.items() if k != "key"} for a in bill.attempts],
    )


def bills(ctx: ServiceContext, household_id: int, limit: int = 24) -> list[BillOut]:
    overview = family.get_overview(ctx, household_id)
    stmt = (
        select(FamilyBill)
        .where(FamilyBill.household_id == household_id)
        .order_by(FamilyBill.period_start.desc())
        .limit(limit)
    )
    return [bill_out(ctx, b, overview) for b in ctx.session.scalars(stmt)]


def _recipient(ctx: ServiceContext, overview: HouseholdOut) -> MemberOut:
    account = _active_account(ctx, overview.id)
    wanted = account.holder_person_id if account else overview.head_person_id
    return next((m for m in overview.members if m.person_id == wanted), overview.members[0])


def _notify(ctx: ServiceContext, overview: HouseholdOut, bill: BillOut, kind: MessageKind, amount: Decimal) -> None:
    """One message naming every policy on the bill (the SMS names up to six, the e-mail all of them)."""
    numbers = list(dict.fromkeys(x.policy_no for x in bill.lines))
    short = numbers if len(numbers) <= SMS_POLICY_NUMBERS else numbers[:SMS_POLICY_NUMBERS]
    sms_numbers = "、".join(short) + ("" if short == numbers else f"等{len(numbers)}张")
    count = (f"{len(numbers)}张保单", f"{len(numbers)} policies")
    common: dict[str, Any] = {
        "recipient": _recipient(ctx, overview),
        "product": count,
        "link": f"/households/{overview.id}/family-bill",
        "amount": amount,
        "on": bill.debit_on,
        "masked_account": bill.account_masked,
    }
    try:
        messages.queue(ctx, kind, policy_no=sms_numbers, channels=(Channel.SMS,), **common)
    except SmsTooLong:  # long names and greeting: the SMS counts the policies, the e-mail names them
        messages.queue(ctx, kind, policy_no=count[0], channels=(Channel.SMS,), **common)
    messages.queue(ctx, kind, policy_no="、".join(numbers), channels=(Channel.EMAIL,), **common)


def run_period(
    ctx: ServiceContext, start: date, end: date, *, as_of: date, bank: DebitGateway = accept_all
) -> dict[str, int]:
    """The monthly job: a bill for every household with a family payment account and premium due in the period;
    each open bill whose debit day (its first due date) has come is collected once (key ``bill-<no>``)."""
    households = list(
        ctx.session.scalars(
            select(FamilyPaymentAccount.household_id).where(FamilyPaymentAccount.active.is_(True)).distinct()
        )
    )
    counts = {"households": len(households), "bills": 0, "paid": 0, "declined": 0}
    for household_id in households:
        try:
            bill = draw_up(ctx, household_id, start, end)
        except Conflict:
            continue
        counts["bills"] += 1
        if bill.status == "open" and bill.debit_on <= as_of:
            result = collect(ctx, bill.id, idempotency_key=f"bill-{bill.bill_no}", bank=bank)
            counts[result.outcome] += 1
    return counts
