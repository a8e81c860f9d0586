"""Issue 9 item 8: evidence before money — a CI advance above the configured amount (default ¥50,000,
Settings.claims_advance_adjuster_above) is never paid without an adjuster (Insurance Law art. 25 allows an advance
of what is determinable, it does not require paying it unchecked); health data is encrypted at rest (PIPL art. 28)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.claims.models import Claim, ClaimAssessment, ClaimDocument
from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import PNG, child_with_outpatient_cover, issue_for, outpatient_claim, with_uploads
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


def test_documents_are_uploaded_checked_by_content_and_served_only_as_downloads(
    client: TestClient, runtime: Runtime
) -> None:
    """Evidence before money (BSR 2010 art. 22 documents; PIPL art. 28 sensitive data): a claim ticked but not
    documented is not paid straight through; uploads are checked by their magic bytes, stored encrypted and
    served back only as an attachment with nosniff."""
    covered = child_with_outpatient_cover(client, runtime)
    url = f"/api/v1/households/{covered.household_id}/claim-documents"
    auth = covered.headers
    html = client.post(
        url,
        data={"kind": "invoice"},
        files={"file": ("x.png", b"<html><script>alert(1)</script>", "image/png")},
        headers=auth,
    )
    assert html.status_code == 422 and html.json()["error"]["fields"][0]["code"] == "unsupported_type"
    exe = client.post(
        url,
        data={"kind": "invoice"},
        files={"file": ("a.pdf", b"MZ\x90\x00" + bytes(64), "application/pdf")},
        headers=auth,
    )
    assert exe.status_code == 422
    big = client.post(
        url,
        data={"kind": "invoice"},
        files={"file": ("b.png", PNG + bytes(10 * 1024 * 1024), "image/png")},
        headers=auth,
    )
    assert big.status_code == 422 and big.json()["error"]["fields"][0]["code"] == "too_large"
    unknown = client.post(url, data={"kind": "selfie"}, files={"file": ("c.png", PNG, "image/png")}, headers=auth)
    assert unknown.status_code == 422
    # a claim without the uploads is not paid straight through: every document is missing
    body = outpatient_claim(covered.child, runtime.clock.today())
    body.pop("documents")
    bare = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=body | {"document_ids": []},
        headers=auth | {"Idempotency-Key": "no-evidence-1"},
    ).json()
    assert bare["status"] == "referred" and "invoice" in bare["missing_documents"] and D(bare["paid_amount"]) == 0
    ticked = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=outpatient_claim(covered.child, runtime.clock.today(), invoice="INV-TICK"),
        headers=auth | {"Idempotency-Key": "ticked-only-1"},
    )
    assert ticked.status_code == 422  # ticking boxes is not a field any more
    pdf = b"%PDF-1.7\n" + bytes(100)
    uploaded = client.post(url, data={"kind": "invoice"}, files={"file": ("i.html", pdf, "text/html")}, headers=auth)
    assert uploaded.status_code == 201 and uploaded.json()["content_type"] == "application/pdf"  # by content
    with unit_of_work(runtime.sessions) as session:
        stored = session.get(ClaimDocument, uploaded.json()["id"])
        assert stored is not None and b"%PDF" not in stored.data_enc  # encrypted at rest
    served = client.get(f"/api/v1/claim-documents/{uploaded.json()['id']}/content", headers=auth)
    assert served.status_code == 200 and served.content == pdf
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["x-content-type-options"] == "nosniff"
    make_user(runtime, "stranger", Role.CUSTOMER)
    assert client.get(
        f"/api/v1/claim-documents/{uploaded.json()['id']}/content", headers=token_for(client, "stranger")
    ).status_code in (403, 404)
    paid = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(
            client,
            covered.household_id,
            auth,
            outpatient_claim(covered.child, runtime.clock.today(), invoice="INV-DOCS"),
        ),
        headers=auth | {"Idempotency-Key": "with-evidence-1"},
    ).json()
    assert paid["status"] == "paid" and len(paid["documents"]) == 8  # 800 × 90% = 720 with every document uploaded
