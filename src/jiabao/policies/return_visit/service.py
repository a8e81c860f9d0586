"""The electronic return visit (电子回访) inside the cooling-off period (regulation.md §2.2).

Flow: ``start`` sends a 6-digit SMS code → ``verify`` checks it → ``script`` gives the questions →
``complete`` evaluates the answers with :func:`jiabao.policies.rules.return_visit.evaluate_visit`.

- The code comes from ``secrets``; only its keyed hash (the PII blind-index HMAC over visit id and code) and its
  expiry (10 minutes) are stored. The clear code exists only in the SMS body in the outbox; it is never logged,
  audited or returned.
- At most 5 codes per visit (one a minute) and 5 wrong codes per visit; the 6th code request or the 5th wrong code
  sends the visit to a person (``needs_human``). So does any call after the cooling-off period's last day.
- A refusal that changes the visit (a wrong code counted, the visit sent to a person) is a :class:`KeptRefusal`:
  the adapter commits before answering with it, so a retry cannot reset the counter.
- Stored status stays ``code_sent`` once verified (``verified_at`` marks it; the policy's pending actions keep
  showing the visit until it is completed); a verification holds for 30 minutes.
- A mis-selling finding opens ``ServiceCase(kind="mis_selling")`` due in 15 working days, to be handled by someone
  other than the seller (``details.excluded_handler_ids``).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from jiabao.core.auth import Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, JiabaoError, PermissionDenied, invalid
from jiabao.core.validation import age_on
from jiabao.db.audit import AuditEntry
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import DualRecording, Policy, ReturnVisit, ServiceCase
from jiabao.policies.common.views import load
from jiabao.policies.rules import return_visit as rv

CODE_TTL = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
VERIFIED_TTL = timedelta(minutes=30)
MAX_CODES = 5
MAX_WRONG = 5
CODE_COLUMN = "return_visits.code"
OPEN = ("pending", "code_sent")
STATUS_BY_RESULT = {rv.VisitResult.MIS_SELLING_SUSPECTED: "mis_selling"}  # otherwise the result's own value


class KeptRefusal(JiabaoError):
    """A refusal whose change to the visit must stand: the caller commits, then answers with the error."""


class KeptConflict(Conflict, KeptRefusal):
    pass


class KeptInvalid(InvalidInput, KeptRefusal):
    pass


TO_PERSON: dict[str, tuple[str, str]] = {
    "visit_period_over": ("The cooling-off period has ended", "犹豫期已结束，电子回访已关闭"),
    "too_many_codes": ("Too many codes were requested", "验证码获取次数过多"),
    "too_many_attempts": ("Too many wrong codes", "验证码错误次数过多"),
}
"""Why a visit goes to a person instead of going on electronically (reason → English, Chinese)."""


def _to_person_refusal(ctx: ServiceContext, visit: ReturnVisit, reason: str) -> KeptConflict:
    """Send the visit to a person (``needs_human``) and return the refusal to raise."""
    visit.status, visit.code_hash = "needs_human", None
    visit.outcome = {"result": "needs_human", "points": [], "reason": reason}
    ctx.session.flush()
    ctx.audit("return_visit.to_person", "return_visit", visit.id, {"reason": reason})
    en, zh = TO_PERSON[reason]
    return KeptConflict(f"{en}; a member of staff will call you", f"{zh}，将由工作人员与您联系", code=reason)


class QuestionOut(BaseModel):
    point: rv.VisitPoint
    zh: str
    en: str


class ScriptOut(BaseModel):
    elderly: bool
    pace: str
    human_route: str | None
    questions: list[QuestionOut]


class VisitOut(BaseModel):
    policy_id: int
    required: bool
    status: str | None = None
    """pending | code_sent | passed | mis_selling | needs_human (an open visit past its deadline shows needs_human)."""
    verified: bool = False
    due_on: date | None = None
    elderly: bool = False
    code_expires_at: datetime | None = None
    codes_left: int = 0
    attempts_left: int = 0
    result: dict[str, Any] = {}
    case_id: int | None = None
    case_due_on: date | None = None
    script: ScriptOut | None = None


class CodeSentOut(BaseModel):
    status: str
    expires_at: datetime
    codes_left: int
    phone_masked: str


class AnswersIn(BaseModel):
    answers: dict[rv.VisitPoint, rv.Answer] = Field(max_length=len(rv.VisitPoint))


def _open_visit(ctx: ServiceContext, policy_id: int) -> tuple[Policy, HouseholdOut, ReturnVisit]:
    """The policy (access checked) and its visit, locked; only the policyholder among customers may act."""
    policy, overview = load(ctx, policy_id)
    if ctx.principal.role is Role.CUSTOMER and ctx.principal.person_id != policy.policyholder_person_id:
        raise PermissionDenied(
            "Only the policyholder can answer the return visit", "只有投保人本人可以完成回访", code="not_policyholder"
        )
    visit = _visit(ctx, policy.id, lock=True)
    if visit is None or policy.status == "cancelled":
        raise Conflict("This policy needs no return visit", "该保单无需回访", code="visit_not_required")
    if visit.status in OPEN and ctx.clock.today() > visit.due_on:
        raise _to_person_refusal(ctx, visit, "visit_period_over")
    if visit.status not in OPEN:
        raise Conflict(
            "The return visit is finished", "回访已结束", code="visit_closed", extra={"status": visit.status}
        )
    return policy, overview, visit


def _visit(ctx: ServiceContext, policy_id: int, *, lock: bool = False) -> ReturnVisit | None:
    stmt = select(ReturnVisit).where(ReturnVisit.policy_id == policy_id).order_by(ReturnVisit.id.desc()).limit(1)
    return ctx.session.scalars(stmt.with_for_update() if lock else stmt).first()


def _holder(policy: Policy, overview: HouseholdOut) -> MemberOut:
    return next(m for m in overview.members + overview.former_members if m.person_id == policy.policyholder_person_id)


def _codes_sent(ctx: ServiceContext, visit: ReturnVisit) -> int:
    stmt = select(func.count(AuditEntry.id)).where(
        AuditEntry.entity == "return_visit",
        AuditEntry.entity_id == str(visit.id),
        AuditEntry.action == "return_visit.code_sent",
    )
    return int(ctx.session.scalar(stmt) or 0)


def _hash(ctx: ServiceContext, visit: ReturnVisit, code: str) -> str:
    return ctx.cipher.blind_index(CODE_COLUMN, f"{visit.id}:{code}")


def _verified(ctx: ServiceContext, visit: ReturnVisit) -> bool:
    return visit.verified_at is not None and ctx.now() <= visit.verified_at + VERIFIED_TTL


def start(ctx: ServiceContext, policy_id: int) -> CodeSentOut:
    """Send a fresh 6-digit code to the policyholder's mobile by SMS (through the outbox)."""
    policy, overview, visit = _open_visit(ctx, policy_id)
    now, sent = ctx.now(), _codes_sent(ctx, visit)
    if sent >= MAX_CODES:
        raise _to_person_refusal(ctx, visit, "too_many_codes")
    resend_at = visit.code_expires_at - CODE_TTL + RESEND_AFTER if visit.code_expires_at else now
    if now < resend_at:
        wait = int((resend_at - now).total_seconds()) + 1
        en, zh = "A code was just sent; please wait before asking again", f"验证码刚刚已发送，请{wait}秒后再试"
        raise Conflict(en, zh, code="code_recently_sent", extra={"retry_after_seconds": wait})
    holder = _holder(policy, overview)
    if not holder.phone_masked:
        raise Conflict("No mobile number on file; please call 95xxx", "未登记手机号码，请致电95xxx", code="no_mobile")
    code = f"{secrets.randbelow(10**6):06d}"
    visit.code_hash, visit.code_expires_at = _hash(ctx, visit, code), now + CODE_TTL
    visit.status, visit.verified_at = "code_sent", None
    body = (
        f"【家保】您正在进行保单{policy.policy_no}的电子回访，验证码{code}，10分钟内有效。"
        "请勿将验证码告诉任何人，家保工作人员不会向您索要。"
    )
    payload = {"kind": "return_visit_code", "person_id": holder.person_id, "subject": None, "body": body}
    enqueue(ctx.session, topic="sms", at=now, payload=payload)
    ctx.session.flush()
    detail = {"policy_id": policy.id, "n": sent + 1, "expires_at": visit.code_expires_at.isoformat()}
    ctx.audit("return_visit.code_sent", "return_visit", visit.id, detail)  # never the code
    return CodeSentOut(
        status=visit.status, expires_at=visit.code_expires_at, codes_left=MAX_CODES - sent - 1,
        phone_masked=holder.phone_masked,
    )  # fmt: skip


def verify(ctx: ServiceContext, policy_id: int, code: str) -> VisitOut:
    """Check the code (hash and expiry); the 5th wrong code in a visit sends it to a person."""
    policy, overview, visit = _open_visit(ctx, policy_id)
    code = code.strip()
    if not re.fullmatch(r"\d{6}", code):
        raise invalid("code", "format", "请输入短信中的6位数字验证码", "Enter the 6-digit code from the SMS")
    if visit.code_hash is None or visit.code_expires_at is None:
        raise Conflict("Request a code first", "请先获取验证码", code="no_code")
    if ctx.now() > visit.code_expires_at:
        raise Conflict("The code has expired; request a new one", "验证码已过期，请重新获取", code="code_expired")
    if not hmac.compare_digest(_hash(ctx, visit, code), visit.code_hash):
        visit.attempts += 1
        ctx.audit("return_visit.verify_failed", "return_visit", visit.id, {"attempts": visit.attempts})
        left = MAX_WRONG - visit.attempts
        if left <= 0:
            raise _to_person_refusal(ctx, visit, "too_many_attempts")
        raise KeptInvalid(
            fields=(
                FieldProblem("code", "wrong_code", f"验证码不正确，还可尝试{left}次", f"Wrong code; {left} tries left"),
            ),
            extra={"attempts_left": left},
        )
    visit.verified_at, visit.code_hash = ctx.now(), None
    visit.elderly = _script(ctx, policy, overview, ctx.clock.today()).elderly
    ctx.session.flush()
    ctx.audit("return_visit.verified", "return_visit", visit.id, {"method": "sms_code", "elderly": visit.elderly})
    return _out(ctx, policy, overview, visit)


def _script(ctx: ServiceContext, policy: Policy, overview: HouseholdOut, on: date) -> rv.VisitScript:
    recorded = ctx.session.scalar(select(DualRecording.id).where(DualRecording.application_id == policy.application_id))
    return rv.visit_script(
        regular_premium=policy.payment_term > 1,
        dual_recorded=recorded is not None,
        policyholder_age=age_on(_holder(policy, overview).birth_date, on),
        cooling_off_days=(policy.cooling_off_end - policy.received_on).days,
    )


def _visit_date(ctx: ServiceContext, visit: ReturnVisit | None) -> date:
    """The verification date once verified (so the script cannot change under the customer), else today."""
    if visit is not None and visit.verified_at is not None:
        return visit.verified_at.astimezone(CHINA_TZ).date()
    return ctx.clock.today()


def script(ctx: ServiceContext, policy_id: int) -> ScriptOut:
    """The questions in zh and en: the elderly script when the policyholder is 60+ on the visit date."""
    policy, overview = load(ctx, policy_id)
    return _script_out(_script(ctx, policy, overview, _visit_date(ctx, _visit(ctx, policy.id))))


def _script_out(s: rv.VisitScript) -> ScriptOut:
    return ScriptOut(
        elderly=s.elderly,
        pace=s.pace,
        human_route=s.human_route,
        questions=[QuestionOut(point=q.point, zh=q.zh, en=q.en) for q in s.questions],
    )


def _check_answers(s: rv.VisitScript, answers: Mapping[rv.VisitPoint, rv.Answer]) -> None:
    asked = [q.point for q in s.questions]
    problems = [
        FieldProblem(f"answers.{p.value}", "required", "请回答此问题", "Please answer this question")
        for p in asked
        if p not in answers
    ] + [
        FieldProblem(f"answers.{p.value}", "not_asked", "本次回访没有这个问题", "This question was not asked")
        for p in answers
        if p not in asked
    ]
    if problems:
        raise InvalidInput(fields=tuple(problems))


def complete(ctx: ServiceContext, policy_id: int, answers: Mapping[rv.VisitPoint, rv.Answer]) -> VisitOut:
    """Evaluate the answers: passed, mis-selling suspected (a case to settle) or needs a person."""
    policy, overview, visit = _open_visit(ctx, policy_id)
    if not _verified(ctx, visit):
        raise Conflict("Verify your identity with the SMS code first", "请先完成短信验证", code="not_verified")
    s = _script(ctx, policy, overview, _visit_date(ctx, visit))
    _check_answers(s, answers)
    outcome = rv.evaluate_visit(s, answers)
    visit.answers = {p.value: a.value for p, a in answers.items()}
    visit.status, visit.completed_at, visit.elderly = (
        STATUS_BY_RESULT.get(outcome.result, outcome.result.value),
        ctx.now(),
        s.elderly,
    )
    visit.outcome = {
        "result": visit.status,
        "points": [p.value for p in outcome.points],
        "reason": outcome.reason,
        "asked": [q.point.value for q in s.questions],
    }
    if outcome.result is rv.VisitResult.MIS_SELLING_SUSPECTED:
        visit.outcome["case_id"] = _open_case(ctx, policy, overview, visit, outcome).id
    ctx.session.flush()
    ctx.audit("return_visit.complete", "return_visit", visit.id, {k: visit.outcome[k] for k in ("result", "points")})
    return _out(ctx, policy, overview, visit)


def _open_case(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, visit: ReturnVisit, outcome: rv.VisitOutcome
) -> ServiceCase:
    """A mis-selling case: 15 working days, never handled by the seller (BSR art. 18)."""
    application = ctx.session.get(Application, policy.application_id)
    sellers = {overview.partner_id}
    if application is not None and policy.channel != "online":
        sellers.add(application.created_by)
    deadline = rv.mis_selling_deadline(ctx.clock.today())
    case = ServiceCase(
        policy_id=policy.id,
        kind="mis_selling",
        status="open",
        opened_at=ctx.now(),
        due_on=deadline.due,
        details={
            "visit_id": visit.id,
            "points": [p.value for p in outcome.points],
            "excluded_handler_ids": sorted(s for s in sellers if s is not None),
            "warn_from": deadline.warn_from.isoformat(),
            "basis": deadline.basis,
        },
    )
    ctx.session.add(case)
    ctx.session.flush()
    ctx.audit("service_case.open", "service_case", case.id, {"kind": "mis_selling", "due_on": str(case.due_on)})
    return case


def status(ctx: ServiceContext, policy_id: int) -> VisitOut:
    """The visit's state; the script once the caller has verified."""
    policy, overview = load(ctx, policy_id)
    visit = _visit(ctx, policy.id)
    if visit is None:
        return VisitOut(policy_id=policy.id, required=False)
    return _out(ctx, policy, overview, visit)


def _out(ctx: ServiceContext, policy: Policy, overview: HouseholdOut, visit: ReturnVisit) -> VisitOut:
    open_ = visit.status in OPEN
    overdue = open_ and ctx.clock.today() > visit.due_on
    verified = open_ and not overdue and _verified(ctx, visit)
    case = ctx.session.get(ServiceCase, visit.outcome["case_id"]) if visit.outcome.get("case_id") else None
    return VisitOut(
        policy_id=policy.id,
        required=True,
        status="needs_human" if overdue else visit.status,
        verified=verified,
        due_on=visit.due_on,
        elderly=visit.elderly,
        code_expires_at=visit.code_expires_at if open_ and visit.code_hash else None,
        codes_left=max(0, MAX_CODES - _codes_sent(ctx, visit)) if open_ else 0,
        attempts_left=max(0, MAX_WRONG - visit.attempts) if open_ else 0,
        result={k: v for k, v in visit.outcome.items() if k in ("result", "points", "reason")},
        case_id=case.id if case else None,
        case_due_on=case.due_on if case else None,
        script=_script_out(_script(ctx, policy, overview, _visit_date(ctx, visit))) if verified else None,
    )
