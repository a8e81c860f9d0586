"""Smart claims (智能理赔): intake (online, by proxy, at the counter), adjudication on the pure engine, payment
instruction to the insured's or beneficiary's own account, family benefits (premium waivers across the
household), the adjuster queue and the claims panel. One idempotency key = one claim, one payment."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.claims import beneficiaries, evidence
from jiabao.claims import facts_builder as fb
from jiabao.claims.engine import (
    CiGrade,
    ClaimCase,
    Complexity,
    Decision,
    Outcome,
    RuleSet,
    claim_timeline,
    decide,
    grade,
)
from jiabao.claims.engine import (
    Claim as ClaimFacts,
)
from jiabao.claims.engine.explain import held_for_review
from jiabao.claims.health import set_health
from jiabao.claims.models import Claim, ClaimAssessment, ClaimInvoice
from jiabao.claims.payout import ACCOUNT_COLUMN, pay_lines
from jiabao.claims.schemas import ClaimIn
from jiabao.core import validation as v
from jiabao.core.auth import Role
from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.core.idempotency import scoped_key
from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.family import proxies as family_proxies
from jiabao.family import service as family
from jiabao.family.enums import Relationship
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.notify import MessageKind
from jiabao.policies.common import ledger_posting, messages
from jiabao.policies.common.models import Instalment, Policy
from jiabao.products.service import ProductEngine
from jiabao.risk.fraud import hooks as risk
from jiabao.risk.screening import service as screening
from jiabao.underwriting.engine import KnowledgeBase

CREATED = "claims.created"
"""``session.info`` key: ids of the claims this unit of work created (a replay is any other claim returned)."""
FACTS_COLUMN = "claims.facts"
RESULT_COLUMN = "claim_assessments.result"

STATUS_BY_OUTCOME = {
    Outcome.APPROVE_STRAIGHT_THROUGH: "paid",
    Outcome.CI_ADVANCE_PAYMENT: "advance_paid",
    Outcome.REFER: "referred",
    Outcome.DECLINE: "declined",
}


@dataclass(frozen=True)
class Engines:
    products: ProductEngine
    knowledge: KnowledgeBase
    rules: RuleSet
    advance_adjuster_above: Decimal = Decimal("50000")
    """A CI advance above this total is never paid without an adjuster (Settings.claims_advance_adjuster_above)."""


def _problem(field: str, code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(fields=(FieldProblem(field, code, zh, en),))


def _check(ctx: ServiceContext, overview: HouseholdOut, data: ClaimIn, kinds: list[str]) -> tuple[bool, int, str]:
    """Who files for whom, who is paid, into which account; returns (proxy, payee, card number)."""
    members = {m.person_id: m for m in overview.members + overview.former_members}
    insured = members.get(data.insured_person_id)
    if insured is None:
        raise _problem("insured_person_id", "not_a_member", "此人不是该家庭成员", "Not a member of this household")
    if data.event_date > ctx.clock.today():
        raise _problem("event_date", "date_in_future", "出险日期不能晚于今天", "The event date cannot be in the future")
    proxy = ctx.principal.role is Role.CUSTOMER and ctx.principal.person_id != data.insured_person_id
    registered = proxy and family_proxies.check_act(ctx, overview.id, data.insured_person_id, "claims")
    if proxy and insured.age >= 18 and not data.insured_authorised and not registered:
        raise _problem(
            "insured_authorised",
            "authorisation_required",
            "代家人申请理赔须取得被保险人的授权",
            "Filing for a family member needs the insured's authorisation",
        )
    payee = data.payee_person_id or data.insured_person_id
    if payee != data.insured_person_id and not _may_be_payee(overview, insured, payee, data, kinds):
        raise _problem(
            "payee_person_id",
            "payee_not_allowed",
            "保险金只能支付至被保险人、受益人或未成年被保险人的父母（监护人）本人账户",
            "Benefits are paid only to the insured's, a beneficiary's or a minor insured's parent's (guardian's) "
            "own account",
        )
    try:
        card = v.check_bank_card(data.account, field="account", strict=True).number
    except v.ValidationFailed as exc:
        raise InvalidInput(
            fields=tuple(FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors)
        ) from exc
    return proxy, payee, card


PARENTS_OF: dict[Relationship, frozenset[Relationship]] = {
    Relationship.CHILD: frozenset({Relationship.SELF, Relationship.SPOUSE}),
    Relationship.SELF: frozenset({Relationship.PARENT}),
    Relationship.GRANDCHILD: frozenset({Relationship.CHILD}),
}
"""Who is a parent of whom, by the relationships to the household head (与户主关系)."""


def _may_be_payee(overview: HouseholdOut, insured: MemberOut, payee: int, data: ClaimIn, kinds: list[str]) -> bool:
    """Who may receive the benefit besides the insured (Internet Measures art. 40: the payee's own account):
    a household member for a death benefit (the beneficiary); for a minor insured (under 18), a parent — the
    legal guardian (Civil Code art. 27) — who is an adult member of the household, or another adult member who
    proves the guardianship (``guardian_proof`` among the documents)."""
    members = {m.person_id: m for m in overview.members + overview.former_members}
    chosen = members.get(payee)
    if chosen is None:
        return False
    if data.claim_type.value == "death":
        return True
    if insured.age >= 18 or chosen.age < 18 or not chosen.active:
        return False
    parent = chosen.relationship in PARENTS_OF.get(insured.relationship, frozenset())
    return parent or "guardian_proof" in kinds


def _channel(ctx: ServiceContext, data: ClaimIn) -> str:
    """online for the household's own filing; counter or phone (电话报案) as the staff member records it."""
    if not ctx.principal.is_staff:
        if data.channel is not None:
            raise _problem("channel", "staff_only", "报案渠道由工作人员记录", "Only staff record the channel")
        return "online"
    channel = data.channel or "counter"
    if channel == "counter" and ctx.principal.role is Role.SERVICE:
        # counter parity (issue 17 item 3): the customer's identity checked and their confirmation recorded
        if not data.counter_identity_verified:
            raise _problem(
                "counter_identity_verified",
                "required",
                "柜面受理须核验客户身份证件",
                "At the counter the customer's identity must be verified",
            )
        if not data.counter_customer_confirmed:
            raise _problem(
                "counter_customer_confirmed",
                "required",
                "柜面受理须由客户确认申请内容",
                "At the counter the customer must confirm the claim",
            )
    return channel


def existing(ctx: ServiceContext, household_id: int, key: str) -> Claim | None:
    """The claim this household already filed with this key (keys are scoped to the household)."""
    stored = scoped_key(household_id, key.strip())
    return ctx.session.scalars(select(Claim).where(Claim.idempotency_key == stored)).one_or_none()


def submit(ctx: ServiceContext, engines: Engines, household_id: int, data: ClaimIn, *, idempotency_key: str) -> Claim:
    """Report a claim and decide it at once; a straight-through claim gets its payment instruction now."""
    key = idempotency_key.strip()
    if not 8 <= len(key) <= 80:
        raise _problem(
            "Idempotency-Key", "invalid", "幂等键须为8至80个字符", "The idempotency key must be 8 to 80 characters"
        )
    overview = family.get_overview(ctx, household_id)
    replay = existing(ctx, household_id, key)
    if replay is not None:
        return replay
    try:
        kinds = evidence.kinds_available(ctx, household_id, data.document_ids)
    except InvalidInput:
        replay = existing(ctx, household_id, key)  # a concurrent twin with the same key attached them first: its claim
        if replay is not None:
            return replay
        raise
    proxy, payee, card = _check(ctx, overview, data, kinds)
    now, today = ctx.now(), ctx.clock.today()
    claimed = sum((b.amount - b.social_insurance_paid for b in data.bill_items), Decimal(0))
    claim = Claim(
        claim_no="",
        idempotency_key=scoped_key(household_id, key),
        household_id=household_id,
        insured_person_id=data.insured_person_id,
        reported_by=ctx.principal.user_id or None,
        proxy=proxy,
        channel=_channel(ctx, data),
        claim_type=data.claim_type.value,
        event_date=data.event_date,
        reported_at=now,
        status="received",
        facts_enc=b"",
        claimed_amount=claimed,
        paid_amount=Decimal(0),
        decision_due=today,
        complex_case=False,
        account_enc=ctx.cipher.encrypt(ACCOUNT_COLUMN, card),
        account_masked=mask_bank_card(card),
        payee_person_id=payee,
        details={},
    )
    ctx.session.add(claim)
    ctx.session.flush()
    claim.claim_no = f"C{today:%Y%m%d}{claim.id:08d}"
    ctx.session.info.setdefault(CREATED, set()).add(claim.id)
    set_health(ctx, claim, ci_disease=data.ci.disease if data.ci else None)
    evidence.attach(ctx, claim, data.document_ids)
    if claim.channel == "counter" and ctx.principal.role is Role.SERVICE:
        claim.details = {
            **claim.details,
            "counter": {"identity_verified": True, "customer_confirmed": True, "staff": ctx.principal.user_id},
        }
        ctx.audit("claim.counter_confirmation", "claim", claim.id, {"identity_verified": True, "confirmed": True})
    if claim.claim_type == "death":
        beneficiaries.identify(ctx, claim, overview)
    decision = _decide(ctx, engines, claim, overview, data, tuple(kinds))
    _apply(ctx, engines, claim, decision, overview)
    return claim


def _decide(
    ctx: ServiceContext,
    engines: Engines,
    claim: Claim,
    overview: HouseholdOut,
    data: ClaimIn,
    documents: tuple[str, ...],
) -> Decision:
    insured = next(m for m in overview.members + overview.former_members if m.person_id == data.insured_person_id)
    facts = ClaimFacts(
        claim_id=str(claim.id),
        claim_type=data.claim_type,
        cause=data.cause,
        event_date=data.event_date,
        report_date=ctx.clock.today(),
        insured_id=str(data.insured_person_id),
        hospital=data.hospital,
        diagnoses=tuple(data.diagnoses),
        ci=data.ci,
        bill_items=tuple(data.bill_items),
        social_insurance_settled=data.social_insurance_settled,
        disability_grades=tuple(data.disability_grades),
        documents=documents,  # uploaded and attached: evidence, not ticks
        proxy=claim.proxy,
        insured_is_minor=insured.age < 18,
        risk_score=risk.claim_risk(ctx, claim, data),
    )
    policies = [fb.policy_facts(ctx, engines.products, engines.knowledge, p) for p in fb.policies_of(ctx, overview.id)]
    case = ClaimCase(
        claim=facts, policies=tuple(policies), household=fb.household_facts(ctx, overview), as_of=ctx.clock.today()
    )
    claim.facts_enc = ctx.cipher.encrypt(FACTS_COLUMN, case.model_dump_json())
    decision = decide(engines.rules, case)
    grading = grade(engines.rules, facts) if data.ci else None
    if grading is not None and grading.grade is CiGrade.MILD and grading.disease is not None:
        # the mild disease's name, as the engine matches a mild benefit already paid (once per mild disease)
        set_health(ctx, claim, mild_name=grading.disease.mild_zh or grading.disease.zh)
    ctx.session.add(
        ClaimAssessment(
            claim_id=claim.id,
            rule_version=decision.rule_version,
            outcome=decision.outcome.value,
            automated=True,
            result_enc=ctx.cipher.encrypt(RESULT_COLUMN, decision.model_dump_json()),
            elapsed_ms=decision.elapsed_ms,
            decided_at=ctx.now(),
        )
    )
    for item in data.bill_items:
        if ctx.session.scalars(select(ClaimInvoice.id).where(ClaimInvoice.invoice_no == item.invoice_number)).first():
            continue  # a duplicate: the engine has already flagged it; the first claim keeps the record
        ctx.session.add(ClaimInvoice(invoice_no=item.invoice_number, claim_id=claim.id, amount=item.amount))
    return decision


def _apply(ctx: ServiceContext, engines: Engines, claim: Claim, decision: Decision, overview: HouseholdOut) -> None:
    """Outcome → status, deadlines, payable lines and payment instructions, premium waivers, messages."""
    today = ctx.clock.today()
    claim.complex_case = decision.complexity.value == "complex"
    timeline = claim_timeline(received_on=claim.reported_at.date(), complexity=decision.complexity, as_of=today)
    claim.decision_due = timeline.decision.due
    claim.status = STATUS_BY_OUTCOME[decision.outcome]
    claim.details = {
        **claim.details,
        "missing_documents": list(decision.missing_documents),
        "deductibles": {
            line.policy_id: str(line.deductible_applied) for line in decision.lines if line.deductible_applied
        },
    }
    notice = decision.rejection_notice
    if decision.outcome is Outcome.DECLINE:
        claim.decided_at = ctx.now()
    payable = [line for line in decision.lines if decision.outcome is Outcome.APPROVE_STRAIGHT_THROUGH or line.advance]
    if decision.outcome is Outcome.CI_ADVANCE_PAYMENT and decision.advance_total > engines.advance_adjuster_above:
        # a large advance is never paid without an adjuster: the claim waits in the queue with its lines
        payable, claim.status = [], "referred"
        claim.details = {
            **claim.details,
            "advance_held": {"total": str(decision.advance_total), "limit": str(engines.advance_adjuster_above)},
        }
    intended = bool(payable)
    payable = screening.hold_claim_payment(ctx, claim, payable)  # watch-list screening of payee and insured
    explanation = (decision.explanation_zh, decision.explanation_en)
    if intended and not payable:
        # held by the screening: the customer reads an ordinary referral, never "approved" nor why (no tipping off)
        explanation = held_for_review(list(decision.lines), list(decision.reasons))
    set_health(
        ctx,
        claim,
        explanation_zh=explanation[0],
        explanation_en=explanation[1],
        complexity_reasons=[
            {"code": r.code.value, "text_zh": r.text_zh, "text_en": r.text_en} for r in decision.complexity_reasons
        ],
    )
    if payable:
        pay_lines(ctx, claim, [(int(line.policy_id), line.benefit.value, line.amount) for line in payable])
    _waive(ctx, claim, decision)
    if payable:
        _message(
            ctx, MessageKind.CLAIM_PAID, claim, overview, amount=claim.paid_amount, masked_account=claim.account_masked
        )
    if notice is not None:  # a rejection, whole or for some policies: the notice goes out now (art. 24)
        send_rejection_notice(ctx, claim, overview, notice.text_zh, notice.text_en)
    elif not payable:
        _message(ctx, MessageKind.CLAIM_RECEIVED, claim, overview)
    ctx.audit(
        "claim.decide",
        "claim",
        claim.id,
        {"outcome": decision.outcome.value, "rule_version": decision.rule_version, "total": str(decision.total)},
    )


def _message(ctx: ServiceContext, kind: MessageKind, claim: Claim, overview: HouseholdOut, **extra: Any) -> None:
    """A message about a claim, dated today, to :func:`recipient`, linking to the claim page."""
    messages.queue(
        ctx,
        kind,
        recipient=recipient(overview, claim),
        policy_no=claim.claim_no,
        product=("理赔", "claim"),
        link=f"/claims/{claim.id}",
        on=ctx.clock.today(),
        claim_number=claim.claim_no,
        **extra,
    )


def recipient(overview: HouseholdOut, claim: Claim) -> MemberOut:
    """Who is written to about a claim: the insured; for a minor, the adult payee (parent or guardian) or else the
    household head (a child is never written to directly)."""
    members = {m.person_id: m for m in overview.members + overview.former_members}
    insured = members[claim.insured_person_id]
    if insured.age >= 18:
        return insured
    payee = members.get(claim.payee_person_id)
    if payee is not None and payee.age >= 18:
        return payee
    return next((m for m in members.values() if m.relationship is Relationship.SELF), insured)


def send_rejection_notice(
    ctx: ServiceContext, claim: Claim, overview: HouseholdOut, text_zh: str, text_en: str
) -> None:
    """The rejection notice (拒绝赔付通知书) with its reasons and the appeal route: on the claim page and by SMS and
    e-mail, on the day of the decision — within the 3 days of Insurance Law art. 24 (BSR 2010 art. 24)."""
    today = ctx.clock.today()
    complexity = Complexity.COMPLEX if claim.complex_case else Complexity.ORDINARY
    timeline = claim_timeline(
        received_on=claim.reported_at.date(), complexity=complexity, as_of=today, decided_on=today, rejected=True
    )
    claim.notice_due = timeline.rejection_notice.due if timeline.rejection_notice else today
    claim.details = {**claim.details, "notice_sent_on": today.isoformat()}
    set_health(ctx, claim, rejection_notice_zh=text_zh, rejection_notice_en=text_en)
    _message(ctx, MessageKind.CLAIM_DECLINED, claim, overview)
    ctx.audit("claim.rejection_notice", "claim", claim.id, {"notice_due": claim.notice_due.isoformat()})


def _waive(ctx: ServiceContext, claim: Claim, decision: Decision) -> None:
    """Whole-family premium waiver (一人出险全家豁免): every qualifying household policy, each audited."""
    for grant in decision.waivers:
        policy = ctx.session.get(Policy, int(grant.policy_id))
        if policy is None or policy.premium_waived_from is not None:
            continue
        policy.premium_waived_from = grant.premiums_due_after
        waived = ctx.session.scalars(
            select(Instalment).where(
                Instalment.policy_id == policy.id,
                Instalment.paid_on.is_(None),
                Instalment.due_date > grant.premiums_due_after,
            )
        )
        count = 0
        for instalment in list(waived):  # read first: posting flushes
            instalment.waived = True
            ledger_posting.premium_waived(ctx, policy, instalment, claim.id)
            count += 1
        ctx.audit(
            "policy.premium_waiver",
            "policy",
            policy.id,
            {
                "claim_id": claim.id,
                "basis": grant.basis.value,
                "instalments": count,
                "from": grant.premiums_due_after.isoformat(),
            },
        )


def assessment_of(ctx: ServiceContext, claim_id: int) -> dict[str, Any]:
    row = ctx.session.scalars(
        select(ClaimAssessment).where(ClaimAssessment.claim_id == claim_id).order_by(ClaimAssessment.id.desc()).limit(1)
    ).one()
    value: dict[str, Any] = json.loads(ctx.cipher.decrypt(RESULT_COLUMN, row.result_enc))
    return value


def created_here(ctx: ServiceContext, claim: Claim) -> bool:
    """True when this unit of work created the claim (False for a replay of an earlier submission)."""
    return claim.id in ctx.session.info.get(CREATED, set())
