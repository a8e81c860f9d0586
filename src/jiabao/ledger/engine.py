"""The posting engine (pure): which balanced lines each money movement of a household posts.

Amounts are integer fen; a line's ``fen`` is positive for a debit and negative for a credit, so a journal
balances when its lines sum to zero (:func:`check_balanced`). The accounts are the insurer's sub-ledger of one
household (chart in ``docs/ledger.md``):

* ``family_bank`` — money between the family's accounts and the insurer: debit = received from the family,
  credit = paid to the family.
* ``premium_receivable`` (per policy) — premium due and not yet settled (a family bill posts it when the bill is
  drawn up; a failed debit leaves it open).
* ``premium_income`` (per policy), ``interest_income`` (per policy: interest on back premiums at reinstatement).
* ``premium_waived`` (per policy) — premiums the waiver benefit pays (一人出险全家豁免).
* ``refunds_payable`` (per policy) — a cooling-off refund or a cash value owed to the family.
* ``surrender_paid`` (per policy) — cash values paid (surrender, termination after two years' suspension).
* ``claims_payable`` / ``claims_paid`` (per policy).

No movement is ever edited: a mistake is put right by a new journal (the tables refuse UPDATE and DELETE).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Account(StrEnum):
    FAMILY_BANK = "family_bank"
    PREMIUM_RECEIVABLE = "premium_receivable"
    PREMIUM_INCOME = "premium_income"
    INTEREST_INCOME = "interest_income"
    PREMIUM_WAIVED = "premium_waived"
    REFUNDS_PAYABLE = "refunds_payable"
    SURRENDER_PAID = "surrender_paid"
    CLAIMS_PAYABLE = "claims_payable"
    CLAIMS_PAID = "claims_paid"


class Movement(StrEnum):
    """The kinds of journal; the statement names each in Chinese and English."""

    PREMIUM_BILLED = "premium_billed"
    PREMIUM_RECEIVED = "premium_received"
    PREMIUM_WAIVED = "premium_waived"
    REFUND = "refund"
    CASH_VALUE = "cash_value"
    CLAIM = "claim"


PAYOUT_EXPENSE = {
    Movement.REFUND: Account.PREMIUM_INCOME,  # the cooling-off refund gives the premium back (less the fee)
    Movement.CASH_VALUE: Account.SURRENDER_PAID,
    Movement.CLAIM: Account.CLAIMS_PAID,
}
PAYOUT_PAYABLE = {
    Movement.REFUND: Account.REFUNDS_PAYABLE,
    Movement.CASH_VALUE: Account.REFUNDS_PAYABLE,
    Movement.CLAIM: Account.CLAIMS_PAYABLE,
}


class Unbalanced(ValueError):
    """A journal whose debits and credits differ, or an amount that is not a positive whole number of fen."""


@dataclass(frozen=True)
class Line:
    account: Account
    fen: int
    """Positive: debit. Negative: credit."""
    policy_id: int | None = None


@dataclass(frozen=True)
class Allocation:
    """One policy's share of a premium received: premium (settling that many fen of receivable) and interest."""

    policy_id: int
    premium_fen: int
    interest_fen: int = 0
    billed_fen: int = 0
    """Premium already posted as receivable (put on a family bill): only its settlement is posted here."""


def _positive(fen: int, what: str) -> int:
    if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
        raise Unbalanced(f"{what} must be a whole, non-negative number of fen: {fen!r}")
    return fen


def check_balanced(lines: Sequence[Line]) -> tuple[Line, ...]:
    """The lines unchanged if they balance (Σ fen = 0, at least two lines, no zero line); else :class:`Unbalanced`."""
    kept = tuple(line for line in lines if line.fen != 0)
    if len(kept) < 2:
        raise Unbalanced("a journal needs at least one debit and one credit")
    total = sum(line.fen for line in kept)
    if total != 0:
        raise Unbalanced(f"debits and credits differ by {total} fen")
    return kept


def billed(policy_id: int, premium_fen: int) -> tuple[Line, ...]:
    """A premium falling due on a bill: receivable up, income recognised."""
    fen = _positive(premium_fen, "premium")
    return check_balanced(
        [Line(Account.PREMIUM_RECEIVABLE, fen, policy_id), Line(Account.PREMIUM_INCOME, -fen, policy_id)]
    )


def received(total_fen: int, allocations: Iterable[Allocation]) -> tuple[Line, ...]:
    """Money in from the family, allocated to policies. Premium not yet billed is recognised in the same journal,
    so the receivable of an unbilled premium goes up and down at once and income is never missed. The
    allocations must add up to the total (else :class:`Unbalanced`)."""
    total = _positive(total_fen, "amount received")
    lines = [Line(Account.FAMILY_BANK, total)]
    for a in allocations:
        premium, interest = _positive(a.premium_fen, "premium"), _positive(a.interest_fen, "interest")
        recognise = premium - _positive(a.billed_fen, "premium billed")
        if recognise < 0:
            raise Unbalanced(f"more premium billed ({a.billed_fen}) than received ({premium}) for policy {a.policy_id}")
        lines += [
            Line(Account.PREMIUM_RECEIVABLE, recognise, a.policy_id),
            Line(Account.PREMIUM_INCOME, -recognise, a.policy_id),
        ]
        lines += [
            Line(Account.PREMIUM_RECEIVABLE, -premium, a.policy_id),
            Line(Account.INTEREST_INCOME, -interest, a.policy_id),
        ]
    return check_balanced(lines)


def waived(policy_id: int, premium_fen: int, *, was_billed: bool = False) -> tuple[Line, ...]:
    """A premium the waiver benefit pays: recognised (unless billed) and settled by the waiver, not by the family."""
    fen = _positive(premium_fen, "premium")
    lines = [Line(Account.PREMIUM_WAIVED, fen, policy_id), Line(Account.PREMIUM_RECEIVABLE, -fen, policy_id)]
    if not was_billed:
        lines += [Line(Account.PREMIUM_RECEIVABLE, fen, policy_id), Line(Account.PREMIUM_INCOME, -fen, policy_id)]
    return check_balanced(lines)


def paid_out(kind: Movement, policy_id: int, amount_fen: int) -> tuple[Line, ...]:
    """Money out to the family (refund, cash value, claim): the obligation, then its payment by bank instruction."""
    if kind not in PAYOUT_EXPENSE:
        raise ValueError(f"not a payout: {kind}")
    fen = _positive(amount_fen, "amount paid")
    payable = PAYOUT_PAYABLE[kind]
    return check_balanced(
        [
            Line(PAYOUT_EXPENSE[kind], fen, policy_id),
            Line(payable, -fen, policy_id),
            Line(payable, fen, policy_id),
            Line(Account.FAMILY_BANK, -fen),
        ]
    )


@dataclass(frozen=True)
class Balances:
    """What the family statement's running columns show after a movement."""

    paid_in: int
    """Money received from the family so far (family_bank debits)."""
    paid_out: int
    """Money paid to the family so far (family_bank credits)."""
    outstanding: int
    """Premium billed and not yet settled (Σ premium_receivable)."""
    waived: int
    """Premiums paid by the waiver benefit so far."""

    @property
    def net(self) -> int:
        return self.paid_in - self.paid_out


def running(journals: Iterable[Sequence[Line]], opening: Balances = Balances(0, 0, 0, 0)) -> list[Balances]:
    """The balances after each journal, in order, from ``opening``."""
    out: list[Balances] = []
    current = opening
    for lines in journals:
        bank_in = sum(x.fen for x in lines if x.account is Account.FAMILY_BANK and x.fen > 0)
        bank_out = -sum(x.fen for x in lines if x.account is Account.FAMILY_BANK and x.fen < 0)
        receivable = sum(x.fen for x in lines if x.account is Account.PREMIUM_RECEIVABLE)
        waiver = sum(x.fen for x in lines if x.account is Account.PREMIUM_WAIVED)
        current = Balances(
            current.paid_in + bank_in,
            current.paid_out + bank_out,
            current.outstanding + receivable,
            current.waived + waiver,
        )
        out.append(current)
    return out


def bank_movement(lines: Sequence[Line]) -> int:
    """The journal's net effect on ``family_bank``: + received from the family, − paid to it."""
    return sum(x.fen for x in lines if x.account is Account.FAMILY_BANK)


@dataclass(frozen=True)
class Difference:
    """One reconciliation finding: what was expected from the operating record and what the ledger holds."""

    source: str
    """``payment:12``, ``instalment:40``, ``claim:7``, ``journal:3`` or ``bill:5``."""
    problem: str
    """missing_journal | amount_mismatch | unbalanced | orphan_journal | duplicate_journal | household_mismatch"""
    expected_fen: int | None
    ledger_fen: int | None


def compare(expected: dict[str, int], ledger: dict[str, list[int]]) -> list[Difference]:
    """Operating records (source → fen expected on ``family_bank`` or on the account checked) against the ledger
    (source → the amounts of every journal posted for it). Sorted by source."""
    out: list[Difference] = []
    for source in sorted(set(expected) | set(ledger)):
        want, have = expected.get(source), ledger.get(source, [])
        if want is None:
            out.append(Difference(source, "orphan_journal", None, sum(have)))
        elif not have:
            out.append(Difference(source, "missing_journal", want, None))
        elif len(have) > 1:
            out.append(Difference(source, "duplicate_journal", want, sum(have)))
        elif have[0] != want:
            out.append(Difference(source, "amount_mismatch", want, have[0]))
    return out
