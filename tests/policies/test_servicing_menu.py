"""The servicing items of issue 17 one by one through the API: each its rule, its money effect and its channel in
the online share (保全E化率) and the service-quality figures. The lifecycle walk (loans, automatic premium loan,
occupation, reduction, claim, annuity) is ``test_servicing_lifecycle``."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Instalment, Payment, Policy, PolicyInsured, ServiceRequest
from jiabao.policies.rules import alterations as rules
from jiabao.policies.servicing.alterations import net_single_premiums
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for
from tests.factories import make_family, make_user
from tests.policies.flow import ACCOUNT, Issued, issue
from tests.policies.test_billing_helpers import on, policy_row

COUNTER = {"identity_verified": True, "customer_confirmed": True}


def _post(client: TestClient, policy_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"/api/v1/policies/{policy_id}/service-requests", json=body, headers=headers)


def _ok(client: TestClient, policy_id: int, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    response = _post(client, policy_id, body, headers)
    assert response.status_code == 201, response.text
    out: dict[str, Any] = response.json()
    return out


def _staff(client: TestClient, runtime: Runtime) -> dict[str, str]:
    make_user(runtime, "counter1", Role.SERVICE)
    return token_for(client, "counter1")


def _codes(response: Any) -> set[str]:
    return {f["code"] for f in response.json()["error"]["fields"]}


def test_address_is_encrypted_and_counter_requests_record_identity_and_confirmation(
    client: TestClient, runtime: Runtime
) -> None:
    """通讯地址变更 online and at the counter (issue 17 item 3: staff verify identity and record the customer's
    confirmation; a call is recorded as ``phone``, offline in the online share)."""
    issued = issue(client, runtime)
    address = "北京市朝阳区建国路88号3单元502室"
    online = _ok(client, issued.policy_id, {"kind": "address", "address": address}, issued.headers)
    assert online["channel"] == "online" and online["result"]["address_masked"] == "北京市朝阳区****"
    with unit_of_work(runtime.sessions) as session:
        stored = session.get(Policy, issued.policy_id)
        assert stored is not None and address not in json.dumps(stored.details, ensure_ascii=False)
    staff = _staff(client, runtime)
    refused = _post(client, issued.policy_id, {"kind": "address", "address": address}, staff)
    assert refused.status_code == 422
    assert {f["field"] for f in refused.json()["error"]["fields"]} == {"identity_verified", "customer_confirmed"}
    phone = _ok(client, issued.policy_id, {"kind": "address", "address": address, "via": "phone", **COUNTER}, staff)
    counter = _ok(client, issued.policy_id, {"kind": "reprint", "reason": "damaged", **COUNTER}, staff)
    assert (phone["channel"], counter["channel"]) == ("phone", "counter")
    share = client.get("/api/v1/servicing/online-share", headers=staff).json()
    assert share["by_kind"]["address"] == {"online": 1, "total": 2, "share": "0.5000"}
    quality = client.get("/api/v1/servicing/quality", headers=staff).json()
    item = next(i for i in quality["items"] if i["kind"] == "address")
    assert (item["accepted"], item["completed"], item["within_service_level"], item["online_share"]) == (
        2,
        2,
        2,
        "0.5000",
    )
    assert set(item["by_channel"]) == {"online", "phone"} and item["by_channel"]["phone"]["accepted"] == 1
    assert client.get("/api/v1/servicing/quality", headers=issued.headers).status_code == 403


def test_reprint_and_loss_report_void_the_lost_print(client: TestClient, runtime: Runtime) -> None:
    """保单挂失 voids the current print; 补发 issues the next one."""
    issued = issue(client, runtime)
    lost = _ok(client, issued.policy_id, {"kind": "loss_report", "lost_on": "2026-11-25"}, issued.headers)
    assert lost["result"]["void_prints"] == [1]
    again = _ok(client, issued.policy_id, {"kind": "reprint", "reason": "lost"}, issued.headers)
    assert again["result"]["print_version"] == 2 and again["channel"] == "online"


def test_identity_name_correction_needs_evidence(client: TestClient, runtime: Runtime) -> None:
    """身份信息更正 of the insured's name through the family service, the evidence document recorded."""
    issued = issue(client, runtime)
    missing = _post(
        client, issued.policy_id, {"kind": "identity", "person_id": issued.spouse, "name": "李 娜"}, issued.headers
    )
    assert missing.status_code == 422
    done = _ok(
        client,
        issued.policy_id,
        {"kind": "identity", "person_id": issued.spouse, "name": "李娜娜", "evidence": "户口本变更页 2026-11"},
        issued.headers,
    )
    assert done["result"]["evidence"] == "户口本变更页 2026-11"
    members = client.get(f"/api/v1/households/{issued.household_id}/members", headers=issued.headers).json()
    assert any(m["name"] == "李娜娜" for m in members)


def test_reduced_paid_up_buys_cover_with_the_cash_value(client: TestClient, runtime: Runtime) -> None:
    """减额交清: the cash value buys, as a net single premium at the attained year (product pricing basis), the
    reduced sum assured; premiums stop; the later cash values are that sum × the year's net single premium."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 11, 26))
    paid = client.post(
        f"/api/v1/policies/{issued.policy_id}/premiums",
        json={"account": ACCOUNT},
        headers=issued.headers | {"Idempotency-Key": "rpu-premium-2027"},
    )
    assert paid.status_code == 201
    on(runtime, date(2028, 12, 1))  # position min(2.01…, 2 paid) = 2: CV_2
    before = policy_row(runtime, issued.policy_id)
    cv2 = {
        int(m["person_id"]): sum(Decimal(str(line["cash_values"][1]["cash_value"])) for line in m["lines"])
        for m in before.details["quote"]["members"]
    }
    done = _ok(client, issued.policy_id, {"kind": "reduced_paid_up"}, issued.headers)
    after = policy_row(runtime, issued.policy_id)
    assert after.annual_premium == 0 and "paid_up" in after.details
    sexes = {issued.head: "M", issued.spouse: "F"}
    for person, value in cv2.items():
        new_sa = Decimal(done["result"]["members"][str(person)]["to"])
        nsp = net_single_premiums(runtime.products, after, person, sexes[person], on_basis=date(2028, 12, 1))
        assert new_sa == rules.paid_up_sum_assured(value, nsp[2], unit=Decimal(1))
        assert new_sa * nsp[2] <= value < (new_sa + 1) * nsp[2]  # the cash value buys exactly this cover
    with unit_of_work(runtime.sessions) as session:
        unpaid = session.scalars(
            select(Instalment).where(Instalment.policy_id == issued.policy_id, Instalment.paid_on.is_(None))
        ).all()
        insureds = session.scalars(select(PolicyInsured).where(PolicyInsured.policy_id == issued.policy_id)).all()
    assert unpaid == [] and all(i.annual_premium == 0 for i in insureds)
    billing = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    assert billing["status"] == "in_force"


def test_rescission_for_non_disclosure_within_the_art_16_limits(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 16: only within 30 days of learning the cause and under 2 years from formation;
    negligent non-disclosure refunds the premiums, intentional does not; service staff only."""
    issued = issue(client, runtime)
    other = issue(client, runtime, username="li", seq=2)  # formed the same day, 26 Nov 2026
    staff = _staff(client, runtime)
    on(runtime, date(2027, 3, 1))
    body = {"kind": "rescission", "learned_on": "2027-02-20", "intentional": False, "reason": "未告知高血压", **COUNTER}
    assert _post(client, issued.policy_id, body, issued.headers).status_code == 403
    late = _post(client, issued.policy_id, body | {"learned_on": "2027-01-20"}, staff)  # 40 days ago
    assert late.status_code == 409 and late.json()["error"]["code"] == "rescission_thirty_days_passed", late.text
    done = _ok(client, issued.policy_id, body, staff)
    premium = policy_row(runtime, issued.policy_id).instalment
    assert Decimal(done["result"]["refund"]) == premium and done["channel"] == "counter"
    assert policy_row(runtime, issued.policy_id).status == "terminated"
    with unit_of_work(runtime.sessions) as session:
        refund = session.scalars(select(Payment).where(Payment.kind == "rescission_refund")).one()
    assert refund.amount == premium and refund.direction == "out"
    # intentional: nothing back; after 2 years: incontestable
    assert rules.rescission_refund(premium, intentional=True) == 0
    on(runtime, date(2028, 11, 27))  # more than 2 years after formation (26 Nov 2026; the last day 26 Nov 2028)
    old = _post(client, other.policy_id, body | {"learned_on": "2028-11-20"}, staff)
    assert old.status_code == 409 and old.json()["error"]["code"] == "rescission_incontestable"


def test_misstated_age_is_corrected_under_art_32(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 32: an older true age inside the limits — the extra premium for the years paid is
    due and the premium follows the true age; a true age outside the limits rescinds within 2 years."""
    issued = issue(client, runtime)
    staff = _staff(client, runtime)
    on(runtime, date(2027, 1, 15))
    with unit_of_work(runtime.sessions) as session:
        wife = session.scalars(
            select(PolicyInsured).where(
                PolicyInsured.policy_id == issued.policy_id, PolicyInsured.person_id == issued.spouse
            )
        ).one()
        before = wife.annual_premium
    body = {
        "kind": "age_correction",
        "person_id": issued.spouse,
        "true_birth_date": "1983-06-01",  # 43 at issue, not 39
        "sex": "F",
        "learned_on": "2027-01-10",
        "evidence": "公安机关户籍证明",
        **COUNTER,
    }
    done = _ok(client, issued.policy_id, body, staff)
    assert done["result"]["outcome"] == "extra_premium" and done["result"]["true_age"] == 43
    with unit_of_work(runtime.sessions) as session:
        after = session.get(PolicyInsured, wife.id)
        assert after is not None
        assert after.annual_premium > before
        assert Decimal(done["result"]["amount"]) == after.annual_premium - before  # one year paid
    outside = _post(client, issued.policy_id, body | {"true_birth_date": "1960-01-01"}, staff)  # 66 > 60
    assert outside.status_code == 201 and outside.json()["result"]["outcome"] == "rescind"
    assert policy_row(runtime, issued.policy_id).status == "terminated"


def test_one_year_renewal_reprices_at_the_attained_age(client: TestClient, runtime: Runtime) -> None:
    """续保: the senior cancer policy is re-priced by the attained age's band (7.65 → 11.25 per 1,000 from 55),
    cover runs another year and the next premium is scheduled."""
    family = make_family(runtime, username="zhao", seq=5, birth=date(1972, 1, 10), phone="13900000005")
    headers = token_for(client, "zhao")
    policy_id = issue_for(
        client, family.household_id, headers, "senior_cancer", [(family.head_person_id, "100000")], payment_term=1
    )
    base = policy_row(runtime, policy_id).annual_premium
    on(runtime, date(2027, 10, 1))
    early = _post(client, policy_id, {"kind": "renewal"}, headers)
    assert early.status_code == 409 and early.json()["error"]["code"] == "renewal_window"
    on(runtime, date(2027, 11, 10))
    done = _ok(client, policy_id, {"kind": "renewal"}, headers)
    assert done["result"]["cover_end"] == "2028-11-26"
    expected = (base * Decimal("11.25") / Decimal("7.65")).quantize(Decimal("0.01"))
    assert Decimal(done["result"]["members"][str(family.head_person_id)]["premium_after"]) == expected
    with unit_of_work(runtime.sessions) as session:
        due = session.scalars(
            select(Instalment).where(Instalment.policy_id == policy_id, Instalment.paid_on.is_(None))
        ).all()
    assert [(i.due_date, i.amount) for i in due] == [(date(2027, 11, 26), expected)]
    assert done["channel"] == "online"


def test_requests_of_the_menu_count_in_the_online_share(client: TestClient, runtime: Runtime) -> None:
    """Every new item is a ServiceRequest with its channel: the 保全E化率 counts it."""
    issued: Issued = issue(client, runtime)
    _ok(client, issued.policy_id, {"kind": "reprint"}, issued.headers)
    _ok(client, issued.policy_id, {"kind": "automatic_premium_loan", "opted_in": True}, issued.headers)
    staff = _staff(client, runtime)
    share = client.get("/api/v1/servicing/online-share", headers=staff).json()
    assert share["by_kind"]["reprint"]["online"] == 1 and share["by_kind"]["automatic_premium_loan"]["online"] == 1
    with unit_of_work(runtime.sessions) as session:
        kinds = {r.kind for r in session.scalars(select(ServiceRequest))}
    assert {"reprint", "automatic_premium_loan"} <= kinds
