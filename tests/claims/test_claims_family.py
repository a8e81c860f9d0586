"""Family benefits through the API: CI advance payment (重疾先赔) with the spouse joint benefit (夫妻同心金) and the
whole-family premium waiver (一人出险全家豁免) across the household's policies, the adjuster settling the rest, the
mild-CI 30% rule, and deductibles across claims (per insured, and shared by the household)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.claims.engine import load_rules
from jiabao.claims.engine.rules import DATA_DIR
from jiabao.config import Settings
from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Instalment, Payment, Policy
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for, outpatient_claim, with_uploads
from tests.factories import add_member, make_family, make_user, resident_id

D = Decimal
ACCOUNT = "6222021234567890128"
CI_DOCUMENTS = ["claim_form", "insured_id", "bank_account", "diagnosis_certificate", "test_reports", "pathology_report",
                "proxy_authorisation"]  # fmt: skip


@dataclass
class Household:
    id: int
    head: int
    spouse: int
    child: int
    headers: dict[str, str]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These tests follow large CI advances paid straight through: the adjuster threshold is raised above them
    (tests/claims/test_claims_evidence.py covers the default ¥50,000)."""
    return settings.model_copy(update={"claims_advance_adjuster_above": Decimal("1000000")})


def _household(client: TestClient, runtime: Runtime) -> Household:
    family = make_family(runtime)
    spouse = dict(name="李娜", relationship="spouse", id_number=resident_id(date(1987, 6, 1), "F", 101))
    add_member(runtime, family.household_id, **spouse)
    child = dict(name="张小宝", relationship="child", id_number=resident_id(date(2016, 9, 9), "M", 3))
    add_member(runtime, family.household_id, **child)
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    ids = {m["relationship"]: m["person_id"] for m in members}
    return Household(family.household_id, ids["self"], ids["spouse"], ids["child"], headers)


def _submit(client: TestClient, household: Household, body: dict[str, Any], key: str) -> Any:
    response = client.post(
        f"/api/v1/households/{household.id}/claims",
        json=with_uploads(client, household.id, household.headers, body),
        headers=household.headers | {"Idempotency-Key": f"family-claim-{key}"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def _cancer(person: int, diagnosed: date, *, icd10: str = "C34.1", mild_case: str | None = None) -> dict[str, Any]:
    ci: dict[str, Any] = {"disease": "cancer", "diagnosed_on": diagnosed.isoformat()}
    if mild_case:
        ci["mild_cancer_case"] = mild_case
    return {
        "insured_person_id": person,
        "claim_type": "ci_diagnosis",
        "event_date": diagnosed.isoformat(),
        "hospital": "北京协和医院",
        "diagnoses": [{"icd10": icd10, "description": "恶性肿瘤", "icd_o3_behaviour": 3}],
        "ci": ci,
        "documents": CI_DOCUMENTS,
        "account": ACCOUNT,
        "insured_authorised": True,
    }


def test_ci_advance_payment_spouse_benefit_and_whole_family_waiver(client: TestClient, runtime: Runtime) -> None:
    home = _household(client, runtime)
    issued_on = runtime.clock.today()  # 2026-11-26; annual premiums, the next ones due 2027-11-26
    family_ci = issue_for(
        client, home.id, home.headers, "family_ci", [(home.head, "300000"), (home.spouse, "300000")],
        payment_term=20, coverage=30,
    )  # fmt: skip
    children_ci = issue_for(
        client, home.id, home.headers, "children_ci", [(home.child, "200000")], payment_term=20, coverage=30
    )  # the head is the policyholder: 投保人豁免
    ltc = issue_for(
        client, home.id, home.headers, "long_term_care", [(home.head, "100000")], payment_term=20, coverage=70
    )
    runtime.clock.advance(timedelta(days=120))
    diagnosed = runtime.clock.today() - timedelta(days=5)  # day 115 after issue: past 90 days, inside LTC's 180
    claim = _submit(client, home, _cancer(home.head, diagnosed), "ci-0001")

    # family_ci: severe 1.0 × 300,000 = 300,000; the wife is insured on the same policy and has had no severe CI:
    # spouse joint benefit 0.2 × the claimant's 300,000 = 60,000; both paid in advance (discharge summary missing)
    assert claim["status"] == "advance_paid" and claim["missing_documents"] == ["discharge_summary"]
    assert {(line["policy_id"], line["benefit"], D(line["amount"]), line["advance"]) for line in claim["lines"]} == {
        (family_ci, "ci_severe", D("300000.00"), True),
        (family_ci, "spouse_joint", D("60000.00"), True),
    }
    assert D(claim["paid_amount"]) == D("360000.00")
    with unit_of_work(runtime.sessions) as session:
        payments = session.scalars(select(Payment).where(Payment.kind == "claim")).all()
        assert sorted((p.policy_id, p.details["benefit"], p.amount) for p in payments) == [
            (family_ci, "ci_severe", D("300000.00")),
            (family_ci, "spouse_joint", D("60000.00")),
        ]
    # waivers: family_ci (basis family: the whole policy, the wife's cover too) and children_ci (the head is its
    # policyholder); LTC is still inside its 180-day waiting period, so it is not waived
    assert {(int(w["policy_id"]), w["basis"], w["from"]) for w in claim["waivers"]} == {
        (family_ci, "family", diagnosed.isoformat()),
        (children_ci, "policyholder", diagnosed.isoformat()),
    }
    with unit_of_work(runtime.sessions) as session:
        for policy_id, waived in ((family_ci, True), (children_ci, True), (ltc, False)):
            policy = session.get(Policy, policy_id)
            assert policy is not None
            assert policy.premium_waived_from == (diagnosed if waived else None)
            rows = session.scalars(select(Instalment).where(Instalment.policy_id == policy_id)).all()
            assert [i.paid_on for i in rows if i.due_date <= diagnosed] == [issued_on]  # the first premium, paid
            later = [i for i in rows if i.due_date > diagnosed]
            assert later and all(i.waived is waived for i in later)
            audit = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "policy.premium_waiver", AuditEntry.entity_id == str(policy_id)
                )
            ).all()
            assert len(audit) == (1 if waived else 0)
            if waived:
                assert audit[0].detail["claim_id"] == claim["id"] and audit[0].detail["instalments"] == len(later)
    shown = client.get(f"/api/v1/policies/{family_ci}", headers=home.headers).json()
    assert shown["premium_waived_from"] == diagnosed.isoformat()

    # the adjuster receives the discharge summary and settles the rest: nothing beyond the advance is due
    make_user(runtime, "adjuster", Role.CLAIMS)
    adjuster = token_for(client, "adjuster")
    assert [c["id"] for c in client.get("/api/v1/claims-queue", headers=adjuster).json()] == [claim["id"]]
    reasoning = client.get(f"/api/v1/claims/{claim['id']}/assessment", headers=adjuster).json()
    codes = {(r["code"], r["policy_id"]) for r in reasoning["assessment"]["reasons"]}
    assert ("spouse_joint_payable", str(family_ci)) in codes
    assert {("waiver_granted", str(family_ci)), ("waiver_granted", str(children_ci))} <= codes
    assert ("waiver_granted", str(ltc)) not in codes
    settled = client.post(
        f"/api/v1/claims/{claim['id']}/decision",
        json={"approve": True, "reason": "出院小结已补齐，结案"},
        headers=adjuster,
    )
    assert settled.status_code == 200, settled.text
    assert settled.json()["status"] == "paid" and D(settled.json()["paid_amount"]) == D("360000.00")
    with unit_of_work(runtime.sessions) as session:
        assert len(session.scalars(select(Payment).where(Payment.kind == "claim")).all()) == 2

    # the wife's later severe CI: family_ci pays her 300,000, but no second spouse benefit (the head already had a
    # severe CI) and the waiver is already in place
    runtime.clock.advance(timedelta(days=30))
    second = _submit(client, home, _cancer(home.spouse, runtime.clock.today() - timedelta(days=1)), "ci-0002")
    assert second["proxy"] is True  # filed by the head with her authorisation
    assert {(line["benefit"], D(line["amount"])) for line in second["lines"]} == {("ci_severe", D("300000.00"))}
    assert second["status"] == "advance_paid" and second["waivers"] == []
    # the adjuster agrees a further amount on the same policy after its advance: a separate payment instruction
    topped = client.post(
        f"/api/v1/claims/{second['id']}/decision",
        json={"approve": True, "amounts": {str(family_ci): "5000"}, "reason": "补充材料核实，另行给付"},
        headers=adjuster,
    )
    assert topped.status_code == 200, topped.text
    assert D(topped.json()["paid_amount"]) == D("305000.00")  # the 300,000 advance + the 5,000 agreed now
    with unit_of_work(runtime.sessions) as session:
        keys = session.scalars(select(Payment.idempotency_key).where(Payment.kind == "claim")).all()
        assert len(keys) == len(set(keys)) == 4


def test_mild_ci_is_paid_at_most_30_percent_and_once(client: TestClient, runtime: Runtime) -> None:
    home = _household(client, runtime)
    family_ci = issue_for(
        client, home.id, home.headers, "family_ci", [(home.head, "300000"), (home.spouse, "300000")],
        payment_term=20, coverage=30,
    )  # fmt: skip
    runtime.clock.advance(timedelta(days=100))
    today = runtime.clock.today()
    mild = _cancer(home.spouse, today - timedelta(days=3), icd10="C73", mild_case="thyroid_tnm_i")
    claim = _submit(client, home, mild, "mild-001")
    # thyroid cancer TNM I is a mild CI: family_ci pays 0.3 × 300,000 = 90,000 = the 30% cap of the severe
    # benefit (1.0 × 300,000 × 30%); mild CI triggers neither the spouse benefit nor the family waiver
    assert claim["status"] == "advance_paid"
    assert [(line["policy_id"], line["benefit"], D(line["amount"])) for line in claim["lines"]] == [
        (family_ci, "ci_mild", D("90000.00"))
    ]
    assert D(claim["paid_amount"]) <= D("0.30") * D("300000")
    assert claim["waivers"] == []
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, family_ci)
        assert policy is not None and policy.premium_waived_from is None
    again = _submit(client, home, mild | {"event_date": today.isoformat()}, "mild-002")
    assert D(again["paid_amount"]) == 0 and again["lines"] == []  # the same mild disease is paid once
    # a severe cancer later still pays the full severe benefit (mild payments are not deducted), plus the
    # spouse benefit 0.2 × 300,000 = 60,000 for the first spouse with a severe CI
    severe = _submit(client, home, _cancer(home.spouse, today), "mild-003")
    assert {(line["benefit"], D(line["amount"])) for line in severe["lines"]} == {
        ("ci_severe", D("300000.00")),
        ("spouse_joint", D("60000.00")),
    }


def _inpatient(person: int, today: date, amount: str, invoice: str) -> dict[str, Any]:
    body = outpatient_claim(person, today, amount=amount, invoice=invoice)
    body["claim_type"] = "inpatient"
    body["documents"] += ["discharge_summary", "diagnosis_certificate"]
    body["account"] = ACCOUNT
    body["insured_authorised"] = True
    return body


def test_personal_deductible_is_used_up_across_claims(client: TestClient, runtime: Runtime) -> None:
    home = _household(client, runtime)
    million = issue_for(
        client, home.id, home.headers, "medical_million", [(home.head, "2000000"), (home.spouse, "2000000")],
        payment_term=1,
    )  # fmt: skip
    runtime.clock.advance(timedelta(days=40))
    today = runtime.clock.today()
    first = _submit(client, home, _inpatient(home.head, today, "6000", "INV-D-1"), "ded-001")
    # medical_million: deductible 10,000 per insured (rule set 2026.1: scope insured); 6,000 all within it → 0,
    # approved straight through with the deductible recorded
    assert first["status"] == "paid" and D(first["paid_amount"]) == 0
    second = _submit(client, home, _inpatient(home.head, today, "7000", "INV-D-2"), "ded-002")
    # deductible left 10,000 − 6,000 = 4,000; (7,000 − 4,000) × 100% (social insurance settled) = 3,000 ≤ 3,000
    assert second["status"] == "paid" and D(second["paid_amount"]) == D("3000.00")
    wife = _submit(client, home, _inpatient(home.spouse, today, "7000", "INV-D-3"), "ded-003")
    # her own deductible is untouched: 7,000 within 10,000 → 0
    assert wife["status"] == "paid" and D(wife["paid_amount"]) == 0
    assert [line["policy_id"] for line in wife["lines"]] == [million]


def test_household_shared_deductible(client: TestClient, runtime: Runtime, tmp_path: Path) -> None:
    # a test rule set "2099.1" identical to 2026.1 except that medical_million's deductible is shared by the
    # household (家庭共享免赔额), as a product could say
    root = tmp_path / "claims-rules"
    shutil.copytree(DATA_DIR / "2026.1", root / "2099.1")
    rules_file = root / "2099.1" / "rules.yaml"
    data = yaml.safe_load(rules_file.read_text(encoding="utf-8"))
    data["version"] = "2099.1"
    data["medical"]["medical_million"]["deductible_scope"] = "household"
    rules_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    runtime.claim_rules = load_rules("2099.1", root=root)

    home = _household(client, runtime)
    issue_for(
        client, home.id, home.headers, "medical_million", [(home.head, "2000000"), (home.spouse, "2000000")],
        payment_term=1,
    )  # fmt: skip
    runtime.clock.advance(timedelta(days=40))
    today = runtime.clock.today()
    head = _submit(client, home, _inpatient(home.head, today, "6000", "INV-H-1"), "hh-0001")
    assert head["status"] == "paid" and D(head["paid_amount"]) == 0  # 6,000 of the household's 10,000
    wife = _submit(client, home, _inpatient(home.spouse, today, "7000", "INV-H-2"), "hh-0002")
    # shared deductible left 10,000 − 6,000 = 4,000: (7,000 − 4,000) × 100% = 3,000
    assert wife["status"] == "paid" and D(wife["paid_amount"]) == D("3000.00")
    third = _submit(client, home, _inpatient(home.head, today, "1000", "INV-H-3"), "hh-0003")
    # the household's deductible is used up (6,000 + 4,000): 1,000 × 100% = 1,000
    assert D(third["paid_amount"]) == D("1000.00")
