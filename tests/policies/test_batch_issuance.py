"""Batch issuance (批量投保出单, issue 16 item 6): a partner's batch gives exactly the policies that one-at-a-time
issuance gives for the same inputs, refuses item by item, and is idempotent per item key.

Two sets of households with the same members (birth dates, sexes, occupations) receive the same applications:
the first set one at a time through the 7 API calls of a sales front end, the second in one batch. Every record
of the issued policies — premiums, insureds and their terms, the instalment schedule, beneficiary designations,
the return-visit task (《人身保险新型产品信息披露管理办法》 electronic return visit within the cooling-off period),
the payment, the ledger journal and its entries, the audit trail and the outbox messages — is compared after
replacing the database ids, policy numbers and keys that necessarily differ.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, make_family, make_user, resident_id
from tests.policies.flow import ACCOUNT, healthy

SPOUSE_BIRTH = date(1987, 6, 1)
CHILD_BIRTH = date(2016, 9, 9)


def _households(runtime: Runtime, offset: int, count: int) -> list[int]:
    """``count`` families (head born 1985, spouse 1987, a child of 10); returns each one's person ids."""
    out = []
    for k in range(count):
        seq = offset + k
        family = make_family(runtime, username=f"u{seq}", seq=seq, phone=f"139{seq:08d}")
        add_member(runtime, family.household_id, name="李娜", relationship="spouse",
                   id_number=resident_id(SPOUSE_BIRTH, "F", seq + 200))  # fmt: skip
        add_member(runtime, family.household_id, name="张小明", relationship="child",
                   id_number=resident_id(CHILD_BIRTH, "M", seq + 200))  # fmt: skip
        out.append(family.household_id)
    return out


def _specs() -> list[dict[str, Any]]:
    """The applications, by member index (0 head, 1 spouse, 2 child)."""
    return [
        {"product_code": "family_ci", "payment_term": 20, "coverage": 30, "frequency": "annual",
         "insureds": [(0, "300000"), (1, "300000")], "beneficiaries": {0: "李娜"}},
        {"product_code": "whole_life", "payment_term": 20, "frequency": "monthly", "insureds": [(1, "200000")]},
        {"product_code": "whole_life", "payment_term": 10, "frequency": "annual", "insureds": [(0, "500000")],
         "beneficiaries": {0: "张小明"}},
        # a child's death cover above the minors' cap (保监发〔2015〕90号: 500,000 for 10-17): refused
        {"product_code": "whole_life", "payment_term": 20, "frequency": "annual", "insureds": [(2, "800000")]},
    ]  # fmt: skip


def _members(client: TestClient, household: int, headers: dict[str, str]) -> list[int]:
    rows = client.get(f"/api/v1/households/{household}/members", headers=headers).json()
    return [r["person_id"] for r in rows]


def _application_body(spec: dict[str, Any], people: list[int]) -> dict[str, Any]:
    body = {k: v for k, v in spec.items() if k not in ("insureds", "beneficiaries")}
    body["insureds"] = [{"person_id": people[i], "sum_assured": amount} for i, amount in spec["insureds"]]
    return body


def _beneficiaries(spec: dict[str, Any], people: list[int]) -> dict[str, Any]:
    return {
        str(people[i]): {"legal_heirs": False, "beneficiaries": [{"name": name, "share": "100"}]}
        for i, name in spec.get("beneficiaries", {}).items()
    }


def _one_at_a_time(client: TestClient, headers: dict[str, str], household: int, spec: dict[str, Any]) -> dict[str, Any]:
    """The 7 calls of a sales front end; returns what was confirmed (by member index) and the outcome."""
    people = _members(client, household, headers)
    started = client.post(f"/api/v1/households/{household}/applications", json=_application_body(spec, people),
                          headers=headers)  # fmt: skip
    if started.status_code != 201:
        return {"refused": started.json()["error"]["code"]}
    app_id = started.json()["id"]
    answers = {}
    for i, _ in spec["insureds"]:
        url = f"/api/v1/applications/{app_id}/insureds/{people[i]}/questionnaire"
        answers[i] = healthy(client.get(url, headers=headers).json()["questions"])
        assert client.post(url, json={"answers": answers[i]}, headers=headers).status_code == 200
    needed = client.get(f"/api/v1/applications/{app_id}/requirements", headers=headers).json()
    confirmation = {
        "consents": [{"person_id": c["person_id"], "kind": c["kind"]} for c in needed["consents"]],
        "disclosures_acknowledged": True,
        "confirm_advice": [f["code"] for f in needed["findings"]],
        "beneficiaries": _beneficiaries(spec, people),
    }
    confirmed = client.post(f"/api/v1/applications/{app_id}/confirm", json=confirmation, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    paid = client.post(f"/api/v1/applications/{app_id}/payments", json={"account": ACCOUNT},
                       headers=headers | {"Idempotency-Key": f"one-at-a-time-{app_id}"})  # fmt: skip
    assert paid.status_code == 201, paid.text
    index = {p: n for n, p in enumerate(people)}
    consents = [{"member": index[c["person_id"]], "kind": c["kind"]} for c in confirmation["consents"]]
    return {"policy_id": paid.json()["policy_id"], "consents": consents, "advice": confirmation["confirm_advice"],
            "answers": answers}  # fmt: skip


def _batch_item(client: TestClient, headers: dict[str, str], household: int, spec: dict[str, Any], key: str,
                confirmed: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """The same application as a partner's batch item: the answers and confirmation given one at a time."""
    people = _members(client, household, headers)
    answers = {str(people[i]): {"answers": confirmed.get("answers", {}).get(i, {})} for i, _ in spec["insureds"]}
    return {
        "key": key,
        "household_id": household,
        "application": _application_body(spec, people),
        "answers": answers,
        "confirmation": {
            "consents": [{"person_id": people[c["member"]], "kind": c["kind"]} for c in confirmed.get("consents", [])],
            "disclosures_acknowledged": True,
            "confirm_advice": confirmed.get("advice", []),
            "beneficiaries": _beneficiaries(spec, people),
        },
        "account": ACCOUNT,
    }


def _snapshot(runtime: Runtime, policy_id: int) -> dict[str, Any]:
    """Every record of one issued policy, with ids, numbers and keys replaced by their role."""
    with runtime.engine.connect() as conn:

        def rows(sql: str, **params: Any) -> list[dict[str, Any]]:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]

        policy = rows("SELECT * FROM policies WHERE id = :p", p=policy_id)[0]
        household, app_id = policy["household_id"], policy["application_id"]
        people = [r["person_id"] for r in rows("SELECT person_id FROM members WHERE household_id = :h ORDER BY id",
                                               h=household)]  # fmt: skip
        payment = rows("SELECT * FROM payments WHERE policy_id = :p", p=policy_id)
        journals = rows("SELECT * FROM ledger_journals WHERE policy_id = :p ORDER BY id", p=policy_id)
        decisions = [r["decision_id"] for r in rows("SELECT decision_id FROM policy_insureds WHERE policy_id = :p",
                                                    p=policy_id)]  # fmt: skip
        ids = {policy["policy_no"]: "policy_no", f"/policies/{policy_id}": "/policies/<id>"}
        audit = [
            r for r in rows("SELECT action, entity, entity_id, actor_role, detail FROM audit_log ORDER BY id")
            if (r["entity"], r["entity_id"]) in {("policy", str(policy_id)), ("application", str(app_id)),
                                                 *(("uw_decision", str(d)) for d in decisions)}
        ]  # fmt: skip
        snapshot = {
            "policy": policy,
            "insureds": rows("SELECT * FROM policy_insureds WHERE policy_id = :p ORDER BY person_id", p=policy_id),
            "beneficiaries": rows(
                "SELECT * FROM beneficiary_designations WHERE policy_id = :p ORDER BY id", p=policy_id
            ),
            "schedule": rows("SELECT * FROM instalments WHERE policy_id = :p ORDER BY seq", p=policy_id),
            "return_visits": rows("SELECT * FROM return_visits WHERE policy_id = :p", p=policy_id),
            "payment": payment,
            "journals": journals,
            "entries": rows("SELECT * FROM ledger_entries WHERE policy_id = :p ORDER BY id", p=policy_id),
            "audit": audit,
            "outbox": [
                r
                for r in rows("SELECT topic, payload FROM outbox ORDER BY id")
                if f"/policies/{policy_id}" in str(r["payload"])
            ],
        }
    return _normalise(snapshot, people, ids)


VOLATILE = {"id", "policy_no", "idempotency_key", "account_enc", "source", "journal_id", "payment_id", "decision_id",
            "entity_id", "link", "policy_id", "application_id"}  # fmt: skip


def _normalise(value: Any, people: list[int], ids: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key.isdigit() and int(key) in people:  # a JSON object keyed by person id
                out[f"member{people.index(int(key))}"] = _normalise(item, people, ids)
            elif key == "instalments" and isinstance(item, list):  # instalment ids in a journal's memo
                out[key] = f"{len(item)} instalments"
            elif key in VOLATILE:
                out[key] = "<id>" if item is not None else None
            elif key.endswith("person_id") or key == "person_id":
                out[key] = f"member{people.index(item)}" if item in people else item
            elif key == "household_id":
                out[key] = "household"
            else:
                out[key] = _normalise(item, people, ids)
        return out
    if isinstance(value, list):
        return [_normalise(v, people, ids) for v in value]
    if isinstance(value, str) and value[:1] in ("{", "["):  # a JSON column read as text (SQLite)
        return _normalise(json.loads(value), people, ids)
    if isinstance(value, str):
        for number, role in ids.items():
            value = value.replace(number, role)
        head, sep, tail = value.partition(":")  # "<person id>:<consent kind>"
        if sep and head.isdigit() and int(head) in people:
            value = f"member{people.index(int(head))}:{tail}"
        return value
    return value


@pytest.fixture
def service_headers(client: TestClient, runtime: Runtime) -> dict[str, str]:
    make_user(runtime, "bulk-service", Role.SERVICE)
    return token_for(client, "bulk-service")


def test_batch_issues_exactly_what_one_at_a_time_issues(
    client: TestClient, runtime: Runtime, service_headers: dict[str, str]
) -> None:
    specs = _specs()
    first = _households(runtime, 1, len(specs))
    second = _households(runtime, 101, len(specs))
    outcomes = [
        _one_at_a_time(client, service_headers, household, spec) for household, spec in zip(first, specs, strict=True)
    ]
    items = [
        _batch_item(client, service_headers, household, spec, f"item-{n}", outcome)
        for n, (household, spec, outcome) in enumerate(zip(second, specs, outcomes, strict=True))
    ]
    response = client.post("/api/v1/applications/batch", json={"items": items}, headers=service_headers)
    assert response.status_code == 200, response.text
    result = response.json()
    assert [r["status"] for r in result["items"]] == ["issued", "issued", "issued", "refused"]
    assert result["issued"] == 3 and result["not_issued"] == 1
    refused = result["items"][3]
    assert refused["error"]["code"] == outcomes[3]["refused"]  # the same refusal as one at a time
    assert refused["application_id"] is None and refused["policy_no"] is None

    for outcome, item in zip(outcomes[:3], result["items"][:3], strict=True):
        batched, single = _snapshot(runtime, item["policy_id"]), _snapshot(runtime, outcome["policy_id"])
        for part in single:
            assert batched[part] == single[part], part
        assert {"application.start", "application.confirm", "policy.issue"} <= {a["action"] for a in single["audit"]}
        assert single["schedule"] and single["return_visits"] and single["entries"] and single["outbox"]
    first_policy = _snapshot(runtime, outcomes[0]["policy_id"])  # the beneficiary given in the confirmation
    assert first_policy["beneficiaries"][0]["beneficiaries"][0]["name"] == "李娜"
    assert len(_snapshot(runtime, outcomes[1]["policy_id"])["schedule"]) == 240  # 20 years monthly
    with runtime.engine.connect() as conn:  # the refused item left nothing behind
        left = conn.execute(text("SELECT count(*) FROM applications WHERE household_id = :h"), {"h": second[3]})
        assert left.scalar_one() == 0

    # Idempotent per item key: sending the batch again issues and charges nothing more.
    with runtime.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*), coalesce(sum(amount), 0) FROM payments")).one()
    again = client.post("/api/v1/applications/batch", json={"items": items[:3]}, headers=service_headers).json()
    assert [r["status"] for r in again["items"]] == ["replayed"] * 3
    assert [r["policy_no"] for r in again["items"]] == [r["policy_no"] for r in result["items"][:3]]
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), coalesce(sum(amount), 0) FROM payments")).one() == before


def test_all_or_nothing_batch_keeps_nothing_when_one_item_is_refused(
    client: TestClient, runtime: Runtime, service_headers: dict[str, str]
) -> None:
    households = _households(runtime, 1, 2)
    spec = _specs()[1]
    one = _one_at_a_time(client, service_headers, households[0], spec)
    good = _batch_item(client, service_headers, households[1], spec, "good-1", one)
    bad = good | {"key": "bad-1", "account": "6222021234567890129"}  # fails the Luhn check
    body = {"items": [good, bad], "all_or_nothing": True}
    result = client.post("/api/v1/applications/batch", json=body, headers=service_headers).json()
    assert [r["status"] for r in result["items"]] == ["rolled_back", "refused"]
    assert result["items"][1]["error"]["fields"][0]["field"] == "account"
    with runtime.engine.connect() as conn:
        kept = conn.execute(text("SELECT count(*) FROM applications WHERE household_id = :h"), {"h": households[1]})
        assert kept.scalar_one() == 0
    # Item by item (the default) the good one is issued, the bad one refused with its reason.
    result = client.post("/api/v1/applications/batch", json={"items": [good, bad]}, headers=service_headers).json()
    assert [r["status"] for r in result["items"]] == ["issued", "refused"]


def test_batch_refuses_bad_items_one_by_one(
    client: TestClient, runtime: Runtime, service_headers: dict[str, str]
) -> None:
    households = _households(runtime, 1, 2)
    spec = _specs()[1]
    one = _one_at_a_time(client, service_headers, households[0], spec)
    item = _batch_item(client, service_headers, households[1], spec, "k-1", one)
    no_answers = item | {"key": "k-2", "answers": {}}
    twice = item | {"key": "k-1"}
    result = client.post(
        "/api/v1/applications/batch", json={"items": [item, no_answers, twice]}, headers=service_headers
    ).json()
    assert [r["status"] for r in result["items"]] == ["issued", "refused", "refused"]
    assert result["items"][1]["error"]["fields"][0]["code"] == "missing"
    assert result["items"][2]["error"]["fields"][0]["code"] == "duplicate"
    # A customer cannot send a partner's batch.
    customer = token_for(client, "u1")
    assert client.post("/api/v1/applications/batch", json={"items": [item]}, headers=customer).status_code == 403
