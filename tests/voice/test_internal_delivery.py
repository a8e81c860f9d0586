"""The outbox's internal topics reach a person (docs/operations.md, "Outbox delivery"): a complaint handler's
deadline warnings land in the handler's inbox and, once overdue, their supervisors' (CBIRC complaint measures art. 18:
the time limit is the company's to keep); major complaints go to management (art. 25: major complaints reported
at once); a decision letter sent by post waits in the printable letter queue (art. 19: written decision)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.identity import inbox
from jiabao.runtime import Runtime
from jiabao.voice import service as voice
from tests.factories import ctx_for
from tests.voice.flow import family_with_claim, file, headers_for, staff
from tests.voice.test_complaints_api import DECISION


def _deliver(runtime: Runtime) -> int:
    with unit_of_work(runtime.sessions) as session:
        return inbox.deliver_internal(session, now=runtime.clock.now())


def test_staff_management_and_post_messages_are_routed_once(client: TestClient, runtime: Runtime) -> None:
    team = staff(runtime)
    covered, claim_id = family_with_claim(client, runtime)
    complaint = file(client, covered.household_id, covered.headers, claim_id=claim_id, category="claims",
                     delivery="letter")  # fmt: skip
    file(
        client,
        covered.household_id,
        headers_for(client, "service1"),
        channel="counter",
        category="servicing",
        group_size=25,
        summary="二十五位客户到柜面集体投诉服务态度",
    )  # fmt: skip  (major: management)
    for days in (12, 2, 2):  # 3 days left, the day before, overdue
        runtime.clock.advance(timedelta(days=days))
        with unit_of_work(runtime.sessions) as session:
            voice.deadline_warnings(ctx_for(runtime, session))
    handler = "claims_a" if complaint["handler_id"] == team.claims_a.user_id else "claims_b"
    decided = client.post(f"/api/v1/complaints/{complaint['id']}/decision", json=DECISION,
                          headers=headers_for(client, handler))  # fmt: skip
    assert decided.status_code == 200, decided.text

    delivered = _deliver(runtime)
    assert _deliver(runtime) == 0  # delivered once, never twice
    admins = {team.admin.user_id, team.admin2.user_id}
    with unit_of_work(runtime.sessions) as session:
        internal = [m for m in session.scalars(select(OutboxMessage)) if m.topic in inbox.INTERNAL_TOPICS]
        assert internal and all(m.delivered_at is not None for m in internal) and delivered == len(internal)
        mine = [n.kind for n in reversed(inbox.inbox(session, complaint["handler_id"]))]
        warnings = [k for k in mine if k.startswith("complaint_") and k != "complaint_warnings"]
        assert warnings[-3:] == ["complaint_due_in_3_days", "complaint_due_tomorrow", "complaint_overdue"]
        for admin in admins:  # management report recipients and, for the overdue warning, supervisors
            kinds = {n.kind for n in inbox.inbox(session, admin)}
            assert {"major_complaint", "complaint_overdue"} <= kinds, kinds
        [letter] = inbox.letters_to_post(session)
        assert letter.ref == decided.json()["ref"] and letter.person_id is not None and len(letter.sha256 or "") == 64
        assert letter.link == f"/complaints/{complaint['id']}/letter.pdf"
