"""Timelines: decision, rejection-notice and payment deadlines, pauses for documents, warnings; the checklist."""

from __future__ import annotations

from datetime import date

from jiabao.claims.engine import ClaimType, Complexity, DocumentRequest, RuleSet, claim_timeline, required_documents
from jiabao.policies.rules.calendar import DeadlineStatus, SlaKind


def test_ordinary_claim_five_working_days() -> None:
    # received Monday 9 Jun 2025: working days 10, 11, 12, 13, 16 Jun → due Monday 16 Jun
    t = claim_timeline(received_on=date(2025, 6, 9), complexity=Complexity.ORDINARY, as_of=date(2025, 6, 10))
    assert t.decision.due == date(2025, 6, 16) and t.warnings == ()
    soon = claim_timeline(received_on=date(2025, 6, 9), complexity=Complexity.ORDINARY, as_of=date(2025, 6, 13))
    assert [(w.kind, w.status) for w in soon.warnings] == [(SlaKind.CLAIM_DECISION_ORDINARY, DeadlineStatus.DUE_SOON)]
    late = claim_timeline(received_on=date(2025, 6, 9), complexity=Complexity.ORDINARY, as_of=date(2025, 6, 17))
    assert late.warnings[0].status is DeadlineStatus.OVERDUE and "已超过时限" in late.warnings[0].text_zh
    done = claim_timeline(
        received_on=date(2025, 6, 9),
        complexity=Complexity.ORDINARY,
        as_of=date(2025, 6, 30),
        decided_on=date(2025, 6, 12),
    )
    assert done.warnings == ()


def test_ordinary_claim_over_national_day() -> None:
    # received Mon 29 Sep 2025: 30 Sep is a working day; 1–8 Oct are holidays; Thu 9, Fri 10, Sat 11 (调休 make-up
    # working day), Mon 13 → the 5th working day is 13 Oct
    t = claim_timeline(received_on=date(2025, 9, 29), complexity=Complexity.ORDINARY, as_of=date(2025, 9, 29))
    assert t.decision.due == date(2025, 10, 13)


def test_complex_claim_pauses_while_documents_are_awaited() -> None:
    req = (DocumentRequest(requested_on=date(2025, 3, 10), received_on=date(2025, 3, 17)),)
    t = claim_timeline(
        received_on=date(2025, 3, 3), complexity=Complexity.COMPLEX, as_of=date(2025, 3, 20), requests=req
    )
    # 30 calendar days + 7 days paused: 3 Mar + 37 days = 9 Apr
    assert t.decision.due == date(2025, 4, 9)
    assert t.advance_payment_by == date(2025, 5, 9)  # 60 + 7 days (Insurance Law art. 25)
    open_req = (DocumentRequest(requested_on=date(2025, 3, 10)),)
    paused = claim_timeline(
        received_on=date(2025, 3, 3), complexity=Complexity.COMPLEX, as_of=date(2025, 4, 20), requests=open_req
    )
    # still waiting on 20 Apr: 41 days paused, due 3 Mar + 71 days = 13 May, and no warning while paused
    assert paused.paused and paused.decision.due == date(2025, 5, 13) and paused.warnings == ()


def test_rejection_notice_and_payment_deadlines() -> None:
    t = claim_timeline(
        received_on=date(2025, 6, 9),
        complexity=Complexity.ORDINARY,
        as_of=date(2025, 6, 16),
        decided_on=date(2025, 6, 12),
        rejected=True,
    )
    assert t.rejection_notice is not None and t.rejection_notice.due == date(2025, 6, 15)  # 3 days
    assert t.warnings[0].kind is SlaKind.CLAIM_REJECTION_NOTICE and t.warnings[0].status is DeadlineStatus.OVERDUE
    paid = claim_timeline(
        received_on=date(2025, 6, 9),
        complexity=Complexity.ORDINARY,
        as_of=date(2025, 6, 21),
        decided_on=date(2025, 6, 10),
        agreed_on=date(2025, 6, 12),
    )
    assert paid.payment is not None and paid.payment.due == date(2025, 6, 22)  # 10 days
    assert [w.status for w in paid.warnings] == [DeadlineStatus.DUE_SOON]


def test_document_checklist_is_complete_at_once(rs: RuleSet) -> None:
    docs = required_documents(rs, ClaimType.INPATIENT, proxy=True, minor=True)
    codes = [d.code for d in docs]
    assert codes[:2] == ["claim_form", "insured_id"] and len(codes) == len(set(codes))
    assert {"invoice", "discharge_summary", "proxy_authorisation", "guardian_proof"} <= set(codes)
    assert all(d.name_zh and d.name_en for d in docs)
    ci = [d.code for d in required_documents(rs, ClaimType.CI_DIAGNOSIS, cancer=True)]
    assert "pathology_report" in ci
    death = [d.code for d in required_documents(rs, ClaimType.DEATH, accident=True)]
    assert {"death_certificate", "beneficiary_id", "accident_proof"} <= set(death)
