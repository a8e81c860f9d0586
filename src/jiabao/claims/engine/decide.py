"""The adjudication engine (理赔审核): facts in, decision with all reasons out. Pure: no database, no clock reads.

The chain, in order — every check returns structured reasons and all of them are kept:
1. claim level: duplicate invoices (those items are left out), missing documents, risk score, CI grading;
2. for each household policy covering the claimant, in the insured's order: in force → waiting period →
   underwriting exclusions → suicide/self-injury → standard exclusions → disclosure → early claim; if nothing
   rejects, the benefit calculators (medical after the earlier policies' payments, CI with the spouse benefit,
   death, accident disability) give one line per policy and benefit;
3. the whole-family premium waiver once a severe CI is payable;
4. the outcome, the explanation and the rejection notice.
``elapsed_ms`` (``time.perf_counter``) is the only field that differs between two runs on the same input.
"""

from __future__ import annotations

from decimal import Decimal
from time import perf_counter

from jiabao.claims.engine.benefits import Result, ci_lines, death_lines, disability_lines
from jiabao.claims.engine.ci_grading import Grading, grade
from jiabao.claims.engine.codes import BenefitKind, CiGrade, ClaimType, Outcome, ReasonCode, Severity
from jiabao.claims.engine.context import Ctx, contexts
from jiabao.claims.engine.documents import missing_documents
from jiabao.claims.engine.eligibility import eligibility
from jiabao.claims.engine.explain import explain, rejection_notice
from jiabao.claims.engine.facts import BillItem, ClaimCase
from jiabao.claims.engine.family import premium_waivers, spouse_joint
from jiabao.claims.engine.integrity import check_documents, check_early_claim, check_risk, split_duplicates
from jiabao.claims.engine.medical import medical_line
from jiabao.claims.engine.money import ZERO, total
from jiabao.claims.engine.outcome import choose, complexity
from jiabao.claims.engine.results import Decision, PayableLine, Reason, WaiverGrant
from jiabao.claims.engine.rules import RuleSet
from jiabao.claims.engine.texts import reason

MEDICAL_TYPES = frozenset({ClaimType.OUTPATIENT, ClaimType.INPATIENT, ClaimType.ACCIDENT})


def _ci_with_spouse(ctx: Ctx, grading: Grading) -> Result:
    lines, reasons = ci_lines(ctx, grading)
    if any(ln.benefit is BenefitKind.CI_SEVERE for ln in lines):
        more_lines, more_reasons = spouse_joint(ctx)
        lines, reasons = lines + more_lines, reasons + more_reasons
    return lines, reasons


def _benefits(ctx: Ctx, grading: Grading | None, items: list[BillItem], prior_paid: Decimal) -> Result:
    kind = ctx.claim.claim_type
    if kind in MEDICAL_TYPES:
        found, reasons = medical_line(ctx, items, prior_paid)
        return ([found] if found else []), reasons
    if kind is ClaimType.CI_DIAGNOSIS:
        return _ci_with_spouse(ctx, grading) if grading is not None else ([], [])
    if kind is ClaimType.DEATH:
        return death_lines(ctx)
    return disability_lines(ctx)


def _policy_lines(rules: RuleSet, case: ClaimCase, grading: Grading | None, items: list[BillItem]) -> Result:
    lines: list[PayableLine] = []
    reasons: list[Reason] = []
    ctxs = contexts(rules, case)
    if not ctxs:
        reasons.append(reason(ReasonCode.NO_BENEFIT_PAYABLE, Severity.REJECT, "in_force"))
    prior_paid = ZERO
    for ctx in ctxs:
        found = eligibility(ctx) + check_early_claim(ctx)
        reasons += found
        if any(r.severity is Severity.REJECT for r in found):
            continue
        new_lines, new_reasons = _benefits(ctx, grading, items, prior_paid)
        lines += new_lines
        reasons += new_reasons
        prior_paid += total(ln.amount for ln in new_lines if ln.benefit is BenefitKind.MEDICAL)
    return lines, reasons


def _waivers(
    rules: RuleSet, case: ClaimCase, outcome: Outcome, lines: list[PayableLine]
) -> tuple[list[WaiverGrant], list[Reason]]:
    severe = any(ln.benefit is BenefitKind.CI_SEVERE and ln.amount > 0 for ln in lines)
    if not severe or outcome is Outcome.DECLINE:
        return [], []
    return premium_waivers(rules, case)


def decide(rules: RuleSet, case: ClaimCase) -> Decision:
    """Adjudicate one claim against every household policy that covers it, under rule set ``rules``."""
    started = perf_counter()
    claim = case.claim
    items, reasons = split_duplicates(case)
    missing = missing_documents(rules, claim)
    reasons += check_documents(missing) + check_risk(case)
    grading = grade(rules, claim) if claim.claim_type is ClaimType.CI_DIAGNOSIS else None
    if grading is not None:
        reasons += grading.reasons
        if grading.grade is CiGrade.NONE and not any(r.severity is Severity.REJECT for r in grading.reasons):
            reasons.append(reason(ReasonCode.NO_BENEFIT_PAYABLE, Severity.REJECT, "ci_definition"))
    lines, policy_reasons = _policy_lines(rules, case, grading, items)
    reasons += policy_reasons
    outcome, lines, extra = choose(case, lines, reasons, missing)
    reasons += extra
    waivers, waiver_reasons = _waivers(rules, case, outcome, lines)
    reasons += waiver_reasons
    zh, en = explain(outcome, lines, reasons)
    notice = None if outcome is Outcome.REFER else rejection_notice(case, lines, reasons)
    kind, complex_reasons = complexity(case, outcome, reasons)
    return Decision(
        claim_id=claim.claim_id,
        outcome=outcome,
        complexity=kind,
        complexity_reasons=tuple(complex_reasons),
        lines=tuple(lines),
        total=total(ln.amount for ln in lines),
        advance_total=total(ln.amount for ln in lines if ln.advance),
        waivers=tuple(waivers),
        reasons=tuple(reasons),
        missing_documents=tuple(d.code for d in missing),
        rule_version=rules.version,
        rule_digest=rules.digest,
        product_versions=tuple(dict.fromkeys(f"{p.product.code}@{p.product.version}" for p in case.policies)),
        explanation_zh=zh,
        explanation_en=en,
        rejection_notice=notice,
        elapsed_ms=(perf_counter() - started) * 1000,
    )
