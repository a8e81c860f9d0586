"""A worklist home for every staff role (issue 11, item 7): the queues the role works from, their deadlines or
ages, and the figures the role is judged by (the KPIs of :mod:`jiabao.reporting.definitions`, last 30 days).

Read-only queries over the operating tables, like the rest of ``reporting``; each queue links to the page where
its items are worked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiabao.claims.models import Claim
from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.identity.models import CallbackRequest, User
from jiabao.policies.common.models import Policy, ReturnVisit, ServiceCase, ServiceRequest
from jiabao.reporting import kpis
from jiabao.risk.aml.models import AmlCase
from jiabao.risk.fraud.models import RiskAssessment
from jiabao.risk.screening.models import ScreeningCase
from jiabao.underwriting.models import Referral
from jiabao.valuation.models import ValuationRun
from jiabao.voice.models import Complaint
from jiabao.voice.taxonomy import OPEN_STATUSES

PERIOD_DAYS = 30


@dataclass
class Queue:
    """One queue: how many items wait, the oldest one's age (days) or the nearest deadline, how many are late."""

    key: str
    count: int
    link: str
    oldest_days: int | None = None
    next_due: date | None = None
    overdue: int = 0


@dataclass
class Worklist:
    role: str
    queues: list[Queue] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    users_by_role: dict[str, int] = field(default_factory=dict)
    audit_today: dict[str, int] = field(default_factory=dict)


FIGURES: dict[Role, tuple[str, ...]] = {
    Role.UNDERWRITER: ("smart_uw_stp_share", "smart_uw_policies"),
    Role.CLAIMS: (
        "claims_online_rate",
        "claims_straight_through_share",
        "claims_time_to_payment_p50",
        "claims_time_to_payment_p90",
    ),
    Role.SERVICE: (
        "servicing_online_rate",
        "return_visit_success",
        "complaints_total",
        "elderly_served_elderly_channels",
    ),
    Role.RISK: ("risk_screenings", "risk_interceptions", "risk_interception_rate"),
    Role.ACTUARY: ("family_regular_premium_share", "family_accounts_new"),
    Role.ADMIN: ("servicing_online_rate", "claims_online_rate", "return_visit_success", "smart_uw_stp_share"),
    Role.AUDITOR: ("complaints_total", "return_visit_success", "claims_straight_through_share"),
}


def _count(session: Session, stmt: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _age_days(oldest: datetime | None, now: datetime) -> int | None:
    if oldest is None:
        return None
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return max(0, (now - oldest).days)


def _aged(session: Session, key: str, link: str, model: Any, column: Any, where: Any, now: datetime) -> Queue:
    stmt = select(model.id).where(where)
    oldest = session.scalar(select(func.min(column)).where(where))
    return Queue(key, _count(session, stmt), link, oldest_days=_age_days(oldest, now))


def _due(session: Session, key: str, link: str, model: Any, where: Any, today: date) -> Queue:
    stmt = select(model.id).where(where)
    next_due = session.scalar(select(func.min(model.due_on)).where(where, model.due_on >= today))
    overdue = _count(session, select(model.id).where(where, model.due_on < today))
    return Queue(key, _count(session, stmt), link, next_due=next_due, overdue=overdue)


def underwriting_queues(session: Session, now: datetime) -> list[Queue]:
    referrals = _aged(session, "referrals", "/underwriting/referrals", Referral, Referral.created_at,
                      Referral.status.in_(("open", "taken")), now)  # fmt: skip
    reinstatements = _aged(
        session, "reinstatements", "/reinstatements", ServiceRequest, ServiceRequest.requested_at,
        (ServiceRequest.kind == "reinstatement") & (ServiceRequest.status == "referred"), now,
    )  # fmt: skip
    return [referrals, reinstatements]


def claims_queues(session: Session, now: datetime) -> list[Queue]:
    return [
        _aged(session, "claims_referred", "/claims-queue", Claim, Claim.reported_at, Claim.status == "referred", now),
        _aged(
            session, "claims_advance", "/claims-queue", Claim, Claim.reported_at, Claim.status == "advance_paid", now
        ),
    ]


def service_queues(session: Session, now: datetime, today: date) -> list[Queue]:
    open_visits = ReturnVisit.status.in_(("pending", "code_sent", "needs_human")) & ReturnVisit.policy_id.in_(
        select(Policy.id).where(Policy.status != "cancelled")
    )
    callbacks = _aged(session, "callbacks", "/callbacks", CallbackRequest, CallbackRequest.requested_at,
                      CallbackRequest.status == "open", now)  # fmt: skip
    callbacks.overdue = _count(
        session, select(CallbackRequest.id).where(CallbackRequest.status == "open", CallbackRequest.due_at < now)
    )
    return [
        callbacks,
        _due(session, "return_visits", "/households", ReturnVisit, open_visits, today),
        _due(session, "visits_by_phone", "/households", ReturnVisit, ReturnVisit.status == "needs_human", today),
        _due(
            session,
            "complaints",
            "/complaints-queue",
            Complaint,
            Complaint.status.in_([s.value for s in OPEN_STATUSES]),
            today,
        ),
        _due(session, "mis_selling_cases", "/households", ServiceCase, ServiceCase.status == "open", today),
    ]


def risk_queues(session: Session, now: datetime, today: date) -> list[Queue]:
    return [
        _aged(
            session,
            "screening_cases",
            "/risk/screening",
            ScreeningCase,
            ScreeningCase.created_at,
            ScreeningCase.status == "open",
            now,
        ),
        _aged(
            session,
            "application_alerts",
            "/risk/applications",
            RiskAssessment,
            RiskAssessment.created_at,
            (RiskAssessment.kind == "application") & (RiskAssessment.status == "open"),
            now,
        ),
        _aged(
            session,
            "claim_alerts",
            "/risk/claims",
            RiskAssessment,
            RiskAssessment.created_at,
            (RiskAssessment.kind == "claim") & (RiskAssessment.status == "open"),
            now,
        ),
        _due(session, "aml_cases", "/risk/aml", AmlCase, AmlCase.status.in_(("pending", "open", "to_report")), today),
    ]


def _figures(session: Session, role: Role, today: date) -> list[dict[str, Any]]:
    codes = FIGURES.get(role, ())
    if not codes:
        return []
    values = kpis.compute(session, today - timedelta(days=PERIOD_DAYS - 1), today)
    return [{"code": c, **values[c].as_dict()} for c in codes if c in values]


def worklist(session: Session, role: Role, *, now: datetime, today: date) -> Worklist:
    """What the role's home shows."""
    out = Worklist(role=role.value, figures=_figures(session, role, today))
    if role in (Role.UNDERWRITER, Role.ADMIN):
        out.queues += underwriting_queues(session, now)
    if role in (Role.CLAIMS, Role.ADMIN):
        out.queues += claims_queues(session, now)
    if role in (Role.SERVICE, Role.ADMIN):
        out.queues += service_queues(session, now, today)
    if role in (Role.RISK, Role.ADMIN, Role.AUDITOR):
        out.queues += risk_queues(session, now, today)
    if role in (Role.ACTUARY, Role.ADMIN, Role.AUDITOR):
        runs = session.scalars(select(ValuationRun).order_by(ValuationRun.id.desc()).limit(5)).all()
        out.runs = [
            {
                "id": r.id,
                "valuation_date": r.valuation_date,
                "policies": r.policies,
                "seconds": r.seconds,
                "executor": r.executor,
                "started_at": r.started_at,
            }
            for r in runs
        ]
        in_force = _count(session, select(Policy.id).where(Policy.status.in_(("in_force", "in_grace"))))
        last = runs[0].valuation_date if runs else None
        out.queues.append(Queue("valuation", in_force, "/valuation", oldest_days=(today - last).days if last else None))
    if role is Role.ADMIN:
        out.users_by_role = {
            str(r): int(n) for r, n in session.execute(
                select(User.role, func.count(User.id)).where(User.active.is_(True)).group_by(User.role)
            )
        }  # fmt: skip
    if role in (Role.AUDITOR, Role.ADMIN):
        since = now - timedelta(hours=24)
        rows = session.execute(
            select(AuditEntry.action, func.count(AuditEntry.id))
            .where(AuditEntry.at >= since)
            .group_by(AuditEntry.action)
        ).all()
        counts = {str(a): int(n) for a, n in rows}
        out.audit_today = {
            "entries": sum(counts.values()),
            "identity_reads": sum(n for a, n in counts.items() if a.startswith(("pii.", "person.identity"))),
            "failed_logins": counts.get("auth.login_failed", 0) + counts.get("sms.code_failed", 0),
            "role_changes": sum(n for a, n in counts.items() if a.startswith("admin.user")),
        }
    return out
