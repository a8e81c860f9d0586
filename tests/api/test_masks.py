"""Masks that mask (issue 10, item 1; PIPL art. 51 — technical measures such as de-identification).

Every API response a non-clear role (partner, actuary, admin, auditor) can read about a household is collected,
then an attacker tries to rebuild each member's resident ID number from what the responses show: the visible
characters of any mask, any birth date shown, the check digit (GB 11643-1999). Fewer than 1,000 candidates
would count as rebuilt. Clear roles see the birth date with the ID, and each such read is audited.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from jiabao.api.redact import remask_id_number
from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_user, resident_id
from tests.policies.flow import issue

NON_CLEAR = ("admin", "auditor", "actuary")


def _texts(app: FastAPI, client: TestClient, headers: dict[str, str], ids: dict[str, Any]) -> list[str]:
    texts = []
    for path, operations in app.openapi()["paths"].items():
        if "get" not in operations:
            continue
        try:
            url = path.format(**ids)
        except KeyError:
            continue
        params = {"/api/v1/households/search": {"q": "张"}, "/api/v1/audit": {"entity": "household"}}.get(path)
        response = client.get(url, params=params, headers=headers)
        if response.status_code != 200:
            continue
        if response.headers["content-type"].startswith("application/pdf"):
            texts.append(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
        else:
            texts.append(response.text)
    return texts


def _candidates(masked: str, birth: date | None) -> int:
    """How many valid 18-character ID numbers fit a mask (and a known birth date)."""
    unknown = [i for i, ch in enumerate(masked[:17]) if ch == "*"]
    if birth is not None:
        unknown = [i for i in unknown if not 6 <= i < 14]
    count = 10 ** len(unknown)
    return count // 11 if masked[17] != "*" else count


def _rebuildable(texts: list[str], number: str, birth: date) -> list[str]:
    found = []
    joined = "\n".join(texts)
    if number in joined:
        found.append("the clear number")
    birth_shown = birth.isoformat() in joined or birth.strftime("%Y%m%d") in joined
    for masked in set(re.findall(r"[0-9X*]{18}", joined)):
        fits = all(m == "*" or m == c for m, c in zip(masked, number, strict=True))
        if fits and "*" in masked and _candidates(masked, birth if birth_shown else None) < 1000:
            found.append(f"{masked} with birth date shown={birth_shown}")
    return found


@pytest.fixture
def world(client: TestClient, runtime: Runtime) -> dict[str, Any]:
    issued = issue(client, runtime)
    for role in NON_CLEAR:
        make_user(runtime, role, Role(role))
    ids = {
        "household_id": issued.household_id,
        "person_id": issued.head,
        "policy_id": issued.policy_id,
        "application_id": issued.application_id,
        "member_id": 1,
    }
    people = {issued.head: (resident_id(date(1985, 3, 14), "M", 1), date(1985, 3, 14))}
    people[issued.spouse] = (resident_id(date(1987, 6, 1), "F", 101), date(1987, 6, 1))
    return {"ids": ids, "people": people}


@pytest.mark.parametrize("role", NON_CLEAR)
def test_nothing_rebuilt_from_a_non_clear_roles_responses(
    app: FastAPI, client: TestClient, world: dict[str, Any], role: str
) -> None:
    texts = _texts(app, client, token_for(client, role), world["ids"])
    assert len(texts) >= (2 if role == "actuary" else 5)  # household, members, person, policies, PDF…
    for number, birth in world["people"].values():
        assert _rebuildable(texts, number, birth) == [], role


def test_the_customer_sees_the_birth_date_with_the_id_and_the_read_is_audited(
    client: TestClient, runtime: Runtime, world: dict[str, Any]
) -> None:
    headers = token_for(client, "zhang")
    household_id = world["ids"]["household_id"]
    members = client.get(f"/api/v1/households/{household_id}/members", headers=headers).json()
    assert members[0]["birth_date"] == "1985-03-14" and members[0]["age"] == 41
    with runtime.sessions() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "pii.birth_date_with_id")).all()
    assert entries and entries[-1].detail["path"].endswith("/members")
    assert set(entries[-1].detail["persons"]) == {str(m["person_id"]) for m in members}


def test_admin_sees_the_age_not_the_birth_date(client: TestClient, world: dict[str, Any]) -> None:
    members = client.get(
        f"/api/v1/households/{world['ids']['household_id']}/members", headers=token_for(client, "admin")
    ).json()
    assert members[0]["birth_date"] is None and members[0]["age"] == 41
    assert (
        members[0]["id_number_masked"]
        == remask_id_number("110105********" + "0000")[:3] + "*" * 13 + (members[0]["id_number_masked"][-2:])
    )
    assert members[0]["id_number_masked"].count("*") == 13
