"""Bulk seeding of demo households (``jiabao seed``): fast batched inserts, encrypted like every other write.

Rows get their ids here (from the current maximum) so a batch is three multi-row INSERTs; PostgreSQL sequences
are moved past the new ids at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from jiabao.core.pii import PiiCipher, mask_id_number, mask_phone
from jiabao.demo.population import HouseholdSpec, PopulationGenerator
from jiabao.family.enums import LifeEventKind, Relationship, region_of
from jiabao.family.income import seal_income
from jiabao.family.models import Household, LifeEvent, Member, Person
from jiabao.family.service import ID_COLUMN, PHONE_COLUMN, account_number

Progress = Callable[[int], None]
BATCH = 1000


def _next_id(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1


def _person_row(cipher: PiiCipher, pid: int, p: Any, now: datetime) -> dict[str, Any]:
    return {
        "id": pid,
        "name": p.name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "id_type": "resident_id",
        "id_number_enc": cipher.encrypt(ID_COLUMN, p.id_number),
        "id_number_bidx": cipher.blind_index(ID_COLUMN, p.id_number),
        "id_number_masked": mask_id_number(p.id_number),
        "phone_enc": cipher.encrypt(PHONE_COLUMN, p.phone) if p.phone else None,
        "phone_bidx": cipher.blind_index(PHONE_COLUMN, p.phone) if p.phone else None,
        "phone_masked": mask_phone(p.phone) if p.phone else None,
        "region_code": p.region_code,
        "occupation": p.occupation,
        "occupation_class": p.occupation_class,
        "annual_income_enc": seal_income(cipher, p.annual_income),
        "social_insurance": p.social_insurance,
        "retired": p.retired,
        "deceased_on": None,
        "created_at": now,
        "updated_at": now,
    }


def _drop_existing(session: Session, cipher: PiiCipher, specs: list[HouseholdSpec]) -> list[HouseholdSpec]:
    """Skip households whose generated ID numbers already exist (a second seed run into the same database)."""
    indexes = {cipher.blind_index(ID_COLUMN, m.id_number) for h in specs for m in h.members}
    taken = set(session.scalars(select(Person.id_number_bidx).where(Person.id_number_bidx.in_(indexes))))
    if not taken:
        return specs
    return [h for h in specs if not any(cipher.blind_index(ID_COLUMN, m.id_number) in taken for m in h.members)]


def seed_households(
    session: Session,
    cipher: PiiCipher,
    *,
    count: int,
    now: datetime,
    seed: int = 20211231,
    partner_id: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Insert ``count`` generated households; every tenth is served by ``partner_id``. Returns households added."""
    generator = PopulationGenerator(seed=seed, today=now.date())
    person_id, household_id = _next_id(session, Person), _next_id(session, Household)
    member_id, event_id = _next_id(session, Member), _next_id(session, LifeEvent)
    added = 0
    while added < count:
        specs = _drop_existing(session, cipher, [generator.household() for _ in range(min(BATCH, count - added))])
        persons, households, members, events = [], [], [], []
        for spec in specs:
            head_id = person_id
            for p in spec.members:
                persons.append(_person_row(cipher, person_id, p, now))
                members.append(
                    {"id": member_id, "household_id": household_id, "person_id": person_id,
                     "relationship_to_head": p.relationship.value, "joined_on": now.date(), "left_on": None,
                     "left_reason": None}
                )  # fmt: skip
                if p.relationship is Relationship.CHILD:
                    events.append(
                        {"id": event_id, "household_id": household_id, "person_id": person_id,
                         "kind": LifeEventKind.BIRTH.value, "occurred_on": p.birth_date, "note": None,
                         "recorded_at": now, "recorded_by": None}
                    )  # fmt: skip
                    event_id += 1
                person_id += 1
                member_id += 1
            households.append(
                {"id": household_id, "account_no": account_number(household_id), "head_person_id": head_id,
                 "partner_id": partner_id if household_id % 10 == 1 else None,
                 "region": region_of(spec.region_code).value, "created_at": now}
            )  # fmt: skip
            household_id += 1
        session.execute(insert(Person), persons)
        session.execute(insert(Household), households)
        session.execute(insert(Member), members)
        if events:
            session.execute(insert(LifeEvent), events)
        session.flush()
        added += len(specs)
        if progress:
            progress(len(specs))
        if not specs:
            break
    fix_sequences(session)
    return added


def fix_sequences(session: Session) -> None:
    """Move PostgreSQL sequences past ids assigned by the seeder (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("persons", "households", "members", "life_events"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed table names
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
