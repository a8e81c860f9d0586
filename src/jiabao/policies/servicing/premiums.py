"""Servicing changes that move the premium: payment frequency, adding and removing an insured family member.

Conventions (docs/policies.md, "Servicing"):

- **Frequency** changes from the next unpaid instalment, whose due date must also be a due date of the new
  frequency counted from the issue date (annual → monthly: always; monthly → annual: only when the next
  instalment falls on a policy anniversary — otherwise the refusal names the date from which it is possible).
  The unpaid instalments are replaced by the new plan to the end of the payment term; each is Σ insured annual
  premium × the product's modal factor (``products.quoting.MODAL_FACTORS``), rounded half-up per insured, as at
  issue. The old plan is kept in the request's result.
- **Add a member**: priced with the family batch (the policy's cover and payment term, today's ages), health
  questionnaire through smart underwriting on the policy's original application; cover starts on the next
  unpaid instalment's due date (for an annual policy the next policy anniversary), so premium and cover start
  together, and ends with the policy's other members. Referred: the request stays ``accepted`` for an
  underwriter; declined or postponed: ``rejected``.
- **Remove a member**: cover runs to the end of the period already paid for (the day before the next unpaid
  instalment), ``status = removed``; the row is never deleted. The last insured cannot be removed (surrender).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jiabao.core.errors import Conflict, FieldProblem
from jiabao.db.context import ServiceContext
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.policies.application import confirmation
from jiabao.policies.application import service as applications
from jiabao.policies.common import premiums, views
from jiabao.policies.common.models import Instalment, Policy, PolicyInsured, ServiceRequest
from jiabao.policies.issuance.service import ACCEPTED
from jiabao.policies.rules import suitability as fit
from jiabao.policies.rules.cover import cover_end
from jiabao.policies.rules.schedule import due_date, instalment_count
from jiabao.policies.rules.servicing import Channel, ServicingItem
from jiabao.policies.servicing.common import (
    active_insureds,
    current_member,
    day_before,
    finish,
    open_request,
    problem,
    raise_if,
    replan_amounts,
    require_in_force,
    unpaid_instalments,
)
from jiabao.policies.servicing.schemas import AddInsuredIn, PaymentFrequencyIn, RemoveInsuredIn
from jiabao.products import service as products
from jiabao.products.service import HouseholdQuoteIn, ProductEngine, QuoteLineIn
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import (
    CaseContext,
    Conclusion,
    InForceCover,
    InsuredFacts,
    KnowledgeBase,
    PremiumMode,
    ProductLine,
    QuestionnaireContext,
    age_at,
)
from jiabao.underwriting.engine import Channel as UwChannel
from jiabao.underwriting.models import UnderwritingDecision
from jiabao.underwriting.terms import terms_of

PAID_UP = Conflict("Every premium is paid; there is nothing to re-plan", "保费已全部缴清，无需变更", code="paid_up")


def change_frequency(
    ctx: ServiceContext, engine: ProductEngine, policy: Policy, channel: Channel, data: PaymentFrequencyIn
) -> ServiceRequest:
    new = data.frequency
    offered = [f.value for f in engine.catalog.products[policy.product_code].payment.frequencies]
    problems = []
    if new.value == policy.frequency:
        problems.append(problem("frequency", "unchanged", "与当前缴费频率相同", "This is the current frequency"))
    elif new.value not in offered:
        problems.append(problem("frequency", "not_offered", "本产品不提供该缴费频率", "The product does not offer it"))
    raise_if(problems)
    require_in_force(policy)
    unpaid = unpaid_instalments(ctx, policy.id)
    if not unpaid:
        raise PAID_UP
    count = instalment_count(policy.payment_term, new)
    dues = [due_date(policy.effective_date, new, j) for j in range(count)]
    start = next((j for j, d in enumerate(dues) if d >= unpaid[0].due_date), None)
    if start is None:
        raise PAID_UP
    if dues[start] != unpaid[0].due_date:
        raise_if([_not_aligned(dues[start])])
    replaced, kept_seq = unpaid, unpaid[0].seq - 1
    old_plan = {"frequency": policy.frequency, "instalment": str(policy.instalment), "instalments": len(replaced)}
    payload = {
        "frequency": new.value,
        "from_policy_frequency": policy.frequency,
        "effective_on": dues[start].isoformat(),
    }
    row = open_request(ctx, policy, ServicingItem.PAYMENT_FREQUENCY, channel, payload)
    for inst in replaced:  # never paid: the request's result keeps the old plan
        ctx.session.delete(inst)
    ctx.session.flush()
    for k, due in enumerate(dues[start:]):
        ctx.session.add(Instalment(policy_id=policy.id, seq=kept_seq + 1 + k, due_date=due, amount=0, waived=False))
    ctx.session.flush()
    policy.frequency = new.value
    plan = replan_amounts(ctx, policy, new.value)
    new_plan = {"frequency": new.value, "instalment": plan["next_amount_after"], "instalments": count - start}
    finish(ctx, policy, row, {"effective_on": dues[start].isoformat(), "old_plan": old_plan, "new_plan": new_plan})
    return row


def _not_aligned(when: date) -> FieldProblem:
    return problem(
        "frequency",
        "not_aligned",
        f"新的缴费频率须从其对应的缴费日开始：请按原频率缴费至{when.isoformat()}前，届时可变更",
        f"The new frequency must start on one of its own due dates: keep paying until {when.isoformat()}, then change",
    )


def _consent_problems(
    engine: ProductEngine, policy: Policy, overview: HouseholdOut, data: AddInsuredIn, on: date
) -> list[FieldProblem]:
    holder = current_member(overview, policy.policyholder_person_id, "policyholder")
    member = current_member(overview, data.person_id, "person_id")
    death = any(line.value == "death" for line in applications.product_lines(engine, policy.product_code))
    needed = fit.insured_requirements(
        relation=confirmation.relation(holder, member), insured_birth_date=member.birth_date, on=on, death_cover=death
    )
    return [
        problem(
            "consents",
            "consent_missing",
            f"缺少{member.name}的同意：{c.kind.value}（{c.basis}）",
            f"Consent missing for {member.name}: {c.kind.value} ({c.basis})",
        )
        for c in needed.consents
        if c.kind not in data.consents
    ]


def _check_add(engine: ProductEngine, policy: Policy, overview: HouseholdOut, data: AddInsuredIn, on: date) -> None:
    family_terms = engine.catalog.products[policy.product_code].family
    if family_terms is None:
        raise Conflict("Only a family policy can cover more members", "仅家庭保单可增加被保险人", code="not_family")
    active = active_insureds(policy)
    if any(i.person_id == data.person_id for i in active):
        raise Conflict("This member is already insured", "该成员已是本保单的被保险人", code="already_insured")
    if len(active) >= family_terms.max_members:
        raise Conflict(
            f"A family policy covers at most {family_terms.max_members} members",
            f"一张家庭保单最多保障{family_terms.max_members}人",
            code="too_many_members",
        )
    require_in_force(policy)
    current_member(overview, data.person_id, "person_id")
    raise_if(_consent_problems(engine, policy, overview, data, on))


def _price(
    ctx: ServiceContext, engine: ProductEngine, policy: Policy, overview: HouseholdOut, data: AddInsuredIn
) -> Decimal:
    """The new member's annual premium, quoted with the family batch so the family terms apply."""
    members = {m.person_id for m in overview.members}
    batch = [(i.person_id, i.sum_assured) for i in active_insureds(policy) if i.person_id in members]
    lines = [
        QuoteLineIn(
            person_id=pid,
            product_code=policy.product_code,
            sum_assured=amount,
            coverage=policy.cover_years,
            payment_term=policy.payment_term,
            frequency=policy.frequency,
        )
        for pid, amount in [*batch, (data.person_id, data.sum_assured)]
    ]
    held = views.death_cover_in_force(ctx, engine, policy.household_id).get(data.person_id)
    quote = products.quote(  # the new member's cover in force counts toward the minors' cap (保监发〔2015〕90号)
        ctx,
        engine,
        policy.household_id,
        HouseholdQuoteIn(lines=lines),
        in_force_death_cover={data.person_id: held} if held else None,
        new_business=False,  # servicing an existing contract: a product closed to new sales stays serviceable
    )
    return next(m.annual_premium for m in quote.members if m.person_id == data.person_id)


def questionnaire_context(engine: ProductEngine, policy: Policy, member: MemberOut, on: date) -> QuestionnaireContext:
    """The new member's health questions: the policy's product lines and sales channel, today's age."""
    return uw.questionnaire_context(
        lines=applications.product_lines(engine, policy.product_code),
        channel=UwChannel(policy.channel),
        birth_date=member.birth_date,
        sex=member.sex.value,
        as_of=on,
    )


def _underwriting_facts(
    ctx: ServiceContext,
    engine: ProductEngine,
    kb: KnowledgeBase,
    policy: Policy,
    overview: HouseholdOut,
    data: AddInsuredIn,
) -> tuple[InsuredFacts, CaseContext]:
    """The member's answers validated into the engine's facts (every bad answer is a field problem)."""
    today = ctx.clock.today()
    member = current_member(overview, data.person_id, "person_id")
    holder = current_member(overview, policy.policyholder_person_id, "policyholder")
    qctx = questionnaire_context(engine, policy, member, today)
    mode = PremiumMode.SINGLE if policy.payment_term == 1 else PremiumMode.REGULAR
    product = engine.catalog.products[policy.product_code]
    covers = applications.death_counted_covers(product, qctx.lines, data.sum_assured, mode)
    held = views.death_cover_in_force(ctx, engine, policy.household_id).get(data.person_id, Decimal(0))
    in_force = [InForceCover(line=ProductLine.DEATH, sum_assured=held, death_sum_assured=held)] if held else []
    facts = uw.build_facts(
        kb, qctx, person_id=data.person_id, answers=data.answers, reflexive=data.reflexive, covers=covers,
        in_force=in_force,
    )  # fmt: skip
    case = CaseContext(as_of=today, channel=qctx.channel, policyholder_age=age_at(holder.birth_date, today),
                       household_insured_members=len(active_insureds(policy)) + 1)  # fmt: skip
    return facts, case


def _new_insured(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    data: AddInsuredIn,
    annual: Decimal,
    decision: UnderwritingDecision,
    start: date,
    end: date | None,
) -> PolicyInsured:
    """The member at the standard premium with the decision's rating, flat extra and exclusions on it."""
    row = PolicyInsured(
        policy_id=policy.id,
        person_id=data.person_id,
        sum_assured=data.sum_assured,
        annual_premium=annual,
        conclusion=decision.conclusion,
        decision_id=decision.id,
        start_date=start,
        end_date=end,
        status="active",
    )
    lines = [line.value for line in applications.product_lines(engine, policy.product_code)]
    premiums.apply_terms(row, annual, terms_of(uw.result_of(ctx, decision), lines))
    return row


def add_insured(
    ctx: ServiceContext,
    engine: ProductEngine,
    kb: KnowledgeBase,
    policy: Policy,
    overview: HouseholdOut,
    channel: Channel,
    data: AddInsuredIn,
) -> ServiceRequest:
    today = ctx.clock.today()
    _check_add(engine, policy, overview, data, today)
    unpaid = unpaid_instalments(ctx, policy.id)
    if not unpaid:
        raise PAID_UP
    annual = _price(ctx, engine, policy, overview, data)
    facts, case = _underwriting_facts(ctx, engine, kb, policy, overview, data)
    start = unpaid[0].due_date
    payload = {"person_id": data.person_id, "sum_assured": str(data.sum_assured), "annual_premium": str(annual),
               "consents": sorted(c.value for c in data.consents), "start_date": start.isoformat()}  # fmt: skip
    row = open_request(ctx, policy, ServicingItem.ADD_INSURED, channel, payload)
    decision = uw.decide_and_record(
        ctx, kb, application_id=policy.application_id, person_id=data.person_id, facts=facts, case=case
    )
    result: dict[str, Any] = {"conclusion": decision.conclusion, "decision_id": decision.id}
    conclusion = Conclusion(decision.conclusion)
    if conclusion is Conclusion.REFERRED:
        row.result = result | {"underwriting": "referred"}
        ctx.audit("servicing.add_insured", "policy", policy.id, {"request_id": row.id, "status": "referred"})
        return row
    if conclusion not in ACCEPTED:
        finish(ctx, policy, row, result, status="rejected")
        return row
    kind = engine.catalog.products[policy.product_code].coverage.kind
    birth = current_member(overview, data.person_id, "person_id").birth_date
    end = cover_end(kind, policy.cover_years, start=policy.effective_date, birth_date=birth)  # ends with the others'
    insured = _new_insured(ctx, engine, policy, data, annual, decision, start, end)
    policy.insureds.append(insured)
    ctx.session.flush()
    result |= {"start_date": start.isoformat(), "member_annual_premium": str(insured.annual_premium)}
    finish(ctx, policy, row, result | replan_amounts(ctx, policy, policy.frequency))
    return row


def remove_insured(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: RemoveInsuredIn
) -> ServiceRequest:
    active = active_insureds(policy)
    target = next((i for i in active if i.person_id == data.person_id), None)
    raise_if(
        []
        if target
        else [problem("person_id", "not_insured", "不是本保单在保的被保险人", "Not an insured of this policy")]
    )
    assert target is not None
    if len(active) == 1:
        raise Conflict(
            "The last insured cannot be removed; surrender the policy instead",
            "不能减少最后一位被保险人，如需终止请办理退保",
            code="last_insured",
        )
    unpaid = unpaid_instalments(ctx, policy.id)
    end = day_before(unpaid[0].due_date) if unpaid else ctx.clock.today()
    end = max(end, day_before(target.start_date))
    payload = {"person_id": data.person_id, "reason": data.reason, "end_date": end.isoformat()}
    row = open_request(ctx, policy, ServicingItem.REMOVE_INSURED, channel, payload)
    target.end_date, target.status = end, "removed"
    ctx.session.flush()
    finish(ctx, policy, row, {"end_date": end.isoformat(), **replan_amounts(ctx, policy, policy.frequency)})
    return row
