"""A member's annual income is personal financial information (PIPL arts. 28 and 51; CBIRC Internet Insurance
Measures art. 41): encrypted at rest like the ID number and the phone, shown through the API only to the roles whose
work uses it, and still used in full by the suitability check and the advice engine through the family service."""

from __future__ import annotations

from decimal import Decimal

from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from jiabao.core.auth import Role
from jiabao.family.income import INCOME_COLUMN
from jiabao.migrations import alembic_config, downgrade, upgrade
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_family, make_user


def _income(client: TestClient, household_id: int, headers: dict[str, str]) -> object:
    members = client.get(f"/api/v1/households/{household_id}", headers=headers).json()["members"]
    return members[0]["annual_income"]


def test_income_is_stored_encrypted_and_shown_only_to_roles_that_need_it(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime, partner_id=make_user(runtime, "agent", Role.PARTNER).user_id)
    headers = token_for(client, "zhang")
    member_id = client.get(f"/api/v1/households/{family.household_id}", headers=headers).json()["members"][0]
    patched = client.patch(f"/api/v1/members/{member_id['member_id']}", json={"annual_income": "250000.50"},
                           headers=headers)  # fmt: skip
    assert patched.status_code == 200 and Decimal(patched.json()["annual_income"]) == Decimal("250000.50")
    with runtime.engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("persons")}
        sealed = conn.execute(text("SELECT annual_income_enc FROM persons WHERE id = :i"),
                              {"i": family.head_person_id}).scalar_one()  # fmt: skip
    assert "annual_income" not in columns  # no clear copy left anywhere in the table
    assert b"25000050" not in bytes(sealed) and b"250000" not in bytes(sealed)
    assert runtime.cipher.decrypt(INCOME_COLUMN, bytes(sealed)) == "25000050"  # integer fen inside
    for username, role in (("uw", Role.UNDERWRITER), ("svc", Role.SERVICE), ("risk1", Role.RISK)):
        make_user(runtime, username, role)
        assert Decimal(str(_income(client, family.household_id, token_for(client, username)))) == Decimal("250000.50")
    assert Decimal(str(_income(client, family.household_id, token_for(client, "agent")))) == Decimal("250000.50")
    for username, role in (("adj", Role.CLAIMS), ("boss", Role.ADMIN), ("audit1", Role.AUDITOR)):
        make_user(runtime, username, role)
        assert _income(client, family.household_id, token_for(client, username)) is None, role


def test_the_advice_engine_still_gets_the_income_from_the_member_record(client: TestClient, runtime: Runtime) -> None:
    """docs/planning.md: an income left out of the financial facts falls back to the member's record."""
    family = make_family(runtime)
    headers = token_for(client, "zhang")
    head = client.get(f"/api/v1/households/{family.household_id}", headers=headers).json()["members"][0]
    base = f"/api/v1/households/{family.household_id}/advice"

    def assessment(facts_income: str | None) -> object:
        member: dict[str, object] = {"person_id": family.head_person_id, "social_insurance": True}
        if facts_income is not None:
            member["annual_income"] = facts_income
        saved = client.put(f"{base}/facts", headers=headers, json={"members": [member], "liquid_assets": "0"})
        assert saved.status_code == 200, saved.text
        body = client.get(f"{base}/assessment", headers=headers).json()
        return [(m["person_id"], m["kinds"], m["total_gap"]) for m in body["members"]]

    without_income = assessment(None)
    assert client.patch(f"/api/v1/members/{head['member_id']}", json={"annual_income": "300000"},
                        headers=headers).status_code == 200  # fmt: skip
    from_record = assessment(None)
    assert from_record == assessment("300000")  # the record's (encrypted) income, opened by the service
    assert from_record != without_income


def test_the_migration_encrypts_existing_incomes_and_the_downgrade_restores_them(runtime: Runtime) -> None:
    family = make_family(runtime)
    engine = runtime.engine
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    before = script.get_revision("0017").down_revision
    assert isinstance(before, str)
    downgrade(engine, before, cipher=runtime.cipher)
    with engine.begin() as conn:
        conn.execute(text("UPDATE persons SET annual_income = 12345679 WHERE id = :i"), {"i": family.head_person_id})
    upgrade(engine, cipher=runtime.cipher)
    with engine.connect() as conn:
        assert "annual_income" not in {c["name"] for c in inspect(conn).get_columns("persons")}
        sealed = conn.execute(text("SELECT annual_income_enc FROM persons WHERE id = :i"),
                              {"i": family.head_person_id}).scalar_one()  # fmt: skip
    assert runtime.cipher.decrypt(INCOME_COLUMN, bytes(sealed)) == "12345679"
    downgrade(engine, before, cipher=runtime.cipher)
    with engine.connect() as conn:
        clear = conn.execute(text("SELECT annual_income FROM persons WHERE id = :i"), {"i": family.head_person_id})
        assert clear.scalar_one() == 12345679
    upgrade(engine, cipher=runtime.cipher)
