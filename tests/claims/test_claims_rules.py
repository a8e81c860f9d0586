"""Issue 9 item 7 through the API: exclusions only for the condition that caused the claim, complexity only for
a stated reason, the rejection notice (Insurance Law art. 24) by SMS and on the claim page, a parent as payee."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.claims.flow import child_with_outpatient_cover, outpatient_claim, with_uploads
from tests.policies.flow import ACCOUNT
from tests.web.test_pages import log_in

D = Decimal
PARENT_ACCOUNT = "6217001234567890122"


def _messages(runtime: Runtime) -> list[dict[str, object]]:
    with unit_of_work(runtime.sessions) as session:
        return [dict(m.payload) for m in session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms"))]


def test_declined_claim_gets_the_rejection_notice_by_sms_and_on_the_page(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 24: a claim not covered gets a notice of rejection with reasons within 3 days — here on
    the day of the decision — and never a "received, under review" message."""
    covered = child_with_outpatient_cover(client, runtime)
    body = outpatient_claim(covered.child, runtime.clock.today())
    body["diagnoses"] = [{"icd10": "Q21.0", "description": "室间隔缺损", "primary": True}]  # congenital: excluded
    response = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, body),
        headers=covered.headers | {"Idempotency-Key": "declined-0001"},
    )
    assert response.status_code == 201, response.text
    claim = response.json()
    assert claim["status"] == "declined", claim["explanation_zh"]
    assert "拒绝赔付通知书" in claim["rejection_notice_zh"] and "先天性" in claim["rejection_notice_zh"]
    assert "申请复核" in claim["rejection_notice_zh"] and "Insurance Law art. 24" in claim["rejection_notice_en"]
    today = runtime.clock.today().isoformat()
    assert claim["notice_sent_on"] == today and claim["notice_due"] > today
    kinds = [m["kind"] for m in _messages(runtime)]
    assert "claim_declined" in kinds and "claim_received" not in kinds
    # the child is never written to: the notice goes to the parent who can act on it
    sent = next(m for m in _messages(runtime) if m["kind"] == "claim_declined")
    assert sent["person_id"] == covered.head and "不予赔付" in str(sent["body"])
    log_in(client, "zhang")
    page = client.get(f"/claims/{claim['id']}")
    assert page.status_code == 200
    assert 'data-testid="claim-rejection"' in page.text and "拒绝赔付通知书" in page.text
    assert 'data-testid="claim-notice-sent"' in page.text and "审核中" not in page.text


def test_referral_above_the_fast_pay_limit_is_not_complex(client: TestClient, runtime: Runtime) -> None:
    """Basic Service Rules 2010 art. 23: 5 working days unless the case is complex; complexity needs a stated
    reason (an amount above the fast-pay limit is none)."""
    covered = child_with_outpatient_cover(client, runtime)
    body = outpatient_claim(covered.child, runtime.clock.today(), amount="5000")
    claim = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, body),
        headers=covered.headers | {"Idempotency-Key": "ordinary-0001"},
    ).json()
    assert claim["status"] == "referred"
    assert claim["complexity"] == "ordinary" and claim["complexity_reasons"] == []
    # received Sun 10 Jan 2027 (the test clock): 5 working days → Fri 15 Jan
    assert claim["decision_due"] == "2027-01-15" and claim["decision_due_provisional"] is True
    kinds = [m["kind"] for m in _messages(runtime)]
    assert "claim_received" in kinds and "claim_declined" not in kinds
    risky = outpatient_claim(covered.child, runtime.clock.today(), amount="200", invoice="INV-DUP")
    client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, risky),
        headers=covered.headers | {"Idempotency-Key": "ordinary-0002"},
    )
    duplicate = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, risky),
        headers=covered.headers | {"Idempotency-Key": "complex-0003"},
    ).json()
    assert duplicate["complexity"] == "complex"  # the same invoice again: an investigation (stated)
    assert [r["code"] for r in duplicate["complexity_reasons"]] == ["duplicate_invoice"]
    assert duplicate["decision_due"] == "2027-02-09"  # 30 days after receipt


def test_secondary_excluded_condition_does_not_void_the_claim(client: TestClient, runtime: Runtime) -> None:
    """CI definitions 2020 §3.2 and the exclusion clauses read "caused by": a congenital condition recorded only as
    a secondary diagnosis does not void a claim for an infection."""
    covered = child_with_outpatient_cover(client, runtime)
    body = outpatient_claim(covered.child, runtime.clock.today())
    body["diagnoses"] = [
        {"icd10": "J06.9", "description": "急性上呼吸道感染"},
        {"icd10": "Q21.0", "description": "室间隔缺损（合并症）"},
    ]
    claim = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, body),
        headers=covered.headers | {"Idempotency-Key": "secondary-0001"},
    ).json()
    assert claim["status"] == "paid" and D(claim["paid_amount"]) == D("720.00")  # 800 × 90%


def test_a_parent_may_be_the_payee_for_a_minor(client: TestClient, runtime: Runtime) -> None:
    """Civil Code art. 27 (parents are a minor's guardians) with Internet Measures art. 40 (the payee's own
    account): the child's benefit may go to the parent's own card."""
    covered = child_with_outpatient_cover(client, runtime)
    body = outpatient_claim(covered.child, runtime.clock.today()) | {
        "payee_person_id": covered.head,
        "account": PARENT_ACCOUNT,
    }
    claim = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, body),
        headers=covered.headers | {"Idempotency-Key": "parent-payee-1"},
    ).json()
    assert claim["status"] == "paid", claim
    with unit_of_work(runtime.sessions) as session:
        payment = session.scalars(select(Payment).where(Payment.kind == "claim")).one()
        assert payment.holder_person_id == covered.head and payment.account_masked.endswith("0122")
    assert ACCOUNT != PARENT_ACCOUNT


def test_decision_due_never_counts_spring_festival_as_working_days(client: TestClient, runtime: Runtime) -> None:
    """BSR 2010 art. 23 counts working days; 2027 is beyond chinese-calendar's data, so the holidays package's
    China calendar supplies Spring Festival (5–10 Feb 2027 off) and the date is flagged provisional."""
    covered = child_with_outpatient_cover(client, runtime)  # today: Sun 10 Jan 2027
    runtime.clock.advance(timedelta(days=25))  # Thu 4 Feb 2027
    body = outpatient_claim(covered.child, runtime.clock.today(), amount="5000")
    claim = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, body),
        headers=covered.headers | {"Idempotency-Key": "spring-fest-1"},
    ).json()
    assert claim["complexity"] == "ordinary"
    # Thu 4 Feb + 5 working days: 11, 12, 15, 16, 17 Feb (without the holiday data it would be Thu 11 Feb)
    assert claim["decision_due"] == "2027-02-17" and claim["decision_due_provisional"] is True
    log_in(client, "zhang")
    page = client.get(f"/claims/{claim['id']}")
    assert 'data-testid="claim-due-provisional"' in page.text
