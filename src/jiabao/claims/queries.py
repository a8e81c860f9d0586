"""Claim views, the adjuster queue and decisions, and the claims panel (线上理赔率, straight-through share,
time to payment)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.claims import beneficiaries, evidence, payout, service, workflow
from jiabao.claims.engine.explain import adjuster_rejection_notice
from jiabao.claims.engine.timeline import ADVANCE_PAYMENT_DAYS
from jiabao.claims.health import health
from jiabao.claims.models import Claim, ClaimAssessment, ClaimLine
from jiabao.claims.schemas import AdjusterDecisionIn, ChannelFigures, ClaimLineOut, ClaimOut, ClaimsPanel
from jiabao.core.auth import Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.policies.rules.calendar import is_provisional
from jiabao.risk.screening import service as screening

ADJUSTERS = frozenset({Role.CLAIMS, Role.ADMIN})


def load(ctx: ServiceContext, claim_id: int) -> Claim:
    claim = ctx.session.get(Claim, claim_id)
    if claim is None:
        raise NotFound("Claim not found", "未找到该理赔案件", code="claim_not_found")
    family.get_overview(ctx, claim.household_id)  # the household's access rules apply
    return claim


def view(ctx: ServiceContext, claim: Claim, *, replayed: bool = False) -> ClaimOut:
    overview = family.get_overview(ctx, claim.household_id)
    name = next(
        (m.name for m in overview.members + overview.former_members if m.person_id == claim.insured_person_id), ""
    )
    lines = ctx.session.scalars(select(ClaimLine).where(ClaimLine.claim_id == claim.id).order_by(ClaimLine.id))
    assessment = service.assessment_of(ctx, claim.id)
    texts = {(int(line["policy_id"]), line["benefit"]): line for line in assessment.get("lines", [])}
    private = health(ctx, claim)
    return ClaimOut(
        id=claim.id,
        claim_no=claim.claim_no,
        household_id=claim.household_id,
        insured_person_id=claim.insured_person_id,
        insured_name=name,
        claim_type=claim.claim_type,
        status=claim.status,
        channel=claim.channel,
        proxy=claim.proxy,
        event_date=claim.event_date,
        reported_at=claim.reported_at,
        claimed_amount=claim.claimed_amount,
        approved_amount=claim.approved_amount,
        paid_amount=claim.paid_amount,
        decision_due=claim.decision_due,
        decision_due_provisional=not claim.complex_case and is_provisional(claim.decision_due),
        payment_due=claim.payment_due,
        notice_due=claim.notice_due,
        account_masked=claim.account_masked,
        lines=[
            ClaimLineOut(
                policy_id=line.policy_id,
                benefit=line.benefit,
                amount=line.amount,
                advance=bool(texts.get((line.policy_id, line.benefit), {}).get("advance")),
                text_zh=texts.get((line.policy_id, line.benefit), {}).get("text_zh", ""),
                text_en=texts.get((line.policy_id, line.benefit), {}).get("text_en", ""),
            )
            for line in lines
        ],
        explanation_zh=private.get("explanation_zh", ""),
        explanation_en=private.get("explanation_en", ""),
        missing_documents=claim.details.get("missing_documents", []),
        documents=[vars(d) for d in evidence.for_claim(ctx, claim)],
        waivers=[
            {
                "policy_id": w["policy_id"],
                "from": w["premiums_due_after"],
                "basis": w["basis"],
                "text_zh": w["text_zh"],
                "text_en": w["text_en"],
            }
            for w in assessment.get("waivers", [])
        ],
        rejection_notice_zh=private.get("rejection_notice_zh"),
        rejection_notice_en=private.get("rejection_notice_en"),
        notice_sent_on=claim.details.get("notice_sent_on"),
        complexity="complex" if claim.complex_case else "ordinary",
        complexity_reasons=private.get("complexity_reasons", []),
        advance_held=bool(claim.details.get("advance_held")),
        replayed=replayed,
        **_workflow_view(ctx, claim),
    )


def _workflow_view(ctx: ServiceContext, claim: Claim) -> dict[str, Any]:
    """What the workflow adds to the claim's view (shown to the family and to staff)."""
    requests = workflow.requests_of(ctx, claim.id)
    pending = next((r for r in requests if r.received_on is None), None)
    advance_by = claim.details.get("advance_payment_by")
    return {
        "document_requests": [
            {"kinds": r.kinds, "requested_on": r.requested_on, "received_on": r.received_on} for r in requests
        ],
        "open_request_kinds": list(pending.kinds) if pending else [],
        "request_notice_zh": claim.details.get("request_notice_zh") if pending else None,
        "request_notice_en": claim.details.get("request_notice_en") if pending else None,
        "investigations_open": sum(1 for i in workflow.investigations(ctx, claim.id) if i["closed_on"] is None),
        "beneficiaries": [
            {
                "id": b.id,
                "policy_id": b.policy_id,
                "person_id": b.person_id,
                "name": b.name,
                "basis": b.basis,
                "share": b.share,
                "amount": b.amount,
                "account_masked": b.account_masked,
                "paid": b.payment_id is not None,
            }
            for b in beneficiaries.for_claim(ctx, claim.id)
        ],
        "appeal": workflow.appeal_view(ctx, claim.id),
        "advance_payment_by": date.fromisoformat(advance_by) if advance_by else _advance_by(claim),
        "deductions": claim.details.get("deductions", {}),
    }


def _advance_by(claim: Claim) -> date:
    return claim.reported_at.date() + timedelta(days=ADVANCE_PAYMENT_DAYS)


def for_household(ctx: ServiceContext, household_id: int) -> list[ClaimOut]:
    family.get_overview(ctx, household_id)
    claims = ctx.session.scalars(select(Claim).where(Claim.household_id == household_id).order_by(Claim.id.desc()))
    return [view(ctx, c) for c in claims]


def _ensure_adjuster(ctx: ServiceContext) -> None:
    if ctx.principal.role not in ADJUSTERS:
        raise PermissionDenied("Only claims staff handle referred claims", "仅理赔人员可处理转人工案件")


def queue(ctx: ServiceContext) -> list[ClaimOut]:
    """Referred claims, CI claims with an advance paid, appeals and claims waiting for documents, oldest first (the
    adjuster's queue)."""
    _ensure_adjuster(ctx)
    waiting = ("referred", "advance_paid", "appealed", "documents_requested")
    stmt = select(Claim).where(Claim.status.in_(waiting)).order_by(Claim.reported_at).limit(200)
    return [view(ctx, c) for c in ctx.session.scalars(stmt)]


def engine_reasoning(ctx: ServiceContext, claim_id: int) -> dict[str, Any]:
    """The engine's decision and the facts it used (health data: the read is audited)."""
    _ensure_adjuster(ctx)
    claim = load(ctx, claim_id)
    facts = json.loads(ctx.cipher.decrypt(service.FACTS_COLUMN, claim.facts_enc))
    ctx.audit("pii.read", "claim", claim.id, {"fields": ["diagnoses", "bills"]})
    return {"assessment": service.assessment_of(ctx, claim.id), "facts": facts}


def decide(ctx: ServiceContext, claim_id: int, data: AdjusterDecisionIn) -> Claim:
    """The adjuster approves (paying each policy's amount) or declines with a reason; recorded beside the engine's."""
    _ensure_adjuster(ctx)
    claim = load(ctx, claim_id)
    if claim.status not in ("referred", "advance_paid"):
        raise Conflict("This claim is not waiting for an adjuster", "该案件不在待人工处理状态", code="not_referred")
    workflow.ensure_no_open_investigation(ctx, claim.id)
    engine = service.assessment_of(ctx, claim.id)
    withheld = workflow.withheld_policies(ctx, claim.id)  # 二次核保: an excluded cause, or referred for rescission
    advanced = set(claim.details.get("advanced", []))  # art. 25 advances already paid
    # The default is what the engine found payable and has not paid yet (advances were paid at intake). The
    # adjuster may set another amount per policy; it is paid in addition to any advance.
    default: dict[int, Decimal] = {}
    benefits: dict[int, str] = {}
    for line in engine.get("lines", []):
        pid = int(line["policy_id"])
        benefits.setdefault(pid, line["benefit"])
        if f"{pid}:{line['benefit']}" in advanced:
            continue
        if not line.get("advance") or claim.details.get("advance_held"):  # a held advance was not paid
            amount = Decimal(0) if pid in withheld else Decimal(line["amount"])
            default[pid] = default.get(pid, Decimal(0)) + amount
    amounts = {int(k): Decimal(v) for k, v in (data.amounts or default).items()}
    if data.approve and any(a < 0 for a in amounts.values()):
        raise InvalidInput(fields=(FieldProblem("amounts", "negative", "金额不能为负", "Amounts cannot be negative"),))
    ctx.session.add(
        ClaimAssessment(
            claim_id=claim.id,
            rule_version=engine.get("rule_version", ""),
            outcome="approve" if data.approve else "decline",
            automated=False,
            result_enc=ctx.cipher.encrypt(
                service.RESULT_COLUMN,
                json.dumps(
                    {
                        "approve": data.approve,
                        "amounts": {str(k): str(v) for k, v in amounts.items()},
                        "reason": data.reason,
                    }
                ),
            ),
            elapsed_ms=0.0,
            decided_at=ctx.now(),
            decided_by=ctx.principal.user_id,
            reason=None,  # the reason may name a diagnosis: it is kept only inside the encrypted result
        )
    )
    if data.approve:
        lines = [(pid, benefits.get(pid, "medical"), amount) for pid, amount in amounts.items()]
        beneficiaries.screen(ctx, claim, beneficiaries.for_claim(ctx, claim.id))  # every recipient of a death benefit
        screening.gate(
            ctx,
            occasion="claim_payment",
            context=f"claim:{claim.id}",
            household_id=claim.household_id,
            parties=screening.parties(insureds=[claim.insured_person_id], payee=claim.payee_person_id),
        )
        payout.pay_lines(ctx, claim, lines)
        claim.status = "paid"
    else:
        claim.status, claim.decided_at = "declined", ctx.now()
        zh, en = adjuster_rejection_notice(claim.claim_no, claim.reported_at.date(), data.reason)
        service.send_rejection_notice(ctx, claim, family.get_overview(ctx, claim.household_id), zh, en)
    ctx.audit("claim.adjuster_decision", "claim", claim.id, {"approve": data.approve})
    return claim


CHANNELS = ("online", "counter", "phone")


def _channel_figures(channel: str, claims: list[Claim]) -> ChannelFigures:
    """Accepted (受理), decided within the limit (on or before the deadline, document waits deducted) and the
    average calendar days from report to decision, for one reporting channel (one claim counts once)."""
    decided = [c for c in claims if c.decided_at is not None]
    within = sum(
        1 for c in decided if c.decided_at is not None and c.decided_at.astimezone(CHINA_TZ).date() <= c.decision_due
    )
    days = [Decimal((c.decided_at - c.reported_at).total_seconds()) / 86400 for c in decided if c.decided_at]
    return ChannelFigures(
        channel=channel,
        accepted=len(claims),
        decided=len(decided),
        decided_within_limit=within,
        decided_within_limit_share=(Decimal(within) / len(decided)).quantize(Decimal("0.0001"))
        if decided
        else Decimal(0),
        average_days_to_decision=(sum(days, Decimal(0)) / len(days)).quantize(Decimal("0.01")) if days else None,
    )


def panel(ctx: ServiceContext) -> ClaimsPanel:
    """The claims panel: online share (线上理赔率, each claim counted once by its channel), straight-through share,
    time to payment, and the quality figures by channel (accepted, decided within the limit, average time)."""
    if ctx.principal.role not in (Role.AUDITOR, Role.ACTUARY):  # they see the aggregate figures only
        _ensure_adjuster(ctx)
    claims = list(ctx.session.scalars(select(Claim)))
    automated = set(
        ctx.session.scalars(
            select(ClaimAssessment.claim_id).where(
                ClaimAssessment.automated.is_(True), ClaimAssessment.outcome == "approve_straight_through"
            )
        )
    )
    waits = sorted((c.paid_at - c.reported_at).total_seconds() for c in claims if c.paid_at is not None)
    today = ctx.clock.today()
    total = len(claims)

    def share(n: int) -> Decimal:
        return (Decimal(n) / total).quantize(Decimal("0.0001")) if total else Decimal(0)

    online = sum(1 for c in claims if c.channel == "online")
    figures = [_channel_figures(channel, [c for c in claims if c.channel == channel]) for channel in CHANNELS]
    overall = _channel_figures("all", claims)
    return ClaimsPanel(
        total=total,
        online=online,
        online_share=share(online),
        straight_through=len(automated),
        straight_through_share=share(len(automated)),
        paid=len(waits),
        time_to_payment_p50_seconds=waits[len(waits) // 2] if waits else None,
        time_to_payment_p90_seconds=waits[int(len(waits) * 0.9)] if waits else None,
        accepted=overall.accepted,
        decided_within_limit=overall.decided_within_limit,
        decided_within_limit_share=overall.decided_within_limit_share,
        average_days_to_decision=overall.average_days_to_decision,
        by_channel=figures,
        overdue_decisions=sum(1 for c in claims if c.decided_at is None and c.decision_due < today),
    )
