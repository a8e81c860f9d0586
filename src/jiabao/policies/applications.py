"""Household applications (家庭投保): price, open the application, take each insured's health questionnaire
through smart underwriting, and move the application on as the conclusions come in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.policies import confirmation
from jiabao.policies.confirmation import ConfirmIn
from jiabao.policies.models import Application, ApplicationInsured
from jiabao.policies.schemas import ApplicationIn, ApplicationOut, InsuredOut, QuestionnaireIn
from jiabao.products import service as products
from jiabao.products.schema import Product
from jiabao.products.service import HouseholdQuoteIn, ProductEngine, QuoteLineIn
from jiabao.risk.fraud import hooks as risk
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import (
    CaseContext,
    Channel,
    Conclusion,
    CoverRequest,
    KnowledgeBase,
    PremiumMode,
    ProductLine,
    QuestionnaireContext,
    age_at,
)
from jiabao.underwriting.models import UnderwritingDecision

CHANNEL_BY_ROLE = {Role.CUSTOMER: Channel.ONLINE, Role.PARTNER: Channel.PARTNER}


def _product(engine: ProductEngine, code: str) -> Product:
    product = engine.catalog.get(code)
    if product is None:
        raise InvalidInput(fields=(FieldProblem("product_code", "unknown_product", "没有这个产品", "No such product"),))
    return product


def _member(overview: HouseholdOut, person_id: int, field: str) -> MemberOut:
    for member in overview.members:
        if member.person_id == person_id:
            return member
    raise InvalidInput(
        fields=(FieldProblem(field, "not_a_member", "此人不是该家庭成员", "Not a member of this household"),)
    )


def start(ctx: ServiceContext, engine: ProductEngine, household_id: int, data: ApplicationIn) -> ApplicationOut:
    """Open an application: price it (the quote is stored with it) and wait for each insured's questionnaire."""
    overview = family.get_overview(ctx, household_id)
    holder_id = data.policyholder_person_id or ctx.principal.person_id or overview.head_person_id
    holder = _member(overview, holder_id, "policyholder_person_id")
    for i, insured in enumerate(data.insureds):
        _member(overview, insured.person_id, f"insureds.{i}.person_id")
    if len({i.person_id for i in data.insureds}) != len(data.insureds):
        raise InvalidInput(
            fields=(FieldProblem("insureds", "duplicate", "被保险人重复", "An insured is listed twice"),)
        )
    product = _product(engine, data.product_code)
    members = {m.person_id: m for m in overview.members}
    lines = [
        QuoteLineIn(
            person_id=i.person_id,
            product_code=product.code,
            sum_assured=i.sum_assured,
            coverage=data.coverage,
            payment_term=data.payment_term,
            frequency=data.frequency,
            # product options taken from the member's record: social insurance (medical), occupation (accident)
            social_insurance=members[i.person_id].social_insurance if product.medical else None,
            occupation_class=(members[i.person_id].occupation_class or 1) if product.occupation_classes else None,
        )
        for i in data.insureds
    ]
    quote = products.quote(ctx, engine, household_id, HouseholdQuoteIn(lines=lines))
    channel = data.channel if ctx.principal.role is not Role.CUSTOMER and data.channel else None
    now = ctx.now()
    application = Application(
        household_id=household_id,
        policyholder_person_id=holder.person_id,
        product_code=product.code,
        product_version=product.version,
        channel=(channel or CHANNEL_BY_ROLE.get(ctx.principal.role, Channel.AGENT)).value,
        status="underwriting",
        frequency=data.frequency.value,
        payment_term=data.payment_term,
        coverage=data.coverage,
        annual_premium=quote.annual_premium,
        instalment=quote.chosen_instalments.get(data.frequency, quote.annual_premium),
        basis=quote.bases[0] if quote.bases else "",
        quote=quote.model_dump(mode="json"),
        created_by=ctx.principal.user_id or None,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(application)
    ctx.session.flush()
    premiums = {m.person_id: m.annual_premium for m in quote.members}
    for insured in data.insureds:
        ctx.session.add(
            ApplicationInsured(
                application_id=application.id,
                person_id=insured.person_id,
                sum_assured=insured.sum_assured,
                annual_premium=premiums[insured.person_id],
                uw_status="questionnaire",
            )
        )
    ctx.session.flush()
    ctx.audit("application.start", "application", application.id, {"product": product.code})
    return view(ctx, engine, application.id)


def _load(ctx: ServiceContext, application_id: int) -> tuple[Application, HouseholdOut]:
    stmt = select(Application).where(Application.id == application_id).options(selectinload(Application.insureds))
    application = ctx.session.scalars(stmt).one_or_none()
    if application is None:
        raise NotFound("Application not found", "未找到该投保单", code="application_not_found")
    return application, family.get_overview(ctx, application.household_id)  # access is the household's


def view(ctx: ServiceContext, engine: ProductEngine, application_id: int) -> ApplicationOut:
    application, overview = _load(ctx, application_id)
    product = _product(engine, application.product_code)
    members = {m.person_id: m for m in overview.members + overview.former_members}
    decisions = _decisions(ctx, [i.decision_id for i in application.insureds if i.decision_id])
    return ApplicationOut(
        id=application.id,
        household_id=application.household_id,
        policyholder_person_id=application.policyholder_person_id,
        product_code=product.code,
        product_name_zh=product.name_zh,
        product_name_en=product.name_en,
        channel=Channel(application.channel),
        status=application.status,
        frequency=application.frequency,
        payment_term=application.payment_term,
        coverage=application.coverage,
        annual_premium=application.annual_premium,
        instalment=application.instalment,
        basis=application.basis,
        insureds=[
            _insured_out(i, members[i.person_id], decisions.get(i.decision_id or 0), ctx) for i in application.insureds
        ],
        created_at=application.created_at,
    )


def _decisions(ctx: ServiceContext, ids: list[int]) -> dict[int, UnderwritingDecision]:
    if not ids:
        return {}
    rows = ctx.session.scalars(select(UnderwritingDecision).where(UnderwritingDecision.id.in_(ids)))
    return {row.id: row for row in rows}


def _insured_out(
    row: ApplicationInsured, member: MemberOut, decision: UnderwritingDecision | None, ctx: ServiceContext
) -> InsuredOut:
    result: dict[str, Any] = uw.result_of(ctx, decision) if decision else {}
    return InsuredOut(
        person_id=row.person_id,
        name=member.name,
        age=member.age,
        sum_assured=row.sum_assured,
        annual_premium=row.annual_premium,
        uw_status=row.uw_status,
        conclusion=row.conclusion,
        automated=decision.automated if decision else None,
        explanation_zh=result.get("explanation_zh") or (decision.reason if decision else None),
        explanation_en=result.get("explanation_en") or (decision.reason if decision else None),
        review_right_zh=result.get("review_right_zh"),
        review_right_en=result.get("review_right_en"),
    )


def product_lines(engine: ProductEngine, code: str) -> list[ProductLine]:
    return [ProductLine(line.value) for line in _product(engine, code).product_lines]


def questionnaire_context(
    ctx: ServiceContext, engine: ProductEngine, application_id: int, person_id: int
) -> tuple[Application, QuestionnaireContext]:
    application, overview = _load(ctx, application_id)
    if all(i.person_id != person_id for i in application.insureds):
        raise NotFound("Not an insured of this application", "此人不是该投保单的被保险人", code="insured_not_found")
    member = _member(overview, person_id, "person_id")
    qctx = uw.questionnaire_context(
        lines=product_lines(engine, application.product_code),
        channel=Channel(application.channel),
        birth_date=member.birth_date,
        sex=member.sex.value,
        as_of=ctx.clock.today(),
    )
    return application, qctx


def submit_questionnaire(
    ctx: ServiceContext,
    engine: ProductEngine,
    kb: KnowledgeBase,
    application_id: int,
    person_id: int,
    data: QuestionnaireIn,
) -> ApplicationOut:
    """Validate the insured's answers, decide in the engine, store the decision, and update the application."""
    application, qctx = questionnaire_context(ctx, engine, application_id, person_id)
    insured = next(i for i in application.insureds if i.person_id == person_id)
    if insured.uw_status != "questionnaire":
        raise Conflict("This questionnaire was already answered", "该被保险人已完成健康告知", code="already_answered")
    mode = PremiumMode.SINGLE if application.payment_term == 1 else PremiumMode.REGULAR
    covers = [
        CoverRequest(
            line=line, sum_assured=insured.sum_assured, premium_mode=mode, product_code=application.product_code
        )
        for line in qctx.lines
    ]
    facts = uw.build_facts(kb, qctx, person_id=person_id, answers=data.answers, reflexive=data.reflexive, covers=covers)
    overview = family.get_overview(ctx, application.household_id)  # cached for this unit of work
    holder = _member(overview, application.policyholder_person_id, "policyholder_person_id")
    case = CaseContext(
        as_of=qctx.as_of,
        channel=qctx.channel,
        policyholder_age=age_at(holder.birth_date, qctx.as_of),
        household_insured_members=len(application.insureds),
    )
    row = uw.decide_and_record(ctx, kb, application_id=application.id, person_id=person_id, facts=facts, case=case)
    insured.decision_id, insured.conclusion = row.id, row.conclusion
    insured.uw_status = "referred" if row.conclusion == Conclusion.REFERRED else "decided"
    refresh_status(application)
    application.updated_at = ctx.now()
    ctx.session.flush()
    return view(ctx, engine, application.id)


def request_review(ctx: ServiceContext, engine: ProductEngine, application_id: int, person_id: int) -> ApplicationOut:
    """Ask for a person to review an automated conclusion (申请人工核保); the insured goes back to referred."""
    application, _ = _load(ctx, application_id)
    insured = next((i for i in application.insureds if i.person_id == person_id), None)
    if insured is None or insured.decision_id is None:
        raise Conflict("There is no conclusion to review yet", "尚无可复核的承保结论", code="nothing_to_review")
    decision = ctx.session.get(UnderwritingDecision, insured.decision_id)
    assert decision is not None  # FK
    uw.request_review(ctx, decision)
    insured.uw_status = "referred"
    refresh_status(application)
    application.updated_at = ctx.now()
    ctx.session.flush()
    return view(ctx, engine, application_id)


def refresh_status(application: Application) -> None:
    """underwriting → referred / accepted / declined, from the insureds' conclusions."""
    statuses = [i.uw_status for i in application.insureds]
    if "questionnaire" in statuses:
        application.status = "underwriting"
    elif "referred" in statuses:
        application.status = "referred"
    elif any(Conclusion(i.conclusion) in uw.ACCEPTABLE for i in application.insureds if i.conclusion):
        application.status = "accepted"
    else:
        application.status = "declined"


def apply_human_decision(ctx: ServiceContext, decision: UnderwritingDecision, application: Application) -> None:
    """After an underwriter resolves a referral: move the insured and its (loaded) application on."""
    insured = next(i for i in application.insureds if i.person_id == decision.person_id)
    insured.decision_id, insured.conclusion, insured.uw_status = decision.id, decision.conclusion, "decided"
    refresh_status(application)
    application.updated_at = ctx.now()
    ctx.session.flush()


def list_for_household(ctx: ServiceContext, engine: ProductEngine, household_id: int) -> list[ApplicationOut]:
    family.get_overview(ctx, household_id)
    ids = ctx.session.scalars(
        select(Application.id).where(Application.household_id == household_id).order_by(Application.id.desc())
    )
    return [view(ctx, engine, i) for i in ids]


def confirm(ctx: ServiceContext, engine: ProductEngine, application_id: int, data: ConfirmIn) -> ApplicationOut:
    """Beneficiaries, consents, suitability, disclosures and the recording: then the application awaits payment."""
    application, _ = _load(ctx, application_id)
    death = ProductLine.DEATH in product_lines(engine, application.product_code)
    risk.application_gate(ctx, application)  # 核保风控: pass, or held / declined with a neutral text
    confirmation.confirm(ctx, engine, application, data, death_cover=death)
    ctx.session.flush()
    return view(ctx, engine, application_id)


def requirements(ctx: ServiceContext, engine: ProductEngine, application_id: int) -> dict[str, Any]:
    application, overview = _load(ctx, application_id)
    death = ProductLine.DEATH in product_lines(engine, application.product_code)
    return confirmation.requirements(application, overview, death_cover=death, on=ctx.clock.today())
