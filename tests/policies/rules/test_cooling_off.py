"""Cooling-off (犹豫期): day 15 vs day 16, the ¥10 fee cap, surrender at cash value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.policies.rules.cooling_off import CancellationKind, cancellation_refund, cooling_off_period

RECEIVED = date(2025, 3, 1)


def test_period_starts_the_day_after_receipt() -> None:
    period = cooling_off_period(RECEIVED)
    assert (period.first_day, period.last_day) == (date(2025, 3, 2), date(2025, 3, 16))
    assert period.day_number(date(2025, 3, 16)) == 15
    assert period.contains(RECEIVED) and not period.contains(date(2025, 3, 17))


def test_cancellation_on_day_15_refunds_less_ten_yuan() -> None:
    result = cancellation_refund(received_on=RECEIVED, requested_on=date(2025, 3, 16), premium_paid=Decimal("5000"))
    assert result.kind is CancellationKind.COOLING_OFF
    assert (result.refund, result.deduction) == (Decimal("4990.00"), Decimal("10.00"))
    assert "day 15 of 15" in result.basis


def test_request_on_day_16_is_a_surrender_at_cash_value() -> None:
    result = cancellation_refund(
        received_on=RECEIVED,
        requested_on=date(2025, 3, 17),
        premium_paid=Decimal("5000"),
        cash_value=Decimal("1200.50"),
    )
    assert result.kind is CancellationKind.SURRENDER
    assert (result.refund, result.deduction) == (Decimal("1200.50"), Decimal("3799.50"))  # loss 5000 − 1200.50
    assert "art. 47" in result.basis


def test_surrender_needs_the_cash_value() -> None:
    with pytest.raises(InvalidInput) as exc:
        cancellation_refund(received_on=RECEIVED, requested_on=date(2025, 4, 1), premium_paid=Decimal("5000"))
    assert exc.value.fields[0].field == "cash_value"


def test_cash_value_above_premium_has_no_loss() -> None:
    result = cancellation_refund(
        received_on=RECEIVED, requested_on=date(2030, 3, 1), premium_paid=Decimal("5000"), cash_value=Decimal("5100")
    )
    assert (result.refund, result.deduction) == (Decimal("5100.00"), Decimal("0.00"))


def test_fee_never_exceeds_the_premium_or_ten_yuan() -> None:
    small = cancellation_refund(received_on=RECEIVED, requested_on=RECEIVED, premium_paid=Decimal("8"))
    assert (small.refund, small.deduction) == (Decimal("0.00"), Decimal("8.00"))
    no_fee = cancellation_refund(
        received_on=RECEIVED, requested_on=RECEIVED, premium_paid=Decimal("300"), production_fee=Decimal("0")
    )
    assert no_fee.refund == Decimal("300.00")
    with pytest.raises(InvalidInput):
        cancellation_refund(
            received_on=RECEIVED, requested_on=RECEIVED, premium_paid=Decimal("300"), production_fee=Decimal("10.01")
        )


def test_product_specific_length() -> None:
    # A 20-day product: day 20 = 21 Mar is inside, 22 Mar is not.
    inside = cancellation_refund(
        received_on=RECEIVED, requested_on=date(2025, 3, 21), premium_paid=Decimal("100"), days=20
    )
    assert inside.kind is CancellationKind.COOLING_OFF
    ten = cooling_off_period(RECEIVED, days=10)
    assert ten.last_day == date(2025, 3, 11)
    with pytest.raises(InvalidInput):
        cooling_off_period(RECEIVED, days=10, long_term_health=True)  # health needs at least 15
    assert cooling_off_period(RECEIVED, days=15, long_term_health=True).last_day == date(2025, 3, 16)


def test_period_across_february_in_a_leap_year() -> None:
    # Received 20 Feb 2024: 15 days → 6 Mar (9 days of Feb incl. the 29th, then 6).
    assert cooling_off_period(date(2024, 2, 20)).last_day == date(2024, 3, 6)


def test_bad_requests() -> None:
    with pytest.raises(InvalidInput):
        cancellation_refund(received_on=RECEIVED, requested_on=date(2025, 2, 28), premium_paid=Decimal("100"))
    with pytest.raises(InvalidInput):
        cancellation_refund(received_on=RECEIVED, requested_on=RECEIVED, premium_paid=Decimal("-1"))
