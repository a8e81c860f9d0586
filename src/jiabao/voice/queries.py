"""Complaint views: one complaint with its steps, a household's complaints (the family's history), the queue."""

from __future__ import annotations

from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.errors import PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.voice import service
from jiabao.voice.deadlines import review_request_deadline
from jiabao.voice.models import Complaint, ComplaintEvent
from jiabao.voice.routing import priority_key
from jiabao.voice.schemas import ComplaintOut, EventOut
from jiabao.voice.taxonomy import OPEN_STATUSES, Status

QUEUE_ROLES = frozenset({Role.SERVICE, Role.CLAIMS, Role.UNDERWRITER, Role.ADMIN})


def view(ctx: ServiceContext, complaint: Complaint, *, with_text: bool = True) -> ComplaintOut:
    today = ctx.clock.today()
    events = ctx.session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id).order_by(ComplaintEvent.id)
    )
    open_ = complaint.status in {s.value for s in OPEN_STATUSES}
    left = (complaint.due_on - today).days if open_ and complaint.due_on else None
    warning = None
    if left is not None:
        warning = "overdue" if left < 0 else ("due_soon" if left <= 3 else None)
    if with_text and ctx.principal.role is not Role.CUSTOMER:
        ctx.audit("complaint.read", "complaint", complaint.id)
    return ComplaintOut(
        id=complaint.id,
        ref=complaint.ref,
        regulator_ref=complaint.regulator_ref,
        channel=complaint.channel,
        received_on=complaint.received_on,
        complainant_kind=complaint.complainant_kind,
        complainant_name=complaint.complainant_name_masked,
        household_id=complaint.household_id,
        policy_ids=list(complaint.policy_ids),
        claim_id=complaint.claim_id,
        category=complaint.category,
        subcategory=complaint.subcategory,
        suggested_category=complaint.suggested_category,
        suggested_subcategory=complaint.suggested_subcategory,
        suggestion_score=complaint.suggestion_score,
        category_confirmed=complaint.category_confirmed_by is not None,
        product_line=complaint.product_line,
        region=complaint.region,
        status=complaint.status,
        team=complaint.team,
        handler_id=complaint.handler_id,
        elderly=complaint.elderly,
        major=complaint.major,
        emergency=complaint.emergency,
        major_reasons=list(complaint.major_reasons),
        limit_days=complaint.limit_days,
        due_on=complaint.due_on,
        days_left=left,
        warning=warning,
        decided_on=complaint.decided_on,
        outcome=complaint.outcome,
        letter_delivered_on=complaint.letter_delivered_on,
        review_request_deadline=review_request_deadline(complaint.letter_delivered_on)
        if complaint.letter_delivered_on
        else None,
        review_due=complaint.review_due,
        closed_on=complaint.closed_on,
        summary=service.summary_text(ctx, complaint) if with_text else None,
        decision={k: v for k, v in complaint.decision.items() if k != "decided_by"},
        root_cause=complaint.root_cause,
        action=complaint.action,
        action_status=complaint.action_status,
        events=[EventOut(kind=e.kind, on=e.on, at=e.at, detail=dict(e.detail)) for e in events],
    )


def get(ctx: ServiceContext, complaint_id: int) -> ComplaintOut:
    return view(ctx, service.load(ctx, complaint_id))


def for_household(ctx: ServiceContext, household_id: int) -> list[ComplaintOut]:
    """Every complaint of the family, newest first (the household's history)."""
    family.get_overview(ctx, household_id)  # 404 for a household the caller may not see
    rows = ctx.session.scalars(
        select(Complaint)
        .where(Complaint.household_id == household_id)
        .order_by(Complaint.received_on.desc(), Complaint.id.desc())
    )
    return [view(ctx, c, with_text=False) for c in rows]


def queue(ctx: ServiceContext, *, mine_only: bool = False, limit: int = 200) -> list[ComplaintOut]:
    """Open complaints and pending reviews in priority order: major first, then elderly, then nearest deadline.
    Handlers see their own; the supervisor (admin) sees all."""
    if ctx.principal.role not in QUEUE_ROLES:
        raise PermissionDenied()
    statuses = [s.value for s in OPEN_STATUSES | {Status.UNDER_REVIEW}]
    stmt = select(Complaint).where(Complaint.status.in_(statuses))
    if mine_only or ctx.principal.role is not Role.ADMIN:
        stmt = stmt.where(Complaint.handler_id == ctx.principal.user_id)
    rows = list(ctx.session.scalars(stmt.limit(5000)))
    rows.sort(
        key=lambda c: priority_key(
            major=c.major, elderly=c.elderly, due=c.review_due or c.due_on, received_at=c.received_at
        )
    )
    return [view(ctx, c, with_text=False) for c in rows[:limit]]
