"""Claim pages without a browser: filing (errors in place, the checklist, proxy authorisation, one claim per
form), tracking, the household's claims, the adjuster queue with a decision, and the claims panel."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.claims.flow import CHILD_ACCOUNT, PNG, Covered, child_with_outpatient_cover
from tests.factories import add_member, make_user, resident_id
from tests.web.test_pages import csrf, log_in

OUTPATIENT_DOCS = ("claim_form", "insured_id", "bank_account", "invoice", "expense_list", "outpatient_record")
DOC_FILES = {
    f"doc-{d}": (f"{d}.png", PNG, "image/png") for d in (*OUTPATIENT_DOCS, "proxy_authorisation", "guardian_proof")
}
"""Every document of the checklist uploaded as a (small) PNG: evidence, not ticks."""


def _key(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _form(covered: Covered, token: str, key: str, today: date, **overrides: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "idempotency_key": key,
        "insured_person_id": str(covered.child),
        "claim_type": "outpatient",
        "cause": "illness",
        "event_date": (today - timedelta(days=2)).isoformat(),
        "hospital": "北京儿童医院",
        "icd10": "J06.9",
        "diagnosis": "急性上呼吸道感染",
        "description-0": "门诊费用",
        "amount-0": "800",
        "si-0": "0",
        "invoice-0": "INV-0001",
        "social_insurance_settled": "on",
        "account": CHILD_ACCOUNT,
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v != ""}


def _field_error(html: str, field: str) -> bool:
    return f'class="field-error" role="alert" data-field="{field}"' in html


def test_filing_for_a_child_errors_in_place_then_paid_once(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    today = runtime.clock.today()
    log_in(client, "zhang")
    url = f"/households/{covered.household_id}/claims/new"
    page = client.get(f"{url}?insured={covered.child}")
    assert page.status_code == 200
    # every document at once: the outpatient list, plus the proxy's authorisation and guardianship for a minor
    for code in (*OUTPATIENT_DOCS, "proxy_authorisation", "guardian_proof"):
        assert f'data-testid="claim-doc-{code}"' in page.text
    assert 'data-testid="claim-authorised"' not in page.text  # a child: no authorisation from the insured
    token, key = csrf(client, url), _key(page.text)

    fields = client.post(
        f"{url}/fields",
        data={"insured_person_id": str(covered.child), "claim_type": "ci_diagnosis", "ci-disease": "cancer"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert fields.status_code == 200 and 'data-testid="claim-ci"' in fields.text
    assert 'data-testid="claim-doc-pathology_report"' in fields.text and "<html" not in fields.text
    assert 'data-testid="claim-amount-0"' not in fields.text

    bad = client.post(
        url, files=DOC_FILES, data=_form(covered, token, key, today, **{"event_date": "", "amount-0": "八百"})
    )
    assert bad.status_code == 422
    assert _field_error(bad.text, "event_date") and _field_error(bad.text, "amount-0")
    assert _key(bad.text) == key and 'value="INV-0001"' in bad.text  # the form comes back as typed, same key
    future = client.post(
        url, data=_form(covered, token, key, today, event_date=(today + timedelta(days=3)).isoformat())
    )
    assert future.status_code == 422 and _field_error(future.text, "event_date")
    card = client.post(url, files=DOC_FILES, data=_form(covered, token, key, today, account="62220212345abc"))
    assert card.status_code == 422 and _field_error(card.text, "account")

    filed = client.post(url, files=DOC_FILES, data=_form(covered, token, key, today), follow_redirects=False)
    assert filed.status_code == 303, filed.text
    location = filed.headers["location"]
    assert re.fullmatch(r"/claims/\d+\?filed=1", location)
    tracking = client.get(location)
    assert 'data-testid="claim-status" data-status="paid"' in tracking.text
    assert re.search(r'data-testid="claim-paid">¥720.00<', tracking.text)  # (800 − 0) × 90% settled via social ins.
    assert 'data-testid="claim-lines"' in tracking.text and "门诊" in tracking.text
    again = client.post(url, files=DOC_FILES, data=_form(covered, token, key, today), follow_redirects=False)
    assert again.headers["location"] == location  # the same form twice: one claim, one payment

    listing = client.get(f"/households/{covered.household_id}/claims")
    assert listing.status_code == 200 and listing.text.count("data-claim-id=") == 1
    assert 'data-testid="open-claim"' in listing.text


def test_proxy_for_an_adult_needs_the_insureds_authorisation(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    add_member(
        runtime,
        covered.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", 2),
    )
    wife = next(
        m["person_id"]
        for m in client.get(f"/api/v1/households/{covered.household_id}/members", headers=covered.headers).json()
        if m["relationship"] == "spouse"
    )
    log_in(client, "zhang")
    url = f"/households/{covered.household_id}/claims/new"
    page = client.get(f"{url}?insured={wife}")
    assert 'data-testid="claim-authorised"' in page.text and 'data-testid="claim-doc-guardian_proof"' not in page.text
    form = _form(covered, csrf(client, url), _key(page.text), runtime.clock.today(), insured_person_id=str(wife))
    refused = client.post(url, files=DOC_FILES, data=form)
    assert refused.status_code == 422 and _field_error(refused.text, "insured_authorised")


def test_adjuster_sees_the_reasoning_and_decides_and_the_panel_counts(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    today = runtime.clock.today()
    log_in(client, "zhang")
    url = f"/households/{covered.household_id}/claims/new"
    page = client.get(f"{url}?insured={covered.child}")
    big = _form(covered, csrf(client, url), _key(page.text), today, **{"amount-0": "5000", "invoice-0": "INV-9"})
    filed = client.post(url, files=DOC_FILES, data=big, follow_redirects=True)
    assert 'data-status="referred"' in filed.text  # above the ¥3,000 small-claims limit
    claim_id = int(re.search(r"/claims/(\d+)", str(filed.url)).group(1))  # type: ignore[union-attr]
    assert client.get("/claims-queue").status_code == 403  # customers do not see the queue

    make_user(runtime, "adjuster", Role.CLAIMS)
    log_in(client, "adjuster")
    queue = client.get("/claims-queue")
    assert queue.status_code == 200 and f'data-testid="queue-claim-{claim_id}"' in queue.text
    assert 'data-code="above_fast_pay_limit"' in queue.text and 'data-testid="engine-facts"' in queue.text
    amount_field = f'name="amount-{covered.policy_id}"'
    assert amount_field in queue.text
    token = csrf(client, "/claims-queue")
    missing = client.post(f"/claims/{claim_id}/decision", data={"csrf_token": token, "decision": "approve"})
    assert missing.status_code == 422 and 'data-testid="decision-problems"' in missing.text
    decided = client.post(
        f"/claims/{claim_id}/decision",
        data={
            "csrf_token": token,
            "decision": "approve",
            f"amount-{covered.policy_id}": "4500",
            "reason": "发票与病历核实无误",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303, decided.text
    tracking = client.get(f"/claims/{claim_id}").text
    assert 'data-status="paid"' in tracking and "¥4,500.00" in tracking
    assert f'data-testid="queue-claim-{claim_id}"' not in client.get("/claims-queue").text

    panel = client.get("/claims-panel")
    assert panel.status_code == 200
    assert re.search(r'data-testid="panel-online">100.0%', panel.text)
    assert re.search(r'data-testid="panel-total">1<', panel.text) and 'data-testid="panel-p50"' in panel.text


def test_customer_names_the_illness_and_the_code_is_looked_up(client: TestClient, runtime: Runtime) -> None:
    """Issue 11 item 8: no ICD code is asked of a customer; the plain name is resolved (exact names only), an
    unknown one comes back beside the field with suggestions, never a guessed code."""
    covered = child_with_outpatient_cover(client, runtime)
    log_in(client, "zhang")
    page = client.get(f"/households/{covered.household_id}/claims/new")
    assert 'data-testid="claim-icd10"' not in page.text and "ICD" not in page.text and "急性上呼吸道感染" in page.text
    token = csrf(client, f"/households/{covered.household_id}/claims/new")
    form = _form(covered, token, "name-claim-key-1", runtime.clock.today(), icd10="", diagnosis="肺")
    unknown = client.post(f"/households/{covered.household_id}/claims/new", data=form)
    assert unknown.status_code == 422 and 'data-field="diagnosis"' in unknown.text and "肺炎" in unknown.text
    form["diagnosis"] = "急性上呼吸道感染"
    named = client.post(f"/households/{covered.household_id}/claims/new", data=form, follow_redirects=False)
    assert not _field_error(named.text, "diagnosis")
