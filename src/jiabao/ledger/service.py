"""Posting (记账): the one place that writes the household ledger. Callers pass plain values (no other domain's
rows), the engine gives the balanced lines, and the journal is flushed in the caller's transaction — so a money
movement and its entries commit together or not at all. Posting the same ``source`` twice returns the first
journal (exactly once, like the payments' idempotency keys)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, insert, select

from jiabao.core.money import to_fen
from jiabao.db.context import ServiceContext
from jiabao.ledger import engine
from jiabao.ledger.engine import Account, Allocation, Line, Movement
from jiabao.ledger.models import LedgerEntry, LedgerJournal

PREMIUM_KINDS = frozenset({"first_premium", "renewal_premium", "reinstatement"})
PAYOUT_KINDS = {
    "refund": Movement.REFUND,
    "surrender": Movement.CASH_VALUE,
    "termination_cash_value": Movement.CASH_VALUE,
    "claim": Movement.CLAIM,
}


_LEDGER_ENTRIES = cast(Table, LedgerEntry.__table__)
"""Core inserts of several rows in one statement (the ORM writes these rows one by one on SQLite)."""


def journal_by_source(ctx: ServiceContext, source: str) -> LedgerJournal | None:
    return ctx.session.scalars(select(LedgerJournal).where(LedgerJournal.source == source)).one_or_none()


def post(
    ctx: ServiceContext,
    *,
    household_id: int,
    movement: Movement,
    source: str,
    lines: Sequence[Line],
    occurred_on: date | None = None,
    policy_id: int | None = None,
    person_id: int | None = None,
    payment_id: int | None = None,
    memo: dict[str, Any] | None = None,
) -> LedgerJournal:
    """Write one balanced journal (the engine refuses an unbalanced one before anything is written)."""
    kept = engine.check_balanced(lines)
    existing = journal_by_source(ctx, source)
    if existing is not None:
        return existing
    journal = LedgerJournal(
        household_id=household_id,
        movement=movement.value,
        source=source,
        occurred_on=occurred_on or ctx.clock.today(),
        posted_at=ctx.now(),
        policy_id=policy_id,
        person_id=person_id,
        payment_id=payment_id,
        memo=memo or {},
    )
    ctx.session.add(journal)
    ctx.session.flush()
    if kept:
        ctx.session.execute(  # one multi-row statement; nothing reads the entries' ids
            insert(_LEDGER_ENTRIES),
            [
                {
                    "journal_id": journal.id,
                    "household_id": household_id,
                    "account": line.account.value,
                    "policy_id": line.policy_id,
                    "fen": line.fen,
                }
                for line in kept
            ],
        )
    return journal


def billed_fen(ctx: ServiceContext, instalment_ids: Sequence[int]) -> int:
    """Premium of these instalments already posted as receivable by a family bill (``due:<id>`` journals)."""
    if not instalment_ids:
        return 0
    stmt = (
        select(LedgerEntry.fen)
        .join(LedgerJournal, LedgerJournal.id == LedgerEntry.journal_id)
        .where(
            LedgerJournal.source.in_([f"due:{i}" for i in instalment_ids]),
            LedgerEntry.account == Account.PREMIUM_RECEIVABLE.value,
        )
    )
    return sum(ctx.session.scalars(stmt))


def post_due(
    ctx: ServiceContext,
    *,
    household_id: int,
    policy_id: int,
    person_id: int,
    instalment_id: int,
    amount: Decimal,
    due_date: date,
    bill_id: int,
) -> LedgerJournal:
    """An instalment put on a family bill: premium receivable until the debit succeeds or the policy pays alone."""
    return post(
        ctx,
        household_id=household_id,
        movement=Movement.PREMIUM_BILLED,
        source=f"due:{instalment_id}",
        lines=engine.billed(policy_id, to_fen(amount)),
        occurred_on=due_date,
        policy_id=policy_id,
        person_id=person_id,
        memo={"instalment_id": instalment_id, "bill_id": bill_id},
    )


def post_premium(
    ctx: ServiceContext,
    *,
    household_id: int,
    source: str,
    payment_id: int | None,
    person_id: int,
    total: Decimal,
    parts: Sequence[tuple[int, Decimal, Decimal, Sequence[int]]],
    memo: dict[str, Any] | None = None,
) -> LedgerJournal:
    """Money in: ``parts`` are (policy, premium, interest, instalment ids) — one part for a single policy's
    payment, one per policy for a family bill's debit."""
    ids = [i for part in parts for i in part[3]]
    allocations = [
        Allocation(policy_id, to_fen(premium), to_fen(interest), billed_fen(ctx, instalments))
        for policy_id, premium, interest, instalments in parts
    ]
    single = parts[0][0] if len(parts) == 1 else None
    return post(
        ctx,
        household_id=household_id,
        movement=Movement.PREMIUM_RECEIVED,
        source=source,
        lines=engine.received(to_fen(total), allocations),
        policy_id=single,
        person_id=person_id,
        payment_id=payment_id,
        memo={"instalments": ids, **(memo or {})},
    )


def post_payment(
    ctx: ServiceContext,
    *,
    household_id: int,
    payment_id: int,
    kind: str,
    policy_id: int,
    person_id: int,
    amount: Decimal,
    details: dict[str, Any],
    instalment_ids: Sequence[int] = (),
) -> LedgerJournal:
    """A row of ``payments`` (first, renewal or reinstatement premium; refund; cash value; claim), by its kind."""
    source = f"payment:{payment_id}"
    if kind in PREMIUM_KINDS:
        interest = Decimal(str(details.get("interest", "0")))
        part = (policy_id, amount - interest, interest, tuple(instalment_ids))
        return post_premium(
            ctx,
            household_id=household_id,
            source=source,
            payment_id=payment_id,
            person_id=person_id,
            total=amount,
            parts=[part],
            memo={"kind": kind},
        )
    movement = PAYOUT_KINDS[kind]
    memo = {"kind": kind} | {k: details[k] for k in ("claim_id", "benefit", "fee", "reason") if k in details}
    return post(
        ctx,
        household_id=household_id,
        movement=movement,
        source=source,
        lines=engine.paid_out(movement, policy_id, to_fen(amount)),
        policy_id=policy_id,
        person_id=person_id,
        payment_id=payment_id,
        memo=memo,
    )


def post_waiver(
    ctx: ServiceContext,
    *,
    household_id: int,
    policy_id: int,
    person_id: int,
    instalment_id: int,
    amount: Decimal,
    due_date: date,
    claim_id: int,
) -> LedgerJournal:
    """One instalment the waiver benefit pays, on its due date (value date), posted when the waiver is granted."""
    was_billed = billed_fen(ctx, [instalment_id]) > 0
    return post(
        ctx,
        household_id=household_id,
        movement=Movement.PREMIUM_WAIVED,
        source=f"waiver:{instalment_id}",
        lines=engine.waived(policy_id, to_fen(amount), was_billed=was_billed),
        occurred_on=due_date,
        policy_id=policy_id,
        person_id=person_id,
        memo={"instalment_id": instalment_id, "claim_id": claim_id},
    )
