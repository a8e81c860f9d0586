"""Complaint use cases (投诉处理): intake, classification, routing with recusal, the clock, the decision letter
with proof of delivery, review, withdrawal, root cause and action. Services validate first, then write and flush;
they never commit."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select

from jiabao.claims.models import Claim, ClaimAssessment, ClaimLine
from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, NotFound, PermissionDenied, invalid
from jiabao.core.pii import mask_name, mask_phone
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family import service as family
from jiabao.family.models import Person
from jiabao.identity.models import User
from jiabao.policies.common.models import Policy
from jiabao.underwriting.models import UnderwritingDecision
from jiabao.voice import corpus
from jiabao.voice.classifier import ComplaintClassifier
from jiabao.voice.deadlines import (
    WARN_DAYS,
    ClockEvent,
    ClockKind,
    review_allowed,
    review_decision_due,
    review_request_deadline,
)
from jiabao.voice.deadlines import time_limit as clock_of
from jiabao.voice.letter_pdf import LetterContent, render_letter
from jiabao.voice.major import assess
from jiabao.voice.models import Complaint, ComplaintEvent, ComplaintLetter
from jiabao.voice.routing import Candidate, Routing, is_elderly, route
from jiabao.voice.schemas import ActionIn, CategoryIn, ClockIn, ComplaintIn, DecisionIn, ReviewDecisionIn, ReviewIn
from jiabao.voice.taxonomy import (
    LABELS_ZH,
    OPEN_STATUSES,
    SUBCATEGORIES,
    Category,
    Channel,
    Complainant,
    ProductLine,
    Status,
    category_of_product,
)

SUMMARY_COLUMN = "complaints.summary"
NAME_COLUMN = "complaints.complainant_name"
PHONE_COLUMN = "complaints.phone"
FILERS = frozenset({Role.CUSTOMER, Role.SERVICE, Role.ADMIN})
STAFF_READERS = frozenset({Role.SERVICE, Role.CLAIMS, Role.UNDERWRITER, Role.ADMIN, Role.AUDITOR, Role.RISK})
CLOCK_EVENTS = frozenset(k.value for k in ClockKind)


@lru_cache(maxsize=1)
def classifier() -> ComplaintClassifier:
    """The suggestion model, trained once per process on the labelled corpus (cold start)."""
    texts, labels = corpus.generate(1150, seed=20211231)
    return ComplaintClassifier.train(texts, labels)


def _event(ctx: ServiceContext, complaint: Complaint, kind: str, *, on: date | None = None, **detail: Any) -> None:
    approved_by = detail.pop("approved_by", None)
    ctx.session.add(
        ComplaintEvent(
            complaint_id=complaint.id,
            kind=kind,
            on=on or ctx.clock.today(),
            at=ctx.now(),
            actor_id=ctx.principal.user_id or None,
            approved_by=approved_by,
            detail={k: v for k, v in detail.items() if v is not None},
        )
    )


def _clock_events(ctx: ServiceContext, complaint_id: int) -> list[ClockEvent]:
    rows = ctx.session.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint_id, ComplaintEvent.kind.in_(CLOCK_EVENTS))
        .order_by(ComplaintEvent.id)
    )
    return [ClockEvent(ClockKind(r.kind), r.on, r.approved_by) for r in rows]


def _candidates(ctx: ServiceContext) -> list[Candidate]:
    open_cases = dict(
        ctx.session.execute(
            select(Complaint.handler_id, func.count(Complaint.id))
            .where(Complaint.status.in_([s.value for s in OPEN_STATUSES | {Status.UNDER_REVIEW}]))
            .group_by(Complaint.handler_id)
        ).all()
    )
    users = ctx.session.execute(
        select(User.id, User.role).where(
            User.active.is_(True),
            User.role.in_([Role.SERVICE.value, Role.CLAIMS.value, Role.UNDERWRITER.value, Role.ADMIN.value]),
        )
    ).all()
    return [Candidate(uid, Role(role), int(open_cases.get(uid, 0))) for uid, role in users]


def _interested(ctx: ServiceContext, complaint: Complaint) -> set[int | None]:
    """Everyone with a direct interest (art. 17): the person complained about, the household's agent, whoever
    decided the claim or underwrote the policies complained of."""
    people: set[int | None] = {complaint.subject_user_id, complaint.partner_id}
    if complaint.claim_id is not None:
        people |= set(
            ctx.session.scalars(
                select(ClaimAssessment.decided_by).where(
                    ClaimAssessment.claim_id == complaint.claim_id, ClaimAssessment.decided_by.is_not(None)
                )
            )
        )
    if complaint.policy_ids:
        applications = select(Policy.application_id).where(Policy.id.in_(complaint.policy_ids))
        people |= set(
            ctx.session.scalars(
                select(UnderwritingDecision.decided_by).where(
                    UnderwritingDecision.application_id.in_(applications), UnderwritingDecision.decided_by.is_not(None)
                )
            )
        )
    return people


def _route(ctx: ServiceContext, complaint: Complaint) -> None:
    routing = route(Category(complaint.category), _candidates(ctx), _interested(ctx, complaint))
    complaint.team, complaint.handler_id = routing.team, routing.handler_id
    complaint.recused = list(routing.recused)
    if complaint.status == Status.RECEIVED.value and routing.handler_id is not None:
        complaint.status = Status.IN_PROGRESS.value
    _event(
        ctx,
        complaint,
        "routed",
        team=routing.team,
        handler_id=routing.handler_id,
        recused=list(routing.recused),
        escalated=routing.escalated,
    )


def _product_line(ctx: ServiceContext, policy_ids: list[int], claim_id: int | None) -> tuple[str, str | None]:
    ids = list(policy_ids)
    if not ids and claim_id is not None:
        ids = list(ctx.session.scalars(select(ClaimLine.policy_id).where(ClaimLine.claim_id == claim_id)))
    if not ids:
        return ProductLine.OTHER.value, None
    code = ctx.session.scalar(select(Policy.product_code).where(Policy.id == ids[0]))
    return (category_of_product(code).value, code) if code else (ProductLine.OTHER.value, None)


def _check_links(ctx: ServiceContext, household_id: int, data: ComplaintIn) -> None:
    if data.policy_ids:
        found = set(
            ctx.session.scalars(
                select(Policy.id).where(Policy.id.in_(data.policy_ids), Policy.household_id == household_id)
            )
        )
        if found != set(data.policy_ids):
            raise invalid("policy_ids", "not_in_household", "保单不属于该家庭账户", "A policy is not the household's")
    if data.claim_id is not None:
        claim = ctx.session.get(Claim, data.claim_id)
        if claim is None or claim.household_id != household_id:
            raise invalid(
                "claim_id", "not_in_household", "理赔案件不属于该家庭账户", "The claim is not the household's"
            )


def _complainant(ctx: ServiceContext, household: Any, data: ComplaintIn) -> tuple[int | None, str | None]:
    """(member person id, name for a non-member) of the complainant."""
    members = {m.person_id: m for m in household.members}
    if data.complainant_kind is Complainant.CUSTOMER:
        person_id = data.complainant_person_id or ctx.principal.person_id or household.head_person_id
        if person_id not in members:
            raise invalid(
                "complainant_person_id", "not_member", "投诉人不是该家庭成员", "The complainant is not a member"
            )
        return person_id, None
    if not data.complainant_name:
        raise invalid(
            "complainant_name", "required", "代理人或继承人须填写姓名", "A proxy or heir must give their name"
        )
    return None, data.complainant_name


def _suggest(complaint: Complaint, summary: str, data_category: Category | None, sub: str | None) -> None:
    suggestion = classifier().suggest(summary)
    complaint.suggested_category = suggestion.category
    complaint.suggested_subcategory = suggestion.subcategory
    complaint.suggestion_score = suggestion.score
    if data_category is None:
        complaint.category, complaint.subcategory = suggestion.category, suggestion.subcategory
    else:
        complaint.category, complaint.subcategory = data_category.value, sub


def file_complaint(ctx: ServiceContext, household_id: int | None, data: ComplaintIn) -> Complaint:
    """Receive a complaint, classify it (a suggestion), find who is elderly or major, route it, start the clock."""
    if ctx.principal.role not in FILERS:
        raise PermissionDenied()
    if ctx.principal.role is Role.CUSTOMER and data.channel is not Channel.ONLINE:
        raise invalid("channel", "online_only", "客户在线提交的投诉渠道为线上", "Customers file online")
    if data.category is not None and data.subcategory and data.subcategory not in SUBCATEGORIES[data.category]:
        raise invalid("subcategory", "unknown", "投诉子类不属于该类别", "Unknown sub-category for this category")
    if data.channel is Channel.REGULATOR and not data.regulator_ref:
        raise invalid(
            "regulator_ref", "required", "监管转办投诉须填写转办编号", "A forwarded complaint needs its reference"
        )
    if data.subject_user_id is not None and ctx.session.get(User, data.subject_user_id) is None:
        raise invalid("subject_user_id", "unknown", "被投诉人不存在", "No such staff member or agent")
    today = ctx.clock.today()
    region, partner_id, person_id, name, birth = "east", None, None, data.complainant_name, None
    if household_id is not None:
        overview = family.get_overview(ctx, household_id)  # 404 for a household the caller may not see
        _check_links(ctx, household_id, data)
        person_id, name = _complainant(ctx, overview, data)
        region, partner_id = overview.region, overview.partner_id
        if person_id is not None:
            member = next(m for m in overview.members if m.person_id == person_id)
            name, birth = member.name, member.birth_date
    elif ctx.principal.role is Role.CUSTOMER:
        raise invalid("household_id", "required", "请选择家庭账户", "Choose the household")
    elif not data.complainant_name:
        raise invalid("complainant_name", "required", "请填写投诉人姓名", "Give the complainant's name")
    product_line, product_code = _product_line(ctx, data.policy_ids, data.claim_id)
    finding = assess(group_size=data.group_size, regulator_designated=data.regulator_designated, cause=data.cause)
    complaint = Complaint(
        ref="tmp-" + uuid.uuid4().hex[:20],
        regulator_ref=data.regulator_ref,
        channel=data.channel.value,
        received_on=today,
        received_at=ctx.now(),
        complainant_kind=data.complainant_kind.value,
        complainant_person_id=person_id,
        complainant_name_enc=ctx.cipher.encrypt(NAME_COLUMN, name) if name and person_id is None else None,
        complainant_name_masked=mask_name(name) if name else None,
        phone_enc=ctx.cipher.encrypt(PHONE_COLUMN, data.phone) if data.phone else None,
        phone_masked=mask_phone(data.phone) if data.phone else None,
        delivery=data.delivery,
        household_id=household_id,
        policy_ids=list(data.policy_ids),
        claim_id=data.claim_id,
        product_line=product_line,
        product_code=product_code,
        region=region,
        partner_id=partner_id,
        subject_user_id=data.subject_user_id,
        summary_enc=ctx.cipher.encrypt(SUMMARY_COLUMN, data.summary),
        status=Status.RECEIVED.value,
        elderly=is_elderly(birth, today),
        group_size=data.group_size,
        major=finding.major,
        emergency=finding.major,
        major_reasons=list(finding.reasons),
        created_by=ctx.principal.user_id or None,
        updated_at=ctx.now(),
    )
    _suggest(complaint, data.summary, data.category, data.subcategory)
    if data.category is not None and ctx.principal.role is not Role.CUSTOMER:
        complaint.category_confirmed_by = ctx.principal.user_id or None
    ctx.session.add(complaint)
    ctx.session.flush()
    complaint.ref = f"TS{today:%Y%m%d}{complaint.id:06d}"
    limit = clock_of(today, [])
    complaint.limit_days, complaint.due_on = limit.limit_days, limit.due
    _event(ctx, complaint, "received", channel=complaint.channel, due_on=str(limit.due), elderly=complaint.elderly)
    _route(ctx, complaint)
    if complaint.major:
        enqueue(
            ctx.session,
            topic="management",
            at=ctx.now(),
            payload={
                "kind": "major_complaint",
                "ref": complaint.ref,
                "reasons": complaint.major_reasons,
                "group_size": complaint.group_size,
            },
        )
    _acknowledge(ctx, complaint)
    ctx.audit("complaint.received", "complaint", complaint.id, {"channel": complaint.channel, "major": complaint.major})
    ctx.session.flush()
    return complaint


def routing_pool(ctx: ServiceContext) -> list[Candidate]:
    """Everyone who may handle complaints, with their open complaints (for a bulk import's routing)."""
    return _candidates(ctx)


def record_imported(ctx: ServiceContext, complaint: Complaint, routing: Routing) -> None:
    """An imported complaint's receipt (on the date in the file) and its routing, as events (not flushed)."""
    _event(ctx, complaint, "received", on=complaint.received_on, channel=complaint.channel, imported=True)
    _event(
        ctx,
        complaint,
        "routed",
        team=routing.team,
        handler_id=routing.handler_id,
        recused=list(routing.recused),
        escalated=routing.escalated,
    )


def _acknowledge(ctx: ServiceContext, complaint: Complaint) -> None:
    enqueue(
        ctx.session,
        topic="sms" if complaint.delivery != "email" else "email",
        at=ctx.now(),
        payload={
            "kind": "complaint_received",
            "person_id": complaint.complainant_person_id,
            "ref": complaint.ref,
            "body": f"您的投诉（编号{complaint.ref}）已受理，我们将在{complaint.due_on}前告知处理结果。",
        },
    )


def load(ctx: ServiceContext, complaint_id: int) -> Complaint:
    """The complaint if the caller may see it (customers: their household's; staff by role), else 404."""
    complaint = ctx.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("Complaint not found", "未找到该投诉", code="complaint_not_found")
    if ctx.principal.role in STAFF_READERS:
        return complaint
    if ctx.principal.role is Role.CUSTOMER and complaint.household_id is not None:
        try:
            family.get_overview(ctx, complaint.household_id)
        except NotFound:
            raise NotFound("Complaint not found", "未找到该投诉", code="complaint_not_found") from None
        return complaint
    raise NotFound("Complaint not found", "未找到该投诉", code="complaint_not_found")


def _ensure_handler(ctx: ServiceContext, complaint: Complaint) -> None:
    """Only the assigned handler or the complaints supervisor (admin) acts, and never anyone recused."""
    uid = ctx.principal.user_id
    if uid in complaint.recused or uid in {complaint.subject_user_id, complaint.partner_id}:
        raise PermissionDenied("You are recused from this complaint", "您与该投诉有利害关系，须回避")
    if ctx.principal.role is Role.ADMIN or uid == complaint.handler_id:
        return
    raise PermissionDenied("Only the assigned handler may act", "仅分派的处理人可以办理")


def _ensure_open(complaint: Complaint) -> None:
    if complaint.status not in {s.value for s in OPEN_STATUSES}:
        raise Conflict("The complaint is not open", "该投诉已不在处理中", code="complaint_not_open")


def clock(ctx: ServiceContext, complaint_id: int, data: ClockIn) -> Complaint:
    """Extend (15 → 30, then + 30 with approval), pause for appraisal or mediation, resume, restart on new facts."""
    complaint = load(ctx, complaint_id)
    _ensure_handler(ctx, complaint)
    _ensure_open(complaint)
    if data.on > ctx.clock.today():
        raise invalid("on", "future", "日期不能晚于今天", "The date cannot be in the future")
    if data.kind is ClockKind.EXTEND_FURTHER:
        approver = ctx.session.get(User, data.approved_by) if data.approved_by else None
        if approver is None or approver.role != Role.ADMIN.value or approver.id == ctx.principal.user_id:
            raise invalid(
                "approved_by",
                "approval_required",
                "再延长30日须经上级机构或高级管理人员（另一名管理员）批准",
                "A further 30 days needs another manager's approval",
            )
        if not data.complainant_told:
            raise invalid(
                "complainant_told", "required", "再延长须告知投诉人", "The complainant must be told of the extension"
            )
    if data.kind is ClockKind.PAUSE and data.pause_reason is None:
        raise invalid("pause_reason", "required", "请选择中止计时的原因", "Give the reason for pausing")
    events = [*_clock_events(ctx, complaint.id), ClockEvent(data.kind, data.on, data.approved_by)]
    limit = clock_of(complaint.received_on, events)  # refuses what art. 18 does not allow (409)
    complaint.limit_days, complaint.due_on = limit.limit_days, limit.due
    complaint.status = (Status.PAUSED if limit.paused else Status.IN_PROGRESS).value
    complaint.updated_at = ctx.now()
    _event(
        ctx,
        complaint,
        data.kind.value,
        on=data.on,
        reason=data.reason,
        approved_by=data.approved_by,
        pause_reason=data.pause_reason.value if data.pause_reason else None,
        due_on=str(limit.due),
    )
    if data.kind is ClockKind.RESTART:
        _route(ctx, complaint)
    ctx.session.flush()
    return complaint


def complainant_name(ctx: ServiceContext, complaint: Complaint) -> str:
    if complaint.complainant_person_id is not None:
        person = ctx.session.get(Person, complaint.complainant_person_id)
        if person is not None:
            return person.name
    if complaint.complainant_name_enc:
        return ctx.cipher.decrypt(NAME_COLUMN, complaint.complainant_name_enc)
    return complaint.complainant_name_masked or "投诉人"


def _send_letter(ctx: ServiceContext, complaint: Complaint, kind: str, content: LetterContent) -> ComplaintLetter:
    pdf = render_letter(content)
    digest = hashlib.sha256(pdf).hexdigest()
    channel = complaint.delivery
    topic = {"sms": "sms", "email": "email", "letter": "post"}[channel]
    link = f"/complaints/{complaint.id}/letter.pdf"
    message = enqueue(
        ctx.session,
        topic=topic,
        at=ctx.now(),
        payload={
            "kind": f"complaint_{kind}",
            "person_id": complaint.complainant_person_id,
            "ref": complaint.ref,
            "sha256": digest,
            "link": link,
            "body": f"您的投诉（编号{complaint.ref}）已有处理结果，请查看告知书：{link}",
        },
    )
    ctx.session.flush()
    letter = ComplaintLetter(
        complaint_id=complaint.id,
        kind=kind,
        pdf=pdf,
        sha256=digest,
        channel=channel,
        recipient_masked=complaint.phone_masked or complaint.complainant_name_masked,
        sent_at=ctx.now(),
        outbox_id=message.id,
        proof={"outbox_id": message.id, "sha256": digest, "sent_at": ctx.now().isoformat()},
    )
    ctx.session.add(letter)
    return letter


def decide(ctx: ServiceContext, complaint_id: int, data: DecisionIn) -> Complaint:
    """The decision (art. 19) and its letter (PDF, sent by the complainant's chosen channel, proof kept, art. 21)."""
    complaint = load(ctx, complaint_id)
    _ensure_handler(ctx, complaint)
    _ensure_open(complaint)
    if complaint.status == Status.PAUSED.value:
        raise Conflict("Resume the clock before deciding", "请先恢复计时再作出决定", code="complaint_paused")
    today = ctx.clock.today()
    complaint.status, complaint.decided_on, complaint.outcome = Status.DECIDED.value, today, data.outcome
    complaint.decision = {
        "facts": data.facts,
        "basis": data.basis,
        "reasons": data.reasons,
        "remedy": data.remedy,
        "decided_by": ctx.principal.user_id,
        "within_limit": complaint.due_on is None or today <= complaint.due_on,
    }
    if data.root_cause:
        complaint.root_cause, complaint.action = data.root_cause, data.action
        complaint.action_status = "open" if data.action else None
    complaint.letter_delivered_on = today
    complaint.updated_at = ctx.now()
    content = LetterContent(
        kind="decision",
        ref=complaint.ref,
        complainant=complainant_name(ctx, complaint),
        received_on=complaint.received_on,
        decided_on=today,
        category_zh=LABELS_ZH[complaint.category],
        outcome=data.outcome,
        facts=data.facts,
        basis=data.basis,
        reasons=data.reasons,
        remedy=data.remedy,
        review_deadline=review_request_deadline(today),
    )
    letter = _send_letter(ctx, complaint, "decision", content)
    ctx.session.flush()
    _event(ctx, complaint, "decided", outcome=data.outcome, within_limit=complaint.decision["within_limit"])
    _event(ctx, complaint, "letter_sent", channel=letter.channel, sha256=letter.sha256, letter_id=letter.id)
    ctx.audit("complaint.decided", "complaint", complaint.id, {"outcome": data.outcome})
    ctx.session.flush()
    return complaint


def letter(ctx: ServiceContext, complaint_id: int, kind: str = "decision") -> ComplaintLetter:
    """The letter as sent; the complainant opening it online is recorded as proof of delivery."""
    complaint = load(ctx, complaint_id)
    found = ctx.session.scalars(
        select(ComplaintLetter)
        .where(ComplaintLetter.complaint_id == complaint.id, ComplaintLetter.kind == kind)
        .order_by(ComplaintLetter.id.desc())
    ).first()
    if found is None:
        raise Conflict("No letter has been issued yet", "尚未出具告知书", code="letter_not_issued")
    if ctx.principal.role is Role.CUSTOMER and found.delivered_at is None:
        found.delivered_at = ctx.now()
        found.proof = {**found.proof, "opened_by": ctx.principal.user_id, "opened_at": ctx.now().isoformat()}
        _event(ctx, complaint, "letter_opened", letter_id=found.id)
    return found


def request_review(ctx: ServiceContext, complaint_id: int, data: ReviewIn) -> Complaint:
    """The complainant asks for a review (核查) within 30 days of the decision (art. 20); the supervisor decides it."""
    complaint = load(ctx, complaint_id)
    if ctx.principal.role not in FILERS:
        raise PermissionDenied()
    if complaint.status != Status.DECIDED.value or complaint.letter_delivered_on is None:
        raise Conflict("There is no decision to review", "尚无可申请核查的处理决定", code="nothing_to_review")
    today = ctx.clock.today()
    if not review_allowed(complaint.letter_delivered_on, today):
        raise Conflict(
            "The 30 days for asking a review have passed", "已超过30日的核查申请期限", code="review_window_passed"
        )
    complaint.status, complaint.review_requested_on = Status.UNDER_REVIEW.value, today
    complaint.review_due = review_decision_due(today)
    previous = complaint.handler_id
    supervisors = [
        c
        for c in _candidates(ctx)
        if c.role is Role.ADMIN and c.user_id not in _interested(ctx, complaint) and c.user_id != previous
    ]
    supervisors.sort(key=lambda c: (c.open_cases, c.user_id))
    complaint.team, complaint.handler_id = "supervisor", supervisors[0].user_id if supervisors else None
    complaint.recused = sorted({*complaint.recused, *([previous] if previous else [])})
    complaint.updated_at = ctx.now()
    _event(ctx, complaint, "review_requested", reason_len=len(data.reason), review_due=str(complaint.review_due))
    ctx.session.flush()
    return complaint


def decide_review(ctx: ServiceContext, complaint_id: int, data: ReviewDecisionIn) -> Complaint:
    complaint = load(ctx, complaint_id)
    if ctx.principal.role is not Role.ADMIN:
        raise PermissionDenied("The superior office decides reviews", "核查由上级机构作出")
    _ensure_handler(ctx, complaint)
    if complaint.status != Status.UNDER_REVIEW.value:
        raise Conflict("No review is pending", "没有待核查的申请", code="no_review")
    today = ctx.clock.today()
    complaint.status, complaint.closed_on = Status.CLOSED.value, today
    complaint.decision = {
        **complaint.decision,
        "review": {
            "outcome": data.outcome,
            "reasons": data.reasons,
            "within_limit": today <= (complaint.review_due or today),
        },
    }
    content = LetterContent(
        kind="review",
        ref=complaint.ref,
        complainant=complainant_name(ctx, complaint),
        received_on=complaint.received_on,
        decided_on=today,
        category_zh=LABELS_ZH[complaint.category],
        outcome=data.outcome,
        facts=str(complaint.decision.get("facts", "")),
        basis="《银行业保险业消费投诉处理管理办法》第二十条",
        reasons=data.reasons,
        remedy="",
        review_deadline=None,
    )
    _send_letter(ctx, complaint, "review", content)
    _event(ctx, complaint, "review_decided", outcome=data.outcome)
    ctx.session.flush()
    return complaint


def withdraw(ctx: ServiceContext, complaint_id: int) -> Complaint:
    """A withdrawal ends the process that day (art. 15)."""
    complaint = load(ctx, complaint_id)
    if ctx.principal.role not in FILERS:
        raise PermissionDenied()
    _ensure_open(complaint)
    complaint.status, complaint.closed_on = Status.WITHDRAWN.value, ctx.clock.today()
    complaint.updated_at = ctx.now()
    _event(ctx, complaint, "withdrawn")
    ctx.session.flush()
    return complaint


def confirm_category(ctx: ServiceContext, complaint_id: int, data: CategoryIn) -> Complaint:
    """A person confirms (or corrects) the category; a different team's category re-routes the complaint."""
    complaint = load(ctx, complaint_id)
    _ensure_handler(ctx, complaint)
    if data.subcategory and data.subcategory not in SUBCATEGORIES[data.category]:
        raise invalid("subcategory", "unknown", "投诉子类不属于该类别", "Unknown sub-category for this category")
    changed = complaint.category != data.category.value
    complaint.category, complaint.subcategory = data.category.value, data.subcategory
    complaint.category_confirmed_by = ctx.principal.user_id or None
    complaint.updated_at = ctx.now()
    _event(ctx, complaint, "category_confirmed", category=data.category.value, subcategory=data.subcategory)
    if changed and complaint.status in {s.value for s in OPEN_STATUSES}:
        _route(ctx, complaint)
    ctx.session.flush()
    return complaint


def set_action(ctx: ServiceContext, complaint_id: int, data: ActionIn) -> Complaint:
    """Root cause and the corrective action, followed up until done (arts. 26–27)."""
    complaint = load(ctx, complaint_id)
    if ctx.principal.role not in {Role.ADMIN, Role.SERVICE}:
        raise PermissionDenied()
    complaint.root_cause, complaint.action, complaint.action_status = data.root_cause, data.action, data.action_status
    complaint.updated_at = ctx.now()
    _event(ctx, complaint, "action", status=data.action_status)
    ctx.session.flush()
    return complaint


def summary_text(ctx: ServiceContext, complaint: Complaint) -> str:
    return ctx.cipher.decrypt(SUMMARY_COLUMN, complaint.summary_enc)


def deadline_warnings(ctx: ServiceContext) -> int:
    """Warn each handler (and the supervisor for overdue ones) before a deadline: 3 days before, the day before,
    and once overdue; each level once per complaint (a ``deadline_warning`` event). Returns messages queued."""
    today = ctx.clock.today()
    rows = ctx.session.scalars(
        select(Complaint).where(
            Complaint.status.in_([Status.RECEIVED.value, Status.IN_PROGRESS.value]),
            Complaint.due_on.is_not(None),
            Complaint.due_on <= today + timedelta(days=WARN_DAYS[0]),
        )
    )
    sent = 0
    for complaint in rows:
        assert complaint.due_on is not None
        left = (complaint.due_on - today).days
        level = "overdue" if left < 0 else ("due_tomorrow" if left <= WARN_DAYS[1] else "due_in_3_days")
        done = ctx.session.scalars(
            select(ComplaintEvent.detail).where(
                ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.kind == "deadline_warning"
            )
        )
        if any(d.get("level") == level for d in done):
            continue
        enqueue(
            ctx.session,
            topic="staff",
            at=ctx.now(),
            payload={
                "kind": f"complaint_{level}",
                "ref": complaint.ref,
                "handler_id": complaint.handler_id,
                "due_on": str(complaint.due_on),
                "copy_supervisor": level == "overdue",
            },
        )
        _event(ctx, complaint, "deadline_warning", level=level, due_on=str(complaint.due_on))
        sent += 1
    ctx.session.flush()
    return sent
