"""The family statement (家庭账户对账单) for any period: every movement of the household's ledger by member and
policy, with running balances from the opening balances at the start of the period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select

from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.ledger.engine import Account, Balances, Movement
from jiabao.ledger.models import LedgerEntry, LedgerJournal
from jiabao.policies.common.models import Policy

MAX_DAYS = 3660


@dataclass(frozen=True)
class StatementRow:
    journal_id: int
    on: date
    movement: Movement
    person_id: int | None
    member: str
    policy_id: int | None
    policy_no: str
    product_code: str
    amount_in: int
    """Fen received from the family for this policy (premium and interest)."""
    amount_out: int
    """Fen paid to the family (refund, cash value, claim)."""
    billed: int
    """Fen of premium put on a bill (receivable)."""
    waived: int
    """Fen of premium paid by the waiver benefit."""
    balance: Balances
    """Household running balances after this row."""
    policy_paid_in: int
    """Running premium received for this policy within the statement (from its opening)."""
    memo: dict[str, object]


@dataclass(frozen=True)
class Statement:
    household_id: int
    account_no: str
    start: date
    end: date
    opening: Balances
    closing: Balances
    rows: list[StatementRow]
    by_member: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Member name → (fen in, fen out) in the period."""
    by_policy: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Policy number → (fen in, fen out) in the period."""

    @property
    def balanced(self) -> bool:
        """The closing balances equal the opening plus the period's rows (recomputed, not carried)."""
        rows = self.rows
        return (
            self.closing.paid_in == self.opening.paid_in + sum(r.amount_in for r in rows)
            and self.closing.paid_out == self.opening.paid_out + sum(r.amount_out for r in rows)
            and self.closing.waived == self.opening.waived + sum(r.waived for r in rows)
        )


def check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput(
            fields=(FieldProblem("end", "before_start", "结束日期不能早于开始日期", "The end is before the start"),)
        )
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(
            fields=(FieldProblem("end", "too_long", "对账期间最长10年", "A statement covers at most 10 years"),)
        )


def opening_balances(ctx: ServiceContext, household_id: int, before: date) -> Balances:
    """Balances from every journal with a value date before ``before`` (one aggregate query)."""
    acct, fen = LedgerEntry.account, LedgerEntry.fen
    bank = Account.FAMILY_BANK.value
    stmt = (
        select(
            func.coalesce(func.sum(case((acct == bank, case((fen > 0, fen), else_=0)), else_=0)), 0),
            func.coalesce(func.sum(case((acct == bank, case((fen < 0, -fen), else_=0)), else_=0)), 0),
            func.coalesce(func.sum(case((acct == Account.PREMIUM_RECEIVABLE.value, fen), else_=0)), 0),
            func.coalesce(func.sum(case((acct == Account.PREMIUM_WAIVED.value, fen), else_=0)), 0),
        )
        .join(LedgerJournal, LedgerJournal.id == LedgerEntry.journal_id)
        .where(LedgerEntry.household_id == household_id, LedgerJournal.occurred_on < before)
    )
    paid_in, paid_out, outstanding, waived = ctx.session.execute(stmt).one()
    return Balances(int(paid_in), int(paid_out), int(outstanding), int(waived))


def statement(ctx: ServiceContext, household_id: int, start: date, end: date) -> Statement:
    """The statement of ``start`` … ``end`` (inclusive). 404 for a household the caller may not see."""
    check_period(start, end)
    overview = family.get_overview(ctx, household_id)
    names = {m.person_id: m.name for m in overview.members + overview.former_members}
    journals = list(
        ctx.session.scalars(
            select(LedgerJournal)
            .where(
                LedgerJournal.household_id == household_id,
                LedgerJournal.occurred_on >= start,
                LedgerJournal.occurred_on <= end,
            )
            .order_by(LedgerJournal.occurred_on, LedgerJournal.id)
        )
    )
    entries: dict[int, list[LedgerEntry]] = defaultdict(list)
    ids = [j.id for j in journals]
    for chunk in range(0, len(ids), 500):
        for e in ctx.session.scalars(select(LedgerEntry).where(LedgerEntry.journal_id.in_(ids[chunk : chunk + 500]))):
            entries[e.journal_id].append(e)
    policies = {p.id: p for p in ctx.session.scalars(select(Policy).where(Policy.household_id == household_id))}
    opening = opening_balances(ctx, household_id, start)
    current = opening
    rows: list[StatementRow] = []
    per_policy: dict[int, int] = defaultdict(int)
    by_member: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_policy: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for j in journals:
        for policy_id, split in _split(j, entries[j.id]).items():
            amount_in, amount_out, receivable, waived = split
            current = Balances(
                current.paid_in + amount_in,
                current.paid_out + amount_out,
                current.outstanding + receivable,
                current.waived + waived,
            )
            policy = policies.get(policy_id) if policy_id else None
            person = j.person_id if j.person_id is not None else (policy.policyholder_person_id if policy else None)
            member = names.get(person, "") if person else ""
            per_policy[policy_id or 0] += amount_in
            policy_no = policy.policy_no if policy else ""
            by_member[member][0] += amount_in
            by_member[member][1] += amount_out
            by_policy[policy_no][0] += amount_in
            by_policy[policy_no][1] += amount_out
            rows.append(
                StatementRow(
                    journal_id=j.id,
                    on=j.occurred_on,
                    movement=Movement(j.movement),
                    person_id=person,
                    member=member,
                    policy_id=policy_id,
                    policy_no=policy_no,
                    product_code=policy.product_code if policy else "",
                    amount_in=amount_in,
                    amount_out=amount_out,
                    billed=receivable if j.movement == Movement.PREMIUM_BILLED.value else 0,
                    waived=waived,
                    balance=current,
                    policy_paid_in=per_policy[policy_id or 0],
                    memo=dict(j.memo or {}),
                )
            )
    return Statement(
        household_id=household_id,
        account_no=overview.account_no,
        start=start,
        end=end,
        opening=opening,
        closing=current,
        rows=rows,
        by_member={k: (v[0], v[1]) for k, v in by_member.items()},
        by_policy={k: (v[0], v[1]) for k, v in by_policy.items()},
    )


def _split(journal: LedgerJournal, lines: list[LedgerEntry]) -> dict[int | None, tuple[int, int, int, int]]:
    """Per policy: (in, out, receivable change, waived). A family bill's single bank line is shared out by what
    each policy settled; every other journal has one policy."""
    out: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    bank = sum(e.fen for e in lines if e.account == Account.FAMILY_BANK.value)
    movement = journal.movement
    for e in lines:
        if e.account == Account.FAMILY_BANK.value:
            continue
        row = out[e.policy_id]
        if e.account == Account.PREMIUM_RECEIVABLE.value:
            row[2] += e.fen
        if e.account == Account.PREMIUM_WAIVED.value:
            row[3] += e.fen
    if movement == Movement.PREMIUM_RECEIVED.value:
        # money in for a policy = the receivable it settled (premium) + its interest
        for policy_id, row in out.items():
            settled = -sum(
                e.fen
                for e in lines
                if e.policy_id == policy_id and e.account == Account.PREMIUM_RECEIVABLE.value and e.fen < 0
            )
            interest = -sum(
                e.fen for e in lines if e.policy_id == policy_id and e.account == Account.INTEREST_INCOME.value
            )
            row[0] = settled + interest
    elif movement in (Movement.REFUND.value, Movement.CASH_VALUE.value, Movement.CLAIM.value):
        row = out[journal.policy_id]
        row[1] = -bank
    return {k: (v[0], v[1], v[2], v[3]) for k, v in out.items()}


def default_period(today: date) -> tuple[date, date]:
    """This calendar year to today."""
    return date(today.year, 1, 1), today


def last_days(today: date, days: int) -> tuple[date, date]:
    return today - timedelta(days=days), today
