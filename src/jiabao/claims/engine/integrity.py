"""Claim-level integrity checks: duplicate invoices, missing documents, risk score, early claims."""

from __future__ import annotations

from jiabao.claims.engine.codes import ClaimType, ReasonCode, Severity
from jiabao.claims.engine.context import Ctx
from jiabao.claims.engine.documents import DocumentRequirement
from jiabao.claims.engine.facts import BillItem, ClaimCase
from jiabao.claims.engine.results import Reason
from jiabao.claims.engine.texts import Bi, reason

C, S = ReasonCode, Severity


def split_duplicates(case: ClaimCase) -> tuple[list[BillItem], list[Reason]]:
    """Bill items whose invoice number was presented in an earlier claim are left out and the claim is referred
    (possible double claiming); the other items go on."""
    seen = set(case.household.invoices_claimed)
    kept = [i for i in case.claim.bill_items if i.invoice_number not in seen]
    dupes = dict.fromkeys(i.invoice_number for i in case.claim.bill_items if i.invoice_number in seen)
    return kept, [reason(C.DUPLICATE_INVOICE, S.REFER, "duplicate_invoice", invoice=n) for n in dupes]


def check_documents(missing: tuple[DocumentRequirement, ...]) -> list[Reason]:
    if not missing:
        return []
    names = Bi("、".join(d.name_zh for d in missing), ", ".join(d.name_en for d in missing))
    return [reason(C.DOCUMENTS_MISSING, S.REFER, "documents", names=names)]


def check_risk(case: ClaimCase) -> list[Reason]:
    score, limit = case.claim.risk_score, case.config.max_fast_pay_risk
    if score > limit:
        return [reason(C.HIGH_RISK, S.REFER, "risk", score=f"{score:.2f}", limit=f"{limit:.2f}")]
    return []


def check_early_claim(ctx: Ctx) -> list[Reason]:
    """CI and death claims soon after cover start are flagged for the adjuster's attention (info only)."""
    if ctx.claim.claim_type not in (ClaimType.CI_DIAGNOSIS, ClaimType.DEATH):
        return []
    days = (ctx.claim.event_date - ctx.cover.start_date).days
    if 0 <= days < ctx.case.config.early_claim_days:
        return [reason(C.EARLY_CLAIM, S.INFO, "early_claim", policy_id=ctx.pid, days=days)]
    return []
