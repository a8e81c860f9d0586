"""One family application (家庭投保, issue 12 item 3).

From a household quote or the advice plan, one application covers several members × several products:

* :func:`start` opens one product application per line (priced, limit-checked and underwritten by the product's
  own rules, exactly as a single application) and ties them together; if any line is refused, nothing is opened.
* :func:`questions` gives each member **one** health questionnaire: the union of the questions every product that
  insures them needs; :func:`answer` submits that one set of answers to each of those products' underwriting.
* :func:`requirements` / :func:`confirm`: **one** confirmation (consents, beneficiaries, disclosures, suitability,
  recording) applied to every product. As for a single application, the customer must first have opened the terms
  (条款) and the 投保须知 of **every** product to be confirmed (:func:`unread`; 《互联网保险业务监管办法》 art. 18,
  银保监发〔2020〕26号): confirming is refused naming the products not yet opened, and what was opened is copied onto
  each product's application, for the return visit of each policy to ask about.
* :func:`pay`: **one** payment — one idempotency key, one account — takes every first premium and issues every
  policy in one transaction; the policies it issues are the family plan (:func:`view` lists them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jiabao.core.auth import HOUSEHOLD_WRITERS
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.policies.application import service as applications
from jiabao.policies.application.confirmation import ConfirmIn, ConsentIn
from jiabao.policies.application.family_models import FamilyApplication, FamilyApplicationItem
from jiabao.policies.application.models import Application
from jiabao.policies.application.schemas import ApplicationIn, ApplicationOut, QuestionnaireIn
from jiabao.policies.common.models import Policy
from jiabao.policies.issuance import service as issuance
from jiabao.products import reading
from jiabao.products.service import ProductEngine
from jiabao.underwriting import views as uw_views
from jiabao.underwriting.engine import AnswerType, KnowledgeBase
from jiabao.underwriting.views import QuestionnaireOut, QuestionOut

MAX_LINES = 20


@dataclass(frozen=True)
class MemberStep:
    person_id: int
    name: str
    products: list[str]
    """Product codes whose underwriting uses this member's answers."""
    answered: bool


@dataclass(frozen=True)
class FamilyApplicationOut:
    id: int
    household_id: int
    policyholder_person_id: int
    status: str
    source: str
    applications: list[ApplicationOut]
    members: list[MemberStep]
    total_first_premium: Decimal
    policies: list[dict[str, Any]] = field(default_factory=list)
    """The family plan: {policy_id, policy_no, product_code} of every policy issued."""


def _writer(ctx: ServiceContext) -> None:
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Your role may not apply for cover", "您的角色不能办理投保")


def start(
    ctx: ServiceContext,
    engine: ProductEngine,
    household_id: int,
    lines: list[ApplicationIn],
    *,
    source: str = "quote",
    policyholder_person_id: int | None = None,
) -> FamilyApplicationOut:
    """Open one family application for ``lines`` (each a product for one or more members)."""
    overview = family.get_overview(ctx, household_id)
    _writer(ctx)
    if not 1 <= len(lines) <= MAX_LINES:
        raise InvalidInput(
            fields=(FieldProblem("lines", "count", "请选择1至20项保障", "Choose 1 to 20 lines of cover"),)
        )
    holder = policyholder_person_id or ctx.principal.person_id or overview.head_person_id
    now = ctx.now()
    row = FamilyApplication(
        household_id=household_id,
        policyholder_person_id=holder,
        status="questionnaire",
        source=source,
        created_by=ctx.principal.user_id or None,
        created_at=now,
        updated_at=now,
        details={},
    )
    ctx.session.add(row)
    ctx.session.flush()
    for i, line in enumerate(lines):
        try:
            created = applications.start(
                ctx, engine, household_id, line.model_copy(update={"policyholder_person_id": holder})
            )
        except InvalidInput as exc:  # name the line the problem is in
            raise InvalidInput(
                fields=tuple(
                    FieldProblem(f"lines.{i}.{p.field}", p.code, p.message_zh, p.message_en) for p in exc.fields
                )
            ) from exc
        ctx.session.add(FamilyApplicationItem(family_application_id=row.id, application_id=created.id))
    ctx.session.flush()
    ctx.audit("family_application.start", "family_application", row.id, {"lines": len(lines), "source": source})
    return view(ctx, engine, row.id)


def _load(ctx: ServiceContext, family_application_id: int) -> FamilyApplication:
    row = ctx.session.get(FamilyApplication, family_application_id)
    if row is None:
        raise NotFound("Family application not found", "未找到该家庭投保单", code="family_application_not_found")
    family.get_overview(ctx, row.household_id)  # 404 for a household the caller may not see
    return row


def _application_ids(ctx: ServiceContext, family_application_id: int) -> list[int]:
    stmt = (
        select(FamilyApplicationItem.application_id)
        .where(FamilyApplicationItem.family_application_id == family_application_id)
        .order_by(FamilyApplicationItem.id)
    )
    return list(ctx.session.scalars(stmt))


def _status(parts: list[ApplicationOut]) -> str:
    statuses = {a.status for a in parts}
    if statuses <= {"issued", "declined"} and "issued" in statuses:
        return "issued"
    if statuses == {"declined"}:
        return "declined"
    if "underwriting" in statuses:
        return "questionnaire"
    if "referred" in statuses:
        return "referred"
    if statuses & {"accepted", "accepted_partly"}:
        return "awaiting_confirmation"
    return "awaiting_payment"


def view(ctx: ServiceContext, engine: ProductEngine, family_application_id: int) -> FamilyApplicationOut:
    row = _load(ctx, family_application_id)
    ids = _application_ids(ctx, row.id)
    parts = [applications.view(ctx, engine, i) for i in ids]
    names: dict[int, str] = {}
    products: dict[int, list[str]] = {}
    pending: dict[int, bool] = {}
    for app in parts:
        for insured in app.insureds:
            names[insured.person_id] = insured.name
            products.setdefault(insured.person_id, []).append(app.product_code)
    for app_row in _rows(ctx, ids):
        for row_insured in app_row.insureds:
            waiting = row_insured.uw_status == "questionnaire"
            pending[row_insured.person_id] = pending.get(row_insured.person_id, False) or waiting
    policies = [
        {"policy_id": p.id, "policy_no": p.policy_no, "product_code": p.product_code, "status": p.status}
        for p in ctx.session.scalars(select(Policy).where(Policy.application_id.in_(ids)).order_by(Policy.id))
    ] if ids else []  # fmt: skip
    status = _status(parts)
    if status != row.status:
        row.status, row.updated_at = status, ctx.now()
    return FamilyApplicationOut(
        id=row.id,
        household_id=row.household_id,
        policyholder_person_id=row.policyholder_person_id,
        status=status,
        source=row.source,
        applications=parts,
        members=[MemberStep(pid, names[pid], products[pid], not pending.get(pid, False)) for pid in names],
        total_first_premium=sum(
            (a.instalment for a in parts if a.status not in ("declined", "issued")), Decimal("0.00")
        ),
        policies=policies,
    )


def _rows(ctx: ServiceContext, ids: list[int]) -> list[Application]:
    if not ids:
        return []
    stmt = (
        select(Application)
        .where(Application.id.in_(ids))
        .options(selectinload(Application.insureds))
        .order_by(Application.id)
    )
    return list(ctx.session.scalars(stmt))


def _pending_for(ctx: ServiceContext, family_application_id: int, person_id: int) -> list[int]:
    """The member's products still waiting for their answers."""
    out = []
    for app in _rows(ctx, _application_ids(ctx, family_application_id)):
        if any(i.person_id == person_id and i.uw_status == "questionnaire" for i in app.insureds):
            out.append(app.id)
    return out


def questions(
    ctx: ServiceContext, engine: ProductEngine, kb: KnowledgeBase, family_application_id: int, person_id: int
) -> tuple[int, QuestionnaireOut]:
    """One questionnaire for the member: the union of what each of their products asks (in first-asked order),
    and the product application whose page handles the condition follow-ups."""
    _load(ctx, family_application_id)
    pending = _pending_for(ctx, family_application_id, person_id)
    if not pending:
        raise Conflict("This member's questionnaire is answered", "该成员已完成健康告知", code="already_answered")
    merged: dict[str, QuestionOut] = {}
    for app_id in pending:
        _, qctx = applications.questionnaire_context(ctx, engine, app_id, person_id)
        for q in uw_views.questionnaire(kb, qctx, person_id).questions:
            if q.id not in merged:
                merged[q.id] = q
            elif q.options:  # the same question with more conditions to choose from: offer them all
                known = {o.code for o in merged[q.id].options}
                extra = [o for o in q.options if o.code not in known]
                merged[q.id] = merged[q.id].model_copy(update={"options": [*merged[q.id].options, *extra]})
    return pending[0], QuestionnaireOut(kb_version=kb.version, person_id=person_id, questions=list(merged.values()))


def answer(
    ctx: ServiceContext,
    engine: ProductEngine,
    kb: KnowledgeBase,
    family_application_id: int,
    person_id: int,
    data: QuestionnaireIn,
) -> FamilyApplicationOut:
    """The member's one set of answers, submitted to the underwriting of every product that insures them."""
    _writer(ctx)
    pending = _pending_for(ctx, family_application_id, person_id)
    if not pending:
        raise Conflict("This member's questionnaire is answered", "该成员已完成健康告知", code="already_answered")
    for app_id in pending:
        _, qctx = applications.questionnaire_context(ctx, engine, app_id, person_id)
        asked = uw_views.questionnaire(kb, qctx, person_id).questions
        ids = {q.id for q in asked}
        answers = {k: v for k, v in data.answers.items() if k in ids}
        disclosed = {
            code
            for q in asked
            if q.type is AnswerType.IMPAIRMENTS
            for code in (answers.get(q.id) or [])
            if isinstance(code, str)
        }
        reflexive = {k: v for k, v in data.reflexive.items() if k in disclosed}
        applications.submit_questionnaire(
            ctx, engine, kb, app_id, person_id, QuestionnaireIn(answers=answers, reflexive=reflexive)
        )
    ctx.audit("family_application.answer", "family_application", family_application_id, {"person_id": person_id})
    return view(ctx, engine, family_application_id)


def requirements(ctx: ServiceContext, engine: ProductEngine, family_application_id: int) -> dict[str, Any]:
    """Everything to confirm once: consents (one per member and kind), suitability findings and recordings."""
    _load(ctx, family_application_id)
    consents: dict[tuple[int, str], dict[str, Any]] = {}
    findings: dict[str, dict[str, Any]] = {}
    recordings = []
    for app in _rows(ctx, _application_ids(ctx, family_application_id)):
        if app.status not in ("accepted", "accepted_partly"):
            continue
        needed = applications.requirements(ctx, engine, app.id)
        for c in needed["consents"]:
            consents.setdefault((c["person_id"], c["kind"]), c)
        for f in needed["findings"]:
            findings.setdefault(f["code"], f)
        if needed["recording"]["type"] != "none":
            recordings.append({"application_id": app.id, **needed["recording"]})
    return {"consents": list(consents.values()), "findings": list(findings.values()), "recordings": recordings}


@dataclass(frozen=True)
class ProductDocuments:
    """A product of the family application and which of its documents (terms, notice) are still to be opened."""

    product_code: str
    name_zh: str
    name_en: str
    version: int
    missing: list[str]


def documents(ctx: ServiceContext, engine: ProductEngine, family_application_id: int) -> list[ProductDocuments]:
    """Each product to be bought in the family application (once, even for several lines), with the documents of
    its current version the household has not opened yet. Declined products are not bought and not listed."""
    row = _load(ctx, family_application_id)
    out: dict[str, ProductDocuments] = {}
    for app in _rows(ctx, _application_ids(ctx, row.id)):
        product = engine.catalog.get(app.product_code)
        if app.status == "declined" or product is None or app.product_code in out:
            continue
        missing = reading.missing(ctx, household_id=row.household_id, code=app.product_code, version=product.version)
        out[app.product_code] = ProductDocuments(app.product_code, product.name_zh, product.name_en, product.version,
                                                 missing)  # fmt: skip
    return list(out.values())


def unread(ctx: ServiceContext, engine: ProductEngine, family_application_id: int) -> list[ProductDocuments]:
    """The products whose terms or 投保须知 are not opened yet: confirming waits for them."""
    return [d for d in documents(ctx, engine, family_application_id) if d.missing]


def _require_documents_opened(ctx: ServiceContext, engine: ProductEngine, family_application_id: int) -> None:
    missing = unread(ctx, engine, family_application_id)
    if not missing:
        return
    zh = "、".join(f"《{d.name_zh}》" for d in missing)
    en = ", ".join(d.name_en for d in missing)
    raise InvalidInput(
        fields=(
            FieldProblem(
                "documents",
                "documents_not_opened",
                f"确认投保前，请先打开阅读以下产品的《保险条款》和《投保须知》：{zh}",
                f"Before confirming, please open the terms and the application notice of: {en}",
            ),
        )
    )


def confirm(
    ctx: ServiceContext, engine: ProductEngine, family_application_id: int, data: ConfirmIn
) -> FamilyApplicationOut:
    """One confirmation for every product: each gets the consents it requires, the beneficiaries of its insureds,
    the disclosures and the overrides confirmed."""
    row = _load(ctx, family_application_id)
    _writer(ctx)
    current = view(ctx, engine, row.id)
    if current.status in ("questionnaire", "referred"):
        raise Conflict(
            "Every member's questionnaire must be answered and decided first",
            "请先完成每位成员的健康告知并等待核保结论",
            code="not_underwritten",
        )
    _require_documents_opened(ctx, engine, row.id)
    given = {(c.person_id, c.kind) for c in data.consents}
    for app in _rows(ctx, _application_ids(ctx, row.id)):
        if app.status not in ("accepted", "accepted_partly"):
            continue
        needed = applications.requirements(ctx, engine, app.id)
        insured = {i.person_id for i in app.insureds}
        part = ConfirmIn(
            beneficiaries={k: v for k, v in data.beneficiaries.items() if k in insured},
            consents=[
                ConsentIn(person_id=c["person_id"], kind=c["kind"])
                for c in needed["consents"]
                if (c["person_id"], c["kind"]) in given
            ],
            disclosures_acknowledged=data.disclosures_acknowledged,
            confirm_advice=data.confirm_advice,
            recording=data.recording,
        )
        applications.confirm(ctx, engine, app.id, part)
        reading.attach_to_application(ctx, application_id=app.id, household_id=row.household_id, code=app.product_code)
    row.details = {**row.details, "confirmed_at": ctx.now().isoformat()}
    ctx.audit("family_application.confirm", "family_application", row.id, {})
    return view(ctx, engine, row.id)


def lock(ctx: ServiceContext, family_application_id: int) -> FamilyApplication:
    stmt = select(FamilyApplication).where(FamilyApplication.id == family_application_id).with_for_update()
    row = ctx.session.scalars(stmt).one_or_none()
    if row is None:
        raise NotFound("Family application not found", "未找到该家庭投保单", code="family_application_not_found")
    family.get_overview(ctx, row.household_id)
    return row


def pay(
    ctx: ServiceContext, engine: ProductEngine, family_application_id: int, *, idempotency_key: str, account: str
) -> FamilyApplicationOut:
    """One payment for every first premium; every policy is issued in the same transaction. The same key always
    returns the first result (each product's payment is keyed ``<key>/<application>``)."""
    row = lock(ctx, family_application_id)
    _writer(ctx)
    key = idempotency_key.strip()
    if not 8 <= len(key) <= 60:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "Idempotency-Key",
                    "invalid",
                    "幂等键须为8至60个字符",
                    "The idempotency key must be 8 to 60 characters",
                ),
            )
        )
    paid_with = row.details.get("payment_key")
    if paid_with is not None and paid_with != key:
        raise Conflict("This family application is paid", "该家庭投保单已缴费", code="already_issued")
    parts = [a for a in _rows(ctx, _application_ids(ctx, row.id)) if a.status in ("awaiting_payment", "issued")]
    if not parts or (paid_with is None and any(a.status == "issued" for a in parts)):
        raise Conflict("Confirm the family application before paying", "请先完成投保确认再缴费", code="not_confirmed")
    payment_ids = []
    for app in parts:
        result = issuance.pay_first_premium(ctx, engine, app.id, idempotency_key=f"{key}/{app.id}", account=account)
        payment_ids.append(result.payment_id)
    if paid_with is None:
        row.details = {**row.details, "payment_key": key, "paid_at": ctx.now().isoformat(), "payments": payment_ids}
        ctx.audit("family_application.pay", "family_application", row.id, {"payments": payment_ids})
    ctx.session.flush()
    return view(ctx, engine, row.id)


def list_for_household(ctx: ServiceContext, engine: ProductEngine, household_id: int) -> list[FamilyApplicationOut]:
    family.get_overview(ctx, household_id)
    stmt = select(FamilyApplication.id).where(FamilyApplication.household_id == household_id)
    return [view(ctx, engine, i) for i in ctx.session.scalars(stmt.order_by(FamilyApplication.id.desc()).limit(20))]
