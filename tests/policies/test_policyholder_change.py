"""Change of policyholder within the family (变更投保人, issue 12 item 4), with both parties' consent.

Rules checked (regulation.md §1.7, §2.8, §2.9): the new policyholder is an adult with full civil capacity (Civil Code
arts. 17-18) and an insurable interest in each insured (Insurance Law art. 31, or the insured's consent); a
contract with death cover is transferred only with the insured's written consent (art. 34 para. 2); an outstanding
policy loan is repaid first (our stricter choice); the current holder asks and the new holder consents, each in
person, within the consent period; the new holder is screened like a beneficiary change (AML Law art. 35: no
tipping off); the completed change is counted by the AML "frequent changes of policyholder" rule. Every refusal is
a field error (or 403/409) and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.identity import service as identity
from jiabao.ledger.models import LedgerJournal
from jiabao.policies.billing import family as family_billing
from jiabao.policies.common.models import BeneficiaryDesignation, Payment, Policy, ServiceRequest
from jiabao.policies.servicing import service as servicing
from jiabao.policies.servicing.models import PolicyLoan
from jiabao.risk.lists.formats import ParsedEntry
from jiabao.risk.screening.models import ScreeningCase
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for
from tests.claims.test_claims_family import _household
from tests.factories import PASSWORD, add_member, cli_environment, ctx_for, make_user, resident_id
from tests.fraud_aml.flows import officer
from tests.policies.test_billing_helpers import on
from tests.risk.test_screening_flow import load, no_tipping_off

NEW_CARD = "6222021234567890128"  # Luhn-valid


@dataclass
class Home:
    id: int
    head: int
    spouse: int
    child: int
    grown: int
    lodger: int
    policy: int
    headers: dict[str, str]
    spouse_headers: dict[str, str]


def _user(runtime: Runtime, username: str, person_id: int, name: str) -> None:
    with unit_of_work(runtime.sessions) as session:
        identity.create_user(session, username=username, password=PASSWORD, role=Role.CUSTOMER,
                             display_name=name, now=runtime.clock.now(), person_id=person_id)  # fmt: skip


def _home(client: TestClient, runtime: Runtime, *, frequency: str = "monthly") -> Home:
    home = _household(client, runtime)  # head 张伟 (1985), spouse 李娜 (1987), child 张小宝 (2016, a minor)
    add_member(runtime, home.id, name="张大宝", relationship="child", id_number=resident_id(date(2000, 4, 4), "M", 7))
    add_member(runtime, home.id, name="刘房客", relationship="other", id_number=resident_id(date(1990, 5, 5), "M", 8))
    members = client.get(f"/api/v1/households/{home.id}/members", headers=home.headers).json()
    grown = next(m["person_id"] for m in members if m["name"] == "张大宝")
    lodger = next(m["person_id"] for m in members if m["name"] == "刘房客")
    policy = issue_for(
        client, home.id, home.headers, "family_ci", [(home.head, "300000"), (home.spouse, "300000")],
        payment_term=20, coverage=30, frequency=frequency,
    )  # fmt: skip  # critical illness with death cover (product_lines: ci, death); issued 26 Nov 2026
    _user(runtime, "lina", home.spouse, "李娜")
    return Home(home.id, home.head, home.spouse, home.child, grown, lodger, policy, home.headers,
                token_for(client, "lina"))  # fmt: skip


def _url(home: Home, step: str = "") -> str:
    return f"/api/v1/policies/{home.policy}/policyholder-change{step}"


def _holder(runtime: Runtime, policy_id: int) -> int:
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, policy_id)
        assert policy is not None
        return policy.policyholder_person_id


def _holder_requests(runtime: Runtime) -> list[tuple[str, str]]:
    with unit_of_work(runtime.sessions) as session:
        return [(r.kind, r.status) for r in session.scalars(select(ServiceRequest).where(ServiceRequest.kind ==
                                                                                        "policyholder"))]  # fmt: skip


def _fields(response: object) -> set[tuple[str, str]]:
    body = response.json()  # type: ignore[attr-defined]
    return {(f["field"], f["code"]) for f in body["error"]["fields"]}


def _consent_body(**extra: object) -> dict[str, object]:
    return {"capacity_declared": True, "account": NEW_CARD, "debit_authorised": True, **extra}


def test_each_eligibility_rule_gives_its_reason_and_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    home = _home(client, runtime)
    minor = client.post(_url(home), json={"new_holder_person_id": home.child}, headers=home.headers)
    assert minor.status_code == 422 and ("new_holder_person_id", "not_adult") in _fields(minor)  # Civil Code art. 17
    # art. 31: a member recorded as "other" to the head has no interest in the head or his wife without consent;
    # the wife is not a party, and the contract has death cover: her written consent is needed too (art. 34 ¶2)
    lodger = client.post(_url(home), json={"new_holder_person_id": home.lodger}, headers=home.headers)
    assert lodger.status_code == 422
    assert _fields(lodger) == {("insured_consents", "no_insurable_interest"),
                               ("insured_consents", "death_cover_consent_missing")}  # fmt: skip
    assert "第三十一条" in str(lodger.json()) and "第三十四条" in str(lodger.json())
    # the grown-up son is the head's child and his mother's (interest), but she must still consent (death cover)
    son = client.post(_url(home), json={"new_holder_person_id": home.grown}, headers=home.headers)
    assert son.status_code == 422 and _fields(son) == {("insured_consents", "death_cover_consent_missing")}
    assert "李娜" in son.json()["error"]["fields"][0]["message_zh"]
    # an outstanding policy loan: repay first (the stricter course)
    with unit_of_work(runtime.sessions) as session:
        today = runtime.clock.today()
        session.add(PolicyLoan(policy_id=home.policy, kind="loan", lent_on=today, amount=Decimal("1000"), rate_bp=500,
                               principal=Decimal("1000"), interest=Decimal(0), accrued_to=today,
                               created_at=runtime.clock.now(), history=[]))  # fmt: skip
    loaned = client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.headers)
    assert loaned.status_code == 422 and _fields(loaned) == {("policy_loan", "loan_outstanding")}
    assert "还清" in loaned.json()["error"]["fields"][0]["message_zh"]
    # only the policyholder asks (not the prospective holder, not a partner)
    by_spouse = client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.spouse_headers)
    assert by_spouse.status_code == 403
    assert _holder(runtime, home.policy) == home.head and _holder_requests(runtime) == []


def test_both_consents_transfer_the_policy_and_the_payer(client: TestClient, runtime: Runtime) -> None:
    home = _home(client, runtime)
    with unit_of_work(runtime.sessions) as session:
        designations_before = session.scalar(
            select(func.count(BeneficiaryDesignation.id)).where(BeneficiaryDesignation.policy_id == home.policy)
        )
    asked = client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.headers)
    assert asked.status_code == 201, asked.text
    assert asked.json()["status"] == "awaiting_consent" and asked.json()["channel"] == "online"
    assert _holder(runtime, home.policy) == home.head  # nothing changes before the new holder consents
    again = client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "holder_change_pending"

    assert client.post(_url(home, "/consent"), json=_consent_body(), headers=home.headers).status_code == 403
    missing = client.post(_url(home, "/consent"), json={"account": NEW_CARD}, headers=home.spouse_headers)
    assert missing.status_code == 422
    assert _fields(missing) == {("capacity_declared", "required"), ("debit_authorised", "consent_missing")}
    assert _holder(runtime, home.policy) == home.head

    done = client.post(_url(home, "/consent"), json=_consent_body(), headers=home.spouse_headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed" and done.json()["result"]["from_person_id"] == home.head
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, home.policy)
        assert policy is not None and policy.policyholder_person_id == home.spouse
        assert policy.details["policyholder_history"][0]["person_id"] == home.head  # the old holder kept
        account = policy.details["payment_account"]
        assert account["holder_person_id"] == home.spouse and account["masked"].endswith("0128")
        assert NEW_CARD not in str(policy.details)  # encrypted like every account
        designations = session.scalar(
            select(func.count(BeneficiaryDesignation.id)).where(BeneficiaryDesignation.policy_id == home.policy)
        )
        assert designations == designations_before  # arts. 39, 41: the designation stands as it was
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "policy.policyholder_changed")).one()
        assert audit.detail["from"] == home.head and audit.detail["to"] == home.spouse
        sms = [m.payload for m in session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms"))]
        assert any(m["kind"] == "servicing_completed" and m["person_id"] == home.spouse for m in sms)
        assert any(m["kind"] == "servicing_policyholder" and m["person_id"] == home.head and "李娜" in m["body"]
                   for m in sms)  # fmt: skip  # both parties are told
        ctx = ctx_for(runtime, session, make_user(runtime, "ops", Role.SERVICE))
        kinds = {(o.kind, o.status) for _, o in servicing.household_requests(ctx, home.id)}
        assert ("policyholder", "completed") in kinds  # the family home's request list
        share = servicing.online_share(ctx, from_date=runtime.clock.today(), to_date=runtime.clock.today())
        assert share.by_kind["policyholder"].online == 1  # counted in the online share

    # the next instalment is the new holder's: the payment, the ledger and the family bill name her
    on(runtime, date(2026, 12, 20))
    paid = client.post(f"/api/v1/policies/{home.policy}/premiums", json={"account": NEW_CARD},
                       headers=home.spouse_headers | {"Idempotency-Key": "after-change-1"})  # fmt: skip
    assert paid.status_code == 201, paid.text
    with unit_of_work(runtime.sessions) as session:
        payment = session.scalars(select(Payment).where(Payment.kind == "renewal_premium")).one()
        assert payment.holder_person_id == home.spouse
        journal = session.scalars(select(LedgerJournal).where(LedgerJournal.payment_id == payment.id)).one()
        assert journal.person_id == home.spouse
        ctx = ctx_for(runtime, session)
        family_billing.designate_account(ctx, home.id, account=NEW_CARD, holder_person_id=home.head)
        bill = family_billing.draw_up(ctx, home.id, date(2027, 1, 1), date(2027, 1, 31))
        assert [(line.policy_id, line.holder_name) for line in bill.lines] == [(home.policy, "李娜")]
    # the former holder may no longer change the contract
    contact = client.post(f"/api/v1/policies/{home.policy}/service-requests",
                          json={"kind": "contact_details", "phone": "13987654321"}, headers=home.headers)  # fmt: skip
    assert contact.status_code == 403


def test_the_request_expires_without_consent_and_can_be_declined(client: TestClient, runtime: Runtime) -> None:
    home = _home(client, runtime)
    assert client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.headers).status_code == 201
    runtime.clock.advance(timedelta(days=16))  # the consent period is 15 days
    late = client.post(_url(home, "/consent"), json=_consent_body(), headers=home.spouse_headers)
    assert late.status_code == 409 and late.json()["error"]["code"] == "holder_change_expired"
    make_user(runtime, "boss", Role.ADMIN)
    job = client.post("/api/v1/servicing/policyholder-changes/expire", headers=token_for(client, "boss"))
    assert job.status_code == 200 and job.json() == {"expired": 1}
    assert _holder_requests(runtime) == [("policyholder", "expired")] and _holder(runtime, home.policy) == home.head

    assert client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.headers).status_code == 201
    declined = client.post(_url(home, "/decline"), headers=home.spouse_headers)
    assert declined.status_code == 200 and declined.json()["status"] == "rejected"
    assert client.post(_url(home, "/consent"), json=_consent_body(), headers=home.spouse_headers).status_code == 404
    assert _holder(runtime, home.policy) == home.head


def test_counter_change_needs_identity_checks_and_may_use_the_family_account(
    client: TestClient, runtime: Runtime
) -> None:
    home = _home(client, runtime)
    make_user(runtime, "guitai", Role.SERVICE)
    staff = token_for(client, "guitai")
    unchecked = client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=staff)
    assert unchecked.status_code == 422
    assert _fields(unchecked) == {("identity_verified", "required"), ("customer_confirmed", "required")}
    checked = {"identity_verified": True, "customer_confirmed": True}
    asked = client.post(_url(home), json={"new_holder_person_id": home.spouse, **checked}, headers=staff)
    assert asked.status_code == 201 and asked.json()["channel"] == "counter"
    no_family = client.post(_url(home, "/consent"), headers=staff,
                            json={"capacity_declared": True, "use_family_account": True, "debit_authorised": True,
                                  **checked})  # fmt: skip
    assert no_family.status_code == 422 and _fields(no_family) == {("use_family_account", "no_family_account")}
    with unit_of_work(runtime.sessions) as session:
        family_billing.designate_account(ctx_for(runtime, session), home.id, account=NEW_CARD,
                                         holder_person_id=home.spouse)  # fmt: skip
    done = client.post(_url(home, "/consent"), headers=staff,
                       json={"capacity_declared": True, "use_family_account": True, "debit_authorised": True,
                             **checked})  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json()["result"]["family_account"] is True and _holder(runtime, home.policy) == home.spouse


def test_a_watch_list_hit_stops_the_change_without_tipping_off(client: TestClient, runtime: Runtime) -> None:
    home = _home(client, runtime)
    load(runtime, ParsedEntry("F-9", "individual", "李娜", birth_dates=["1987-06-01"], nationalities=["CN"]))
    stopped = client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.headers)
    assert stopped.status_code == 409 and stopped.json()["error"]["code"] == "service_unavailable_for_customer"
    no_tipping_off(stopped.json())
    assert _holder_requests(runtime) == [] and _holder(runtime, home.policy) == home.head
    with unit_of_work(runtime.sessions) as session:
        case = session.scalars(select(ScreeningCase).where(ScreeningCase.person_id == home.spouse)).one()
        assert (case.occasion, case.decision) == ("policyholder_change", "hit")


def test_frequent_changes_of_policyholder_open_an_aml_case_for_both_parties(
    client: TestClient, runtime: Runtime
) -> None:
    """Three changes of policyholder within a year (CIRC 2007 red flag "frequent changes"): a suspicious case for
    review for each party — the old holder too, who no longer holds the policy."""
    home = _home(client, runtime, frequency="annual")
    parties = [(home.headers, home.spouse_headers, home.spouse), (home.spouse_headers, home.headers, home.head),
               (home.headers, home.spouse_headers, home.spouse)]  # fmt: skip
    for i, (asker, consenter, to) in enumerate(parties):
        asked = client.post(_url(home), json={"new_holder_person_id": to}, headers=asker)
        assert asked.status_code == 201, asked.text
        done = client.post(_url(home, "/consent"), json=_consent_body(), headers=consenter)
        assert done.status_code == 200, done.text
        runtime.clock.advance(timedelta(days=20 if i < 2 else 0))
    risk = officer(client, runtime)
    today = runtime.clock.today()
    window = {"day_from": (today - timedelta(days=60)).isoformat(), "day_to": today.isoformat()}
    scanned = client.post("/api/v1/risk/aml/scan", json=window, headers=risk)
    assert scanned.status_code == 200, scanned.text
    cases = client.get("/api/v1/risk/aml/cases", params={"kind": "suspicious"}, headers=risk).json()
    frequent = {c["person_id"] for c in cases if c["rule"] == "frequent_holder_beneficiary_changes"}
    assert frequent == {home.head, home.spouse}
    assert all(c["evidence"]["changes"] == "3" for c in cases if c["rule"] == "frequent_holder_beneficiary_changes")


def test_the_daily_command_expires_a_change_without_consent(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jiabao expire-holder-changes` is the daily job behind the expiry: a request not consented within its 15 days
    is marked expired and the policy keeps its policyholder; the day the period ends is still inside it."""
    from typer.testing import CliRunner

    from jiabao.cli import app

    home = _home(client, runtime)
    assert client.post(_url(home), json={"new_holder_person_id": home.spouse}, headers=home.headers).status_code == 201
    cli_environment(runtime, monkeypatch)
    today = runtime.clock.today()
    last_day = CliRunner().invoke(app, ["expire-holder-changes", "--as-of", str(today + timedelta(days=15))])
    assert last_day.exit_code == 0 and ": 0 expired" in last_day.output, last_day.output
    assert _holder_requests(runtime) == [("policyholder", "awaiting_consent")]
    after = CliRunner().invoke(app, ["expire-holder-changes", "--as-of", str(today + timedelta(days=16))])
    assert after.exit_code == 0 and ": 1 expired" in after.output, after.output
    assert _holder_requests(runtime) == [("policyholder", "expired")] and _holder(runtime, home.policy) == home.head
