"""Issue 9 item 9 through the API: the suicide exclusion (Insurance Law art. 44) reads "within 2 years of
formation" as the reinstatement window does (art. 37; Civil Code arts. 201–202): the anniversary day is inside."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.policies.rules.schedule import add_years
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for, with_uploads
from tests.factories import add_member, make_family, make_user, resident_id
from tests.policies.test_billing_helpers import on

SPOUSE_ACCOUNT = "6217001234567890122"


def _suicide(insured: int, payee: int, day: date) -> dict[str, Any]:
    return {
        "insured_person_id": insured,
        "claim_type": "death",
        "cause": "suicide",
        "event_date": day.isoformat(),
        "documents": [
            "claim_form",
            "insured_id",
            "death_certificate",
            "household_deregistration",
            "beneficiary_id",
            "relationship_proof",
            "bank_account",
        ],
        "payee_person_id": payee,
        "account": SPOUSE_ACCOUNT,
    }


def test_suicide_on_the_second_anniversary_is_still_excluded(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    add_member(
        runtime,
        family.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", 7),
    )
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    spouse = next(m["person_id"] for m in members if m["relationship"] == "spouse")
    issued_on = runtime.clock.today()
    issue_for(client, family.household_id, headers, "whole_life", [(family.head_person_id, "300000")], payment_term=1)
    anniversary = add_years(issued_on, 2)
    on(runtime, anniversary)
    url = f"/api/v1/households/{family.household_id}/claims"
    inside = client.post(
        url,
        json=with_uploads(client, family.household_id, headers, _suicide(family.head_person_id, spouse, anniversary)),
        headers=headers | {"Idempotency-Key": "suicide-0001"},
    )
    assert inside.status_code == 201, inside.text
    assert inside.json()["status"] == "declined" and "2年内自杀" in inside.json()["rejection_notice_zh"]
    on(runtime, anniversary + timedelta(days=1))
    outside = client.post(
        url,
        json=with_uploads(
            client,
            family.household_id,
            headers,
            _suicide(family.head_person_id, spouse, anniversary + timedelta(days=1)),
        ),
        headers=headers | {"Idempotency-Key": "suicide-0002"},
    ).json()
    assert outside["status"] == "referred"  # a death claim goes to an adjuster; the exclusion no longer applies
    make_user(runtime, "adjuster", Role.CLAIMS)
    adjuster = token_for(client, "adjuster")
    first = client.get(f"/api/v1/claims/{inside.json()['id']}/assessment", headers=adjuster).json()
    second = client.get(f"/api/v1/claims/{outside['id']}/assessment", headers=adjuster).json()
    assert "suicide_within_2_years" in {r["code"] for r in first["assessment"]["reasons"]}
    assert "suicide_within_2_years" not in {r["code"] for r in second["assessment"]["reasons"]}
