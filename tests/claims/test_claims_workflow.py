"""Issue 17 item 2 through the API: further documents with the clock paused, investigations, 二次核保 on the
knowledge base in force at issue, death-claim recipients and heirs, appeals decided by a second person, the
art. 25 advance for any claim, the grace-period premium deduction, phone reports and the figures by channel."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.claims.engine import Complexity, claim_timeline
from jiabao.claims.engine.timeline import DocumentRequest
from jiabao.core.auth import Role
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Instalment, Payment
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import CHILD_ACCOUNT, Covered, child_with_outpatient_cover, issue_for, outpatient_claim, upload
from tests.claims.test_claims_family import _household
from tests.factories import add_member, make_family, make_user, resident_id

D = Decimal
SPOUSE_ACCOUNT = "6217001234567890122"


def _file(client: TestClient, covered: Covered, body: dict[str, Any], key: str) -> Any:
    documents = body.pop("documents", [])
    body["document_ids"] = upload(client, covered.household_id, _auth(covered.headers), documents) if documents else []
    response = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=body,
        headers=covered.headers | {"Idempotency-Key": f"workflow-{key}"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def _auth(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() == "authorization"}


def _staff(client: TestClient, runtime: Runtime, name: str, role: Role = Role.CLAIMS) -> dict[str, str]:
    make_user(runtime, name, role)
    return token_for(client, name)


def _user_id(client: TestClient, headers: dict[str, str]) -> int:
    return int(client.get("/api/v1/auth/me", headers=headers).json()["id"])


def _engine_total(client: TestClient, adjuster: dict[str, str], claim_id: int) -> Decimal:
    lines = client.get(f"/api/v1/claims/{claim_id}/assessment", headers=adjuster).json()["assessment"]["lines"]
    return sum((D(line["amount"]) for line in lines), D(0))


def _missing_two(covered: Covered, runtime: Runtime, **kw: Any) -> dict[str, Any]:
    body = outpatient_claim(covered.child, runtime.clock.today(), **kw)
    body["documents"] = [d for d in body["documents"] if d not in ("invoice", "outpatient_record")]
    return body


def test_document_request_pauses_the_clock_and_the_uploads_reach_the_adjuster(
    client: TestClient, runtime: Runtime
) -> None:
    """一次性告知 (Sales Conduct Measures art. 40): one notice names every missing document; the decision clock
    stands still from the request until all arrive (SPC Interp. II art. 15); the adjuster who asked is notified,
    sees the uploads and approves: (800 − 0) × 90% = 720 paid."""
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _staff(client, runtime, "adjuster")
    claim = _file(client, covered, _missing_two(covered, runtime), "docs-1")
    assert claim["status"] == "referred" and set(claim["missing_documents"]) == {"invoice", "outpatient_record"}
    received = date.fromisoformat(claim["reported_at"][:10])
    due_before = date.fromisoformat(claim["decision_due"])

    asked = client.post(
        f"/api/v1/claims/{claim['id']}/document-requests",
        json={"kinds": ["invoice", "outpatient_record"]},
        headers=adjuster,
    )
    assert asked.status_code == 201, asked.text
    view = asked.json()
    assert view["status"] == "documents_requested"
    assert "《医疗费用发票》、《门（急）诊病历》" in view["request_notice_zh"]
    again = client.post(
        f"/api/v1/claims/{claim['id']}/document-requests", json={"kinds": ["claim_form"]}, headers=adjuster
    )
    assert again.status_code == 409  # one notice for everything: no second request while one is open
    requested_on = runtime.clock.today()

    runtime.clock.advance(timedelta(days=7))
    ids = upload(client, covered.household_id, _auth(covered.headers), ["invoice"])
    partial = client.post(
        f"/api/v1/claims/{claim['id']}/documents", json={"document_ids": ids}, headers=covered.headers
    )
    assert partial.status_code == 200 and partial.json()["status"] == "documents_requested"  # still waiting
    ids = upload(client, covered.household_id, _auth(covered.headers), ["outpatient_record"])
    done = client.post(f"/api/v1/claims/{claim['id']}/documents", json={"document_ids": ids}, headers=covered.headers)
    assert done.status_code == 200, done.text
    after = done.json()
    assert after["status"] == "referred" and after["open_request_kinds"] == []
    arrived_on = runtime.clock.today()
    expected = claim_timeline(
        received_on=received,
        complexity=Complexity.ORDINARY,
        as_of=arrived_on,
        requests=(DocumentRequest(requested_on=requested_on, received_on=arrived_on),),
    ).decision.due
    assert date.fromisoformat(after["decision_due"]) == expected > due_before  # the 7 days' wait deducted
    with unit_of_work(runtime.sessions) as session:
        notes = [m.payload for m in session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "staff"))]
        sms = [m.payload for m in session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms"))]
    assert any(n["kind"] == "claim_documents_received" and n["handler_id"] == _user_id(client, adjuster) for n in notes)
    assert any(m["kind"] == "claim_documents_requested" and "《医疗费用发票》" in m["body"] for m in sms)

    queue = client.get("/api/v1/claims-queue", headers=adjuster).json()
    seen = next(c for c in queue if c["id"] == claim["id"])
    assert {"invoice", "outpatient_record"} <= {d["kind"] for d in seen["documents"]}
    approved = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": True, "reason": "资料齐全，同意赔付"},
        headers=adjuster,
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "paid" and D(approved.json()["paid_amount"]) == D("720.00")


def test_an_open_investigation_keeps_the_claim_from_being_decided_within_30_days(
    client: TestClient, runtime: Runtime
) -> None:
    """An investigation is a stated reason the case is complex (Insurance Law art. 23: 30 days, counted from
    receipt, not restarted); only the person assigned records the outcome; until then no decision."""
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _staff(client, runtime, "adjuster")
    investigator = _staff(client, runtime, "investigator", Role.RISK)
    claim = _file(client, covered, _missing_two(covered, runtime), "inv-1")
    opened = client.post(
        f"/api/v1/claims/{claim['id']}/investigations",
        json={
            "kind": "hospital_records",
            "assignee": _user_id(client, investigator),
            "instructions": "调取门诊病历核实",
        },
        headers=adjuster,
    )
    assert opened.status_code == 201, opened.text
    view = client.get(f"/api/v1/claims/{claim['id']}", headers=adjuster).json()
    received = date.fromisoformat(claim["reported_at"][:10])
    assert view["complexity"] == "complex" and view["investigations_open"] == 1
    assert date.fromisoformat(view["decision_due"]) == received + timedelta(days=30)
    assert any(r["code"] == "investigation" for r in view["complexity_reasons"])
    blocked = client.post(
        f"/api/v1/claims/{claim['id']}/decision", json={"approve": True, "reason": "同意赔付"}, headers=adjuster
    )
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "investigation_open"
    outcome = {"investigation_id": opened.json()["id"], "outcome": "confirmed", "findings": "病历与申请一致"}
    by_other = client.post(f"/api/v1/claims/{claim['id']}/investigation-outcomes", json=outcome, headers=adjuster)
    assert by_other.status_code == 403  # only the person assigned
    closed = client.post(f"/api/v1/claims/{claim['id']}/investigation-outcomes", json=outcome, headers=investigator)
    assert closed.status_code == 200 and closed.json()["outcome"] == "confirmed"
    flow = client.get(f"/api/v1/claims/{claim['id']}/workflow", headers=adjuster).json()
    assert flow["investigations"][0]["findings"] == "病历与申请一致"
    approved = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": True, "reason": "调查属实，同意赔付"},
        headers=adjuster,
    )
    assert approved.status_code == 200 and D(approved.json()["paid_amount"]) == D("720.00")


def test_reunderwriting_uses_the_issue_version_and_sets_what_is_paid(client: TestClient, runtime: Runtime) -> None:
    """二次核保: the claim reveals hypertension first diagnosed before cover. Re-run on the knowledge base the
    policy was issued under (CBIRC Order 2022 No. 9): at 160–179/100–109 the medical line would have excluded
    hypertension (EX_HTN) — it did not cause this respiratory claim, so it is paid; had it been 180/110 or more the
    cover would have been declined: referred for rescission (art. 16), and nothing is paid meanwhile."""
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _staff(client, runtime, "adjuster")
    body = _missing_two(covered, runtime)
    body["diagnoses"].append({"icd10": "I10", "description": "高血压", "first_diagnosed_on": "2024-01-10"})
    claim = _file(client, covered, body, "reuw-1")
    assert claim["status"] == "referred"
    base = {"policy_id": covered.policy_id, "impairment": "HTN", "causal_icd": ["J06.9"]}
    excluded = client.post(
        f"/api/v1/claims/{claim['id']}/reunderwriting",
        json=base | {"answers": {"bp_max": "lt180_110", "complications": "no"}},
        headers=adjuster,
    )
    assert excluded.status_code == 201, excluded.text
    assert excluded.json()["kb_version"] == "2026.1" and excluded.json()["conclusion"] == "exclusion"
    assert excluded.json()["effect"] == "pay_excluding" and excluded.json()["pays"] is True
    declined = client.post(
        f"/api/v1/claims/{claim['id']}/reunderwriting",
        json=base | {"answers": {"bp_max": "ge180_110", "complications": "no"}},
        headers=adjuster,
    )
    assert declined.json()["conclusion"] == "declined" and declined.json()["effect"] == "refer_rescission"
    # the latest re-underwriting withholds this policy's benefit: the adjuster's default pays 0, not 720
    approved = client.post(
        f"/api/v1/claims/{claim['id']}/decision", json={"approve": True, "reason": "转解除审查"}, headers=adjuster
    )
    assert approved.status_code == 200 and D(approved.json()["paid_amount"]) == 0
    assert (
        client.get(f"/api/v1/claims/{claim['id']}/workflow", headers=adjuster).json()["reunderwritings"][1]["effect"]
        == "refer_rescission"
    )


def test_death_benefit_goes_to_the_legal_heirs_each_to_their_own_account(client: TestClient, runtime: Runtime) -> None:
    """No beneficiary named (法定): the benefit is the insured's estate (Insurance Law art. 42), paid to the first-order
    heirs — spouse, child, parent (Civil Code art. 1127) — in equal shares (art. 1130), each to their own
    account and screened like any payee; a share without an account waits for it."""
    home = _household(client, runtime)
    parent = dict(name="张建国", relationship="parent", id_number=resident_id(date(1958, 2, 2), "M", 55))
    add_member(runtime, home.id, **parent)
    members = client.get(f"/api/v1/households/{home.id}/members", headers=home.headers).json()
    father = next(m["person_id"] for m in members if m["relationship"] == "parent")
    whole_life = issue_for(client, home.id, home.headers, "whole_life", [(home.head, "300000")], payment_term=1)
    runtime.clock.advance(timedelta(days=30))
    adjuster = _staff(client, runtime, "adjuster")
    day = runtime.clock.today() - timedelta(days=1)
    body = {
        "insured_person_id": home.head,
        "claim_type": "death",
        "cause": "accident",
        "event_date": day.isoformat(),
        "documents": [
            "claim_form",
            "insured_id",
            "death_certificate",
            "household_deregistration",
            "beneficiary_id",
            "relationship_proof",
            "bank_account",
            "accident_proof",
        ],
        "payee_person_id": home.spouse,
        "account": SPOUSE_ACCOUNT,
    }
    covered = Covered(home.id, home.head, home.child, whole_life, home.headers)
    claim = _file(client, covered, body, "death-1")
    assert claim["status"] == "referred"
    heirs = {b["person_id"]: b for b in claim["beneficiaries"]}
    assert set(heirs) == {home.spouse, home.child, father}
    assert {b["basis"] for b in heirs.values()} == {"heir_first"}
    assert heirs[home.spouse]["account_masked"] and heirs[home.child]["account_masked"] is None
    total = _engine_total(client, adjuster, claim["id"])
    assert total > 0
    approved = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": True, "reason": "身故理赔，资料齐全"},
        headers=adjuster,
    ).json()
    shares = {b["person_id"]: D(b["amount"]) for b in approved["beneficiaries"]}
    assert sum(shares.values()) == total and len(set(shares.values())) == 1  # equal to the fen
    assert D(approved["paid_amount"]) == shares[home.spouse]  # only the spouse has an account so far
    given = client.post(
        f"/api/v1/claims/{claim['id']}/beneficiary-accounts",
        json={"beneficiary_id": heirs[home.child]["id"], "account": CHILD_ACCOUNT},
        headers=home.headers,
    )
    assert given.status_code == 200, given.text
    assert D(given.json()["paid_amount"]) == shares[home.spouse] + shares[home.child]
    with unit_of_work(runtime.sessions) as session:
        paid = session.scalars(select(Payment).where(Payment.kind == "claim")).all()
        assert {(p.holder_person_id, p.amount) for p in paid} == {
            (home.spouse, shares[home.spouse]),
            (home.child, shares[home.child]),
        }


def test_an_appeal_is_decided_by_a_second_adjuster_who_may_overturn_and_pay(
    client: TestClient, runtime: Runtime
) -> None:
    """Four-eyes: the adjuster who declined cannot decide the appeal (409); a colleague overturns it, the engine's
    720 is paid (Insurance Law art. 23: within 10 days of agreement) and the decision letter says so."""
    covered = child_with_outpatient_cover(client, runtime)
    first = _staff(client, runtime, "adjuster")
    second = _staff(client, runtime, "reviewer")
    claim = _file(client, covered, _missing_two(covered, runtime), "appeal-1")
    declined = client.post(
        f"/api/v1/claims/{claim['id']}/decision", json={"approve": False, "reason": "病历不足以证明"}, headers=first
    )
    assert declined.json()["status"] == "declined"
    filed = client.post(
        f"/api/v1/claims/{claim['id']}/appeal", json={"grounds": "病历已补交，请复核"}, headers=covered.headers
    )
    assert filed.status_code == 201 and filed.json()["status"] == "appealed"
    decision = {"overturn": True, "reason": "补交病历证明属于保险责任"}
    same = client.post(f"/api/v1/claims/{claim['id']}/appeal/decision", json=decision, headers=first)
    assert same.status_code == 409 and same.json()["error"]["code"] == "four_eyes"
    done = client.post(f"/api/v1/claims/{claim['id']}/appeal/decision", json=decision, headers=second)
    assert done.status_code == 200, done.text
    out = done.json()
    assert out["status"] == "paid" and D(out["paid_amount"]) == D("720.00")
    assert out["appeal"]["status"] == "overturned" and "撤销原拒赔决定" in out["appeal"]["letter_zh"]
    assert out["appeal"]["decided_by"] == _user_id(client, second) != out["appeal"]["declined_by"]


def test_art_25_advance_is_paid_for_a_medical_claim_and_never_twice(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 25: the determinable part is paid in advance for any claim, not only CI — an outpatient
    claim of ¥5,000 above the fast-pay limit, referred only for its size, has its amount determined: 5,000 × 90%
    = 4,500 paid now; the adjuster's approval afterwards pays nothing more."""
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _staff(client, runtime, "adjuster")
    body = outpatient_claim(covered.child, runtime.clock.today(), amount="5000", invoice="INV-ADV-1")
    claim = _file(client, covered, body, "adv-1")
    assert claim["status"] == "referred" and D(claim["paid_amount"]) == 0
    assert date.fromisoformat(claim["advance_payment_by"]) == date.fromisoformat(claim["reported_at"][:10]) + timedelta(
        days=60
    )
    advanced = client.post(f"/api/v1/claims/{claim['id']}/advance", headers=adjuster)
    assert advanced.status_code == 200, advanced.text
    assert advanced.json()["status"] == "advance_paid" and D(advanced.json()["paid_amount"]) == D("4500.00")
    twice = client.post(f"/api/v1/claims/{claim['id']}/advance", headers=adjuster)
    assert twice.status_code == 409
    approved = client.post(
        f"/api/v1/claims/{claim['id']}/decision", json={"approve": True, "reason": "资料齐全，结案"}, headers=adjuster
    )
    assert approved.status_code == 200 and D(approved.json()["paid_amount"]) == D("4500.00")


def test_unpaid_premium_in_the_grace_period_is_deducted_from_the_benefit(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 36 and the contract terms: a monthly instalment fell due and is unpaid; the claim's event
    is inside the 60-day grace period, so cover stands and the instalment is deducted: 720 − the instalment paid,
    the instalment settled by offset."""
    family = make_family(runtime)
    add_member(
        runtime,
        family.household_id,
        name="张小宝",
        relationship="child",
        id_number=resident_id(date(2016, 9, 9), "M", 3),
    )
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    child = next(m["person_id"] for m in members if m["relationship"] == "child")
    policy = issue_for(
        client,
        family.household_id,
        headers,
        "outpatient_medical",
        [(child, "20000")],
        payment_term=1,
        frequency="monthly",
    )
    runtime.clock.advance(timedelta(days=45))  # the second instalment fell due about 15 days ago: in grace
    covered = Covered(family.household_id, family.head_person_id, child, policy, headers)
    with unit_of_work(runtime.sessions) as session:
        owed = session.scalars(
            select(Instalment).where(
                Instalment.policy_id == policy,
                Instalment.paid_on.is_(None),
                Instalment.due_date <= runtime.clock.today() - timedelta(days=2),
            )
        ).all()
        assert len(owed) == 1
        instalment_id, premium = owed[0].id, owed[0].amount
    claim = _file(client, covered, outpatient_claim(child, runtime.clock.today()), "grace-1")
    assert claim["status"] == "paid", claim["explanation_zh"]
    assert D(claim["paid_amount"]) == D("720.00") - premium
    assert claim["deductions"][str(policy)][0]["kind"] == "grace_premium"
    assert D(claim["deductions"][str(policy)][0]["amount"]) == premium
    with unit_of_work(runtime.sessions) as session:
        settled = session.get(Instalment, instalment_id)
        assert settled is not None and settled.paid_on == runtime.clock.today()


def test_phone_reports_count_as_phone_and_the_panel_gives_figures_by_channel(
    client: TestClient, runtime: Runtime
) -> None:
    """线上理赔率 counts each claim once by its channel: one online claim, one reported by phone (recorded by the
    claims handler) → online share 50%; a customer cannot label their own filing."""
    covered = child_with_outpatient_cover(client, runtime)
    handler = _staff(client, runtime, "handler")
    online = _file(client, covered, outpatient_claim(covered.child, runtime.clock.today()), "chan-1")
    assert online["channel"] == "online" and online["status"] == "paid"
    body = outpatient_claim(covered.child, runtime.clock.today(), invoice="INV-PHONE-1")
    body.pop("documents")
    body["insured_authorised"] = True
    phoned = client.post(
        f"/api/v1/households/{covered.household_id}/phone-claims",
        json=body,
        headers=handler | {"Idempotency-Key": "workflow-phone-1"},
    )
    assert phoned.status_code == 201, phoned.text
    assert phoned.json()["channel"] == "phone" and phoned.json()["status"] == "referred"  # documents to follow
    labelled = dict(body, channel="phone", document_ids=[])
    refused = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=labelled,
        headers=covered.headers | {"Idempotency-Key": "workflow-phone-2"},
    )
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "channel"
    panel = client.get("/api/v1/claims-panel", headers=handler).json()
    assert panel["total"] == 2 and D(panel["online_share"]) == D("0.5")
    by = {f["channel"]: f for f in panel["by_channel"]}
    assert by["online"]["accepted"] == 1 and by["phone"]["accepted"] == 1 and by["counter"]["accepted"] == 0
    assert by["online"]["decided_within_limit"] == 1 and by["phone"]["decided"] == 0
    assert panel["accepted"] == 2 and D(panel["decided_within_limit_share"]) == 1


def test_a_counter_filing_needs_the_identity_checked_and_the_customers_confirmation(
    client: TestClient, runtime: Runtime
) -> None:
    """Counter parity (issue 17 item 3; Basic Service Rules 2010): at the counter the staff member verifies the
    customer's identity and records their confirmation; without either the filing is refused and nothing is kept."""
    covered = child_with_outpatient_cover(client, runtime)
    counter = _staff(client, runtime, "counter", Role.SERVICE)
    body = outpatient_claim(covered.child, runtime.clock.today(), invoice="INV-COUNTER-1")
    body.pop("documents")
    body["insured_authorised"] = True
    url = f"/api/v1/households/{covered.household_id}/claims"
    for flags, field in (
        ({}, "counter_identity_verified"),
        ({"counter_identity_verified": True}, "counter_customer_confirmed"),
    ):
        refused = client.post(url, json=body | flags, headers=counter | {"Idempotency-Key": f"counter-{field}"})
        assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == field
    assert client.get(f"/api/v1/households/{covered.household_id}/claims", headers=covered.headers).json() == []
    both = {"counter_identity_verified": True, "counter_customer_confirmed": True}
    filed = client.post(url, json=body | both, headers=counter | {"Idempotency-Key": "counter-ok-1"})
    assert filed.status_code == 201 and filed.json()["channel"] == "counter"
