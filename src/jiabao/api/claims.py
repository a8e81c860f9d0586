"""/api/v1 claims (智能理赔): report and track claims; the adjuster queue; the claims panel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Path, Request, Response, UploadFile
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from jiabao.api.deps import require, runtime_of, service_context
from jiabao.api.households import Reader, Writer
from jiabao.claims import beneficiaries, evidence, queries, service, workflow
from jiabao.claims.engine import ClaimType, required_documents
from jiabao.claims.schemas import (
    AdjusterDecisionIn,
    AppealDecisionIn,
    AppealIn,
    BeneficiaryAccountIn,
    ClaimIn,
    ClaimOut,
    ClaimsPanel,
    DocumentRequestIn,
    DocumentsIn,
    InvestigationIn,
    InvestigationOutcomeIn,
    ReunderwritingIn,
)
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext

router = APIRouter(tags=["claims"])
Adjuster = Annotated[ServiceContext, Depends(require(Role.CLAIMS, Role.ADMIN))]
Anyone = Annotated[ServiceContext, Depends(service_context)]
PanelReader = Annotated[ServiceContext, Depends(require(Role.CLAIMS, Role.ADMIN, Role.AUDITOR, Role.ACTUARY))]


def engines(request: Request) -> service.Engines:
    runtime = runtime_of(request)
    return service.Engines(
        products=runtime.products,
        knowledge=runtime.knowledge.get(),
        rules=runtime.claim_rules,
        advance_adjuster_above=runtime.settings.claims_advance_adjuster_above,
    )


@router.post("/households/{household_id}/claims", operation_id="claims_submit", status_code=201)
def submit(
    request: Request,
    ctx: Writer,
    household_id: int,
    data: ClaimIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=80)],
) -> ClaimOut:
    """Report a claim (24/7; for yourself or, with authorisation, a family member). A clear small claim is paid at
    once (小额快赔); repeating the request with the same key returns the same claim and never pays twice."""
    key = idempotency_key.strip()
    try:
        claim = service.submit(ctx, engines(request), household_id, data, idempotency_key=key)
        replayed = not service.created_here(ctx, claim)
    except IntegrityError:
        ctx.session.rollback()  # a concurrent duplicate won the race: answer with its claim
        found = service.existing(ctx, household_id, key)
        if found is None:
            raise
        claim, replayed = found, True
    ctx.session.commit()  # release the key's index lock in this thread (see docs/architecture.md)
    return queries.view(ctx, claim, replayed=replayed)


class DocumentOut(BaseModel):
    code: str
    name_zh: str
    name_en: str


@router.get("/claim-documents", operation_id="claims_documents")
def documents(
    request: Request, ctx: Anyone, claim_type: ClaimType, proxy: bool = False, minor: bool = False
) -> list[DocumentOut]:
    """Every document a claim of this kind needs, listed at once (一次性告知)."""
    rules = runtime_of(request).claim_rules
    return [
        DocumentOut(code=d.code, name_zh=d.name_zh, name_en=d.name_en)
        for d in required_documents(rules, claim_type, proxy=proxy, minor=minor)
    ]


Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
DocumentKind = Annotated[str, Form(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]


class UploadedOut(BaseModel):
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    claim_id: int | None


@router.post(
    "/households/{household_id}/claim-documents",
    operation_id="claims_upload_document",
    status_code=201,
    responses={422: {"description": "Unknown kind, a file over 10 MB, or not a JPG, PNG or PDF (by content)"}},
)
async def upload_document(
    request: Request, ctx: Writer, household_id: Id, kind: DocumentKind, file: UploadFile
) -> UploadedOut:
    """Upload one claim document (image or PDF; checked by its content, stored encrypted); name its id in the
    claim's ``document_ids``. Only uploaded documents count for a decision — ticking a box is not evidence."""
    data = await file.read(evidence.MAX_BYTES + 1)
    known = set(runtime_of(request).claim_rules.docs.documents)
    return UploadedOut(**vars(evidence.upload(ctx, household_id, kind=kind, data=data, known_kinds=known)))


@router.get("/claim-documents/{document_id}/content", operation_id="claims_document_content")
def document_content(ctx: Reader, document_id: Id) -> Response:
    """The document itself, always as a download with its checked type and ``nosniff`` (never rendered as a page);
    the read is audited."""
    doc, data = evidence.content(ctx, document_id)
    name = f"claim-document-{doc.id}.{evidence.EXTENSIONS[doc.content_type]}"
    return Response(
        content=data,
        media_type=doc.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "no-store",
        },
    )


@router.get("/households/{household_id}/claims", operation_id="claims_list")
def household_claims(ctx: Reader, household_id: int) -> list[ClaimOut]:
    return queries.for_household(ctx, household_id)


@router.get("/claims/{claim_id}", operation_id="claims_get")
def claim(ctx: Reader, claim_id: int) -> ClaimOut:
    return queries.view(ctx, queries.load(ctx, claim_id))


@router.get("/claims-queue", operation_id="claims_queue")
def claims_queue(ctx: Adjuster) -> list[ClaimOut]:
    return queries.queue(ctx)


@router.get("/claims/{claim_id}/assessment", operation_id="claims_assessment")
def assessment(ctx: Adjuster, claim_id: int) -> dict[str, Any]:
    """The engine's reasons, amounts and the facts it used (adjusters; audited)."""
    return queries.engine_reasoning(ctx, claim_id)


@router.post("/claims/{claim_id}/decision", operation_id="claims_decide")
def decide(ctx: Adjuster, claim_id: int, data: AdjusterDecisionIn) -> ClaimOut:
    claim = queries.decide(ctx, claim_id, data)
    return queries.view(ctx, claim)


@router.get("/claims-panel", operation_id="claims_panel")
def claims_panel(ctx: PanelReader) -> ClaimsPanel:
    return queries.panel(ctx)


# ------------------------------------------------------------------------------------ the workflow (issue 17)

Handler = Annotated[ServiceContext, Depends(require(Role.CLAIMS, Role.SERVICE, Role.ADMIN))]
Investigator = Annotated[ServiceContext, Depends(require(Role.CLAIMS, Role.RISK, Role.ADMIN))]


@router.post("/households/{household_id}/phone-claims", operation_id="claims_submit_phone", status_code=201)
def submit_phone(
    request: Request,
    ctx: Handler,
    household_id: int,
    data: ClaimIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=80)],
) -> ClaimOut:
    """A claim reported by phone (电话报案), recorded by the claims handler or counter staff: channel ``phone``,
    counted as such in the claims figures; the documents follow through a request for documents."""
    key = idempotency_key.strip()
    phoned = data.model_copy(update={"channel": "phone"})
    try:
        claim = service.submit(ctx, engines(request), household_id, phoned, idempotency_key=key)
        replayed = not service.created_here(ctx, claim)
    except IntegrityError:
        ctx.session.rollback()
        found = service.existing(ctx, household_id, key)
        if found is None:
            raise
        claim, replayed = found, True
    ctx.session.commit()
    return queries.view(ctx, claim, replayed=replayed)


@router.post("/claims/{claim_id}/document-requests", operation_id="claims_request_documents", status_code=201)
def request_documents(request: Request, ctx: Adjuster, claim_id: Id, data: DocumentRequestIn) -> ClaimOut:
    """Ask for every further document at once (一次性告知); the decision clock stops until they all arrive."""
    workflow.request_documents(ctx, runtime_of(request).claim_rules, claim_id, data.kinds)
    return queries.view(ctx, queries.load(ctx, claim_id))


@router.post("/claims/{claim_id}/documents", operation_id="claims_submit_documents")
def submit_documents(ctx: Writer, claim_id: Id, data: DocumentsIn) -> ClaimOut:
    """The requested documents (uploaded first through ``claim-documents``); when all have arrived the clock runs
    on and the adjuster is notified."""
    workflow.submit_documents(ctx, claim_id, data.document_ids)
    return queries.view(ctx, queries.load(ctx, claim_id))


@router.get("/claims/{claim_id}/workflow", operation_id="claims_workflow")
def claim_workflow(ctx: Adjuster, claim_id: Id) -> dict[str, Any]:
    """Investigations, re-underwriting results and the appeal (with its grounds) for the adjuster."""
    queries.load(ctx, claim_id)
    return {
        "investigations": workflow.investigations(ctx, claim_id),
        "reunderwritings": workflow.reunderwritings(ctx, claim_id),
        "appeal": workflow.appeal_view(ctx, claim_id),
    }


@router.post("/claims/{claim_id}/investigations", operation_id="claims_open_investigation", status_code=201)
def open_investigation(ctx: Adjuster, claim_id: Id, data: InvestigationIn) -> dict[str, Any]:
    row = workflow.open_investigation(
        ctx, claim_id, kind=data.kind, assignee=data.assignee, instructions=data.instructions
    )
    return {"id": row.id, "claim_id": row.claim_id, "kind": row.kind, "opened_on": row.opened_on}


@router.post("/claims/{claim_id}/investigation-outcomes", operation_id="claims_investigation_outcome")
def investigation_outcome(ctx: Investigator, claim_id: Id, data: InvestigationOutcomeIn) -> dict[str, Any]:
    """The person assigned records what the investigation found; the task closes."""
    queries.load(ctx, claim_id)
    row = workflow.record_outcome(ctx, claim_id, data.investigation_id, outcome=data.outcome, findings=data.findings)
    return {"id": row.id, "outcome": row.outcome, "closed_on": row.closed_on}


@router.post("/claims/{claim_id}/reunderwriting", operation_id="claims_reunderwrite", status_code=201)
def reunderwrite(request: Request, ctx: Adjuster, claim_id: Id, data: ReunderwritingIn) -> dict[str, Any]:
    """二次核保 on the knowledge-base version in force at issue; records the conclusion and its effect."""
    row = workflow.reunderwrite(
        ctx,
        runtime_of(request).knowledge,
        claim_id,
        policy_id=data.policy_id,
        impairment=data.impairment,
        answers=dict(data.answers),
        causal_icd=list(data.causal_icd),
    )
    return next(r for r in workflow.reunderwritings(ctx, claim_id) if r["id"] == row.id)


@router.post("/claims/{claim_id}/advance", operation_id="claims_advance")
def advance(request: Request, ctx: Adjuster, claim_id: Id) -> ClaimOut:
    """先行赔付 (Insurance Law art. 25): pay the determined part now, for any claim type."""
    workflow.pay_advance(ctx, runtime_of(request).claim_rules, claim_id)
    ctx.session.commit()
    return queries.view(ctx, queries.load(ctx, claim_id))


@router.post("/claims/{claim_id}/appeal", operation_id="claims_appeal", status_code=201)
def appeal(ctx: Writer, claim_id: Id, data: AppealIn) -> ClaimOut:
    """Appeal against a decline (申请复核); decided by another adjuster."""
    workflow.file_appeal(ctx, claim_id, data.grounds)
    return queries.view(ctx, queries.load(ctx, claim_id))


@router.post("/claims/{claim_id}/appeal/decision", operation_id="claims_appeal_decide")
def decide_appeal(ctx: Adjuster, claim_id: Id, data: AppealDecisionIn) -> ClaimOut:
    """Four-eyes: refused (409) when the person deciding is the adjuster who declined."""
    workflow.decide_appeal(
        ctx, claim_id, overturn=data.overturn, reason=data.reason, amounts={int(k): v for k, v in data.amounts.items()}
    )
    ctx.session.commit()
    return queries.view(ctx, queries.load(ctx, claim_id))


@router.post("/claims/{claim_id}/beneficiary-accounts", operation_id="claims_beneficiary_account")
def beneficiary_account(ctx: Writer, claim_id: Id, data: BeneficiaryAccountIn) -> ClaimOut:
    """A death-benefit recipient's own bank card; an approved share is then paid (after screening)."""
    beneficiaries.set_account(ctx, queries.load(ctx, claim_id), data.beneficiary_id, data.account)
    ctx.session.commit()
    return queries.view(ctx, queries.load(ctx, claim_id))
