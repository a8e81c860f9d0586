"""The family application's pages (issue 12 item 3, issue 11 items 2 and 4): each member's one questionnaire in
steps like a single application's (progress, 否 per list, summary), the terms and 投保须知 of every product to open
before the one confirmation (《互联网保险业务监管办法》 art. 18; 银保监发〔2020〕26号 — what was shown is recorded),
and the return visit of each policy issued asks about what was shown for it."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from jiabao.db.session import unit_of_work
from jiabao.policies.application import family as family_application
from jiabao.runtime import Runtime
from jiabao.underwriting.views import QuestionnaireOut
from jiabao.web import questionnaire_flow as flow
from tests.advice.test_api import five
from tests.factories import ctx_for
from tests.policies.flow import ACCOUNT, healthy
from tests.policies.test_return_visits_steps import last_code
from tests.web.test_pages import csrf, log_in


def _form(answers: dict[str, Any]) -> dict[str, str]:
    """The summary's hidden fields for these answers: a tick per listed code, the value of every other question."""
    form: dict[str, str] = {}
    for qid, value in answers.items():
        if isinstance(value, list):
            form.update({f"q-{qid}-{code}": "on" for code in value} or {f"none-{qid}": "on"})
        elif value is not None:
            form[f"q-{qid}"] = str(value)
    return form


def _open_application(client: TestClient, ids: dict[str, int]) -> str:
    url = f"/households/{ids['household']}/protection"
    client.post(f"{url}/facts", data={"csrf_token": csrf(client, url), f"income-{ids['head']}": "300000",
                                      f"income-{ids['spouse']}": "200000"})  # fmt: skip
    response = client.post(f"{url}/family-application", data={"csrf_token": csrf(client, url)}, follow_redirects=False)
    assert response.status_code == 303
    return str(response.headers["location"])


def test_member_questionnaire_in_steps_then_documents_then_confirm(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    log_in(client, "zhang")
    fa_url = _open_application(client, ids)
    fa_id = int(fa_url.rsplit("/", 1)[1])
    page = client.get(fa_url).text
    members = re.findall(r'data-testid="fa-answer-(\d+)"', page)
    assert len(members) >= 3

    for pid in members:
        q_url = f"{fa_url}/members/{pid}/questionnaire"
        first = client.get(q_url)
        assert first.status_code == 200
        asked = _asked(runtime, fa_id, int(pid))
        steps = flow.steps(QuestionnaireOut.model_validate({"kb_version": "x", "person_id": pid, "questions": asked}))
        assert 'data-testid="uw-progress"' in first.text and f'data-step="{steps[0].key}"' in first.text  # step 1
        assert f'action="{q_url}/step"' in first.text and 'data-testid="uw-products"' in first.text
        token = csrf(client, q_url)
        stuck = client.post(f"{q_url}/step", data={"csrf_token": token, "step": "0", "go": "next"})
        assert stuck.status_code == 422 and 'data-testid="uw-problems"' in stuck.text  # nothing answered yet
        answers = healthy(asked)  # the member's one set of answers for every product that insures them
        own = {k: v for k, v in _form(answers).items() if steps[0].owns(k)}
        moved = client.post(f"{q_url}/step", data={"csrf_token": token, "step": "0", "go": "next", **own})
        assert moved.status_code == 200 and 'name="step" value="1"' in moved.text  # on to the next step
        assert all(f'name="{k}" value="{v}"' in moved.text for k, v in own.items())  # answers carried along
        done = client.post(q_url, data={"csrf_token": token, **_form(answers)}, follow_redirects=False)
        assert done.status_code == 303, done.text[:2000]
        assert client.get(q_url).status_code == 409  # answered once, for all the member's products

    page = client.get(fa_url).text
    assert 'data-testid="fa-documents"' in page and 'data-testid="fa-terms-not-opened"' in page
    products = re.findall(r'data-testid="fa-document" data-product="([a-z_0-9]+)"', page)
    assert len(products) >= 2
    confirm = {"csrf_token": csrf(client, fa_url), "disclosures": "on"}
    for name in re.findall(r'name="((?:consent|advice)-[^"]+)"', page):
        confirm[name] = "on"
    refused = client.post(f"{fa_url}/confirm", data=confirm)
    assert refused.status_code == 422 and "请先打开阅读以下产品的《保险条款》和《投保须知》" in refused.text
    for code in products:
        for document in ("terms", "notice"):
            opened = client.get(f"/products/{code}/{document}?household={ids['household']}&fa={fa_id}")
            assert opened.status_code == 200 and f'href="{fa_url}#documents"' in opened.text  # back to the application
    page = client.get(fa_url).text
    assert 'data-opened="no"' not in page and 'data-testid="fa-documents-left"' not in page
    accepted = client.post(f"{fa_url}/confirm", data=confirm, follow_redirects=False)
    assert accepted.status_code == 303
    page = client.get(fa_url).text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert key
    paid = client.post(f"{fa_url}/pay", data={"csrf_token": csrf(client, fa_url), "idempotency_key": key.group(1),
                                              "account": ACCOUNT}, follow_redirects=True)  # fmt: skip
    policies = re.findall(r'data-testid="fa-policy"><a class="mono" href="/policies/(\d+)"', paid.text)
    assert len(policies) >= 2
    visited = 0
    for policy_id in policies:  # each policy's return visit asks about what was opened for it
        visit_url = f"/policies/{policy_id}/return-visit"
        if 'data-testid="visit-send-code"' not in client.get(visit_url).text:
            continue  # a short-term cover needs no return visit (the rule in policies.rules.return_visit)
        visited += 1
        token = csrf(client, visit_url)
        assert client.post(f"{visit_url}/code", data={"csrf_token": token}, follow_redirects=False).status_code == 303
        verified = client.post(f"{visit_url}/verify", data={"csrf_token": token, "code": last_code(runtime)})
        shown = re.search(r'data-testid="visit-shown">(.*?)</div>', verified.text, re.S)
        assert shown and 'data-testid="visit-not-shown"' not in shown.group(1), policy_id
        assert "保险条款" in shown.group(1) and "投保须知" in shown.group(1)
    assert visited >= 1


def _asked(runtime: Runtime, fa_id: int, person_id: int) -> list[dict[str, Any]]:
    """The member's one questionnaire (the union of their products' questions), as the API lists it."""
    with unit_of_work(runtime.sessions) as session:
        kb = runtime.knowledge.get()
        _, questionnaire = family_application.questions(ctx_for(runtime, session), runtime.products, kb, fa_id,
                                                        person_id)  # fmt: skip
    return [q.model_dump(mode="json") for q in questionnaire.questions]
