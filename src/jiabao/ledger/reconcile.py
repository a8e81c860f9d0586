"""The daily reconciliation (日终对账): the ledger proved against the operating records of one day.

For the Beijing calendar day ``on`` it checks, and reports every difference (never corrects anything):

1. every payment made that day (premiums in; refunds, cash values and claims out; a family bill's debit, whose
   per-policy allocations are payments with a ``bill_id``) has exactly one journal whose ``family_bank`` line
   equals it — and every payment journal posted that day has its payment (no orphan);
2. every claim paid that day: the claim's paid amount equals the money out of its payment journals;
3. every instalment waived (premium waiver) has its waiver journal for the instalment's amount;
4. every journal posted that day balances (Σ debits = Σ credits).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from jiabao.claims.models import Claim, ClaimLine
from jiabao.core.clock import CHINA_TZ
from jiabao.core.money import to_fen
from jiabao.db.context import ServiceContext
from jiabao.ledger import engine
from jiabao.ledger.engine import Account, Difference
from jiabao.ledger.models import LedgerEntry, LedgerJournal
from jiabao.policies.common.models import Instalment, Payment

MONEY_STATUSES = ("succeeded", "pending", "instructed")


@dataclass(frozen=True)
class Report:
    on: date
    payments: int
    journals: int
    claims: int
    waivers: int
    differences: list[Difference] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.differences


def _day(on: date) -> tuple[datetime, datetime]:
    start = datetime.combine(on, time(0), tzinfo=CHINA_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)


def _payment_source(p: Payment) -> str:
    bill = p.details.get("bill_id") if p.kind == "family_bill" else None
    return f"bill:{bill}" if bill is not None else f"payment:{p.id}"


def _payments(ctx: ServiceContext, start: datetime, end: datetime) -> tuple[dict[str, int], int]:
    stmt = select(Payment).where(
        Payment.created_at >= start, Payment.created_at < end, Payment.status.in_(MONEY_STATUSES)
    )
    expected: dict[str, int] = defaultdict(int)
    count = 0
    for p in ctx.session.scalars(stmt):
        count += 1
        expected[_payment_source(p)] += to_fen(p.amount) if p.direction == "in" else -to_fen(p.amount)
    return dict(expected), count


def _lines(ctx: ServiceContext, journal_ids: list[int]) -> dict[int, list[engine.Line]]:
    out: dict[int, list[engine.Line]] = defaultdict(list)
    for chunk in range(0, len(journal_ids), 500):
        ids = journal_ids[chunk : chunk + 500]
        for e in ctx.session.scalars(select(LedgerEntry).where(LedgerEntry.journal_id.in_(ids))):
            out[e.journal_id].append(engine.Line(Account(e.account), e.fen, e.policy_id))
    return out


def reconcile(ctx: ServiceContext, on: date) -> Report:
    start, end = _day(on)
    expected, payments = _payments(ctx, start, end)
    journals = list(
        ctx.session.scalars(
            select(LedgerJournal).where(LedgerJournal.posted_at >= start, LedgerJournal.posted_at < end)
        )
    )
    lines = _lines(ctx, [j.id for j in journals])
    differences: list[Difference] = []
    for j in journals:
        total = sum(x.fen for x in lines.get(j.id, []))
        if total != 0 or len(lines.get(j.id, [])) < 2:
            differences.append(Difference(f"journal:{j.id}", "unbalanced", 0, total))
    money = [j for j in journals if j.source.startswith(("payment:", "bill:"))]
    # a payment made that day whose journal was posted another day is still found by its source
    missing = [s for s in expected if s not in {j.source for j in money}]
    if missing:
        extra = ctx.session.scalars(select(LedgerJournal).where(LedgerJournal.source.in_(missing)))
        money += list(extra)
        lines |= _lines(ctx, [j.id for j in money if j.id not in lines])
    ledger: dict[str, list[int]] = defaultdict(list)
    for j in money:
        ledger[j.source].append(engine.bank_movement(lines.get(j.id, [])))
    differences += engine.compare(expected, dict(ledger))
    claims, claim_diffs = _claims(ctx, start, end, {j.payment_id: j for j in money if j.payment_id}, lines)
    waivers, waiver_diffs = _waivers(ctx)
    differences += claim_diffs + waiver_diffs
    report = Report(on, payments, len(journals), claims, waivers, differences)
    ctx.audit(
        "ledger.reconcile",
        "ledger",
        None,
        {"on": on.isoformat(), "payments": payments, "journals": len(journals), "differences": len(differences)},
    )
    return report


def _claims(
    ctx: ServiceContext,
    start: datetime,
    end: datetime,
    by_payment: dict[int, LedgerJournal],
    lines: dict[int, list[engine.Line]],
) -> tuple[int, list[Difference]]:
    claims = list(ctx.session.scalars(select(Claim).where(Claim.paid_at >= start, Claim.paid_at < end)))
    if not claims:
        return 0, []
    stmt = select(ClaimLine.claim_id, ClaimLine.payment_id).where(
        ClaimLine.claim_id.in_([c.id for c in claims]), ClaimLine.payment_id.is_not(None)
    )
    paid: dict[int, list[int]] = defaultdict(list)
    for claim_id, payment_id in ctx.session.execute(stmt).all():
        if payment_id is not None:
            paid[claim_id].append(payment_id)
    unknown = [p for ids in paid.values() for p in ids if p not in by_payment]
    if unknown:
        for j in ctx.session.scalars(select(LedgerJournal).where(LedgerJournal.payment_id.in_(unknown))):
            by_payment[j.payment_id or 0] = j
        lines |= _lines(ctx, [j.id for j in by_payment.values() if j.id not in lines])
    expected = {f"claim:{c.id}": -to_fen(c.paid_amount) for c in claims}
    ledger = {
        f"claim:{claim_id}": [
            sum(engine.bank_movement(lines.get(by_payment[p].id, [])) for p in ids if p in by_payment)
        ]
        for claim_id, ids in paid.items()
    }
    for c in claims:  # a claim paid nothing (all lines zero) needs no journal
        if expected[f"claim:{c.id}"] == 0 and f"claim:{c.id}" not in ledger:
            ledger[f"claim:{c.id}"] = [0]
    return len(claims), engine.compare(expected, ledger)


def _waivers(ctx: ServiceContext) -> tuple[int, list[Difference]]:
    """Waived instalments are few (one per policy year of a waived policy): all of them are checked every day."""
    rows = list(ctx.session.execute(select(Instalment.id, Instalment.amount).where(Instalment.waived.is_(True))))
    expected = {f"waiver:{i}": to_fen(amount) for i, amount in rows}
    stmt = (
        select(LedgerJournal.source, func.sum(LedgerEntry.fen))
        .join(LedgerEntry, LedgerEntry.journal_id == LedgerJournal.id)
        .where(LedgerJournal.movement == engine.Movement.PREMIUM_WAIVED.value)
        .where(LedgerEntry.account == Account.PREMIUM_WAIVED.value)
        .group_by(LedgerJournal.source)
    )
    ledger = {source: [int(total)] for source, total in ctx.session.execute(stmt)}
    return len(rows), engine.compare(expected, ledger)
