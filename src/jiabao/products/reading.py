"""Which product documents a household was shown before applying (可回溯: what was actually opened, and when).

The record is an entry of the append-only audit log per household and product — 《关于规范互联网保险销售行为可
回溯管理的通知》(银保监发〔2020〕26号) asks the insurer to keep what the customer was shown, unalterable. The page
that opens a document writes it; the application page reads it before accepting an application, and the return
visit reads it to ask about what was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jiabao.db import audit
from jiabao.db.context import ServiceContext
from jiabao.products.documents import DOCUMENTS

ENTITY = "product_reading"
ACTION = "product.document_opened"


@dataclass(frozen=True, slots=True)
class Opened:
    document: str
    version: int
    at: datetime


def _key(household_id: int, code: str) -> str:
    return f"{household_id}:{code}"


def record_opened(ctx: ServiceContext, *, household_id: int, code: str, version: int, document: str) -> None:
    """Record that the caller opened ``document`` (terms | notice) of the product for the household."""
    if document not in DOCUMENTS:
        raise ValueError(document)
    detail = {"document": document, "version": version, "product": code}
    ctx.audit(ACTION, ENTITY, _key(household_id, code), detail)
    ctx.session.flush()


def opened(ctx: ServiceContext, *, household_id: int, code: str, version: int | None = None) -> dict[str, Opened]:
    """The documents of the product opened for the household (the first opening of each, of ``version`` if given)."""
    found: dict[str, Opened] = {}
    for entry in audit.entries_for(ctx.session, entity=ENTITY, entity_id=_key(household_id, code)):
        doc, ver = str(entry.detail.get("document")), int(entry.detail.get("version", 0))
        if entry.action != ACTION or (version is not None and ver != version) or doc in found:
            continue
        found[doc] = Opened(doc, ver, entry.at)
    return found


def missing(ctx: ServiceContext, *, household_id: int, code: str, version: int) -> list[str]:
    """The documents still to open before applying for this product version (terms first)."""
    seen = opened(ctx, household_id=household_id, code=code, version=version)
    return [d for d in DOCUMENTS if d not in seen]


APPLICATION_ACTION = "application.documents_shown"


def attach_to_application(ctx: ServiceContext, *, application_id: int, household_id: int, code: str) -> None:
    """Copy what was opened before applying onto the application's record, for the return visit to ask about."""
    shown = opened(ctx, household_id=household_id, code=code)
    detail = {
        "product": code,
        "documents": {d.document: {"version": d.version, "at": d.at.isoformat()} for d in shown.values()},
    }
    ctx.audit(APPLICATION_ACTION, "application", application_id, detail)


def shown_for_application(ctx: ServiceContext, application_id: int) -> dict[str, Opened]:
    """The documents the customer had opened when applying (empty for an application made elsewhere)."""
    for entry in audit.entries_for(ctx.session, entity="application", entity_id=application_id):
        if entry.action == APPLICATION_ACTION:
            docs = entry.detail.get("documents", {})
            return {d: Opened(d, int(v["version"]), datetime.fromisoformat(v["at"])) for d, v in sorted(docs.items())}
    return {}
