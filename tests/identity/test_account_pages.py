"""The sign-up, SMS log-in and reset pages (no browser), and the development inbox being off in production."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from jiabao.app import create_app
from jiabao.config import Settings
from jiabao.core.clock import FixedClock
from jiabao.runtime import Runtime, build_runtime
from tests.factories import resident_id
from tests.identity.sms_helpers import last_code

MOBILE = "13698765432"


def csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def test_sign_up_on_the_page_then_sign_in_with_a_code(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    token = csrf(client, "/signup")
    step2 = client.post("/signup/code", data={"mobile": MOBILE, "csrf_token": token})
    assert step2.status_code == 200 and 'data-testid="signup-form"' in step2.text
    form = {"mobile": MOBILE, "code": "000000" if last_code(runtime) != "000000" else "111111", "name": "刘洋",
            "id_number": resident_id(date(1990, 7, 1), "M", 31), "csrf_token": token}  # fmt: skip
    wrong = client.post("/signup", data=form)
    assert wrong.status_code == 422 and "验证码不正确，还可以再试 4 次" in wrong.text
    assert 'data-field="code"' in wrong.text and "刘洋" in wrong.text  # the form keeps what was typed
    done = client.post("/signup", data=form | {"code": last_code(runtime)}, follow_redirects=False)
    assert done.status_code == 303
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "刘洋" in home.text and re.search(r"/households/\d+", str(home.url))
    client.post("/logout", data={"csrf_token": csrf(client, "/login")})
    clock.advance(timedelta(seconds=61))
    token = csrf(client, "/login/sms")
    assert client.post("/login/sms/code", data={"mobile": MOBILE, "csrf_token": token}).status_code == 200
    signed = client.post("/login/sms", data={"mobile": MOBILE, "code": last_code(runtime), "csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert signed.status_code == 303 and signed.headers["location"] == "/"


def test_code_page_shows_the_throttle_in_plain_chinese(client: TestClient, runtime: Runtime) -> None:
    token = csrf(client, "/signup")
    assert client.post("/signup/code", data={"mobile": MOBILE, "csrf_token": token}).status_code == 200
    again = client.post("/signup/code", data={"mobile": MOBILE, "csrf_token": token})
    assert again.status_code == 429 and "秒后再重新获取" in again.text and again.headers["Retry-After"] == "60"
    bad = client.post("/signup/code", data={"mobile": "0101234", "csrf_token": token})
    assert bad.status_code == 422 and "手机号码无效" in bad.text


def test_outbox_lists_messages_with_their_text(client: TestClient, runtime: Runtime) -> None:
    token = csrf(client, "/signup")
    client.post("/signup/code", data={"mobile": MOBILE, "csrf_token": token})
    page = client.get("/dev/outbox")
    assert page.status_code == 200
    assert f"验证码 {last_code(runtime)}" in page.text and "136****5432" in page.text and MOBILE not in page.text


@pytest.mark.parametrize("environment", ["production"])
def test_outbox_is_off_in_production(environment: str, runtime: Runtime, clock: FixedClock) -> None:
    """In production messages go only to the gateways: the development inbox does not exist (404)."""
    settings: Settings = runtime.settings.model_copy(update={"environment": environment, "plain_http": False})
    production = build_runtime(settings, clock=clock)
    try:
        with TestClient(create_app(runtime=production)) as prod:
            response = prod.get("/dev/outbox")
            assert response.status_code == 404
            assert "验证码" not in response.text
    finally:
        production.engine.dispose()


def test_links_in_messages_are_absolute_and_hotline_is_configurable(runtime: Runtime, clock: FixedClock) -> None:
    """JIABAO_BASE_URL makes message links absolute; JIABAO_HOTLINE is shown on the pages."""
    settings = runtime.settings.model_copy(update={"hotline": "400-800-9595", "base_url": "https://jb.example"})
    other = build_runtime(settings, clock=clock)
    try:
        with TestClient(create_app(runtime=other)) as c:
            page = c.get("/login")
            assert "400-800-9595" in page.text and "95xxx" not in page.text
    finally:
        other.engine.dispose()


def test_policy_messages_carry_absolute_links(client: TestClient, runtime: Runtime) -> None:
    """A link in an SMS is tapped outside the site: it must be absolute (JIABAO_BASE_URL + path)."""
    from tests.identity.sms_helpers import sms_bodies
    from tests.policies.flow import issue

    issued = issue(client, runtime)
    base = runtime.settings.base_url
    bodies = [b for b in sms_bodies(runtime) if "/policies/" in b]
    assert bodies and all(f"{base}/policies/{issued.policy_id}" in b for b in bodies)
