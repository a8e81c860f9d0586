"""Test data built through the real services (so tests exercise validation and encryption too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from jiabao.core.auth import Principal, Role
from jiabao.core.validation import generate_resident_id
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.family import service
from jiabao.family.schemas import HouseholdIn, MemberIn, PersonIn
from jiabao.identity import service as identity
from jiabao.identity.service import principal_of
from jiabao.runtime import Runtime

PASSWORD = "correct-horse-battery"
SYSTEM = Principal(user_id=0, role=Role.ADMIN, username="system", display_name="system")


def resident_id(birth: date, sex: str, seq: int = 1, region: str = "110105") -> str:
    return generate_resident_id(region_code=region, birth_date=birth, sex="M" if sex == "M" else "F", sequence=seq)


def ctx_for(runtime: Runtime, session, principal: Principal = SYSTEM) -> ServiceContext:  # type: ignore[no-untyped-def]
    return ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=principal)


@dataclass
class Family:
    household_id: int
    head_person_id: int
    customer: Principal
    customer_username: str


def make_family(
    runtime: Runtime, *, name: str = "张伟", birth: date = date(1985, 3, 14), seq: int = 1, username: str = "zhang",
    partner_id: int | None = None, phone: str = "13812345678", region: str = "110105",
) -> Family:  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        head = PersonIn(name=name, id_number=resident_id(birth, "M", seq, region), phone=phone)
        overview = service.create_household(ctx, HouseholdIn(head=head, partner_id=partner_id))
        user = identity.create_user(
            session, username=username, password=PASSWORD, role=Role.CUSTOMER, display_name=name,
            now=runtime.clock.now(), person_id=overview.head_person_id,
        )  # fmt: skip
        return Family(overview.id, overview.head_person_id, principal_of(user), username)


def add_member(runtime: Runtime, household_id: int, **fields: object) -> int:
    with unit_of_work(runtime.sessions) as session:
        member = service.add_member(ctx_for(runtime, session), household_id, MemberIn.model_validate(fields))
        return member.member_id


def make_user(runtime: Runtime, username: str, role: Role) -> Principal:
    with unit_of_work(runtime.sessions) as session:
        user = identity.create_user(
            session, username=username, password=PASSWORD, role=role, display_name=username, now=runtime.clock.now()
        )
        return principal_of(user)


def cli_environment(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the command line (which builds its runtime from the environment) at this test's database and keys."""
    settings = runtime.settings
    for name, value in (
        ("DATABASE_URL", settings.database_url),
        ("DATA_DIR", str(settings.data_dir)),
        ("SECRET_KEY", settings.secret_key),
        ("PII_KEYS", settings.pii_keys),
        ("BLIND_INDEX_KEY", settings.blind_index_key),
        ("ENVIRONMENT", "test"),
    ):
        monkeypatch.setenv(f"JIABAO_{name}", value)
    if settings.tables_dir:
        monkeypatch.setenv("JIABAO_TABLES_DIR", str(settings.tables_dir))
