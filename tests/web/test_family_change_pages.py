"""Family-level servicing pages without a browser (issue 12 item 4): the family-wide change page shows which policies
will change and which other adults' contracts are skipped, changes all or nothing, in Chinese; the change of
policyholder pages carry the holder's request and the new holder's consent (each from their own log-in) and the
counter's identity checks (Insurance Law arts. 20, 31, 34; Basic Service Rules arts. 19-20)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Policy, ServiceRequest
from jiabao.runtime import Runtime
from tests.claims.flow import issue_for
from tests.factories import make_user
from tests.policies.flow import issue
from tests.policies.test_policyholder_change import _home
from tests.web.test_pages import csrf, log_in

LATIN = re.compile(r">[^<]*[A-Za-z]{3,}[^<]*<")
ADDRESS = "上海市浦东新区世纪大道100号12楼1203室"


def _chinese_only(runtime: Runtime, html: str) -> None:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    body = text[text.index("<main") :] if "<main" in text else text
    body = body.replace("¥", "").replace(runtime.settings.hotline, "")
    assert not LATIN.search(body), LATIN.search(body)  # no English word on the Chinese page


def test_family_change_page_previews_skips_and_changes_all_or_nothing(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    medical = issue_for(
        client, issued.household_id, issued.headers, "outpatient_medical", [(issued.spouse, "20000")], payment_term=1
    )
    with unit_of_work(runtime.sessions) as session:
        held = session.get(Policy, medical)
        assert held is not None
        held.policyholder_person_id = issued.spouse  # the wife's own contract (as after 变更投保人)
    log_in(client, "zhang")
    home = client.get(f"/households/{issued.household_id}")
    assert f'href="/households/{issued.household_id}/servicing/family"' in home.text  # on the family home
    url = f"/households/{issued.household_id}/servicing/family"
    page = client.get(url)
    assert page.status_code == 200 and "全家统一变更" in page.text
    assert f'data-policy="{issued.policy_id}" data-changes="yes"' in page.text
    assert f'data-policy="{medical}" data-changes="no"' in page.text  # another adult's contract: skipped
    _chinese_only(runtime, page.text)

    token = csrf(client, url)
    bad = client.post(url, data={"csrf_token": token, "kind": "payment_account", "account": "6222021234567890129",
                                 "debit_authorised": "on"})  # fmt: skip  # the check digit fails
    assert bad.status_code == 422 and 'data-field="account"' in bad.text
    with unit_of_work(runtime.sessions) as session:
        assert not list(session.scalars(select(ServiceRequest).where(ServiceRequest.kind == "payment_account")))

    done = client.post(url, data={"csrf_token": token, "kind": "address", "address": ADDRESS})
    assert done.status_code == 200 and 'data-testid="fch-done"' in done.text
    assert done.text.count('data-testid="fch-done-policy"') == 1 and 'data-testid="fch-done-skipped"' in done.text
    _chinese_only(runtime, done.text)
    with unit_of_work(runtime.sessions) as session:
        mine, theirs = session.get(Policy, issued.policy_id), session.get(Policy, medical)
        assert mine is not None and theirs is not None
        assert "address" in mine.details and "address" not in theirs.details


def test_policyholder_change_pages_request_consent_and_counter(client: TestClient, runtime: Runtime) -> None:
    home = _home(client, runtime)
    log_in(client, "zhang")
    url = f"/policies/{home.policy}/servicing/holder"
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="hch-request-form"' in page.text
    _chinese_only(runtime, page.text)
    token = csrf(client, url)
    refused = client.post(url, data={"csrf_token": token, "new_holder_person_id": str(home.grown)})
    assert refused.status_code == 422 and 'data-code="death_cover_consent_missing"' in refused.text
    asked = client.post(url, data={"csrf_token": token, "new_holder_person_id": str(home.spouse)},
                        follow_redirects=False)  # fmt: skip
    assert asked.status_code == 303
    waiting = client.get(url)
    assert 'data-testid="hch-waiting"' in waiting.text and 'data-testid="hch-consent-form"' not in waiting.text

    client.post("/logout", data={"csrf_token": csrf(client)})
    client.cookies.clear()
    log_in(client, "lina")
    requests = client.get(f"/households/{home.id}/service-requests")
    assert 'data-testid="holder-pending"' in requests.text  # the family home tells her
    mine = client.get(url)
    assert 'data-testid="hch-consent-form"' in mine.text
    _chinese_only(runtime, mine.text)
    token = csrf(client, url)
    missing = client.post(f"{url}/consent", data={"csrf_token": token, "account": "6222021234567890128"})
    assert missing.status_code == 422 and 'data-field="capacity_declared"' in missing.text
    consented = client.post(f"{url}/consent", data={"csrf_token": token, "capacity_declared": "on",
                                                    "account": "6222021234567890128", "debit_authorised": "on"},
                            follow_redirects=False)  # fmt: skip
    assert consented.status_code == 303
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, home.policy)
        assert policy is not None and policy.policyholder_person_id == home.spouse

    # at the counter: staff record the identity checks on both steps
    client.cookies.clear()
    make_user(runtime, "guitai", Role.SERVICE)
    log_in(client, "guitai")
    counter = client.get(url)
    assert 'name="identity_verified"' in counter.text
    token = csrf(client, url)
    unchecked = client.post(url, data={"csrf_token": token, "new_holder_person_id": str(home.head)})
    assert unchecked.status_code == 422 and 'data-field="identity_verified"' in unchecked.text
