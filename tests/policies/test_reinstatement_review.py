"""Issue 9 item 5: an underwriter decides a referred reinstatement (API and page); without an explicit refusal
within 30 days of the application it counts as accepted (SPC Interp. III art. 8), applied by the daily job."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_user
from tests.policies.flow import ACCOUNT, Issued, issue
from tests.policies.test_billing_helpers import on, payments, policy_row, requests, run_job, sms_kinds
from tests.web.test_pages import csrf, log_in

APPLIED = date(2028, 2, 1)  # suspended since 26 Jan 2028 (instalment 2 of 26 Nov 2027 unpaid)
DAY_30 = date(2028, 3, 2)


def _refer(client: TestClient, runtime: Runtime) -> Issued:
    issued = issue(client, runtime)
    on(runtime, APPLIED)
    referred = client.post(
        f"/api/v1/policies/{issued.policy_id}/reinstatement",
        json={"account": ACCOUNT, "risk_increased": True},
        headers=issued.headers | {"Idempotency-Key": f"refer-policy-{issued.policy_id}"},
    )
    assert referred.status_code == 202, referred.text
    make_user(runtime, "uw", Role.UNDERWRITER)
    return issued


def test_underwriter_accepts_a_referred_reinstatement(client: TestClient, runtime: Runtime) -> None:
    issued = _refer(client, runtime)
    uw = token_for(client, "uw")
    queue = client.get("/api/v1/reinstatement-referrals", headers=uw).json()
    assert [(r["policy_id"], r["consent_by_silence_on"]) for r in queue] == [(issued.policy_id, "2028-03-02")]
    assert client.get("/api/v1/reinstatement-referrals", headers=issued.headers).status_code == 403
    url = f"/api/v1/policies/{issued.policy_id}/reinstatement/decision"
    on(runtime, date(2028, 2, 10))
    customer = client.post(url, json={"accept": True, "reason": "自己批准"}, headers=issued.headers)
    assert customer.status_code == 403  # the customer cannot decide their own referral
    done = client.post(url, json={"accept": True, "reason": "体检结果正常，同意复效"}, headers=uw)
    assert done.status_code == 200, done.text
    out = done.json()
    assert (out["outcome"], out["reinstated_on"], out["policy_status"]) == ("reinstated", "2028-02-10", "in_force")
    assert [p.kind for p in payments(runtime, issued.policy_id)] == ["first_premium", "reinstatement"]
    assert requests(runtime, issued.policy_id)[-1].status == "completed"
    billing = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    assert billing["status"] == "in_force"
    assert billing["suspensions"][0]["ended_on"] == "2028-02-10"
    assert sms_kinds(runtime)["reinstatement_done"] == 1
    again = client.post(url, json={"accept": True, "reason": "重复提交"}, headers=uw)
    assert again.status_code == 409 and again.json()["error"]["code"] == "no_referral"


def test_refusal_within_30_days_keeps_the_policy_suspended(client: TestClient, runtime: Runtime) -> None:
    issued = _refer(client, runtime)
    on(runtime, DAY_30)  # day 30 after the application: the last day a refusal counts
    url = f"/api/v1/policies/{issued.policy_id}/reinstatement/decision"
    refused = client.post(
        url, json={"accept": False, "reason": "中止期间确诊冠心病，风险显著增加"}, headers=token_for(client, "uw")
    )
    assert refused.status_code == 200 and refused.json()["outcome"] == "refused", refused.text
    on(runtime, date(2028, 3, 10))
    run_job(runtime)
    assert policy_row(runtime, issued.policy_id).status == "suspended"  # no consent by silence after a refusal
    assert [p.kind for p in payments(runtime, issued.policy_id)] == ["first_premium"]
    assert requests(runtime, issued.policy_id)[-1].result["outcome"] == "refused"


def test_silence_for_30_days_is_consent_applied_by_the_daily_job(client: TestClient, runtime: Runtime) -> None:
    """SPC Interp. III art. 8: no explicit refusal within 30 days of the application counts as consent."""
    issued = _refer(client, runtime)
    on(runtime, DAY_30)
    assert "deemed_reinstated" not in run_job(runtime).changed  # day 30: a refusal would still count
    assert policy_row(runtime, issued.policy_id).status == "suspended"
    on(runtime, date(2028, 3, 5))  # the job did not run on day 31: the reinstatement is still dated day 31
    assert run_job(runtime).changed.get("deemed_reinstated") == 1
    row = policy_row(runtime, issued.policy_id)
    assert row.status == "in_force" and row.reinstated_on == ["2028-03-03"]
    (collected,) = [p for p in payments(runtime, issued.policy_id) if p.kind == "reinstatement"]
    assert collected.details["how"] == "deemed_reinstated" and collected.account_masked.endswith("0128")
    billing = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    assert billing["suspensions"][0]["end_reason"] == "deemed_reinstated"
    late = client.post(
        f"/api/v1/policies/{issued.policy_id}/reinstatement/decision",
        json={"accept": False, "reason": "逾期拒绝"},
        headers=token_for(client, "uw"),
    )
    assert late.status_code == 409  # nothing left to refuse


def test_reinstatement_review_page_keeps_the_choice_and_decides(client: TestClient, runtime: Runtime) -> None:
    issued = _refer(client, runtime)
    log_in(client, "uw")
    page = client.get("/reinstatements")
    assert page.status_code == 200 and f'data-testid="reinst-{issued.policy_id}"' in page.text
    assert "2028-03-02" in page.text and "视为同意" in page.text
    token = csrf(client, "/reinstatements")
    url = f"/reinstatements/{issued.policy_id}/decision"
    bad = client.post(url, data={"decision": "accept", "reason": "短"}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and 'value="accept" checked' in bad.text  # the chosen conclusion is kept
    good = client.post(
        url,
        data={"decision": "accept", "reason": "复核后同意复效"},
        headers={"X-CSRF-Token": token},
        follow_redirects=False,
    )
    assert good.status_code == 303, good.text
    assert policy_row(runtime, issued.policy_id).status == "in_force"
