"""Choosing the outcome (理赔结论) from the lines and reasons; a pure decision.

1. **CI advance payment** (重疾先赔, Insurance Law art. 25): a CI claim with a confirmed grade and an amount under
   at least one policy whose lines no ``refer`` reason touches (a claim-level refer touches every policy; missing
   documents do not block it when each missing one is marked ``advance_optional``). Those lines are paid now.
2. **Refer** (转人工): any ``refer`` reason.
3. **Decline** (拒赔): nothing payable and at least one ``reject`` reason.
4. **Straight-through approval** (小额快赔): a medical claim (outpatient, inpatient, accident medical) whose total
   is at most the fast-pay threshold (¥3,000 by default), with no refer reason — the risk score is a refer reason
   when above its limit.
5. Otherwise **refer**, adding why: above the fast-pay limit, or not a fast-pay kind of claim.
"""

from __future__ import annotations

from jiabao.claims.engine.codes import MEDICAL_CLAIMS, BenefitKind, ClaimType, Complexity, Outcome, ReasonCode, Severity
from jiabao.claims.engine.documents import DocumentRequirement
from jiabao.claims.engine.facts import ClaimCase
from jiabao.claims.engine.money import total
from jiabao.claims.engine.results import PayableLine, Reason
from jiabao.claims.engine.texts import reason

C, S = ReasonCode, Severity
CI_BENEFITS = frozenset({BenefitKind.CI_SEVERE, BenefitKind.CI_MILD, BenefitKind.SPOUSE_JOINT})
FAST_PAY_TYPES = MEDICAL_CLAIMS | {ClaimType.ACCIDENT}


def _blocks_advance(r: Reason, policy_id: str, missing: tuple[DocumentRequirement, ...]) -> bool:
    if r.severity is not S.REFER or r.policy_id not in (None, policy_id):
        return False
    return not (r.code is C.DOCUMENTS_MISSING and all(d.advance_optional for d in missing))


def advance_lines(
    case: ClaimCase, lines: list[PayableLine], reasons: list[Reason], missing: tuple[DocumentRequirement, ...]
) -> list[PayableLine]:
    """The CI lines that can be paid in advance now (rule 1)."""
    if case.claim.claim_type is not ClaimType.CI_DIAGNOSIS:
        return []
    return [
        ln
        for ln in lines
        if ln.benefit in CI_BENEFITS
        and ln.amount > 0
        and not any(_blocks_advance(r, ln.policy_id, missing) for r in reasons)
    ]


def choose(
    case: ClaimCase, lines: list[PayableLine], reasons: list[Reason], missing: tuple[DocumentRequirement, ...]
) -> tuple[Outcome, list[PayableLine], list[Reason]]:
    """The outcome, the lines (advance lines marked) and any reason the outcome itself adds."""
    advance = advance_lines(case, lines, reasons, missing)
    if advance:
        ids = {id(ln) for ln in advance}
        marked = [ln.model_copy(update={"advance": True}) if id(ln) in ids else ln for ln in lines]
        return Outcome.CI_ADVANCE_PAYMENT, marked, []
    if any(r.severity is S.REFER for r in reasons):
        return Outcome.REFER, lines, []
    amount = total(ln.amount for ln in lines)
    if not lines or (amount == 0 and any(r.severity is S.REJECT for r in reasons)):
        extra = (
            [] if any(r.severity is S.REJECT for r in reasons) else [reason(C.NO_BENEFIT_PAYABLE, S.REJECT, "outcome")]
        )
        return Outcome.DECLINE, lines, extra
    if case.claim.claim_type not in FAST_PAY_TYPES:
        return Outcome.REFER, lines, [reason(C.NOT_FAST_PAY_TYPE, S.REFER, "outcome")]
    limit = case.config.fast_pay_threshold
    if amount > limit:
        return Outcome.REFER, lines, [reason(C.ABOVE_FAST_PAY_LIMIT, S.REFER, "outcome", amount=amount, limit=limit)]
    return Outcome.APPROVE_STRAIGHT_THROUGH, lines, []


COMPLEX_CAUSES = frozenset(
    {
        C.UNDISCLOSED_PRE_EXISTING,  # the disclosure at application must be investigated (art. 16)
        C.HIGH_RISK,  # fraud scoring: an investigation
        C.DUPLICATE_INVOICE,  # possible double claiming: an investigation
        C.CI_FACTS_MISSING,  # the grade needs medical facts still to come
        C.CI_ASSESS_TOO_EARLY,  # the lasting effects can only be assessed later
        C.CI_MANUAL_DEFINITION,  # a definition the engine does not encode: medical review
        C.DISABILITY_GRADE_MISSING,  # a disability assessment is needed
        C.DISABILITY_MULTIPLE,  # several grades: the adjuster combines them
        C.SUICIDE_NO_CAPACITY,  # civil capacity at the time must be established (SPC Interp. III art. 21)
    }
)
"""Findings that make a claim complex (情形复杂): each needs an investigation or a medical or legal judgement.
A referral for any other reason (above the fast-pay limit, a kind of claim a person decides, missing documents,
whose wait pauses the clock instead) keeps the ordinary limit of 5 working days."""


def complexity(
    case: ClaimCase, outcome: Outcome, reasons: list[Reason] | None = None
) -> tuple[Complexity, list[Reason]]:
    """Complex (30 days, Insurance Law art. 23) only for a stated reason — a finding in :data:`COMPLEX_CAUSES`;
    otherwise ordinary: a decision within 5 working days (Basic Service Rules 2010 art. 23). Returns the
    complexity and the reasons that make it complex. A declined claim is never complex (it is decided)."""
    if outcome is Outcome.DECLINE:
        return Complexity.ORDINARY, []
    stated = [r for r in reasons or [] if r.code in COMPLEX_CAUSES and r.severity is not S.REJECT]
    return (Complexity.COMPLEX if stated else Complexity.ORDINARY), stated
