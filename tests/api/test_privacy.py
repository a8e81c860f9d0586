"""Personal-information rights (PIPL arts. 44-47) and retention (docs/privacy.md), through the API, the job and
the auditor's page."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.clock import FixedClock
from jiabao.family.models import Person
from jiabao.runtime import Runtime
from jiabao.security import privacy
from jiabao.security.models import PrivacyRequest
from tests.api.conftest import token_for
from tests.factories import PASSWORD, add_member, make_family, make_user, resident_id
from tests.policies.flow import issue


def test_household_download_is_machine_readable_and_audited(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    response = client.get(f"/api/v1/households/{issued.household_id}/personal-data", headers=issued.headers)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = json.loads(response.content)
    assert document["format"] == "jiabao.personal-data/1"
    assert {i["id_number"] for i in document["identities"]} == {
        resident_id(date(1985, 3, 14), "M", 1),
        resident_id(date(1987, 6, 1), "F", 101),
    }
    assert document["policies"][0]["policy_no"] == issued.policy_no
    other = make_family(runtime, username="wang", seq=9, phone="13900000009")
    assert (
        client.get(f"/api/v1/households/{other.household_id}/personal-data", headers=issued.headers).status_code == 404
    )
    audit = client.get(
        "/api/v1/audit",
        params={"entity": "household", "entity_id": str(issued.household_id)},
        headers=token_for(client, make_user(runtime, "aud", Role.AUDITOR).username),
    ).json()
    assert "privacy.export" in [e["action"] for e in audit]


def test_consent_withdrawal_explains_its_consequences(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    headers = token_for(client, "zhang")
    catalogue = client.get("/api/v1/privacy/consents", headers=headers).json()
    assert {c["kind"] for c in catalogue} == set(privacy.CONSENTS) and all(c["consequence_zh"] for c in catalogue)
    body = {"kind": "partner_access"}
    withdrawn = client.post(f"/api/v1/persons/{family.head_person_id}/consents/withdraw", json=body, headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["granted"] is False
    assert "代理人" in withdrawn.json()["consequence_zh"]
    unknown = client.post(
        f"/api/v1/persons/{family.head_person_id}/consents/withdraw", json={"kind": "nope"}, headers=headers
    )
    assert unknown.status_code == 404


def test_deletion_request_and_retention_keep_what_the_law_requires(
    client: TestClient, runtime: Runtime, clock: FixedClock
) -> None:
    issued = issue(client, runtime)  # head and spouse are on a policy: kept (insurance law, AML art. 19)
    child = add_member(
        runtime,
        issued.household_id,
        name="张小宝",
        id_number=resident_id(date(2015, 2, 2), "M", 33),
        relationship="child",
    )
    assert child
    response = client.post(
        f"/api/v1/households/{issued.household_id}/deletion-requests", json={"reason": "注销"}, headers=issued.headers
    )
    assert response.status_code == 202
    answer = response.json()
    assert answer["status"] == "received" and "反洗钱法" in answer["kept_zh"]
    report = privacy.run_retention(runtime.sessions, runtime.cipher, now=clock.now())
    assert report.counts["deletion_requests"] == 1
    with runtime.sessions() as session:
        names = dict(session.execute(select(Person.id, Person.name)).all())
        request = session.scalars(select(PrivacyRequest)).one()
    assert names[issued.head] == "张伟" and names[issued.spouse] == "李娜"  # kept by law
    assert "已匿名" in names.values()
    assert request.status == "partly_kept_by_law" and sorted(request.detail["kept_by_law"]) == sorted(
        [issued.head, issued.spouse]
    )
    # a second run changes nothing (each row once)
    again = privacy.run_retention(runtime.sessions, runtime.cipher, now=clock.now() + timedelta(days=1))
    assert again.counts.get("deletion_requests", 0) == 0


def test_former_members_without_contracts_are_anonymised_after_three_years(
    client: TestClient, runtime: Runtime, clock: FixedClock
) -> None:
    family = make_family(runtime)
    member = add_member(
        runtime,
        family.household_id,
        name="王芳",
        id_number=resident_id(date(1990, 1, 1), "F", 44),
        relationship="spouse",
    )
    headers = token_for(client, "zhang")
    left = client.post(
        f"/api/v1/members/{member}/leave",
        json={"left_on": clock.today().isoformat(), "reason": "divorce"},
        headers=headers,
    )
    assert left.status_code == 200, left.text
    assert privacy.run_retention(runtime.sessions, runtime.cipher, now=clock.now()).counts["former_members"] == 0
    later = clock.now() + timedelta(days=3 * 365 + 2)
    assert privacy.run_retention(runtime.sessions, runtime.cipher, now=later).counts["former_members"] == 1


def test_auditor_page_searches_the_audit_log(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    make_user(runtime, "auditor1", Role.AUDITOR)
    client.post("/api/v1/auth/token", json={"username": "zhang", "password": "wrong"})
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    client.post("/login", data={"username": "auditor1", "password": PASSWORD, "csrf_token": csrf.group(1)})
    found = client.get("/audit", params={"action": "auth.login_failed"})
    row = '<td class="mono">auth.login_failed</td>'
    assert found.status_code == 200 and row in found.text and "审计日志查询" in found.text
    assert row not in client.get("/audit", params={"action": "member."}).text
    client.cookies.clear()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert csrf
    client.post("/login", data={"username": "zhang", "password": PASSWORD, "csrf_token": csrf.group(1)})
    assert client.get("/audit").status_code == 403
