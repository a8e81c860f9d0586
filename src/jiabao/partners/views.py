"""What the partner network's JSON API shows (``/api/v1/partners/me/...``): the portal's figures, scoped and paged.

Scope, as on the portal: the caller must be a network partner (403 otherwise); it sees its own data and, by
``partner_id``, that of its downline — every partner under it, at any depth, on today's date. Any other id, existing
or not, is a 404 that says nothing about whether it exists. The figures come from the same queries as the portal
(``portal.next_dues``, ``family.queries``, ``advice.service``) and the statement page (``commissions``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, select

from jiabao.advice import service as advice
from jiabao.core.errors import NotFound
from jiabao.db.context import ServiceContext
from jiabao.family import queries as family_queries
from jiabao.partners import commissions, portal, service
from jiabao.partners.models import CommissionLine, CommissionRun, Membership, Partner
from jiabao.partners.quality import sellers
from jiabao.partners.schemas import (
    HouseholdPage,
    SaleOut,
    SalesPage,
    ServedHousehold,
    StatementLineOut,
    StatementMonth,
    StatementMonthPage,
    StatementOut,
    TeamMemberOut,
    TeamPage,
)
from jiabao.policies.common.models import Policy

ZERO = Decimal("0.00")


def downline(ctx: ServiceContext, partner_id: int, on: date) -> set[int]:
    """Every partner under this one on that date, at any depth (a region's teams and their individuals)."""
    found: set[int] = set()
    frontier = {partner_id}
    while frontier:
        rows = ctx.session.scalars(
            select(Membership.partner_id).where(
                Membership.parent_id.in_(frontier),
                Membership.valid_from <= on,
                or_(Membership.valid_to.is_(None), Membership.valid_to > on),
            )
        )
        frontier = set(rows) - found - {partner_id}
        found |= frontier
    return found


def scoped(ctx: ServiceContext, partner_id: int | None) -> Partner:
    """The partner whose data is asked for: the caller (403 if it is not a network partner) or one of its downline
    (404 for any other id, whether or not it exists)."""
    me = service.current(ctx)
    if partner_id is None or partner_id == me.id:
        return me
    if partner_id not in downline(ctx, me.id, ctx.clock.today()):
        raise NotFound()
    return service.get(ctx, partner_id)


def households(ctx: ServiceContext, partner_id: int | None, *, limit: int, offset: int) -> HouseholdPage:
    partner = scoped(ctx, partner_id)
    rows, total = family_queries.households_served(ctx, partner.user_id, limit=limit, offset=offset)
    scores = advice.latest_snapshots(ctx, [h.id for h in rows])
    items = []
    for h in rows:
        last = scores.get(h.id)
        items.append(
            ServedHousehold(
                **h.model_dump(),
                protection_score=last.score if last else None,
                total_gap=last.total_gap if last else None,
            )
        )
    return HouseholdPage(partner_id=partner.id, total=total, limit=limit, offset=offset, items=items)


def _sold_in(partner_id: int, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    s = sellers()
    conditions: list[ColumnElement[bool]] = [Policy.id.in_(select(s.c.policy_id).where(s.c.seller == partner_id))]
    if start is not None and end is not None:
        conditions.append(Policy.effective_date.between(start, end))
    return conditions


def sales(ctx: ServiceContext, partner_id: int | None, month: str | None, *, limit: int, offset: int) -> SalesPage:
    partner = scoped(ctx, partner_id)
    start, end = commissions.month_bounds(month) if month else (None, None)
    where = _sold_in(partner.id, start, end)
    total = int(ctx.session.scalar(select(func.count(Policy.id)).where(*where)) or 0)
    policies = list(
        ctx.session.scalars(select(Policy).where(*where).order_by(Policy.id.desc()).limit(limit).offset(offset))
    )
    dues = portal.next_dues(ctx, [p.id for p in policies])
    today = ctx.clock.today()
    items = [
        SaleOut(
            policy_id=p.id,
            policy_no=p.policy_no,
            household_id=p.household_id,
            product_code=p.product_code,
            status=p.status,
            frequency=p.frequency,
            payment_term=p.payment_term,
            annual_premium=p.annual_premium,
            instalment=p.instalment,
            issued_on=p.issued_at.date(),
            effective_date=p.effective_date,
            cooling_off_end=p.cooling_off_end,
            ended_on=p.ended_on,
            end_reason=p.end_reason,
            next_due=dues.get(p.id),
            renewal_due=portal.renewal_due(p.status, dues.get(p.id), today),
        )
        for p in policies
    ]
    return SalesPage(partner_id=partner.id, month=month, total=total, limit=limit, offset=offset, items=items)


def statement_months(ctx: ServiceContext, partner_id: int | None, *, limit: int, offset: int) -> StatementMonthPage:
    partner = scoped(ctx, partner_id)
    mine = CommissionLine.partner_id == partner.id
    total = int(ctx.session.scalar(select(func.count(func.distinct(CommissionLine.month))).where(mine)) or 0)
    months = ctx.session.execute(
        select(CommissionLine.month, func.sum(CommissionLine.amount))
        .where(mine)
        .group_by(CommissionLine.month)
        .order_by(CommissionLine.month.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    latest: dict[str, str] = {}
    if months:
        runs = ctx.session.execute(
            select(CommissionRun.month, CommissionRun.status)
            .where(CommissionRun.month.in_([m for m, _ in months]))
            .order_by(CommissionRun.month, CommissionRun.seq)
        )
        latest = {m: st for m, st in runs}  # the highest sequence wins
    items = [StatementMonth(month=m, net=Decimal(net), status=latest.get(m, "not_run")) for m, net in months]
    return StatementMonthPage(partner_id=partner.id, total=total, limit=limit, offset=offset, items=items)


def statement(ctx: ServiceContext, partner_id: int | None, month: str, *, limit: int, offset: int) -> StatementOut:
    partner = scoped(ctx, partner_id)
    st, count = commissions.statement_page(ctx, month, partner.id, limit=limit, offset=offset)
    return StatementOut(
        partner_id=st.partner_id,
        partner_name=st.partner_name,
        month=st.month,
        status=st.status,
        by_kind=st.by_kind,
        gross=st.gross,
        tax=st.tax,
        net=st.net,
        payable=st.payable,
        total=count,
        limit=limit,
        offset=offset,
        lines=[
            StatementLineOut(
                kind=ln.kind,
                policy_no=ln.policy_no,
                ref=ln.ref,
                base=ln.base,
                rate=ln.rate,
                amount=ln.amount,
                adjustment=ln.adjustment,
            )
            for ln in st.lines
        ],
    )


def team(ctx: ServiceContext, partner_id: int | None, month: str | None, *, limit: int, offset: int) -> TeamPage:
    """我的团队 (the portal's ``portal.team_view``): the partners directly under this one on some day of the month
    (up to its last day, or today while it runs), each with what its branch sold while it belonged — by the dated
    memberships on each policy's effective date — and its own commission of the month; the team's totals and the
    partner's overrides. An individual or an institution has no team: an empty page."""
    partner = scoped(ctx, partner_id)
    today = ctx.clock.today()
    month = month or f"{today:%Y-%m}"
    start, end = commissions.month_bounds(month)
    if partner.kind in ("team", "regional"):
        view = portal.team_view(ctx, partner, month)
        on, members = view.on, view.members
        sold, premium, overrides = view.policies_sold, view.premium_sold, view.overrides
    else:
        on, members, sold, premium, overrides = (min(end, today) if start <= today else end), [], 0, ZERO, ZERO
    items = [
        TeamMemberOut(
            partner_id=m.partner.id,
            name=m.partner.name,
            kind=m.partner.kind,
            status=m.partner.status,
            member_from=m.member_from,
            member_until=m.member_until,
            current=m.current,
            policies_sold=m.policies_sold,
            premium_sold=m.premium_sold,
            commission_net=m.commission_net,
        )
        for m in members[offset : offset + limit]
    ]
    return TeamPage(
        partner_id=partner.id,
        kind=partner.kind,
        month=month,
        on=on,
        policies_sold=sold,
        premium_sold=premium,
        overrides=overrides,
        total=len(members),
        limit=limit,
        offset=offset,
        items=items,
    )
