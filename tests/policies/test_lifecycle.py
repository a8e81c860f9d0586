"""The acceptance walk of issue 5: one household from quote to issued policy, return visit, second premium,
suspension, reinstatement with back premiums and interest, and surrender — with the injected clock, checking amounts
and statuses at each step. Expected amounts are computed here from the rules, not read back from the service."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fastapi.testclient import TestClient

from jiabao.policies.billing.reinstatement import DEFAULT_ANNUAL_RATE
from jiabao.policies.rules.calendar import add_working_days
from jiabao.runtime import Runtime
from tests.policies.flow import ACCOUNT, Issued, issue
from tests.policies.test_billing_helpers import on, payments, policy_row, requests, run_job, sms_kinds
from tests.policies.test_return_visits_steps import all_yes, verified
from tests.policies.test_return_visits_steps import url as visit_url

FEN = Decimal("0.01")


def test_quote_issue_visit_renewal_suspension_reinstatement_surrender(client: TestClient, runtime: Runtime) -> None:
    issued, premium = _issue(client, runtime)
    _return_visit(client, runtime, issued)
    _second_premium(client, runtime, issued, premium)
    _suspension(client, runtime, issued)
    _reinstatement(client, runtime, issued, premium)
    _surrender(client, runtime, issued, premium)


def _issue(client: TestClient, runtime: Runtime) -> tuple[Issued, Decimal]:
    # 1. Quote → application → underwriting → confirmation → first premium → issued, on Thu 26 Nov 2026.
    issued = issue(client, runtime)  # family CI, husband and wife, 20 annual premiums
    url, headers = f"/api/v1/policies/{issued.policy_id}", issued.headers
    policy = client.get(url, headers=headers).json()
    premium = Decimal(policy["instalment"])  # the annual premium, also every instalment (annual frequency)
    assert (
        policy["status"] == "in_force" and policy["frequency"] == "annual" and policy["cooling_off_end"] == "2026-12-11"
    )

    # Inside the cooling-off period the surrender entry shows the cancellation refund: premium less the ¥10 fee.
    early = client.get(f"{url}/surrender-quote", headers=headers).json()
    assert early["kind"] == "cooling_off" and Decimal(early["amount"]) == premium - 10

    return issued, premium


def _return_visit(client: TestClient, runtime: Runtime, issued: Issued) -> None:
    # 2. Electronic return visit on Sun 29 Nov 2026, inside the cooling-off period: SMS code, then every point "yes".
    on(runtime, date(2026, 11, 29))
    visit = verified(client, runtime, issued.policy_id, issued.headers)
    done = client.post(
        visit_url(issued.policy_id, "/answers"), json={"answers": all_yes(visit)}, headers=issued.headers
    )
    assert done.status_code == 200 and done.json()["status"] == "passed", done.text
    policy = client.get(f"/api/v1/policies/{issued.policy_id}", headers=issued.headers).json()
    assert policy["return_visit"] == "passed" and policy["pending_actions"] == []


def _second_premium(client: TestClient, runtime: Runtime, issued: Issued, premium: Decimal) -> None:
    url, headers = f"/api/v1/policies/{issued.policy_id}", issued.headers
    # 3. Second premium, due Fri 26 Nov 2027. Reminders 30 and 7 days before, each sent once however often the job runs.
    on(runtime, date(2027, 10, 27))
    run_job(runtime)
    run_job(runtime)
    assert sms_kinds(runtime)["premium_due_reminder"] == 1
    on(runtime, date(2027, 11, 19))
    run_job(runtime)
    assert sms_kinds(runtime)["premium_due_reminder"] == 2
    # Unpaid 14 days after the due date: grace (due + 60 = 25 Jan 2028), one warning, cover continues.
    on(runtime, date(2027, 12, 10))
    run_job(runtime)
    run_job(runtime)
    billing = client.get(f"{url}/instalments", headers=headers).json()
    assert billing["status"] == "in_grace" and billing["grace_ends_on"] == "2028-01-25"
    assert Decimal(billing["overdue_amount"]) == premium and sms_kinds(runtime)["grace_period_warning"] == 1
    key = headers | {"Idempotency-Key": "renewal-2027-0001"}
    paid = client.post(f"{url}/premiums", json={"account": ACCOUNT}, headers=key)
    again = client.post(f"{url}/premiums", json={"account": ACCOUNT}, headers=key)
    assert paid.status_code == again.status_code == 201, paid.text
    assert paid.json()["instalment"] == 2 and Decimal(paid.json()["amount"]) == premium
    assert paid.json()["status"] == "in_force" and again.json()["replayed"] is True
    assert again.json()["payment_id"] == paid.json()["payment_id"]
    assert [p.kind for p in payments(runtime, issued.policy_id)] == ["first_premium", "renewal_premium"]


def _suspension(client: TestClient, runtime: Runtime, issued: Issued) -> None:
    url, headers = f"/api/v1/policies/{issued.policy_id}", issued.headers
    # 4. The third premium (due Sun 26 Nov 2028) is never paid: grace ends 25 Jan 2029, suspended from 26 Jan 2029.
    on(runtime, date(2029, 2, 2))
    first_run = run_job(runtime)
    assert first_run.changed == {"in_force->suspended": 1}
    assert run_job(runtime).messages == 0  # nothing new on a second run
    row = policy_row(runtime, issued.policy_id)
    assert row.status == "suspended" and row.suspended_on == date(2029, 1, 26)
    assert sms_kinds(runtime)["suspension_notice"] == 1
    assert date(2029, 2, 2) <= add_working_days(date(2029, 1, 26), 10)  # the notice went out within 10 working days
    refused = client.post(
        f"{url}/premiums", json={"account": ACCOUNT}, headers=headers | {"Idempotency-Key": "late-0001"}
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "policy_suspended"


def _reinstatement(client: TestClient, runtime: Runtime, issued: Issued, premium: Decimal) -> None:
    url, headers = f"/api/v1/policies/{issued.policy_id}", issued.headers
    # 5. Reinstatement on Thu 1 Mar 2029 ("no" to the simplified health declaration): instalment 3 plus simple
    # interest at 5% a year for the 95 days since 26 Nov 2028 (5 + 31 + 31 + 28 days to 1 Mar, actual/365).
    on(runtime, date(2029, 3, 1))
    days = (date(2029, 3, 1) - date(2028, 11, 26)).days
    assert days == 95
    interest = (premium * DEFAULT_ANNUAL_RATE * days / 365).quantize(FEN, ROUND_HALF_UP)  # 13554 → 176.39
    quoted = client.get(f"{url}/reinstatement", headers=headers).json()
    assert Decimal(quoted["interest"]) == interest and Decimal(quoted["total"]) == premium + interest
    back = client.post(
        f"{url}/reinstatement",
        json={"account": ACCOUNT, "risk_increased": False},
        headers=headers | {"Idempotency-Key": "reinstate-2029-0001"},
    )
    assert back.status_code == 201, back.text
    body = back.json()
    assert body["status"] == "reinstated" and body["policy_status"] == "in_force"
    assert Decimal(body["principal"]) == premium and Decimal(body["total"]) == premium + interest
    reinstatement = payments(runtime, issued.policy_id)[-1]
    assert reinstatement.kind == "reinstatement" and reinstatement.amount == premium + interest
    row = policy_row(runtime, issued.policy_id)
    assert row.status == "in_force" and row.reinstated_on == ["2029-03-01"] and row.suspended_on is None
    request = requests(runtime, issued.policy_id)[-1]
    assert (request.kind, request.channel, request.status) == ("reinstatement", "online", "completed")
    assert request.accept_due == add_working_days(date(2029, 3, 1), 2)
    run_job(runtime)
    assert policy_row(runtime, issued.policy_id).status == "in_force" and sms_kinds(runtime)["reinstatement_done"] == 1


def _surrender(client: TestClient, runtime: Runtime, issued: Issued, premium: Decimal) -> None:
    url, headers = f"/api/v1/policies/{issued.policy_id}", issued.headers
    # 6. Surrender on Fri 1 Jun 2029: 2 policy years have elapsed (26 Nov 2028 ≤ 1 Jun 2029 < 26 Nov 2029) plus
    # 187 of the 365 days of year 3, and 3 years are paid for, so each insured's cash value is read at t = 2 + 187/365,
    # linear between the end-of-year-2 and end-of-year-3 values of the issued quote (银保监办发〔2020〕7号 item 9:
    # a reasonable interpolation between anniversaries), rounded to the fen per insured, then summed.
    on(runtime, date(2029, 6, 1))
    quote = policy_row(runtime, issued.policy_id).details["quote"]
    fraction = Decimal((date(2029, 6, 1) - date(2028, 11, 26)).days) / Decimal(365)
    cash_value = Decimal(0)
    for m in quote["members"]:
        by_year = {2: Decimal(0), 3: Decimal(0)}
        for ln in m["lines"]:
            for r in ln["cash_values"]:
                if r["policy_year"] in by_year:
                    by_year[r["policy_year"]] += Decimal(str(r["cash_value"]))
        value = by_year[2] + (by_year[3] - by_year[2]) * fraction
        cash_value += value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert by_year[3] > by_year[2] > 0  # the interpolation is visible: more than the end-of-year-2 value
    paid_total = premium * 3  # instalments 1–3 (the interest is not premium)
    offer = client.get(f"{url}/surrender-quote", headers=headers).json()
    assert offer["kind"] == "surrender" and offer["policy_year"] == 2 and Decimal(offer["amount"]) == cash_value
    assert Decimal(offer["deduction"]) == paid_total - cash_value and offer["pay_by"] == "2029-07-01"  # 30 days
    done = client.post(f"{url}/surrender", headers=headers)
    assert done.status_code == 201, done.text
    out = payments(runtime, issued.policy_id)[-1]
    assert (out.kind, out.direction, out.status, out.amount) == ("surrender", "out", "pending", cash_value)
    assert out.account_masked == "6222 **** **** 0128"
    request = requests(runtime, issued.policy_id)[-1]
    assert (request.kind, request.channel, request.complete_due) == ("surrender", "online", date(2029, 7, 1))
    row = policy_row(runtime, issued.policy_id)
    assert row.status == "surrendered" and row.ended_on == date(2029, 6, 1) and row.end_reason == "surrender"

    # The entry stays visible after the end; nothing else can be done; the job leaves the policy alone.
    assert client.get(f"{url}/surrender-quote", headers=headers).json()["kind"] == "ended"
    late = client.post(
        f"{url}/premiums", json={"account": ACCOUNT}, headers=headers | {"Idempotency-Key": "after-end-01"}
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "policy_surrendered"
    on(runtime, date(2029, 6, 1) + timedelta(days=400))
    run_job(runtime)
    assert policy_row(runtime, issued.policy_id).status == "surrendered"
