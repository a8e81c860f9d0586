"""Adding a member does not reveal whether a person is a client (issue 10 item 4; PIPL arts. 4 and 10: whether
someone holds insurance with us is their personal information, never disclosed to a third party who merely knows
their ID number; docs/security.md, "Adding a member").

A customer (or a partner) who submits an ID number gets the same answer — status, body, headers — whether the
number is unknown or belongs to a client in another household, on the API and on the page. The back office then
verifies and, for a known person, obtains their consent before linking them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, make_family, make_user, resident_id
from tests.web.test_pages import csrf, log_in

CLIENT_ID = resident_id(date(1988, 6, 1), "F", 21)  # 王芳, a client in another household
STRANGER_ID = resident_id(date(1988, 6, 1), "F", 22)  # the same birth date and sex, registered nowhere
DERIVED = {"id", "created_at", "id_number_masked"}  # differ per request or come from the submitted number itself


def _setup(runtime: Runtime) -> tuple[int, int]:
    mine = make_family(runtime)
    other = make_family(runtime, name="李强", username="li", seq=7, phone="13712345678")
    add_member(runtime, other.household_id, name="王芳", relationship="spouse", id_number=CLIENT_ID)
    return mine.household_id, other.household_id


def _body(number: str) -> dict[str, Any]:
    return {"name": "王芳", "relationship": "spouse", "id_number": number, "phone": "13698765432"}


def _same(a: Any, b: Any) -> None:
    assert a.status_code == b.status_code
    left, right = a.json(), b.json()
    assert set(left) == set(right)
    assert {k: v for k, v in left.items() if k not in DERIVED} == {k: v for k, v in right.items() if k not in DERIVED}
    skip = {"date", "content-length"}
    assert {k: v for k, v in a.headers.items() if k not in skip} == {
        k: v for k, v in b.headers.items() if k not in skip
    }


def test_the_api_answers_the_same_for_a_client_and_a_stranger(client: TestClient, runtime: Runtime) -> None:
    household, other = _setup(runtime)
    headers = token_for(client, "zhang")
    url = f"/api/v1/households/{household}/members"
    stranger = client.post(url, json=_body(STRANGER_ID), headers=headers)
    known = client.post(url, json=_body(CLIENT_ID), headers=headers)
    assert stranger.status_code == 202, stranger.text  # before: the client's number answered 409 person_exists
    _same(stranger, known)
    assert stranger.json()["status"] == "pending" and "核验" in stranger.json()["message_zh"]
    # neither is a member yet; the household sees two pending requests, alike
    members = client.get(url, headers=headers).json()
    assert [m["name"] for m in members] == ["张伟"]
    listed = client.get(f"/api/v1/households/{household}/membership-requests", headers=headers).json()
    assert [r["status"] for r in listed] == ["pending", "pending"]
    assert {k: v for k, v in listed[0].items() if k not in DERIVED} == {
        k: v for k, v in listed[1].items() if k not in DERIVED
    }
    # the number's owner's records were not touched, nor read into the answer
    assert "李强" not in stranger.text + known.text and known.json()["household_id"] == household != other


def test_a_partner_gets_the_same_answer_too(client: TestClient, runtime: Runtime) -> None:
    partner = make_user(runtime, "agent", Role.PARTNER)
    mine = make_family(runtime, partner_id=partner.user_id)
    other = make_family(runtime, name="李强", username="li", seq=7, phone="13712345678")
    add_member(runtime, other.household_id, name="王芳", relationship="spouse", id_number=CLIENT_ID)
    headers = token_for(client, "agent")
    url = f"/api/v1/households/{mine.household_id}/members"
    _same(
        client.post(url, json=_body(STRANGER_ID), headers=headers),
        client.post(url, json=_body(CLIENT_ID), headers=headers),
    )


def test_the_page_answers_the_same_for_a_client_and_a_stranger(client: TestClient, runtime: Runtime) -> None:
    household, _other = _setup(runtime)
    log_in(client, "zhang")

    def submit(number: str) -> Any:
        form = _body(number) | {"id_type": "resident_id", "csrf_token": csrf(client, f"/households/{household}")}
        return client.post(f"/households/{household}/members", data=form, follow_redirects=False)

    stranger, known = submit(STRANGER_ID), submit(CLIENT_ID)
    assert stranger.status_code == known.status_code == 303
    assert stranger.headers["location"] == known.headers["location"] == f"/households/{household}?requested=1"
    page = client.get(known.headers["location"])
    assert "已收到添加家庭成员的申请" in page.text and "已登记" not in page.text
    htmx = {"HX-Request": "true", "X-CSRF-Token": csrf(client, f"/households/{household}")}
    a = client.post(f"/households/{household}/members", data=_body(STRANGER_ID), headers=htmx)
    b = client.post(f"/households/{household}/members", data=_body(CLIENT_ID), headers=htmx)
    assert (a.status_code, a.headers["HX-Redirect"], a.text) == (b.status_code, b.headers["HX-Redirect"], b.text)


def test_the_back_office_verifies_then_adds_or_links(client: TestClient, runtime: Runtime) -> None:
    """The officer sees which person is already a client (to obtain their consent), then approves or rejects; the
    family sees only the neutral outcome."""
    household, other = _setup(runtime)
    headers = token_for(client, "zhang")
    url = f"/api/v1/households/{household}/members"
    stranger = client.post(url, json=_body(STRANGER_ID) | {"relationship": "sibling"}, headers=headers).json()
    known = client.post(url, json=_body(CLIENT_ID), headers=headers).json()
    make_user(runtime, "svc", Role.SERVICE)
    staff = token_for(client, "svc")
    assert client.get("/api/v1/membership-requests", headers=headers).status_code == 403
    queue = client.get("/api/v1/membership-requests", headers=staff).json()
    owner = client.get(f"/api/v1/households/{other}/members", headers=staff).json()
    client_person = next(m["person_id"] for m in owner if m["name"] == "王芳")
    assert [(q["request"]["id"], q["known_person_id"]) for q in queue] == [
        (stranger["id"], None), (known["id"], client_person)]  # fmt: skip
    added = client.post(f"/api/v1/membership-requests/{stranger['id']}/decision", json={"approve": True}, headers=staff)
    assert added.status_code == 200 and added.json()["status"] == "approved"
    linked = client.post(f"/api/v1/membership-requests/{known['id']}/decision",
                         json={"approve": True, "note": "本人到柜面确认同意"}, headers=staff)  # fmt: skip
    assert linked.status_code == 200
    members = client.get(url, headers=headers).json()
    assert len(members) == 3 and client_person in {m["person_id"] for m in members}  # the same person, linked
    again = client.post(f"/api/v1/membership-requests/{known['id']}/decision", json={"approve": False}, headers=staff)
    assert again.status_code == 409
    third = client.post(url, json=_body(resident_id(date(1958, 6, 1), "F", 23)) | {"relationship": "parent"},
                        headers=headers).json()  # fmt: skip
    refused = client.post(f"/api/v1/membership-requests/{third['id']}/decision", json={"approve": False}, headers=staff)
    assert refused.json()["status"] == "rejected" and "未能完成身份核验" in refused.json()["message_zh"]


def test_staff_at_the_counter_still_add_at_once_and_own_members_are_named(client: TestClient, runtime: Runtime) -> None:
    household, _other = _setup(runtime)
    make_user(runtime, "svc", Role.SERVICE)
    url = f"/api/v1/households/{household}/members"
    child = {"name": "张小宝", "relationship": "child", "id_number": resident_id(date(2016, 9, 9), "M", 3)}
    added = client.post(url, json=child, headers=token_for(client, "svc"))
    assert added.status_code == 201 and added.json()["name"] == "张小宝"
    # a person already in the caller's own household: the caller sees them anyway, so this may be said
    again = client.post(url, json=child, headers=token_for(client, "zhang"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_member"
    assert re.search("本家庭成员", again.text)
