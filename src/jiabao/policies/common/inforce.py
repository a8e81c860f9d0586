"""The book in force for portfolio jobs (valuation): one row per active insured line of an in-force policy, read in
household-id ranges. Only what the actuarial engines need leaves this module — sex and birth date for the age,
never a name or an identity number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiabao.family.models import Person
from jiabao.policies.common.models import Policy, PolicyInsured

IN_FORCE_STATUSES = ("in_force", "in_grace", "suspended")
"""Contracts that still carry liabilities (a suspended policy keeps its reserve and cash value, 保险法 art. 36)."""


@dataclass(frozen=True, slots=True)
class InForceLine:
    policy_id: int
    household_id: int
    product_code: str
    product_version: int
    effective_date: date
    frequency: str
    payment_term: int
    coverage: int | None
    policy_annual_premium: Decimal
    policy_instalment: Decimal
    sum_assured: Decimal
    annual_premium: Decimal
    start_date: date
    sex: str
    birth_date: date


def household_bounds(session: Session) -> tuple[int, int]:
    """(lowest, highest) household id holding an in-force policy; (0, −1) when there is none."""
    low, high = session.execute(
        select(func.min(Policy.household_id), func.max(Policy.household_id)).where(Policy.status.in_(IN_FORCE_STATUSES))
    ).one()
    return (0, -1) if low is None else (int(low), int(high))


def in_force_lines(session: Session, household_from: int, household_to: int) -> list[InForceLine]:
    """Active insured lines of in-force policies of households ``household_from ≤ id < household_to``."""
    stmt = (
        select(
            Policy.id.label("policy_id"),
            Policy.household_id,
            Policy.product_code,
            Policy.product_version,
            Policy.effective_date,
            Policy.frequency,
            Policy.payment_term,
            Policy.cover_years.label("coverage"),
            Policy.annual_premium.label("policy_annual_premium"),
            Policy.instalment.label("policy_instalment"),
            PolicyInsured.sum_assured,
            PolicyInsured.annual_premium,
            PolicyInsured.start_date,
            Person.sex,
            Person.birth_date,
        )
        .join(PolicyInsured, PolicyInsured.policy_id == Policy.id)
        .join(Person, Person.id == PolicyInsured.person_id)
        .where(
            Policy.status.in_(IN_FORCE_STATUSES),
            PolicyInsured.status == "active",
            Policy.household_id >= household_from,
            Policy.household_id < household_to,
        )
        .order_by(Policy.id, PolicyInsured.id)
    )
    return [InForceLine(**row._asdict()) for row in session.execute(stmt)]
