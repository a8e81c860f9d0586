"""The electronic return visit: SMS code, verification limits, scripts, outcomes, deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.clock import FixedClock
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import DualRecording, ReturnVisit, ServiceCase
from jiabao.policies.return_visit import service as return_visits
from jiabao.runtime import Runtime
from tests.factories import ctx_for
from tests.policies.flow import issue
from tests.policies.test_return_visits_steps import all_yes, issue_for_head, last_code, url, verified


def test_a_visit_passes_and_the_code_never_leaves_the_sms(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    before = client.get(url(issued.policy_id), headers=issued.headers).json()
    assert before["status"] == "pending" and before["required"] and before["script"] is None
    assert before["due_on"] == "2026-12-11"  # received 26 Nov + 15 days
    visit = verified(client, runtime, issued.policy_id, issued.headers)
    points = [q["point"] for q in visit["script"]["questions"]]
    assert points == [
        "identity",
        "purchase_and_signatures",
        "read_brochure",
        "cover_exclusions_term",
        "surrender_loss",
        "cooling_off",
        "payment_term_frequency",  # regular premiums (20 years)
    ]
    assert not visit["script"]["elderly"] and visit["script"]["human_route"] is None
    assert all(q["zh"] and q["en"] for q in visit["script"]["questions"])
    done = client.post(url(issued.policy_id, "/answers"), json={"answers": all_yes(visit)}, headers=issued.headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "passed" and done.json()["result"]["result"] == "passed"
    policy = client.get(f"/api/v1/policies/{issued.policy_id}", headers=issued.headers).json()
    assert policy["return_visit"] == "passed" and "return_visit" not in policy["pending_actions"]
    again = client.post(url(issued.policy_id, "/code"), headers=issued.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "visit_closed"
    with unit_of_work(runtime.sessions) as session:
        row = session.scalars(select(ReturnVisit)).one()
        assert row.code_hash is None and row.answers["identity"] == "yes" and row.completed_at is not None
        actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "return_visit"))]
        details = " ".join(str(e.detail) for e in session.scalars(select(AuditEntry)))
    assert actions == ["return_visit.code_sent", "return_visit.verified", "return_visit.complete"]
    assert last_code(runtime) not in details


def test_answers_need_verification_and_every_question(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    one = {"answers": {"identity": "yes"}}
    early = client.post(url(issued.policy_id, "/answers"), json=one, headers=issued.headers)
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_verified"
    visit = verified(client, runtime, issued.policy_id, issued.headers)
    partial = client.post(
        url(issued.policy_id, "/answers"),
        json={"answers": {"identity": "yes", "recording_accepted": "yes"}},
        headers=issued.headers,
    )
    assert partial.status_code == 422
    problems = {(f["field"], f["code"]) for f in partial.json()["error"]["fields"]}
    assert ("answers.surrender_loss", "required") in problems
    assert ("answers.recording_accepted", "not_asked") in problems
    assert client.get(url(issued.policy_id), headers=issued.headers).json()["status"] == "code_sent"
    unsure = all_yes(visit, read_brochure="unsure")
    done = client.post(url(issued.policy_id, "/answers"), json={"answers": unsure}, headers=issued.headers).json()
    assert done["status"] == "needs_human" and done["result"]["points"] == ["read_brochure"]


def test_wrong_codes_count_and_the_fifth_sends_the_visit_to_a_person(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    assert client.post(url(issued.policy_id, "/code"), headers=issued.headers).status_code == 200
    good = last_code(runtime)
    wrong = "000000" if good != "000000" else "111111"
    malformed = client.post(url(issued.policy_id, "/verify"), json={"code": "12ab"}, headers=issued.headers)
    assert malformed.status_code == 422 and malformed.json()["error"]["fields"][0]["code"] == "format"
    for left in (4, 3, 2, 1):
        response = client.post(url(issued.policy_id, "/verify"), json={"code": wrong}, headers=issued.headers)
        assert response.status_code == 422 and response.json()["error"]["detail"]["attempts_left"] == left
        # the attempt is committed although the request was refused
        assert client.get(url(issued.policy_id), headers=issued.headers).json()["attempts_left"] == left
    fifth = client.post(url(issued.policy_id, "/verify"), json={"code": wrong}, headers=issued.headers)
    assert fifth.status_code == 409 and fifth.json()["error"]["code"] == "too_many_attempts"
    late = client.post(url(issued.policy_id, "/verify"), json={"code": good}, headers=issued.headers)
    assert late.status_code == 409 and late.json()["error"]["code"] == "visit_closed"
    visit = client.get(url(issued.policy_id), headers=issued.headers).json()
    assert visit["status"] == "needs_human" and visit["result"]["reason"] == "too_many_attempts"


def test_codes_expire_and_are_limited(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    issued = issue(client, runtime)
    first = client.post(url(issued.policy_id, "/code"), headers=issued.headers).json()
    assert first["codes_left"] == 4 and first["phone_masked"].startswith("138")
    assert datetime.fromisoformat(first["expires_at"]) == clock.now() + timedelta(minutes=10)
    code = last_code(runtime)
    soon = client.post(url(issued.policy_id, "/code"), headers=issued.headers)
    assert soon.status_code == 409 and soon.json()["error"]["code"] == "code_recently_sent"
    clock.advance(timedelta(minutes=10, seconds=1))
    expired = client.post(url(issued.policy_id, "/verify"), json={"code": code}, headers=issued.headers)
    assert expired.status_code == 409 and expired.json()["error"]["code"] == "code_expired"
    for left in (3, 2, 1, 0):
        sent = client.post(url(issued.policy_id, "/code"), headers=issued.headers)
        assert sent.status_code == 200 and sent.json()["codes_left"] == left
        clock.advance(timedelta(minutes=1))
    sixth = client.post(url(issued.policy_id, "/code"), headers=issued.headers)
    assert sixth.status_code == 409 and sixth.json()["error"]["code"] == "too_many_codes"
    assert client.get(url(issued.policy_id), headers=issued.headers).json()["status"] == "needs_human"


def test_elderly_script_from_sixty_on_the_visit_date(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    # Born 30 Nov 1966: 59 at issue (26 Nov 2026), 60 from 30 Nov, inside the cooling-off period (to 11 Dec).
    _, policy_id, headers = issue_for_head(client, runtime, birth=date(1966, 11, 30))
    young = verified(client, runtime, policy_id, headers)
    assert young["elderly"] is False and young["script"]["pace"] == "normal"
    clock.advance(timedelta(days=4))
    old = verified(client, runtime, policy_id, headers)
    script = old["script"]
    assert old["elderly"] is True and script["elderly"] and script["pace"] == "slow"
    assert script["human_route"] and "转人工" in script["human_route"]
    assert script["questions"][-1]["point"] == "surrender_understanding"
    assert "这份保险是您本人买的吗" in script["questions"][0]["zh"]
    routed = client.post(
        url(policy_id, "/answers"), json={"answers": all_yes(old, cover_exclusions_term="human")}, headers=headers
    ).json()
    assert routed["status"] == "needs_human" and routed["result"]["reason"] == "human_requested"


def test_dual_recorded_sales_add_the_recording_questions(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    with unit_of_work(runtime.sessions) as session:  # as confirmation stores it for an on-site recorded sale
        session.add(
            DualRecording(
                application_id=issued.application_id,
                requirement="on_site_audio_video",
                file_ref="rec/2026/11/app.mp4",
                segments=["seller_id", "documents", "explanation", "clear_yes", "signing"],
                recorded_at=runtime.clock.now(),
                qc_selected=True,
                qc_status="pending",
            )
        )
    visit = verified(client, runtime, issued.policy_id, issued.headers)
    points = [q["point"] for q in visit["script"]["questions"]]
    assert points[-2:] == ["recording_accepted", "recording_true_intention"]
    with unit_of_work(runtime.sessions) as session:  # the service's script for staff, same questions
        staff_script = return_visits.script(ctx_for(runtime, session), issued.policy_id)
    assert [q.point.value for q in staff_script.questions] == points and not staff_script.elderly
    done = client.post(url(issued.policy_id, "/answers"), json={"answers": all_yes(visit)}, headers=issued.headers)
    assert done.json()["status"] == "passed"


def test_mis_selling_opens_a_case_due_in_working_days(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    clock.set(datetime(2026, 9, 28, 2, 0, tzinfo=UTC))  # Monday 28 Sep 2026, 10:00 in Beijing
    issued = issue(client, runtime)
    clock.advance(timedelta(days=1))  # found on Tuesday 29 Sep
    visit = verified(client, runtime, issued.policy_id, issued.headers)
    answers = all_yes(visit, surrender_loss="no", cooling_off="no")
    done = client.post(url(issued.policy_id, "/answers"), json={"answers": answers}, headers=issued.headers).json()
    # 15 working days after Tue 29 Sep 2026 (the day itself not counted):
    #   30 Sep (1); 1–7 Oct National Day holiday; 8 Oct (2), 9 Oct (3), Sat 10 Oct make-up working day (4);
    #   12–16 Oct (5–9); 19–23 Oct (10–14); Mon 26 Oct (15).
    # (Weekdays alone would give 27 Oct; 15 calendar days 14 Oct.)
    assert done["status"] == "mis_selling" and done["result"]["points"] == ["surrender_loss", "cooling_off"]
    assert done["case_due_on"] == "2026-10-26"
    with unit_of_work(runtime.sessions) as session:
        case = session.scalars(select(ServiceCase)).one()
        assert case.kind == "mis_selling" and case.status == "open" and case.due_on == date(2026, 10, 26)
        assert case.details["points"] == ["surrender_loss", "cooling_off"] and "art. 18" in case.details["basis"]
        assert case.details["excluded_handler_ids"] == []  # online sale, no partner: no seller to exclude
        assert case.id == done["case_id"]


def test_after_the_cooling_off_period_a_person_calls(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    issued = issue(client, runtime)
    clock.advance(timedelta(days=15))  # 11 Dec: the last day, still open
    assert client.get(url(issued.policy_id), headers=issued.headers).json()["status"] == "pending"
    clock.advance(timedelta(days=1))
    assert client.get(url(issued.policy_id), headers=issued.headers).json()["status"] == "needs_human"
    late = client.post(url(issued.policy_id, "/code"), headers=issued.headers)
    assert late.status_code == 409 and late.json()["error"]["code"] == "visit_period_over"
    with unit_of_work(runtime.sessions) as session:
        row = session.scalars(select(ReturnVisit)).one()
        assert row.status == "needs_human" and row.outcome["reason"] == "visit_period_over"
