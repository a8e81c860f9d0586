"""Issue 9 item 8: evidence before money — a CI advance above the configured amount (default ¥50,000,
Settings.claims_advance_adjuster_above) is never paid without an adjuster (Insurance Law art. 25 allows an advance
of what is determinable, it does not require paying it unchecked); health data is encrypted at rest (PIPL art. 28)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.claims.models import Claim, ClaimAssessment
from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.policies.policy_models import Payment
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for
from tests.claims.test_claims_family import _cancer, _household, _submit
from tests.factories import make_user

D = Decimal


def test_large_ci_advance_waits_for_an_adjuster(client: TestClient, runtime: Runtime) -> None:
    assert runtime.settings.claims_advance_adjuster_above == D("50000")
    home = _household(client, runtime)
    family_ci = issue_for(
        client, home.id, home.headers, "family_ci", [(home.head, "300000")], payment_term=20, coverage=30
    )
    runtime.clock.advance(timedelta(days=120))
    claim = _submit(client, home, _cancer(home.head, runtime.clock.today() - timedelta(days=5)), "big-adv-1")
    # 1.0 × 300,000 = 300,000 determinable, above ¥50,000: held for an adjuster, nothing paid
    assert claim["status"] == "referred" and claim["advance_held"] is True and D(claim["paid_amount"]) == 0
    with unit_of_work(runtime.sessions) as session:
        assert session.scalars(select(Payment).where(Payment.kind == "claim")).all() == []
    make_user(runtime, "adjuster", Role.CLAIMS)
    adjuster = token_for(client, "adjuster")
    assert [c["id"] for c in client.get("/api/v1/claims-queue", headers=adjuster).json()] == [claim["id"]]
    decided = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": True, "reason": "病理报告确认肺腺癌，核实无误"},
        headers=adjuster,
    ).json()
    assert decided["status"] == "paid" and D(decided["paid_amount"]) == D("300000.00")
    assert {line["policy_id"] for line in decided["lines"]} == {family_ci}
    with unit_of_work(runtime.sessions) as session:
        row = session.get(Claim, claim["id"])
        assert row is not None and row.health_enc is not None
        clear = str(row.details)
        # no diagnosis, explanation or adjuster's reason in clear columns
        assert "cancer" not in clear and "恶性肿瘤" not in clear and "explanation_zh" not in clear
        reasons = session.scalars(select(ClaimAssessment.reason).where(ClaimAssessment.claim_id == row.id)).all()
        assert all(r is None for r in reasons)
        assert b"\xe8\x82\xba" not in row.health_enc  # "肺" is not readable in the stored bytes
    assert "第二十五条" in decided["explanation_zh"]  # decrypted for the reader
