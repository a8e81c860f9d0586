"""/api/v1/partners/me/...: the partner network's own data as JSON (合伙人数据接口) — the portal's households,
sales, commission statements and team, with the portal's scopes.

Only partners (403 for every other role; 403 ``not_a_partner`` for a partner log-in without a network record). Each
route serves the caller's own data, or with ``partner_id`` that of a partner in its downline; any other
``partner_id`` is a 404 that does not say whether it exists (``jiabao.partners.views``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from jiabao.api.deps import require
from jiabao.api.params import Limit, Offset
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.partners import service, views
from jiabao.partners.schemas import (
    MONTH_PATTERN,
    HouseholdPage,
    PartnerOut,
    SalesPage,
    StatementMonthPage,
    StatementOut,
    TeamPage,
)

router = APIRouter(prefix="/partners/me", tags=["partners"])

PartnerCtx = Annotated[ServiceContext, Depends(require(Role.PARTNER))]
PartnerId = Annotated[
    int | None,
    Query(ge=1, le=2**63 - 1, description="A partner in the caller's downline (default: the caller)"),
]
MonthQuery = Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM", examples=["2026-11"])]
MonthPath = Annotated[str, Path(pattern=MONTH_PATTERN, description="YYYY-MM", examples=["2026-11"])]


@router.get("", operation_id="partners_me")
def me(ctx: PartnerCtx) -> PartnerOut:
    """The calling partner: kind, parent, what and where it may sell, review reasons."""
    return service.out(ctx, service.current(ctx))


@router.get("/households", operation_id="partners_households")
def households(ctx: PartnerCtx, partner_id: PartnerId = None, limit: Limit = 50, offset: Offset = 0) -> HouseholdPage:
    """我的客户: the households served, masked as on the portal, with the latest protection score and cover gap."""
    return views.households(ctx, partner_id, limit=limit, offset=offset)


@router.get("/sales", operation_id="partners_sales")
def sales(
    ctx: PartnerCtx, partner_id: PartnerId = None, month: MonthQuery = None, limit: Limit = 50, offset: Offset = 0
) -> SalesPage:
    """我的业务: the policies sold (newest first), optionally those effective in a month, with status, premium,
    dates and the next premium due."""
    return views.sales(ctx, partner_id, month, limit=limit, offset=offset)


@router.get("/statements", operation_id="partners_statements")
def statements(
    ctx: PartnerCtx, partner_id: PartnerId = None, limit: Limit = 24, offset: Offset = 0
) -> StatementMonthPage:
    """我的佣金: the months with commission lines (newest first), each month's net and run status."""
    return views.statement_months(ctx, partner_id, limit=limit, offset=offset)


@router.get("/statements/{month}", operation_id="partners_statement")
def statement(
    ctx: PartnerCtx, month: MonthPath, partner_id: PartnerId = None, limit: Limit = 200, offset: Offset = 0
) -> StatementOut:
    """A month's commission statement: a page of its lines and the totals of all of them (as the statement page
    and PDF). A month without lines is an empty statement with status ``not_run`` or the run's status."""
    return views.statement(ctx, partner_id, month, limit=limit, offset=offset)


@router.get("/team", operation_id="partners_team")
def team(
    ctx: PartnerCtx, partner_id: PartnerId = None, month: MonthQuery = None, limit: Limit = 50, offset: Offset = 0
) -> TeamPage:
    """我的团队 (team and regional partners): the partners directly under it with each one's sales and commission in
    the month (default: this month)."""
    return views.team(ctx, partner_id, month, limit=limit, offset=offset)
