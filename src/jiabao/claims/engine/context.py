"""What every check sees: the rule set, the case, and one policy with the claimant's cover on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jiabao.claims.engine.codes import Cause, ClaimType, StatusKind
from jiabao.claims.engine.facts import Claim, ClaimCase, InsuredCover, PolicyFacts
from jiabao.claims.engine.rules import RuleSet

_CLAIM_LINES: dict[ClaimType, frozenset[str]] = {
    ClaimType.OUTPATIENT: frozenset({"medical"}),
    ClaimType.INPATIENT: frozenset({"medical"}),
    ClaimType.ACCIDENT: frozenset({"medical"}),
    ClaimType.CI_DIAGNOSIS: frozenset({"ci"}),
    ClaimType.DISABILITY: frozenset({"accident"}),
    ClaimType.DEATH: frozenset({"death", "accident"}),
}


@dataclass(frozen=True, slots=True)
class Ctx:
    rules: RuleSet
    case: ClaimCase
    policy: PolicyFacts
    cover: InsuredCover
    lines: frozenset[str]
    """The product lines of this policy that this claim calls on."""

    @property
    def claim(self) -> Claim:
        return self.case.claim

    @property
    def pid(self) -> str:
        return self.policy.policy_id


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def claim_lines(rules: RuleSet, policy: PolicyFacts, claim: Claim) -> frozenset[str]:
    """Lines of ``policy`` this claim calls on; accident lines only for products with accident terms."""
    wanted = set(_CLAIM_LINES[claim.claim_type]) & set(policy.product.lines)
    if "accident" in wanted and policy.product.code not in rules.rules.accident.products:
        wanted.discard("accident")
    return frozenset(wanted)


def event_day(claim: Claim) -> date:
    """The date the cover is judged at: the earliest of the event, the first symptom and the CI diagnosis."""
    days = [claim.event_date]
    if claim.first_symptom_date is not None:
        days.append(claim.first_symptom_date)
    if claim.ci is not None:
        days.append(claim.ci.diagnosed_on)
    return min(days)


def last_reinstatement(policy: PolicyFacts, day: date) -> date | None:
    dates = [e.on for e in policy.status_history if e.kind is StatusKind.REINSTATED and e.on <= day]
    return max(dates) if dates else None


def clock_start(policy: PolicyFacts, cover_start: date, day: date) -> date:
    """Start of the waiting-period and suicide clocks: cover start, or the last reinstatement before ``day``."""
    start = max(cover_start, policy.issue_date)
    reinstated = last_reinstatement(policy, day)
    return max(start, reinstated) if reinstated else start


def is_accident(claim: Claim) -> bool:
    return claim.cause is Cause.ACCIDENT or claim.claim_type is ClaimType.ACCIDENT


def contexts(rules: RuleSet, case: ClaimCase) -> list[Ctx]:
    """One context per household policy that covers the claimant for a line this claim calls on, in order."""
    found = []
    for policy in case.policies:
        cover = policy.cover_of(case.claim.insured_id)
        lines = claim_lines(rules, policy, case.claim)
        if cover is not None and lines:
            found.append(Ctx(rules, case, policy, cover, lines))
    return found
