"""The auditor's page (审计日志查询): search the append-only audit log by action, record, actor and period."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from jiabao.api.params import MAX_ID
from jiabao.core.auth import Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import PermissionDenied
from jiabao.db.audit import AuditEntry
from jiabao.web.deps import PageCtx, render

router = APIRouter(include_in_schema=False)
PAGE = 100
Text = Annotated[str, Query(max_length=60)]


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    ctx: PageCtx,
    action: Text = "",
    entity: Text = "",
    entity_id: Text = "",
    actor_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    since: date | None = None,
    until: date | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    if ctx.principal.role not in (Role.AUDITOR, Role.ADMIN):
        raise PermissionDenied()
    stmt = select(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action.strip(), autoescape=True))
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity.strip())
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id.strip())
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(since, time(), CHINA_TZ))
    if until is not None:
        stmt = stmt.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time(), CHINA_TZ))
    rows = list(ctx.session.scalars(stmt.order_by(AuditEntry.id.desc()).offset((page - 1) * PAGE).limit(PAGE + 1)))
    ctx.audit("audit.search", "audit_log", "-", {"filters": sorted(k for k, v in request.query_params.items() if v)})
    form: dict[str, object] = {"action": action, "entity": entity, "entity_id": entity_id}
    form |= {"actor_id": actor_id or "", "since": since or "", "until": until or ""}
    return render(request, "audit.html", ctx.principal, rows=rows[:PAGE], more=len(rows) > PAGE, page=page, form=form)
