"""The policy servicing page (保全服务) without a browser: the requests list, the online beneficiary change with
in-place messages, and the contact change."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.policies.flow import issue
from tests.web.test_pages import csrf, log_in


def test_servicing_page_changes_a_beneficiary_online(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    log_in(client, "zhang")
    url = f"/policies/{issued.policy_id}/servicing"
    page = client.get(url)
    assert page.status_code == 200
    for testid in ("svc-beneficiary-insured", "svc-beneficiary-name-0", "svc-beneficiary-share-0",
                   "svc-beneficiary-consent", "svc-beneficiary-submit", "svc-requests"):  # fmt: skip
        assert f'data-testid="{testid}"' in page.text
    token = csrf(client, url)
    form = {"csrf_token": token, "insured_person_id": str(issued.spouse), "mode": "named",
            "name-0": "张伟", "share-0": "60", "name-1": "张小明", "share-1": "30"}  # fmt: skip
    refused = client.post(f"{url}/beneficiary", data=form)
    assert refused.status_code == 422
    assert 'data-field="beneficiaries.order_1"' in refused.text and 'data-field="insured_consent"' in refused.text
    assert 'value="张小明"' in refused.text  # what was typed stays in the form
    assert "暂无保全申请" in refused.text  # nothing was recorded
    done = client.post(f"{url}/beneficiary", data=form | {"share-0": "70", "insured_consent": "on"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == f"{url}?done=beneficiary"
    listed = client.get(done.headers["location"]).text
    assert 'data-testid="svc-done"' in listed and 'data-kind="beneficiary"' in listed and "线上" in listed
    policy = client.get(f"/policies/{issued.policy_id}").text
    assert "张伟 70%" in policy and "张小明 30%" in policy


def test_servicing_page_changes_the_contact_number(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    log_in(client, "zhang")
    url = f"/policies/{issued.policy_id}/servicing"
    token = csrf(client, url)
    bad = client.post(f"{url}/contact", data={"csrf_token": token, "phone": "123"})
    assert bad.status_code == 422 and 'data-field="phone"' in bad.text
    good = client.post(f"{url}/contact", data={"csrf_token": token, "phone": "13987654321"}, follow_redirects=False)
    assert good.status_code == 303
    assert 'data-kind="contact_details"' in client.get(good.headers["location"]).text
