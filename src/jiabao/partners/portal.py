"""What the partner portal shows (我的客户、我的业务、我的佣金、我的团队): read-only queries over the households the
partner serves, its applications, policies and commission lines. Access: the partner sees only its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select

from jiabao.advice import service as advice
from jiabao.db.context import ServiceContext
from jiabao.family import queries as family_queries
from jiabao.partners import service
from jiabao.partners.models import Attribution, CommissionLine, Partner
from jiabao.partners.quality import sellers
from jiabao.policies.application.models import Application, ApplicationInsured
from jiabao.policies.common.models import Instalment, Policy, ReturnVisit

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
class Portal:
    partner: Partner
    households: list[HouseholdRow]
    pipeline: list[PipelineRow]
    visits: list[VisitRow]
    policies: list[PolicyRow]
    months: list[MonthRow]
    team: list[Partner]


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


def view(ctx: ServiceContext) -> Portal:
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
    team = service.team_of(ctx, partner.id, today) if partner.kind in ("team", "regional") else []
    return Portal(partner, households, pipeline, visits, policies, months, team)
