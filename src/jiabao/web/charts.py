"""Chart data for the household page (issue 11 item 10): cover per member and the premiums due month by month over
the next twelve months. Pure functions of what the page already shows; Chart.js (npm) draws them from data
attributes, and a table beside each chart carries the same figures for screen readers and without script."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

MONTHS_A_YEAR = {"annual": 1, "semi_annual": 2, "quarterly": 4, "monthly": 12}
LIVE = ("in_force", "in_grace", "active")


def cover_by_member(members: Sequence[Any], covers: Mapping[int, list[dict[str, Any]]]) -> list[tuple[str, Decimal]]:
    """Each member's total sum assured across the household's active policies (members without cover show 0)."""
    return [(m.name, sum((c["sum_assured"] for c in covers.get(m.person_id, [])), Decimal(0))) for m in members]


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def premiums_by_month(policies: Iterable[Any], today: date) -> list[tuple[str, Decimal]]:
    """The instalments falling due in each of the next 12 months (from each policy's next due date and its
    frequency); waived premiums and ended policies count nothing."""
    months = [_add_months(today, k) for k in range(12)]
    totals = {ym: Decimal(0) for ym in months}
    for p in policies:
        if p.next_due_date is None or p.premium_waived_from is not None or p.status not in LIVE:
            continue
        step = 12 // MONTHS_A_YEAR.get(p.frequency, 1)
        for k in range(0, 24, step):
            ym = _add_months(p.next_due_date, k)
            if ym in totals:
                totals[ym] += p.next_due_amount if k == 0 and p.next_due_amount is not None else p.instalment
    return [(f"{y}-{m:02d}", totals[(y, m)]) for y, m in months]
