"""/api/v1 electronic return visit (电子回访): SMS code, verification, questions, answers; success rates for staff.

The seller's side (partners) may read the visit's status but never send codes or answer for the customer: the
visit exists to check the sale. A customer acts only on a policy of which they are the policyholder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from jiabao.api.deps import require
from jiabao.api.households import Reader
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.policies.return_visit import service as visits
from jiabao.policies.return_visit import stats as return_visit_stats

router = APIRouter(tags=["policies"])

Visitor = Annotated[ServiceContext, Depends(require(Role.CUSTOMER, Role.SERVICE, Role.ADMIN))]
StatsReader = Annotated[ServiceContext, Depends(require(*return_visit_stats.STATS_ROLES))]
T = TypeVar("T")


@contextmanager
def keep_refusals(ctx: ServiceContext) -> Iterator[None]:
    """Commit the change behind a :class:`~jiabao.policies.return_visit.service.KeptRefusal` before answering."""
    try:
        yield
    except visits.KeptRefusal:
        ctx.session.commit()
        raise


def kept(ctx: ServiceContext, call: Callable[[], T]) -> T:
    with keep_refusals(ctx):
        return call()


class CodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=12, description="The 6-digit code from the SMS")


@router.post("/policies/{policy_id}/return-visit/code", operation_id="return_visit_send_code")
def send_code(ctx: Visitor, policy_id: int) -> visits.CodeSentOut:
    """Send a 6-digit code (valid 10 minutes) to the policyholder's mobile. At most 5 per visit, one a minute."""
    return kept(ctx, lambda: visits.start(ctx, policy_id))


@router.post("/policies/{policy_id}/return-visit/verify", operation_id="return_visit_verify")
def verify(ctx: Visitor, policy_id: int, data: CodeIn) -> visits.VisitOut:
    """Check the code; the answer carries the questions. The 5th wrong code sends the visit to a person."""
    return kept(ctx, lambda: visits.verify(ctx, policy_id, data.code))


@router.get("/policies/{policy_id}/return-visit", operation_id="return_visit_get")
def get_visit(ctx: Reader, policy_id: int) -> visits.VisitOut:
    """The visit's status; the questions (zh and en) once verified."""
    return visits.status(ctx, policy_id)


@router.post("/policies/{policy_id}/return-visit/answers", operation_id="return_visit_answers")
def answer(ctx: Visitor, policy_id: int, data: visits.AnswersIn) -> visits.VisitOut:
    """Answer every question (yes / no / unsure / human): passed, mis-selling (a case opens) or a person calls."""
    return kept(ctx, lambda: visits.complete(ctx, policy_id, data.answers))


@router.get("/return-visits/stats", operation_id="return_visit_stats")
def stats(
    ctx: StatsReader,
    from_date: Annotated[date | None, Query(alias="from")] = None,
    to_date: Annotated[date | None, Query(alias="to")] = None,
) -> return_visit_stats.StatsOut:
    """Visit success rates by sales channel for visits due in the range (default: this month to date)."""
    today = ctx.clock.today()
    start = from_date or today.replace(day=1)
    return return_visit_stats.success_rates(ctx, from_date=start, to_date=to_date or max(today, start))
