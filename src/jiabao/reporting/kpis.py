"""Each KPI of ``jiabao.reporting.definitions`` computed by a query over the operating tables, for a period."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiabao.claims.models import Claim, ClaimAssessment
from jiabao.family.models import Household, Person
from jiabao.identity.models import User
from jiabao.policies.common.models import Payment, Policy, PolicyInsured, ReturnVisit, ServiceRequest
from jiabao.policies.return_visit.service import OPEN
from jiabao.reporting.definitions import BY_CODE, KPIS
from jiabao.reporting.risk_provider import risk_counts
from jiabao.underwriting.models import UnderwritingDecision
from jiabao.voice.analysis import PREMIUM_KINDS, period_summary
from jiabao.voice.models import Complaint

ELDERLY_AGE = 60


@dataclass
class KpiValue:
    code: str
    value: float | int | None
    numerator: float | int | None
    denominator: float | int | None
    available: bool = True
    reason: str | None = None
    breakdown: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        k = BY_CODE[self.code]
        out: dict[str, Any] = {
            "name_zh": k.name_zh,
            "name_en": k.name_en,
            "unit": k.unit,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "definition": {"numerator": k.numerator, "denominator": k.denominator},
            "available": self.available,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.breakdown:
            out.update(self.breakdown)
        return out


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC) - timedelta(hours=8)  # Beijing midnight


def _pct(part: int | Decimal, whole: int | Decimal) -> float | None:
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _ratio(code: str, part: int, whole: int) -> KpiValue:
    return KpiValue(code, _pct(part, whole), part, whole)


def _count(session: Session, stmt: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def family_accounts(session: Session, start: date, end: date) -> list[KpiValue]:
    total = int(
        session.scalar(select(func.count(Household.id)).where(Household.created_at < _utc(end + timedelta(1)))) or 0
    )
    new = int(
        session.scalar(
            select(func.count(Household.id)).where(
                Household.created_at >= _utc(start), Household.created_at < _utc(end + timedelta(1))
            )
        )
        or 0
    )
    return [KpiValue("family_accounts_total", total, total, None), KpiValue("family_accounts_new", new, new, None)]


def family_regular_premium_share(session: Session, start: date, end: date) -> KpiValue:
    live = (
        select(Policy.id)
        .where(Policy.effective_date <= end)
        .where((Policy.ended_on.is_(None)) | (Policy.ended_on > end))
    )
    covered = (
        select(Policy.household_id)
        .join(PolicyInsured, PolicyInsured.policy_id == Policy.id)
        .where(Policy.id.in_(live), PolicyInsured.status == "active")
        .group_by(Policy.household_id)
        .having(func.count(func.distinct(PolicyInsured.person_id)) >= 2)
    )
    base = (
        select(func.coalesce(func.sum(Payment.amount), 0))
        .join(Policy, Policy.id == Payment.policy_id)
        .where(
            Payment.direction == "in",
            Payment.status == "succeeded",
            Payment.kind.in_(PREMIUM_KINDS),
            Payment.created_at >= _utc(start),
            Payment.created_at < _utc(end + timedelta(1)),
            Policy.payment_term > 1,
        )
    )
    whole = Decimal(session.scalar(base) or 0)
    part = Decimal(session.scalar(base.where(Policy.household_id.in_(covered))) or 0)
    return KpiValue("family_regular_premium_share", _pct(part, whole), float(part), float(whole))


def servicing_online_rate(session: Session, start: date, end: date) -> KpiValue:
    rows = select(ServiceRequest.id).where(
        ServiceRequest.requested_at >= _utc(start), ServiceRequest.requested_at < _utc(end + timedelta(1))
    )
    return _ratio(
        "servicing_online_rate", _count(session, rows.where(ServiceRequest.channel == "online")), _count(session, rows)
    )


def _claims_in(start: date, end: date) -> Any:
    return select(Claim.id).where(Claim.reported_at >= _utc(start), Claim.reported_at < _utc(end + timedelta(1)))


def claims_kpis(session: Session, start: date, end: date) -> list[KpiValue]:
    reported = _claims_in(start, end)
    total = _count(session, reported)
    online = _count(session, reported.where(Claim.channel == "online"))
    straight = _count(
        session,
        select(func.distinct(ClaimAssessment.claim_id)).where(
            ClaimAssessment.claim_id.in_(reported),
            ClaimAssessment.automated.is_(True),
            ClaimAssessment.outcome == "approve_straight_through",
        ),
    )
    paid = session.execute(
        select(Claim.reported_at, Claim.paid_at).where(
            Claim.paid_at.is_not(None), Claim.paid_at >= _utc(start), Claim.paid_at < _utc(end + timedelta(1))
        )
    ).all()
    hours = sorted((p - r).total_seconds() / 3600 for r, p in paid if p is not None)

    def rank(q: float) -> float | None:
        if not hours:
            return None
        return round(hours[max(0, math.ceil(q * len(hours)) - 1)], 2)

    return [
        _ratio("claims_online_rate", online, total),
        _ratio("claims_straight_through_share", straight, total),
        KpiValue("claims_time_to_payment_p50", rank(0.5), None, len(hours)),
        KpiValue("claims_time_to_payment_p90", rank(0.9), None, len(hours)),
    ]


def smart_underwriting(session: Session, start: date, end: date) -> list[KpiValue]:
    issued = select(Policy.id).where(Policy.issued_at >= _utc(start), Policy.issued_at < _utc(end + timedelta(1)))
    total = _count(session, issued)
    insureds = session.execute(
        select(PolicyInsured.policy_id, UnderwritingDecision.automated)
        .join(UnderwritingDecision, UnderwritingDecision.id == PolicyInsured.decision_id, isouter=True)
        .where(PolicyInsured.policy_id.in_(issued))
    ).all()
    by_policy: dict[int, list[bool | None]] = {}
    for pid, automated in insureds:
        by_policy.setdefault(pid, []).append(automated)
    through_engine = sum(1 for flags in by_policy.values() if all(f is not None for f in flags))
    automatic = sum(1 for flags in by_policy.values() if flags and all(f is True for f in flags))
    return [
        KpiValue("smart_uw_policies", through_engine, through_engine, total),
        _ratio("smart_uw_stp_share", automatic, total),
    ]


def risk_kpis(session: Session, start: date, end: date) -> list[KpiValue]:
    counts = risk_counts(session, start, end)
    if not counts.available:
        return [
            KpiValue(code, None, None, None, available=False, reason=counts.reason)
            for code in ("risk_screenings", "risk_interceptions", "risk_interception_rate")
        ]
    screenings, interceptions = counts.screenings or 0, counts.interceptions or 0
    return [
        KpiValue("risk_screenings", screenings, screenings, None),
        KpiValue("risk_interceptions", interceptions, interceptions, None),
        _ratio("risk_interception_rate", interceptions, screenings),
    ]


def return_visit_success(session: Session, start: date, end: date) -> KpiValue:
    rows = session.execute(
        select(ReturnVisit.status)
        .join(Policy, Policy.id == ReturnVisit.policy_id)
        .where(ReturnVisit.due_on >= start, ReturnVisit.due_on <= end)
        .where((Policy.status != "cancelled") | ReturnVisit.status.not_in(OPEN))
    ).all()
    due = len(rows)
    success = sum(1 for (s,) in rows if s in ("passed", "mis_selling"))
    return _ratio("return_visit_success", success, due)


def complaints(session: Session, start: date, end: date) -> KpiValue:
    summary = period_summary(session, start, end)
    return KpiValue(
        "complaints_total",
        summary["total"],
        summary["total"],
        None,
        breakdown={"by_category": summary["by_category"], "by_region": summary["by_region"]},
    )


def elderly_served(session: Session, start: date, end: date) -> KpiValue:
    born_before = date(end.year - ELDERLY_AGE, end.month, min(end.day, 28) if end.month == 2 else end.day)
    elderly = select(Person.id).where(Person.birth_date <= born_before)
    served: set[int] = set()
    through: set[int] = set()
    for pid, flag in session.execute(
        select(Policy.policyholder_person_id, ReturnVisit.elderly)
        .join(Policy, Policy.id == ReturnVisit.policy_id)
        .where(ReturnVisit.due_on >= start, ReturnVisit.due_on <= end, Policy.policyholder_person_id.in_(elderly))
    ).all():
        served.add(pid)
        if flag:
            through.add(pid)
    for complainant, flag in session.execute(
        select(Complaint.complainant_person_id, Complaint.elderly).where(
            Complaint.received_on >= start, Complaint.received_on <= end, Complaint.complainant_person_id.in_(elderly)
        )
    ).all():
        if complainant is None:
            continue
        pid = complainant
        served.add(pid)
        if flag:
            through.add(pid)
    served |= set(
        session.scalars(
            _claims_in(start, end)
            .with_only_columns(Claim.insured_person_id)
            .where(Claim.insured_person_id.in_(elderly))
        )
    )
    if served:
        elder_mode = select(User.person_id).where(User.elderly_mode.is_(True), User.person_id.in_(served))
        through |= {p for p in session.scalars(elder_mode) if p is not None}
    return KpiValue("elderly_served_elderly_channels", len(through), len(through), len(served))


def compute(session: Session, start: date, end: date) -> dict[str, KpiValue]:
    values = [
        *family_accounts(session, start, end),
        family_regular_premium_share(session, start, end),
        servicing_online_rate(session, start, end),
        *claims_kpis(session, start, end),
        *smart_underwriting(session, start, end),
        *risk_kpis(session, start, end),
        return_visit_success(session, start, end),
        complaints(session, start, end),
        elderly_served(session, start, end),
    ]
    by_code = {v.code: v for v in values}
    return {k.code: by_code[k.code] for k in KPIS}


def annual_report(session: Session, year: int) -> dict[str, Any]:
    """``jiabao report kpi --year``: every KPI with its numerator and denominator."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return {
        "year": year,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "kpis": {code: v.as_dict() for code, v in compute(session, start, end).items()},
    }
