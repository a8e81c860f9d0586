"""AML through the API on real payments: large-value cases due in 5 working days, a suspicious pattern reviewed
by a person, due diligence raised by a surrender, report files in the documented format, figures of reports
filed on time, no duplicates on a rescan, and 10-year retention (regulation.md §2.9)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.db.session import unit_of_work
from jiabao.policies.billing.common import pay_out
from jiabao.policies.common import payments
from jiabao.policies.common.models import Policy
from jiabao.risk.aml import export
from jiabao.risk.aml import service as aml
from jiabao.risk.aml.models import AmlCase, AmlCdd, AmlReport
from jiabao.runtime import Runtime
from tests.factories import ctx_for, resident_id
from tests.fraud_aml.flows import officer
from tests.policies.flow import ACCOUNT, issue


def _money(runtime: Runtime, policy_id: int, head: int, wife: int) -> None:
    """A ¥600,000 transfer and ¥55,000 in cash from the policyholder, ¥1,000 paid by the spouse on the head's
    policy, and a ¥20,000 surrender payment — all today."""
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        common = {"account_number": ACCOUNT, "policy_id": policy_id}
        payments.receive(
            ctx, key="aml-big", kind="top_up", amount=Decimal("600000"), holder_person_id=head, details={}, **common
        )
        for i, amount in enumerate(("30000", "25000")):
            payments.receive(ctx, key=f"aml-cash-{i}", kind="top_up", amount=Decimal(amount), holder_person_id=head,
                             details={"method": "cash"}, **common)  # fmt: skip
        payments.receive(
            ctx,
            key="aml-third",
            kind="renewal_premium",
            amount=Decimal("1000"),
            holder_person_id=wife,
            details={},
            **common,
        )
        policy = session.get(Policy, policy_id)
        assert policy is not None
        pay_out(ctx, policy, kind="surrender", amount=Decimal("20000"), details={})


def test_scan_review_report_and_retention(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    _money(runtime, issued.policy_id, issued.head, issued.spouse)
    risk = officer(client, runtime)
    today = runtime.clock.today()  # Thursday 26 Nov 2026
    scanned = client.post(
        "/api/v1/risk/aml/scan", json={"day_from": today.isoformat(), "day_to": today.isoformat()}, headers=risk
    )
    assert scanned.status_code == 200, scanned.text
    result = scanned.json()
    assert result["large_value"] == 2 and result["suspicious"] == 1 and result["cdd"] >= 1
    rescan = client.post(
        "/api/v1/risk/aml/scan", json={"day_from": today.isoformat(), "day_to": today.isoformat()}, headers=risk
    ).json()
    assert (rescan["large_value"], rescan["suspicious"], rescan["cdd"]) == (0, 0, 0), "nothing is opened twice"

    large = client.get("/api/v1/risk/aml/cases", params={"kind": "large_value"}, headers=risk).json()
    assert sorted(c["rule"] for c in large) == ["cash_50k", "natural_transfer_500k"]
    assert {c["due_on"] for c in large} == {"2026-12-03"}  # 5 working days after Thu 26 Nov
    transfer = next(c for c in large if c["rule"] == "natural_transfer_500k")
    assert Decimal(transfer["amount"]) >= Decimal("600000") and transfer["retain_until"] == "2036-11-26"

    cdd = client.get("/api/v1/risk/aml/cdd", headers=risk).json()
    surrender = next(c for c in cdd if c["event"] == "surrender")
    # ≥ ¥10,000 surrender; the policyholder also has an open suspicious case from this scan → enhanced
    assert surrender["triggers"] == ["surrender_claim_10k", "high_risk"] and surrender["level"] == "enhanced"
    assert surrender["required"] == ["payee_identity", "source_of_funds"]
    assert client.post(f"/api/v1/risk/aml/cdd/{surrender['id']}/complete", headers=risk).json()["status"] == "completed"

    # the suspicious case goes to a person; a reason is required either way
    [case] = client.get("/api/v1/risk/aml/cases", params={"kind": "suspicious"}, headers=risk).json()
    assert case["rule"] == "third_party_payer" and case["status"] == "open" and case["due_on"] is None
    short = client.post(
        f"/api/v1/risk/aml/cases/{case['id']}/review", json={"report": False, "analysis": "无"}, headers=risk
    )
    assert short.status_code == 422
    reviewed = client.post(
        f"/api/v1/risk/aml/cases/{case['id']}/review",
        json={"report": True, "analysis": "配偶代缴保费，资金来源无法说明，决定报送"},
        headers=risk,
    ).json()
    assert reviewed["status"] == "to_report" and reviewed["due_on"] == "2026-12-03"
    assert (
        client.post(
            f"/api/v1/risk/aml/cases/{case['id']}/review",
            json={"report": False, "analysis": "再次甄别的意见内容，改为不报送"},
            headers=risk,
        ).status_code
        == 409
    )

    # report files
    lvtr = client.post("/api/v1/risk/aml/reports", json={"kind": "LVTR"}, headers=risk)
    assert lvtr.status_code == 201 and lvtr.json()["records"] == 2 and lvtr.json()["on_time"] is True
    assert client.post("/api/v1/risk/aml/reports", json={"kind": "LVTR"}, headers=risk).status_code == 409
    file = client.get(f"/api/v1/risk/aml/reports/{lvtr.json()['id']}/file", headers=risk)
    assert file.status_code == 200 and file.headers["content-type"].startswith("text/csv")
    header, rows = export.parse(file.text)
    assert header["kind"] == "LVTR" and header["report_no"] == lvtr.json()["report_no"] and len(rows) == 2
    assert {r["id_number"] for r in rows} == {resident_id(date(1985, 3, 14), "M", 1)}
    assert {r["due_on"] for r in rows} == {"2026-12-03"} and all(r["policy_nos"] == issued.policy_no for r in rows)
    strep = client.post("/api/v1/risk/aml/reports", json={"kind": "STR"}, headers=risk).json()
    _, str_rows = export.parse(client.get(f"/api/v1/risk/aml/reports/{strep['id']}/file", headers=risk).text)
    assert str_rows[0]["rule"] == "third_party_payer" and "配偶代缴" in str_rows[0]["analysis"]
    figures = client.get("/api/v1/risk/figures", headers=risk).json()["aml"]
    assert figures["reports_filed"] == 2 and figures["reports_on_time"] == 2 and figures["overdue"] == 0
    assert figures["suspicious_reported"] == 1 and figures["large_value_reported"] == 2
    # customers see none of it
    assert client.get("/api/v1/risk/aml/cases", headers=issued.headers).status_code == 403
    assert client.get(f"/api/v1/risk/aml/reports/{strep['id']}/file", headers=issued.headers).status_code == 403

    # retention: nothing goes before 10 years (AML Law 2024 art. 34)
    with unit_of_work(runtime.sessions) as session:
        assert aml.purge_expired(ctx_for(runtime, session)) == 0
    runtime.clock.advance(timedelta(days=3653 + 2))
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        assert aml.purge_expired(ctx) > 0
        assert session.scalar(select(func.count(AmlCase.id))) == 0
        assert session.scalar(select(func.count(AmlReport.id))) == 0
        assert session.scalar(select(func.count(AmlCdd.id))) == 0


def test_a_report_filed_after_its_due_date_is_late_and_counted_overdue_before(
    client: TestClient, runtime: Runtime
) -> None:
    issued = issue(client, runtime)
    _money(runtime, issued.policy_id, issued.head, issued.spouse)
    risk = officer(client, runtime)
    today = runtime.clock.today()
    client.post(
        "/api/v1/risk/aml/scan", json={"day_from": today.isoformat(), "day_to": today.isoformat()}, headers=risk
    )
    runtime.clock.advance(timedelta(days=8))  # Fri 4 Dec: past the 3 Dec deadline
    figures = client.get("/api/v1/risk/figures", headers=risk).json()["aml"]
    assert figures["overdue"] == 2 and figures["large_value_pending"] == 2
    overdue = client.get("/api/v1/risk/aml/cases", params={"kind": "large_value"}, headers=risk).json()
    assert all(c["overdue"] for c in overdue)
    late = client.post("/api/v1/risk/aml/reports", json={"kind": "LVTR"}, headers=risk).json()
    assert late["on_time"] is False
    figures = client.get("/api/v1/risk/figures", headers=risk).json()["aml"]
    assert figures["reports_filed"] == 1 and figures["reports_on_time"] == 0 and figures["overdue"] == 0


def test_frequent_beneficiary_changes_open_a_case_and_a_non_heir_needs_verification(
    client: TestClient, runtime: Runtime
) -> None:
    """Three beneficiary changes on one policy within a year (CIRC 2007 red flag) → a case for review, even with
    no money moved; a named beneficiary who is not a first-order heir → identify and verify (AML Law art. 31)."""
    issued = issue(client, runtime)
    for i, (name, relationship) in enumerate((("王五", "friend"), ("张小明", "child"), ("赵六", "friend"))):
        body = {
            "kind": "beneficiary",
            "insured_person_id": issued.head,
            "insured_consent": True,
            "beneficiaries": [{"name": name, "relationship": relationship, "share": "100"}],
        }
        changed = client.post(
            f"/api/v1/policies/{issued.policy_id}/service-requests", json=body, headers=issued.headers
        )
        assert changed.status_code == 201, changed.text
        runtime.clock.advance(timedelta(days=20 if i < 2 else 0))
    risk = officer(client, runtime)
    today = runtime.clock.today()
    scanned = client.post(
        "/api/v1/risk/aml/scan",
        json={"day_from": (today - timedelta(days=60)).isoformat(), "day_to": today.isoformat()},
        headers=risk,
    ).json()
    assert scanned["suspicious"] == 1
    [case] = client.get("/api/v1/risk/aml/cases", params={"kind": "suspicious"}, headers=risk).json()
    assert case["rule"] == "frequent_holder_beneficiary_changes" and case["policy_ids"] == [issued.policy_id]
    assert case["evidence"]["changes"] == "3"
    cdd = [c for c in client.get("/api/v1/risk/aml/cdd", headers=risk).json() if c["event"] == "beneficiary_change"]
    assert len(cdd) == 2  # 王五 and 赵六 (friends); 张小明 is the insured's child, a legal heir
    assert all("beneficiary_identity" in c["required"] for c in cdd)
