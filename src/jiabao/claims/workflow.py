"""The claims workflow (理赔作业) around the engine's decision: requests for further documents with the clock
paused, investigations, 二次核保, the art. 25 advance, and appeals decided by a second person.

Rules: :mod:`jiabao.claims.engine.workflow` (pure). Every step is audited; messages go through the outbox."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.claims import beneficiaries, evidence, payout, service
from jiabao.claims.engine import Complexity, Decision, RuleSet, claim_timeline
from jiabao.claims.engine.explain import APPEAL_EN, APPEAL_ZH
from jiabao.claims.engine.timeline import ADVANCE_PAYMENT_DAYS, DocumentRequest
from jiabao.claims.engine.workflow import determinable_lines, request_notice, reunderwriting_effect
from jiabao.claims.health import health, set_health
from jiabao.claims.models import (
    Claim,
    ClaimAppeal,
    ClaimAssessment,
    ClaimDocument,
    ClaimDocumentRequest,
    ClaimInvestigation,
    ClaimLine,
    ClaimReunderwriting,
)
from jiabao.core.auth import HOUSEHOLD_WRITERS, Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family import service as family
from jiabao.identity.models import User
from jiabao.policies.common.models import Policy, PolicyInsured
from jiabao.policies.rules.periods import within_years
from jiabao.risk.screening import service as screening
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import (
    CaseContext,
    Channel,
    Disclosure,
    InsuredFacts,
    KnowledgeBaseStore,
    decide_insured,
)
from jiabao.underwriting.models import UnderwritingDecision

ADJUSTERS = frozenset({Role.CLAIMS, Role.ADMIN})
OPEN = ("received", "referred", "advance_paid", "documents_requested")
INVESTIGATION_KINDS = ("hospital_records", "site_visit", "police_report", "other")
INVESTIGATION_OUTCOMES = ("confirmed", "contradicted", "inconclusive")
FINDINGS_COLUMN = "claim_investigations.findings"
REUNDERWRITING_COLUMN = "claim_reunderwritings.result"
APPEAL_COLUMN = "claim_appeals.grounds"
LETTER_COLUMN = "claim_appeals.letter"


def _problem(field: str, code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(fields=(FieldProblem(field, code, zh, en),))


def ensure_adjuster(ctx: ServiceContext) -> None:
    if ctx.principal.role not in ADJUSTERS:
        raise PermissionDenied("Only claims staff do this", "仅理赔人员可办理")


_ensure_adjuster = ensure_adjuster


def _load(ctx: ServiceContext, claim_id: int) -> Claim:
    claim = ctx.session.get(Claim, claim_id)
    if claim is None:
        raise NotFound("Claim not found", "未找到该理赔案件", code="claim_not_found")
    family.get_overview(ctx, claim.household_id)
    return claim


def _undecided(claim: Claim) -> None:
    if claim.status not in OPEN:
        raise Conflict("This claim is already decided", "该案件已作出结论", code="claim_decided")


def _sms(ctx: ServiceContext, claim: Claim, kind: str, body: str) -> None:
    overview = family.get_overview(ctx, claim.household_id)
    to = service.recipient(overview, claim)
    enqueue(
        ctx.session,
        topic="sms",
        at=ctx.now(),
        payload={"kind": kind, "person_id": to.person_id, "claim_no": claim.claim_no, "body": body},
    )


# ------------------------------------------------------------------------------------------------ the clock


def requests_of(ctx: ServiceContext, claim_id: int) -> list[ClaimDocumentRequest]:
    stmt = select(ClaimDocumentRequest).where(ClaimDocumentRequest.claim_id == claim_id)
    return list(ctx.session.scalars(stmt.order_by(ClaimDocumentRequest.id)))


def pauses(ctx: ServiceContext, claim_id: int) -> tuple[DocumentRequest, ...]:
    return tuple(
        DocumentRequest(requested_on=r.requested_on, received_on=r.received_on) for r in requests_of(ctx, claim_id)
    )


def refresh_due(ctx: ServiceContext, claim: Claim) -> None:
    """The decision deadline with every document wait deducted (SPC Interp. II art. 15)."""
    timeline = claim_timeline(
        received_on=claim.reported_at.date(),
        complexity=Complexity.COMPLEX if claim.complex_case else Complexity.ORDINARY,
        as_of=ctx.clock.today(),
        requests=pauses(ctx, claim.id),
    )
    claim.decision_due = timeline.decision.due
    claim.details = {**claim.details, "advance_payment_by": timeline.advance_payment_by.isoformat()}


# ------------------------------------------------------------------------------------ further documents


def request_documents(ctx: ServiceContext, rules: RuleSet, claim_id: int, kinds: list[str]) -> ClaimDocumentRequest:
    """One notice listing every document still needed (一次性告知); the decision clock stops until all arrive."""
    _ensure_adjuster(ctx)
    claim = _load(ctx, claim_id)
    _undecided(claim)
    codes = list(dict.fromkeys(k for k in kinds if k))
    if not codes:
        raise _problem("kinds", "required", "请选择需要补充的资料", "Choose the documents needed")
    unknown = [c for c in codes if c not in rules.docs.documents]
    if unknown:
        raise _problem("kinds", "unknown_document", "资料类型不正确", "Unknown kind of document")
    if any(r.received_on is None for r in requests_of(ctx, claim.id)):
        raise Conflict(
            "A request is still open: everything missing is asked for at once",
            "已有未完成的补充资料通知：所需资料须一次性告知",
            code="request_open",
        )
    today = ctx.clock.today()
    row = ClaimDocumentRequest(
        claim_id=claim.id, kinds=codes, requested_on=today, requested_at=ctx.now(), requested_by=ctx.principal.user_id
    )
    ctx.session.add(row)
    ctx.session.flush()
    zh, en = request_notice(rules, codes, claim_no=claim.claim_no)
    claim.details = {**claim.details, "resume_status": claim.status, "request_notice_zh": zh, "request_notice_en": en}
    claim.status = "documents_requested"
    refresh_due(ctx, claim)
    _sms(ctx, claim, "claim_documents_requested", f"【家保】{zh} 上传：/claims/{claim.id}")
    ctx.audit("claim.documents_requested", "claim", claim.id, {"kinds": codes})
    return row


def submit_documents(ctx: ServiceContext, claim_id: int, document_ids: list[int]) -> ClaimDocumentRequest:
    """The customer's uploads for the open request; when every requested kind has arrived the clock runs on,
    the claim is back with the adjuster who asked, and they are notified."""
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Only the household or the counter files documents", "理赔资料须由家庭成员或柜面提交")
    claim = _load(ctx, claim_id)
    request = next((r for r in requests_of(ctx, claim.id) if r.received_on is None), None)
    if request is None or claim.status != "documents_requested":
        raise Conflict("No documents are requested for this claim", "该案件没有待补充的资料", code="no_request")
    evidence.kinds_available(ctx, claim.household_id, document_ids)  # refused before anything is written
    evidence.attach(ctx, claim, document_ids)
    arrived = set(
        ctx.session.scalars(
            select(ClaimDocument.kind).where(
                ClaimDocument.claim_id == claim.id, ClaimDocument.uploaded_at >= request.requested_at
            )
        )
    )
    missing = [k for k in request.kinds if k not in arrived]
    ctx.audit("claim.documents_submitted", "claim", claim.id, {"documents": len(document_ids), "missing": missing})
    if missing:
        return request
    request.received_on = ctx.clock.today()
    claim.status = "advance_paid" if claim.details.get("resume_status") == "advance_paid" else "referred"
    claim.details = {
        **claim.details,
        "missing_documents": [k for k in claim.details.get("missing_documents", []) if k not in arrived],
        "documents_received_on": request.received_on.isoformat(),
    }
    refresh_due(ctx, claim)
    enqueue(
        ctx.session,
        topic="staff",
        at=ctx.now(),
        payload={
            "kind": "claim_documents_received",
            "claim_no": claim.claim_no,
            "handler_id": request.requested_by,
            "link": f"/claims/{claim.id}/handle",
        },
    )
    ctx.session.flush()
    return request


# ------------------------------------------------------------------------------------------ investigations


def open_investigation(
    ctx: ServiceContext, claim_id: int, *, kind: str, assignee: int, instructions: str
) -> ClaimInvestigation:
    """An investigation task for a named colleague. It is a stated reason the case is complex (30 days,
    Insurance Law art. 23; Basic Service Rules 2010 art. 23): the limit runs from receipt, never restarts."""
    _ensure_adjuster(ctx)
    claim = _load(ctx, claim_id)
    _undecided(claim)
    if kind not in INVESTIGATION_KINDS:
        raise _problem("kind", "invalid", "调查类型不正确", "Unknown kind of investigation")
    user = ctx.session.get(User, assignee)
    if user is None or user.role not in (Role.CLAIMS.value, Role.ADMIN.value, Role.RISK.value):
        raise _problem("assignee", "not_staff", "须指派给理赔或风控人员", "Assign to claims or risk staff")
    row = ClaimInvestigation(
        claim_id=claim.id,
        kind=kind,
        assigned_to=assignee,
        assigned_by=ctx.principal.user_id,
        opened_on=ctx.clock.today(),
        findings_enc=ctx.cipher.encrypt(
            FINDINGS_COLUMN, json.dumps({"instructions": instructions}, ensure_ascii=False)
        ),
    )
    ctx.session.add(row)
    ctx.session.flush()
    reasons = list(health(ctx, claim).get("complexity_reasons", []))
    if all(r.get("code") != "investigation" for r in reasons):
        reasons.append(
            {
                "code": "investigation",
                "text_zh": "需要理赔调查（核实病历或现场查勘），属于情形复杂的案件，30日内作出核定",
                "text_en": "An investigation is needed (hospital records or a site visit): a complex case, decided "
                "within 30 days",
            }
        )
        set_health(ctx, claim, complexity_reasons=reasons)
    claim.complex_case = True
    refresh_due(ctx, claim)
    ctx.audit("claim.investigation_opened", "claim", claim.id, {"kind": kind, "assignee": assignee})
    return row


def record_outcome(
    ctx: ServiceContext, claim_id: int, investigation_id: int, *, outcome: str, findings: str
) -> ClaimInvestigation:
    """The assignee (or an admin) records what the investigation found; the task closes."""
    row = ctx.session.get(ClaimInvestigation, investigation_id)
    if row is None or row.claim_id != claim_id:
        raise _problem("investigation_id", "unknown", "未找到该调查任务", "No such investigation on this claim")
    if ctx.principal.user_id != row.assigned_to and ctx.principal.role is not Role.ADMIN:
        raise PermissionDenied("Only the person assigned records the outcome", "仅被指派的调查人员可录入结论")
    if row.closed_on is not None:
        raise Conflict("This investigation is closed", "该调查已结束", code="investigation_closed")
    if outcome not in INVESTIGATION_OUTCOMES:
        raise _problem("outcome", "invalid", "调查结论不正确", "Unknown outcome")
    if len(findings.strip()) < 4:
        raise _problem("findings", "required", "请填写调查发现", "Describe the findings")
    stored = json.loads(ctx.cipher.decrypt(FINDINGS_COLUMN, row.findings_enc)) if row.findings_enc else {}
    row.findings_enc = ctx.cipher.encrypt(
        FINDINGS_COLUMN, json.dumps(stored | {"findings": findings.strip()}, ensure_ascii=False)
    )
    row.outcome, row.closed_on = outcome, ctx.clock.today()
    ctx.audit("claim.investigation_closed", "claim", row.claim_id, {"outcome": outcome})
    ctx.session.flush()
    return row


def investigations(ctx: ServiceContext, claim_id: int) -> list[dict[str, Any]]:
    rows = ctx.session.scalars(
        select(ClaimInvestigation).where(ClaimInvestigation.claim_id == claim_id).order_by(ClaimInvestigation.id)
    )
    out = []
    for r in rows:
        text = json.loads(ctx.cipher.decrypt(FINDINGS_COLUMN, r.findings_enc)) if r.findings_enc else {}
        out.append(
            {
                "id": r.id,
                "kind": r.kind,
                "assigned_to": r.assigned_to,
                "opened_on": r.opened_on,
                "closed_on": r.closed_on,
                "outcome": r.outcome,
                "instructions": text.get("instructions", ""),
                "findings": text.get("findings", ""),
            }
        )
    return out


def ensure_no_open_investigation(ctx: ServiceContext, claim_id: int) -> None:
    """Open investigations keep the claim from being decided."""
    open_ = ctx.session.scalars(
        select(ClaimInvestigation.id).where(
            ClaimInvestigation.claim_id == claim_id, ClaimInvestigation.closed_on.is_(None)
        )
    ).first()
    if open_ is not None:
        raise Conflict("An investigation is still open", "调查尚未完成，暂不能作出理赔结论", code="investigation_open")


# --------------------------------------------------------------------------------------------- 二次核保


def reunderwrite(
    ctx: ServiceContext,
    store: KnowledgeBaseStore,
    claim_id: int,
    *,
    policy_id: int,
    impairment: str,
    answers: dict[str, Any],
    causal_icd: list[str],
) -> ClaimReunderwriting:
    """Re-run underwriting on what was disclosed plus the condition the claim revealed, on the knowledge-base
    version the policy was issued under (never today's standards: CBIRC Order 2022 No. 9), and record what it
    would have concluded and the effect on this claim."""
    _ensure_adjuster(ctx)
    claim = _load(ctx, claim_id)
    _undecided(claim)
    policy = ctx.session.get(Policy, policy_id)
    insured = ctx.session.scalars(
        select(PolicyInsured).where(
            PolicyInsured.policy_id == policy_id, PolicyInsured.person_id == claim.insured_person_id
        )
    ).first()
    if policy is None or policy.household_id != claim.household_id or insured is None:
        raise _problem("policy_id", "not_covering", "该保单不承保此被保险人", "This policy does not cover the insured")
    row = ctx.session.get(UnderwritingDecision, insured.decision_id) if insured.decision_id else None
    if row is None:
        raise Conflict("No underwriting decision is on file", "该保单没有核保记录", code="no_uw_decision")
    kb = store.get(row.kb_version)
    if impairment not in kb.impairments:
        raise _problem("impairment", "unknown", "知识库中没有该疾病", "The knowledge base does not know it")
    stored = uw.facts_of(ctx, row)
    facts = InsuredFacts.model_validate(stored["insured"])
    facts = facts.model_copy(
        update={"disclosures": (*facts.disclosures, Disclosure(impairment=impairment, answers=answers))}
    )
    case = stored["case"]
    context = CaseContext(
        as_of=date.fromisoformat(case["as_of"]),
        channel=Channel(case["channel"]),
        policyholder_age=int(case["policyholder_age"]),
        household_insured_members=int(case["household_insured_members"]),
    )
    decision = decide_insured(kb, facts, context)
    products = {c.line for c in facts.covers if c.product_code in (None, policy.product_code)}
    lines = [ln for ln in decision.lines if ln.line in products] or list(decision.lines)
    conclusion = uw.overall(decision.model_copy(update={"lines": tuple(lines)}))
    excluded = [
        code
        for ln in lines
        for ex in ln.exclusions
        for code in kb.impairments[ex.subject].icd10
        if ex.subject in kb.impairments
    ]
    excluded += list(kb.impairments[impairment].icd10) if conclusion.value in ("declined", "postponed") else []
    contestable = within_years(_cover_start(policy, insured.start_date), ctx.clock.today())
    effect = reunderwriting_effect(
        conclusion.value, excluded_icd=excluded, causal_icd=causal_icd, contestable=contestable
    )
    record = ClaimReunderwriting(
        claim_id=claim.id,
        policy_id=policy_id,
        person_id=claim.insured_person_id,
        kb_version=kb.version,
        conclusion=conclusion.value,
        effect=effect.effect.value,
        result_enc=ctx.cipher.encrypt(
            REUNDERWRITING_COLUMN,
            json.dumps(
                {
                    "impairment": impairment,
                    "answers": answers,
                    "causal_icd": causal_icd,
                    "causal": effect.causal,
                    "pays": effect.pays,
                    "contestable": contestable,
                    "text_zh": effect.text_zh,
                    "text_en": effect.text_en,
                    "decision": decision.model_dump(mode="json"),
                },
                ensure_ascii=False,
                default=str,
            ),
        ),
        decided_at=ctx.now(),
        decided_by=ctx.principal.user_id,
    )
    ctx.session.add(record)
    ctx.session.flush()
    ctx.audit(
        "claim.reunderwriting",
        "claim",
        claim.id,
        {
            "policy_id": policy_id,
            "kb_version": kb.version,
            "conclusion": conclusion.value,
            "effect": effect.effect.value,
        },
    )
    if effect.effect.value == "refer_rescission":
        ctx.audit("policy.rescission_referral", "policy", policy_id, {"claim_id": claim.id, "article": "16"})
    return record


def _cover_start(policy: Policy, start: date) -> date:
    """Incontestability runs from formation or the last reinstatement (art. 16; SPC Interp. III art. 8)."""
    reinstated = [date.fromisoformat(d) for d in policy.reinstated_on]
    return max([start, *reinstated])


def reunderwritings(ctx: ServiceContext, claim_id: int) -> list[dict[str, Any]]:
    rows = ctx.session.scalars(
        select(ClaimReunderwriting).where(ClaimReunderwriting.claim_id == claim_id).order_by(ClaimReunderwriting.id)
    )
    out = []
    for r in rows:
        result = json.loads(ctx.cipher.decrypt(REUNDERWRITING_COLUMN, r.result_enc))
        out.append(
            {
                "id": r.id,
                "policy_id": r.policy_id,
                "kb_version": r.kb_version,
                "conclusion": r.conclusion,
                "effect": r.effect,
                "pays": result["pays"],
                "impairment": result["impairment"],
                "text_zh": result["text_zh"],
                "text_en": result["text_en"],
            }
        )
    return out


def withheld_policies(ctx: ServiceContext, claim_id: int) -> set[int]:
    """Policies whose benefit the latest re-underwriting withholds for this claim (excluded cause, or referred for
    rescission): the adjuster's default amount there is zero."""
    latest: dict[int, dict[str, Any]] = {r["policy_id"]: r for r in reunderwritings(ctx, claim_id)}
    return {pid for pid, r in latest.items() if not r["pays"]}


# ------------------------------------------------------------------------------------------- art. 25 advance


def pay_advance(ctx: ServiceContext, rules: RuleSet, claim_id: int) -> Decimal:
    """先行赔付 (Insurance Law art. 25): pay now the part of the amount already determined, for any claim type,
    when the whole cannot yet be fixed; the rest follows with the decision. Returns the amount instructed."""
    _ensure_adjuster(ctx)
    claim = _load(ctx, claim_id)
    _undecided(claim)
    decision = Decision.model_validate(engine_assessment(ctx, claim.id))
    optional = frozenset(c for c, d in rules.docs.documents.items() if d.advance_optional)
    withheld = withheld_policies(ctx, claim.id)
    paid = {
        (line.policy_id, line.benefit)
        for line in ctx.session.scalars(select(ClaimLine).where(ClaimLine.claim_id == claim.id))
    }
    lines = [
        (int(ln.policy_id), ln.benefit.value, ln.amount)
        for ln in determinable_lines(decision, optional)
        if int(ln.policy_id) not in withheld and (int(ln.policy_id), ln.benefit.value) not in paid
    ]
    if not lines:
        raise Conflict("Nothing is determined yet", "目前没有可以确定的赔付金额", code="nothing_determined")
    beneficiaries.screen(ctx, claim, beneficiaries.for_claim(ctx, claim.id))
    screening.gate(
        ctx,
        occasion="claim_payment",
        context=f"claim:{claim.id}",
        household_id=claim.household_id,
        parties=screening.parties(insureds=[claim.insured_person_id], payee=claim.payee_person_id),
    )
    before = claim.paid_amount
    payout.pay_lines(ctx, claim, lines)
    claim.decided_at = None  # the claim itself is not decided by an advance
    claim.status = "advance_paid"
    advanced = [f"{p}:{b}" for p, b, _ in lines]
    claim.details = {**claim.details, "advanced": [*claim.details.get("advanced", []), *advanced]}
    ctx.audit("claim.advance", "claim", claim.id, {"amount": str(claim.paid_amount - before)})
    return claim.paid_amount - before


# ---------------------------------------------------------------------------------------------- appeals


def engine_assessment(ctx: ServiceContext, claim_id: int) -> dict[str, Any]:
    """The engine's latest decision (an adjuster's decision is a later, non-automated assessment)."""
    row = ctx.session.scalars(
        select(ClaimAssessment)
        .where(ClaimAssessment.claim_id == claim_id, ClaimAssessment.automated.is_(True))
        .order_by(ClaimAssessment.id.desc())
        .limit(1)
    ).one()
    value: dict[str, Any] = json.loads(ctx.cipher.decrypt(service.RESULT_COLUMN, row.result_enc))
    return value


def _decliner(ctx: ServiceContext, claim_id: int) -> int | None:
    row = ctx.session.scalars(
        select(ClaimAssessment)
        .where(ClaimAssessment.claim_id == claim_id, ClaimAssessment.automated.is_(False))
        .order_by(ClaimAssessment.id.desc())
        .limit(1)
    ).first()
    return row.decided_by if row is not None and row.outcome == "decline" else None


def file_appeal(ctx: ServiceContext, claim_id: int, grounds: str) -> ClaimAppeal:
    """An appeal against a decline (申请复核), online or at the counter."""
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Only the household or the counter files an appeal", "复核申请须由家庭成员或柜面提交")
    claim = _load(ctx, claim_id)
    if claim.status != "declined":
        raise Conflict("Only a declined claim can be appealed", "仅拒赔案件可以申请复核", code="not_declined")
    text = grounds.strip()
    if not 4 <= len(text) <= 1000:
        raise _problem("grounds", "length", "请填写复核理由（4至1000字）", "Give your grounds (4 to 1000 characters)")
    row = ClaimAppeal(
        claim_id=claim.id,
        filed_at=ctx.now(),
        filed_by=ctx.principal.user_id or None,
        channel="counter" if ctx.principal.is_staff else "online",
        grounds_enc=ctx.cipher.encrypt(APPEAL_COLUMN, text),
        declined_by=_decliner(ctx, claim.id),
        status="open",
    )
    ctx.session.add(row)
    claim.status = "appealed"
    ctx.session.flush()
    ctx.audit("claim.appeal_filed", "claim", claim.id, {"appeal": row.id})
    return row


def appeal_letter(claim_no: str, upheld: bool, reason: str, amount: Decimal) -> tuple[str, str]:
    if upheld:
        zh = (
            f"复核决定书：您对理赔案件{claim_no}的复核申请经另一名理赔人员重新审核，维持原拒赔决定。理由：{reason}。"
            f"如仍有异议：{APPEAL_ZH}"
        )
        en = (
            f"Decision on appeal: your appeal on claim {claim_no} was reviewed by a different adjuster; the decline "
            f"stands. Reason: {reason}. If you still disagree: {APPEAL_EN}"
        )
    else:
        zh = (
            f"复核决定书：您对理赔案件{claim_no}的复核申请经另一名理赔人员重新审核，撤销原拒赔决定，"
            f"核定赔付{amount:.2f}元，款项将在10日内支付（《保险法》第二十三条）。说明：{reason}。"
        )
        en = (
            f"Decision on appeal: your appeal on claim {claim_no} was reviewed by a different adjuster; the decline "
            f"is reversed and ¥{amount:.2f} is payable, paid within 10 days (Insurance Law art. 23). Note: {reason}."
        )
    return zh, en


def open_appeal(ctx: ServiceContext, claim_id: int) -> ClaimAppeal | None:
    return ctx.session.scalars(
        select(ClaimAppeal).where(ClaimAppeal.claim_id == claim_id, ClaimAppeal.status == "open")
    ).first()


def appeal_view(ctx: ServiceContext, claim_id: int) -> dict[str, Any] | None:
    row = ctx.session.scalars(
        select(ClaimAppeal).where(ClaimAppeal.claim_id == claim_id).order_by(ClaimAppeal.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    letter = json.loads(ctx.cipher.decrypt(LETTER_COLUMN, row.letter_enc)) if row.letter_enc else {}
    return {
        "id": row.id,
        "status": row.status,
        "filed_at": row.filed_at,
        "grounds": ctx.cipher.decrypt(APPEAL_COLUMN, row.grounds_enc),
        "declined_by": row.declined_by,
        "decided_by": row.decided_by,
        "letter_zh": letter.get("zh"),
        "letter_en": letter.get("en"),
    }


def decide_appeal(
    ctx: ServiceContext, claim_id: int, *, overturn: bool, reason: str, amounts: dict[int, Decimal] | None = None
) -> ClaimAppeal:
    """The appeal is decided by a person other than the one who declined (four-eyes); overturned, the engine's
    amounts (or the reviewer's) are paid; upheld, the decline stands. Either way a decision letter is sent."""
    _ensure_adjuster(ctx)
    claim = _load(ctx, claim_id)
    appeal = open_appeal(ctx, claim.id)
    if appeal is None or claim.status != "appealed":
        raise Conflict("No appeal is open on this claim", "该案件没有待处理的复核申请", code="no_appeal")
    if appeal.declined_by is not None and appeal.declined_by == ctx.principal.user_id:
        raise Conflict(
            "The appeal is decided by someone other than the adjuster who declined",
            "复核须由原拒赔人以外的理赔人员作出",
            code="four_eyes",
        )
    if len(reason.strip()) < 4:
        raise _problem("reason", "required", "请填写复核理由", "Give the reason")
    total = Decimal(0)
    if overturn:
        engine = engine_assessment(ctx, claim.id)
        default: dict[int, Decimal] = {}
        benefits: dict[int, str] = {}
        for line in engine.get("lines", []):
            pid = int(line["policy_id"])
            benefits.setdefault(pid, line["benefit"])
            default[pid] = default.get(pid, Decimal(0)) + Decimal(line["amount"])
        chosen = amounts or default
        if not chosen or any(a < 0 for a in chosen.values()):
            raise _problem("amounts", "required", "请填写赔付金额", "Give the amounts to pay")
        beneficiaries.screen(ctx, claim, beneficiaries.for_claim(ctx, claim.id))
        screening.gate(
            ctx,
            occasion="claim_payment",
            context=f"claim:{claim.id}",
            household_id=claim.household_id,
            parties=screening.parties(insureds=[claim.insured_person_id], payee=claim.payee_person_id),
        )
        payout.pay_lines(ctx, claim, [(pid, benefits.get(pid, "medical"), a) for pid, a in chosen.items()])
        total = sum(chosen.values(), Decimal(0))
        claim.status = "paid"
    else:
        claim.status = "declined"
    zh, en = appeal_letter(claim.claim_no, not overturn, reason.strip(), total)
    appeal.status = "overturned" if overturn else "upheld"
    appeal.decided_by, appeal.decided_at = ctx.principal.user_id, ctx.now()
    appeal.letter_enc = ctx.cipher.encrypt(LETTER_COLUMN, json.dumps({"zh": zh, "en": en}, ensure_ascii=False))
    ctx.session.add(
        ClaimAssessment(
            claim_id=claim.id,
            rule_version=engine_assessment(ctx, claim.id).get("rule_version", ""),
            outcome="appeal_overturned" if overturn else "appeal_upheld",
            automated=False,
            result_enc=ctx.cipher.encrypt(
                service.RESULT_COLUMN, json.dumps({"appeal": appeal.id, "overturn": overturn, "reason": reason})
            ),
            elapsed_ms=0.0,
            decided_at=ctx.now(),
            decided_by=ctx.principal.user_id,
        )
    )
    _sms(ctx, claim, "claim_appeal_decided", f"【家保】{zh[:120]} 详情：/claims/{claim.id}")
    ctx.audit("claim.appeal_decided", "claim", claim.id, {"overturn": overturn, "appeal": appeal.id})
    ctx.session.flush()
    return appeal


def due_advances(ctx: ServiceContext, today: date) -> list[Claim]:
    """Undecided claims whose 60-day advance date (art. 25, pauses deducted) has come: the adjuster's reminder."""
    _ensure_adjuster(ctx)
    claims = ctx.session.scalars(select(Claim).where(Claim.status.in_(OPEN)))
    due = []
    for c in claims:
        stored = c.details.get("advance_payment_by")
        by = date.fromisoformat(stored) if stored else c.reported_at.date() + timedelta(days=ADVANCE_PAYMENT_DAYS)
        if by <= today:
            due.append(c)
    return due


def investigators(ctx: ServiceContext) -> list[tuple[int, str]]:
    """Who can be given an investigation: active claims, risk and admin staff (id, display name)."""
    _ensure_adjuster(ctx)
    roles = (Role.CLAIMS.value, Role.RISK.value, Role.ADMIN.value)
    rows = ctx.session.scalars(select(User).where(User.role.in_(roles), User.active.is_(True)).order_by(User.id))
    return [(u.id, u.display_name) for u in rows]
