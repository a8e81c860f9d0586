"""Reading the ledger in tests: journals with their lines, the whole-ledger balance, the reconciliation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from jiabao.db.session import unit_of_work
from jiabao.ledger.engine import Account, Line
from jiabao.ledger.models import LedgerEntry, LedgerJournal
from jiabao.ledger.reconcile import Report, reconcile
from jiabao.runtime import Runtime
from tests.factories import ctx_for


@dataclass(frozen=True)
class Posted:
    id: int
    movement: str
    source: str
    policy_id: int | None
    payment_id: int | None
    occurred_on: date
    lines: tuple[Line, ...]

    @property
    def bank(self) -> int:
        return sum(x.fen for x in self.lines if x.account is Account.FAMILY_BANK)

    def on(self, account: Account, policy_id: int | None = None) -> int:
        return sum(
            x.fen for x in self.lines if x.account is account and (policy_id is None or x.policy_id == policy_id)
        )


def journals(runtime: Runtime, household_id: int | None = None) -> list[Posted]:
    with unit_of_work(runtime.sessions) as session:
        stmt = select(LedgerJournal).order_by(LedgerJournal.id)
        if household_id is not None:
            stmt = stmt.where(LedgerJournal.household_id == household_id)
        out = []
        for j in session.scalars(stmt):
            entries = session.scalars(select(LedgerEntry).where(LedgerEntry.journal_id == j.id)).all()
            lines = tuple(Line(Account(e.account), e.fen, e.policy_id) for e in entries)
            out.append(Posted(j.id, j.movement, j.source, j.policy_id, j.payment_id, j.occurred_on, lines))
        return out


def assert_balanced(runtime: Runtime) -> list[Posted]:
    """Double entry: every journal balances, hence the whole ledger does."""
    posted = journals(runtime)
    for j in posted:
        assert sum(x.fen for x in j.lines) == 0, j
        assert len(j.lines) >= 2
    return posted


def reconcile_on(runtime: Runtime, day: date) -> Report:
    with unit_of_work(runtime.sessions) as session:
        return reconcile(ctx_for(runtime, session), day)
