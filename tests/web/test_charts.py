"""Chart data for the household page (issue 11 item 10): premiums due month by month follow each policy's
frequency from its next due date; waived and ended policies count nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jiabao.web.charts import premiums_by_month


@dataclass
class P:
    next_due_date: date | None
    next_due_amount: Decimal | None
    instalment: Decimal
    frequency: str
    status: str = "in_force"
    premium_waived_from: date | None = None


def test_premiums_fall_in_the_months_they_are_due() -> None:
    today = date(2026, 11, 26)
    quarterly = P(date(2027, 1, 5), Decimal("300.00"), Decimal("300.00"), "quarterly")
    annual = P(date(2026, 12, 1), Decimal("1200.00"), Decimal("1200.00"), "annual")
    waived = P(date(2026, 12, 1), Decimal("99.00"), Decimal("99.00"), "monthly", premium_waived_from=date(2026, 1, 1))
    ended = P(date(2026, 12, 1), Decimal("99.00"), Decimal("99.00"), "monthly", status="surrendered")
    months = dict(premiums_by_month([quarterly, annual, waived, ended], today))
    assert next(iter(months)) == "2026-11" and len(months) == 12
    assert months["2026-12"] == Decimal("1200.00")
    assert [months[m] for m in ("2027-01", "2027-04", "2027-07", "2027-10")] == [Decimal("300.00")] * 4
    assert sum(months.values()) == Decimal("2400.00")
