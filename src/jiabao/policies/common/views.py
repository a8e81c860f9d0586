"""Policy read models: the policy with its cover, premiums, status and pending actions; the household's cover
(全家保障一览); the electronic policy document (PDF)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import defer, selectinload

from jiabao.core.errors import NotFound
from jiabao.db.context import ServiceContext
from jiabao.documents import (
    Beneficiary,
    CashValueRow,
    CashValueTable,
    InsuredMember,
    Party,
    PaymentFrequency,
    PolicyDocument,
    Term,
    render_policy_pdf,
)
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.policies.common import premiums
from jiabao.policies.common.models import BeneficiaryDesignation, Instalment, Policy, PolicyInsured, ReturnVisit
from jiabao.products.limits import death_cover
from jiabao.products.service import ProductEngine

ENDED_STATUSES = frozenset({"terminated", "cancelled", "surrendered"})


class PolicyInsuredOut(BaseModel):
    person_id: int
    name: str
    sum_assured: Decimal
    annual_premium: Decimal
    """Charged a year: the standard premium with the underwriting terms (``policies.common.premiums``)."""
    instalment: Decimal
    """This member's part of the current instalment; the active members' parts add up to the policy's."""
    standard_premium: Decimal | None
    extra_premium_percent: int
    flat_extra: Decimal | None
    flat_extra_years: int | None
    exclusions: list[dict[str, str]]
    conclusion: str
    status: str
    start_date: date
    end_date: date | None
    beneficiaries: dict[str, Any]


class PolicyOut(BaseModel):
    id: int
    policy_no: str
    household_id: int
    product_code: str
    product_name_zh: str
    product_name_en: str
    status: str
    policyholder_person_id: int
    frequency: str
    payment_term: int
    cover_years: int | None
    annual_premium: Decimal
    instalment: Decimal
    issued_on: date
    cooling_off_end: date
    next_due_date: date | None
    next_due_amount: Decimal | None
    premium_waived_from: date | None
    return_visit: str | None
    pending_actions: list[str]
    insureds: list[PolicyInsuredOut]


def load(ctx: ServiceContext, policy_id: int) -> tuple[Policy, HouseholdOut]:
    stmt = select(Policy).where(Policy.id == policy_id).options(selectinload(Policy.insureds))
    policy = ctx.session.scalars(stmt).one_or_none()
    if policy is None:
        raise NotFound("Policy not found", "未找到该保单", code="policy_not_found")
    return policy, family.get_overview(ctx, policy.household_id)  # the household's access rules apply


def _members(overview: HouseholdOut) -> dict[int, MemberOut]:
    return {m.person_id: m for m in overview.members + overview.former_members}


def view(ctx: ServiceContext, engine: ProductEngine, policy_id: int) -> PolicyOut:
    policy, overview = load(ctx, policy_id)
    return _out(ctx, engine, policy, overview)


def _out(
    ctx: ServiceContext, engine: ProductEngine, policy: Policy, overview: HouseholdOut, extras: _Extras | None = None
) -> PolicyOut:
    product = engine.catalog.products[policy.product_code]
    members = _members(overview)
    extras = extras or _Extras(ctx, [policy.id])
    # an ended policy has no next premium to show
    unpaid = None if policy.status in ENDED_STATUSES else extras.unpaid.get(policy.id)
    visit = extras.visits.get(policy.id)
    designations = extras.designations.get(policy.id, {})
    pending = []
    if visit is not None and visit.status in ("pending", "code_sent"):
        pending.append("return_visit")
    if policy.status in ("in_grace", "suspended"):
        pending.append("pay_premium" if policy.status == "in_grace" else "reinstate")
    return PolicyOut(
        id=policy.id,
        policy_no=policy.policy_no,
        household_id=policy.household_id,
        product_code=product.code,
        product_name_zh=product.name_zh,
        product_name_en=product.name_en,
        status=policy.status,
        policyholder_person_id=policy.policyholder_person_id,
        frequency=policy.frequency,
        payment_term=policy.payment_term,
        cover_years=policy.cover_years,
        annual_premium=policy.annual_premium,
        instalment=policy.instalment,
        issued_on=policy.effective_date,
        cooling_off_end=policy.cooling_off_end,
        next_due_date=unpaid.due_date if unpaid else None,
        next_due_amount=unpaid.amount if unpaid else None,
        premium_waived_from=policy.premium_waived_from,
        return_visit=visit.status if visit else None,
        pending_actions=pending,
        insureds=[
            PolicyInsuredOut(
                person_id=i.person_id,
                name=members[i.person_id].name,
                sum_assured=i.sum_assured,
                annual_premium=i.annual_premium,
                instalment=_member_instalment(policy, i, ctx.clock.today()),
                standard_premium=i.standard_premium,
                extra_premium_percent=i.extra_premium_percent or 0,
                flat_extra=i.flat_extra or None,
                flat_extra_years=i.flat_extra_years,
                exclusions=i.exclusions or [],
                conclusion=i.conclusion,
                status=i.status,
                start_date=i.start_date,
                end_date=i.end_date,
                beneficiaries=designations.get(i.person_id, {"legal_heirs": True, "beneficiaries": []}),
            )
            for i in policy.insureds
        ],
    )


def _designations(ctx: ServiceContext, policy_id: int) -> dict[int, dict[str, Any]]:
    """The latest designation version per insured."""
    rows = ctx.session.scalars(
        select(BeneficiaryDesignation)
        .where(BeneficiaryDesignation.policy_id == policy_id)
        .order_by(BeneficiaryDesignation.version)
    )
    return {
        r.insured_person_id: {"legal_heirs": r.legal_heirs, "beneficiaries": r.beneficiaries, "version": r.version}
        for r in rows
    }


LIVE_STATUSES = ("in_force", "in_grace", "suspended")


_DEATH_COVER = (
    select(Policy.product_code, PolicyInsured.person_id, PolicyInsured.sum_assured, PolicyInsured.end_date)
    .join(PolicyInsured, PolicyInsured.policy_id == Policy.id)
    .where(
        Policy.household_id == bindparam("household_id"),
        Policy.status.in_(LIVE_STATUSES),
        PolicyInsured.status == "active",
    )
)
"""Built once (asked at quote, application and answers): its compiled form is cached."""


def death_cover_in_force(ctx: ServiceContext, engine: ProductEngine, household_id: int) -> dict[int, Decimal]:
    """Each member's death cover in the household's live policies (minors' cap, 保监发〔2015〕90号): the death
    benefit of every active insured line whose cover has not ended; a benefit that only returns premiums or the
    cash value counts 0 (``products.limits.death_cover``)."""
    today = ctx.clock.today()
    rows = ctx.session.execute(_DEATH_COVER, {"household_id": household_id})
    out: dict[int, Decimal] = defaultdict(Decimal)
    for code, person_id, sum_assured, end in rows:
        product = engine.catalog.get(code)
        if product is not None and (end is None or end > today):
            out[person_id] += death_cover(product, sum_assured)
    return dict(out)


def for_household(ctx: ServiceContext, engine: ProductEngine, household_id: int) -> list[PolicyOut]:
    overview = family.get_overview(ctx, household_id)
    stmt = (
        select(Policy)
        .where(Policy.household_id == household_id)
        .options(selectinload(Policy.insureds), defer(Policy.details))  # the stored quote is not shown here
        .order_by(Policy.id)
    )
    policies = list(ctx.session.scalars(stmt))
    extras = _Extras(ctx, [p.id for p in policies])
    return [_out(ctx, engine, p, overview, extras) for p in policies]


class _Extras:
    """Each policy's first unpaid instalment, latest return visit and beneficiary designations, read for a
    whole household in three queries (not three per policy)."""

    def __init__(self, ctx: ServiceContext, policy_ids: list[int]) -> None:
        self.unpaid: dict[int, Instalment] = {}
        self.visits: dict[int, ReturnVisit] = {}
        self.designations: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        if not policy_ids:
            return
        first = (
            select(func.min(Instalment.seq))
            .where(Instalment.policy_id == Policy.id, Instalment.paid_on.is_(None), Instalment.waived.is_(False))
            .correlate(Policy)
            .scalar_subquery()
        )
        pairs = select(Policy.id.label("policy_id"), first.label("seq")).where(Policy.id.in_(policy_ids)).subquery()
        for row in ctx.session.scalars(
            select(Instalment).join(
                pairs, and_(Instalment.policy_id == pairs.c.policy_id, Instalment.seq == pairs.c.seq)
            )
        ):
            self.unpaid[row.policy_id] = row
        for visit in ctx.session.scalars(
            select(ReturnVisit).where(ReturnVisit.policy_id.in_(policy_ids)).order_by(ReturnVisit.id)
        ):
            self.visits[visit.policy_id] = visit  # the latest wins
        for r in ctx.session.scalars(
            select(BeneficiaryDesignation)
            .where(BeneficiaryDesignation.policy_id.in_(policy_ids))
            .order_by(BeneficiaryDesignation.version)
        ):
            self.designations[r.policy_id][r.insured_person_id] = {
                "legal_heirs": r.legal_heirs, "beneficiaries": r.beneficiaries, "version": r.version,
            }  # fmt: skip


def _member_instalment(policy: Policy, insured: PolicyInsured, on: date) -> Decimal:
    """The insured's part of each instalment (modal factor on the charged annual premium, as scheduled)."""
    return premiums.modal(
        premiums.annual_on(insured, insured.start_date, max(on, insured.start_date)), policy.frequency
    )


def special_terms(name: str, insured: PolicyInsured, language: str) -> list[str]:
    """The underwriting terms of one insured as printed on the policy (特别约定)."""
    out = []
    pct, flat = insured.extra_premium_percent or 0, insured.flat_extra or Decimal(0)
    if pct:
        out.append(
            f"{name}：加费承保，加费为标准保费的 {pct}%（标准年交保费 ¥{insured.standard_premium:,.2f}，"
            f"实际年交保费 ¥{insured.annual_premium:,.2f}）。"
            if language == "zh"
            else f"{name}: rated, extra premium {pct}% of the standard premium (standard annual premium "
            f"¥{insured.standard_premium:,.2f}, annual premium charged ¥{insured.annual_premium:,.2f})."
        )
    if flat:
        years = insured.flat_extra_years
        out.append(
            f"{name}：每年另加收 ¥{flat:,.2f}" + (f"，共 {years} 年。" if years else "，至交费期满。")
            if language == "zh"
            else f"{name}: a flat extra of ¥{flat:,.2f} a year" + (f" for {years} years." if years else ".")
        )
    for ex in insured.exclusions or []:
        wording = ex["wording_zh"] if language == "zh" else ex["wording_en"]
        out.append(f"{name}：除外责任——{wording}" if language == "zh" else f"{name}: exclusion — {wording}")
    return out


def cover_term(kind: str, option: int | None) -> Term:
    """The cover period as the product defines it (one year, N years, to age N, whole life)."""
    if kind == "one_year":
        return Term.years(1)
    if kind == "to_age" and option:
        return Term.to_age(option)
    if kind == "years" and option:
        return Term.years(option)
    return Term.whole_life()


def document(ctx: ServiceContext, engine: ProductEngine, policy_id: int, *, language: str = "zh") -> bytes:
    """The electronic policy (电子保单) as a PDF, rendered from the stored policy; identities masked."""
    policy, overview = load(ctx, policy_id)
    product = engine.catalog.products[policy.product_code]
    members = _members(overview)
    holder = members[policy.policyholder_person_id]
    frequency = PaymentFrequency(policy.frequency)
    cover = cover_term(product.coverage.kind, policy.cover_years)
    active = [i for i in policy.insureds if i.status == "active"] or list(policy.insureds)
    today = ctx.clock.today()
    pay = Term.single() if policy.payment_term == 1 else Term.years(policy.payment_term)
    quote = policy.details.get("quote", {})
    tables = []
    for member_quote in quote.get("members", []):
        rows = tuple(
            CashValueRow(r["policy_year"], r["age"], Decimal(r["cash_value"]))
            for line in member_quote["lines"]
            for r in line["cash_values"]
        )
        if rows:
            tables.append(CashValueTable(member_quote["name"], rows))
    designations = _designations(ctx, policy.id)
    first = designations.get(policy.insureds[0].person_id) if policy.insureds else None
    beneficiaries = tuple(
        Beneficiary(b["name"], Decimal(b["share"]), b.get("relationship", ""))
        for b in (first or {}).get("beneficiaries", [])
    )
    doc = PolicyDocument(
        policy_number=policy.policy_no,
        product_name_zh=product.name_zh,
        product_name_en=product.name_en,
        issue_date=policy.effective_date,
        cooling_off_end=policy.cooling_off_end,
        policyholder=Party(holder.name, holder.id_number_masked),
        insured=tuple(
            InsuredMember(
                members[i.person_id].name,
                members[i.person_id].relationship.value,
                members[i.person_id].id_number_masked,
                members[i.person_id].age,
                i.sum_assured,
                _member_instalment(policy, i, today),
                frequency,
                pay,
                cover,
            )
            for i in active
        ),
        waiting_period_days=product.waiting_period_days,
        service_hotline="95xxx",
        beneficiaries=beneficiaries,
        cash_values=tuple(tables),
        special_terms=tuple(t for i in active for t in special_terms(members[i.person_id].name, i, language)),
    )
    ctx.audit("policy.document", "policy", policy.id, {"language": language})
    return render_policy_pdf(doc, language=language)
