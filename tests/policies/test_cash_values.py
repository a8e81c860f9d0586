"""Issue 9 item 6 through the API: cash values between anniversaries (7号 item 9), the cash value owed when a
policy terminates after 2 years of suspension (Insurance Law art. 37), and a one-year product's unearned premium on
surrender (7号 items 10 and 16)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from jiabao.policies.rules.cash_value import cash_value_at, paid_years, position, shown, unearned_premium
from jiabao.policies.rules.schedule import add_years
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for
from tests.factories import make_family
from tests.policies.flow import issue
from tests.policies.test_billing_helpers import on, payments, policy_row, run_job

D = Decimal
CENT = D("0.01")


def _table(quote: dict[str, Any]) -> dict[int, Decimal]:
    table: dict[int, Decimal] = {}
    for member in quote["members"]:
        for line in member["lines"]:
            for row in line["cash_values"]:
                table[row["policy_year"]] = table.get(row["policy_year"], D(0)) + D(str(row["cash_value"]))
    return table


def test_interpolation_is_linear_between_anniversaries_and_counts_leap_years() -> None:
    table = {1: D("8000"), 2: D("9000")}
    assert cash_value_at(table, D("0")) == 0 and cash_value_at(table, D("1")) == D("8000.00")
    assert cash_value_at(table, D("1.5")) == D("8500.00") and cash_value_at(table, D("7")) == D("9000.00")
    leap = position(date(2027, 11, 26), date(2028, 5, 26))  # 182 of the 366 days to 26 Nov 2028
    assert (leap.completed_years, leap.days, leap.days_in_year) == (0, 182, 366)
    assert position(date(2024, 2, 29), date(2025, 2, 28)).completed_years == 1  # Civil Code art. 202
    assert shown(paid_years(7, 12)) == D("0.5833")  # 7 monthly instalments
    # one-year cover, annual premium ¥365 paid, surrendered after 100 days: 265 unexpired days
    assert unearned_premium(
        premium_for_year=D("365"), annual_premium=D("365"), start=date(2027, 1, 1), on=date(2027, 4, 11)
    ) == D("265.00")


def test_single_premium_surrender_in_year_one_pays_its_cash_value(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    headers = token_for(client, "zhang")
    policy_id = issue_for(
        client, family.household_id, headers, "whole_life", [(family.head_person_id, "300000")], payment_term=1
    )
    on(runtime, date(2027, 6, 1))  # 187 days into the first policy year
    cv1 = _table(policy_row(runtime, policy_id).details["quote"])[1]
    expected = (cv1 * 187 / 365).quantize(CENT)
    offer = client.get(f"/api/v1/policies/{policy_id}/surrender-quote", headers=headers).json()
    assert offer["kind"] == "surrender" and D(offer["amount"]) == expected and expected > 0, offer
    done = client.post(f"/api/v1/policies/{policy_id}/surrender", headers=headers)
    assert done.status_code == 201, done.text
    out = payments(runtime, policy_id)[-1]
    assert (out.kind, out.direction, out.amount) == ("surrender", "out", expected)


def test_termination_after_two_years_of_suspension_pays_the_cash_value(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 37 para. 2: the insurer that ends the contract returns the cash value."""
    issued = issue(client, runtime)
    suspended = date(2028, 1, 26)  # instalment 2 (26 Nov 2027) unpaid: suspended after the 60-day grace
    on(runtime, add_years(suspended, 2))
    run_job(runtime)
    on(runtime, date(2030, 1, 27))
    assert run_job(runtime).changed == {"suspended->terminated": 1}
    cv1 = _table(policy_row(runtime, issued.policy_id).details["quote"])[1]  # one year paid for
    (out,) = [p for p in payments(runtime, issued.policy_id) if p.direction == "out"]
    assert (out.kind, out.amount, out.status) == ("termination_cash_value", cv1.quantize(CENT), "pending")
    assert out.details["pay_by"] == "2030-02-26" and cv1 > 0
    run_job(runtime)  # ended policies are not looked at again: never paid twice
    assert len([p for p in payments(runtime, issued.policy_id) if p.direction == "out"]) == 1
    billing = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    assert billing["suspensions"][0]["end_reason"] == "terminated"


def test_one_year_product_surrender_refunds_the_unearned_premium(client: TestClient, runtime: Runtime) -> None:
    """7号 item 10 (a term of a year or less: the unearned premium) and item 16 (1/365)."""
    family = make_family(runtime)
    headers = token_for(client, "zhang")
    policy_id = issue_for(
        client, family.household_id, headers, "medical_million", [(family.head_person_id, "2000000")], payment_term=1
    )
    premium = policy_row(runtime, policy_id).annual_premium
    on(runtime, date(2027, 3, 6))  # issued 26 Nov 2026: 100 days elapsed, 265 of 365 unexpired
    expected = (premium - premium * 100 / 365).quantize(CENT)
    offer = client.get(f"/api/v1/policies/{policy_id}/surrender-quote", headers=headers).json()
    assert D(offer["amount"]) == expected and "unearned premium" in offer["basis"], offer
    done = client.post(f"/api/v1/policies/{policy_id}/surrender", headers=headers)
    assert done.status_code == 201, done.text
    assert payments(runtime, policy_id)[-1].amount == expected
