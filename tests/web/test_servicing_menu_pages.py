"""The servicing menu pages (issue 17) without a browser: the customer's online forms, the counter's identity and
confirmation checks with in-place messages, and the service-quality panel."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.factories import make_user
from tests.policies.flow import issue
from tests.web.test_pages import csrf, log_in

LATIN = re.compile(r">[^<]*[A-Za-z]{3,}[^<]*<")


def test_customer_menu_offers_every_item_and_records_online(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    log_in(client, "zhang")
    url = f"/policies/{issued.policy_id}/servicing/menu"
    page = client.get(url)
    assert page.status_code == 200
    for kind in ("address", "occupation", "identity", "reduce_sum_assured", "reduced_paid_up", "policy_loan",
                 "loan_repayment", "automatic_premium_loan", "survival_confirmation", "renewal", "reprint",
                 "loss_report", "id_number_correction", "policyholder"):  # fmt: skip
        assert f'data-item="{kind}"' in page.text
    assert f'href="/policies/{issued.policy_id}/servicing/holder"' in page.text  # 变更投保人 (issue 12 item 4)
    assert 'data-item="rescission"' not in page.text and 'data-item="age_correction"' not in page.text  # staff only
    assert 'name="identity_verified"' not in page.text  # online: the log-in is the identity
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page.text, flags=re.S)
    body = text[text.index("<main") :] if "<main" in text else text
    body = body.replace("¥", "").replace(runtime.settings.hotline, "")  # the hotline setting's placeholder
    assert not LATIN.search(body), LATIN.search(body)  # no English word on the Chinese page
    token = csrf(client, url)
    bad = client.post(f"{url}/address", data={"csrf_token": token, "address": "短"})
    assert bad.status_code == 422 and 'data-field="address"' in bad.text
    done = client.post(f"{url}/address", data={"csrf_token": token, "address": "上海市浦东新区世纪大道100号"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    listed = client.get(f"/policies/{issued.policy_id}/servicing").text
    assert 'data-kind="address"' in listed and "线上" in listed


def test_counter_records_identity_check_confirmation_and_phone(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    make_user(runtime, "counter1", Role.SERVICE)
    log_in(client, "counter1")
    url = f"/policies/{issued.policy_id}/servicing/menu"
    page = client.get(url)
    assert 'data-item="rescission"' in page.text and 'name="identity_verified"' in page.text
    token = csrf(client, url)
    refused = client.post(f"{url}/reprint", data={"csrf_token": token, "reason": "damaged"})
    assert refused.status_code == 422
    assert 'data-field="identity_verified"' in refused.text and 'data-field="customer_confirmed"' in refused.text
    done = client.post(
        f"{url}/reprint",
        data={"csrf_token": token, "reason": "damaged", "identity_verified": "on", "customer_confirmed": "on",
              "via": "phone"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    listed = client.get(f"/policies/{issued.policy_id}/servicing").text
    assert 'data-kind="reprint"' in listed and "电话" in listed
    panel = client.get("/service/quality")
    assert panel.status_code == 200 and 'data-kind="reprint"' in panel.text
    assert 'data-testid="svq-share-reprint">0.0%' in panel.text


def test_quality_panel_is_for_staff_only(client: TestClient, runtime: Runtime) -> None:
    issue(client, runtime)
    log_in(client, "zhang")
    assert client.get("/service/quality").status_code == 403


def test_family_home_lists_every_request_with_its_status(client: TestClient, runtime: Runtime) -> None:
    """Issue 17 item 3: the customer sees each request and its status in the family home."""
    issued = issue(client, runtime)
    log_in(client, "zhang")
    url = f"/policies/{issued.policy_id}/servicing/menu"
    token = csrf(client, url)
    client.post(f"{url}/reprint", data={"csrf_token": token, "reason": "lost"})
    home = client.get(f"/households/{issued.household_id}").text
    assert f'hx-get="/households/{issued.household_id}/service-requests"' in home
    fragment = client.get(f"/households/{issued.household_id}/service-requests").text
    assert 'data-kind="reprint"' in fragment and "保单补发" in fragment and "已办结" in fragment
