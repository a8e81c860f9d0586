"""Premium events for the commission run — the ONE place the partner domain reads money from other domains.

``premium_events(session, start, end)`` returns the month's premiums received (``payments`` rows in, with the
instalment they paid for the policy year) and the policies that ended in it by cooling-off cancellation, surrender
or rescission. When the household ledger (branch ledger12) lands, this function switches to the ledger's premium
entries; nothing else in ``jiabao.partners`` reads payments or policies for commissions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from jiabao.partners.engine.run import PremiumEvent
from jiabao.partners.models import Attribution
from jiabao.policies.common.models import Instalment, Payment, Policy

PREMIUM_KINDS = ("first_premium", "renewal_premium", "reinstatement")
PER_YEAR = {"annual": 1, "semi_annual": 2, "quarterly": 4, "monthly": 12}
RESCISSION_REASONS = ("rescission", "rescinded")


def policy_year(effective: date, on: date) -> int:
    """Policy year (1-based) a date falls in, counting anniversaries of the effective date."""
    years = on.year - effective.year - ((on.month, on.day) < (effective.month, effective.day))
    return max(1, years + 1)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, UTC), datetime.combine(end + timedelta(days=1), time.min, UTC)


def premium_events(session: Session, start: date, end: date) -> list[PremiumEvent]:
    """Premiums received and policies ended between ``start`` and ``end`` (inclusive), with the selling partner of
    each policy (its own attribution, else the application's)."""
    lo, hi = _bounds(start, end)
    by_policy, by_application = aliased(Attribution), aliased(Attribution)
    seller = by_policy.selling_partner_id
    app_seller = by_application.selling_partner_id
    joins = (
        (by_policy, and_(by_policy.subject == "policy", by_policy.subject_id == Policy.id)),
        (
            by_application,
            and_(by_application.subject == "application", by_application.subject_id == Policy.application_id),
        ),
    )
    stmt = (
        select(
            Payment.id,
            Payment.amount,
            Payment.created_at,
            Instalment.seq,
            Instalment.due_date,
            Policy.id,
            Policy.product_code,
            Policy.payment_term,
            Policy.frequency,
            Policy.annual_premium,
            Policy.effective_date,
            seller,
            app_seller,
        )
        .join(Policy, Policy.id == Payment.policy_id)
        .outerjoin(Instalment, Instalment.payment_id == Payment.id)
        .outerjoin(*joins[0])
        .outerjoin(*joins[1])
        .where(
            Payment.direction == "in",
            Payment.status == "succeeded",
            Payment.kind.in_(PREMIUM_KINDS),
            Payment.created_at >= lo,
            Payment.created_at < hi,
        )
        .order_by(Payment.id)
    )
    out: list[PremiumEvent] = []
    seen: set[int] = set()
    for pid, amount, at, seq, due, pol, product, term, freq, annual, effective, s1, s2 in session.execute(stmt):
        if pid in seen:  # one payment may settle several instalments: the first one places it in a year
            continue
        seen.add(pid)
        on = at.astimezone(UTC).date()
        year = policy_year(effective, due or on)
        first = seq is None or (seq - 1) % PER_YEAR.get(freq, 1) == 0
        out.append(
            PremiumEvent(
                f"payment:{pid}",
                "premium",
                pol,
                s1 or s2,
                product,
                term,
                year,
                first,
                Decimal(annual),
                Decimal(amount),
                on,
                effective,
            )
        )
    ended = (
        select(
            Policy.id,
            Policy.status,
            Policy.end_reason,
            Policy.ended_on,
            Policy.product_code,
            Policy.payment_term,
            Policy.annual_premium,
            Policy.effective_date,
            seller,
            app_seller,
        )
        .outerjoin(*joins[0])
        .outerjoin(*joins[1])
        .where(
            Policy.ended_on >= start,
            Policy.ended_on <= end,
            Policy.status.in_(("cancelled", "surrendered", "terminated")),
        )
        .order_by(Policy.id)
    )
    for pol, status, reason, ended_on, product, term, annual, effective, s1, s2 in session.execute(ended):
        kind = _termination(status, reason)
        if kind is None or ended_on is None:
            continue
        out.append(
            PremiumEvent(
                f"end:{pol}",
                kind,
                pol,
                s1 or s2,
                product,
                term,
                policy_year(effective, ended_on),
                False,
                Decimal(annual),
                Decimal(0),
                ended_on,
                effective,
            )
        )
    return out


def _termination(status: str, reason: str | None) -> str | None:
    if status == "cancelled" and reason == "cooling_off_cancellation":
        return "cooling_off"
    if status == "surrendered":
        return "surrender"
    if reason in RESCISSION_REASONS:
        return "rescission"
    return None
