"""Claim pages (理赔): filing for oneself or a family member (代家人申请) with every document listed at once,
tracking, the household's claims, the adjuster queue with the engine's reasoning, and the claims panel."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import UploadFile as StarletteUpload

from jiabao.api.claims import engines
from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.claims import evidence, queries, service, workflow
from jiabao.claims.engine import (
    Cause,
    ClaimType,
    Complexity,
    MildCancerCase,
    RuleSet,
    claim_timeline,
    required_documents,
)
from jiabao.claims.models import Claim
from jiabao.claims.schemas import ClaimIn
from jiabao.core.auth import HOUSEHOLD_WRITERS, Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.policies.common import views as policy_views
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)

BILL_ROWS = 3
CI_DISEASES = ("cancer", "ami", "stroke", "transplant", "cabg", "ckd")
"""The 6 mandatory severe diseases the engine grades from clinical facts (ci_grading.py); others go to a person."""
TRANSPLANT_ORGANS = ("heart", "lung", "liver", "kidney", "pancreas", "small_intestine", "hsct")
MEDICAL_TYPES = ("outpatient", "inpatient", "accident")
CI_NUMBERS = {
    "troponin_multiple": "ci-troponin",
    "ckmb_multiple": "ci-ckmb",
    "lvef_percent": "ci-lvef",
    "limb_power_min": "ci-limb-power",
    "adl_lost": "ci-adl",
    "ckd_stage": "ci-ckd-stage",
    "dialysis_days": "ci-dialysis-days",
}
CI_FLAGS = {
    "arrhythmia_or_shock": "ci-arrhythmia",
    "total_aphasia": "ci-aphasia",
    "severe_dysphagia": "ci-dysphagia",
    "cabg_open_chest": "ci-cabg",
}
CI_DATES = {"diagnosed_on": "ci-diagnosed-on", "lvef_measured_on": "ci-lvef-on", "assessed_on": "ci-assessed-on"}
FIELD_OF = {
    "insured_person_id": "insured_person_id",
    "claim_type": "claim_type",
    "cause": "cause",
    "event_date": "event_date",
    "hospital": "hospital",
    "account": "account",
    "payee_person_id": "payee_person_id",
    "insured_authorised": "insured_authorised",
    "documents": "documents",
    "disability_grades": "disability_grade",
    "counter_identity_verified": "counter_identity_verified",
    "counter_customer_confirmed": "counter_customer_confirmed",
    "channel": "channel",
}


# ---------------------------------------------------------------------------------------------------- filing


def _rules(request: Request) -> RuleSet:
    return runtime_of(request).claim_rules


def _ensure_filer(ctx: ServiceContext) -> None:
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Claims are filed by the household or at the counter", "理赔申请须由家庭成员或柜面提交")


def _claim_type(form: dict[str, str]) -> ClaimType:
    try:
        return ClaimType(form.get("claim_type", ""))
    except ValueError:
        return ClaimType.OUTPATIENT


def _filing_context(request: Request, ctx: ServiceContext, household_id: int, form: dict[str, str]) -> dict[str, Any]:
    """The form's choices and the checklist for the chosen insured and claim type (one-time notice)."""
    overview = family.get_overview(ctx, household_id)
    members = overview.members
    if not form.get("insured_person_id"):
        own = next((m for m in members if m.person_id == ctx.principal.person_id), None)
        form = {**form, "insured_person_id": str((own or members[0]).person_id)}
    insured = next((m for m in members if str(m.person_id) == form.get("insured_person_id")), members[0])
    claim_type = _claim_type(form)
    proxy = ctx.principal.role is Role.CUSTOMER and ctx.principal.person_id != insured.person_id
    cancer = claim_type is ClaimType.CI_DIAGNOSIS and form.get("ci-disease", "cancer") == "cancer"
    documents = required_documents(
        _rules(request),
        claim_type,
        proxy=proxy,
        minor=insured.age < 18,
        cancer=cancer,
        accident=form.get("cause") == Cause.ACCIDENT.value,
    )
    rules = _rules(request)
    return {
        "household": overview,
        "members": members,
        "insured": insured,
        "claim_type": claim_type.value,
        "claim_types": [t.value for t in ClaimType],
        "causes": [c.value for c in Cause],
        "proxy": proxy,
        "needs_authorisation": proxy and insured.age >= 18,
        "documents": documents,
        "medical": claim_type.value in MEDICAL_TYPES,
        "ci_diseases": [d for d in rules.ci.diseases if d.code in CI_DISEASES],
        "transplant_organs": TRANSPLANT_ORGANS,
        "mild_cancer_cases": [c.value for c in MildCancerCase],
        "bill_rows": range(BILL_ROWS),
        "form": form,
        "today": ctx.clock.today(),
    }


LABELS = {
    "insured_person_id": "claim.insured",
    "claim_type": "claim.type",
    "cause": "claim.cause",
    "event_date": "claim.event_date_short",
    "hospital": "claim.hospital",
    "icd10": "claim.icd10",
    "icd-o3": "claim.icd_o3",
    "account": "claim.account",
    "payee_person_id": "claim.payee",
    "insured_authorised": "claim.proxy",
    "documents": "claim.documents",
    "disability_grade": "claim.disability_grade",
    "description": "claim.bill_description",
    "amount": "claim.bill_amount",
    "si": "claim.bill_social",
    "invoice": "claim.bill_invoice",
    "ci-disease": "claim.ci_disease",
    "ci-diagnosed-on": "claim.ci_diagnosed_on",
    "ci-troponin": "claim.ci_troponin",
    "ci-ckmb": "claim.ci_ckmb",
    "ci-lvef": "claim.ci_lvef",
    "ci-lvef-on": "claim.ci_lvef_on",
    "ci-assessed-on": "claim.ci_assessed_on",
    "ci-limb-power": "claim.ci_limb_power",
    "ci-adl": "claim.ci_adl",
    "ci-ckd-stage": "claim.ci_ckd_stage",
    "ci-dialysis-days": "claim.ci_dialysis_days",
    "counter_identity_verified": "claim.counter_identity",
    "counter_customer_confirmed": "claim.counter_confirmed",
    "channel": "claim.channel",
}


def _labels(problems: tuple[FieldProblem, ...]) -> dict[str, tuple[str, str]]:
    """Field → (text key, row) for the error summary: 金额（元） 1：应为数字."""
    labels = {}
    for p in problems:
        base, _, row = p.field.rpartition("-")
        if base in ("description", "amount", "si", "invoice") and row.isdigit():
            labels[p.field] = (LABELS[base], str(int(row) + 1))
        elif p.field in LABELS:
            labels[p.field] = (LABELS[p.field], "")
    return labels


def grouped_problems(problems: tuple[FieldProblem, ...]) -> dict[str, list[FieldProblem]]:
    grouped: dict[str, list[FieldProblem]] = {}
    for p in problems:
        grouped.setdefault(p.field, []).append(p)
    return grouped


def _render_filing(
    request: Request,
    ctx: ServiceContext,
    household_id: int,
    form: dict[str, str],
    problems: tuple[FieldProblem, ...] = (),
    key: str | None = None,
) -> Response:
    context = _filing_context(request, ctx, household_id, form)
    return render(
        request,
        "claim_new.html",
        ctx.principal,
        status_code=422 if problems else 200,
        problems=grouped_problems(problems),
        problem_list=problems,
        labels=_labels(problems),
        idempotency_key=key or secrets.token_urlsafe(16),
        **context,
    )


@router.get("/households/{household_id}/claims/new", response_class=HTMLResponse)
def new_claim_page(request: Request, ctx: PageCtx, household_id: int, insured: int | None = None) -> Response:
    _ensure_filer(ctx)
    # One idempotency key per rendered form: a double click or a resubmitted form files (and pays) once.
    return _render_filing(request, ctx, household_id, {"insured_person_id": str(insured)} if insured else {})


@router.post("/households/{household_id}/claims/new/fields", response_class=HTMLResponse, dependencies=[Csrf])
def claim_fields(request: Request, ctx: PageCtx, household_id: int, form: FormData) -> Response:
    """htmx: the checklist and the type-specific fields for the insured and claim type chosen so far."""
    _ensure_filer(ctx)
    context = _filing_context(request, ctx, household_id, form)
    return render(request, "claim_fields.html", ctx.principal, problems={}, **context)


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _ci(form: dict[str, str], event_date: str) -> dict[str, Any]:
    ci: dict[str, Any] = {
        "disease": form.get("ci-disease", ""),
        "diagnosed_on": form.get("ci-diagnosed-on") or event_date or None,
    }
    for name, field in CI_NUMBERS.items():
        if not _blank(form.get(field)):
            ci[name] = form[field].strip()
    for name, field in CI_FLAGS.items():
        if form.get(field) == "on":
            ci[name] = True
    for name, field in CI_DATES.items():
        if name != "diagnosed_on" and not _blank(form.get(field)):
            ci[name] = form[field]
    if form.get("ci-disease") == "cancer" and form.get("ci-mild-cancer"):
        ci["mild_cancer_case"] = form["ci-mild-cancer"]
    if form.get("ci-disease") == "transplant" and form.get("ci-transplant"):
        ci["transplant"] = form["ci-transplant"]
    return ci


async def form_files(request: Request) -> dict[str, bytes]:
    """The posted files by input name (``doc-<code>``), empty inputs left out (at most 10 MB + 1 byte read)."""
    found: dict[str, bytes] = {}
    for name, value in (await request.form()).multi_items():
        if isinstance(value, StarletteUpload) and value.filename:
            found[name] = await value.read(evidence.MAX_BYTES + 1)
    return found


FormFiles = Annotated[dict[str, bytes], Depends(form_files)]


def _upload_all(
    ctx: ServiceContext, household_id: int, files: dict[str, bytes], codes: list[str]
) -> tuple[list[int], tuple[FieldProblem, ...]]:
    """Each chosen file as evidence (checked by content, stored encrypted); the problems name the document."""
    ids: list[int] = []
    problems: list[FieldProblem] = []
    for code in codes:
        data = files.get(f"doc-{code}")
        if data is None:
            continue
        try:
            ids.append(evidence.upload(ctx, household_id, kind=code, data=data, known_kinds=set(codes)).id)
        except InvalidInput as exc:
            problems += [FieldProblem("documents", p.code, p.message_zh, p.message_en) for p in exc.fields]
    return ids, tuple(problems)


def _claim_data(form: dict[str, str], document_codes: list[str]) -> dict[str, Any]:
    """The posted form as ``ClaimIn`` input; the form's field names are kept for the errors."""
    claim_type = form.get("claim_type", "")
    event_date = form.get("event_date", "").strip()
    data: dict[str, Any] = {
        "insured_person_id": form.get("insured_person_id", ""),
        "claim_type": claim_type,
        "cause": form.get("cause") or Cause.ILLNESS.value,
        "event_date": event_date or None,
        "hospital": form.get("hospital", "").strip(),
        "social_insurance_settled": form.get("social_insurance_settled") == "on",
        "account": form.get("account", "").replace(" ", ""),
        "insured_authorised": form.get("insured_authorised") == "on",
    }
    if form.get("payee_person_id"):
        data["payee_person_id"] = form["payee_person_id"]
    if form.get("counter_identity_verified") == "on":
        data["counter_identity_verified"] = True
    if form.get("counter_customer_confirmed") == "on":
        data["counter_customer_confirmed"] = True
    if form.get("channel") in ("counter", "phone"):
        data["channel"] = form["channel"]  # staff only: counter or phone report (电话报案); refused for a customer
    icd10 = form.get("icd10", "").strip().upper()
    if icd10:
        diagnosis: dict[str, Any] = {"icd10": icd10, "description": form.get("diagnosis", "").strip()}
        if not _blank(form.get("icd-o3")):
            diagnosis["icd_o3_behaviour"] = form["icd-o3"].strip()
        data["diagnoses"] = [diagnosis]
    if claim_type in MEDICAL_TYPES:
        data["bill_items"] = [
            {
                "code": claim_type,
                "description": form.get(f"description-{i}", "").strip(),
                "amount": form.get(f"amount-{i}", "").strip() or None,
                "social_insurance_paid": form.get(f"si-{i}", "").strip() or "0",
                "invoice_number": form.get(f"invoice-{i}", "").strip(),
            }
            for i in range(BILL_ROWS)
            if any(form.get(f"{f}-{i}", "").strip() for f in ("description", "amount", "invoice"))
        ]
    if claim_type == ClaimType.CI_DIAGNOSIS.value:
        data["ci"] = _ci(form, event_date)
    if claim_type == ClaimType.DISABILITY.value and not _blank(form.get("disability_grade")):
        data["disability_grades"] = [form["disability_grade"].strip()]
    return data


def _form_field(loc: tuple[Any, ...]) -> str:
    """A pydantic error location → the name of the input on the page."""
    head = str(loc[0]) if loc else "body"
    if head == "bill_items" and len(loc) >= 3:
        name = {"amount": "amount", "social_insurance_paid": "si", "invoice_number": "invoice"}.get(str(loc[2]))
        return f"{name or 'description'}-{loc[1]}"
    if head == "diagnoses" and len(loc) >= 3:
        return "icd-o3" if loc[2] == "icd_o3_behaviour" else "icd10"
    if head == "ci" and len(loc) >= 2:
        name = str(loc[1])
        if name == "mild_cancer_case":
            return "ci-mild-cancer"
        return CI_NUMBERS.get(name) or CI_DATES.get(name) or CI_FLAGS.get(name) or f"ci-{name}"
    return FIELD_OF.get(head, head)


def _problems(exc: ValidationError) -> tuple[FieldProblem, ...]:
    found = []
    for err, generic in zip(exc.errors(), problems_from_pydantic(list(exc.errors())), strict=True):
        field = _form_field(tuple(err.get("loc", ())))
        zh = generic.message_zh.split("：", 1)[-1]
        en = generic.message_en.removeprefix(f"{generic.field} ")
        found.append(FieldProblem(field, generic.code, zh, en))
    return tuple(found)


def _page_checks(data: ClaimIn) -> tuple[FieldProblem, ...]:
    """What the page asks beyond the schema: a medical claim has its bills; social insurance ≤ the amount."""
    problems = []
    if data.claim_type.value in MEDICAL_TYPES and not data.bill_items:
        problems.append(FieldProblem("amount-0", "bills_required", "请填写医疗费用", "Enter the medical bills"))
    for i, item in enumerate(data.bill_items):
        if item.social_insurance_paid > item.amount:
            problems.append(FieldProblem(f"si-{i}", "above_amount", "社保支付不能超过金额", "Cannot exceed the amount"))
    if data.claim_type is ClaimType.CI_DIAGNOSIS and (data.ci is None or not data.ci.disease):
        problems.append(FieldProblem("ci-disease", "required", "请选择确诊疾病", "Choose the illness"))
    return tuple(problems)


@router.post("/households/{household_id}/claims/new", response_class=HTMLResponse, dependencies=[Csrf])
def file_claim(request: Request, ctx: PageCtx, household_id: int, form: FormData, files: FormFiles) -> Response:
    """File the claim with its documents uploaded; it is decided at once. Errors come back beside the fields, with
    the same key (files must be chosen again: a browser never refills a file input)."""
    _ensure_filer(ctx)
    key = form.get("idempotency_key", "").strip()
    codes = list(_rules(request).docs.documents)
    try:
        data = ClaimIn.model_validate(_claim_data(form, codes))
        problems = _page_checks(data)
        if not problems and service.existing(ctx, household_id, key) is None:
            ids, problems = _upload_all(ctx, household_id, files, codes)
            data = data.model_copy(update={"document_ids": ids})
        if not problems:
            claim = service.submit(ctx, engines(request), household_id, data, idempotency_key=key)
    except ValidationError as exc:
        problems = _problems(exc)
    except IntegrityError:
        ctx.session.rollback()  # a concurrent duplicate of this form won the race: show its claim
        found = service.existing(ctx, household_id, key)
        if found is None:
            raise
        claim, problems = found, ()
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if problems:
        ctx.session.rollback()  # nothing is kept from a refused filing (uploads included)
        return _render_filing(request, ctx, household_id, form, problems, key)
    ctx.session.commit()  # release the idempotency key's index lock in this thread (see api/claims.py)
    return RedirectResponse(f"/claims/{claim.id}?filed=1", status_code=303)


# ---------------------------------------------------------------------------------------------------- tracking


def household_policies(request: Request, ctx: ServiceContext, household_id: int) -> dict[int, policy_views.PolicyOut]:
    return {p.id: p for p in policy_views.for_household(ctx, runtime_of(request).products, household_id)}


def document_names(request: Request, codes: list[str]) -> list[tuple[str, str, str]]:
    docs = _rules(request).docs.documents
    return [(c, docs[c].zh, docs[c].en) if c in docs else (c, c, c) for c in codes]


def _timeline(ctx: ServiceContext, claim: Claim) -> Any:
    decided = claim.decided_at.date() if claim.decided_at else None
    return claim_timeline(
        received_on=claim.reported_at.date(),
        complexity=Complexity.COMPLEX if claim.complex_case else Complexity.ORDINARY,
        as_of=ctx.clock.today(),
        requests=workflow.pauses(ctx, claim.id),
        decided_on=decided,
        rejected=claim.status == "declined",
        notice_sent_on=date.fromisoformat(sent) if (sent := claim.details.get("notice_sent_on")) else None,
        agreed_on=decided if claim.status == "paid" else None,
        paid_on=claim.paid_at.date() if claim.paid_at and claim.status == "paid" else None,
    )


def render_claim(
    request: Request,
    ctx: ServiceContext,
    claim_id: int,
    *,
    filed: bool = False,
    sent: bool = False,
    problems: tuple[FieldProblem, ...] = (),
    status_code: int = 200,
) -> Response:
    """The claim page (also re-shown with the problems of a refused upload, appeal or account)."""
    found = queries.load(ctx, claim_id)
    claim = queries.view(ctx, found)
    reported = claim.reported_at.astimezone(CHINA_TZ)
    return render(
        request,
        "claim_detail.html",
        ctx.principal,
        status_code=status_code,
        claim=claim,
        policies=household_policies(request, ctx, claim.household_id),
        missing=document_names(request, claim.missing_documents),
        requested=document_names(request, claim.open_request_kinds),
        timeline=_timeline(ctx, found),
        reported=reported,
        filed=filed,
        sent=sent,
        problems=grouped_problems(problems),
        problem_list=problems,
        can_file=ctx.principal.role in HOUSEHOLD_WRITERS,
    )


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, ctx: PageCtx, claim_id: int, filed: int = 0, sent: int = 0) -> Response:
    return render_claim(request, ctx, claim_id, filed=bool(filed), sent=bool(sent))


@router.get("/households/{household_id}/claims", response_class=HTMLResponse)
def household_claims(request: Request, ctx: PageCtx, household_id: int) -> Response:
    return render(
        request,
        "claim_list.html",
        ctx.principal,
        household=family.get_overview(ctx, household_id),
        claims=queries.for_household(ctx, household_id),
        can_file=ctx.principal.role in HOUSEHOLD_WRITERS,
    )


# ---------------------------------------------------------------------------------------------------- adjusters
