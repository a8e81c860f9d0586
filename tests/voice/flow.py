"""Shared steps for complaint tests: a family with a claim, staff for every complaint team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from jiabao.core.auth import Principal, Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import Covered, child_with_outpatient_cover, outpatient_claim, with_uploads
from tests.factories import make_user


@dataclass
class Staff:
    claims_a: Principal
    claims_b: Principal
    service: Principal
    admin: Principal
    admin2: Principal


def staff(runtime: Runtime) -> Staff:
    return Staff(
        make_user(runtime, "claims_a", Role.CLAIMS),
        make_user(runtime, "claims_b", Role.CLAIMS),
        make_user(runtime, "service1", Role.SERVICE),
        make_user(runtime, "admin1", Role.ADMIN),
        make_user(runtime, "admin2", Role.ADMIN),
    )


def family_with_claim(client: TestClient, runtime: Runtime) -> tuple[Covered, int]:
    covered = child_with_outpatient_cover(client, runtime)
    today = runtime.clock.today()
    response = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, outpatient_claim(covered.child, today)),
        headers=covered.headers | {"Idempotency-Key": "complaint-claim-1"},
    )
    assert response.status_code == 201, response.text
    return covered, int(response.json()["id"])


def file(client: TestClient, household_id: int, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    payload = {"summary": "理赔款迟迟不到账，一直说在审核，请尽快处理", **body}
    response = client.post(f"/api/v1/households/{household_id}/complaints", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def headers_for(client: TestClient, username: str) -> dict[str, str]:
    return token_for(client, username)
