"""/api/v1/audit: read the append-only audit log (auditors and administrators)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from jiabao.api.deps import require
from jiabao.core.auth import Role
from jiabao.db import audit
from jiabao.db.context import ServiceContext

router = APIRouter(tags=["audit"])
Auditor = Annotated[ServiceContext, Depends(require(Role.AUDITOR, Role.ADMIN))]


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_role: str
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]


@router.get("/audit", operation_id="audit_list")
def audit_entries(
    ctx: Auditor,
    entity: Annotated[str, Query(max_length=40)],
    entity_id: Annotated[str, Query(max_length=40)],
) -> list[AuditOut]:
    return [
        AuditOut.model_validate(e, from_attributes=True)
        for e in audit.entries_for(ctx.session, entity=entity, entity_id=entity_id)
    ]
