"""Call me back (请人工回电, issue 11 item 8): a customer — above all an elderly one — asks for a person to call;
the request is a task in the service staff's queue, due within the next working hours, until someone has called.
Requests and their handling are audited."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.identity.models import CallbackRequest, User

TOPICS = ("general", "claim", "policy", "payment", "elderly_help")
RESPONSE_HOURS = 4
"""A call-back is due within four hours of the request (the service staff's promise on the elderly home)."""
HANDLERS = frozenset({Role.SERVICE, Role.ADMIN})


class CallbackOut(BaseModel):
    id: int
    topic: str
    requested_at: datetime
    due_at: datetime
    status: str
    display_name: str
    phone_masked: str | None
    elderly: bool


def request_callback(ctx: ServiceContext, topic: str) -> CallbackRequest:
    """One open request per customer: asking again returns the open one (no duplicate calls)."""
    if ctx.principal.role is not Role.CUSTOMER:
        raise PermissionDenied()
    topic = topic if topic in TOPICS else "general"
    existing = ctx.session.scalars(
        select(CallbackRequest).where(
            CallbackRequest.user_id == ctx.principal.user_id, CallbackRequest.status == "open"
        )
    ).first()
    if existing is not None:
        return existing
    now = ctx.now()
    row = CallbackRequest(
        user_id=ctx.principal.user_id,
        person_id=ctx.principal.person_id,
        topic=topic,
        requested_at=now,
        due_at=now + timedelta(hours=RESPONSE_HOURS),
        status="open",
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("callback.requested", "callback", row.id, {"topic": topic})
    return row


def open_requests(ctx: ServiceContext, *, limit: int = 100) -> list[CallbackOut]:
    if ctx.principal.role not in HANDLERS:
        raise PermissionDenied()
    rows = ctx.session.execute(
        select(CallbackRequest, User)
        .join(User, User.id == CallbackRequest.user_id)
        .where(CallbackRequest.status == "open")
        .order_by(CallbackRequest.due_at)
        .limit(limit)
    ).all()
    return [
        CallbackOut(
            id=r.id,
            topic=r.topic,
            requested_at=r.requested_at,
            due_at=r.due_at,
            status=r.status,
            display_name=u.display_name,
            phone_masked=u.mobile_masked,
            elderly=u.elderly_mode,
        )
        for r, u in rows
    ]


def mark_called(ctx: ServiceContext, callback_id: int) -> CallbackRequest:
    if ctx.principal.role not in HANDLERS:
        raise PermissionDenied()
    row = ctx.session.get(CallbackRequest, callback_id, with_for_update=True)
    if row is None:
        raise NotFound("Call-back request not found", "未找到该回电请求", code="callback_not_found")
    if row.status != "open":
        raise Conflict("Already handled", "该请求已处理", code="callback_done")
    row.status, row.handled_by, row.handled_at = "done", ctx.principal.user_id, ctx.now()
    ctx.audit("callback.done", "callback", row.id)
    ctx.session.flush()
    return row


def open_for(ctx: ServiceContext) -> CallbackRequest | None:
    """The caller's own open request (the elderly home shows "we will call you")."""
    return ctx.session.scalars(
        select(CallbackRequest).where(
            CallbackRequest.user_id == ctx.principal.user_id, CallbackRequest.status == "open"
        )
    ).first()
