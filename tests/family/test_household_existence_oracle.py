"""Opening a household does not reveal whether the head is a client (docs/security.md, "Opening a household";
PIPL arts. 4 and 10: whether someone holds insurance with us is their personal information, not to be disclosed to
a third party who merely knows their ID number).

A partner opening a household gets 201 and the same body shape whether the head's number is new or belongs to a
client; for a client, the head is a provisional record made only of what the partner submitted, nothing of the
client is attached, and a head-link request waits for the back office, which verifies and links (or rejects).
Staff at the counter, who verify identity and may search by ID number anyway, are still told (409) and find the
client through the normal search."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.family.models import Household, Person
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_family, make_user, resident_id

CLIENT_ID = resident_id(date(1980, 5, 5), "M", 31)  # 李强, head of a household with a mobile on file
STRANGER_ID = resident_id(date(1980, 5, 5), "M", 32)  # the same birth date and sex, registered nowhere
# differ per request, or come from the submitted number itself (the caller typed it)
IDS = {"id", "account_no", "head_person_id", "person_id", "member_id", "id_number_masked"}


def _head(number: str) -> dict[str, Any]:
    return {"head": {"name": "李强", "id_number": number, "phone": "13900001111"}}


def _shape(value: Any) -> Any:
    """The answer with the per-request identifiers left out."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k not in IDS}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return value


def _setup(client: TestClient, runtime: Runtime) -> tuple[dict[str, str], int]:
    make_user(runtime, "agent", Role.PARTNER)
    client_family = make_family(runtime, name="李强", birth=date(1980, 5, 5), seq=31, username="li",
                                phone="13712345678")  # fmt: skip
    return token_for(client, "agent"), client_family.household_id


def test_a_partner_gets_the_same_answer_for_a_client_and_a_stranger(client: TestClient, runtime: Runtime) -> None:
    partner, client_household = _setup(client, runtime)
    stranger = client.post("/api/v1/households", json=_head(STRANGER_ID), headers=partner)
    known = client.post("/api/v1/households", json=_head(CLIENT_ID), headers=partner)
    # before: the client's number answered 409 person_exists, telling the partner that 李强 is a client
    assert stranger.status_code == known.status_code == 201, known.text
    assert _shape(stranger.json()) == _shape(known.json())
    skip = {"date", "content-length"}
    assert {k: v for k, v in stranger.headers.items() if k not in skip} == {
        k: v for k, v in known.headers.items() if k not in skip
    }
    # nothing of the client is attached: the head is a new record of what the partner submitted
    body = known.json()
    head = body["members"][0]
    assert head["phone_masked"] != "137****5678" and head["phone_masked"].startswith("139")
    with unit_of_work(runtime.sessions) as session:
        client_head = session.scalars(select(Household.head_person_id).where(Household.id == client_household)).one()
    assert body["head_person_id"] != client_head and client_household != body["id"]
    for path in ("", "/members", "/membership-requests"):  # the partner's views of the two households match
        a = client.get(f"/api/v1/households/{stranger.json()['id']}{path}", headers=partner)
        b = client.get(f"/api/v1/households/{body['id']}{path}", headers=partner)
        assert a.status_code == b.status_code == 200 and _shape(a.json()) == _shape(b.json()), path
    assert client.get(f"/api/v1/households/{client_household}", headers=partner).status_code == 404
    # nor can the partner look the number up another way: search by ID is for staff only
    assert client.get("/api/v1/households/search", params={"q": CLIENT_ID}, headers=partner).status_code == 403


def test_staff_are_told_and_find_the_client_through_search(client: TestClient, runtime: Runtime) -> None:
    _partner, client_household = _setup(client, runtime)
    make_user(runtime, "svc", Role.SERVICE)
    staff = token_for(client, "svc")
    refused = client.post("/api/v1/households", json=_head(CLIENT_ID), headers=staff)
    # the counter verifies identity and may search by ID anyway: the direct answer stays (and is no oracle)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "person_exists"
    found = client.get("/api/v1/households/search", params={"q": CLIENT_ID}, headers=staff).json()
    assert [h["id"] for h in found] == [client_household]
    partner = token_for(client, "agent")
    client.post("/api/v1/households", json=_head(CLIENT_ID), headers=partner)  # a provisional head: unsearchable
    again = client.get("/api/v1/households/search", params={"q": CLIENT_ID}, headers=staff).json()
    assert [h["id"] for h in again] == [client_household]


def test_the_back_office_links_the_client_as_head_or_rejects(client: TestClient, runtime: Runtime) -> None:
    partner, client_household = _setup(client, runtime)
    opened = client.post("/api/v1/households", json=_head(CLIENT_ID), headers=partner).json()
    provisional = opened["head_person_id"]
    make_user(runtime, "svc", Role.SERVICE)
    staff = token_for(client, "svc")
    queue = client.get("/api/v1/membership-requests", headers=staff).json()
    with unit_of_work(runtime.sessions) as session:
        client_head = session.scalars(select(Household.head_person_id).where(Household.id == client_household)).one()
    assert [(q["request"]["household_id"], q["request"]["relationship"], q["known_person_id"]) for q in queue] == [
        (opened["id"], "self", client_head)
    ]
    request_id = queue[0]["request"]["id"]
    linked = client.post(f"/api/v1/membership-requests/{request_id}/decision",
                         json={"approve": True, "note": "本人到柜面确认同意"}, headers=staff)  # fmt: skip
    assert linked.status_code == 200 and linked.json()["status"] == "approved"
    after = client.get(f"/api/v1/households/{opened['id']}", headers=partner).json()
    assert after["head_person_id"] == client_head  # the verified client is now the head
    assert [m["person_id"] for m in after["members"]] == [client_head]
    with unit_of_work(runtime.sessions) as session:
        assert session.get(Person, provisional) is None  # the provisional record is gone
    # a second opening, rejected: the household keeps its provisional head; the client's records are untouched
    second = client.post("/api/v1/households", json=_head(CLIENT_ID), headers=partner).json()
    pending = client.get("/api/v1/membership-requests", headers=staff).json()
    rejected = client.post(f"/api/v1/membership-requests/{pending[0]['request']['id']}/decision",
                           json={"approve": False}, headers=staff)  # fmt: skip
    assert rejected.json()["status"] == "rejected"
    kept = client.get(f"/api/v1/households/{second['id']}", headers=partner).json()
    assert kept["head_person_id"] == second["head_person_id"] != client_head
