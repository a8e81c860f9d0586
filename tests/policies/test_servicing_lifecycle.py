"""The lifecycle walk of issue 17, with the injected clock: a family takes a policy loan, misses a premium that an
automatic premium loan covers, repays, changes occupation (its accident cover re-rated), reduces the sum assured,
later claims — the claim deducts the outstanding loan — and an annuity policy pays its first annuity on its date.
Expected amounts are recomputed here from the stored quote and the rules, not read back from the service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jiabao import cli
from jiabao.claims.models import Claim
from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Payment, PolicyInsured, ServiceRequest
from jiabao.policies.rules import cash_value as cv
from jiabao.policies.rules import loans as loan_rules
from jiabao.policies.servicing import payouts
from jiabao.policies.servicing.models import PolicyLoan
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for, with_uploads
from tests.claims.test_claims_family import CI_DOCUMENTS
from tests.factories import ctx_for, make_family, make_user
from tests.policies.flow import ACCOUNT, Issued, issue
from tests.policies.test_billing_helpers import on, policy_row, run_job

RATE = Decimal("0.05")  # the default policy-loan rate (settings.policy_loan_annual_rate)


def _quote_cv(runtime: Runtime, policy_id: int, years: Decimal) -> Decimal:
    policy = policy_row(runtime, policy_id)
    total = Decimal(0)
    for member in policy.details["quote"]["members"]:
        table: dict[int, Decimal] = {}
        for line in member["lines"]:
            for row in line["cash_values"]:
                table[int(row["policy_year"])] = table.get(int(row["policy_year"]), Decimal(0)) + Decimal(
                    str(row["cash_value"])
                )
        total += cv.cash_value_at(table, years)
    return total.quantize(Decimal("0.01"))


def _submit(client: TestClient, issued: Issued, policy_id: int, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/api/v1/policies/{policy_id}/service-requests", json=body, headers=issued.headers)
    assert response.status_code == 201, response.text
    out: dict[str, Any] = response.json()
    return out


def _pay_premium(client: TestClient, issued: Issued, key: str) -> None:
    response = client.post(
        f"/api/v1/policies/{issued.policy_id}/premiums",
        json={"account": ACCOUNT},
        headers=issued.headers | {"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.text


def _loan(client: TestClient, issued: Issued) -> dict[str, Any]:
    out: dict[str, Any] = client.get(f"/api/v1/policies/{issued.policy_id}/loan", headers=issued.headers).json()
    return out


def test_loan_automatic_loan_repay_occupation_reduce_claim_and_annuity(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Day 0, Thu 26 Nov 2026: family CI for husband and wife (20 annual premiums) and, in another household, a
    # single-premium pension annuity for a 55-year-old starting at 60.
    issued = issue(client, runtime)
    annuitant, annuity = _annuity(client, runtime)

    # Premiums 2–5 paid on their due dates (26 Nov 2027 … 2030).
    for year in (2027, 2028, 2029, 2030):
        on(runtime, date(year, 11, 26))
        _pay_premium(client, issued, f"lifecycle-premium-{year}")

    # 1. 10 Jan 2031: a policy loan of ¥2,000 (limit: 80% of the cash value), online; opt in to 自动垫交.
    on(runtime, date(2031, 1, 10))
    summary = _loan(client, issued)
    years = cv.position(date(2026, 11, 26), date(2031, 1, 10)).years  # min(elapsed 4.12…, paid 5)
    value = _quote_cv(runtime, issued.policy_id, years)
    assert Decimal(summary["cash_value"]) == value
    assert Decimal(summary["available"]) == loan_rules.available(value, Decimal(0))
    too_much = client.post(
        f"/api/v1/policies/{issued.policy_id}/service-requests",
        json={"kind": "policy_loan", "amount": str(loan_rules.available(value, Decimal(0)) + 1)},
        headers=issued.headers,
    )
    assert too_much.status_code == 422 and too_much.json()["error"]["fields"][0]["code"] == "over_limit"
    lent = _submit(client, issued, issued.policy_id, {"kind": "policy_loan", "amount": "2000"})
    assert lent["channel"] == "online" and lent["status"] == "completed"
    _submit(client, issued, issued.policy_id, {"kind": "automatic_premium_loan", "opted_in": True})
    with unit_of_work(runtime.sessions) as session:
        out = session.scalars(select(Payment).where(Payment.kind == "policy_loan")).one()
        assert out.amount == Decimal("2000.00") and out.direction == "out" and out.account_masked.endswith("0128")

    # 2. Premium 6, due 26 Nov 2031, is missed; grace ends 25 Jan 2032. The job on 26 Jan lends it (自动垫交):
    # the cash value at the end of grace (position min(5.16, 5) = 5) less the debt covers the premium.
    on(runtime, date(2032, 1, 26))
    premium = policy_row(runtime, issued.policy_id).instalment
    debt_then = Decimal("2000") + loan_rules.accrued_interest(
        Decimal("2000"), RATE, date(2031, 1, 10), date(2032, 1, 25)
    )
    assert _quote_cv(runtime, issued.policy_id, Decimal(5)) - debt_then >= premium  # the precondition of 自动垫交
    run_job(runtime)
    billing = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    assert billing["status"] == "in_force", billing  # kept in force, not suspended
    summary = _loan(client, issued)
    assert Decimal(summary["principal"]) == Decimal("2000") + premium
    expected_interest = loan_rules.accrued_interest(
        Decimal("2000"), RATE, date(2031, 1, 10), date(2032, 1, 26)
    ) + loan_rules.accrued_interest(premium, RATE, date(2032, 1, 25), date(2032, 1, 26))
    assert Decimal(summary["interest"]) == expected_interest
    assert {loan["kind"] for loan in summary["loans"]} == {"loan", "automatic"}

    # 3. 10 Feb 2032: repay ¥8,000 from the policyholder's card — interest first, then principal.
    on(runtime, date(2032, 2, 10))
    owed = _loan(client, issued)
    repaid = _submit(client, issued, issued.policy_id, {"kind": "loan_repayment", "amount": "8000", "account": ACCOUNT})
    assert Decimal(repaid["result"]["interest"]) == Decimal(owed["interest"])
    assert Decimal(repaid["result"]["principal"]) == Decimal("8000") - Decimal(owed["interest"])
    debt_after_repay = Decimal(owed["owed"]) - Decimal("8000")
    assert Decimal(_loan(client, issued)["owed"]) == debt_after_repay

    # 4. An accident policy for the husband (class 1), then his occupation changes to class 3 (factor 1.9 vs 1.0):
    # the premium is re-rated and the extra premium for the rest of the paid year is due (art. 52).
    accident = issue_for(
        client, issued.household_id, issued.headers, "accident", [(issued.head, "500000")], payment_term=1
    )
    base = policy_row(runtime, accident).annual_premium
    on(runtime, date(2032, 3, 1))
    changed = _submit(
        client,
        issued,
        accident,
        {"kind": "occupation", "person_id": issued.head, "occupation": "建筑工人", "occupation_class": 3},
    )
    assert changed["result"]["rerated"] is True
    assert Decimal(changed["result"]["annual_premium_after"]) == (base * Decimal("1.9")).quantize(Decimal("0.01"))
    days_left = (date(2033, 2, 10) - date(2032, 3, 1)).days
    expected_extra = (base * Decimal("0.9") * days_left / 366).quantize(Decimal("0.01"))
    assert Decimal(changed["result"]["adjustment"]) == expected_extra

    # 5. 10 Mar 2032: the husband's sum assured falls from 300,000 to 200,000; a third of his cash value is paid.
    on(runtime, date(2032, 3, 10))
    head_value = Decimal(
        client.get(f"/api/v1/policies/{issued.policy_id}/loan", headers=issued.headers).json()["cash_value"]
    )
    with unit_of_work(runtime.sessions) as session:
        head_line = session.scalars(
            select(PolicyInsured).where(
                PolicyInsured.policy_id == issued.policy_id, PolicyInsured.person_id == issued.head
            )
        ).one()
    reduced = _submit(
        client,
        issued,
        issued.policy_id,
        {"kind": "reduce_sum_assured", "person_id": issued.head, "sum_assured": "200000"},
    )
    assert Decimal(reduced["result"]["annual_premium_after"]) == (head_line.annual_premium * 2 / 3).quantize(
        Decimal("0.01")
    )
    assert Decimal(reduced["result"]["cash_value_paid"]) > 0 and head_value > 0

    # 6. 1 Apr 2032: the wife is diagnosed with cancer; the claim pays less the outstanding loan.
    on(runtime, date(2032, 4, 1))
    owed_now = Decimal(_loan(client, issued)["owed"])
    assert owed_now > 0
    body = {
        "insured_person_id": issued.spouse,
        "claim_type": "ci_diagnosis",
        "event_date": "2032-03-28",
        "hospital": "北京协和医院",
        "diagnoses": [{"icd10": "C34.1", "description": "恶性肿瘤", "icd_o3_behaviour": 3}],
        "ci": {"disease": "cancer", "diagnosed_on": "2032-03-28"},
        "documents": [*CI_DOCUMENTS, "discharge_summary"],
        "account": ACCOUNT,
        "insured_authorised": True,
    }
    claim = client.post(
        f"/api/v1/households/{issued.household_id}/claims",
        json=with_uploads(client, issued.household_id, issued.headers, body),
        headers=issued.headers | {"Idempotency-Key": "lifecycle-claim-0001"},
    )
    assert claim.status_code == 201, claim.text
    if claim.json()["status"] == "referred":  # a large CI advance waits for an adjuster, who approves it
        make_user(runtime, "adjuster", Role.CLAIMS)
        decided = client.post(
            f"/api/v1/claims/{claim.json()['id']}/decision",
            json={"approve": True, "reason": "资料齐全，核实无误"},
            headers=token_for(client, "adjuster"),
        )
        assert decided.status_code == 200, decided.text
    with unit_of_work(runtime.sessions) as session:
        paid = session.scalars(
            select(Payment).where(Payment.kind == "claim", Payment.policy_id == issued.policy_id).order_by(Payment.id)
        ).all()
        assert paid, claim.json()
        stored = session.get(Claim, claim.json()["id"])
        assert stored is not None
        loan_lines = [d for d in stored.details["deductions"][str(issued.policy_id)] if d["kind"] == "policy_loan"]
        assert [Decimal(d["amount"]) for d in loan_lines] == [owed_now]
        # severe CI 300,000 + the spouse joint benefit 20% (as in test_claims_family), less the loan
        assert sum(p.amount for p in paid) == Decimal("360000.00") - owed_now
        loans = session.scalars(select(PolicyLoan).where(PolicyLoan.policy_id == issued.policy_id)).all()
        # the repayment closed the older loan (interest first, then principal, oldest first); the claim the rest
        assert sorted((loan.kind, loan.closed_on, loan.close_reason) for loan in loans) == [
            ("automatic", date(2032, 4, 1), "deducted"),
            ("loan", date(2032, 2, 10), "repaid"),
        ]
    assert Decimal(_loan(client, issued)["owed"]) == 0

    # 7. The annuity: first due on the 5th anniversary, 26 Nov 2031 (age 60). Without a survival confirmation it
    # waits; after the annuitant confirms, the job pays 12,000 to the registered account, once.
    on(runtime, date(2031, 11, 26))
    with unit_of_work(runtime.sessions) as session:
        first = payouts.pay_due_benefits(ctx_for(runtime, session), runtime.products, runtime.clock.today())
    assert first.paid == [] and [w["due_on"] for w in first.waiting_for_survival] == ["2031-11-26"]
    confirm = client.post(
        f"/api/v1/policies/{annuity}/service-requests",
        json={"kind": "survival_confirmation", "person_id": annuitant[0]},
        headers=annuitant[1],
    )
    assert confirm.status_code == 201, confirm.text
    monkeypatch.setattr(cli, "_runtime", lambda: runtime)
    job = CliRunner().invoke(cli.app, ["benefits", "--as-of", "2031-11-26"])  # the daily job pays it
    assert job.exit_code == 0 and "1 paid" in job.output, job.output
    with unit_of_work(runtime.sessions) as session:  # a second run pays nothing more
        done = payouts.pay_due_benefits(ctx_for(runtime, session), runtime.products, runtime.clock.today())
    with unit_of_work(runtime.sessions) as session:
        annuities = session.scalars(select(Payment).where(Payment.kind == "annuity")).all()
        assert [(p.amount, p.details["due_on"], p.direction) for p in annuities] == [
            (Decimal("12000.00"), "2031-11-26", "out")
        ]
        kinds = {r.kind: r.channel for r in session.scalars(select(ServiceRequest))}
    assert done.paid == []
    assert kinds["benefit_payment"] == "online" and kinds["survival_confirmation"] == "online"
    assert kinds["policy_loan"] == "online" and kinds["automatic_premium_loan"] == "online"


def _annuity(client: TestClient, runtime: Runtime) -> tuple[tuple[int, dict[str, str]], int]:
    family = make_family(runtime, username="wang", seq=7, birth=date(1971, 6, 1), phone="13900000007")
    headers = token_for(client, "wang")
    policy = issue_for(
        client,
        family.household_id,
        headers,
        "pension_annuity",
        [(family.head_person_id, "12000")],
        payment_term=1,
        payout_age=60,
    )
    return (family.head_person_id, headers), policy
