"""证件号码更正 (issue 17 item 1: identity details correction with evidence — the ID number).

Rules: GB 11643-1999 (regulation.md §3.1: 18 characters, ISO 7064 MOD 11-2 check character, a real birth date);
no client-existence oracle (every valid request is answered alike and reviewed); four eyes (the reviewer is not who
accepted it); people never merged automatically; on approval Insurance Law art. 32 (misstated age, with art. 16's
limits for a rescission) applies to every policy insuring the person, and a sex change re-prices the same way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.validation.resident_id import check_character
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.family.models import Person
from jiabao.policies.common.models import Instalment, Payment, PolicyInsured, ServiceRequest
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_user, resident_id
from tests.policies.flow import Issued, issue
from tests.policies.test_billing_helpers import on, policy_row

COUNTER = {"identity_verified": True, "customer_confirmed": True}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SPOUSE_BIRTH = date(1987, 6, 1)  # the spouse of tests.policies.flow: 39 at issue (26 Nov 2026), female


def _staff(client: TestClient, runtime: Runtime, name: str) -> dict[str, str]:
    make_user(runtime, name, Role.SERVICE)
    return token_for(client, name)


def _upload(client: TestClient, issued: Issued, headers: dict[str, str], kind: str = "id_document") -> int:
    response = client.post(
        f"/api/v1/households/{issued.household_id}/service-documents",
        data={"kind": kind},
        files={"file": ("id.png", PNG, "image/png")},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _file(
    client: TestClient, issued: Issued, number: str, headers: dict[str, str], *, person: int | None = None, **extra: Any
) -> Any:
    body = {
        "kind": "id_number_correction",
        "person_id": person or issued.spouse,
        "id_number": number,
        "document_ids": [_upload(client, issued, headers)],
        **extra,
    }
    return client.post(f"/api/v1/policies/{issued.policy_id}/service-requests", json=body, headers=headers)


def _decide(client: TestClient, request_id: int, headers: dict[str, str], **body: Any) -> Any:
    payload = {"approve": True, "reason": "证件与户籍证明一致"} | body
    return client.post(f"/api/v1/servicing/id-corrections/{request_id}/decision", json=payload, headers=headers)


def _person(runtime: Runtime, person_id: int) -> Person:
    with unit_of_work(runtime.sessions) as session:
        person = session.get(Person, person_id)
        assert person is not None
        session.expunge(person)
        return person


def _wife(runtime: Runtime, issued: Issued) -> PolicyInsured:
    with unit_of_work(runtime.sessions) as session:
        row = session.scalars(
            select(PolicyInsured).where(
                PolicyInsured.policy_id == issued.policy_id, PolicyInsured.person_id == issued.spouse
            )
        ).one()
        session.expunge(row)
        return row


def _kinds(runtime: Runtime) -> list[str]:
    with unit_of_work(runtime.sessions) as session:
        return [r.kind for r in session.scalars(select(ServiceRequest).order_by(ServiceRequest.id))]


def _approved(client: TestClient, runtime: Runtime, issued: Issued, number: str, **decision: Any) -> dict[str, Any]:
    filed = _file(client, issued, number, issued.headers)
    assert filed.status_code == 201, filed.text
    done = _decide(client, filed.json()["id"], _staff(client, runtime, "reviewer"), **decision)
    assert done.status_code == 200, done.text
    out: dict[str, Any] = done.json()
    return out


def test_a_wrong_check_character_or_birth_date_is_refused_and_nothing_changes(
    client: TestClient, runtime: Runtime
) -> None:
    """GB 11643-1999 (regulation.md §3.1): the MOD 11-2 check character and a real birth date; the new number must
    differ from the one on record. Each refusal names the field and the reason and writes nothing."""
    issued = issue(client, runtime)
    good = resident_id(date(1983, 6, 1), "F", 7)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    before, kinds = _person(runtime, issued.spouse), _kinds(runtime)
    refused = _file(client, issued, wrong_check, issued.headers)
    assert refused.status_code == 422
    assert [(f["field"], f["code"]) for f in refused.json()["error"]["fields"]] == [("id_number", "id_checksum")]
    body = "11010519870230"  # 30 February
    no_date = body + "002"
    refused = _file(client, issued, no_date + check_character(no_date), issued.headers)
    assert refused.status_code == 422
    assert ("id_number", "id_birth_date_invalid") in {
        (f["field"], f["code"]) for f in refused.json()["error"]["fields"]
    }
    same = _file(client, issued, resident_id(SPOUSE_BIRTH, "F", 101), issued.headers)  # the number on record
    assert same.status_code == 422 and same.json()["error"]["fields"][0]["code"] == "same_as_current"
    after = _person(runtime, issued.spouse)
    assert (after.id_number_bidx, after.birth_date, after.sex) == (before.id_number_bidx, before.birth_date, before.sex)
    assert _kinds(runtime) == kinds  # no request recorded


def test_a_number_of_another_person_is_answered_alike_and_never_merged(client: TestClient, runtime: Runtime) -> None:
    """No client-existence oracle: the customer gets the same answer whether or not the number is registered to
    someone else; the reviewer cannot approve it (people are never merged automatically) and refuses it."""
    issued = issue(client, runtime)
    taken = resident_id(date(1985, 3, 14), "M", 1)  # the head's own number
    assert _person(runtime, issued.head).id_number_masked == taken[:6] + "********" + taken[-4:]
    a = _file(client, issued, taken, issued.headers)
    fresh = resident_id(date(1985, 3, 14), "M", 9)
    b = _file(client, issued, fresh, issued.headers, person=issued.head)
    assert a.status_code == b.status_code == 201
    assert a.json()["status"] == b.json()["status"] == "referred"
    shape = {k: v for k, v in a.json()["result"].items() if k not in ("person_id", "id_number_masked")}
    assert shape == {k: v for k, v in b.json()["result"].items() if k not in ("person_id", "id_number_masked")}
    assert set(a.json()) == set(b.json())
    reviewer = _staff(client, runtime, "reviewer")
    blocked = _decide(client, a.json()["id"], reviewer)
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "id_number_registered"
    assert _person(runtime, issued.spouse).birth_date == SPOUSE_BIRTH  # nothing changed
    refused = _decide(client, a.json()["id"], reviewer, approve=False, reason="号码属于其他客户，需人工核实")
    assert refused.status_code == 200 and refused.json()["status"] == "rejected"
    assert refused.json()["result"]["reason"] == "号码属于其他客户，需人工核实"
    assert _person(runtime, issued.spouse).id_number_masked != taken[:6] + "********" + taken[-4:]
    listed = client.get(f"/api/v1/policies/{issued.policy_id}/service-requests", headers=issued.headers).json()
    assert [r["status"] for r in listed if r["kind"] == "id_number_correction"] == ["rejected", "referred"]


def test_four_eyes_the_one_who_accepted_it_at_the_counter_cannot_approve_it(
    client: TestClient, runtime: Runtime
) -> None:
    """Counter parity (identity verified, customer's confirmation recorded) and four eyes: another staff member
    reviews. The change of birth date that leaves the age at issue unchanged re-prices nothing."""
    issued = issue(client, runtime)
    counter = _staff(client, runtime, "counter1")
    number = resident_id(date(1987, 5, 20), "F", 3)  # still 39 at issue
    unchecked = _file(client, issued, number, counter)
    assert unchecked.status_code == 422
    assert {f["field"] for f in unchecked.json()["error"]["fields"]} == {"identity_verified", "customer_confirmed"}
    filed = _file(client, issued, number, counter, **COUNTER)
    assert filed.status_code == 201 and filed.json()["channel"] == "counter"
    queue = client.get("/api/v1/servicing/id-corrections", headers=counter).json()
    assert [(q["service_request_id"], q["own"]) for q in queue] == [(filed.json()["id"], True)]
    assert number not in str(queue)  # masked only
    same = _decide(client, filed.json()["id"], counter)
    assert same.status_code == 403 and same.json()["error"]["code"] == "four_eyes"
    assert client.get("/api/v1/servicing/id-corrections", headers=issued.headers).status_code == 403
    done = _decide(client, filed.json()["id"], _staff(client, runtime, "counter2"))
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert done.json()["result"]["policies"] == []  # same age at issue: nothing to re-price
    person = _person(runtime, issued.spouse)
    assert person.birth_date == date(1987, 5, 20) and person.id_number_masked == number[:6] + "********" + number[-4:]
    assert _decide(client, filed.json()["id"], _staff(client, runtime, "counter3")).status_code == 409


def test_an_older_true_age_within_the_limits_collects_the_difference_or_reduces_the_cover(
    client: TestClient, runtime: Runtime
) -> None:
    """Insurance Law art. 32 para. 2 through the ID correction: 43 at issue, not 39 — the difference for the year
    paid is due today and the premium follows; or (the reviewer's choice) the sum assured is cut in the ratio of
    the premium paid to the premium due. The policyholder is told the effect in Chinese."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 1, 15))
    before = _wife(runtime, issued)
    done = _approved(client, runtime, issued, resident_id(date(1983, 6, 1), "F", 5))
    [effect] = done["result"]["policies"]
    assert effect["outcome"] == "extra_premium" and effect["policy_id"] == issued.policy_id
    after = _wife(runtime, issued)
    assert after.annual_premium > before.annual_premium and after.sum_assured == before.sum_assured
    assert Decimal(effect["amount"]) == after.annual_premium - before.annual_premium  # one year paid
    with unit_of_work(runtime.sessions) as session:
        extra = session.scalars(
            select(Instalment).where(
                Instalment.policy_id == issued.policy_id, Instalment.seq == effect["extra_instalment"]
            )
        ).one()
        assert (extra.due_date, extra.amount) == (date(2027, 1, 15), Decimal(effect["amount"]))
        linked = session.get(ServiceRequest, effect["request_id"])
        assert linked is not None and linked.kind == "age_correction"
        assert linked.payload["id_correction_request_id"] == done["id"] and linked.payload["true_age"] == 43
        bodies = [m.payload["body"] for m in session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms"))]
    assert any("需补缴保费差额" in b and "年龄" in b for b in bodies)
    assert _person(runtime, issued.spouse).birth_date == date(1983, 6, 1)

    other = issue(client, runtime, username="wang", seq=2)
    on(runtime, date(2027, 1, 20))
    cut_before = _wife(runtime, other)
    filed = _file(client, other, resident_id(date(1983, 6, 1), "F", 6), other.headers)
    done = _decide(client, filed.json()["id"], _staff(client, runtime, "reviewer2"), proportional=True).json()
    [effect] = done["result"]["policies"]
    assert effect["outcome"] == "proportional_cover"
    cut = _wife(runtime, other)
    assert cut.annual_premium == cut_before.annual_premium and cut.sum_assured < cut_before.sum_assured
    assert Decimal(effect["sum_assured_after"]) == cut.sum_assured


def test_a_younger_true_age_refunds_the_excess(client: TestClient, runtime: Runtime) -> None:
    """Art. 32 para. 3: premium paid above the premium due at the true age is refunded to the registered account."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 1, 15))
    before = _wife(runtime, issued)
    done = _approved(client, runtime, issued, resident_id(date(1992, 6, 1), "F", 5))
    [effect] = done["result"]["policies"]
    assert effect["outcome"] == "refund"
    after = _wife(runtime, issued)
    assert Decimal(effect["amount"]) == before.annual_premium - after.annual_premium > 0
    with unit_of_work(runtime.sessions) as session:
        refund = session.get(Payment, effect["refund_payment_id"])
        assert refund is not None and (refund.kind, refund.direction) == ("premium_refund", "out")
        assert refund.amount == Decimal(effect["amount"])


def test_a_true_age_outside_the_limits_rescinds_within_the_art_16_limits(client: TestClient, runtime: Runtime) -> None:
    """Art. 32 para. 1 with art. 16's limits: 66 at issue is outside the product's 60 — within 30 days of the
    request and 2 years of formation the contract is rescinded and the cash value refunded; the person's record is
    corrected all the same. Past the 30 days from receipt of the request the contract stands as written."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 1, 15))
    done = _approved(client, runtime, issued, resident_id(date(1960, 1, 1), "F", 5))
    [effect] = done["result"]["policies"]
    assert effect["outcome"] == "rescind"
    assert policy_row(runtime, issued.policy_id).status == "terminated"
    assert _person(runtime, issued.spouse).birth_date == date(1960, 1, 1)
    with unit_of_work(runtime.sessions) as session:
        paid = session.scalars(select(Payment).where(Payment.kind == "age_rescission_cash_value")).all()
        assert [p.amount for p in paid] == [Decimal(effect["cash_value"]) - Decimal(effect["loan_deducted"])]

    late = issue(client, runtime, username="wang", seq=2)
    on(runtime, date(2027, 1, 15))
    filed = _file(client, late, resident_id(date(1960, 1, 1), "F", 6), late.headers)
    on(runtime, date(2027, 2, 20))  # 36 days after the insurer learned the cause: art. 16's 30 days have passed
    done = _decide(client, filed.json()["id"], _staff(client, runtime, "reviewer2")).json()
    [kept] = done["result"]["policies"]
    assert kept["outcome"] == "kept" and policy_row(runtime, late.policy_id).status == "in_force"
    assert _person(runtime, late.spouse).birth_date == date(1960, 1, 1)  # the record is corrected all the same


def test_a_sex_change_reprices_on_the_tables(client: TestClient, runtime: Runtime) -> None:
    """The sequence code's parity is the sex (GB 11643): the same birth date with an odd code makes the insured
    male, and the premium is re-priced on the male tables the same way (art. 32 para. 2/3)."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 1, 15))
    before = _wife(runtime, issued)
    done = _approved(client, runtime, issued, resident_id(SPOUSE_BIRTH, "M", 5))
    [effect] = done["result"]["policies"]
    after = _wife(runtime, issued)
    assert after.annual_premium != before.annual_premium
    assert effect["outcome"] == ("extra_premium" if after.annual_premium > before.annual_premium else "refund")
    assert Decimal(effect["amount"]) == abs(after.annual_premium - before.annual_premium)
    assert _person(runtime, issued.spouse).sex == "M" and done["result"]["sex_changed"] is True
