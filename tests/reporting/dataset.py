"""A hand-built data set for the KPI definitions (rows written directly, so every right answer is known).

Period: the year 2025 (Beijing dates). The expected figures are stated beside each row group in test_kpis.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from jiabao.claims.models import Claim, ClaimAssessment
from jiabao.family.models import Household, Person
from jiabao.identity.models import User
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import Payment, Policy, PolicyInsured, ReturnVisit, ServiceRequest
from jiabao.risk.fraud.models import RiskAssessment
from jiabao.underwriting.models import UnderwritingDecision
from jiabao.voice.models import Complaint

_ids = count(1)


def at(day: date, hour: int = 4) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def person(s: Session, birth: date) -> int:
    n = next(_ids)
    p = Person(
        name=f"测试{n}",
        sex="M",
        birth_date=birth,
        id_type="resident_id",
        id_number_enc=b"x",
        id_number_bidx=f"bidx{n:06d}",
        id_number_masked="110105********0000",
        created_at=at(date(2024, 1, 1)),
        updated_at=at(date(2024, 1, 1)),
    )
    s.add(p)
    s.flush()
    return p.id


def household(s: Session, head: int, created: date) -> int:
    h = Household(account_no=f"JBT{next(_ids):09d}", head_person_id=head, region="east", created_at=at(created))
    s.add(h)
    s.flush()
    return h.id


def policy(
    s: Session,
    hh: int,
    holder: int,
    *,
    term: int,
    issued: date,
    insureds: list[tuple[int, bool | None]],
    status: str = "in_force",
) -> int:
    common: dict[str, Any] = {
        "household_id": hh,
        "policyholder_person_id": holder,
        "product_code": "whole_life",
        "product_version": 1,
        "channel": "online",
        "frequency": "annual",
        "payment_term": term,
        "annual_premium": Decimal(1000),
        "instalment": Decimal(1000),
        "basis": "test",
    }
    app = Application(**common, status="issued", quote={}, created_at=at(issued), updated_at=at(issued))
    s.add(app)
    s.flush()
    pol = Policy(
        **common,
        policy_no=f"PT{next(_ids):08d}",
        application_id=app.id,
        status=status,
        issued_at=at(issued),
        effective_date=issued,
        received_on=issued,
        cooling_off_end=issued + timedelta(days=15),
        updated_at=at(issued),
    )
    s.add(pol)
    s.flush()
    for pid, automated in insureds:
        decision_id = None
        if automated is not None:
            d = UnderwritingDecision(
                application_id=app.id,
                person_id=pid,
                kb_version="t",
                kb_digest="t",
                facts_enc=b"x",
                result_enc=b"x",
                conclusion="standard",
                automated=automated,
                elapsed_ms=1.0,
                decided_at=at(issued),
            )
            s.add(d)
            s.flush()
            decision_id = d.id
        s.add(
            PolicyInsured(
                policy_id=pol.id,
                person_id=pid,
                sum_assured=Decimal(100000),
                annual_premium=Decimal(1000),
                conclusion="standard",
                decision_id=decision_id,
                start_date=issued,
            )
        )
    s.flush()
    return pol.id


def premium(s: Session, pol: int, holder: int, amount: int, on: date, kind: str = "first_premium") -> None:
    s.add(
        Payment(
            idempotency_key=f"k{next(_ids)}",
            kind=kind,
            direction="in",
            policy_id=pol,
            amount=Decimal(amount),
            account_enc=b"x",
            account_masked="6222 **** **** 0000",
            holder_person_id=holder,
            status="succeeded",
            created_at=at(on),
        )
    )


def service_request(s: Session, pol: int, channel: str, on: date) -> None:
    s.add(
        ServiceRequest(
            policy_id=pol,
            kind="address",
            channel=channel,
            status="completed",
            requested_at=at(on),
            accept_due=on,
            complete_due=on,
        )
    )


def claim(
    s: Session, hh: int, insured: int, *, channel: str, reported: datetime, paid_hours: float | None, straight: bool
) -> None:
    c = Claim(
        claim_no=f"CT{next(_ids):08d}",
        idempotency_key=f"c{next(_ids)}",
        household_id=hh,
        insured_person_id=insured,
        channel=channel,
        claim_type="outpatient",
        event_date=reported.date(),
        reported_at=reported,
        status="paid" if paid_hours is not None else "referred",
        facts_enc=b"x",
        claimed_amount=Decimal(100),
        decision_due=reported.date(),
        account_enc=b"x",
        account_masked="x",
        payee_person_id=insured,
        paid_at=reported + timedelta(hours=paid_hours) if paid_hours is not None else None,
    )
    s.add(c)
    s.flush()
    s.add(
        ClaimAssessment(
            claim_id=c.id,
            rule_version="t",
            outcome="approve_straight_through" if straight else "refer",
            automated=True,
            result_enc=b"x",
            elapsed_ms=1.0,
            decided_at=reported,
        )
    )


def visit(s: Session, pol: int, status: str, due: date, *, elderly: bool = False) -> None:
    s.add(ReturnVisit(policy_id=pol, status=status, elderly=elderly, due_on=due, created_at=at(due)))


def complaint(
    s: Session, hh: int | None, person_id: int | None, category: str, region: str, on: date, *, elderly: bool = False
) -> None:
    s.add(
        Complaint(
            ref=f"CT-{next(_ids)}",
            channel="hotline",
            received_on=on,
            received_at=at(on),
            complainant_kind="customer",
            complainant_person_id=person_id,
            household_id=hh,
            policy_ids=[],
            category=category,
            product_line="ordinary_life",
            region=region,
            summary_enc=b"x",
            status="received",
            elderly=elderly,
            updated_at=at(on),
        )
    )


def scored(s: Session, hh: int, status: str, on: date) -> None:
    s.add(
        RiskAssessment(
            kind="application",
            household_id=hh,
            points=0,
            score=0.0,
            outcome="pass",
            method="rules",
            status=status,
            created_at=at(on),
        )
    )


def build(s: Session) -> dict[str, int]:
    a_head, a_spouse = person(s, date(1980, 1, 1)), person(s, date(1982, 1, 1))
    b_head = person(s, date(1955, 3, 1))  # 70 at the end of 2025: elderly
    e_head = person(s, date(1960, 6, 1))  # 65: elderly
    others = [person(s, date(1990, 1, 1)) for _ in range(3)]
    a = household(s, a_head, date(2024, 6, 1))
    b = household(s, b_head, date(2024, 6, 1))
    household(s, others[0], date(2024, 6, 1))
    e = household(s, e_head, date(2025, 3, 1))
    household(s, others[1], date(2025, 12, 31))
    household(s, others[2], date(2026, 1, 5))  # after the period
    p1 = policy(s, a, a_head, term=20, issued=date(2025, 2, 1), insureds=[(a_head, True), (a_spouse, True)])
    p2 = policy(s, b, b_head, term=10, issued=date(2025, 4, 1), insureds=[(b_head, False)])
    p3 = policy(s, b, b_head, term=1, issued=date(2025, 5, 1), insureds=[(b_head, None)])
    p0 = policy(s, a, a_head, term=20, issued=date(2024, 3, 1), insureds=[(a_head, True)], status="cancelled")
    premium(s, p1, a_head, 3000, date(2025, 2, 1))
    premium(s, p1, a_head, 2000, date(2024, 12, 30))  # before the period
    premium(s, p2, b_head, 1000, date(2025, 4, 1))
    premium(s, p3, b_head, 5000, date(2025, 5, 1))  # single premium: not regular
    for channel in ("online", "online", "online", "counter"):
        service_request(s, p1, channel, date(2025, 6, 1))
    service_request(s, p1, "online", date(2024, 6, 1))  # before the period
    base = at(date(2025, 7, 1))
    claim(s, a, a_head, channel="online", reported=base, paid_hours=2, straight=True)
    claim(s, a, a_spouse, channel="online", reported=base, paid_hours=24, straight=True)
    claim(s, b, b_head, channel="online", reported=base, paid_hours=72, straight=False)
    claim(s, b, b_head, channel="counter", reported=base, paid_hours=None, straight=False)
    visit(s, p1, "passed", date(2025, 2, 16))
    visit(s, p2, "mis_selling", date(2025, 4, 16))
    visit(s, p3, "needs_human", date(2025, 5, 16))
    visit(s, p0, "pending", date(2025, 3, 16))  # open visit of a cancelled policy: not due
    complaint(s, a, a_head, "sales", "east", date(2025, 3, 3))
    complaint(s, b, b_head, "claims", "north", date(2025, 8, 3))
    complaint(s, e, e_head, "sales", "east", date(2025, 9, 3), elderly=True)
    complaint(s, None, None, "sales", "east", date(2024, 9, 3))  # before the period
    for status in ("passed", "passed", "cleared", "intercepted"):
        scored(s, a, status, date(2025, 6, 1))
    scored(s, b, "intercepted", date(2024, 6, 1))  # before the period
    s.add(User(username="kpi-user", password_hash="x", role="customer", display_name="x", person_id=a_head,
               elderly_mode=True, created_at=at(date(2024, 1, 1))))  # fmt: skip  # not elderly by age: no effect
    s.flush()
    return {"a": a, "b": b, "e": e}
