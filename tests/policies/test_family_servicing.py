"""One request for the whole family (issue 12 item 4): the address, a mobile or the payment account changed on every
live policy of the household at once — one servicing request per policy, each counted in the online share — and
all or nothing. A customer changes only the contracts they hold (Insurance Law arts. 20, 41: a contract's changes
are its policyholder's); the others are listed as skipped."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Policy, ServiceRequest
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for
from tests.factories import make_family
from tests.policies.flow import issue

ADDRESS = "上海市浦东新区世纪大道100号12楼1203室"


def _family_url(household_id: int) -> str:
    return f"/api/v1/households/{household_id}/service-requests"


def test_the_family_address_changes_on_every_policy_the_caller_holds_and_others_are_skipped(
    client: TestClient, runtime: Runtime
) -> None:
    issued = issue(client, runtime)
    medical = issue_for(
        client, issued.household_id, issued.headers, "outpatient_medical", [(issued.spouse, "20000")], payment_term=1
    )
    second = issue(client, runtime, username="wang", seq=2)  # another family: never touched
    response = client.post(
        _family_url(issued.household_id), json={"kind": "address", "address": ADDRESS}, headers=issued.headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [r["policy_id"] for r in body["requests"]] == [issued.policy_id, medical] and body["skipped"] == []
    assert {(r["channel"], r["kind"]) for r in body["requests"]} == {("online", "address")}
    with unit_of_work(runtime.sessions) as session:
        held = session.get(Policy, medical)
        assert held is not None
        held.policyholder_person_id = issued.spouse  # as after a change of policyholder (变更投保人)
    mixed = client.post(
        _family_url(issued.household_id), json={"kind": "address", "address": ADDRESS}, headers=issued.headers
    )
    assert mixed.status_code == 201, mixed.text
    assert [r["policy_id"] for r in mixed.json()["requests"]] == [issued.policy_id]
    assert [s["policy_id"] for s in mixed.json()["skipped"]] == [medical]
    with unit_of_work(runtime.sessions) as session:
        mine = session.get(Policy, issued.policy_id)
        theirs = session.get(Policy, second.policy_id)
        assert mine is not None and theirs is not None
        assert mine.details["address"]["masked"] == "上海市浦东新****"
        assert ADDRESS not in json.dumps(mine.details, ensure_ascii=False)  # kept encrypted
        assert "address" not in theirs.details
        # as after a change of policyholder (变更投保人): the spouse now holds the contract
        mine.policyholder_person_id = issued.spouse
    again = client.post(
        _family_url(issued.household_id), json={"kind": "address", "address": ADDRESS}, headers=issued.headers
    )
    assert again.status_code == 403, again.text  # nothing of the caller's own to change
    assert again.json()["error"]["message_zh"] == "这些保单均须由其投保人本人申请变更"


def test_a_bad_card_changes_no_policy_and_a_stranger_household_is_not_found(
    client: TestClient, runtime: Runtime
) -> None:
    issued = issue(client, runtime)
    bad = client.post(
        _family_url(issued.household_id),
        json={"kind": "payment_account", "account": "6222021234567890129", "debit_authorised": True},  # Luhn fails
        headers=issued.headers,
    )
    assert bad.status_code == 422, bad.text
    with unit_of_work(runtime.sessions) as session:
        kinds = set(session.scalars(select(ServiceRequest.kind)))
        assert "payment_account" not in kinds
    make_family(runtime, username="stranger", seq=7, phone="13800000077")
    stranger = token_for(client, "stranger")
    refused = client.post(
        _family_url(issued.household_id), json={"kind": "address", "address": ADDRESS}, headers=stranger
    )
    assert refused.status_code == 404, refused.text
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(ServiceRequest.id)).where(ServiceRequest.kind == "address")) == 0


def test_a_family_with_no_policy_in_force_is_told_so(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime, username="empty", seq=9, phone="13800000099")
    headers = token_for(client, "empty")
    response = client.post(
        _family_url(family.household_id), json={"kind": "address", "address": ADDRESS}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "policies"
