"""Servicing: adding an insured family member (priced, underwritten) and removing one (the row is kept)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Instalment, Policy, PolicyInsured, ServiceRequest
from jiabao.runtime import Runtime
from jiabao.underwriting.models import Referral, UnderwritingDecision
from tests.api.conftest import token_for
from tests.factories import add_member, make_user, resident_id
from tests.policies.flow import Issued, healthy, issue

CHILD_CONSENTS = ["health_data_separate", "parents_consent_under_14"]


def _child(client: TestClient, runtime: Runtime, issued: Issued) -> int:
    add_member(
        runtime,
        issued.household_id,
        name="张小宝",
        relationship="child",
        id_number=resident_id(date(2015, 5, 5), "M", 7),
    )
    members = client.get(f"/api/v1/households/{issued.household_id}/members", headers=issued.headers).json()
    return int(next(m["person_id"] for m in members if m["name"] == "张小宝"))


def _questions(client: TestClient, issued: Issued, person_id: int) -> list[dict[str, Any]]:
    url = f"/api/v1/policies/{issued.policy_id}/members/{person_id}/questionnaire"
    response = client.get(url, headers=issued.headers)
    assert response.status_code == 200, response.text
    questions: list[dict[str, Any]] = response.json()["questions"]
    return questions


def _submit(client: TestClient, issued: Issued, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/policies/{issued.policy_id}/service-requests", json=body, headers=issued.headers)


def _unpaid(runtime: Runtime, policy_id: int) -> list[Instalment]:
    with unit_of_work(runtime.sessions) as session:
        stmt = select(Instalment).where(Instalment.policy_id == policy_id, Instalment.paid_on.is_(None))
        return list(session.scalars(stmt.order_by(Instalment.seq)))


def test_add_member_is_underwritten_priced_and_starts_at_the_anniversary(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)  # annual, issued 2026-11-26
    child = _child(client, runtime, issued)
    answers = healthy(_questions(client, issued, child))
    body = {"kind": "add_insured", "person_id": child, "sum_assured": "200000", "answers": answers}
    missing = _submit(client, issued, body)
    assert missing.status_code == 422 and {f["code"] for f in missing.json()["error"]["fields"]} == {"consent_missing"}
    no_answers = _submit(client, issued, body | {"answers": {}, "consents": CHILD_CONSENTS})
    assert no_answers.status_code == 422
    before = _unpaid(runtime, issued.policy_id)[0].amount
    done = _submit(client, issued, body | {"consents": CHILD_CONSENTS})
    assert done.status_code == 201, done.text
    out = done.json()
    assert out["status"] == "completed" and out["result"]["conclusion"] == "standard"
    assert out["result"]["start_date"] == "2027-11-26"  # the next unpaid instalment: the first anniversary
    with unit_of_work(runtime.sessions) as session:
        added = session.scalars(select(PolicyInsured).where(PolicyInsured.person_id == child)).one()
        policy = session.get(Policy, issued.policy_id)
        assert policy is not None
        assert added.start_date == date(2027, 11, 26) and added.end_date == date(2056, 11, 26)
        assert added.annual_premium > 0 and added.decision_id is not None and added.status == "active"
        decision = session.get(UnderwritingDecision, added.decision_id)
        assert decision is not None and decision.application_id == issued.application_id
        assert policy.annual_premium == before + added.annual_premium
        assert session.scalar(select(ServiceRequest.payload).where(ServiceRequest.id == out["id"]))["consents"] == (
            sorted(CHILD_CONSENTS)
        )
    unpaid = _unpaid(runtime, issued.policy_id)
    assert {i.amount for i in unpaid} == {before + added.annual_premium}  # annual: the factor is 1
    again = _submit(client, issued, body | {"consents": CHILD_CONSENTS})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_insured"


def test_add_member_referred_waits_for_an_underwriter(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    child = _child(client, runtime, issued)
    answers = healthy(_questions(client, issued, child), disclose_cardiovascular=["HTN"])
    body = {
        "kind": "add_insured",
        "person_id": child,
        "sum_assured": "200000",
        "answers": answers,
        "reflexive": {"HTN": {"bp_max": "unknown", "complications": "no"}},
        "consents": CHILD_CONSENTS,
    }
    out = _submit(client, issued, body).json()
    assert out["status"] == "accepted" and out["result"]["underwriting"] == "referred", out
    with unit_of_work(runtime.sessions) as session:
        assert session.scalars(select(PolicyInsured).where(PolicyInsured.person_id == child)).first() is None
        assert session.scalars(select(Referral).where(Referral.person_id == child)).one().status == "open"


def test_remove_member_ends_cover_with_the_paid_period_and_keeps_the_row(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    before = _unpaid(runtime, issued.policy_id)[0].amount
    body = {"kind": "remove_insured", "person_id": issued.spouse, "reason": "divorce"}
    out = _submit(client, issued, body).json()
    assert out["status"] == "completed" and out["result"]["end_date"] == "2027-11-25"
    with unit_of_work(runtime.sessions) as session:
        rows = {i.person_id: i for i in session.scalars(select(PolicyInsured))}
        assert rows[issued.spouse].status == "removed" and rows[issued.spouse].end_date == date(2027, 11, 25)
        head_premium = rows[issued.head].annual_premium
    assert {i.amount for i in _unpaid(runtime, issued.policy_id)} == {head_premium} and head_premium < before
    last = _submit(client, issued, body | {"person_id": issued.head})
    assert last.status_code == 409 and last.json()["error"]["code"] == "last_insured"
    gone = _submit(client, issued, body)
    assert gone.status_code == 422 and gone.json()["error"]["fields"][0]["code"] == "not_insured"
    policy = client.get(f"/api/v1/policies/{issued.policy_id}", headers=issued.headers).json()
    assert {i["person_id"]: i["status"] for i in policy["insureds"]} == {
        issued.head: "active",
        issued.spouse: "removed",
    }
    assert Decimal(policy["annual_premium"]) == head_premium


def test_underwriter_decision_completes_a_referred_add_member(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    child = _child(client, runtime, issued)
    answers = healthy(_questions(client, issued, child), disclose_cardiovascular=["HTN"])
    body = {
        "kind": "add_insured",
        "person_id": child,
        "sum_assured": "200000",
        "answers": answers,
        "reflexive": {"HTN": {"bp_max": "unknown", "complications": "no"}},
        "consents": CHILD_CONSENTS,
    }
    request_id = _submit(client, issued, body).json()["id"]
    make_user(runtime, "uw9", Role.UNDERWRITER)
    uw_headers = token_for(client, "uw9")
    referral = client.get("/api/v1/underwriting/referrals", headers=uw_headers).json()[0]
    decided = client.post(
        f"/api/v1/underwriting/referrals/{referral['id']}/decision",
        headers=uw_headers,
        json={"conclusion": "standard", "reason": "儿科病历：血压正常，标准体承保"},
    )
    assert decided.status_code == 200, decided.text
    requests = client.get(f"/api/v1/policies/{issued.policy_id}/service-requests", headers=issued.headers).json()
    done = next(r for r in requests if r["id"] == request_id)
    assert done["status"] == "completed" and done["result"]["underwriting"] == "human"
    with unit_of_work(runtime.sessions) as session:
        added = session.scalars(select(PolicyInsured).where(PolicyInsured.person_id == child)).one()
        assert added.status == "active" and added.conclusion == "standard"
