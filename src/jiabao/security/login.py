"""Log-in throttling and auditing (issue 10, item 5), the same for the page and the API.

Per account and per client address, failures are counted: from the third failure on, the next attempt must
wait a growing delay (2, 4, 8 … seconds, capped at a minute); at ``login_max_failures`` the account is locked for
``login_lock_seconds`` (the address at four times as many failures) and the account's owner is sent a message.
Every failure, delay and lock is written to the audit log in its own transaction, so it is kept even though the
request itself fails. A success clears the account's and the address's counters.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jiabao.core.errors import JiabaoError, NotAuthenticated
from jiabao.db import audit
from jiabao.db.outbox import enqueue
from jiabao.identity import repository as users
from jiabao.identity import service as identity
from jiabao.identity.models import User
from jiabao.identity.service import Credentials
from jiabao.security.models import LoginThrottle

FREE_FAILURES = 2
MAX_DELAY_SECONDS = 60
ADDRESS_FACTOR = 4


class TooManyAttempts(JiabaoError):
    status = 429
    default_code = "too_many_attempts"
    default_zh = "尝试次数过多，请稍后再试"
    default_en = "Too many attempts; please wait and try again"

    @property
    def retry_after(self) -> int:
        return int(self.extra.get("retry_after", 1))


@dataclass(frozen=True)
class LoginPolicy:
    secret: bytes
    max_failures: int
    lock_seconds: int


def _key(policy: LoginPolicy, scope: str, value: str) -> str:
    return hmac.new(policy.secret, f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def _row(session: Session, policy: LoginPolicy, scope: str, value: str) -> LoginThrottle | None:
    stmt = select(LoginThrottle).where(
        LoginThrottle.scope == scope, LoginThrottle.key_hash == _key(policy, scope, value)
    )
    return session.scalars(stmt).first()


def _wait(row: LoginThrottle | None, now: datetime) -> int:
    """Seconds before the next attempt is allowed (0: now)."""
    if row is None:
        return 0
    if row.locked_until is not None and row.locked_until > now:
        return max(1, int((row.locked_until - now).total_seconds() + 0.999))
    if row.failures <= FREE_FAILURES:
        return 0
    delay = min(2 ** (row.failures - FREE_FAILURES), MAX_DELAY_SECONDS)
    ready = row.last_failure_at + timedelta(seconds=delay)
    return max(0, int((ready - now).total_seconds() + 0.999))


def _refusal(wait: int, locked: bool) -> TooManyAttempts:
    if locked:
        return TooManyAttempts(
            f"Too many failed log-ins: locked; try again in {wait} seconds",
            f"登录失败次数过多，已临时锁定，请 {max(1, wait // 60)} 分钟后再试",
            code="login_locked",
            extra={"retry_after": wait},
        )
    return TooManyAttempts(
        f"Please wait {wait} seconds before trying again",
        f"请等待 {wait} 秒后再试",
        code="login_slow_down",
        extra={"retry_after": wait},
    )


def log_in(
    sessions: sessionmaker[Session],
    session: Session,
    policy: LoginPolicy,
    *,
    username: str,
    password: str,
    address: str,
    channel: str,
    now: datetime,
    resolve: Callable[[str], str | None] | None = None,
) -> User:
    """Throttle, authenticate and audit one log-in attempt. Raises TooManyAttempts (429) or NotAuthenticated.

    ``resolve`` maps what was typed to a username when it is not one (a registered mobile number), so the
    account's counters are the same whichever way it is named."""
    username = username.strip()
    if resolve is not None and users.by_username(session, username) is None:
        username = resolve(username) or username
    for scope, value in (("account", username.lower()), ("address", address)):
        row = _row(session, policy, scope, value)
        wait = _wait(row, now)
        if wait:
            locked = row is not None and row.locked_until is not None and row.locked_until > now
            _record_failure(sessions, policy, username, address, channel, now, reason=f"{scope}_throttled")
            raise _refusal(wait, locked)
    try:
        user = identity.authenticate(session, Credentials(username=username, password=password), now=now)
    except NotAuthenticated:
        session.rollback()
        _record_failure(sessions, policy, username, address, channel, now, reason="bad_credentials")
        raise
    except ValueError as exc:  # pydantic: empty or over-long username/password
        session.rollback()
        _record_failure(sessions, policy, username[:60], address, channel, now, reason="invalid_input")
        raise NotAuthenticated("Wrong username or password", "用户名或密码错误", code="bad_credentials") from exc
    for scope, value in (("account", username.lower()), ("address", address)):
        row = _row(session, policy, scope, value)
        if row is not None:
            session.delete(row)
    return user


def _record_failure(
    sessions: sessionmaker[Session],
    policy: LoginPolicy,
    username: str,
    address: str,
    channel: str,
    now: datetime,
    *,
    reason: str,
) -> None:
    """In its own transaction (committed even though the request fails): audit, count, maybe lock and tell."""
    for attempt in range(3):
        try:
            with sessions.begin() as session:
                _count_failure(session, policy, username, address, channel, now, reason)
            return
        except IntegrityError:  # two failures raced to create the same counter: count again
            if attempt == 2:
                raise


def _count_failure(
    session: Session, policy: LoginPolicy, username: str, address: str, channel: str, now: datetime, reason: str
) -> None:
    user = users.by_username(session, username) if username else None
    audit.record(
        session,
        at=now,
        actor_id=user.id if user else None,
        actor_role="anonymous",
        action="auth.login_failed",
        entity="user",
        entity_id=user.id if user else "-",
        detail={"channel": channel, "reason": reason, "address_hash": _key(policy, "address", address)[:16]},
    )
    if reason.endswith("_throttled"):
        return  # a refused attempt is audited but does not lengthen the lock
    for scope, value, limit in (
        ("account", username.lower(), policy.max_failures),
        ("address", address, policy.max_failures * ADDRESS_FACTOR),
    ):
        row = _row(session, policy, scope, value)
        if row is None:
            row = LoginThrottle(scope=scope, key_hash=_key(policy, scope, value), failures=0, last_failure_at=now)
            session.add(row)
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= limit and (row.locked_until is None or row.locked_until <= now):
            row.locked_until = now + timedelta(seconds=policy.lock_seconds)
            audit.record(
                session,
                at=now,
                actor_id=user.id if user and scope == "account" else None,
                actor_role="system",
                action=f"auth.{scope}_locked",
                entity="user" if scope == "account" else "address",
                entity_id=user.id if user and scope == "account" else row.key_hash[:16],
                detail={"until": row.locked_until.isoformat(), "failures": row.failures},
            )
            if scope == "account" and user is not None:
                _tell_owner(session, user, row.locked_until, now)
        session.flush()


def _tell_owner(session: Session, user: User, until: datetime, now: datetime) -> None:
    """The account's owner learns of the lock (SMS to the person's phone, looked up by the delivery worker)."""
    local = until + timedelta(hours=8)
    enqueue(
        session,
        topic="sms",
        at=now,
        payload={
            "kind": "account_locked",
            "person_id": user.person_id,
            "user_id": user.id,
            "subject": "账户安全提醒",
            "body": (
                f"【家保】您的账户因多次登录失败已临时锁定至 {local:%H:%M}（北京时间）。"
                "如非本人操作，请及时修改密码或致电 95xxx。"
            ),
        },
    )
