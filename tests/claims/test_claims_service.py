"""Claims end to end through the API, on policies issued through the API: straight-through payment, the adjuster
(approve with amounts, decline with a notice), waiting period, suspended policy, one claim paid by every household
medical policy, duplicate invoices, proxy filing, payee rules, rule-version stability and the claims panel."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.claims import service
from jiabao.claims.engine import ClaimCase, decide, load_rules
from jiabao.claims.models import Claim, ClaimAssessment, ClaimLine
from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.policies.billing import service as billing_service
from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import (
    CHILD_ACCOUNT,
    Covered,
    child_with_outpatient_cover,
    issue_for,
    outpatient_claim,
    with_uploads,
)
from tests.factories import ctx_for, make_user
from tests.policies.test_billing_helpers import sms_kinds

D = Decimal


def _submit(client: TestClient, covered: Covered, body: dict[str, Any], key: str, **headers: str) -> Any:
    response = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, body),
        headers=covered.headers | {"Idempotency-Key": f"test-claim-{key}"} | headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _adjuster(client: TestClient, runtime: Runtime) -> dict[str, str]:
    make_user(runtime, "adjuster", Role.CLAIMS)
    return token_for(client, "adjuster")


def _payments(runtime: Runtime) -> list[Payment]:
    with unit_of_work(runtime.sessions) as session:
        rows = list(session.scalars(select(Payment).where(Payment.kind == "claim").order_by(Payment.id)))
        session.expunge_all()
        return rows


def _codes(client: TestClient, adjuster: dict[str, str], claim_id: int) -> set[str]:
    reasoning = client.get(f"/api/v1/claims/{claim_id}/assessment", headers=adjuster)
    assert reasoning.status_code == 200, reasoning.text
    return {r["code"] for r in reasoning.json()["assessment"]["reasons"]}


def test_small_claim_straight_through_gets_one_payment_instruction(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    claim = _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), amount="1200"), "st-0001")
    # outpatient_medical: no deductible, 90% when settled through social insurance: 1,200 × 0.9 = 1,080
    assert claim["status"] == "paid"
    assert D(claim["paid_amount"]) == D(claim["approved_amount"]) == D("1080.00")
    assert claim["payment_due"] == runtime.clock.today().isoformat()  # paid on the day (≤ 10 days after agreement)
    assert claim["decision_due"] > runtime.clock.today().isoformat()  # ordinary: 5 working days
    assert [(line["policy_id"], line["benefit"], D(line["amount"])) for line in claim["lines"]] == [
        (covered.policy_id, "medical", D("1080.00"))
    ]
    (payment,) = _payments(runtime)
    assert (payment.direction, payment.status, payment.policy_id, payment.amount) == (
        "out",
        "instructed",
        covered.policy_id,
        D("1080.00"),
    )
    assert payment.holder_person_id == covered.child  # the insured's own account (the child's card)
    assert payment.account_masked == claim["account_masked"] == "6222 **** **** 0128"
    assert runtime.cipher.decrypt("payments.account", payment.account_enc) == CHILD_ACCOUNT
    listed = client.get(f"/api/v1/households/{covered.household_id}/claims", headers=covered.headers).json()
    assert [c["id"] for c in listed] == [claim["id"]]


def test_above_fast_pay_limit_goes_to_the_adjuster_who_approves_with_amounts(
    client: TestClient, runtime: Runtime
) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _adjuster(client, runtime)
    claim = _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), amount="5000"), "big-0001")
    # 5,000 × 0.9 = 4,500 > the ¥3,000 fast-pay limit: referred, nothing paid yet, complex (30 days)
    assert claim["status"] == "referred" and D(claim["paid_amount"]) == 0 and claim["lines"] == []
    assert "above_fast_pay_limit" in _codes(client, adjuster, claim["id"])
    assert _payments(runtime) == []
    queue = client.get("/api/v1/claims-queue", headers=adjuster).json()
    assert [c["id"] for c in queue] == [claim["id"]]
    assert client.get("/api/v1/claims-queue", headers=covered.headers).status_code == 403
    decided = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": True, "amounts": {str(covered.policy_id): "4200.00"}, "reason": "部分药品超出目录，核减300元"},
        headers=adjuster,
    )
    assert decided.status_code == 200, decided.text
    out = decided.json()
    assert out["status"] == "paid" and D(out["paid_amount"]) == D("4200.00")
    (payment,) = _payments(runtime)
    assert (payment.policy_id, payment.amount, payment.status) == (covered.policy_id, D("4200.00"), "instructed")
    again = client.post(
        f"/api/v1/claims/{claim['id']}/decision", json={"approve": True, "reason": "重复提交"}, headers=adjuster
    )
    assert again.status_code == 409  # decided once; never paid twice
    assert client.get("/api/v1/claims-queue", headers=adjuster).json() == []
    with unit_of_work(runtime.sessions) as session:
        kinds = list(
            session.scalars(
                select(ClaimAssessment.automated)
                .where(ClaimAssessment.claim_id == claim["id"])
                .order_by(ClaimAssessment.id)
            )
        )
        assert kinds == [True, False]  # the engine's assessment, then the adjuster's, both kept


def test_adjuster_declines_with_rejection_notice_due_within_three_days(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _adjuster(client, runtime)
    claim = _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), amount="6000"), "dec-0001")
    assert claim["status"] == "referred"
    runtime.clock.advance(timedelta(days=2))
    decided = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": False, "reason": "发票与病历记载的就诊日期不符，不予赔付"},
        headers=adjuster,
    ).json()
    assert decided["status"] == "declined" and D(decided["paid_amount"]) == 0
    # Insurance Law art. 24: the notice carries the adjuster's reasons and the appeal route, sent the same day
    assert "发票与病历记载的就诊日期不符，不予赔付" in decided["rejection_notice_zh"]
    assert "申请复核" in decided["rejection_notice_zh"] and "提起诉讼" in decided["rejection_notice_zh"]
    assert "arbitration" in decided["rejection_notice_en"]
    assert decided["notice_sent_on"] == runtime.clock.today().isoformat()
    assert sms_kinds(runtime)["claim_declined"] == 1
    today = runtime.clock.today()
    assert decided["notice_due"] is not None
    assert today.isoformat() < decided["notice_due"] <= (today + timedelta(days=3)).isoformat()
    assert _payments(runtime) == []


def test_claim_in_the_waiting_period_is_declined_with_a_notice(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    household_policy = issue_for(
        client, covered.household_id, covered.headers, "medical_million", [(covered.head, "2000000")], payment_term=1
    )
    # medical_million issued today: a 30-day waiting period; an illness 0 days later is inside it
    body = outpatient_claim(covered.head, runtime.clock.today(), invoice="INV-WAIT-1")
    body["event_date"] = runtime.clock.today().isoformat()
    body["account"] = "6222021234567890128"
    claim = _submit(client, covered, body, "wait-0001")
    assert claim["status"] == "declined", claim["explanation_zh"]
    assert D(claim["paid_amount"]) == 0 and claim["lines"] == []
    assert "等待期" in claim["rejection_notice_zh"]
    today = runtime.clock.today()
    assert claim["notice_due"] is not None
    assert today.isoformat() < claim["notice_due"] <= (today + timedelta(days=3)).isoformat()
    assert _codes(client, _adjuster(client, runtime), claim["id"]) >= {"waiting_period"}
    assert household_policy > covered.policy_id and _payments(runtime) == []


def test_claim_on_a_suspended_policy_is_declined(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    issue_for(
        client,
        covered.household_id,
        covered.headers,
        "family_ci",
        [(covered.head, "300000")],
        payment_term=20,
        coverage=30,
        frequency="monthly",
    )
    # monthly family CI issued 45 days ago: the second instalment fell due 15 days ago; advance past the 60-day
    # grace period and run the nightly billing job, which suspends it (中止)
    runtime.clock.advance(timedelta(days=120))
    with unit_of_work(runtime.sessions) as session:
        summary = billing_service.refresh_all(ctx_for(runtime, session), runtime.clock.today())
    assert any(k.endswith("->suspended") for k in summary.changed), summary
    today = runtime.clock.today()
    body = {
        "insured_person_id": covered.head,
        "claim_type": "ci_diagnosis",
        "event_date": (today - timedelta(days=1)).isoformat(),
        "diagnoses": [{"icd10": "C34.1", "description": "肺恶性肿瘤", "icd_o3_behaviour": 3}],
        "ci": {"disease": "cancer", "diagnosed_on": (today - timedelta(days=1)).isoformat()},
        "documents": [
            "claim_form",
            "insured_id",
            "bank_account",
            "diagnosis_certificate",
            "test_reports",
            "discharge_summary",
            "pathology_report",
        ],
        "account": "6222021234567890128",
    }
    claim = _submit(client, covered, body, "susp-0001")
    assert claim["status"] == "declined", claim["explanation_zh"]
    assert _codes(client, _adjuster(client, runtime), claim["id"]) >= {"policy_suspended"}
    assert _payments(runtime) == []


def test_one_claim_is_paid_by_every_household_medical_policy_never_above_cost(
    client: TestClient, runtime: Runtime
) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    runtime.clock.advance(timedelta(days=-45))  # issue the million cover on the same day as the clinic cover
    million = issue_for(
        client, covered.household_id, covered.headers, "medical_million", [(covered.child, "2000000")], payment_term=1
    )
    runtime.clock.advance(timedelta(days=45))
    adjuster = _adjuster(client, runtime)
    body = outpatient_claim(covered.child, runtime.clock.today(), amount="30000", invoice="INV-BIG-1")
    body["claim_type"] = "inpatient"
    body["documents"] += ["discharge_summary", "diagnosis_certificate"]
    claim = _submit(client, covered, body, "both-0001")
    # policy order = the household's order (clinic cover first):
    #   outpatient_medical: 30,000 × 90% = 27,000, capped at its 20,000 annual limit → 20,000
    #   medical_million: remaining 30,000 − 20,000 = 10,000; deductible 10,000 offset by the 20,000 paid
    #   elsewhere → 0; × 100% (social insurance settled) = 10,000
    #   total 30,000 = the actual cost (never above it); above ¥3,000 → the adjuster
    assert claim["status"] == "referred"
    lines = client.get(f"/api/v1/claims/{claim['id']}/assessment", headers=adjuster).json()["assessment"]["lines"]
    assert {(int(line["policy_id"]), D(line["amount"])) for line in lines} == {
        (covered.policy_id, D("20000.00")),
        (million, D("10000.00")),
    }
    paid = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": True, "reason": "核实无误，按引擎计算赔付"},
        headers=adjuster,
    ).json()
    assert paid["status"] == "paid" and D(paid["paid_amount"]) == D("30000.00") <= D("30000")
    assert sorted((p.policy_id, p.amount) for p in _payments(runtime)) == [
        (covered.policy_id, D("20000.00")),
        (million, D("10000.00")),
    ]
    # the clinic cover's annual limit is used up: a later small claim is paid by nobody on that policy
    later = _submit(
        client,
        covered,
        outpatient_claim(covered.child, runtime.clock.today(), amount="500", invoice="INV-AFTER"),
        "k-2",
    )
    by_policy = {line["policy_id"]: D(line["amount"]) for line in later["lines"]}
    # outpatient_medical: limit left 20,000 − 20,000 = 0 → 0; medical_million: 500 within the child's deductible
    # (10,000 − 0 used; the offset counts only this claim's other payments, here 0) → 0
    assert by_policy == {covered.policy_id: D("0.00"), million: D("0.00")}


def test_duplicate_invoice_in_a_second_claim_is_not_paid_again(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _adjuster(client, runtime)
    first = _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), invoice="INV-77"), "dup-1")
    assert first["status"] == "paid" and D(first["paid_amount"]) == D("720.00")  # 800 × 90%
    second = _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), invoice="INV-77"), "dup-2")
    assert second["id"] != first["id"] and second["status"] == "referred"
    assert D(second["paid_amount"]) == 0
    assert "duplicate_invoice" in _codes(client, adjuster, second["id"])
    assert len(_payments(runtime)) == 1


def test_proxy_filing_for_an_adult_needs_authorisation(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    runtime.clock.advance(timedelta(days=-45))
    issue_for(client, covered.household_id, covered.headers, "outpatient_medical", [(covered.head, "20000")])
    runtime.clock.advance(timedelta(days=45))
    from tests.factories import add_member, resident_id

    add_member(
        runtime,
        covered.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(runtime.clock.today().replace(year=1987), "F", 101),
    )
    members = client.get(f"/api/v1/households/{covered.household_id}/members", headers=covered.headers).json()
    spouse = next(m["person_id"] for m in members if m["relationship"] == "spouse")
    body = outpatient_claim(spouse, runtime.clock.today(), invoice="INV-SP-1")
    refused = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(client, covered.household_id, covered.headers, body),
        headers=covered.headers | {"Idempotency-Key": "proxy-0001"},
    )
    assert refused.status_code == 422
    assert [f["code"] for f in refused.json()["error"]["fields"]] == ["authorisation_required"]
    accepted = _submit(client, covered, body | {"insured_authorised": True}, "proxy-0002")
    assert accepted["proxy"] is True and accepted["channel"] == "online"
    # the head files for himself: not a proxy claim
    own = _submit(
        client, covered, outpatient_claim(covered.head, runtime.clock.today(), invoice="INV-HEAD-1"), "proxy-0003"
    )
    assert own["proxy"] is False and own["status"] == "paid"  # 800 × 90% = 720 on the head's clinic cover
    assert D(own["paid_amount"]) == D("720.00")


def test_payee_must_be_the_insured_with_a_valid_own_card(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    url = f"/api/v1/households/{covered.household_id}/claims"
    body = with_uploads(
        client, covered.household_id, covered.headers, outpatient_claim(covered.child, runtime.clock.today())
    )
    # an adult's benefit goes to the adult's own account, not to a family member's (Internet Measures art. 40)
    adult = with_uploads(
        client, covered.household_id, covered.headers, outpatient_claim(covered.head, runtime.clock.today())
    )
    to_child = client.post(
        url, json=adult | {"payee_person_id": covered.child}, headers=covered.headers | {"Idempotency-Key": "payee-001"}
    )
    assert to_child.status_code == 422
    assert [f["code"] for f in to_child.json()["error"]["fields"]] == ["payee_not_allowed"]
    bad_card = client.post(
        url, json=body | {"account": "6222 0212 3456 789X"}, headers=covered.headers | {"Idempotency-Key": "payee-002"}
    )
    assert bad_card.status_code == 422  # digits only (a Luhn failure is only a warning: some real cards fail it)
    assert [(f["field"], f["code"]) for f in bad_card.json()["error"]["fields"]] == [("account", "bank_card_invalid")]
    future = client.post(
        url,
        json=body | {"event_date": (runtime.clock.today() + timedelta(days=1)).isoformat()},
        headers=covered.headers | {"Idempotency-Key": "payee-003"},
    )
    assert future.status_code == 422
    assert _payments(runtime) == []
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(Claim.id))) == 0  # a refused filing leaves nothing behind


def test_stored_facts_redecided_on_the_same_rule_version_give_the_same_decision(
    client: TestClient, runtime: Runtime
) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    claims = [
        _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), amount=a, invoice=i), k)
        for a, i, k in (("800", "INV-R1", "rv-00001"), ("9000", "INV-R2", "rv-00002"), ("300", "INV-R1", "rv-00003"))
    ]
    assert [c["status"] for c in claims] == ["paid", "referred", "referred"]
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        for out in claims:
            claim = session.get(Claim, out["id"])
            assert claim is not None
            stored = service.assessment_of(ctx, claim.id)
            case = ClaimCase.model_validate_json(ctx.cipher.decrypt(service.FACTS_COLUMN, claim.facts_enc))
            again = decide(load_rules(stored["rule_version"]), case)
            fresh = json.loads(again.model_dump_json())
            for key in ("outcome", "complexity", "lines", "total", "waivers", "reasons", "rule_version", "rule_digest"):
                assert fresh[key] == stored[key], key
            assert fresh["explanation_zh"] == stored["explanation_zh"]
            audit = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "claim.decide", AuditEntry.entity_id == str(claim.id))
            ).all()
            assert len(audit) == 1


def test_claims_panel_figures(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    adjuster = _adjuster(client, runtime)
    make_user(runtime, "counter", Role.SERVICE)  # customer service at a counter (柜面) files for the family
    counter_staff = token_for(client, "counter")
    _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), invoice="P-1"), "panel-01")
    _submit(client, covered, outpatient_claim(covered.child, runtime.clock.today(), invoice="P-2"), "panel-02")
    referred = _submit(
        client, covered, outpatient_claim(covered.child, runtime.clock.today(), amount="8000", invoice="P-3"), "pn-3"
    )
    counter = _submit(
        client,
        covered,
        outpatient_claim(covered.child, runtime.clock.today(), amount="100", invoice="P-4")
        | {"counter_identity_verified": True, "counter_customer_confirmed": True},
        "panel-04",
        Authorization=counter_staff["Authorization"],
    )
    assert counter["channel"] == "counter" and counter["status"] == "paid"
    runtime.clock.advance(timedelta(hours=5))
    client.post(
        f"/api/v1/claims/{referred['id']}/decision", json={"approve": True, "reason": "核实无误"}, headers=adjuster
    )
    panel = client.get("/api/v1/claims-panel", headers=adjuster).json()
    # 4 claims, 3 online (75%), 3 straight through (75%), 4 paid: 3 at once (0 s) and one after 5 h (18,000 s)
    assert (panel["total"], panel["online"], panel["straight_through"], panel["paid"]) == (4, 3, 3, 4)
    assert D(panel["online_share"]) == D(panel["straight_through_share"]) == D("0.75")
    # sorted waits [0, 0, 0, 18000]: p50 = waits[2] = 0; p90 = waits[int(3.6)] = waits[3] = 18,000
    assert panel["time_to_payment_p50_seconds"] == 0
    assert panel["time_to_payment_p90_seconds"] == 18000
    assert panel["overdue_decisions"] == 0
    assert client.get("/api/v1/claims-panel", headers=covered.headers).status_code == 403
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(ClaimLine.id))) == 4
