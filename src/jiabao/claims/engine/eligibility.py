"""Eligibility checks (责任认定): each takes one policy context and returns its reasons; all are kept.

Order: in force at the event → waiting period → underwriting exclusions → suicide and self-injury → standard
exclusions → disclosure at application. A ``reject`` from any of them means no benefit under that policy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from jiabao.claims.engine.codes import Cause, ReasonCode, Severity, StatusKind
from jiabao.claims.engine.context import Ctx, clock_start, event_day, is_accident, last_reinstatement
from jiabao.claims.engine.facts import Claim, Diagnosis, InsuredCover, PolicyFacts
from jiabao.claims.engine.icd import matches_any
from jiabao.claims.engine.results import Reason
from jiabao.claims.engine.texts import Bi, reason
from jiabao.policies.rules.periods import within_years

C, S = ReasonCode, Severity
Check = Callable[[Ctx], list[Reason]]


def not_in_force(policy: PolicyFacts, cover: InsuredCover, day: date, rule: str = "in_force") -> Reason | None:
    """Why the cover was not in force on ``day``, or None. Suspension runs from its date until a reinstatement,
    which restores cover from its own date (SPC Interp. III art. 8); a termination ends cover from its date."""
    pid = policy.policy_id
    if day < policy.issue_date:
        return reason(C.POLICY_NOT_STARTED, S.REJECT, rule, policy_id=pid, day=day, start=policy.issue_date)
    if day > policy.end_date:
        return reason(C.POLICY_ENDED, S.REJECT, rule, policy_id=pid, day=day, end=policy.end_date)
    past = sorted((e for e in policy.status_history if e.on <= day), key=lambda e: e.on)
    last = past[-1] if past else None
    if last is not None and last.kind is StatusKind.SUSPENDED:
        return reason(C.POLICY_SUSPENDED, S.REJECT, rule, policy_id=pid, day=day, since=last.on)
    if last is not None and last.kind is StatusKind.TERMINATED:
        return reason(C.POLICY_TERMINATED, S.REJECT, rule, policy_id=pid, day=day, since=last.on)
    if day < cover.start_date or (cover.end_date is not None and day > cover.end_date):
        return reason(C.INSURED_NOT_COVERED, S.REJECT, rule, policy_id=pid, day=day)
    return None


def check_in_force(ctx: Ctx) -> list[Reason]:
    """The policy and the claimant's cover were in force on the event date (Insurance Law arts. 14, 36–37)."""
    problem = not_in_force(ctx.policy, ctx.cover, event_day(ctx.claim))
    return [problem] if problem else [reason(C.IN_FORCE, S.INFO, "in_force", policy_id=ctx.pid)]


def in_waiting_period(policy: PolicyFacts, cover_start: date, day: date) -> date | None:
    """The clock start if ``day`` falls in the waiting period, else None.

    The period counts from cover start or the last reinstatement, whichever is later; the start day is day 0
    (Civil Code art. 201), so a 90-day period from 1 March covers events up to and including 30 May. A renewal
    without a gap has no new waiting period.
    """
    days = policy.product.waiting_period_days
    start = clock_start(policy, cover_start, day)
    if days <= 0 or (policy.continuous_renewal and last_reinstatement(policy, day) is None):
        return None
    return start if day <= start + timedelta(days=days) else None


def check_waiting_period(ctx: Ctx) -> list[Reason]:
    """Illness claims in the waiting period are not covered; accidents are exempt (Health Measures art. 27)."""
    if is_accident(ctx.claim):
        if ctx.policy.product.waiting_period_days > 0:
            return [reason(C.WAITING_EXEMPT_ACCIDENT, S.INFO, "waiting_period", policy_id=ctx.pid)]
        return []
    day = event_day(ctx.claim)
    start = in_waiting_period(ctx.policy, ctx.cover.start_date, day)
    if start is None:
        return []
    days = ctx.policy.product.waiting_period_days
    found = [reason(C.WAITING_PERIOD, S.REJECT, "waiting_period", policy_id=ctx.pid, day=day, days=days, start=start)]
    if "ci" in ctx.lines and ctx.policy.product.ci_waiting_refund:
        found.append(reason(C.WAITING_REFUND, S.INFO, "waiting_period", policy_id=ctx.pid))
    return found


def causal_diagnoses(claim: Claim) -> tuple[Diagnosis, ...]:
    """The diagnoses that caused the claim: those marked ``primary``, else the first one listed (主要诊断).

    An exclusion takes effect only when the excluded condition caused the loss (proximate cause, 近因原则; the
    exclusion clause reads "因……导致"; SPC Interp. III art. 25 for mixed causes): a secondary diagnosis
    (合并症) does not void a claim it did not cause.
    """
    marked = tuple(dx for dx in claim.diagnoses if dx.primary)
    return marked or claim.diagnoses[:1]


def check_underwriting_exclusions(ctx: Ctx) -> list[Reason]:
    """A claim caused by a condition excluded at underwriting (除外承保) is not covered by this policy; an excluded
    condition that is only a secondary diagnosis is recorded (info) and does not affect the claim."""
    found = []
    causal = causal_diagnoses(ctx.claim)
    for exclusion in ctx.cover.exclusions:
        for dx in ctx.claim.diagnoses:
            if matches_any(dx.icd10, exclusion.icd10):
                text = Bi(exclusion.text_zh or exclusion.code, exclusion.text_en or exclusion.code)
                code, severity = (
                    (C.UNDERWRITING_EXCLUSION, S.REJECT) if dx in causal else (C.EXCLUSION_NOT_CAUSAL, S.INFO)
                )
                found.append(reason(code, severity, "exclusions", policy_id=ctx.pid, icd=dx.icd10, text=text))
    return found


def check_suicide(ctx: Ctx) -> list[Reason]:
    """Suicide within 2 years of formation or reinstatement is excluded unless the insured lacked civil capacity
    (Insurance Law art. 44; the insurer bears the burden of proof, SPC Interp. III art. 21). Self-injury is always
    excluded (CI definitions 2020 §3.2 (3))."""
    claim = ctx.claim
    if claim.cause is Cause.SELF_INJURY:
        return [reason(C.SELF_INJURY, S.REJECT, "suicide", policy_id=ctx.pid)]
    if claim.cause is not Cause.SUICIDE:
        return []
    start = clock_start(ctx.policy, ctx.cover.start_date, claim.event_date)
    start = max(start, ctx.policy.issue_date)
    if not within_years(start, claim.event_date, ctx.rules.rules.suicide_years):
        return []  # more than 2 years: the anniversary day itself is still within (Civil Code arts. 201–202)
    if claim.lacked_civil_capacity:
        return [reason(C.SUICIDE_NO_CAPACITY, S.INFO, "suicide", policy_id=ctx.pid)]
    return [reason(C.SUICIDE_WITHIN_2_YEARS, S.REJECT, "suicide", policy_id=ctx.pid, start=start)]


def check_standard_exclusions(ctx: Ctx) -> list[Reason]:
    """The standard exclusions (CI definitions 2020 §3.2 and the accident and medical equivalents), as data. An
    excluded condition (HIV, congenital) applies only when it caused the claim (:func:`causal_diagnoses`)."""
    found = []
    icds = [dx.icd10 for dx in causal_diagnoses(ctx.claim)]
    for ex in ctx.rules.rules.standard_exclusions:
        if not ctx.lines & set(ex.lines):
            continue
        hit = ex.circumstance in ctx.claim.circumstances or any(matches_any(c, ex.icd10) for c in icds)
        if hit:
            text = Bi(ex.zh, ex.en)
            found.append(
                reason(C.STANDARD_EXCLUSION, S.REJECT, "exclusions", policy_id=ctx.pid, text=text, source=ex.source)
            )
    return found


def check_disclosure(ctx: Ctx) -> list[Reason]:
    """A condition first diagnosed before cover started and not disclosed goes to an adjuster, but only within
    2 years of formation or reinstatement (the anniversary day included, :func:`within_years`): after that the
    contract cannot be voided for non-disclosure (Insurance Law art. 16) and the insurer cannot deny a claim
    without voiding it (SPC Interp. II art. 8)."""
    found = []
    start = ctx.cover.start_date
    clock = clock_start(ctx.policy, start, ctx.case.as_of)  # formation, or the last reinstatement
    contestable = within_years(clock, ctx.case.as_of, ctx.rules.rules.incontestable_years)
    for dx in ctx.claim.diagnoses:
        if dx.first_diagnosed_on is None or dx.first_diagnosed_on >= start:
            continue
        if matches_any(dx.icd10, ctx.cover.disclosed):
            found.append(reason(C.DISCLOSED_ACCEPTED, S.INFO, "disclosure", policy_id=ctx.pid, icd=dx.icd10))
        elif contestable:
            first = dx.first_diagnosed_on
            found.append(
                reason(C.UNDISCLOSED_PRE_EXISTING, S.REFER, "disclosure", policy_id=ctx.pid, icd=dx.icd10, first=first)
            )
        else:
            found.append(reason(C.INCONTESTABLE, S.INFO, "disclosure", policy_id=ctx.pid))
    return found


ELIGIBILITY_CHECKS: tuple[Check, ...] = (
    check_in_force,
    check_waiting_period,
    check_underwriting_exclusions,
    check_suicide,
    check_standard_exclusions,
    check_disclosure,
)


def eligibility(ctx: Ctx) -> list[Reason]:
    """Run every eligibility check; all reasons are kept."""
    return [r for check in ELIGIBILITY_CHECKS for r in check(ctx)]
