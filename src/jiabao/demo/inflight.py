"""Demo data in flight (issue 11, item 9): policies of every product, claims in every state, referrals waiting
for underwriters, return visits due, so that every queue and panel has something in it.

Everything goes through the domain services (pricing, underwriting, confirmation, issuance, the claims engine,
the adjuster's decision), never raw inserts, so the demo data obeys the same rules as real data. Policies that
claims are made on are issued 200 days ago (a clock set back: waiting periods are over); the others a few days
ago, so their return visits are due inside the cooling-off period. Idempotent: nothing is added once any policy
exists. A product whose flow refuses the generated family is reported, not fatal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from jiabao.claims import evidence
from jiabao.claims import queries as claim_queries
from jiabao.claims import service as claims
from jiabao.claims.models import Claim
from jiabao.claims.schemas import AdjusterDecisionIn, ClaimIn
from jiabao.core.auth import Principal, Role
from jiabao.core.clock import Clock, FixedClock
from jiabao.core.errors import JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.family.lifestage import age_on
from jiabao.family.models import Household, Member, Person
from jiabao.identity import callbacks
from jiabao.identity.models import User
from jiabao.policies.application import service as applications
from jiabao.policies.application.confirmation import ConfirmIn
from jiabao.policies.application.schemas import ApplicationIn, InsuredIn, QuestionnaireIn
from jiabao.policies.common.models import Policy
from jiabao.policies.issuance import service as issuance
from jiabao.products.schema import Product
from jiabao.runtime import Runtime
from jiabao.underwriting import views
from jiabao.valuation import service as valuation
from jiabao.valuation.assumptions import default_assumptions

SYSTEM = Principal(user_id=0, role=Role.ADMIN, username="demo", display_name="demo")
ACCOUNT = "6222021234567890128"  # Luhn-valid demo card
HEALTHY = {"height_cm": 170, "weight_kg": 65, "cigarettes_per_day": 0, "alcohol": "none", "occupation_class": "c1"}
CLAIMED_PRODUCTS = ("outpatient_medical", "medical_million", "family_ci", "children_ci", "accident", "senior_cancer")
ISSUED_LONG_AGO = 200
SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
"""The start of a PNG file: a stand-in for a photographed document (the magic-byte check is all that reads it)."""


@dataclass
class InflightSummary:
    policies: dict[str, int] = field(default_factory=dict)
    referrals: int = 0
    claims: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    valuation_run: int | None = None


@dataclass(frozen=True)
class _Member:
    household_id: int
    person_id: int
    relationship: str
    birth_date: date
    head_age: int


def _ctx(runtime: Runtime, session: Any, clock: Clock, principal: Principal = SYSTEM) -> ServiceContext:
    return ServiceContext(
        session=session, clock=clock, cipher=runtime.cipher, principal=principal,
        base_url=runtime.settings.base_url, hotline=runtime.settings.hotline,
    )  # fmt: skip


def _members(runtime: Runtime, today: date, limit: int = 600) -> list[_Member]:
    with unit_of_work(runtime.sessions) as session:
        rows = session.execute(
            select(Member.household_id, Member.person_id, Member.relationship_to_head, Person.birth_date)
            .join(Person, Person.id == Member.person_id)
            .where(Member.left_on.is_(None), Member.household_id <= limit)
            .order_by(Member.household_id, Member.id)
        ).all()
    heads = {h: age_on(b, today) for h, _, rel, b in rows if rel == "self"}
    return [_Member(h, p, str(r), b, heads.get(h, 0)) for h, p, r, b in rows if h in heads]


def _amount(product: Product) -> Decimal:
    a = product.amounts
    wanted = Decimal(12000) if product.code == "pension_annuity" else Decimal(200000)
    value = min(max(Decimal(a.min), wanted), Decimal(a.max))
    step = Decimal(a.step)
    return (value // step) * step if value > Decimal(a.min) else Decimal(a.min)


def _pick(product: Product, members: list[_Member], used: set[int], on: date) -> _Member | None:
    lo, hi = product.ages.min_age, product.ages.max_age
    for m in members:
        age = age_on(m.birth_date, on)
        if m.household_id in used or not (lo <= age <= hi) or not (25 <= m.head_age < 58):
            continue
        if product.ages.max_age_at_payment_end and age + 20 > product.ages.max_age_at_payment_end:
            continue
        return m
    return None


def _answers(ctx: ServiceContext, runtime: Runtime, application_id: int, person_id: int) -> dict[str, Any]:
    _, qctx = applications.questionnaire_context(ctx, runtime.products, application_id, person_id)
    questions = views.questionnaire(runtime.knowledge.get(), qctx, person_id).questions
    return {
        q.id: [] if q.type in ("impairments", "multi_choice") else HEALTHY.get(q.id)
        for q in questions
    }  # fmt: skip


def _apply(
    ctx: ServiceContext, runtime: Runtime, product: Product, m: _Member, sum_assured: Decimal | None = None
) -> int:
    terms = product.payment.terms
    term = 10 if 10 in terms else terms[0]
    coverage = product.coverage.options[0] if product.coverage.options else None
    data = ApplicationIn(
        product_code=product.code,
        insureds=[InsuredIn(person_id=m.person_id, sum_assured=sum_assured or _amount(product))],
        coverage=coverage,
        payment_term=term,
    )
    return applications.start(ctx, runtime.products, m.household_id, data).id


def _issue(runtime: Runtime, product: Product, m: _Member, clock: Clock, sum_assured: Decimal | None = None) -> int:
    with unit_of_work(runtime.sessions) as session:
        ctx = _ctx(runtime, session, clock)
        app_id = _apply(ctx, runtime, product, m, sum_assured)
        answers = QuestionnaireIn(answers=_answers(ctx, runtime, app_id, m.person_id))
        applications.submit_questionnaire(ctx, runtime.products, runtime.knowledge.get(), app_id, m.person_id, answers)
        needed = applications.requirements(ctx, runtime.products, app_id)
        confirm = ConfirmIn.model_validate(
            {
                "consents": [{"person_id": c["person_id"], "kind": c["kind"]} for c in needed["consents"]],
                "disclosures_acknowledged": True,
                "confirm_advice": [f["code"] for f in needed["findings"]],
            }
        )
        applications.confirm(ctx, runtime.products, app_id, confirm)
        result = issuance.pay_first_premium(
            ctx, runtime.products, app_id, idempotency_key=f"demo-first-{app_id}", account=ACCOUNT
        )
        return result.policy_id


def _refer(runtime: Runtime, product: Product, m: _Member, clock: Clock) -> bool:
    """An application whose insured discloses hypertension with unknown readings: referred to an underwriter."""
    with unit_of_work(runtime.sessions) as session:
        ctx = _ctx(runtime, session, clock)
        app_id = _apply(ctx, runtime, product, m)
        answers = _answers(ctx, runtime, app_id, m.person_id)
        answers["disclose_cardiovascular"] = ["HTN"]
        out = applications.submit_questionnaire(
            ctx, runtime.products, runtime.knowledge.get(), app_id, m.person_id,
            QuestionnaireIn(answers=answers, reflexive={"HTN": {"bp_max": "unknown", "complications": "no"}}),
        )  # fmt: skip
        return out.status == "referred"


def _claim(
    runtime: Runtime,
    m: _Member,
    key: str,
    omit: tuple[str, ...] = (),
    advance_above: Decimal | None = None,
    **fields: Any,
) -> tuple[int, str]:
    engines = claims.Engines(
        products=runtime.products,
        knowledge=runtime.knowledge.get(),
        rules=runtime.claim_rules,
        advance_adjuster_above=advance_above or runtime.settings.claims_advance_adjuster_above,
    )
    body = {"insured_person_id": m.person_id, "account": ACCOUNT, "insured_authorised": True, **fields}
    with unit_of_work(runtime.sessions) as session:
        ctx = _ctx(runtime, session, runtime.clock)
        # The family uploads its papers (a stand-in image per kind): only uploaded documents count as evidence.
        known = set(runtime.claim_rules.docs.documents)
        body["document_ids"] = [
            evidence.upload(ctx, m.household_id, kind=kind, data=SCAN, known_kinds=known).id
            for kind in sorted(known - set(omit))
        ]
        claim = claims.submit(ctx, engines, m.household_id, ClaimIn.model_validate(body), idempotency_key=key)
        return claim.id, claim.status


def _claims(runtime: Runtime, insured: dict[str, _Member], summary: InflightSummary) -> None:
    today = runtime.clock.today()
    week_ago = (today - timedelta(days=7)).isoformat()
    plans: list[tuple[str, str, dict[str, Any]]] = [
        ("outpatient_medical", "demo-claim-outpatient", {
            "claim_type": "outpatient", "cause": "accident", "event_date": week_ago, "hospital": "市第一人民医院",
            "diagnoses": [{"icd10": "S93.4", "description": "踝关节扭伤"}],
            "bill_items": [{"code": "consultation", "amount": "600", "invoice_number": "DEMO-OP-1"}]}),
        ("medical_million", "demo-claim-inpatient", {
            "claim_type": "inpatient", "event_date": week_ago, "hospital": "省人民医院",
            "diagnoses": [{"icd10": "K35.8", "description": "急性阑尾炎"}],
            "bill_items": [{"code": "ward", "amount": "18000", "invoice_number": "DEMO-IP-1"}]}),
        ("family_ci", "demo-claim-ci", {
            "claim_type": "ci_diagnosis", "event_date": week_ago, "hospital": "肿瘤医院",
            "diagnoses": [{"icd10": "G20", "description": "原发性帕金森病"}],
            "ci": {"disease": "parkinsons", "diagnosed_on": week_ago}}),
        ("children_ci", "demo-claim-child-cancer", {
            "claim_type": "ci_diagnosis", "event_date": week_ago, "hospital": "儿童医院",
            "diagnoses": [{"icd10": "C91.0", "description": "急性淋巴细胞白血病", "icd_o3_behaviour": "3"}],
            "ci": {"disease": "cancer", "diagnosed_on": week_ago},
            "omit": ("discharge_summary",),  # still in hospital: 重疾先赔 pays before the discharge summary
            # Demo only: the catalog's smallest CI cover (100,000) is above the production limit for an advance
            # without an adjuster (JIABAO_CLAIMS_ADVANCE_ADJUSTER_ABOVE, 50,000), so this one claim is decided
            # with the limit at its cover to show a 重疾先赔 in the queue.
            "advance_above": Decimal(200000)}),
        ("medical_million", "demo-claim-inpatient-2", {
            "claim_type": "inpatient", "event_date": week_ago, "hospital": "市第二人民医院",
            "diagnoses": [{"icd10": "K80.2", "description": "胆囊结石"}],
            "bill_items": [{"code": "ward", "amount": "26000", "invoice_number": "DEMO-IP-3"}]}),
        ("medical_million", "demo-claim-early", {
            "claim_type": "inpatient", "event_date": (today - timedelta(days=ISSUED_LONG_AGO + 30)).isoformat(),
            "hospital": "市中医院", "diagnoses": [{"icd10": "J18.9", "description": "肺炎"}],
            "bill_items": [{"code": "ward", "amount": "9000", "invoice_number": "DEMO-IP-2"}]}),
        ("outpatient_medical", "demo-claim-second", {
            "claim_type": "outpatient", "event_date": week_ago, "hospital": "社区卫生服务中心",
            "diagnoses": [{"icd10": "J06.9", "description": "急性上呼吸道感染"}],
            "bill_items": [{"code": "consultation", "amount": "300", "invoice_number": "DEMO-OP-2"}]}),
    ]  # fmt: skip
    made: list[tuple[int, str]] = []
    for product, key, body in plans:
        m = insured.get(product)
        if m is None:
            continue
        try:
            made.append(_claim(runtime, m, key, **body))
        except (JiabaoError, ValueError) as exc:
            summary.skipped[key] = str(exc)[:200]
    # An adjuster works one referred claim each way, so "paid by a person" and "declined" exist too.
    referred = [cid for cid, status in made if status == "referred"]
    with unit_of_work(runtime.sessions) as session:
        adjuster_id = session.scalar(select(User.id).where(User.username == "claims"))
    if adjuster_id is None:
        referred = []
    adjuster = Principal(user_id=adjuster_id or 0, role=Role.CLAIMS, username="claims", display_name="赵理赔")
    for approve, claim_id in zip((True, False), referred[1:], strict=False):
        with unit_of_work(runtime.sessions) as session:
            ctx = _ctx(runtime, session, runtime.clock, adjuster)
            reason = "资料齐全，符合条款约定，同意赔付" if approve else "诊断不符合条款定义，不予赔付"
            try:
                claim_queries.decide(ctx, claim_id, AdjusterDecisionIn(approve=approve, reason=reason))
            except JiabaoError as exc:
                summary.skipped[f"decide-{claim_id}"] = str(exc)[:200]
    with unit_of_work(runtime.sessions) as session:
        summary.claims = {
            str(s): int(n)
            for s, n in session.execute(select(Claim.status, func.count(Claim.id)).group_by(Claim.status))
        }


def seed_inflight(runtime: Runtime, progress: Callable[[str], None] | None = None) -> InflightSummary:
    """Add the in-flight demo business once (see the module docstring); returns what was added."""
    summary = InflightSummary()
    with unit_of_work(runtime.sessions) as session:
        if session.scalar(select(func.count(Policy.id))):
            return summary
        if not session.scalar(select(func.count(Household.id))):
            return summary
    now = runtime.clock.now()
    long_ago = FixedClock(now - timedelta(days=ISSUED_LONG_AGO))
    recent = FixedClock(now - timedelta(days=3))
    members = _members(runtime, runtime.clock.today())
    used: set[int] = set()
    insured: dict[str, _Member] = {}
    catalog = runtime.products.catalog
    for code in catalog.codes():
        product = catalog.products[code]
        clock = long_ago if code in CLAIMED_PRODUCTS else recent
        m = _pick(product, members, used, clock.today())
        if m is None:
            summary.skipped[code] = "no member of a demo family fits the product's ages"
            continue
        try:
            policy_id = _issue(runtime, product, m, clock)
        except (JiabaoError, ValueError) as exc:
            summary.skipped[code] = str(exc)[:200]
            continue
        used.add(m.household_id)
        insured[code] = m
        summary.policies[code] = policy_id
        if progress:
            progress(code)
    for code in ("family_term_life", "whole_life", "family_ci"):
        referred_product = catalog.products.get(code)
        m = _pick(referred_product, members, used, recent.today()) if referred_product else None
        if referred_product is None or m is None:
            continue
        try:
            if _refer(runtime, referred_product, m, runtime.clock):
                summary.referrals += 1
                used.add(m.household_id)
        except (JiabaoError, ValueError) as exc:
            summary.skipped[f"referral-{code}"] = str(exc)[:200]
    _claims(runtime, insured, summary)
    _risky_applications(runtime, summary)
    _callback(runtime, summary)
    summary.valuation_run = _value_the_book(runtime, summary)
    return summary


def _risky_applications(runtime: Runtime, summary: InflightSummary) -> None:
    """The ring households (``demo.risk.plant_ring``: three unrelated families giving one mobile number) each
    apply for a large term-life cover: the application risk rules hold them for a risk officer."""
    product = runtime.products.catalog.products.get("family_term_life")
    with unit_of_work(runtime.sessions) as session:
        rows = session.execute(
            select(Household.id, Person.id, Person.birth_date)
            .join(Person, Person.id == Household.head_person_id)
            .order_by(Household.id.desc())
            .limit(3)
        ).all()
    today = runtime.clock.today()
    for household_id, person_id, birth in rows:
        if product is None or not 18 <= age_on(birth, today) <= 45:
            continue
        m = _Member(household_id, person_id, "self", birth, age_on(birth, today))
        try:
            _issue(runtime, product, m, runtime.clock, sum_assured=Decimal(3000000))
        except (JiabaoError, ValueError) as exc:
            summary.skipped[f"risk-{household_id}"] = str(exc)[:120]  # held or intercepted: expected


def _callback(runtime: Runtime, summary: InflightSummary) -> None:
    """The elderly demo customer has asked for a call back (the service staff's call-back queue)."""
    with unit_of_work(runtime.sessions) as session:
        user = session.scalars(select(User).where(User.username == "elder")).first()
        if user is None:
            return
        principal = Principal(user_id=user.id, role=Role.CUSTOMER, username=user.username,
                              display_name=user.display_name, person_id=user.person_id, elderly_mode=True)  # fmt: skip
        callbacks.request_callback(_ctx(runtime, session, runtime.clock, principal), "elderly_help")


def _value_the_book(runtime: Runtime, summary: InflightSummary) -> int | None:
    """One valuation run of the demo book (serial, in this process) so the actuary's home has a run to show."""
    try:
        with unit_of_work(runtime.sessions) as session:
            run = valuation.run_valuation(
                session, runtime.products, default_assumptions(), runtime.clock.today(), now=runtime.clock.now(),
                map_shards=lambda fn, shards: [fn(s) for s in shards], executor="serial", partitions=1,
            )  # fmt: skip
            return run.run_id
    except (JiabaoError, ValueError) as exc:
        summary.skipped["valuation"] = str(exc)[:200]
        return None
