"""Issue 9, item 2: cover periods come from the product, and return visits follow the "over one year" rule.

Rules: the policy term is a term of the contract the product defines (Insurance Law art. 18: the contract states the
period of insurance); a period in years ends on the corresponding date (Civil Code art. 202); "to age N" (至N周岁)
ends on the policy anniversary at which the insured has reached N; return visits are for individual contracts over
one year (Basic Service Rules for Life Insurance, CIRC Order 2010 No. 4, arts. 14–15; regulation.md §2.2), and
on-site dual recording too (保监发〔2017〕54号, regulation.md §2.3).
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from jiabao.policies.rules.cover import cover_end, term_months
from jiabao.policies.rules.dual_recording import RecordingType, SaleFacts, SalesChannel, recording_requirement
from jiabao.runtime import Runtime
from tests.cover.flow import answer, confirm_and_pay, family_with_child, pdf_text


@pytest.mark.parametrize(
    ("birth", "start", "age", "end"),
    [
        (date(2016, 9, 9), date(2026, 11, 26), 30, date(2046, 11, 26)),  # 30 on that anniversary, not on 9 Sep
        (date(2016, 12, 25), date(2026, 11, 26), 30, date(2047, 11, 26)),  # 9 at issue: 21 anniversaries
        (date(2016, 11, 26), date(2026, 11, 26), 30, date(2046, 11, 26)),  # birthday = anniversary
        (date(2012, 2, 29), date(2026, 2, 28), 70, date(2083, 2, 28)),  # 13 at issue (29 Feb not yet reached)
    ],
)
def test_to_age_cover_ends_on_the_anniversary_at_that_age(birth: date, start: date, age: int, end: date) -> None:
    assert cover_end("to_age", age, start=start, birth_date=birth) == end


def test_one_year_cover_is_one_year_whatever_the_option() -> None:
    start = date(2026, 11, 26)
    for option in (None, 1, 5, 30):
        assert cover_end("one_year", option, start=start, birth_date=date(1985, 3, 14)) == date(2027, 11, 26)
    assert term_months(start, date(2027, 11, 26)) == 12
    assert term_months(start, None) is None


def test_dual_recording_only_for_terms_over_one_year() -> None:
    """2017 rule: a 60+ policyholder through an agent needs on-site recording only for terms over one year."""
    facts = {"channel": SalesChannel.AGENT, "policyholder_birth_date": date(1960, 1, 1),
             "application_date": date(2026, 11, 26)}  # fmt: skip
    assert recording_requirement(SaleFacts(term_months=12, **facts)).type is not RecordingType.ON_SITE_AUDIO_VIDEO
    assert recording_requirement(SaleFacts(term_months=13, **facts)).type is RecordingType.ON_SITE_AUDIO_VIDEO


def test_one_year_product_ends_after_a_year_and_gets_no_return_visit(client: TestClient, runtime: Runtime) -> None:
    household, head, _wife, _child, headers = family_with_child(runtime, client, seq=21)
    body = {"product_code": "accident", "coverage": 30, "payment_term": 1,  # a stray cover option is ignored
            "insureds": [{"person_id": head, "sum_assured": "500000"}]}  # fmt: skip
    app = client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers)
    assert app.status_code == 201, app.text
    assert app.json()["coverage"] == 1  # the product defines its term
    answer(client, app.json()["id"], head, headers)
    paid = confirm_and_pay(client, app.json()["id"], headers)
    policy = client.get(f"/api/v1/policies/{paid['policy_id']}", headers=headers).json()
    assert policy["insureds"][0]["end_date"] == "2027-11-26"
    visit = client.get(f"/api/v1/policies/{paid['policy_id']}/return-visit", headers=headers).json()
    assert visit["required"] is False  # one year is not over one year (BSR art. 15)
    assert "return_visit" not in policy["pending_actions"]
    assert "1年" in pdf_text(client, paid["policy_id"], headers)


def test_children_ci_to_age_30_ends_on_that_anniversary(client: TestClient, runtime: Runtime) -> None:
    household, _head, _wife, child, headers = family_with_child(runtime, client, seq=22)
    body = {"product_code": "children_ci", "coverage": 30, "payment_term": 10,
            "insureds": [{"person_id": child, "sum_assured": "200000"}]}  # fmt: skip
    app = client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers)
    assert app.status_code == 201, app.text
    answer(client, app.json()["id"], child, headers)
    paid = confirm_and_pay(client, app.json()["id"], headers)
    policy = client.get(f"/api/v1/policies/{paid['policy_id']}", headers=headers).json()
    # born 2016-09-09, issued 2026-11-26 at age 10: cover to the 2046 anniversary, not 30 years after issue (2056)
    assert policy["insureds"][0]["end_date"] == "2046-11-26"
    visit = client.get(f"/api/v1/policies/{paid['policy_id']}/return-visit", headers=headers).json()
    assert visit["required"] is True
    assert "至30周岁" in pdf_text(client, paid["policy_id"], headers)
