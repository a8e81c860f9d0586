"""What the partner portal shows (我的客户、我的业务、我的佣金、我的团队): read-only queries over the households the
partner serves, its applications, policies and commission lines. Access: the partner sees only its own."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select

from jiabao.advice import service as advice
from jiabao.db.context import ServiceContext
from jiabao.family import queries as family_queries
from jiabao.partners import service
from jiabao.partners.engine.hierarchy import Hierarchy, Membership
from jiabao.partners.models import Attribution, CommissionLine, Partner
from jiabao.partners.models import Membership as MembershipRow
from jiabao.partners.quality import sellers
from jiabao.policies.application.models import Application, ApplicationInsured
from jiabao.policies.common.models import Instalment, Policy, ReturnVisit

ZERO = Decimal("0.00")
RENEWAL_WINDOW = 60
OPEN_APPLICATIONS = ("underwriting", "referred", "awaiting_payment", "decided")
LIVE = ("in_force", "in_grace", "suspended")


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    household_id: int
    account_no: str
    head_name: str
    members: int
    score: int | None
    total_gap: Decimal | None


@dataclass(frozen=True, slots=True)
class PipelineRow:
    application_id: int
    household_id: int
    product_code: str
    status: str
    waiting_for: str  # customer | underwriter | payment
    annual_premium: Decimal


@dataclass(frozen=True, slots=True)
class PolicyRow:
    policy_id: int
    policy_no: str
    product_code: str
    status: str
    annual_premium: Decimal
    next_due: date | None
    renewal_due: bool
    role: str  # sold | services | both


@dataclass(frozen=True, slots=True)
class VisitRow:
    policy_no: str
    due_on: date
    status: str


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str
    net: Decimal


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A partner directly under the team (or region) on some day of the month, with what its branch sold while it
    belonged: its own sales and those of every partner under it, on each policy's effective date."""

    partner: Partner
    member_from: date  # the first day of the month it belonged
    member_until: date | None  # the last day it belonged, when it left or moved before the month's end
    current: bool  # under the team on ``TeamView.on``
    policies_sold: int
    premium_sold: Decimal
    commission_net: Decimal  # its own commission lines of the month, net


@dataclass(frozen=True, slots=True)
class TeamView:
    month: str
    on: date  # the month's last day, or today while the month runs
    members: list[TeamMember]
    policies_sold: int  # the team's sales: every member's branch, per dated membership (not the partner's own)
    premium_sold: Decimal
    overrides: Decimal  # the partner's override lines of the month (管理津贴)


@dataclass(frozen=True, slots=True)
class Portal:
    partner: Partner
    households: list[HouseholdRow]
    pipeline: list[PipelineRow]
    visits: list[VisitRow]
    policies: list[PolicyRow]
    months: list[MonthRow]
    team: TeamView | None  # team and regional partners


def _households(ctx: ServiceContext) -> list[HouseholdRow]:
    out: list[HouseholdRow] = []
    for h in family_queries.list_households(ctx, limit=100, offset=0):
        last = advice.history(ctx, h.id, limit=1)
        score = last[0].score if last else None
        gap = last[0].total_gap if last else None
        out.append(HouseholdRow(h.id, h.account_no, h.head_name, h.member_count, score, gap))
    return out


def _my_policy_ids(ctx: ServiceContext, partner_id: int) -> dict[int, str]:
    s = sellers()
    sold = set(ctx.session.scalars(select(s.c.policy_id).where(s.c.seller == partner_id)))
    services: set[int] = set()
    for pid in service.orphan_policies(ctx, partner_id):
        services.add(pid.id)
    return {
        pid: ("both" if pid in sold and pid in services else "sold" if pid in sold else "services")
        for pid in sold | services
    }


def next_dues(ctx: ServiceContext, policy_ids: list[int]) -> dict[int, date]:
    """Each policy's earliest unpaid, unwaived instalment (policies with none are absent)."""
    if not policy_ids:
        return {}
    rows = ctx.session.execute(
        select(Instalment.policy_id, func.min(Instalment.due_date))
        .where(Instalment.policy_id.in_(policy_ids), Instalment.paid_on.is_(None), Instalment.waived.is_(False))
        .group_by(Instalment.policy_id)
    ).all()
    return {pid: due for pid, due in rows}


def renewal_due(status: str, due: date | None, today: date) -> bool:
    """续期将到期: a live policy whose next premium falls due within the renewal window."""
    return due is not None and status in LIVE and due <= today + timedelta(days=RENEWAL_WINDOW)


def _month_bounds(month: str) -> tuple[date, date]:
    start = date(int(month[:4]), int(month[5:7]), 1)
    nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def team_view(ctx: ServiceContext, partner: Partner, month: str) -> TeamView:
    """我的团队 for a month (``YYYY-MM``, checked by the caller): the partners directly under ``partner`` on any day
    of the month up to ``on`` (the month's end, or today while it runs), each with the policies effective in the
    month sold by it or anyone under it **while it belonged to the team** — the seller's chain of dated memberships
    on the policy's effective date must pass through the member to ``partner`` — and its own net commission of the
    month. A partner who moved team mid-month appears in both teams, each with the sales of its days there. The
    team's totals are the members' sums (the partner's own sales are under 我的保单); ``overrides`` is what the
    partner earned on them (its 管理津贴 lines of the month)."""
    start, end = _month_bounds(month)
    today = ctx.clock.today()
    on = min(end, today) if start <= today else end
    rows = ctx.session.scalars(
        select(MembershipRow).where(
            MembershipRow.valid_from <= end, or_(MembershipRow.valid_to.is_(None), MembershipRow.valid_to > start)
        )
    ).all()
    dated = [Membership(m.partner_id, m.parent_id, m.valid_from, m.valid_to) for m in rows]
    hierarchy = Hierarchy(dated)
    mine: dict[int, list[Membership]] = defaultdict(list)
    for m in dated:
        if m.parent_id == partner.id and m.valid_from <= on:
            mine[m.partner_id].append(m)
    spans: dict[int, tuple[date, date | None, bool]] = {}
    for pid, ms in mine.items():
        first = max(min(m.valid_from for m in ms), start)
        open_end = any(m.valid_to is None or m.valid_to > end for m in ms)
        last = None if open_end else max(m.valid_to for m in ms if m.valid_to is not None) - timedelta(days=1)
        spans[pid] = (first, last, any(m.on(on) for m in ms))
    branch: set[int] = set()  # everyone under the partner on some day of the month (a superset: checked per policy)
    frontier = {partner.id}
    while frontier:
        frontier = {m.partner_id for m in dated if m.parent_id in frontier} - branch - {partner.id}
        branch |= frontier
    count: dict[int, int] = dict.fromkeys(spans, 0)
    premium: dict[int, Decimal] = dict.fromkeys(spans, ZERO)
    if branch:
        s = sellers()
        sold = ctx.session.execute(
            select(s.c.seller, Policy.effective_date, Policy.annual_premium)
            .join(Policy, Policy.id == s.c.policy_id)
            .where(s.c.seller.in_(sorted(branch)), Policy.effective_date.between(start, end))
        ).all()
        for seller, effective, annual in sold:
            chain = [seller, *hierarchy.upline(seller, effective)]
            if partner.id not in chain[1:]:
                continue  # sold while outside the team
            member = chain[chain.index(partner.id) - 1]
            if member not in spans:  # pragma: no cover - a membership starting after ``on`` (a future date)
                continue
            count[member] += 1
            premium[member] += Decimal(annual)
    members: list[TeamMember] = []
    if spans:
        nets = dict(
            ctx.session.execute(
                select(CommissionLine.partner_id, func.sum(CommissionLine.amount))
                .where(CommissionLine.month == month, CommissionLine.partner_id.in_(sorted(spans)))
                .group_by(CommissionLine.partner_id)
            ).all()
        )
        for p in ctx.session.scalars(select(Partner).where(Partner.id.in_(sorted(spans))).order_by(Partner.id)):
            first, last, current = spans[p.id]
            net = Decimal(nets.get(p.id) or 0)
            members.append(TeamMember(p, first, last, current, count[p.id], premium[p.id], net))
    overrides = ctx.session.scalar(
        select(func.sum(CommissionLine.amount)).where(
            CommissionLine.month == month, CommissionLine.partner_id == partner.id, CommissionLine.kind == "override"
        )
    )
    return TeamView(
        month,
        on,
        members,
        sum(count.values()),
        sum(premium.values(), ZERO),
        Decimal(overrides) if overrides is not None else ZERO,
    )


def view(ctx: ServiceContext, team_month: str | None = None) -> Portal:
    partner = service.current(ctx)
    today = ctx.clock.today()
    households = _households(ctx)
    ids = [h.household_id for h in households]
    apps = ctx.session.execute(
        select(Application, func.count(ApplicationInsured.id).filter(ApplicationInsured.uw_status == "referred"))
        .outerjoin(ApplicationInsured, ApplicationInsured.application_id == Application.id)
        .where(
            Application.status.in_(OPEN_APPLICATIONS),
            or_(
                Application.id.in_(
                    select(Attribution.subject_id).where(
                        Attribution.subject == "application", Attribution.selling_partner_id == partner.id
                    )
                ),
                Application.household_id.in_(ids),
            ),
        )
        .group_by(Application.id)
        .order_by(Application.id.desc())
        .limit(100)
    ).all()
    pipeline = [
        PipelineRow(
            a.id,
            a.household_id,
            a.product_code,
            a.status,
            "underwriter" if referred else "payment" if a.status == "awaiting_payment" else "customer",
            a.annual_premium,
        )
        for a, referred in apps
    ]
    roles = _my_policy_ids(ctx, partner.id)
    policies: list[PolicyRow] = []
    if roles:
        next_due = next_dues(ctx, list(roles))
        for p in ctx.session.scalars(select(Policy).where(Policy.id.in_(list(roles))).order_by(Policy.id.desc())):
            due = next_due.get(p.id)
            soon = renewal_due(p.status, due, today)
            policies.append(
                PolicyRow(p.id, p.policy_no, p.product_code, p.status, p.annual_premium, due, soon, roles[p.id])
            )
    visits = [
        VisitRow(no, due, st)
        for no, due, st in ctx.session.execute(
            select(Policy.policy_no, ReturnVisit.due_on, ReturnVisit.status)
            .join(Policy, Policy.id == ReturnVisit.policy_id)
            .where(
                ReturnVisit.policy_id.in_(list(roles) or [0]),
                ReturnVisit.status.in_(("pending", "code_sent", "needs_human")),
            )
            .order_by(ReturnVisit.due_on)
        )
    ]
    months = [
        MonthRow(m, Decimal(total))
        for m, total in ctx.session.execute(
            select(CommissionLine.month, func.sum(CommissionLine.amount))
            .where(CommissionLine.partner_id == partner.id)
            .group_by(CommissionLine.month)
            .order_by(CommissionLine.month.desc())
            .limit(24)
        )
    ]
    month = team_month or f"{today:%Y-%m}"
    team = team_view(ctx, partner, month) if partner.kind in ("team", "regional") else None
    return Portal(partner, households, pipeline, visits, policies, months, team)
