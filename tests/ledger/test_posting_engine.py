"""The posting engine: every money path posts a balanced journal (Σ debits = Σ credits), in whole fen, and the
running balances of the family statement follow from the lines alone (double entry, 复式记账)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiabao.ledger import engine
from jiabao.ledger.engine import Account, Allocation, Balances, Movement, Unbalanced

fen = st.integers(min_value=0, max_value=10**11)
policy = st.integers(min_value=1, max_value=10**6)


def _sum(lines: tuple[engine.Line, ...]) -> int:
    return sum(x.fen for x in lines)


@st.composite
def allocations(draw: st.DrawFn) -> list[Allocation]:
    out = []
    for _ in range(draw(st.integers(1, 7))):  # a family bill covers up to 7 members' policies and more
        premium = draw(fen)
        out.append(Allocation(draw(policy), premium, draw(fen), draw(st.integers(0, premium))))
    return out


@given(allocations())
def test_premium_received_balances_and_banks_the_total(parts: list[Allocation]) -> None:
    """A premium received (single policy or a family bill) balances, and the family account is debited the total."""
    total = sum(a.premium_fen + a.interest_fen for a in parts)
    if total == 0:
        return
    lines = engine.received(total, parts)
    assert _sum(lines) == 0
    assert engine.bank_movement(lines) == total
    for a in parts:  # each policy's receivable falls by exactly what was billed before (settled), net of this journal
        receivable = sum(x.fen for x in lines if x.account is Account.PREMIUM_RECEIVABLE and x.policy_id == a.policy_id)
        assert receivable == -sum(b.billed_fen for b in parts if b.policy_id == a.policy_id)


@given(allocations(), st.integers(min_value=1, max_value=10**6))
def test_allocations_that_do_not_add_up_are_refused(parts: list[Allocation], off: int) -> None:
    total = sum(a.premium_fen + a.interest_fen for a in parts) + off
    with pytest.raises(Unbalanced):
        engine.received(total, parts)


@given(policy, fen.filter(lambda x: x > 0), st.sampled_from([Movement.REFUND, Movement.CASH_VALUE, Movement.CLAIM]))
def test_payouts_balance_and_pay_the_family(policy_id: int, amount: int, kind: Movement) -> None:
    """Refund (cooling-off, Insurance Law art. 15 / regulation.md §2.1), cash value (art. 47), claim (art. 23)."""
    lines = engine.paid_out(kind, policy_id, amount)
    assert _sum(lines) == 0
    assert engine.bank_movement(lines) == -amount
    payable = engine.PAYOUT_PAYABLE[kind]
    assert sum(x.fen for x in lines if x.account is payable) == 0  # owed, then paid by the bank instruction


@given(policy, fen.filter(lambda x: x > 0), st.booleans())
def test_waiver_balances_and_moves_no_money(policy_id: int, amount: int, was_billed: bool) -> None:
    """A waived premium (一人出险全家豁免) is settled by the benefit: nothing from or to the family's account."""
    lines = engine.waived(policy_id, amount, was_billed=was_billed)
    assert _sum(lines) == 0 and engine.bank_movement(lines) == 0
    assert sum(x.fen for x in lines if x.account is Account.PREMIUM_WAIVED) == amount
    receivable = sum(x.fen for x in lines if x.account is Account.PREMIUM_RECEIVABLE)
    assert receivable == (-amount if was_billed else 0)


@given(policy, fen.filter(lambda x: x > 0))
def test_bill_then_payment_leaves_nothing_outstanding(policy_id: int, amount: int) -> None:
    journals = [engine.billed(policy_id, amount), engine.received(amount, [Allocation(policy_id, amount, 0, amount)])]
    after = engine.running(journals)
    assert after[0] == Balances(0, 0, amount, 0)  # billed: due, not paid (a failed debit stops here)
    assert after[1] == Balances(amount, 0, 0, 0)


@given(st.lists(st.tuples(policy, fen.filter(lambda x: x > 0), st.sampled_from(list(Movement))), max_size=30))
def test_running_balances_follow_the_lines(moves: list[tuple[int, int, Movement]]) -> None:
    journals = []
    for policy_id, amount, kind in moves:
        if kind is Movement.PREMIUM_BILLED:
            journals.append(engine.billed(policy_id, amount))
        elif kind is Movement.PREMIUM_RECEIVED:
            journals.append(engine.received(amount, [Allocation(policy_id, amount)]))
        elif kind is Movement.PREMIUM_WAIVED:
            journals.append(engine.waived(policy_id, amount))
        else:
            journals.append(engine.paid_out(kind, policy_id, amount))
    balances = engine.running(journals)
    every = [line for j in journals for line in j]
    assert sum(x.fen for x in every) == 0  # the whole ledger balances
    last = balances[-1] if balances else Balances(0, 0, 0, 0)
    assert last.net == sum(engine.bank_movement(j) for j in journals)


def test_unbalanced_and_bad_amounts_are_refused() -> None:
    with pytest.raises(Unbalanced):
        engine.check_balanced([engine.Line(Account.FAMILY_BANK, 100), engine.Line(Account.PREMIUM_INCOME, -99)])
    with pytest.raises(Unbalanced):
        engine.billed(1, -5)
    with pytest.raises(Unbalanced):
        engine.received(100, [Allocation(1, 100, 0, 101)])  # more billed than paid


def test_compare_reports_each_kind_of_difference() -> None:
    diffs = engine.compare(
        {"payment:1": 100, "payment:2": 200, "payment:3": 300, "payment:5": 50},
        {"payment:1": [100], "payment:2": [201], "payment:4": [7], "payment:5": [50, 50]},
    )
    assert [(d.source, d.problem) for d in diffs] == [
        ("payment:2", "amount_mismatch"),
        ("payment:3", "missing_journal"),
        ("payment:4", "orphan_journal"),
        ("payment:5", "duplicate_journal"),
    ]
