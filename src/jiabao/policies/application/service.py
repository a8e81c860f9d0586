"""Household applications (家庭投保): price, open the application, take each insured's health questionnaire
through smart underwriting, and move the application on as the conclusions come in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, undefer
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.partners import service as partners
from jiabao.policies.application import confirmation
from jiabao.policies.application.confirmation import ConfirmIn, covered
from jiabao.policies.application.models import Application, ApplicationInsured
from jiabao.policies.application.schemas import ApplicationIn, ApplicationOut, InsuredOut, QuestionnaireIn
from jiabao.policies.common import premiums, views
from jiabao.policies.rules.cover import cover_end, cover_years_option, term_months
from jiabao.products import service as products
from jiabao.products.limits import death_cover
from jiabao.products.schema import Frequency, Product
from jiabao.products.service import HouseholdQuoteIn, ProductEngine, QuoteLineIn
from jiabao.risk.fraud import hooks as risk
from jiabao.risk.screening import service as screening
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import (
    CaseContext,
    Channel,
    Conclusion,
    CoverRequest,
    InForceCover,
    KnowledgeBase,
    PremiumMode,
    ProductLine,
    QuestionnaireContext,
    age_at,
)
from jiabao.underwriting.models import UnderwritingDecision
from jiabao.underwriting.terms import Terms, terms_of

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
    lines = _quote_lines(
        product, members, [(i.person_id, i.sum_assured) for i in data.insureds],
        coverage=data.coverage, payment_term=data.payment_term, frequency=data.frequency,
        payout_age=data.payout_age,
    )  # fmt: skip
    # The minors' death-cover cap is checked here, before any questionnaire (保监发〔2015〕90号).
    declared = {i.person_id: i.declared_death_cover for i in data.insureds if i.declared_death_cover}
    quote = products.quote(
        ctx,
        engine,
        household_id,
        HouseholdQuoteIn(lines=lines, declared_death_cover=declared),
        in_force_death_cover=views.death_cover_in_force(ctx, engine, household_id),
    )
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
        coverage=cover_years_option(product.coverage.kind, data.coverage),
        annual_premium=quote.annual_premium,
        instalment=quote.chosen_instalments.get(data.frequency, quote.annual_premium),
        basis=quote.bases[0] if quote.bases else "",
        quote=quote.model_dump(mode="json"),
        details={"payout_age": data.payout_age} if data.payout_age and product.payout_ages else {},
        created_by=ctx.principal.user_id or None,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(application)
    ctx.session.flush()
    # A partner's sale needs a valid registration/authorisation for the product (refused with the reason; the
    # transaction rolls back), and records the selling and servicing partner (issue 15).
    partners.on_application_started(
        ctx, application_id=application.id, household_id=household_id, product_code=product.code,
        channel=application.channel,
    )  # fmt: skip
    premiums = {m.person_id: m.annual_premium for m in quote.members}
    rows = [
        ApplicationInsured(
            application_id=application.id,
            person_id=insured.person_id,
            sum_assured=insured.sum_assured,
            annual_premium=premiums[insured.person_id],
            standard_premium=premiums[insured.person_id],
            extra_premium_percent=0,
            declared_death_cover=insured.declared_death_cover,
            uw_status="questionnaire",
        )
        for insured in data.insureds
    ]
    ctx.session.add_all(rows)
    ctx.session.flush()
    # the insureds just written, in id order, are the application's whole collection: no need to read it back
    set_committed_value(application, "insureds", sorted(rows, key=lambda r: r.id))
    ctx.audit("application.start", "application", application.id, {"product": product.code})
    return _view_of(ctx, engine, application, overview)


def _quote_lines(
    product: Product,
    members: dict[int, MemberOut],
    insureds: list[tuple[int, Decimal]],
    *,
    coverage: int | None,
    payment_term: int,
    frequency: Frequency,
    payout_age: int | None = None,
) -> list[QuoteLineIn]:
    return [
        QuoteLineIn(
            person_id=pid,
            product_code=product.code,
            sum_assured=amount,
            coverage=coverage,
            payment_term=payment_term,
            frequency=frequency,
            # product options taken from the member's record: social insurance (medical), occupation (accident)
            social_insurance=members[pid].social_insurance if product.medical else None,
            occupation_class=(members[pid].occupation_class or 1) if product.occupation_classes else None,
            # annuities (issue 17): the pension start age chosen, priced at standard mortality
            payout_age=(payout_age or product.payout_ages[0]) if product.payout_ages else None,
            health_rating="standard" if product.payout_ages else None,
        )
        for pid, amount in insureds
    ]


_APPLICATION = (
    select(Application).where(Application.id == bindparam("application_id")).options(joinedload(Application.insureds))
)
"""The application with its insureds in one round trip; built once so its compiled form is cached."""
_APPLICATION_QUOTED = _APPLICATION.options(undefer(Application.quote))
"""The same with the stored quote (deferred otherwise), for the steps that read it."""


def _load(ctx: ServiceContext, application_id: int, *, quote: bool = False) -> tuple[Application, HouseholdOut]:
    stmt = _APPLICATION_QUOTED if quote else _APPLICATION
    application = ctx.session.scalars(stmt, {"application_id": application_id}).unique().one_or_none()
    if application is None:
        raise NotFound("Application not found", "未找到该投保单", code="application_not_found")
    return application, family.get_overview(ctx, application.household_id)  # access is the household's


def view(ctx: ServiceContext, engine: ProductEngine, application_id: int) -> ApplicationOut:
    application, overview = _load(ctx, application_id)
    return _view_of(ctx, engine, application, overview)


def _view_of(
    ctx: ServiceContext, engine: ProductEngine, application: Application, overview: HouseholdOut
) -> ApplicationOut:
    """The application as the API shows it, from the row already loaded (and changed) in this unit of work."""
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
            _insured_out(i, members[i.person_id], decisions.get(i.decision_id or 0), ctx, application.frequency)
            for i in application.insureds
        ],
        created_at=application.created_at,
    )


def _decisions(ctx: ServiceContext, ids: list[int]) -> dict[int, UnderwritingDecision]:
    """The decisions by id: those already in this unit of work without a query, the others in one."""
    out: dict[int, UnderwritingDecision] = {}
    for i in ids:
        known = ctx.session.identity_map.get(identity_key(UnderwritingDecision, i))
        if isinstance(known, UnderwritingDecision):
            out[i] = known
    missing = [i for i in ids if i not in out]
    if missing:
        rows = ctx.session.scalars(select(UnderwritingDecision).where(UnderwritingDecision.id.in_(missing)))
        out.update((row.id, row) for row in rows)
    return out


def _insured_out(
    row: ApplicationInsured,
    member: MemberOut,
    decision: UnderwritingDecision | None,
    ctx: ServiceContext,
    frequency: str,
) -> InsuredOut:
    result: dict[str, Any] = uw.result_of(ctx, decision) if decision else {}
    return InsuredOut(
        person_id=row.person_id,
        name=member.name,
        age=member.age,
        sum_assured=row.sum_assured,
        annual_premium=row.annual_premium,
        instalment=premiums.modal(row.annual_premium, frequency),
        standard_premium=row.standard_premium,
        extra_premium_percent=row.extra_premium_percent or 0,
        flat_extra=row.flat_extra or None,
        flat_extra_years=row.flat_extra_years,
        exclusions=row.exclusions or [],
        covered=row.uw_status != "removed",
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
    ctx: ServiceContext, engine: ProductEngine, application_id: int, person_id: int, *, quote: bool = False
) -> tuple[Application, QuestionnaireContext]:
    application, overview = _load(ctx, application_id, quote=quote)
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
    application, qctx = questionnaire_context(ctx, engine, application_id, person_id, quote=True)  # settle reads it
    insured = next(i for i in application.insureds if i.person_id == person_id)
    if insured.uw_status != "questionnaire":
        raise Conflict("This questionnaire was already answered", "该被保险人已完成健康告知", code="already_answered")
    mode = PremiumMode.SINGLE if application.payment_term == 1 else PremiumMode.REGULAR
    product = _product(engine, application.product_code)
    covers = death_counted_covers(product, qctx.lines, insured.sum_assured, mode)
    held = views.death_cover_in_force(ctx, engine, application.household_id).get(person_id, Decimal(0))
    held += insured.declared_death_cover or Decimal(0)
    in_force = [InForceCover(line=ProductLine.DEATH, sum_assured=held, death_sum_assured=held)] if held else []
    facts = uw.build_facts(
        kb, qctx, person_id=person_id, answers=data.answers, reflexive=data.reflexive, covers=covers, in_force=in_force
    )
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
    set_terms(ctx, engine, application, insured, row)
    settle(ctx, engine, application)
    application.updated_at = ctx.now()
    ctx.session.flush()
    return _view_of(ctx, engine, application, overview)


DEATH_LINES = (ProductLine.DEATH, ProductLine.ACCIDENT)


def death_counted_covers(
    product: Product, lines: Iterable[ProductLine], sum_assured: Decimal, mode: PremiumMode
) -> list[CoverRequest]:
    """The cover requests for the engine, each stating what it pays on death: the product's death benefit once
    (on its first death or accident line), nothing on the others — a benefit that only returns premiums or the
    cash value counts 0 toward the minors' cap (保监发〔2015〕90号)."""
    ordered = sorted(lines, key=lambda line: line.value)
    first = next((line for line in ordered if line in DEATH_LINES), None)
    return [
        CoverRequest(
            line=line,
            sum_assured=sum_assured,
            death_sum_assured=death_cover(product, sum_assured) if line is first else Decimal(0),
            premium_mode=mode,
            product_code=product.code,
        )
        for line in ordered
    ]


def request_review(ctx: ServiceContext, engine: ProductEngine, application_id: int, person_id: int) -> ApplicationOut:
    """Ask for a person to review an automated conclusion (申请人工核保); the insured goes back to referred."""
    application, _ = _load(ctx, application_id)
    if application.status not in UNDERWRITTEN:
        raise Conflict("The application is past underwriting", "投保单已进入确认或缴费环节", code="not_underwriting")
    insured = next((i for i in application.insureds if i.person_id == person_id), None)
    if insured is None or insured.decision_id is None:
        raise Conflict("There is no conclusion to review yet", "尚无可复核的承保结论", code="nothing_to_review")
    decision = ctx.session.get(UnderwritingDecision, insured.decision_id)
    assert decision is not None  # FK
    uw.request_review(ctx, decision)
    insured.uw_status = "referred"
    settle(ctx, engine, application)
    application.updated_at = ctx.now()
    ctx.session.flush()
    return view(ctx, engine, application_id)


UNDERWRITTEN = frozenset({"underwriting", "referred", "accepted", "accepted_partly", "declined"})
"""Statuses in which conclusions may still change (before the confirmation step)."""


def set_terms(
    ctx: ServiceContext,
    engine: ProductEngine,
    application: Application,
    insured: ApplicationInsured,
    decision: UnderwritingDecision,
) -> None:
    """The decision's rating, flat extra and exclusions on the insured's premium and cover (standard otherwise)."""
    standard = insured.standard_premium if insured.standard_premium is not None else insured.annual_premium
    terms = Terms()
    if decision.conclusion and Conclusion(decision.conclusion) in uw.ACCEPTABLE:
        lines = [line.value for line in product_lines(engine, application.product_code)]
        terms = terms_of(uw.result_of(ctx, decision), lines)
    premiums.apply_terms(insured, standard, terms)


def settle(ctx: ServiceContext, engine: ProductEngine, application: Application) -> None:
    """underwriting → referred / accepted / accepted_partly / declined, from the insureds' conclusions.

    Once every insured is decided, a declined or postponed member is removed from the application (it is never
    confirmed, issued or charged for them), the remaining family is re-priced without them, and the application's
    premium becomes the sum of the covered members' charged premiums (issue 9, item 1)."""
    statuses = [i.uw_status for i in application.insureds]
    if "questionnaire" in statuses:
        application.status = "underwriting"
        return
    if "referred" in statuses:
        application.status = "referred"
        return
    kept = covered(application)
    for insured in application.insureds:
        insured.uw_status = "decided" if insured in kept else "removed"
    if not kept:
        application.status = "declined"
        return
    _reprice(ctx, engine, application, kept)
    application.annual_premium = sum((i.annual_premium for i in kept), Decimal("0.00"))
    application.instalment = premiums.instalment(kept, application.frequency)
    application.status = "accepted" if len(kept) == len(application.insureds) else "accepted_partly"


def _reprice(
    ctx: ServiceContext, engine: ProductEngine, application: Application, kept: list[ApplicationInsured]
) -> None:
    """Quote the covered members again when the priced family differs (family terms depend on who is in it)."""
    priced = {int(m["person_id"]) for m in application.quote.get("members", [])}
    if priced == {i.person_id for i in kept}:
        return
    product = _product(engine, application.product_code)
    overview = family.get_overview(ctx, application.household_id)
    lines = _quote_lines(
        product,
        {m.person_id: m for m in overview.members},
        [(i.person_id, i.sum_assured) for i in kept],
        coverage=application.coverage,
        payment_term=application.payment_term,
        frequency=Frequency(application.frequency),
        payout_age=application.details.get("payout_age"),
    )
    declared = {i.person_id: i.declared_death_cover for i in kept if i.declared_death_cover}
    quote = products.quote(
        ctx,
        engine,
        application.household_id,
        HouseholdQuoteIn(lines=lines, declared_death_cover=declared),
        in_force_death_cover=views.death_cover_in_force(ctx, engine, application.household_id),
    )
    standard = {m.person_id: m.annual_premium for m in quote.members}
    for insured in kept:
        premiums.restandard(insured, standard[insured.person_id])
    application.quote = quote.model_dump(mode="json")
    application.basis = quote.bases[0] if quote.bases else application.basis
    ctx.audit("application.reprice", "application", application.id, {"insureds": sorted(standard)})


def apply_human_decision(
    ctx: ServiceContext, engine: ProductEngine, decision: UnderwritingDecision, application: Application
) -> None:
    """After an underwriter resolves a referral: move the insured and its (loaded) application on."""
    insured = next(i for i in application.insureds if i.person_id == decision.person_id)
    insured.decision_id, insured.conclusion, insured.uw_status = decision.id, decision.conclusion, "decided"
    set_terms(ctx, engine, application, insured, decision)
    settle(ctx, engine, application)
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
    application, overview = _load(ctx, application_id)
    death = ProductLine.DEATH in product_lines(engine, application.product_code)
    months = contract_months(engine, application, overview, ctx.clock.today())
    risk.application_gate(ctx, application)  # 核保风控: pass, or held / declined with a neutral text
    confirmation.confirm(ctx, engine, application, data, death_cover=death, term_months=months)
    screening.gate(
        ctx,
        occasion="application",
        context=f"application:{application.id}",
        household_id=application.household_id,
        parties=screening.parties(
            application.policyholder_person_id,
            [i.person_id for i in application.insureds],
            [b.name for d in data.beneficiaries.values() for b in d.beneficiaries],
        ),
    )
    ctx.session.flush()
    return _view_of(ctx, engine, application, family.get_overview(ctx, application.household_id))


def requirements(ctx: ServiceContext, engine: ProductEngine, application_id: int) -> dict[str, Any]:
    application, overview = _load(ctx, application_id)
    death = ProductLine.DEATH in product_lines(engine, application.product_code)
    today = ctx.clock.today()
    months = contract_months(engine, application, overview, today)
    return confirmation.requirements(application, overview, death_cover=death, on=today, term_months=months)


def contract_months(engine: ProductEngine, application: Application, overview: HouseholdOut, start: date) -> int | None:
    """The contract's cover period in months if issued on ``start``: the longest insured's, from the product's
    cover kind (one year is 12 months whatever the request said; "to age N" ends on the anniversary at N)."""
    kind = _product(engine, application.product_code).coverage.kind
    births = {m.person_id: m.birth_date for m in overview.members + overview.former_members}
    months = [
        term_months(start, cover_end(kind, application.coverage, start=start, birth_date=births[i.person_id]))
        for i in (covered(application) or application.insureds)
    ]
    return None if None in months else max(m for m in months if m is not None)
