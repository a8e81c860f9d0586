"""Issue 9, item 11: an underwriter's decision carries its terms — an extra premium per product line and exclusion
clauses from the knowledge base — and the form keeps every choice when validation fails.

Rules: a human decision on a referred case is recorded beside the engine's (PIPL art. 24: the right to a person's
decision); the terms it sets are contract terms, so the rating reaches the premium and the exclusion is printed on
the policy (Insurance Law art. 17).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.cover.flow import answer, family_with_child
from tests.factories import make_user
from tests.web.test_pages import csrf, log_in

REFER = ("HTN", {"bp_max": "unknown", "complications": "no"})  # an unknown reading: referred to a person


def _referred(client: TestClient, runtime: Runtime, seq: int) -> tuple[int, int, int, dict[str, str]]:
    household, head, _wife, _child, headers = family_with_child(runtime, client, seq=seq)
    body = {"product_code": "family_ci", "coverage": 30, "payment_term": 20,
            "insureds": [{"person_id": head, "sum_assured": "300000"}]}  # fmt: skip
    app_id = client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers).json()["id"]
    assert answer(client, app_id, head, headers, REFER)["status"] == "referred"
    make_user(runtime, f"uw{seq}", Role.UNDERWRITER)
    uw_headers = token_for(client, f"uw{seq}")
    referral = client.get("/api/v1/underwriting/referrals", headers=uw_headers).json()[0]
    return app_id, head, referral["id"], uw_headers


def _decide(client: TestClient, referral_id: int, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/api/v1/underwriting/referrals/{referral_id}/decision", json=body, headers=headers)


def test_rated_and_excluded_by_an_underwriter_through_the_api(client: TestClient, runtime: Runtime) -> None:
    _app_id, _head, referral_id, uw_headers = _referred(client, runtime, 11)
    reason = "调阅体检报告：一级高血压，加费并除外"
    missing = _decide(client, referral_id, uw_headers, conclusion="rated_with_exclusion", reason=reason)
    assert missing.status_code == 422
    assert {f["field"] for f in missing.json()["error"]["fields"]} == {"extra_premium_percent", "exclusions"}
    odd = _decide(
        client, referral_id, uw_headers, conclusion="rated_with_exclusion", reason=reason,
        extra_premium_percent={"ci": 30, "medical": 25}, exclusions=["EX_NOPE"],
    )  # fmt: skip
    assert odd.status_code == 422
    fields = {f["field"] for f in odd.json()["error"]["fields"]}
    assert fields == {"extra_premium_percent.ci", "extra_premium_percent.medical", "exclusions.EX_NOPE"}
    standard_with_terms = _decide(
        client, referral_id, uw_headers, conclusion="standard", reason=reason, extra_premium_percent={"ci": 50}
    )
    assert standard_with_terms.status_code == 422

    done = _decide(
        client, referral_id, uw_headers, conclusion="rated_with_exclusion", reason=reason,
        extra_premium_percent={"ci": 75, "death": 25}, exclusions=["EX_HTN"],
    )  # fmt: skip
    assert done.status_code == 200, done.text
    app = done.json()
    insured = app["insureds"][0]
    assert app["status"] == "accepted" and insured["conclusion"] == "rated_with_exclusion"
    assert insured["extra_premium_percent"] == 75  # the product's premium carries its largest line rating
    expected = (Decimal(insured["standard_premium"]) * Decimal("1.75")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Decimal(insured["annual_premium"]) == expected == Decimal(app["annual_premium"])
    assert [e["code"] for e in insured["exclusions"]] == ["EX_HTN"]
    assert "高血压" in insured["exclusions"][0]["wording_zh"]


def test_the_decision_form_keeps_the_choices_and_offers_the_terms(client: TestClient, runtime: Runtime) -> None:
    _app_id, _head, referral_id, _ = _referred(client, runtime, 12)
    log_in(client, "uw12")
    url = f"/underwriting/referrals/{referral_id}"
    page = client.get(url)
    assert 'name="extra-ci"' in page.text and 'name="extra-death"' in page.text
    assert 'name="exclusion-EX_HTN"' in page.text and "高血压" in page.text
    form = {
        "csrf_token": csrf(client, url),
        "conclusion": "rated",
        "reason": "血压记录不全，拟加费承保",
        "exclusion-EX_HEART": "on",
    }
    refused = client.post(f"{url}/decision", data=form)
    assert refused.status_code == 422
    assert '<option value="rated" selected>' in refused.text  # the chosen conclusion is kept
    assert "血压记录不全，拟加费承保" in refused.text
    assert 'name="exclusion-EX_HEART" data-testid="human-exclusion-EX_HEART" checked' in refused.text
    assert "加费承保须填写加费比例" in refused.text and "该结论不附除外条款" in refused.text
    ok = client.post(
        f"{url}/decision",
        data={"csrf_token": csrf(client, url), "conclusion": "rated", "reason": "血压记录不全，加费承保",
              "extra-ci": "50"},
        follow_redirects=False,
    )  # fmt: skip
    assert ok.status_code == 303, ok.text
