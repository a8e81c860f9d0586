"""The engine's input from the database: the household's policies as the claims engine sees them (status
history, cover, underwriting exclusions and disclosures, benefits already paid, premiums) and the household facts
(spouses, invoices already claimed, earlier severe CI)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from jiabao.claims.engine import (
    BenefitKind,
    Exclusion,
    HouseholdFacts,
    InsuredCover,
    PaidBenefit,
    PolicyFacts,
    StatusEvent,
    StatusKind,
    product_terms,
)
from jiabao.claims.health import health
from jiabao.claims.models import Claim, ClaimInvoice, ClaimLine
from jiabao.db.context import ServiceContext
from jiabao.family.enums import Relationship
from jiabao.family.schemas import HouseholdOut
from jiabao.policies.billing import suspensions
from jiabao.policies.common.models import Instalment, Policy, PolicyInsured
from jiabao.products.service import ProductEngine
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import KnowledgeBase
from jiabao.underwriting.models import UnderwritingDecision

FAR_FUTURE = date(2199, 12, 31)


def household_facts(ctx: ServiceContext, overview: HouseholdOut) -> HouseholdFacts:
    members = overview.members + overview.former_members
    head = next(m.person_id for m in members if m.relationship is Relationship.SELF)
    spouses = tuple(
        (str(head), str(m.person_id)) for m in members if m.relationship is Relationship.SPOUSE and m.active
    )
    invoices = ctx.session.scalars(
        select(ClaimInvoice.invoice_no)
        .join(Claim, Claim.id == ClaimInvoice.claim_id)
        .where(Claim.household_id == overview.id)
    )
    severe = ctx.session.scalars(
        select(Claim.insured_person_id)
        .join(ClaimLine, ClaimLine.claim_id == Claim.id)
        .where(Claim.household_id == overview.id, ClaimLine.benefit == BenefitKind.CI_SEVERE.value)
        .distinct()
    )
    return HouseholdFacts(
        household_id=str(overview.id),
        spouses=spouses,
        shared_deductible_used=_shared_deductibles(ctx, overview.id),
        invoices_claimed=tuple(invoices),
        severe_ci_persons=tuple(str(p) for p in severe),
    )


def _medical_claims(ctx: ServiceContext, where: ColumnElement[bool]) -> list[tuple[Claim, int]]:
    """Claims with a medical line paid (or approved at zero) and the policy of that line."""
    stmt = (
        select(Claim, ClaimLine.policy_id)
        .join(ClaimLine, ClaimLine.claim_id == Claim.id)
        .where(where, ClaimLine.benefit == BenefitKind.MEDICAL.value)
    )
    pairs = {(claim.id, policy_id): (claim, policy_id) for claim, policy_id in ctx.session.execute(stmt)}
    return list(pairs.values())


def _deductible_of(claim: Claim, policy_id: int) -> Decimal:
    return Decimal(str(claim.details.get("deductibles", {}).get(str(policy_id), "0")))


def _shared_deductibles(ctx: ServiceContext, household_id: int) -> dict[str, Decimal]:
    """Product code → deductible already used by the household's claims on its live (one-year) medical policies."""
    used: dict[str, Decimal] = {}
    for claim, policy_id in _medical_claims(ctx, Claim.household_id == household_id):
        policy = ctx.session.get(Policy, policy_id)
        if policy is not None and policy.ended_on is None:
            used[policy.product_code] = used.get(policy.product_code, Decimal(0)) + _deductible_of(claim, policy_id)
    return used


def policies_of(ctx: ServiceContext, household_id: int) -> list[Policy]:
    stmt = (
        select(Policy)
        .where(Policy.household_id == household_id, Policy.status.not_in(("cancelled",)))
        .options(selectinload(Policy.insureds))
        .order_by(Policy.id)
    )
    return list(ctx.session.scalars(stmt))


def policy_facts(ctx: ServiceContext, engine: ProductEngine, kb: KnowledgeBase, policy: Policy) -> PolicyFacts:
    product = engine.catalog.products[policy.product_code]
    end = max((i.end_date for i in policy.insureds if i.end_date), default=None) or FAR_FUTURE
    paid = _paid_benefits(ctx, policy.id)
    deductible_used: dict[int, Decimal] = {}
    for claim, _ in _medical_claims(ctx, ClaimLine.policy_id == policy.id):
        person = claim.insured_person_id
        deductible_used[person] = deductible_used.get(person, Decimal(0)) + _deductible_of(claim, policy.id)
    medical_paid: dict[int, Decimal] = {}
    for line, claim in paid_lines(ctx, policy.id):
        if line.benefit == BenefitKind.MEDICAL.value:
            medical_paid[claim.insured_person_id] = medical_paid.get(claim.insured_person_id, Decimal(0)) + line.amount
    paid_amounts = ctx.session.scalars(
        select(Instalment.amount).where(Instalment.policy_id == policy.id, Instalment.paid_on.is_not(None))
    )
    remaining = ctx.session.scalar(
        select(func.count(Instalment.id)).where(
            Instalment.policy_id == policy.id, Instalment.paid_on.is_(None), Instalment.waived.is_(False)
        )
    )
    return PolicyFacts(
        policy_id=str(policy.id),
        product=product_terms(product),
        policyholder_id=str(policy.policyholder_person_id),
        issue_date=policy.effective_date,
        end_date=policy.ended_on or end,
        status_history=_history(ctx, policy),
        insureds=tuple(
            _cover(ctx, kb, i).model_copy(
                update={
                    "deductible_used": deductible_used.get(i.person_id, Decimal(0)),
                    "medical_paid": medical_paid.get(i.person_id, Decimal(0)),
                }
            )
            for i in policy.insureds
            if i.status == "active"
        ),
        paid=paid,
        premiums_paid=sum(paid_amounts, Decimal(0)),
        premiums_remaining=bool(remaining),
        waived_from=policy.premium_waived_from,
    )


def _history(ctx: ServiceContext, policy: Policy) -> tuple[StatusEvent, ...]:
    """Every suspension period from ``policy_suspensions`` (a reinstatement does not erase one: an event inside a
    past period stays unpaid, Insurance Law arts. 36–37), the reinstatements and the end of the policy."""
    events: list[StatusEvent] = []
    for period in suspensions.history(ctx, policy.id):
        events.append(StatusEvent(kind=StatusKind.SUSPENDED, on=period.suspended_on))
        if period.ended_on is not None and period.end_reason in ("reinstated", "deemed_reinstated"):
            events.append(StatusEvent(kind=StatusKind.REINSTATED, on=period.ended_on))
    if policy.suspended_on and all(e.on != policy.suspended_on for e in events):
        events.append(StatusEvent(kind=StatusKind.SUSPENDED, on=policy.suspended_on))
    known = {e.on for e in events if e.kind is StatusKind.REINSTATED}
    events += [
        StatusEvent(kind=StatusKind.REINSTATED, on=day)
        for day in (date.fromisoformat(d) for d in policy.reinstated_on)
        if day not in known
    ]
    if policy.ended_on:
        events.append(StatusEvent(kind=StatusKind.TERMINATED, on=policy.ended_on))
    return tuple(sorted(events, key=lambda e: e.on))


def _cover(ctx: ServiceContext, kb: KnowledgeBase, insured: PolicyInsured) -> InsuredCover:
    """Cover with the underwriting exclusions (ICD ranges of the excluded conditions) and the disclosures."""
    exclusions: list[Exclusion] = []
    disclosed: list[str] = []
    decision = ctx.session.get(UnderwritingDecision, insured.decision_id) if insured.decision_id else None
    if decision is not None:
        facts = uw.facts_of(ctx, decision)
        for disclosure in facts["insured"].get("disclosures", []):
            impairment = kb.impairments.get(disclosure["impairment"])
            if impairment is not None:
                disclosed += list(impairment.icd10)
        for line in uw.result_of(ctx, decision).get("lines", []):
            for ex in line.get("exclusions", []):
                impairment = kb.impairments.get(ex["subject"])
                codes = tuple(impairment.icd10) if impairment else ()
                if codes and all(e.code != ex["code"] for e in exclusions):
                    exclusions.append(
                        Exclusion(code=ex["code"], icd10=codes, text_zh=ex["wording_zh"], text_en=ex["wording_en"])
                    )
    return InsuredCover(
        insured_id=str(insured.person_id),
        sum_assured=insured.sum_assured,
        start_date=insured.start_date,
        end_date=insured.end_date,
        exclusions=tuple(exclusions),
        disclosed=tuple(dict.fromkeys(disclosed)),
    )


def paid_lines(ctx: ServiceContext, policy_id: int) -> list[tuple[ClaimLine, Claim]]:
    rows = ctx.session.execute(
        select(ClaimLine, Claim).join(Claim, Claim.id == ClaimLine.claim_id).where(ClaimLine.policy_id == policy_id)
    )
    return [(line, claim) for line, claim in rows]


def _paid_benefits(ctx: ServiceContext, policy_id: int) -> tuple[PaidBenefit, ...]:
    rows = paid_lines(ctx, policy_id)
    return tuple(
        PaidBenefit(
            insured_id=str(claim.insured_person_id),
            benefit=BenefitKind(line.benefit),
            amount=line.amount,
            paid_on=(claim.paid_at or claim.reported_at).date(),
            claim_id=str(claim.id),
            ci_disease=line_detail(ctx, claim, "ci_disease"),
            mild_name=line_detail(ctx, claim, "mild_name") if line.benefit == BenefitKind.CI_MILD.value else None,
        )
        for line, claim in rows
    )


def line_detail(ctx: ServiceContext, claim: Claim, key: str) -> str | None:
    """A health detail of an earlier claim (the disease, the mild disease's name), from its encrypted record."""
    value = health(ctx, claim).get(key)
    return str(value) if value else None
