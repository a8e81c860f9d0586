"""Claim documents (理赔资料) as evidence: uploaded, not ticked.

- **Accepted**: JPEG, PNG and PDF only, recognised by their magic bytes (the name and the declared type are
  ignored), from 16 bytes to :data:`MAX_BYTES` (10 MB). Anything else is refused with 422.
- **Stored encrypted** with the PII cipher (column ``claim_documents.data``): medical records are sensitive
  personal data (PIPL art. 28); the SHA-256 of the clear bytes is kept for integrity and duplicate detection.
- **Served back** only as an attachment with the sniffed type and ``X-Content-Type-Options: nosniff`` (the API
  adds the headers), so a file can never be rendered as HTML or run as a script; every read is audited.
- **Straight-through payment needs the documents the claim type requires**: the engine's ``documents`` are the
  kinds of the uploads attached to the claim (``document_ids``), nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from jiabao.claims.models import Claim, ClaimDocument
from jiabao.core.auth import HOUSEHOLD_WRITERS
from jiabao.core.errors import FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family

DATA_COLUMN = "claim_documents.data"
MAX_BYTES = 10 * 1024 * 1024
MIN_BYTES = 16
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


@dataclass(frozen=True)
class DocumentOut:
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    claim_id: int | None


def _problem(field: str, code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(fields=(FieldProblem(field, code, zh, en),))


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (JPEG, PNG, PDF), or None."""
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)


def out(row: ClaimDocument) -> DocumentOut:
    return DocumentOut(row.id, row.kind, row.content_type, row.size, row.sha256, row.claim_id)


def upload(ctx: ServiceContext, household_id: int, *, kind: str, data: bytes, known_kinds: set[str]) -> DocumentOut:
    """Check and store one document for a claim of the household (not yet attached)."""
    family.get_overview(ctx, household_id)  # 404 for a household the caller may not see
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Your role may not file claim documents", "您的角色不能提交理赔资料")
    if kind not in known_kinds:
        raise _problem("kind", "unknown_document", "资料类型不正确", "Unknown kind of document")
    if len(data) > MAX_BYTES:
        raise _problem("file", "too_large", "文件不能超过10MB", "The file must be at most 10 MB")
    if len(data) < MIN_BYTES:
        raise _problem("file", "too_small", "文件为空或不完整", "The file is empty or incomplete")
    content_type = sniff(data)
    if content_type is None:
        raise _problem(
            "file",
            "unsupported_type",
            "仅支持JPG、PNG图片或PDF文件",
            "Only JPG or PNG images and PDF files are accepted",
        )
    row = ClaimDocument(
        household_id=household_id,
        kind=kind,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data_enc=ctx.cipher.encrypt(DATA_COLUMN, base64.b64encode(data).decode("ascii")),
        uploaded_at=ctx.now(),
        uploaded_by=ctx.principal.user_id or None,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("claim.document_uploaded", "claim_document", row.id, {"kind": kind, "size": len(data)})
    return out(row)


def attach(ctx: ServiceContext, claim: Claim, document_ids: list[int]) -> list[str]:
    """Attach the household's unattached uploads to ``claim``; returns their kinds (the engine's documents)."""
    kinds: list[str] = []
    for document_id in dict.fromkeys(document_ids):
        row = ctx.session.get(ClaimDocument, document_id)
        if row is None or row.household_id != claim.household_id or row.claim_id not in (None, claim.id):
            raise _problem(
                "document_ids",
                "document_not_available",
                "所选资料不存在或已用于其他理赔",
                "A document is unknown or used",
            )
        row.claim_id = claim.id
        kinds.append(row.kind)
    ctx.session.flush()
    return kinds


def kinds_available(ctx: ServiceContext, household_id: int, document_ids: list[int]) -> list[str]:
    """The kinds of the uploads named; refused before anything is written when one is not the household's or is
    already attached to a claim."""
    kinds: list[str] = []
    for document_id in dict.fromkeys(document_ids):
        row = ctx.session.get(ClaimDocument, document_id)
        if row is None or row.household_id != household_id or row.claim_id is not None:
            raise _problem(
                "document_ids",
                "document_not_available",
                "所选资料不存在或已用于其他理赔",
                "A document is unknown or used",
            )
        kinds.append(row.kind)
    return kinds


def for_claim(ctx: ServiceContext, claim: Claim) -> list[DocumentOut]:
    stmt = select(ClaimDocument).where(ClaimDocument.claim_id == claim.id).order_by(ClaimDocument.id)
    return [out(row) for row in ctx.session.scalars(stmt)]


def content(ctx: ServiceContext, document_id: int) -> tuple[DocumentOut, bytes]:
    """The clear bytes for whoever may read the household (audited as a read of health data)."""
    row = ctx.session.get(ClaimDocument, document_id)
    if row is None:
        raise NotFound("Document not found", "未找到该资料", code="document_not_found")
    family.get_overview(ctx, row.household_id)
    data = base64.b64decode(ctx.cipher.decrypt(DATA_COLUMN, row.data_enc))
    ctx.audit("pii.read", "claim_document", row.id, {"fields": ["document"], "kind": row.kind})
    return out(row), data
