"""SMS verification codes (issue 11, item 6): hashed, 5-minute expiry, limited attempts, 60-second resend
throttle, password reset, everything audited.

The rules follow the industry's practice for 短信验证码 (and MIIT's guidance against SMS bombing): a code is
random, short-lived and single-use; a number cannot be flooded; a wrong guess counts even though the request that
carried it fails. Personal Information Protection Law art. 51: the mobile number is stored encrypted with a blind
index, never in clear, and nothing in the audit log or the code table reveals it or the code.
"""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.clock import FixedClock
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.identity.models import SmsCode, User
from jiabao.runtime import Runtime
from tests.factories import resident_id
from tests.identity.sms_helpers import last_code, sms_bodies

MOBILE = "13912345678"


def _code(client: TestClient, purpose: str, mobile: str = MOBILE) -> int:
    return client.post("/api/v1/auth/sms/code", json={"mobile": mobile, "purpose": purpose}).status_code


def _signup(client: TestClient, runtime: Runtime, mobile: str = MOBILE, seq: int = 7) -> dict[str, object]:
    assert _code(client, "signup", mobile) == 202
    body = {
        "mobile": mobile,
        "code": last_code(runtime),
        "name": "王芳",
        "id_number": resident_id(date(1988, 2, 3), "F", seq),
        "password": "a-good-password",
    }
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _actions(runtime: Runtime) -> list[str]:
    with unit_of_work(runtime.sessions) as session:
        return [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_signup_checks_the_resident_id_and_stores_the_mobile_encrypted(client: TestClient, runtime: Runtime) -> None:
    """GB 11643-1999: a wrong check digit is refused on the field, the code is not spent; the sign-up then opens
    a family account headed by the person, with the mobile encrypted (PIPL art. 51) and masked on display."""
    assert _code(client, "signup") == 202
    code = last_code(runtime)
    good = resident_id(date(1988, 2, 3), "F", 7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    body = {"mobile": MOBILE, "code": code, "name": "王芳", "id_number": bad}
    refused = client.post("/api/v1/auth/signup", json=body)
    assert refused.status_code == 422, refused.text
    assert [f["field"] for f in refused.json()["error"]["fields"]] == ["id_number"], refused.text
    created = client.post("/api/v1/auth/signup", json=body | {"id_number": good})
    assert created.status_code == 201, created.text
    token = created.json()["access_token"]
    households = client.get("/api/v1/households", headers={"Authorization": f"Bearer {token}"}).json()
    assert len(households) == 1
    with unit_of_work(runtime.sessions) as session:
        user = session.scalars(select(User).where(User.role == "customer")).one()
        assert user.mobile_masked == "139****5678"
        assert user.mobile_enc and MOBILE.encode() not in user.mobile_enc
        assert MOBILE not in user.username and user.person_id is not None
        stored = session.scalars(select(SmsCode)).all()
        assert all(code not in row.code_hash and len(row.code_hash) == 64 for row in stored)
    assert "auth.signup" in _actions(runtime)
    # The same number cannot sign up twice; a second sign-up request is answered by a notice, not a code.
    runtime.clock.advance(timedelta(seconds=61))  # type: ignore[attr-defined]
    assert _code(client, "signup") == 202
    assert "已注册" in sms_bodies(runtime)[-1] and "验证码 " not in sms_bodies(runtime)[-1]


def test_code_expires_after_five_minutes(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    _signup(client, runtime)
    clock.advance(timedelta(seconds=60))
    assert _code(client, "login") == 202
    code = last_code(runtime)
    clock.advance(timedelta(minutes=5, seconds=1))
    late = client.post("/api/v1/auth/sms/token", json={"mobile": MOBILE, "code": code})
    assert late.status_code == 422 and late.json()["error"]["code"] == "sms_code_expired"
    assert _code(client, "login") == 202
    fresh = client.post("/api/v1/auth/sms/token", json={"mobile": MOBILE, "code": last_code(runtime)})
    assert fresh.status_code == 200 and fresh.json()["user"]["role"] == "customer"
    # Used once: the same code does not log in again.
    again = client.post("/api/v1/auth/sms/token", json={"mobile": MOBILE, "code": last_code(runtime)})
    assert again.status_code == 422 and again.json()["error"]["code"] == "sms_code_expired"


def test_wrong_entries_are_counted_and_use_the_code_up(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    """Five wrong entries (committed although each request fails) and even the right code no longer works."""
    _signup(client, runtime)
    clock.advance(timedelta(seconds=61))
    assert _code(client, "login") == 202
    code = last_code(runtime)
    wrong = "000000" if code != "000000" else "111111"
    left = []
    for _ in range(5):
        r = client.post("/api/v1/auth/sms/token", json={"mobile": MOBILE, "code": wrong})
        assert r.status_code == 422
        left.append(r.json()["error"]["code"])
    assert left == ["sms_code_wrong"] * 4 + ["sms_code_used_up"]
    right = client.post("/api/v1/auth/sms/token", json={"mobile": MOBILE, "code": code})
    assert right.status_code == 422 and right.json()["error"]["code"] == "sms_code_expired"
    assert _actions(runtime).count("sms.code_failed") == 6


def test_resend_is_throttled_for_sixty_seconds(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    """One code per number per minute (429 with Retry-After); a newer code replaces the older one (the old one
    is then simply a wrong code)."""
    assert _code(client, "signup") == 202
    first = last_code(runtime)
    clock.advance(timedelta(seconds=30))
    refused = client.post("/api/v1/auth/sms/code", json={"mobile": MOBILE, "purpose": "signup"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "30"
    assert len(sms_bodies(runtime)) == 1
    clock.advance(timedelta(seconds=30))
    assert _code(client, "signup") == 202
    second = last_code(runtime)
    body = {"mobile": MOBILE, "name": "王芳", "id_number": resident_id(date(1988, 2, 3), "F", 7)}
    if first != second:
        old = client.post("/api/v1/auth/signup", json=body | {"code": first})
        assert old.status_code == 422 and old.json()["error"]["code"] == "sms_code_wrong"
    assert client.post("/api/v1/auth/signup", json=body | {"code": second}).status_code == 201


def test_daily_limit_per_number(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    for _ in range(10):
        assert _code(client, "signup") == 202
        clock.advance(timedelta(seconds=61))
    refused = client.post("/api/v1/auth/sms/code", json={"mobile": MOBILE, "purpose": "signup"})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "sms_daily_limit"
    clock.advance(timedelta(hours=24))
    assert _code(client, "signup") == 202


def test_unknown_number_gets_the_same_answer_and_no_sms(client: TestClient, runtime: Runtime) -> None:
    """No enumeration: asking a login or reset code for a number without an account answers 202 and sends nothing."""
    assert _code(client, "login", "13700000000") == 202
    assert _code(client, "reset", "13700000000") == 202
    assert sms_bodies(runtime) == []
    bad = client.post("/api/v1/auth/sms/code", json={"mobile": "12345", "purpose": "login"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "mobile"


def test_password_reset_by_code_ends_old_tokens(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    signed = _signup(client, runtime)
    old = {"Authorization": f"Bearer {signed['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=old).status_code == 200
    clock.advance(timedelta(seconds=61))
    assert _code(client, "reset") == 202
    short = client.post("/api/v1/auth/password/reset", json={"mobile": MOBILE, "code": last_code(runtime),
                                                              "password": "short"})  # fmt: skip
    assert short.status_code == 422 and short.json()["error"]["fields"][0]["field"] == "password"
    done = client.post(
        "/api/v1/auth/password/reset",
        json={"mobile": MOBILE, "code": last_code(runtime), "password": "a-new-password-2026"},
    )
    assert done.status_code == 204
    assert client.get("/api/v1/auth/me", headers=old).status_code == 401
    # The mobile number works as the user name for the password log-in.
    token = client.post("/api/v1/auth/token", json={"username": MOBILE, "password": "a-new-password-2026"})
    assert token.status_code == 200
    assert "已重置" in sms_bodies(runtime)[-1]
    assert "auth.password_reset" in _actions(runtime)


def test_audit_entries_carry_only_the_masked_number(client: TestClient, runtime: Runtime) -> None:
    _signup(client, runtime)
    with unit_of_work(runtime.sessions) as session:
        entries = session.scalars(select(AuditEntry)).all()
        assert entries
        assert all(MOBILE not in str(e.detail) and MOBILE not in e.entity_id for e in entries)
        assert any(e.action == "sms.code_sent" and e.detail.get("mobile") == "139****5678" for e in entries)
