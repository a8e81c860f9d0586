"""Issue 9 item 4: an event that happened while a policy was suspended (中止) stays unpaid after the policy is
reinstated (Insurance Law arts. 36–37; SPC Interp. III art. 8: cover resumes on reinstatement, not before). The
suspension history is kept, every period, in ``policy_suspensions`` and the claims engine reads it."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import with_uploads
from tests.factories import make_user
from tests.policies.flow import ACCOUNT, issue
from tests.policies.test_billing_helpers import on, run_job

SUSPENDED = date(2028, 1, 26)  # annual family CI issued 26 Nov 2026: instalment 2 unpaid, grace to 25 Jan 2028
REINSTATED = date(2028, 3, 1)


def _ci_claim(person: int, day: date) -> dict[str, Any]:
    return {
        "insured_person_id": person,
        "claim_type": "ci_diagnosis",
        "event_date": day.isoformat(),
        "diagnoses": [{"icd10": "C34.1", "description": "肺恶性肿瘤", "icd_o3_behaviour": 3}],
        "ci": {"disease": "cancer", "diagnosed_on": day.isoformat()},
        "documents": [
            "claim_form",
            "insured_id",
            "bank_account",
            "diagnosis_certificate",
            "test_reports",
            "discharge_summary",
            "pathology_report",
        ],
        "account": ACCOUNT,
    }


def test_event_during_a_past_suspension_stays_unpaid_after_reinstatement(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    on(runtime, date(2028, 2, 1))
    assert run_job(runtime).changed == {"in_force->suspended": 1}
    on(runtime, REINSTATED)
    url = f"/api/v1/policies/{issued.policy_id}/reinstatement"
    done = client.post(
        url,
        json={"account": ACCOUNT, "risk_increased": False},
        headers=issued.headers | {"Idempotency-Key": "reinstate-susp-1"},
    )
    assert done.status_code == 201 and done.json()["policy_status"] == "in_force", done.text
    billing = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    assert billing["status"] == "in_force" and billing["suspended_on"] is None
    # the period is kept after reinstatement: 26 Jan 2028 – 1 Mar 2028
    (period,) = billing["suspensions"]
    assert (period["suspended_on"], period["ended_on"], period["end_reason"]) == (
        "2028-01-26",
        "2028-03-01",
        "reinstated",
    )
    # cancer diagnosed on 10 Feb 2028, inside the suspension, claimed after reinstatement
    response = client.post(
        f"/api/v1/households/{issued.household_id}/claims",
        json=with_uploads(client, issued.household_id, issued.headers, _ci_claim(issued.head, date(2028, 2, 10))),
        headers=issued.headers | {"Idempotency-Key": "claim-in-suspension"},
    )
    assert response.status_code == 201, response.text
    claim = response.json()
    assert claim["status"] == "declined" and float(claim["paid_amount"]) == 0, claim["explanation_zh"]
    assert "效力中止" in claim["rejection_notice_zh"]
    make_user(runtime, "adjuster", Role.CLAIMS)
    reasoning = client.get(f"/api/v1/claims/{claim['id']}/assessment", headers=token_for(client, "adjuster")).json()
    assert "policy_suspended" in {r["code"] for r in reasoning["assessment"]["reasons"]}
    events = reasoning["facts"]["policies"][0]["status_history"]
    assert events == [{"kind": "suspended", "on": "2028-01-26"}, {"kind": "reinstated", "on": "2028-03-01"}]
