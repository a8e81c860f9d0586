"""Complaints through the API: intake, classification confirmed by a person, routing with recusal (art. 17), the
clock (art. 18), the decision letter with proof (arts. 19, 21), review (art. 20), withdrawal (art. 15), major and
elderly complaints, the family's history."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime
from jiabao.voice.models import ComplaintLetter
from tests.claims.flow import child_with_outpatient_cover
from tests.factories import make_family
from tests.voice.flow import family_with_claim, file, headers_for, staff

DECISION = {
    "outcome": "upheld",
    "facts": "理赔资料于受理当日齐全，但付款指令延迟三日发出。",
    "basis": "《保险法》第二十三条；保险合同第十二条。",
    "reasons": "付款时效未达到公司承诺的标准。",
    "remedy": "已于当日补发理赔款，并按日支付利息。",
    "root_cause": "付款批处理故障",
    "action": "批处理增加失败告警",
}


def test_customer_complaint_about_a_claim_is_classified_routed_and_on_the_clock(
    client: TestClient, runtime: Runtime
) -> None:
    team = staff(runtime)
    covered, claim_id = family_with_claim(client, runtime)
    complaint = file(client, covered.household_id, covered.headers, claim_id=claim_id)
    today = runtime.clock.today()
    assert complaint["ref"].startswith(f"TS{today:%Y%m%d}")
    assert (complaint["suggested_category"], complaint["category"]) == ("claims", "claims")
    assert complaint["category_confirmed"] is False  # a person confirms the suggestion
    assert complaint["region"] == "north"  # the household's address (110105, Beijing)
    assert complaint["product_line"] == "medical"
    assert complaint["team"] == "claims" and complaint["handler_id"] in (team.claims_a.user_id, team.claims_b.user_id)
    assert complaint["due_on"] == (today + timedelta(days=15)).isoformat() and complaint["limit_days"] == 15
    assert [e["kind"] for e in complaint["events"]] == ["received", "routed"]
    # the family's history shows it
    history = client.get(f"/api/v1/households/{covered.household_id}/complaints", headers=covered.headers).json()
    assert [c["ref"] for c in history] == [complaint["ref"]]
    # another family cannot see it
    make_family(runtime, name="刘洋", seq=9, username="liu", phone="13900001234")
    assert client.get(f"/api/v1/complaints/{complaint['id']}", headers=headers_for(client, "liu")).status_code == 404


def test_the_adjuster_who_decided_the_claim_is_recused(client: TestClient, runtime: Runtime) -> None:
    team = staff(runtime)
    covered, claim_id = family_with_claim(client, runtime)
    # claims_a is the person complained about
    complaint = file(
        client,
        covered.household_id,
        covered.headers,
        claim_id=claim_id,
        category="claims",
        subcategory="slow",
        subject_user_id=team.claims_a.user_id,
    )
    assert complaint["handler_id"] == team.claims_b.user_id
    assert complaint["category_confirmed"] is False  # a customer's own choice is still confirmed by staff
    url = f"/api/v1/complaints/{complaint['id']}"
    refused = client.post(f"{url}/decision", json=DECISION, headers=headers_for(client, "claims_a"))
    assert refused.status_code == 403
    confirmed = client.post(
        f"{url}/category", json={"category": "claims", "subcategory": "slow"}, headers=headers_for(client, "claims_b")
    )
    assert confirmed.status_code == 200 and confirmed.json()["category_confirmed"] is True


def test_extensions_pauses_and_restart_through_the_api(client: TestClient, runtime: Runtime) -> None:
    team = staff(runtime)
    covered = child_with_outpatient_cover(client, runtime)
    complaint = file(client, covered.household_id, covered.headers, category="servicing", summary="客服态度很差")
    assert complaint["handler_id"] == team.service.user_id
    url, handler = f"/api/v1/complaints/{complaint['id']}/clock", headers_for(client, "service1")
    received = runtime.clock.today()
    runtime.clock.advance(timedelta(days=5))
    today = runtime.clock.today().isoformat()
    extended = client.post(url, json={"kind": "extend", "on": today, "reason": "案情复杂"}, headers=handler)
    assert extended.json()["limit_days"] == 30
    assert extended.json()["due_on"] == (received + timedelta(days=30)).isoformat()
    body = {"kind": "extend_further", "on": today, "reason": "特别复杂", "complainant_told": True}
    assert client.post(url, json=body, headers=handler).status_code == 422  # approval required (art. 18)
    approved = client.post(url, json=body | {"approved_by": team.admin.user_id}, headers=handler)
    assert approved.status_code == 200 and approved.json()["limit_days"] == 60
    paused = client.post(
        url, json={"kind": "pause", "on": today, "reason": "第三方鉴定", "pause_reason": "appraisal"}, headers=handler
    )
    assert paused.json()["status"] == "paused" and paused.json()["due_on"] is None
    decide = client.post(f"/api/v1/complaints/{complaint['id']}/decision", json=DECISION, headers=handler)
    assert decide.status_code == 409  # not while the clock is paused
    runtime.clock.advance(timedelta(days=10))
    resumed = client.post(
        url, json={"kind": "resume", "on": runtime.clock.today().isoformat(), "reason": "鉴定完成"}, headers=handler
    )
    assert resumed.json()["due_on"] == (received + timedelta(days=70)).isoformat()
    restarted = client.post(
        url,
        json={"kind": "restart", "on": runtime.clock.today().isoformat(), "reason": "投诉人提供新的事实"},
        headers=handler,
    )
    assert restarted.json()["limit_days"] == 15
    assert restarted.json()["due_on"] == (runtime.clock.today() + timedelta(days=15)).isoformat()
    late = client.post(url, json={"kind": "extend", "on": "2099-01-01", "reason": "未来"}, headers=handler)
    assert late.status_code == 422


def test_decision_letter_reaches_the_customer_then_review_within_30_days(client: TestClient, runtime: Runtime) -> None:
    team = staff(runtime)
    covered, claim_id = family_with_claim(client, runtime)
    complaint = file(client, covered.household_id, covered.headers, claim_id=claim_id, category="claims")
    handler = "claims_a" if complaint["handler_id"] == team.claims_a.user_id else "claims_b"
    url = f"/api/v1/complaints/{complaint['id']}"
    assert client.get(f"{url}/letter.pdf", headers=covered.headers).status_code == 409  # no letter yet
    runtime.clock.advance(timedelta(days=6))
    decided = client.post(f"{url}/decision", json=DECISION, headers=headers_for(client, handler)).json()
    assert decided["status"] == "decided" and decided["decision"]["within_limit"] is True
    assert decided["review_request_deadline"] == (runtime.clock.today() + timedelta(days=30)).isoformat()
    pdf = client.get(f"{url}/letter.pdf", headers=covered.headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "投诉处理决定告知书" in text and complaint["ref"] in text and "付款批处理" not in text
    assert "30日内" in text and "仲裁" in text  # the remedies (art. 19)
    with unit_of_work(runtime.sessions) as session:
        letter = session.scalars(select(ComplaintLetter)).one()
        assert letter.delivered_at is not None and "opened_at" in letter.proof  # the customer opened it
        assert letter.proof["sha256"] == letter.sha256
        sent = session.get(OutboxMessage, letter.outbox_id)
        assert sent is not None and sent.payload["kind"] == "complaint_decision"
    runtime.clock.advance(timedelta(days=30))
    review = client.post(f"{url}/review", json={"reason": "利息计算不对"}, headers=covered.headers)
    assert review.status_code == 200 and review.json()["status"] == "under_review"
    assert review.json()["team"] == "supervisor" and review.json()["handler_id"] in (
        team.admin.user_id,
        team.admin2.user_id,
    )
    done = client.post(
        f"{url}/review-decision",
        json={"outcome": "upheld", "reasons": "利息计算无误"},
        headers=headers_for(client, "admin1" if review.json()["handler_id"] == team.admin.user_id else "admin2"),
    )
    assert done.status_code == 200 and done.json()["status"] == "closed"


def test_review_after_30_days_is_refused(client: TestClient, runtime: Runtime) -> None:
    staff(runtime)
    covered = child_with_outpatient_cover(client, runtime)
    complaint = file(client, covered.household_id, covered.headers, category="servicing", summary="客服态度很差")
    url = f"/api/v1/complaints/{complaint['id']}"
    assert client.post(f"{url}/decision", json=DECISION, headers=headers_for(client, "service1")).status_code == 200
    runtime.clock.advance(timedelta(days=31))
    late = client.post(f"{url}/review", json={"reason": "不同意"}, headers=covered.headers)
    assert late.status_code == 409 and late.json()["error"]["code"] == "review_window_passed"


def test_withdrawal_ends_the_complaint_that_day(client: TestClient, runtime: Runtime) -> None:
    staff(runtime)
    covered = child_with_outpatient_cover(client, runtime)
    complaint = file(client, covered.household_id, covered.headers, category="other", summary="营销电话太多")
    out = client.post(f"/api/v1/complaints/{complaint['id']}/withdraw", headers=covered.headers).json()
    assert out["status"] == "withdrawn" and out["closed_on"] == runtime.clock.today().isoformat()


def test_major_and_elderly_complaints_lead_the_queue(client: TestClient, runtime: Runtime) -> None:
    team = staff(runtime)
    covered = child_with_outpatient_cover(client, runtime)
    elder = make_family(
        runtime,
        name="王秀英",
        seq=21,
        username="wang",
        phone="13900005678",
        birth=__import__("datetime").date(1950, 1, 1),
    )
    service = headers_for(client, "service1")
    first = file(client, covered.household_id, covered.headers, category="servicing", summary="客服态度很差")
    old = file(client, elder.household_id, headers_for(client, "wang"), category="servicing", summary="电话一直打不通")
    group = file(
        client,
        covered.household_id,
        service,
        channel="counter",
        category="servicing",
        group_size=25,
        summary="二十五位客户到柜面集体投诉服务态度",
    )
    assert old["elderly"] is True and first["elderly"] is False
    assert group["major"] and group["emergency"] and group["major_reasons"] == ["group"]
    queue = client.get("/api/v1/complaints-queue", headers=service).json()
    assert [c["id"] for c in queue] == [group["id"], old["id"], first["id"]]
    with unit_of_work(runtime.sessions) as session:
        topics = [m.payload.get("kind") for m in session.scalars(select(OutboxMessage)) if m.topic == "management"]
    assert topics == ["major_complaint"]
    assert team.admin.user_id


def test_invalid_links_are_field_errors_not_server_errors(client: TestClient, runtime: Runtime) -> None:
    staff(runtime)
    covered = child_with_outpatient_cover(client, runtime)
    url = f"/api/v1/households/{covered.household_id}/complaints"
    for body, field in (
        ({"subject_user_id": 999999}, "subject_user_id"),
        ({"claim_id": 999999}, "claim_id"),
        ({"policy_ids": [999999]}, "policy_ids"),
        ({"category": "claims", "subcategory": "cash_value"}, "subcategory"),
        ({"channel": "hotline"}, "channel"),
    ):
        response = client.post(url, json={"summary": "理赔太慢了", **body}, headers=covered.headers)
        assert response.status_code == 422, (body, response.text)
        assert field in response.text
    control = client.post(url, json={"summary": "理赔\x00太慢"}, headers=covered.headers)
    assert control.status_code == 422


def test_report_month_out_of_range_is_a_field_error(client: TestClient, runtime: Runtime) -> None:
    staff(runtime)
    headers = headers_for(client, "admin1")
    assert (
        client.get("/api/v1/reports/complaint-warnings", params={"month": "0000-01"}, headers=headers).status_code
        == 422
    )
    ok = client.get("/api/v1/reports/complaint-warnings", params={"month": "2026-01"}, headers=headers)
    assert ok.status_code == 200 and ok.json() == {"month": "2026-01", "warnings": []}
