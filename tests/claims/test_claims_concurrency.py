"""100 concurrent duplicate submissions of one claim over HTTP (same Idempotency-Key) produce one claim and one
payment (run with ``--db postgresql`` as well as SQLite)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.claims.models import Claim, ClaimAssessment, ClaimInvoice, ClaimLine
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.claims.flow import child_with_outpatient_cover, outpatient_claim, with_uploads


def test_hundred_concurrent_duplicate_claims_make_one_claim_and_one_payment(
    client: TestClient, runtime: Runtime, live_url: str
) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    body = with_uploads(
        client,
        covered.household_id,
        covered.headers,
        outpatient_claim(covered.child, runtime.clock.today(), amount="800", invoice="INV-RACE-1"),
    )
    headers = covered.headers | {"Idempotency-Key": "double-tap-claim-0001"}
    url = f"{live_url}/api/v1/households/{covered.household_id}/claims"

    def submit(_: int) -> httpx.Response:
        return httpx.post(url, json=body, headers=headers, timeout=120)

    with ThreadPoolExecutor(max_workers=100) as pool:
        responses = list(pool.map(submit, range(100)))
    assert sorted({r.status_code for r in responses}) == [201], [r.text for r in responses if r.status_code != 201]
    claims = [r.json() for r in responses]
    assert len({c["id"] for c in claims}) == 1 and len({c["claim_no"] for c in claims}) == 1
    # exactly one request created the claim; the other 99 were answered with it
    assert sum(1 for c in claims if not c["replayed"]) == 1
    # every answer shows the same paid claim: 800 × 90% = 720
    assert {(c["status"], Decimal(c["paid_amount"])) for c in claims} == {("paid", Decimal("720.00"))}
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(Claim.id))) == 1
        assert session.scalar(select(func.count(ClaimAssessment.id))) == 1
        assert session.scalar(select(func.count(ClaimLine.id))) == 1
        assert session.scalar(select(func.count(ClaimInvoice.id))) == 1
        assert session.scalar(select(func.count(Payment.id)).where(Payment.kind == "claim")) == 1
