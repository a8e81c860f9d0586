"""A home for every role (issue 11, item 7): every role logs in on the page and lands on a working home — status
200, its queues present, no raw code or English on a Chinese page — and the actuary's home is no longer a 403."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.identity.models import User
from jiabao.runtime import Runtime
from tests.factories import PASSWORD, make_family, make_user

QUEUES = {
    "underwriter": ["referrals", "reinstatements"],
    "claims": ["claims_referred", "claims_advance"],
    "service": ["callbacks", "return_visits", "complaints"],
    "actuary": ["valuation"],
    "admin": ["referrals", "claims_referred", "callbacks", "screening_cases", "valuation"],
    "auditor": ["screening_cases", "valuation"],
}
FIGURES = {
    "service": ["servicing_online_rate", "return_visit_success"],
    "claims": ["claims_online_rate", "claims_straight_through_share"],
    "underwriter": ["smart_uw_stp_share"],
}
RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:work|admin|role|callback|elderly)\.[a-z_.]+")
"""A raw code (``claims_referred``) or an untranslated text key (``work.queue.x``) in the visible text."""


def csrf(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def log_in(client: TestClient, username: str) -> None:
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf(client)},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def english_words(text: str) -> list[str]:
    allowed = {"UTC", "Jiabao", "English", "ICD", "E"}
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in allowed]


@pytest.mark.parametrize("role", ["customer", "partner", *QUEUES, "risk"])
def test_every_role_lands_on_a_working_home(client: TestClient, runtime: Runtime, role: str) -> None:
    if role == "customer":
        make_family(runtime, username="customer")
    else:
        make_user(runtime, role, Role(role))
    log_in(client, role)
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200, (role, home.status_code, str(home.url))
    # The factory names staff users after their role (their display name) and the default hotline is "95xxx".
    text = visible_text(home.text).replace(role, "").replace(runtime.settings.hotline, "")
    assert not RAW.findall(text), (role, RAW.findall(text))
    assert not english_words(text), (role, english_words(text)[:10])
    for key in QUEUES.get(role, []):
        assert f'data-testid="queue-{key}"' in home.text, (role, key)
    for code in FIGURES.get(role, []):
        assert f'data-testid="figure-{code}"' in home.text, (role, code)
    if role in QUEUES:
        assert str(home.url).endswith("/work")
    # English mode has no Chinese left in the page texts (the names of people aside).
    client.post("/preferences", data={"language": "en", "csrf_token": csrf(client, "/")})
    english = client.get("/", follow_redirects=True)
    assert english.status_code == 200 and 'lang="en"' in english.text


def test_admin_manages_users_and_every_change_is_audited(client: TestClient, runtime: Runtime) -> None:
    make_user(runtime, "admin", Role.ADMIN)
    log_in(client, "admin")
    token = csrf(client, "/admin/users")
    created = client.post("/admin/users", data={"username": "li.hebao", "display_name": "李核保", "role": "underwriter",
                                                "password": "long-enough-1", "csrf_token": token},
                          follow_redirects=False)  # fmt: skip
    assert created.status_code == 303
    bad = client.post("/admin/users", data={"username": "x", "display_name": "", "role": "customer",
                                            "password": "short", "csrf_token": token})  # fmt: skip
    assert bad.status_code == 422 and 'data-field="username"' in bad.text
    with unit_of_work(runtime.sessions) as session:
        uid = session.scalars(select(User.id).where(User.username == "li.hebao")).one()
    # The new underwriter can log in; a role change ends their session (new permissions at once).
    other = TestClient(client.app)
    r = other.post("/login", data={"username": "li.hebao", "password": "long-enough-1", "csrf_token": csrf(other)},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert other.get("/work").status_code == 200
    assert client.post(f"/admin/users/{uid}", data={"role": "claims", "csrf_token": token}).status_code == 200
    assert other.get("/work", follow_redirects=False).headers.get("location") == "/login"
    assert client.post(f"/admin/users/{uid}", data={"active": "off", "csrf_token": token}).status_code == 200
    r = other.post("/login", data={"username": "li.hebao", "password": "long-enough-1", "csrf_token": csrf(other)})
    assert r.status_code == 401
    with unit_of_work(runtime.sessions) as session:
        user = session.get(User, uid)
        assert user is not None and user.role == "claims" and not user.active
        actions = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.entity_id == str(uid)))]
    assert actions.count("admin.user_changed") == 2 and "admin.user_created" in actions


def test_users_page_is_for_admins_only(client: TestClient, runtime: Runtime) -> None:
    make_user(runtime, "service", Role.SERVICE)
    log_in(client, "service")
    assert client.get("/admin/users").status_code == 403


def test_call_me_back_reaches_the_service_queue(client: TestClient, runtime: Runtime) -> None:
    """Elderly mode: the simplified home's call-back button is a task for service staff, due in 4 hours."""
    make_family(runtime, username="customer")
    with unit_of_work(runtime.sessions) as session:
        user = session.scalars(select(User).where(User.username == "customer")).one()
        user.elderly_mode = True
    make_user(runtime, "service", Role.SERVICE)
    log_in(client, "customer")
    home = client.get("/", follow_redirects=True)
    assert str(home.url).endswith("/elderly") and home.text.count('class="button"') >= 3
    assert 'data-testid="task-callback"' in home.text and "ICD" not in home.text
    token = csrf(client, "/elderly")
    asked = client.post("/callbacks", data={"topic": "elderly_help", "csrf_token": token})
    assert asked.status_code == 200 and 'data-testid="callback-pending"' in asked.text
    client.post("/callbacks", data={"topic": "elderly_help", "csrf_token": token})  # twice: still one task
    staff = TestClient(client.app)
    log_in(staff, "service")
    queue = staff.get("/callbacks")
    assert queue.status_code == 200 and queue.text.count('data-testid="callback"') == 1 and "长辈" in queue.text
    work = staff.get("/work")
    assert re.search(r'data-testid="queue-callbacks".*?<strong data-testid="queue-count">1</strong>', work.text, re.S)
    runtime.clock.advance(timedelta(hours=5))  # type: ignore[attr-defined]
    late = staff.get("/work")
    assert 'data-testid="queue-overdue"' in late.text
