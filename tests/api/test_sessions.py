"""Sessions and log-in (issue 10, item 5): server-side logout, throttling with growing delays and a temporary lock,
failed log-ins audited on the page and the API, the owner told of a lock, and a Secure cookie by default."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.app import create_app
from jiabao.core.clock import FixedClock
from jiabao.db.audit import AuditEntry
from jiabao.db.outbox import OutboxMessage
from jiabao.runtime import Runtime
from tests.factories import PASSWORD, make_family


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def _page_login(client: TestClient, username: str, password: str = PASSWORD) -> int:
    data = {"username": username, "password": password, "csrf_token": _csrf(client)}
    return client.post("/login", data=data, follow_redirects=False).status_code


def _api_login(client: TestClient, username: str, password: str = PASSWORD) -> object:
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def _audits(runtime: Runtime, action: str) -> list[AuditEntry]:
    with runtime.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_logout_ends_the_session_on_the_server(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    assert _page_login(client, "zhang") == 303
    cookie = client.cookies.get("jiabao_session")
    assert client.get("/", follow_redirects=False).status_code == 303  # to the household
    assert client.get("/households", follow_redirects=False).status_code == 200
    client.post("/logout", headers={"x-csrf-token": _csrf(client)}, follow_redirects=False)
    client.cookies.clear()
    client.cookies.set("jiabao_session", cookie)  # the attacker replays the copied cookie
    replayed = client.get("/households", follow_redirects=False)
    assert replayed.status_code == 303 and replayed.headers["location"] == "/login"


def test_api_lock_after_repeated_failures_tells_the_owner(
    client: TestClient, runtime: Runtime, clock: FixedClock
) -> None:
    make_family(runtime)
    limit = runtime.settings.login_max_failures
    for attempt in range(limit):
        response = _api_login(client, "zhang", "wrong-password")
        if response.status_code == 429:  # growing delay: wait it out, the failure still counts
            clock.advance(timedelta(seconds=int(response.headers["Retry-After"])))
            response = _api_login(client, "zhang", "wrong-password")
        assert response.status_code == 401, (attempt, response.text)
    locked = _api_login(client, "zhang")  # even the right password is refused while locked
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "login_locked"
    assert int(locked.headers["Retry-After"]) > 60
    assert len(_audits(runtime, "auth.account_locked")) == 1
    with runtime.sessions() as session:
        messages = session.scalars(select(OutboxMessage)).all()
    assert [m.payload["kind"] for m in messages].count("account_locked") == 1
    clock.advance(timedelta(seconds=runtime.settings.login_lock_seconds + 1))
    assert _api_login(client, "zhang").status_code == 200


def test_delays_grow_after_the_free_failures(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    make_family(runtime)
    waits = []
    for _ in range(4):
        response = _api_login(client, "zhang", "wrong-password")
        while response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            clock.advance(timedelta(seconds=waits[-1]))
            response = _api_login(client, "zhang", "wrong-password")
    probe = _api_login(client, "zhang")  # even the right password must wait
    assert probe.status_code == 429 and probe.json()["error"]["code"] == "login_slow_down"
    waits.append(int(probe.headers["Retry-After"]))
    assert waits == [2, 4]


def test_per_address_limit_across_accounts(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    limit = runtime.settings.login_max_failures * 4
    statuses = []
    for n in range(limit + 1):
        clock.advance(timedelta(seconds=61))  # no per-account delay: a different name every time anyway
        statuses.append(_api_login(client, f"nobody{n}", "x").status_code)
    assert statuses[:limit] == [401] * limit and statuses[-1] == 429
    assert len(_audits(runtime, "auth.address_locked")) == 1


def test_failed_logins_audited_on_page_and_api(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    assert _page_login(client, "zhang", "wrong") == 401
    assert _api_login(client, "zhang", "wrong").status_code == 401  # the API's own transaction rolls back
    assert _page_login(client, "", "") == 401  # empty form: still audited
    channels = [entry.detail["channel"] for entry in _audits(runtime, "auth.login_failed")]
    assert channels == ["page", "api", "page"]
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) >= 3


def test_session_cookie_is_secure_unless_plain_http(runtime: Runtime) -> None:
    make_family(runtime)
    for plain_http, expect_secure in ((False, True), (True, False)):
        runtime.settings = runtime.settings.model_copy(update={"plain_http": plain_http})
        with TestClient(create_app(runtime=runtime), base_url="https://testserver") as c:
            data = {"username": "zhang", "password": PASSWORD, "csrf_token": _csrf(c)}
            response = c.post("/login", data=data, follow_redirects=False)
            cookie = response.headers["set-cookie"].lower()
            assert response.status_code == 303 and cookie.startswith("jiabao_session=")
            assert ("; secure" in cookie) is expect_secure
