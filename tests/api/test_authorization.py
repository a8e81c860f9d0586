"""Every API route × every role, against one table of who may do what.

The table is the specification: a route missing from it fails the test, so a new route cannot ship without
deciding who may call it. "Allowed" means the call got past authentication and authorization (it may still
be refused for business reasons, e.g. 409); "denied" means 401/403/404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.advice import authz_advice
from tests.api.conftest import token_for
from tests.claims import authz_workflow
from tests.factories import add_member, make_family, make_user, resident_id
from tests.fraud_aml import authz_risk
from tests.identity import authz_accounts
from tests.partners import authz_partners
from tests.policies import authz_billing, authz_claimsmoney, authz_servicing, authz_visits
from tests.policies.flow import ACCOUNT, confirm_body, healthy
from tests.risk import authz_screening
from tests.voice import authz_voice

CUSTOMER, OTHER_CUSTOMER, PARTNER, OTHER_PARTNER = "customer", "other_customer", "partner", "other_partner"
STAFF = ("underwriter", "claims", "service", "risk", "actuary", "admin", "auditor")
ALL = {CUSTOMER, OTHER_CUSTOMER, PARTNER, OTHER_PARTNER, *STAFF}
READ_OWN = {CUSTOMER, PARTNER, "underwriter", "claims", "service", "risk", "admin", "auditor"}
WRITE_OWN = {CUSTOMER, PARTNER, "service", "admin"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/auth/token"): ALL,  # public; "anonymous" has no account, so its log-in fails (401)
    ("GET", "/api/v1/auth/me"): ALL,
    ("PATCH", "/api/v1/auth/me/preferences"): ALL,
    ("GET", "/api/v1/households"): ALL - {"actuary"},
    ("POST", "/api/v1/households"): {PARTNER, OTHER_PARTNER, "service", "admin"},
    ("GET", "/api/v1/households/search"): {"underwriter", "claims", "service", "risk", "admin", "auditor"},
    ("GET", "/api/v1/households/{household_id}"): READ_OWN,
    ("GET", "/api/v1/households/{household_id}/members"): READ_OWN,
    ("POST", "/api/v1/households/{household_id}/members"): WRITE_OWN,
    ("PATCH", "/api/v1/members/{member_id}"): WRITE_OWN,
    ("POST", "/api/v1/members/{member_id}/leave"): WRITE_OWN,
    ("GET", "/api/v1/households/{household_id}/events"): READ_OWN,
    ("POST", "/api/v1/households/{household_id}/events"): WRITE_OWN,
    ("GET", "/api/v1/persons/{person_id}"): READ_OWN,
    ("GET", "/api/v1/persons/{person_id}/identity"): {CUSTOMER, "underwriter", "claims", "service", "risk"},
    ("GET", "/api/v1/audit"): {"admin", "auditor"},
    ("GET", "/api/v1/products"): ALL,
    ("POST", "/api/v1/households/{household_id}/quote"): READ_OWN,
    ("POST", "/api/v1/households/{household_id}/applications"): WRITE_OWN,
    ("GET", "/api/v1/households/{household_id}/applications"): READ_OWN,
    ("GET", "/api/v1/applications/{application_id}"): READ_OWN,
    ("GET", "/api/v1/applications/{application_id}/insureds/{person_id}/questionnaire"): READ_OWN,
    ("POST", "/api/v1/applications/{application_id}/insureds/{person_id}/questionnaire"): WRITE_OWN,
    ("POST", "/api/v1/applications/{application_id}/insureds/{person_id}/review"): WRITE_OWN,
    ("GET", "/api/v1/underwriting/impairments"): ALL,
    ("GET", "/api/v1/applications/{application_id}/requirements"): READ_OWN,
    ("POST", "/api/v1/applications/{application_id}/confirm"): WRITE_OWN,
    ("POST", "/api/v1/applications/{application_id}/payments"): WRITE_OWN,
    ("GET", "/api/v1/households/{household_id}/policies"): READ_OWN,
    ("POST", "/api/v1/households/{household_id}/claims"): WRITE_OWN,
    ("GET", "/api/v1/households/{household_id}/claims"): READ_OWN,
    ("GET", "/api/v1/claim-documents"): ALL,
    ("GET", "/api/v1/claims/{claim_id}"): READ_OWN,
    ("GET", "/api/v1/claims-queue"): {"claims", "admin"},
    ("GET", "/api/v1/claims/{claim_id}/assessment"): {"claims", "admin"},
    ("POST", "/api/v1/claims/{claim_id}/decision"): {"claims", "admin"},
    ("GET", "/api/v1/claims-panel"): {"claims", "admin", "auditor", "actuary"},
    ("GET", "/api/v1/policies/{policy_id}"): READ_OWN,
    ("GET", "/api/v1/policies/{policy_id}/document.pdf"): READ_OWN,
    ("GET", "/api/v1/underwriting/impairments/{code}/questions"): ALL,
    ("GET", "/api/v1/underwriting/referrals"): {"underwriter", "admin"},
    ("GET", "/api/v1/underwriting/referrals/{referral_id}"): {"underwriter", "admin"},
    ("POST", "/api/v1/underwriting/referrals/{referral_id}/decision"): {"underwriter", "admin"},
    ("POST", "/api/v1/auth/logout"): ALL,
    ("GET", "/api/v1/households/{household_id}/personal-data"): {CUSTOMER},
    ("GET", "/api/v1/privacy/consents"): ALL,
    ("POST", "/api/v1/persons/{person_id}/consents/withdraw"): {CUSTOMER},
    ("POST", "/api/v1/households/{household_id}/deletion-requests"): {CUSTOMER},
    ("GET", "/api/v1/households/{household_id}/membership-requests"): READ_OWN,
    ("GET", "/api/v1/membership-requests"): {"service", "admin"},
    ("POST", "/api/v1/membership-requests/{request_id}/decision"): {"service", "admin"},
}


for _extra in (
    authz_billing,
    authz_visits,
    authz_servicing,
    authz_risk,
    authz_voice,
    authz_advice,
    authz_claimsmoney,
    authz_screening,
    authz_workflow,
    authz_accounts,
    authz_partners,
):
    ALLOWED.update(_extra.ALLOWED)


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() for method in ops]


def _request_for(method: str, path: str, ids: dict[str, int], username: str, n: int) -> dict[str, Any]:
    url = path.format(**ids)
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/v1/auth/token"): {"username": username, "password": "correct-horse-battery"},
        ("PATCH", "/api/v1/auth/me/preferences"): {"language": "zh"},
        ("POST", "/api/v1/households"): {
            "head": {"name": "陈静", "id_number": resident_id(date(1990, 1, 1), "F", (100 + n) % 500)}
        },
        ("POST", "/api/v1/households/{household_id}/members"): {
            "name": "张小花",
            "relationship": "child",
            "id_number": resident_id(date(2018, 5, 5), "F", (200 + n) % 500),
        },
        ("PATCH", "/api/v1/members/{member_id}"): {"occupation": "教师"},
        ("POST", "/api/v1/membership-requests/{request_id}/decision"): {"approve": False},
        ("POST", "/api/v1/households/{household_id}/quote"): {
            "lines": [
                {
                    "person_id": ids["person_id"],
                    "product_code": "family_term_life",
                    "sum_assured": "500000",
                    "coverage": 20,
                    "payment_term": 20,
                }
            ]
        },
        ("POST", "/api/v1/members/{member_id}/leave"): {"left_on": "2026-11-26", "reason": "child_leaves_home"},
        ("POST", "/api/v1/households/{household_id}/events"): {"kind": "marriage", "occurred_on": "2012-05-01"},
        ("POST", "/api/v1/households/{household_id}/applications"): APPLICATION
        | {"insureds": [{"person_id": ids["person_id"], "sum_assured": "200000"}]},
        ("POST", "/api/v1/applications/{application_id}/insureds/{person_id}/questionnaire"): {"answers": HEALTHY},
        ("POST", "/api/v1/applications/{application_id}/confirm"): {},
        ("POST", "/api/v1/households/{household_id}/claims"): CLAIM | {"insured_person_id": ids["person_id"]},
        ("POST", "/api/v1/claims/{claim_id}/decision"): {"approve": False, "reason": "资料不符合条款约定"},
        **authz_billing.BODIES,
        **authz_visits.BODIES,
        **authz_servicing.BODIES,
        **authz_risk.BODIES,
        **authz_voice.BODIES,
        **authz_advice.BODIES,
        **authz_claimsmoney.BODIES,
        **authz_screening.BODIES,
        **authz_workflow.BODIES,
        **authz_accounts.BODIES,
        ("POST", "/api/v1/applications/{application_id}/payments"): {"account": ACCOUNT},
        ("POST", "/api/v1/persons/{person_id}/consents/withdraw"): {"kind": "marketing"},
        ("POST", "/api/v1/households/{household_id}/deletion-requests"): {"reason": "不再需要"},
        ("POST", "/api/v1/underwriting/referrals/{referral_id}/decision"): {
            "conclusion": "standard",
            "reason": "资料齐全，标准体承保",
        },
    }
    params = {
        "/api/v1/households/search": {"q": "张"},
        "/api/v1/audit": {"entity": "household", "entity_id": str(ids["household_id"])},
        "/api/v1/underwriting/impairments": {"q": "高血压"},
        "/api/v1/claim-documents": {"claim_type": "outpatient"},
    }.get(path)
    request: dict[str, Any] = {"method": method, "url": url, "params": params}
    if (method, path) in bodies:
        request["json"] = bodies[(method, path)]
    request |= authz_claimsmoney.MULTIPART.get((method, path), {})
    return request


APPLICATION = {"product_code": "whole_life", "payment_term": 20}
CLAIM = {
    "claim_type": "inpatient",
    "event_date": "2026-11-20",
    "account": ACCOUNT,
    "bill_items": [{"code": "ward", "amount": "5000", "invoice_number": "AUTHZ-1"}],
}
HEALTHY = {
    "height_cm": 172,
    "weight_kg": 66,
    "cigarettes_per_day": 0,
    "alcohol": "none",
    "occupation_class": "c1",
    "pursuits": [],
    "family_history": [],
}


def _application_with_referral(client: TestClient, household_id: int, head: int) -> dict[str, int]:
    """An application for the head (questionnaire still open) and one for the spouse, referred to a person."""
    headers = token_for(client, CUSTOMER)
    spouse = add_member_api(client, household_id, headers)
    first = client.post(
        f"/api/v1/households/{household_id}/applications",
        headers=headers,
        json=APPLICATION | {"insureds": [{"person_id": head, "sum_assured": "200000"}]},
    ).json()
    second = client.post(
        f"/api/v1/households/{household_id}/applications",
        headers=headers,
        json=APPLICATION | {"insureds": [{"person_id": spouse, "sum_assured": "200000"}]},
    ).json()
    url = f"/api/v1/applications/{second['id']}/insureds/{spouse}/questionnaire"
    questions = client.get(url, headers=headers).json()["questions"]
    answers = {q["id"]: [] if q["type"] in ("impairments", "multi_choice") else HEALTHY.get(q["id"]) for q in questions}
    answers["disclose_cardiovascular"] = ["HTN"]
    referred = client.post(
        url,
        headers=headers,
        json={"answers": answers, "reflexive": {"HTN": {"bp_max": "unknown", "complications": "no"}}},
    )
    assert referred.json()["status"] == "referred", referred.text
    uw_headers = token_for(client, "underwriter")
    referral_id = client.get("/api/v1/underwriting/referrals", headers=uw_headers).json()[0]["id"]
    policy_id = _policy(client, household_id, head)
    claim = client.post(
        f"/api/v1/households/{household_id}/claims",
        headers=headers | {"Idempotency-Key": "authz-claim"},
        json=CLAIM | {"insured_person_id": head},
    )
    assert claim.status_code == 201, claim.text
    return {
        "application_id": first["id"],
        "referral_id": referral_id,
        "policy_id": policy_id,
        "claim_id": claim.json()["id"],
        "document_id": authz_claimsmoney.uploaded(client, household_id, headers),
    }


def _policy(client: TestClient, household_id: int, head: int) -> int:
    """A whole-life policy for the head, issued through the API."""
    headers = token_for(client, CUSTOMER)
    app = client.post(
        f"/api/v1/households/{household_id}/applications",
        headers=headers,
        json=APPLICATION | {"insureds": [{"person_id": head, "sum_assured": "200000"}]},
    ).json()
    url = f"/api/v1/applications/{app['id']}/insureds/{head}/questionnaire"
    questions = client.get(url, headers=headers).json()["questions"]
    client.post(url, headers=headers, json={"answers": healthy(questions)})
    client.post(
        f"/api/v1/applications/{app['id']}/confirm", headers=headers, json=confirm_body(client, app["id"], headers)
    )
    paid = client.post(
        f"/api/v1/applications/{app['id']}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": "authz-policy-0001"},
    )
    assert paid.status_code == 201, paid.text
    return int(paid.json()["policy_id"])


def add_member_api(client: TestClient, household_id: int, headers: dict[str, str]) -> int:
    """A customer's request, approved by the back office (docs/security.md, "Adding a member")."""
    body = {"name": "李娜", "relationship": "spouse", "id_number": resident_id(date(1987, 6, 1), "F", 44)}
    response = client.post(f"/api/v1/households/{household_id}/members", json=body, headers=headers)
    assert response.status_code == 202, response.text
    decided = client.post(f"/api/v1/membership-requests/{response.json()['id']}/decision", json={"approve": True},
                          headers=token_for(client, "admin"))  # fmt: skip
    assert decided.status_code == 200, decided.text
    members = client.get(f"/api/v1/households/{household_id}/members", headers=headers).json()
    return int(next(m["person_id"] for m in members if m["name"] == "李娜"))


def _membership_request(client: TestClient, household_id: int) -> dict[str, int]:
    body = {"name": "张小草", "relationship": "child", "id_number": resident_id(date(2019, 7, 7), "F", 45)}
    response = client.post(f"/api/v1/households/{household_id}/members", json=body, headers=token_for(client, CUSTOMER))
    assert response.status_code == 202, response.text
    return {"request_id": int(response.json()["id"])}


def test_every_route_is_in_the_table(app: FastAPI) -> None:
    assert sorted(_routes(app)) == sorted(ALLOWED)


def test_every_route_with_every_role(app: FastAPI, client: TestClient, runtime: Runtime) -> None:
    partner = make_user(runtime, PARTNER, Role.PARTNER)
    make_user(runtime, OTHER_PARTNER, Role.PARTNER)
    for role in STAFF:
        make_user(runtime, role, Role(role))
    mine = make_family(runtime, username=CUSTOMER, partner_id=partner.user_id)
    make_family(runtime, name="刘洋", seq=9, username=OTHER_CUSTOMER, phone="13900001234")
    member_id = add_member(
        runtime, mine.household_id, name="张大宝", relationship="child", id_number=resident_id(date(2010, 2, 2), "M", 5)
    )
    ids = {"household_id": mine.household_id, "member_id": member_id, "person_id": mine.head_person_id, "code": "HTN"}
    ids |= _application_with_referral(client, mine.household_id, mine.head_person_id)
    ids |= _membership_request(client, mine.household_id)
    ids |= authz_risk.ids(runtime, mine.head_person_id)
    ids |= authz_voice.setup(client, mine.household_id)
    ids["case_id"] = authz_screening.make_case(runtime, mine.head_person_id, "张伟")
    ids |= authz_accounts.ids(runtime, partner.user_id)
    ids |= authz_partners.setup(runtime)
    users = sorted(ALL)
    headers = {u: token_for(client, u) for u in users}
    routes = sorted(_routes(app), key=lambda r: r == ("POST", "/api/v1/auth/logout"))  # logout revokes: last
    mismatches = []
    n = 0
    for method, path in routes:
        for who in [*users, "anonymous"]:
            n += 1
            request = _request_for(method, path, ids, who, n)
            extra = {"Idempotency-Key": f"authz-{n:06d}"} if path.endswith(("/payments", "/claims")) else {}
            response = client.request(**request, headers=headers.get(who, {}) | extra)
            allowed = response.status_code not in (401, 403, 404)
            if allowed != (who in ALLOWED[(method, path)]) or response.status_code >= 500:
                mismatches.append((method, path, who, response.status_code, response.text[:120]))
    assert mismatches == []
