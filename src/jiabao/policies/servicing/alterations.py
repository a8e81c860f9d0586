"""Contract alterations (保全): address, occupation (re-rated accident cover), identity correction, reduction of
the sum assured (减保), reduced paid-up (减额交清), reprint and loss report (补发/挂失), rescission for
non-disclosure (art. 16) and misstated age (art. 32). Rules: :mod:`jiabao.policies.rules.alterations`.

Each validates first and writes only when all is well; each is a ``ServiceRequest`` with its channel, audited,
with the completion SMS (``servicing.common.finish``)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import func, select

from jiabao.actuarial.tables import Sex
from jiabao.core.auth import Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import Conflict, PermissionDenied
from jiabao.core.money import ZERO, to_decimal
from jiabao.core.validation import age_on
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberUpdate
from jiabao.policies.billing.common import end_policy, premium_paid
from jiabao.policies.common import premiums
from jiabao.policies.common.models import Instalment, Policy, PolicyInsured, ServiceRequest
from jiabao.policies.rules import alterations as rules
from jiabao.policies.rules.servicing import Channel, ServicingItem
from jiabao.policies.servicing import loans
from jiabao.policies.servicing.common import (
    active_insureds,
    current_member,
    finish,
    open_request,
    problem,
    raise_if,
    replan_amounts,
    require_in_force,
    unpaid_instalments,
)
from jiabao.policies.servicing.schemas import (
    AddressIn,
    AgeCorrectionIn,
    IdentityIn,
    LossReportIn,
    OccupationIn,
    PaidUpIn,
    ReduceSumAssuredIn,
    ReprintIn,
    RescissionIn,
)
from jiabao.policies.servicing.values import cash_value, position_years, scale_member
from jiabao.products.pricer import Points, price_batch
from jiabao.products.quoting import table_set_for
from jiabao.products.schema import MultiStatePricing, Product, RateTablePricing
from jiabao.products.service import ProductEngine

ADDRESS_COLUMN = "policies.address"
STAFF = frozenset({Role.SERVICE, Role.ADMIN})


def _insured(policy: Policy, person_id: int, field: str = "person_id") -> PolicyInsured:
    for insured in active_insureds(policy):
        if insured.person_id == person_id:
            return insured
    raise_if([problem(field, "not_insured", "不是本保单在保的被保险人", "Not an insured of this policy")])
    raise AssertionError  # unreachable


def _product(engine: ProductEngine, policy: Policy) -> Product:
    product = engine.catalog.get(policy.product_code)
    if product is None:
        raise Conflict("The product is no longer in the catalog", "产品已不在目录中", code="product_unknown")
    return product


def _staff_only(ctx: ServiceContext) -> None:
    """The insurer's own decisions (rescission, age correction) are made by service staff, never online."""
    if ctx.principal.role not in STAFF:
        raise PermissionDenied("Only service staff may do this", "该业务仅限柜面服务人员办理")


def _mask_address(text: str) -> str:
    return text[:6] + "****" if len(text) > 6 else text[:2] + "****"


def change_address(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: AddressIn
) -> ServiceRequest:
    """通讯地址变更: the correspondence address, stored encrypted (personal data) with its masked form."""
    del overview
    previous = (policy.details.get("address") or {}).get("masked")
    masked = _mask_address(data.address)
    row = open_request(ctx, policy, ServicingItem.ADDRESS, channel, {"address_masked": masked})
    sealed = ctx.cipher.encrypt(ADDRESS_COLUMN, data.address)
    policy.details = {
        **policy.details,
        "address": {
            "enc_b64": base64.b64encode(sealed).decode("ascii"),
            "masked": masked,
            "since": ctx.clock.today().isoformat(),
            "service_request_id": row.id,
        },
    }
    finish(ctx, policy, row, {"address_masked": masked, "previous_masked": previous})
    return row


def _occupation_factor(product: Product, occupation_class: int) -> Decimal | None:
    pricing = product.pricing
    if not isinstance(pricing, RateTablePricing):
        return None
    factors = pricing.factors.get("occupation_class")
    if not factors:
        return None
    value = factors.get(str(occupation_class))
    return Decimal(str(value)) if value is not None else None


def change_occupation(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    overview: HouseholdOut,
    channel: Channel,
    data: OccupationIn,
) -> ServiceRequest:
    """职业变更: the member's occupation and class (family record); accident cover priced by class is re-rated —
    the new premium from the next instalment (art. 52 increase / art. 53 decrease), and a decrease refunds the
    premium paid for the rest of the paid period by the day (art. 53). A class the product does not insure is
    refused (the cover cannot continue at a price: the counter handles the contract, art. 52)."""
    member = current_member(overview, data.person_id, "person_id")
    insured = _insured(policy, data.person_id)
    product = _product(engine, policy)
    classes = product.occupation_classes
    if classes and data.occupation_class not in classes:
        raise_if(
            [
                problem(
                    "occupation_class",
                    "not_insurable",
                    f"本产品承保职业类别{min(classes)}–{max(classes)}类，新职业类别不在承保范围内，请到柜面办理",
                    f"The product insures classes {min(classes)}–{max(classes)} only",
                )
            ]
        )
    old_class = int((policy.details.get("occupations") or {}).get(str(data.person_id)) or member.occupation_class or 1)
    old_factor = _occupation_factor(product, old_class)
    new_factor = _occupation_factor(product, data.occupation_class)
    family.update_member(  # validates first
        ctx, member.member_id, MemberUpdate(occupation=data.occupation, occupation_class=data.occupation_class)
    )
    today = ctx.clock.today()
    payload = {"person_id": data.person_id, "from_class": old_class, "to_class": data.occupation_class}
    row = open_request(ctx, policy, ServicingItem.OCCUPATION, channel, payload)
    result: dict[str, Any] = {**payload, "rerated": False}
    if old_factor is not None and new_factor is not None and old_factor != new_factor:
        unpaid = unpaid_instalments(ctx, policy.id)
        paid_to = unpaid[0].due_date if unpaid else (insured.end_date or today)
        last_paid = ctx.session.scalars(
            select(Instalment)
            .where(Instalment.policy_id == policy.id, Instalment.paid_on.is_not(None))
            .order_by(Instalment.seq.desc())
            .limit(1)
        ).first()
        period_start = last_paid.due_date if last_paid else policy.effective_date
        before = insured.annual_premium
        share = (before / policy.annual_premium) if policy.annual_premium else Decimal(1)
        rerating = rules.rerate_occupation(
            annual_premium=insured.standard_premium or insured.annual_premium,
            old_factor=old_factor,
            new_factor=new_factor,
            paid_to=paid_to,
            on=today,
            paid_period_days=(paid_to - period_start).days,
            paid_amount=to_decimal((last_paid.amount if last_paid else ZERO) * share),
        )
        premiums.restandard(insured, rerating.new_annual_premium)
        replanned = replan_amounts(ctx, policy, policy.frequency)
        refund_id = extra_seq = None
        if rerating.adjustment < 0:
            refund_id = loans.pay_to_registered_account(
                ctx,
                policy,
                kind="premium_refund",
                key=f"occupation-refund-{row.id}",
                amount=-rerating.adjustment,
                details={"service_request_id": row.id, "basis": "Insurance Law art. 53: risk decreased"},
            ).id
        elif rerating.adjustment > 0:  # the extra premium for the rest of the paid period, due today
            extra_seq = (
                int(ctx.session.scalar(select(func.max(Instalment.seq)).where(Instalment.policy_id == policy.id)) or 0)
                + 1
            )
            ctx.session.add(Instalment(policy_id=policy.id, seq=extra_seq, due_date=today, amount=rerating.adjustment))
            ctx.session.flush()
        result |= {
            "rerated": True,
            "increased": rerating.increased,
            "annual_premium_before": str(before),
            "annual_premium_after": str(insured.annual_premium),
            "adjustment": str(rerating.adjustment),
            "refund_payment_id": refund_id,
            "extra_instalment": extra_seq,
            **replanned,
        }
    policy.details = {
        **policy.details,
        "occupations": {**(policy.details.get("occupations") or {}), str(data.person_id): data.occupation_class},
    }
    finish(ctx, policy, row, result)
    return row


def correct_identity(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: IdentityIn
) -> ServiceRequest:
    """身份信息更正: the insured's or policyholder's name, on evidence (the document reference is recorded). An ID
    number correction changes the birth date the premium was priced on, so it goes through the age correction
    (art. 32) at the counter; here the name is corrected through the family service."""
    member = current_member(overview, data.person_id, "person_id")
    if data.person_id not in {policy.policyholder_person_id, *(i.person_id for i in active_insureds(policy))}:
        raise_if([problem("person_id", "not_party", "不是本保单的投保人或被保险人", "Not a party to this policy")])
    family.update_member(ctx, member.member_id, MemberUpdate(name=data.name))
    payload = {"person_id": data.person_id, "evidence": data.evidence, "fields": ["name"]}
    row = open_request(ctx, policy, ServicingItem.IDENTITY, channel, payload)
    finish(ctx, policy, row, {"person_id": data.person_id, "fields": ["name"], "evidence": data.evidence})
    return row


def reduce_sum_assured(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    overview: HouseholdOut,
    channel: Channel,
    data: ReduceSumAssuredIn,
) -> ServiceRequest:
    """减保: the reduced part is surrendered — its cash value is paid to the registered account — and the premium
    and the cash values fall in proportion. What remains must still cover any policy loan (repay first)."""
    del overview
    require_in_force(policy)
    insured = _insured(policy, data.person_id)
    product = _product(engine, policy)
    today = ctx.clock.today()
    value = cash_value(ctx.session, policy, today, person_id=data.person_id)
    old = insured.sum_assured
    reduction = rules.reduce_sum_assured(
        old=old,
        new=data.sum_assured,
        cash_value=value,
        annual_premium=insured.annual_premium,
        minimum=product.amounts.min,
        step=product.amounts.step,
    )
    owed = loans.outstanding_loan(ctx.session, policy.id, today)
    remaining = cash_value(ctx.session, policy, today) - reduction.payout
    if owed > remaining:
        raise Conflict(
            "The loan would exceed the remaining cash value; repay part of it first",
            f"减保后现金价值不足以覆盖保单借款¥{owed}，请先还款",
            code="loan_exceeds_cash_value",
        )
    ratio = data.sum_assured / old
    payload = {"person_id": data.person_id, "from": str(old), "to": str(data.sum_assured)}
    row = open_request(ctx, policy, ServicingItem.REDUCE_SUM_ASSURED, channel, payload)
    if insured.flat_extra:
        insured.flat_extra = to_decimal(insured.flat_extra * ratio)
    premiums.restandard(insured, to_decimal((insured.standard_premium or insured.annual_premium) * ratio))
    insured.sum_assured = data.sum_assured
    scale_member(policy, data.person_id, ratio)
    replanned = replan_amounts(ctx, policy, policy.frequency)
    payment_id = None
    if reduction.payout > 0:
        payment_id = loans.pay_to_registered_account(
            ctx,
            policy,
            kind="partial_surrender",
            key=f"partial-surrender-{row.id}",
            amount=reduction.payout,
            details={"service_request_id": row.id, "ratio": str(reduction.ratio), "cash_value": str(value)},
        ).id
    finish(
        ctx,
        policy,
        row,
        {
            **payload,
            "cash_value_paid": str(reduction.payout),
            "payment_id": payment_id,
            "annual_premium_after": str(insured.annual_premium),
            **replanned,
        },
    )
    return row


def _issue_age(policy: Policy, person_id: int) -> int:
    for member in policy.details.get("quote", {}).get("members", []):
        if int(member["person_id"]) == person_id:
            return int(member["age"])
    raise Conflict("No quote for this insured", "缺少该被保险人的报价记录", code="quote_missing")


def _quoted_cover(policy: Policy, person_id: int) -> int:
    for member in policy.details.get("quote", {}).get("members", []):
        if int(member["person_id"]) == person_id and member.get("lines"):
            return int(member["lines"][0]["cover_years"])
    return policy.cover_years or 1


def net_single_premiums(
    engine: ProductEngine, policy: Policy, person_id: int, sex: str, *, on_basis: date
) -> list[Decimal]:
    """The net single premium per unit sum assured at the start of each policy year (t = 0 … n−1), on the
    product's pricing basis (mortality, incidence, interest; no loading): Σ_{s≥t}(death/CI + survival benefits)
    ÷ D_t. Premium-linked benefits (return of premium, waiver) end with the premiums and are left out."""
    product = _product(engine, policy)
    pricing = product.pricing
    if not isinstance(pricing, MultiStatePricing):
        raise Conflict(
            "A one-year product has no paid-up value", "一年期产品不能办理减额交清", code="paid_up_not_available"
        )
    table_set = table_set_for(product, engine.tables)
    cover = _quoted_cover(policy, person_id)
    payout = int(policy.details.get("payout_age") or (product.payout_ages[0] if product.payout_ages else 0))
    points = Points(
        issue_age=np.array([_issue_age(policy, person_id)], dtype=np.int64),
        sex=np.array([sex]),
        payment_term=np.array([policy.payment_term], dtype=np.int64),
        cover_years=np.array([cover], dtype=np.int64),
        payout_age=np.array([payout], dtype=np.int64),
        mortality_multiplier=np.array([1.0]),
    )
    comp = price_batch(product, table_set, points).pricing
    benefits = (comp.sa + comp.survival_sa)[0]
    future = np.cumsum(benefits[::-1])[::-1]
    in_force = comp.in_force[0]
    return [
        Decimal(str(round(float(f / d), 10))) if d > 0 else Decimal(0) for f, d in zip(future, in_force, strict=True)
    ]


def reduced_paid_up(
    ctx: ServiceContext, engine: ProductEngine, policy: Policy, overview: HouseholdOut, channel: Channel, data: PaidUpIn
) -> ServiceRequest:
    """减额交清: premiums stop; the cash value net of any loan buys, as a net single premium at the attained
    policy year on the product's pricing basis, a reduced sum assured; the future cash values are that sum
    times the net single premium of each later year."""
    if policy.status not in ("in_force", "in_grace"):  # in grace it is the non-forfeiture option
        require_in_force(policy)
    today = ctx.clock.today()
    members = {m.person_id: m for m in overview.members + overview.former_members}
    owed = loans.outstanding_loan(ctx.session, policy.id, today)
    years = int(position_years(ctx.session, policy, today))
    plans: list[tuple[PolicyInsured, Decimal, list[Decimal]]] = []
    total_value = cash_value(ctx.session, policy, today)
    for insured in active_insureds(policy):
        value = cash_value(ctx.session, policy, today, person_id=insured.person_id)
        share = owed * value / total_value if total_value > 0 else ZERO
        sex = Sex.MALE.value if str(members[insured.person_id].sex.value).upper().startswith("M") else Sex.FEMALE.value
        nsp = net_single_premiums(engine, policy, insured.person_id, sex, on_basis=today)
        if years >= len(nsp):
            raise Conflict("The cover has ended", "保险期间已满", code="paid_up_not_available")
        new_sa = rules.paid_up_sum_assured(value - share, nsp[years], unit=Decimal(1))
        plans.append((insured, new_sa, nsp))
    payload = {"position_years": years, "owed": str(owed)}
    row = open_request(ctx, policy, ServicingItem.REDUCED_PAID_UP, channel, payload)
    result: dict[str, Any] = {"members": {}}
    for insured, new_sa, nsp in plans:
        result["members"][str(insured.person_id)] = {"from": str(insured.sum_assured), "to": str(new_sa)}
        insured.sum_assured = new_sa
        insured.standard_premium = insured.annual_premium = ZERO
        insured.flat_extra = None
        _paid_up_values(policy, insured.person_id, new_sa, nsp)
    for inst in unpaid_instalments(ctx, policy.id):
        ctx.session.delete(inst)  # future premiums are no longer due (never paid, nothing to keep)
    policy.annual_premium = policy.instalment = ZERO
    policy.details = {**policy.details, "paid_up": {"on": today.isoformat(), "service_request_id": row.id}}
    ctx.session.flush()
    finish(ctx, policy, row, result)
    return row


def _paid_up_values(policy: Policy, person_id: int, sum_assured: Decimal, nsp: list[Decimal]) -> None:
    quote = dict(policy.details.get("quote", {}))
    members = []
    for member in quote.get("members", []):
        if int(member["person_id"]) == person_id:
            lines = []
            for line in member.get("lines", []):
                values = []
                for row in line.get("cash_values", []):
                    year = int(row["policy_year"])
                    value = to_decimal(sum_assured * nsp[year]) if year < len(nsp) else ZERO
                    values.append({**row, "cash_value": str(value)})
                lines.append({**line, "cash_values": values, "sum_assured": str(sum_assured), "paid_up": True})
            member = {**member, "lines": lines}
        members.append(member)
    policy.details = {**policy.details, "quote": {**quote, "members": members}}


def reprint(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: ReprintIn
) -> ServiceRequest:
    """保单补发: a new print of the electronic policy; the print number goes up so the earlier one is superseded."""
    del overview
    documents = dict(policy.details.get("documents") or {})
    version = int(documents.get("print_version") or 1) + 1
    row = open_request(ctx, policy, ServicingItem.REPRINT, channel, {"reason": data.reason})
    documents |= {"print_version": version, "reprinted_on": ctx.clock.today().isoformat()}
    policy.details = {**policy.details, "documents": documents}
    finish(ctx, policy, row, {"print_version": version, "reason": data.reason})
    return row


def report_loss(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: LossReportIn
) -> ServiceRequest:
    """保单挂失: the paper policy of the current print is reported lost and void; a reprint replaces it."""
    del overview
    documents = dict(policy.details.get("documents") or {})
    version = int(documents.get("print_version") or 1)
    row = open_request(ctx, policy, ServicingItem.LOSS_REPORT, channel, {"lost_on": data.lost_on.isoformat()})
    void = sorted({*documents.get("void_prints", []), version})
    documents |= {"void_prints": void, "lost_reported_on": ctx.clock.today().isoformat()}
    policy.details = {**policy.details, "documents": documents}
    finish(ctx, policy, row, {"void_prints": void})
    return row


def formed_on(policy: Policy) -> date:
    """The day the contract was formed (issued), China date."""
    return policy.issued_at.astimezone(CHINA_TZ).date()


def rescind(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: RescissionIn
) -> ServiceRequest:
    """解除合同 for non-disclosure (Insurance Law art. 16), by service staff: only within 30 days of learning the
    cause and under 2 years from formation; the premiums paid are refunded unless the non-disclosure was
    intentional; any policy loan is settled from the refund."""
    del overview
    _staff_only(ctx)
    today = ctx.clock.today()
    window = rules.rescission_window(formed_on=formed_on(policy), learned_on=data.learned_on, on=today)
    if not window.allowed:
        zh = {"incontestable": "合同成立已满二年，不得解除合同", "thirty_days_passed": "自知道解除事由之日起已超过30日"}
        raise Conflict(
            f"Rescission is no longer possible ({window.reason}; Insurance Law art. 16)",
            zh[window.reason] + "（《保险法》第十六条）",
            code=f"rescission_{window.reason}",
        )
    paid = premium_paid(ctx, policy.id)
    refund = rules.rescission_refund(paid, intentional=data.intentional)
    payload = {"learned_on": data.learned_on.isoformat(), "intentional": data.intentional, "reason": data.reason}
    row = open_request(ctx, policy, ServicingItem.RESCISSION, channel, payload)
    deducted = loans.settle_from_benefit(ctx.session, policy.id, refund, today, source="rescission") if refund else ZERO
    payment_id = None
    if refund - deducted > 0:
        payment_id = loans.pay_to_registered_account(
            ctx,
            policy,
            kind="rescission_refund",
            key=f"rescission-{policy.id}",
            amount=refund - deducted,
            details={"service_request_id": row.id, "basis": "Insurance Law art. 16", "loan_deducted": str(deducted)},
        ).id
    end_policy(ctx, policy, status="terminated", reason="rescinded")
    finish(
        ctx,
        policy,
        row,
        {
            "premiums_paid": str(paid),
            "refund": str(refund),
            "loan_deducted": str(deducted),
            "payment_id": payment_id,
            "last_day": window.last_day.isoformat() if window.last_day else None,
        },
    )
    return row


def correct_age(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    overview: HouseholdOut,
    channel: Channel,
    data: AgeCorrectionIn,
) -> ServiceRequest:
    """年龄更正 (Insurance Law art. 32), by service staff on evidence: the premium is recomputed at the true age
    at issue (the same pricing, scaled by the ratio of the standard premiums at the two ages); outside the
    product's ages the contract is rescinded within the art. 16 limits and the cash value refunded."""
    del overview
    _staff_only(ctx)
    plan = plan_age_correction(
        ctx,
        engine,
        policy,
        data.person_id,
        true_birth_date=data.true_birth_date,
        stated_sex=data.sex,
        true_sex=data.sex,
        learned_on=data.learned_on,
        proportional=data.proportional,
        strict=True,
    )
    payload = {
        "person_id": data.person_id,
        "stated_age": plan.stated_age,
        "true_age": plan.true_age,
        "evidence": data.evidence,
    }
    row = open_request(ctx, policy, ServicingItem.AGE_CORRECTION, channel, payload)
    result = apply_age_correction(ctx, policy, plan, row)
    finish(ctx, policy, row, {**payload, **result})
    return row


@dataclass(frozen=True)
class AgePlan:
    """What art. 32 does to one policy for one insured, decided before anything is written."""

    insured: PolicyInsured
    stated_age: int
    true_age: int
    stated_sex: str
    true_sex: str
    outcome: rules.AgeCorrection
    """``kept`` (outcome name) when the true age is outside the limits but the art. 16 limits have passed: the
    insurer can no longer rescind and the contract stands as written."""


def plan_age_correction(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    person_id: int,
    *,
    true_birth_date: date,
    stated_sex: str,
    true_sex: str,
    learned_on: date,
    proportional: bool,
    strict: bool,
) -> AgePlan:
    """Insurance Law art. 32 for one insured of ``policy``: the premium at the true age (and sex) at issue against
    the stated one. ``strict`` (the staff age-correction item) refuses a rescission the art. 16 limits no longer
    allow; otherwise (an ID-number correction, where the customer's record must be corrected anyway) such a
    contract is kept as written (outcome ``kept``)."""
    insured = _insured(policy, person_id)
    product = _product(engine, policy)
    today = ctx.clock.today()
    stated_age = _issue_age(policy, person_id)
    true_age = age_on(true_birth_date, policy.effective_date)
    stated = insured.annual_premium
    inside = product.ages.min_age <= true_age <= product.ages.max_age
    true_premium: Decimal | None = None
    if inside:
        ratio = _age_ratio(engine, policy, product, person_id, stated_age, true_age, true_sex, stated_sex=stated_sex)
        true_premium = to_decimal(stated * ratio)
    elif not strict:
        window = rules.rescission_window(
            formed_on=formed_on(policy), learned_on=max(learned_on, formed_on(policy)), on=today
        )
        if not window.allowed:
            kept = rules.AgeCorrection("kept", ZERO, stated, insured.sum_assured)
            return AgePlan(insured, stated_age, true_age, stated_sex, true_sex, kept)
    years_paid = position_years(ctx.session, policy, today)
    outcome = rules.correct_age(
        true_age=true_age,
        min_age=product.ages.min_age,
        max_age=product.ages.max_age,
        formed_on=formed_on(policy),
        on=today,
        sum_assured=insured.sum_assured,
        stated_premium=stated,
        true_premium=true_premium,
        years_paid=Decimal(int(years_paid)) if years_paid >= 1 else Decimal(1),
        proportional=proportional,
    )
    if outcome.outcome == "rescind":  # art. 32 para. 1 applies art. 16's limits; checked before anything is written
        window = rules.rescission_window(
            formed_on=formed_on(policy), learned_on=max(learned_on, formed_on(policy)), on=today
        )
        if not window.allowed:
            raise Conflict(
                "Rescission is no longer possible", "已超过解除合同的期限", code=f"rescission_{window.reason}"
            )
    return AgePlan(insured, stated_age, true_age, stated_sex, true_sex, outcome)


def apply_age_correction(ctx: ServiceContext, policy: Policy, plan: AgePlan, row: ServiceRequest) -> dict[str, Any]:
    """Carry out an :class:`AgePlan` under the request ``row``: rescind and pay the cash value (less any loan); or
    refund the excess premium; or put the difference due today (an extra instalment, collected like any premium)
    or proportion the cover; the premium follows the true age (and sex) on the unpaid instalments."""
    today = ctx.clock.today()
    insured, outcome = plan.insured, plan.outcome
    stated = insured.annual_premium
    result: dict[str, Any] = {"outcome": outcome.outcome, "amount": str(outcome.amount)}
    if outcome.outcome == "rescind":
        value = cash_value(ctx.session, policy, today)
        deducted = loans.settle_from_benefit(ctx.session, policy.id, value, today, source="age_rescission")
        if value - deducted > 0:
            loans.pay_to_registered_account(
                ctx,
                policy,
                kind="age_rescission_cash_value",
                key=f"age-rescission-{policy.id}",
                amount=value - deducted,
                details={"service_request_id": row.id, "basis": "Insurance Law art. 32"},
            )
        end_policy(ctx, policy, status="terminated", reason="rescinded_age")
        result |= {"cash_value": str(value), "loan_deducted": str(deducted)}
    elif outcome.outcome in ("refund", "extra_premium", "proportional_cover"):
        if outcome.outcome == "refund":
            result["refund_payment_id"] = loans.pay_to_registered_account(
                ctx,
                policy,
                kind="premium_refund",
                key=f"age-refund-{row.id}",
                amount=outcome.amount,
                details={"service_request_id": row.id, "basis": "Insurance Law art. 32 para. 3"},
            ).id
        ratio = outcome.new_annual_premium / stated if stated else Decimal(1)
        result["annual_premium_before"] = str(stated)
        premiums.restandard(insured, to_decimal((insured.standard_premium or stated) * ratio))
        result["sum_assured_before"] = str(insured.sum_assured)
        insured.sum_assured = outcome.new_sum_assured
        result |= replan_amounts(ctx, policy, policy.frequency)
        result |= {"sum_assured_after": str(insured.sum_assured), "annual_premium_after": str(insured.annual_premium)}
        if (
            outcome.outcome == "extra_premium"
        ):  # the difference for the years paid, due today (after the replan, which would reset it)
            seq = int(
                ctx.session.scalar(select(func.max(Instalment.seq)).where(Instalment.policy_id == policy.id)) or 0
            )
            ctx.session.add(Instalment(policy_id=policy.id, seq=seq + 1, due_date=today, amount=outcome.amount))
            ctx.session.flush()
            result |= {"premium_to_collect": str(outcome.amount), "extra_instalment": seq + 1}
    if outcome.outcome not in ("rescind", "kept"):  # a kept contract stands as written
        _restate_age(policy, insured.person_id, plan.true_age)
    return result


def _restate_age(policy: Policy, person_id: int, age: int) -> None:
    """The quote keeps the insured's age at issue: after a correction it is the true one (a later correction
    starts from it)."""
    quote = dict(policy.details.get("quote", {}))
    members = [{**m, "age": age} if int(m["person_id"]) == person_id else m for m in quote.get("members", [])]
    policy.details = {**policy.details, "quote": {**quote, "members": members}}


def _age_ratio(
    engine: ProductEngine,
    policy: Policy,
    product: Product,
    person_id: int,
    stated: int,
    true: int,
    sex: str,
    *,
    stated_sex: str | None = None,
) -> Decimal:
    """Premium at the true age (and sex) ÷ premium at the stated age (and sex), same product terms (rate table —
    priced by age band only — or the pricer, whose tables differ by sex)."""
    pricing = product.pricing
    if isinstance(pricing, RateTablePricing):

        def band(age: int) -> Decimal:
            for b in pricing.bands:
                if b.min_age <= age <= b.max_age:
                    return Decimal(str(b.rate))
            return Decimal(0)

        low = band(stated)
        return band(true) / low if low else Decimal(1)
    assert isinstance(pricing, MultiStatePricing)
    table_set = table_set_for(product, engine.tables)
    payout = int(policy.details.get("payout_age") or (product.payout_ages[0] if product.payout_ages else 0))
    cover = _quoted_cover(policy, person_id)
    true_cover = cover if product.coverage.kind == "years" else cover - (true - stated)
    ages = np.array([stated, true], dtype=np.int64)
    points = Points(
        issue_age=ages,
        sex=np.array([stated_sex or sex, sex]),
        payment_term=np.array([policy.payment_term] * 2, dtype=np.int64),
        cover_years=np.array([cover, max(true_cover, 1)], dtype=np.int64),
        payout_age=np.array([payout, payout], dtype=np.int64),
        mortality_multiplier=np.array([1.0, 1.0]),
    )
    rates = price_batch(product, table_set, points).rate_exact
    return Decimal(str(float(rates[1]) / float(rates[0]))) if rates[0] > 0 else Decimal(1)
