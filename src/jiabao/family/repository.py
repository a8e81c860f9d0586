"""All queries of the family domain. Eager loads are explicit (relationships are lazy="raise")."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from jiabao.family.models import Household, LifeEvent, Member, Person


def household_with_members(session: Session, household_id: int) -> Household | None:
    stmt = (
        select(Household)
        .where(Household.id == household_id)
        .options(selectinload(Household.members).selectinload(Member.person))
    )
    return session.scalars(stmt).one_or_none()


def household(session: Session, household_id: int) -> Household | None:
    return session.get(Household, household_id)


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def member(session: Session, member_id: int) -> Member | None:
    stmt = select(Member).where(Member.id == member_id).options(selectinload(Member.person))
    return session.scalars(stmt).one_or_none()


def active_household_ids_of_person(session: Session, person_id: int) -> list[int]:
    stmt = select(Member.household_id).where(Member.person_id == person_id, Member.left_on.is_(None))
    return list(session.scalars(stmt))


def active_member_person_ids(session: Session, household_id: int) -> set[int]:
    stmt = select(Member.person_id).where(Member.household_id == household_id, Member.left_on.is_(None))
    return set(session.scalars(stmt))


def person_by_id_index(session: Session, bidx: str) -> Person | None:
    return session.scalars(select(Person).where(Person.id_number_bidx == bidx)).one_or_none()


def _summary_query() -> Select[Household, Person, int]:
    member_count = (
        select(func.count(Member.id))
        .where(Member.household_id == Household.id, Member.left_on.is_(None))
        .correlate(Household)
        .scalar_subquery()
    )
    return select(Household, Person, member_count).join(Person, Person.id == Household.head_person_id)


def summaries_by_ids(session: Session, household_ids: Sequence[int]) -> list[tuple[Household, Person, int]]:
    if not household_ids:
        return []
    stmt = _summary_query().where(Household.id.in_(household_ids)).order_by(Household.id)
    return [(h, p, int(n)) for h, p, n in session.execute(stmt)]


def summaries_for_partner(
    session: Session, partner_id: int, *, limit: int, offset: int
) -> list[tuple[Household, Person, int]]:
    stmt = _summary_query().where(Household.partner_id == partner_id).order_by(Household.id)
    return [(h, p, int(n)) for h, p, n in session.execute(stmt.limit(limit).offset(offset))]


def count_for_partner(session: Session, partner_id: int) -> int:
    return int(session.scalar(select(func.count(Household.id)).where(Household.partner_id == partner_id)) or 0)


def summaries_page(session: Session, *, limit: int, offset: int) -> list[tuple[Household, Person, int]]:
    stmt = _summary_query().order_by(Household.id).limit(limit).offset(offset)
    return [(h, p, int(n)) for h, p, n in session.execute(stmt)]


def household_ids_by_person_index(session: Session, *, id_bidx: str | None, phone_bidx: str | None) -> list[int]:
    """Households whose active members match an ID number or phone blind index."""
    conditions = []
    if id_bidx:
        conditions.append(Person.id_number_bidx == id_bidx)
    if phone_bidx:
        conditions.append(Person.phone_bidx == phone_bidx)
    if not conditions:
        return []
    stmt = (
        select(Member.household_id)
        .join(Person, Person.id == Member.person_id)
        .where(Member.left_on.is_(None), or_(*conditions))
        .distinct()
        .limit(50)
    )
    return list(session.scalars(stmt))


def household_ids_by_name(session: Session, name: str, *, limit: int = 50) -> list[int]:
    """Exact or prefix match on a member's name (the name column is indexed)."""
    stmt = (
        select(Member.household_id)
        .join(Person, Person.id == Member.person_id)
        .where(Member.left_on.is_(None), Person.name.startswith(name, autoescape=True))
        .distinct()
        .limit(limit)
    )
    return list(session.scalars(stmt))


def life_events(session: Session, household_id: int) -> list[LifeEvent]:
    stmt = select(LifeEvent).where(LifeEvent.household_id == household_id)
    return list(session.scalars(stmt.order_by(LifeEvent.occurred_on, LifeEvent.id)))


def account_no_taken(session: Session, account_no: str) -> bool:
    return session.scalar(select(func.count()).where(Household.account_no == account_no)) != 0


def summaries_by_account(session: Session, account_no: str) -> list[tuple[Household, Person, int]]:
    stmt = _summary_query().where(Household.account_no == account_no)
    return [(h, p, int(n)) for h, p, n in session.execute(stmt)]
