"""证件号码更正 pages without a browser (issue 17 items 1 and 3): the customer files the corrected number with an
evidence upload from the servicing menu, sees it under review in the family home, and a service-staff member other
than who accepted it approves it; the counter records the identity check and the customer's confirmation."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.factories import make_user, resident_id
from tests.policies.flow import issue
from tests.web.test_pages import csrf, log_in

LATIN = re.compile(r">[^<]*[A-Za-z]{3,}[^<]*<")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _chinese_only(html: str, hotline: str) -> None:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    body = text[text.index("<main") :] if "<main" in text else text
    body = body.replace("¥", "").replace(hotline, "")
    assert not LATIN.search(body), LATIN.search(body)


def test_customer_files_with_evidence_and_staff_approve(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    log_in(client, "zhang")
    menu = client.get(f"/policies/{issued.policy_id}/servicing/menu").text
    assert f'href="/policies/{issued.policy_id}/servicing/id-number"' in menu
    url = f"/policies/{issued.policy_id}/servicing/id-number"
    page = client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    assert 'name="identity_verified"' not in page.text  # online: the log-in is the identity
    _chinese_only(page.text, runtime.settings.hotline)
    token = csrf(client, url)
    number = resident_id(date(1987, 5, 20), "F", 4)
    form = {"csrf_token": token, "person_id": str(issued.spouse), "evidence_kind": "id_document"}
    bad = client.post(url, data=form | {"id_number": number[:17] + ("1" if number[17] != "1" else "2")},
                      files={"evidence": ("id.png", PNG, "image/png")})  # fmt: skip
    assert bad.status_code == 422 and 'data-code="id_checksum"' in bad.text
    _chinese_only(bad.text, runtime.settings.hotline)
    missing = client.post(url, data=form | {"id_number": number})
    assert missing.status_code == 422 and 'data-field="document_ids"' in missing.text
    done = client.post(url, data=form | {"id_number": number}, files={"evidence": ("id.png", PNG, "image/png")},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert 'data-testid="idfix-done"' in client.get(done.headers["location"]).text
    home = client.get(f"/households/{issued.household_id}/service-requests").text
    assert 'data-kind="id_number_correction"' in home and "审核中" in home
    assert client.get("/service/id-corrections").status_code == 403

    make_user(runtime, "reviewer", Role.SERVICE)
    log_in(client, "reviewer")
    queue = client.get("/service/id-corrections")
    assert queue.status_code == 200 and number not in queue.text and number[-4:] in queue.text
    _chinese_only(queue.text, runtime.settings.hotline)
    request_id = re.search(r'data-testid="idfix-row-(\d+)"', queue.text)
    assert request_id is not None
    token = csrf(client, "/service/id-corrections")
    action = f"/service/id-corrections/{request_id.group(1)}/decision"
    unanswered = client.post(action, data={"csrf_token": token, "reason": "材料清晰"})
    assert unanswered.status_code == 422 and 'data-field="decision"' in unanswered.text
    ok = client.post(action, data={"csrf_token": token, "decision": "approve", "reason": "材料清晰"},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    assert 'data-testid="idfix-none"' in client.get("/service/id-corrections").text
    log_in(client, "zhang")
    home = client.get(f"/households/{issued.household_id}/service-requests").text
    assert "已办结" in home


def test_counter_records_identity_and_confirmation_and_may_not_review_its_own(
    client: TestClient, runtime: Runtime
) -> None:
    issued = issue(client, runtime)
    make_user(runtime, "counter1", Role.SERVICE)
    log_in(client, "counter1")
    url = f"/policies/{issued.policy_id}/servicing/id-number"
    token = csrf(client, url)
    form = {"csrf_token": token, "person_id": str(issued.spouse), "evidence_kind": "household_register",
            "id_number": resident_id(date(1987, 5, 20), "F", 4)}  # fmt: skip
    files = {"evidence": ("id.png", PNG, "image/png")}
    refused = client.post(url, data=form, files=files)
    assert refused.status_code == 422
    assert 'data-field="identity_verified"' in refused.text and 'data-field="customer_confirmed"' in refused.text
    done = client.post(url, data=form | {"identity_verified": "on", "customer_confirmed": "on"}, files=files,
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    queue = client.get("/service/id-corrections").text
    assert 'data-testid="idfix-own-' in queue and "idfix-approve-" not in queue
