"""Every query the fraud scoring makes. Risk control reads across the platform's business (applications,
policies, payments, claims, persons) by design; it writes only its own tables."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from jiabao.claims.models import Claim, ClaimInvoice
from jiabao.db.context import ServiceContext
from jiabao.family.income import open_income
from jiabao.family.models import Household, Member, Person
from jiabao.policies.application.family_models import FamilyApplicationItem
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import Payment, Policy, PolicyInsured
from jiabao.risk.fraud.models import RiskAssessment, RiskIdentifier

CLAIM_FACTS_COLUMN = "claims.facts"
CLAIM_ACCOUNT_COLUMN = "claims.account"
PAYMENT_ACCOUNT_COLUMN = "payments.account"
ACCOUNT_INDEX = "risk.account"
HOSPITAL_INDEX = "risk.hospital"


def household_persons(ctx: ServiceContext, household_id: int) -> set[int]:
    """Everyone who is or was a member: sharing with a former member is still sharing within the family."""
    return set(ctx.session.scalars(select(Member.person_id).where(Member.household_id == household_id)))


def households_of(ctx: ServiceContext, person_ids: Iterable[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    ids = list(person_ids)
    if not ids:
        return out
    for person, household in ctx.session.execute(
        select(Member.person_id, Member.household_id).where(Member.person_id.in_(ids))
    ):
        out.setdefault(person, set()).add(household)
    return out


def other_households_sharing_phone(ctx: ServiceContext, household_id: int, person_ids: set[int]) -> int:
    bidx = {b for b in ctx.session.scalars(select(Person.phone_bidx).where(Person.id.in_(person_ids))) if b is not None}
    if not bidx:
        return 0
    others = ctx.session.scalars(
        select(Member.household_id)
        .join(Person, Person.id == Member.person_id)
        .where(Person.phone_bidx.in_(bidx), Member.household_id != household_id)
        .distinct()
    ).all()
    mine = household_persons(ctx, household_id)
    # a person in two households (a child who married out) is the same person, not a shared phone
    related = set(ctx.session.scalars(select(Member.household_id).where(Member.person_id.in_(mine))))
    return len(set(others) - related)


def other_households_sharing_account(ctx: ServiceContext, household_id: int) -> int:
    mine = select(RiskIdentifier.bidx).where(
        RiskIdentifier.kind == "account", RiskIdentifier.household_id == household_id
    )
    persons = household_persons(ctx, household_id)
    related = set(ctx.session.scalars(select(Member.household_id).where(Member.person_id.in_(persons))))
    others = ctx.session.scalars(
        select(RiskIdentifier.household_id)
        .where(RiskIdentifier.kind == "account", RiskIdentifier.bidx.in_(mine))
        .distinct()
    ).all()
    return len(set(others) - related)


def recent_applications(ctx: ServiceContext, household_id: int, application_id: int, since: datetime) -> int:
    """Other applications of the household since ``since``; a family application (several products applied for
    together, issue 12) counts once, and the products of this application's own family application not at all."""
    stmt = (
        select(Application.id, FamilyApplicationItem.family_application_id)
        .outerjoin(FamilyApplicationItem, FamilyApplicationItem.application_id == Application.id)
        .where(Application.household_id == household_id, Application.created_at >= since)
    )
    rows = list(ctx.session.execute(stmt).all())
    own = next((fa for app, fa in rows if app == application_id), None)
    others = {f"f{fa}" if fa is not None else f"a{app}" for app, fa in rows if app != application_id}
    others.discard(f"f{own}")
    return len(others)


def existing_cover(ctx: ServiceContext, person_id: int) -> Decimal:
    rows = ctx.session.scalars(
        select(PolicyInsured.sum_assured)
        .join(Policy, Policy.id == PolicyInsured.policy_id)
        .where(
            PolicyInsured.person_id == person_id,
            PolicyInsured.status == "active",
            Policy.status.in_(("in_force", "in_grace", "suspended")),
        )
    )
    return sum(rows, Decimal(0))


def income_of(ctx: ServiceContext, person_id: int) -> Decimal | None:
    """The person's declared annual income (encrypted at rest, opened here for the scoring only)."""
    return open_income(ctx.cipher, ctx.session.scalar(select(Person.annual_income_enc).where(Person.id == person_id)))


def latest_diagnosis(ctx: ServiceContext, person_id: int) -> date | None:
    """The latest diagnosis or illness event recorded in any claim of this person (facts are decrypted here,
    in the process; nothing leaves it)."""
    latest: date | None = None
    for blob, event in ctx.session.execute(
        select(Claim.facts_enc, Claim.event_date).where(Claim.insured_person_id == person_id)
    ):
        days = [event]
        if blob:
            facts = json.loads(ctx.cipher.decrypt(CLAIM_FACTS_COLUMN, blob))
            for d in facts.get("claim", {}).get("diagnoses", []):
                if d.get("first_diagnosed_on"):
                    days.append(date.fromisoformat(d["first_diagnosed_on"]))
        candidate = max(days)
        latest = candidate if latest is None or candidate > latest else latest
    return latest


def agent_of(ctx: ServiceContext, household_id: int) -> int | None:
    return ctx.session.scalar(select(Household.partner_id).where(Household.id == household_id))


def agent_record(ctx: ServiceContext, agent_id: int) -> tuple[int, int]:
    """(policies sold to the agent's households, of which with a claim whose event was in the first year)."""
    policies = ctx.session.execute(
        select(Policy.id, Policy.household_id, Policy.effective_date)
        .join(Household, Household.id == Policy.household_id)
        .where(Household.partner_id == agent_id)
    ).all()
    if not policies:
        return 0, 0
    claims: dict[int, list[date]] = {}
    for household, event in ctx.session.execute(
        select(Claim.household_id, Claim.event_date).where(Claim.household_id.in_({p[1] for p in policies}))
    ):
        claims.setdefault(household, []).append(event)
    early = sum(
        1 for _, household, start in policies if any(0 <= (e - start).days <= 365 for e in claims.get(household, []))
    )
    return len(policies), early


def cover_start(ctx: ServiceContext, household_id: int, person_id: int, event: date) -> int | None:
    """Days from the latest cover start or reinstatement before the event (smallest over the covering policies)."""
    rows = ctx.session.execute(
        select(PolicyInsured.start_date, Policy.reinstated_on)
        .join(Policy, Policy.id == PolicyInsured.policy_id)
        .where(Policy.household_id == household_id, PolicyInsured.person_id == person_id)
    ).all()
    best: int | None = None
    for start, reinstated in rows:
        clock = start
        for text in reinstated or []:
            day = date.fromisoformat(str(text)[:10])
            if clock < day <= event:
                clock = day
        if clock <= event:
            days = (event - clock).days
            best = days if best is None else min(best, days)
    return best


def claims_since(
    ctx: ServiceContext, since: datetime, *, exclude: int, insured: int | None = None, household: int | None = None
) -> int:
    stmt = select(func.count(Claim.id)).where(Claim.reported_at >= since, Claim.id != exclude)
    if insured is not None:
        stmt = stmt.where(Claim.insured_person_id == insured)
    if household is not None:
        stmt = stmt.where(Claim.household_id == household)
    return int(ctx.session.scalar(stmt) or 0)


def invoices_claimed_elsewhere(ctx: ServiceContext, household_id: int, invoices: list[str]) -> int:
    if not invoices:
        return 0
    return int(
        ctx.session.scalar(
            select(func.count(ClaimInvoice.id))
            .join(Claim, Claim.id == ClaimInvoice.claim_id)
            .where(ClaimInvoice.invoice_no.in_(invoices), Claim.household_id != household_id)
        )
        or 0
    )


_PLATFORM_MEAN: dict[date, float] = {}


def _platform_mean(ctx: ServiceContext) -> float:
    """The mean claimed amount over all claims, computed once a day per process (a full-table aggregate)."""
    today = ctx.clock.today()
    if today not in _PLATFORM_MEAN:
        _PLATFORM_MEAN.clear()
        _PLATFORM_MEAN[today] = float(ctx.session.scalar(select(func.avg(Claim.claimed_amount))) or 0.0)
    return _PLATFORM_MEAN[today]


def hospital_stats(ctx: ServiceContext, bidx: str, exclude_claim: int) -> tuple[int, float, float]:
    """(claims at the hospital, share confirmed as fraud, its mean claimed amount over the platform's mean); the
    last two only once the hospital has enough claims to judge."""
    at_hospital = (
        RiskIdentifier.kind == "hospital",
        RiskIdentifier.bidx == bidx,
        RiskIdentifier.claim_id != exclude_claim,
    )
    count = int(ctx.session.scalar(select(func.count(RiskIdentifier.id)).where(*at_hospital)) or 0)
    if count < 20:
        return count, 0.0, 1.0
    fraud = int(
        ctx.session.scalar(
            select(func.count(RiskAssessment.id))
            .join(RiskIdentifier, RiskIdentifier.claim_id == RiskAssessment.claim_id)
            .where(*at_hospital, RiskAssessment.fraud_label.is_(True))
        )
        or 0
    )
    here = ctx.session.scalar(
        select(func.avg(Claim.claimed_amount))
        .join(RiskIdentifier, RiskIdentifier.claim_id == Claim.id)
        .where(*at_hospital)
    )
    overall = _platform_mean(ctx)
    ratio = float(here) / overall if here and overall else 1.0
    return count, fraud / count, ratio


def record_identifier(
    ctx: ServiceContext,
    *,
    source: str,
    kind: str,
    bidx: str,
    masked: str,
    person_id: int,
    household_id: int,
    claim_id: int | None = None,
) -> None:
    if ctx.session.scalar(select(RiskIdentifier.id).where(RiskIdentifier.source == source)) is not None:
        return
    ctx.session.add(
        RiskIdentifier(
            source=source,
            kind=kind,
            bidx=bidx,
            masked=masked[:60],
            person_id=person_id,
            household_id=household_id,
            claim_id=claim_id,
            seen_at=ctx.now(),
        )
    )


RESYNC_WINDOW = 1000
"""Ids below the last one indexed that are looked at again: a payment committed late (a lower id after a
higher one) is still picked up."""


def _watermark(ctx: ServiceContext, prefix: str) -> int:
    """The id of the last payment or claim indexed (identifiers are added in id order)."""
    source = ctx.session.scalar(
        select(RiskIdentifier.source)
        .where(RiskIdentifier.kind == "account", RiskIdentifier.source.like(f"{prefix}:%"))
        .order_by(RiskIdentifier.id.desc())
        .limit(1)
    )
    return int(source.split(":")[1]) if source else 0


def _seen(ctx: ServiceContext, sources: list[str]) -> set[str]:
    if not sources:
        return set()
    return set(ctx.session.scalars(select(RiskIdentifier.source).where(RiskIdentifier.source.in_(sources))))


def sync_identifiers(ctx: ServiceContext, *, limit: int = 50_000) -> int:
    """Index the bank accounts of payments and claims not indexed yet, incrementally from the last one indexed
    (decrypted in the process; only the keyed blind index and the mask are stored)."""
    added = 0
    start = max(0, _watermark(ctx, "payment") - RESYNC_WINDOW)
    rows = ctx.session.execute(
        select(Payment, func.coalesce(Policy.household_id, Application.household_id))
        .outerjoin(Policy, Policy.id == Payment.policy_id)
        .outerjoin(Application, Application.id == Payment.application_id)
        .where(Payment.id > start)
        .order_by(Payment.id)
        .limit(limit)
    ).all()
    seen = _seen(ctx, [f"payment:{p.id}" for p, _ in rows])
    for payment, household in rows:
        source = f"payment:{payment.id}"
        if source in seen or household is None:
            continue
        number = ctx.cipher.decrypt(PAYMENT_ACCOUNT_COLUMN, payment.account_enc)
        record_identifier(
            ctx,
            source=source,
            kind="account",
            bidx=ctx.cipher.blind_index(ACCOUNT_INDEX, number),
            masked=payment.account_masked,
            person_id=payment.holder_person_id,
            household_id=household,
        )
        added += 1
    start = max(0, _watermark(ctx, "claim") - RESYNC_WINDOW)
    claims = ctx.session.scalars(select(Claim).where(Claim.id > start).order_by(Claim.id).limit(limit)).all()
    seen = _seen(ctx, [f"claim:{c.id}" for c in claims])
    for claim in claims:
        source = f"claim:{claim.id}"
        if source in seen:
            continue
        number = ctx.cipher.decrypt(CLAIM_ACCOUNT_COLUMN, claim.account_enc)
        record_identifier(
            ctx,
            source=source,
            kind="account",
            bidx=ctx.cipher.blind_index(ACCOUNT_INDEX, number),
            masked=claim.account_masked,
            person_id=claim.payee_person_id,
            household_id=claim.household_id,
        )
        added += 1
    ctx.session.flush()
    return added


def since(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
