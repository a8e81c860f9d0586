"""The return-visit page: request the code, a wrong code, the right one, the questions and the result."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.policies.flow import issue
from tests.policies.test_return_visits_steps import last_code
from tests.web.test_pages import csrf, log_in


def test_customer_completes_the_visit_on_the_page(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    log_in(client, "zhang")
    page_url = f"/policies/{issued.policy_id}/return-visit"
    assert 'data-testid="pending-return-visit"' in client.get(f"/policies/{issued.policy_id}").text
    page = client.get(page_url)
    assert page.status_code == 200 and "电子回访" in page.text and 'data-testid="visit-send-code"' in page.text
    assert 'data-testid="visit-code"' not in page.text
    token = csrf(client, page_url)
    assert client.post(page_url + "/code").status_code == 403  # no CSRF token
    sent = client.post(page_url + "/code", data={"csrf_token": token}, follow_redirects=True)
    assert sent.status_code == 200 and 'data-testid="visit-code-sent"' in sent.text
    assert 'data-testid="visit-code"' in sent.text and 'data-testid="visit-verify"' in sent.text
    code = last_code(runtime)
    assert code not in sent.text
    wrong = client.post(page_url + "/verify", data={"csrf_token": token, "code": "000000" if code != "000000" else "1"})
    assert wrong.status_code == 422 and 'data-testid="visit-problems"' in wrong.text
    verified = client.post(page_url + "/verify", data={"csrf_token": token, "code": code}, follow_redirects=True)
    points = re.findall(r'data-testid="visit-answer-([a-z_]+)-yes"', verified.text)
    assert points and points[0] == "identity" and 'data-testid="visit-submit"' in verified.text
    assert 'data-testid="visit-answer-identity-no"' in verified.text
    missing = client.post(page_url + "/answers", data={"csrf_token": token, "answer-identity": "yes"})
    assert missing.status_code == 422 and "请回答此问题" in missing.text
    assert 'value="yes" data-testid="visit-answer-identity-yes" checked' in missing.text  # the answer is kept
    form = {"csrf_token": token, **{f"answer-{p}": "yes" for p in points}}
    done = client.post(page_url + "/answers", data=form, follow_redirects=True)
    assert done.status_code == 200 and 'data-testid="visit-result"' in done.text
    assert 'data-status="passed"' in done.text and "回访已完成" in done.text
    closed = client.post(page_url + "/code", data={"csrf_token": token})
    assert closed.status_code == 409 and "回访已结束" in closed.text
