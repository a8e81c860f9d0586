"""/api/v1 claims (智能理赔): report and track claims; the adjuster queue; the claims panel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Path, Request, Response, UploadFile
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from jiabao.api.deps import require, runtime_of, service_context
from jiabao.api.households import Reader, Writer
from jiabao.claims import evidence, queries, service
from jiabao.claims.engine import ClaimType, required_documents
from jiabao.claims.schemas import AdjusterDecisionIn, ClaimIn, ClaimOut, ClaimsPanel
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
        found = service.existing(ctx, key)
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
