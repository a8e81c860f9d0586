"""A policy's cash value on a day, for loans, reductions and paid-up conversions — the same convention as surrender
(``rules.cash_value``: interpolated between the quote's end-of-year values at min(years elapsed, years paid for)),
read without the household's access rules so jobs and the claims path can use it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.core.money import ZERO, to_decimal
from jiabao.policies.common.models import Instalment, Policy
from jiabao.policies.rules import cash_value as cv
from jiabao.policies.rules.schedule import Frequency


def position_years(session: Session, policy: Policy, on: date) -> Decimal:
    """min(years elapsed, years paid for) on ``on``."""
    paid = session.scalars(
        select(Instalment.id).where(
            Instalment.policy_id == policy.id, (Instalment.paid_on.is_not(None)) | (Instalment.waived.is_(True))
        )
    ).all()
    where = cv.position(policy.effective_date, max(on, policy.effective_date))
    return min(where.years, cv.paid_years(len(paid), Frequency(policy.frequency).per_year))


def member_tables(policy: Policy) -> dict[int, dict[int, Decimal]]:
    """Each active insured's end-of-year cash values (all lines summed)."""
    active = {i.person_id for i in policy.insureds if i.status == "active"}
    out: dict[int, dict[int, Decimal]] = {}
    for member in policy.details.get("quote", {}).get("members", []):
        person = int(member["person_id"])
        if person not in active:
            continue
        table = out.setdefault(person, {})
        for line in member.get("lines", []):
            for row in line.get("cash_values", []):
                year = int(row["policy_year"])
                table[year] = table.get(year, ZERO) + Decimal(str(row["cash_value"]))
    return out


def one_year(policy: Policy) -> bool:
    lines = [line for m in policy.details.get("quote", {}).get("members", []) for line in m.get("lines", [])]
    if lines:
        return all(int(line.get("cover_years") or 0) == 1 for line in lines)
    return policy.cover_years == 1


def cash_value(session: Session, policy: Policy, on: date, *, person_id: int | None = None) -> Decimal:
    """The policy's cash value on ``on`` (one insured's with ``person_id``); 0 for one-year products, whose
    unearned premium is not lendable."""
    if one_year(policy):
        return ZERO
    years = position_years(session, policy, on)
    tables = member_tables(policy)
    chosen = [tables[person_id]] if person_id is not None and person_id in tables else list(tables.values())
    if person_id is not None and person_id not in tables:
        return ZERO
    return to_decimal(sum((cv.cash_value_at(t, years) for t in chosen), ZERO))


def scale_member(policy: Policy, person_id: int, ratio: Decimal) -> None:
    """Scale one insured's quoted sums and cash values by ``ratio`` (a reduction or a paid-up conversion)."""
    quote = dict(policy.details.get("quote", {}))
    members = []
    for member in quote.get("members", []):
        if int(member["person_id"]) == person_id:
            lines = []
            for line in member.get("lines", []):
                values = [
                    {**row, "cash_value": str(to_decimal(Decimal(str(row["cash_value"])) * ratio))}
                    for row in line.get("cash_values", [])
                ]
                lines.append({**line, "cash_values": values})
            member = {**member, "lines": lines}
        members.append(member)
    policy.details = {**policy.details, "quote": {**quote, "members": members}}
