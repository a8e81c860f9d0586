"""Quality figures per partner from the operating tables (policies, claims, complaints, return visits) and the
review flag. The pure thresholds are in ``engine.quality``; these queries only count.

These figures feed the risk scoring and the complaint warnings through ``figures_for`` (one call per partner)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from jiabao.claims.models import Claim, ClaimLine
from jiabao.db.context import ServiceContext
from jiabao.partners.engine.quality import QualityCounts, QualityFigures, Thresholds, figures
from jiabao.partners.engine.run import QualityFacts
from jiabao.partners.models import Attribution, Partner
from jiabao.policies.common.models import Policy, ReturnVisit
from jiabao.voice.models import Complaint

LIVE = ("in_force", "in_grace", "suspended")
EARLY_YEARS = 2


def sellers() -> Any:
    """Subquery: policy id → selling partner (the policy's own attribution, else its application's)."""
    by_policy = aliased(Attribution)
    by_app = aliased(Attribution)
    return (
        select(
            Policy.id.label("policy_id"),
            func.coalesce(by_policy.selling_partner_id, by_app.selling_partner_id).label("seller"),
        )
        .outerjoin(by_policy, and_(by_policy.subject == "policy", by_policy.subject_id == Policy.id))
        .outerjoin(by_app, and_(by_app.subject == "application", by_app.subject_id == Policy.application_id))
        .subquery()
    )


def seller_of_application(ctx: ServiceContext, application_id: int) -> Partner | None:
    """The network partner recorded as selling an application (for the application risk scoring), if any."""
    stmt = (
        select(Partner)
        .join(Attribution, Attribution.selling_partner_id == Partner.id)
        .where(Attribution.subject == "application", Attribution.subject_id == application_id)
    )
    return ctx.session.scalars(stmt).first()


def in_force_series(session: Session, user_id: int, days: Sequence[date]) -> tuple[Partner, list[int]] | None:
    """For the complaint early warnings: the network partner whose log-in complaints name (``complaints.partner_id``
    is the user) and, for each day, how many of the policies it sold were in force (effective, not yet ended) —
    the exposure its complaint counts are set against. None when the user is not a network partner."""
    partner = session.scalars(select(Partner).where(Partner.user_id == user_id)).first()
    if partner is None:
        return None
    s = sellers()
    rows = session.execute(
        select(Policy.effective_date, Policy.ended_on).where(
            Policy.id.in_(select(s.c.policy_id).where(s.c.seller == partner.id))
        )
    ).all()
    return partner, [sum(1 for eff, ended in rows if eff <= d and (ended is None or ended > d)) for d in days]


def _year_back(on: date) -> date:
    return on - timedelta(days=365)


def quality_facts(ctx: ServiceContext, partner_ids: Iterable[int], on: date) -> dict[int, QualityFacts]:
    """Complaints naming each partner in the 12 months to ``on`` and its early-claim share (claims on its policies
    in their first two policy years over its policies sold), for the quality bonus."""
    ids = sorted(set(partner_ids))
    if not ids:
        return {}
    users: dict[int, int] = {
        u: p for u, p in ctx.session.execute(select(Partner.user_id, Partner.id).where(Partner.id.in_(ids)))
    }
    complaints: dict[int, int] = defaultdict(int)
    stmt = (
        select(Complaint.partner_id, func.count())
        .where(
            Complaint.partner_id.in_(list(users)), Complaint.received_on > _year_back(on), Complaint.received_on <= on
        )
        .group_by(Complaint.partner_id)
    )
    for user_id, n in ctx.session.execute(stmt):
        if user_id is not None:
            complaints[users[user_id]] += n
    s = sellers()
    sold: dict[int, int] = dict(
        ctx.session.execute(select(s.c.seller, func.count()).where(s.c.seller.in_(ids)).group_by(s.c.seller)).all()
    )
    early = _early_claims(ctx, s, ids)
    out: dict[int, QualityFacts] = {}
    for pid in ids:
        share = Decimal(early.get(pid, 0)) / Decimal(sold[pid]) if sold.get(pid) else Decimal(0)
        out[pid] = QualityFacts(complaints[pid], share)
    return out


def _early_claims(ctx: ServiceContext, s: Any, partner_ids: list[int]) -> dict[int, int]:
    """Per seller: its policies with a claim whose event fell within ``EARLY_YEARS`` policy years of the effective
    date. The date window is compared in Python: date arithmetic in SQL differs between PostgreSQL and SQLite
    (where ``date + interval`` silently became a number and no claim ever counted)."""
    stmt = (
        select(s.c.seller, s.c.policy_id, Policy.effective_date, Claim.event_date)
        .join(ClaimLine, ClaimLine.policy_id == s.c.policy_id)
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .join(Policy, Policy.id == s.c.policy_id)
        .where(s.c.seller.in_(partner_ids))
    )
    early: dict[int, set[int]] = defaultdict(set)
    for seller, policy_id, effective, event in ctx.session.execute(stmt):
        if event < effective + timedelta(days=365 * EARLY_YEARS):
            early[seller].add(policy_id)
    return {seller: len(ids) for seller, ids in early.items()}


def counts(ctx: ServiceContext, partner: Partner, on: date) -> QualityCounts:
    """Everything the quality figures need for one partner, as of ``on``."""
    s = sellers()
    mine = select(s.c.policy_id).where(s.c.seller == partner.id)
    policies = ctx.session.execute(select(Policy.effective_date, Policy.status).where(Policy.id.in_(mine))).all()
    start = _year_back(on)

    def anniversary(d: date, years: int) -> date:
        try:
            return d.replace(year=d.year + years)
        except ValueError:  # 29 February
            return d.replace(year=d.year + years, day=28)

    due13 = [st for eff, st in policies if start < anniversary(eff, 1) <= on]
    due25 = [st for eff, st in policies if start < anniversary(eff, 2) <= on]
    early = _early_claims(ctx, s, [partner.id]).get(partner.id, 0)
    complaints = ctx.session.scalar(
        select(func.count()).where(
            Complaint.partner_id == partner.user_id, Complaint.received_on > start, Complaint.received_on <= on
        )
    )
    visits = ctx.session.execute(
        select(ReturnVisit.status, func.count()).where(ReturnVisit.policy_id.in_(mine)).group_by(ReturnVisit.status)
    ).all()
    by_status = dict(visits)
    done = sum(n for st, n in by_status.items() if st in ("passed", "mis_selling", "needs_human"))
    return QualityCounts(
        due_13=len(due13),
        kept_13=sum(1 for st in due13 if st in LIVE),
        due_25=len(due25),
        kept_25=sum(1 for st in due25 if st in LIVE),
        policies_sold=len(policies),
        early_claims=early,
        in_force=sum(1 for _, st in policies if st in LIVE),
        complaints=int(complaints or 0),
        return_visits=done,
        return_visit_failures=by_status.get("needs_human", 0) + by_status.get("mis_selling", 0),
        mis_selling=by_status.get("mis_selling", 0),
    )


def figures_for(
    ctx: ServiceContext, partner: Partner, on: date, thresholds: Thresholds = Thresholds()
) -> QualityFigures:
    return figures(counts(ctx, partner, on), thresholds)


def review(ctx: ServiceContext, partner: Partner, on: date, thresholds: Thresholds = Thresholds()) -> QualityFigures:
    """Compute the figures and put the partner under review (or clear it) with the reasons."""
    result = figures_for(ctx, partner, on, thresholds)
    before = list(partner.review.get("reasons", []))
    if list(result.reasons) != before:
        partner.review = {"reasons": list(result.reasons), "since": on.isoformat()} if result.reasons else {}
        ctx.session.flush()
        ctx.audit("partner.review", "partner", partner.id, {"reasons": list(result.reasons)})
    return result
