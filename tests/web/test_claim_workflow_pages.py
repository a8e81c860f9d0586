"""Claims workflow pages without a browser: the death claim's recipients (legal heirs, shares, their own accounts)
in Chinese on the claim page; a wrong card is refused in place and nothing changes; the adjuster's handle page
in Chinese with no raw code; the queue's reminder once the art. 25 advance date has come; the panel by channel."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.claims.flow import CHILD_ACCOUNT, issue_for, upload
from tests.claims.test_claims_family import _household
from tests.factories import make_user
from tests.web.test_pages import csrf, log_in

RAW = re.compile(r"claim\.[a-z_]+")
DEATH_DOCS = [
    "claim_form",
    "insured_id",
    "death_certificate",
    "household_deregistration",
    "beneficiary_id",
    "relationship_proof",
    "bank_account",
    "accident_proof",
]


def test_death_claim_recipients_and_the_handle_page(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 42 / Civil Code art. 1127: no beneficiary named, so spouse and child (first order) share
    equally; each gives their own account on the claim page (Internet Measures art. 40)."""
    home = _household(client, runtime)
    issue_for(client, home.id, home.headers, "whole_life", [(home.head, "300000")], payment_term=1)
    runtime.clock.advance(timedelta(days=30))
    auth = {k: v for k, v in home.headers.items() if k.lower() == "authorization"}
    day: date = runtime.clock.today() - timedelta(days=1)
    body = {
        "insured_person_id": home.head,
        "claim_type": "death",
        "cause": "accident",
        "event_date": day.isoformat(),
        "document_ids": upload(client, home.id, auth, DEATH_DOCS),
        "payee_person_id": home.spouse,
        "account": "6217001234567890122",
    }
    claim = client.post(
        f"/api/v1/households/{home.id}/claims", json=body, headers=home.headers | {"Idempotency-Key": "page-death-1"}
    ).json()
    child_row = next(b for b in claim["beneficiaries"] if b["person_id"] == home.child)

    log_in(client, "zhang")
    page = client.get(f"/claims/{claim['id']}")
    assert page.status_code == 200
    assert "第一顺序法定继承人" in page.text and "50.00%" in page.text and not RAW.search(page.text)
    token = csrf(client, f"/claims/{claim['id']}")
    wrong = client.post(
        f"/claims/{claim['id']}/beneficiary-account",
        data={"csrf_token": token, "beneficiary_id": str(child_row["id"]), "account": "6222021234567890121"},
    )
    assert wrong.status_code == 422 and 'data-testid="claim-problems"' in wrong.text
    right = client.post(
        f"/claims/{claim['id']}/beneficiary-account",
        data={"csrf_token": token, "beneficiary_id": str(child_row["id"]), "account": CHILD_ACCOUNT},
        follow_redirects=False,
    )
    assert right.status_code == 303
    assert "0128" in client.get(f"/claims/{claim['id']}").text  # the child's own card, masked

    make_user(runtime, "adjuster", Role.CLAIMS)
    client.cookies.clear()
    log_in(client, "adjuster")
    handle = client.get(f"/claims/{claim['id']}/handle")
    assert handle.status_code == 200, handle.text
    assert "二次核保" in handle.text and "理赔调查" in handle.text and not RAW.search(handle.text)
    assert 'data-testid="advances-due"' not in client.get("/claims-queue").text
    runtime.clock.advance(timedelta(days=61))  # undecided 60 days after receipt: the art. 25 advance is due
    client.cookies.clear()
    log_in(client, "adjuster")  # the session of 61 days ago has expired
    queue = client.get("/claims-queue").text
    assert 'data-testid="advances-due"' in queue and claim["claim_no"] in queue
    panel = client.get("/claims-panel")
    assert "理赔服务质量（按报案渠道）" in panel.text and 'data-testid="panel-accepted-online">1<' in panel.text
