"""/api/v1 screening (名单筛查): the review queue of the risk role, one case with its evidence, the decision,
and the list versions loaded."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from jiabao.api.deps import require
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.risk.lists import service as lists
from jiabao.risk.screening import service as screening

router = APIRouter(tags=["screening"])
Reviewer = Annotated[ServiceContext, Depends(require(Role.RISK, Role.ADMIN))]
Viewer = Annotated[ServiceContext, Depends(require(Role.RISK, Role.ADMIN, Role.AUDITOR))]
CaseId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The role may not use the screening queue"},
    404: {"description": "No such screening case"},
    409: {"description": "The case has already been decided"},
    422: {"description": "A field is not valid"},
}


class CaseOut(BaseModel):
    id: int
    occasion: str
    context: str
    party_role: str
    subject_masked: str
    decision: str
    score: float
    status: str
    created_at: str
    reviewed_at: str | None
    review_note: str | None
    subject: dict[str, Any] | None = None
    matches: list[dict[str, Any]] = []


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    decision: Literal["clear", "confirm"]
    """``clear``: not the listed party; ``confirm``: it is (the person stays stopped)."""
    note: str = Field(min_length=2, max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")


class ListVersionOut(BaseModel):
    code: str
    name: str
    kind: str
    version_no: int
    source: str
    loaded_at: str
    entries: int
    added: int
    changed: int
    removed: int
    current: bool


def _out(view: screening.CaseView) -> CaseOut:
    return CaseOut.model_validate(asdict(view))


@router.get("/screening/cases", operation_id="screening_queue", responses=ERRORS)
def queue(
    ctx: Viewer,
    status: Literal["open", "stopped", "cleared", "confirmed", "closed"] = "open",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[CaseOut]:
    """Screening cases by status (default: waiting for a reviewer), oldest first."""
    return [_out(c) for c in screening.queue(ctx, status=status, limit=limit, offset=offset)]


@router.get("/screening/cases/{case_id}", operation_id="screening_case", responses=ERRORS)
def case(ctx: Viewer, case_id: CaseId) -> CaseOut:
    """One case: the subject and each matched list entry side by side, with the reasons (the read is audited)."""
    return _out(screening.case_detail(ctx, case_id))


@router.post("/screening/cases/{case_id}/review", operation_id="screening_review", responses=ERRORS)
def review(ctx: Reviewer, case_id: CaseId, data: ReviewIn) -> CaseOut:
    """The reviewer's decision, recorded and audited."""
    return _out(screening.review(ctx, case_id, data.decision, data.note))


@router.get("/screening/lists", operation_id="screening_lists", responses=ERRORS)
def list_versions(ctx: Viewer) -> list[ListVersionOut]:
    """Every version of every list, newest first, with what each load changed."""
    screening.require_viewer(ctx)
    return [
        ListVersionOut(code=wl.code, name=wl.name, kind=wl.kind, version_no=v.version_no, source=v.source,
                       loaded_at=v.loaded_at.isoformat(), entries=v.entry_count, added=v.added, changed=v.changed,
                       removed=v.removed, current=v.current)
        for wl, v in lists.list_versions(ctx.session)
    ]  # fmt: skip
