"""SMS verification codes (短信验证码) for sign-in, sign-up and password reset (issue 11, item 6).

Rules, each tested in ``tests/identity/test_sms_codes.py``:

- a code is 6 random digits; only its HMAC-SHA256 (keyed with the platform secret, bound to the number's blind
  index and the purpose) is stored, so a database copy does not reveal live codes;
- it expires ``ttl_seconds`` after it was sent (5 minutes) and is accepted once;
- ``max_attempts`` wrong entries use it up (a new code must be requested);
- a new code for the same number is refused for ``resend_seconds`` (60 s) after the last one, and at most
  ``daily_limit`` codes go to one number in 24 hours (nobody can flood a stranger's phone);
- a newer code replaces the older ones of the same purpose;
- every send, refusal, wrong entry and use is audited; wrong entries are counted and audited in their own
  transaction, so they count even though the request that carried them fails.

The text goes through the outbox like every other SMS; the mobile number travels encrypted in the payload (the
delivery worker decrypts it to send) and masked for display.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError
from jiabao.core.pii import PiiCipher, mask_phone
from jiabao.core.validation.errors import ValidationFailed
from jiabao.core.validation.phone import check_mobile
from jiabao.db import audit
from jiabao.db.outbox import enqueue
from jiabao.identity.models import SmsCode

MOBILE_COLUMN = "users.mobile"
"""The associated data and blind-index scope of sign-in numbers (the same value as a person's phone is encrypted
under ``persons.phone``)."""


class TooManyCodes(JiabaoError):
    """429: wait before another code (``retry_after`` seconds)."""

    status = 429
    default_code = "sms_resend_wait"
    default_zh = "验证码发送过于频繁，请稍后再试"
    default_en = "Codes were sent too often; please wait and try again"

    @property
    def retry_after(self) -> int:
        return int(self.extra.get("retry_after", 1))


class Purpose(StrEnum):
    LOGIN = "login"
    SIGNUP = "signup"
    RESET = "reset"


PURPOSE_ZH = {Purpose.LOGIN: "登录", Purpose.SIGNUP: "注册", Purpose.RESET: "重置密码"}


@dataclass(frozen=True)
class CodePolicy:
    secret: bytes
    ttl_seconds: int = 300
    max_attempts: int = 5
    resend_seconds: int = 60
    daily_limit: int = 10
    hotline: str = "95xxx"


@dataclass(frozen=True)
class Mobile:
    """A validated mobile number with its blind index and mask (never logged in clear)."""

    e164: str
    national: str
    bidx: str
    masked: str


def mobile_of(cipher: PiiCipher, raw: str, *, field: str = "mobile") -> Mobile:
    """Validate a mobile number (field error ``phone_invalid`` / ``phone_not_mobile``) and index it."""
    try:
        number = check_mobile(raw[:40], field=field)
    except ValidationFailed as exc:
        problems = tuple(FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors)
        raise InvalidInput(fields=problems) from None
    return Mobile(
        e164=number.e164,
        national=number.national,
        bidx=cipher.blind_index(MOBILE_COLUMN, number.e164),
        masked=mask_phone(number.national),
    )


def _hash(policy: CodePolicy, mobile_bidx: str, purpose: Purpose, code: str) -> str:
    return hmac.new(policy.secret, f"sms:{purpose}:{mobile_bidx}:{code}".encode(), hashlib.sha256).hexdigest()


def _latest(session: Session, mobile_bidx: str, purpose: Purpose | None = None) -> SmsCode | None:
    stmt = select(SmsCode).where(SmsCode.mobile_bidx == mobile_bidx)
    if purpose is not None:
        stmt = stmt.where(SmsCode.purpose == purpose.value)
    return session.scalars(stmt.order_by(SmsCode.created_at.desc(), SmsCode.id.desc()).limit(1)).first()


def _audit(session: Session, now: datetime, action: str, mobile: Mobile, detail: dict[str, object]) -> None:
    audit.record(
        session,
        at=now,
        actor_id=None,
        actor_role="anonymous",
        action=action,
        entity="mobile",
        entity_id=mobile.bidx[:16],
        detail={"mobile": mobile.masked, **detail},
    )


def check_can_send(session: Session, policy: CodePolicy, mobile: Mobile, *, now: datetime) -> None:
    """Refuse (429 with ``Retry-After``) within ``resend_seconds`` of the last code or past the daily limit."""
    last = _latest(session, mobile.bidx)
    if last is not None:
        ready = last.created_at + timedelta(seconds=policy.resend_seconds)
        if ready > now:
            wait = max(1, int((ready - now).total_seconds() + 0.999))
            raise TooManyCodes(
                f"A code was sent a moment ago; you can ask for another in {wait} seconds",
                f"验证码已发送，请 {wait} 秒后再重新获取",
                code="sms_resend_wait",
                extra={"retry_after": wait},
            )
    day_ago = now - timedelta(hours=24)
    sent = session.scalar(
        select(func.count(SmsCode.id)).where(SmsCode.mobile_bidx == mobile.bidx, SmsCode.created_at > day_ago)
    )
    if int(sent or 0) >= policy.daily_limit:
        raise TooManyCodes(
            "Too many codes were sent to this number today; please try tomorrow or call us",
            f"今天向该号码发送的验证码已达上限，请明天再试或致电客服 {policy.hotline}",
            code="sms_daily_limit",
            extra={"retry_after": 3600},
        )


def send_code(
    session: Session,
    cipher: PiiCipher,
    policy: CodePolicy,
    mobile: Mobile,
    purpose: Purpose,
    *,
    now: datetime,
    user_id: int | None = None,
) -> str:
    """Create a code, queue its SMS and audit the send; returns the code (the caller never shows it)."""
    try:
        check_can_send(session, policy, mobile, now=now)
    except TooManyCodes as refused:
        _audit(session, now, "sms.code_refused", mobile, {"purpose": purpose.value, "reason": refused.code})
        raise
    for older in session.scalars(
        select(SmsCode).where(
            SmsCode.mobile_bidx == mobile.bidx, SmsCode.purpose == purpose.value, SmsCode.used_at.is_(None)
        )
    ):
        older.used_at = now  # superseded: only the newest code counts
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(
        SmsCode(
            mobile_bidx=mobile.bidx,
            purpose=purpose.value,
            code_hash=_hash(policy, mobile.bidx, purpose, code),
            created_at=now,
            expires_at=now + timedelta(seconds=policy.ttl_seconds),
            attempts=0,
        )
    )
    minutes = max(1, policy.ttl_seconds // 60)
    body = (
        f"【家保】验证码 {code}，{minutes}分钟内有效，用于{PURPOSE_ZH[purpose]}。"
        f"请勿告诉任何人，工作人员不会向您索要。如非本人操作请致电 {policy.hotline}。"
    )
    queue_sms(session, cipher, mobile, kind=f"verification_code.{purpose.value}", body=body, now=now, user_id=user_id)
    _audit(session, now, "sms.code_sent", mobile, {"purpose": purpose.value})
    session.flush()
    return code


def queue_sms(
    session: Session,
    cipher: PiiCipher,
    mobile: Mobile,
    *,
    kind: str,
    body: str,
    now: datetime,
    user_id: int | None = None,
) -> None:
    """An SMS to a number (not a person on file): the number travels encrypted, the mask is for display."""
    enqueue(
        session,
        topic="sms",
        at=now,
        payload={
            "kind": kind,
            "user_id": user_id,
            "to_masked": mobile.masked,
            "to_enc": base64.b64encode(cipher.encrypt(MOBILE_COLUMN, mobile.e164)).decode(),
            "subject": None,
            "body": body,
        },
    )


def _code_error(code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(en, zh, code=code, fields=(FieldProblem("code", code, zh, en),))


def verify_code(
    sessions: sessionmaker[Session],
    session: Session,
    policy: CodePolicy,
    mobile: Mobile,
    purpose: Purpose,
    code: str,
    *,
    now: datetime,
) -> None:
    """Accept the newest live code for this number and purpose once, or raise a field error on ``code``.

    A wrong entry is counted (and the code used up at ``max_attempts``) in its own committed transaction."""
    row = _latest(session, mobile.bidx, purpose)
    entered = code.strip()
    if row is None or row.used_at is not None or row.expires_at <= now:
        reason = "none" if row is None else ("used" if row.used_at is not None else "expired")
        _record_failure(sessions, policy, mobile, purpose, None, now, reason)
        raise _code_error(
            "sms_code_expired",
            "验证码已失效（超过有效期或已使用），请重新获取",
            "The code is no longer valid (expired or already used); please ask for a new one",
        )
    expected = _hash(policy, mobile.bidx, purpose, entered)
    if not (entered.isdigit() and len(entered) == 6 and hmac.compare_digest(expected, row.code_hash)):
        left = _record_failure(sessions, policy, mobile, purpose, row.id, now, "wrong_code")
        if left <= 0:
            raise _code_error(
                "sms_code_used_up",
                "验证码输错次数过多，已失效，请重新获取",
                "Too many wrong entries; the code no longer works; please ask for a new one",
            )
        raise _code_error(
            "sms_code_wrong",
            f"验证码不正确，还可以再试 {left} 次",
            f"Wrong code; {left} more {'try' if left == 1 else 'tries'} left",
        )
    row.used_at = now
    _audit(session, now, "sms.code_accepted", mobile, {"purpose": purpose.value})
    session.flush()


def _record_failure(
    sessions: sessionmaker[Session],
    policy: CodePolicy,
    mobile: Mobile,
    purpose: Purpose,
    code_id: int | None,
    now: datetime,
    reason: str,
) -> int:
    """Count a wrong entry and audit it, committed even though the request fails; returns the tries left."""
    with sessions.begin() as own:
        left = policy.max_attempts
        if code_id is not None:
            row = own.get(SmsCode, code_id, with_for_update=True)
            if row is not None:
                row.attempts += 1
                left = policy.max_attempts - row.attempts
                if left <= 0 and row.used_at is None:
                    row.used_at = now
        _audit(own, now, "sms.code_failed", mobile, {"purpose": purpose.value, "reason": reason})
    return left
