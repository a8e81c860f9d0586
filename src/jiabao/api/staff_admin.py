"""/api/v1/admin/users (user and role administration, admins only) and /api/v1/callbacks (call-me-back requests:
customers ask, service staff work the queue) — issue 11, items 7 and 8."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from jiabao.api.deps import require, service_context
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.identity import admin, callbacks
from jiabao.identity.admin import StaffUserIn, UserChange, UserRow
from jiabao.identity.callbacks import CallbackOut

router = APIRouter(tags=["administration"])
Admin = Annotated[ServiceContext, Depends(require(Role.ADMIN))]
Handler = Annotated[ServiceContext, Depends(require(Role.SERVICE, Role.ADMIN))]
Customer = Annotated[ServiceContext, Depends(require(Role.CUSTOMER))]
Anyone = Annotated[ServiceContext, Depends(service_context)]


class CallbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(default="general", pattern="^(" + "|".join(callbacks.TOPICS) + ")$")


class CallbackCreated(BaseModel):
    id: int
    status: str
    due_at: str


@router.get("/admin/users", operation_id="admin_users")
def users(ctx: Admin) -> list[UserRow]:
    return admin.list_users(ctx.session, ctx.principal)


@router.post("/admin/users", operation_id="admin_users_create", status_code=201)
def create(ctx: Admin, data: StaffUserIn) -> UserRow:
    """Create a partner or staff user (customers sign up themselves). Audited."""
    return admin.create_staff(ctx.session, ctx.principal, data, now=ctx.now())


@router.patch("/admin/users/{user_id}", operation_id="admin_users_change")
def change(ctx: Admin, user_id: int, data: UserChange) -> UserRow:
    """Change a role or disable/enable; the user's sessions and tokens end at once. Audited."""
    return admin.change_user(ctx.session, ctx.principal, user_id, data, now=ctx.now())


@router.post("/callbacks", operation_id="callbacks_request", status_code=201)
def request_callback(ctx: Customer, data: CallbackIn) -> CallbackCreated:
    """Ask a person to call back (one open request per customer; asking again returns it)."""
    row = callbacks.request_callback(ctx, data.topic)
    return CallbackCreated(id=row.id, status=row.status, due_at=row.due_at.isoformat())


@router.get("/callbacks", operation_id="callbacks_queue")
def queue(ctx: Handler) -> list[CallbackOut]:
    return callbacks.open_requests(ctx)


@router.post("/callbacks/{callback_id}/done", operation_id="callbacks_done", status_code=204)
def done(ctx: Handler, callback_id: int) -> None:
    callbacks.mark_called(ctx, callback_id)
