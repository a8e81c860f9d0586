"""The decision engine (核保决策): facts in, decision with reasons out. Pure: no database, no clock reads.

Order of rules for each insured and product line:
1. every disclosure and factor contributes its outcome; they combine into one set of terms (``combine``);
2. the minors' death-cover cap across the household's policies (保监发〔2015〕90号);
3. the non-medical limits grid on cumulative cover, widened by the family terms (§1.5, 家庭核保政策);
4. the bank-channel age screen sends the whole case to a person (保监发〔2014〕3号).
``elapsed_ms`` is measured with ``time.perf_counter`` and is the only field that differs between two runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from time import perf_counter

from jiabao.underwriting.engine.codes import Channel, Conclusion, Evidence, OutcomeKind, ProductLine, ReasonCode
from jiabao.underwriting.engine.combine import LineTerms, combine, flat_extra_amount
from jiabao.underwriting.engine.explain import case_reason, insured_text, line_text, reason_from, with_reasons
from jiabao.underwriting.engine.facts import ApplicationFacts, InsuredFacts, age_at
from jiabao.underwriting.engine.kb import KnowledgeBase
from jiabao.underwriting.engine.limits import (
    bank_referral_age,
    cumulative_cover,
    death_amount,
    evidence_for,
    family_tier,
    minor_cap,
)
from jiabao.underwriting.engine.rating import Rule, contributions, fired_rules
from jiabao.underwriting.engine.results import ApplicationDecision, InsuredDecision, LineDecision, Reason
from jiabao.underwriting.engine.schema import FamilyTier

ACCEPTED = frozenset({Conclusion.STANDARD, Conclusion.RATED, Conclusion.EXCLUSION, Conclusion.RATED_WITH_EXCLUSION})


@dataclass(frozen=True, slots=True)
class CaseContext:
    """What the decision needs from the application around the insured."""

    as_of: date
    channel: Channel
    policyholder_age: int
    household_insured_members: int


@dataclass(slots=True)
class _Case:
    kb: KnowledgeBase
    insured: InsuredFacts
    age: int
    rules: list[Rule]
    tier: FamilyTier | None
    bank_age: int | None
    cap_left: Decimal | None
    lines: list[LineDecision] = field(default_factory=list)


def decide_insured(kb: KnowledgeBase, insured: InsuredFacts, context: CaseContext) -> InsuredDecision:
    """Decide every product line applied for by one insured person under knowledge base ``kb``."""
    started = perf_counter()
    age = age_at(insured.birth_date, context.as_of)
    case = _Case(
        kb=kb,
        insured=insured,
        age=age,
        rules=fired_rules(kb, insured, age, context.as_of),
        tier=family_tier(kb, context.household_insured_members),
        bank_age=bank_referral_age(
            kb, context.channel, context.policyholder_age, (c.premium_mode for c in insured.covers)
        ),
        cap_left=_cap_left(kb, insured, age),
    )
    for line in dict.fromkeys(c.line for c in insured.covers):
        case.lines.append(_decide_line(case, line))
    automated = all(item.conclusion is not Conclusion.REFERRED for item in case.lines)
    codes = dict.fromkeys(r.code for item in case.lines for r in item.reasons)
    zh, en = insured_text(kb, case.lines)
    return InsuredDecision(
        insured_id=insured.insured_id,
        age=age,
        lines=tuple(case.lines),
        automated=automated,
        referred=not automated,
        reason_codes=tuple(codes) or (ReasonCode.NOTHING_DISCLOSED,),
        kb_version=kb.version,
        kb_digest=kb.digest,
        elapsed_ms=(perf_counter() - started) * 1000,
        explanation_zh=zh,
        explanation_en=en,
        review_right_zh=kb.texts.review_right.zh,
        review_right_en=kb.texts.review_right.en,
    )


def decide_application(kb: KnowledgeBase, application: ApplicationFacts) -> ApplicationDecision:
    """Decide every insured member of a household application (家庭投保单)."""
    started = perf_counter()
    context = CaseContext(
        as_of=application.as_of,
        channel=application.channel,
        policyholder_age=age_at(application.policyholder_birth_date, application.as_of),
        household_insured_members=application.household_insured_members,
    )
    decisions = tuple(decide_insured(kb, insured, context) for insured in application.insureds)
    return ApplicationDecision(
        application_id=application.application_id,
        insureds=decisions,
        automated=all(d.automated for d in decisions),
        kb_version=kb.version,
        kb_digest=kb.digest,
        elapsed_ms=(perf_counter() - started) * 1000,
    )


def _cap_left(kb: KnowledgeBase, insured: InsuredFacts, age: int) -> Decimal | None:
    cap = minor_cap(kb, age)
    if cap is None:
        return None
    held = sum((death_amount(kb, c.line, c.sum_assured, c.death_sum_assured) for c in insured.in_force), Decimal(0))
    return cap - held


def _decide_line(case: _Case, line: ProductLine) -> LineDecision:
    kb = case.kb
    covers = [c for c in case.insured.covers if c.line is line]
    sum_assured = sum((c.sum_assured for c in covers), Decimal(0))
    items = contributions(case.rules, line)
    terms = combine(kb, line, items, case.tier)
    reasons = [reason_from(kb, line, c, any(c is d for d in terms.decisive)) for c in items]
    reasons.extend(_terms_reasons(kb, line, terms))
    conclusion = terms.conclusion
    death = sum((death_amount(kb, line, c.sum_assured, c.death_sum_assured) for c in covers), Decimal(0))
    max_sum_assured: Decimal | None = None
    if case.cap_left is not None and death > 0 and conclusion not in (Conclusion.DECLINED, Conclusion.POSTPONED):
        if death > case.cap_left:
            conclusion, max_sum_assured = Conclusion.DECLINED, max(case.cap_left, Decimal(0))
            reasons.append(_cap_reason(case, line, max_sum_assured))
        else:
            case.cap_left -= death
    evidence: tuple[Evidence, ...] = ()
    if conclusion in ACCEPTED and line in kb.limits.evidence_lines:
        evidence, extra = _evidence(case, line)
        reasons.extend(extra)
        if evidence:
            conclusion = Conclusion.PENDING_EVIDENCE
    if case.bank_age is not None:
        conclusion = Conclusion.REFERRED
        reasons.append(case_reason(kb, ReasonCode.BANK_CHANNEL_AGE, line, OutcomeKind.REFER, "bank", age=case.bank_age))
    zh, en = with_reasons(kb, line_text(kb, line, conclusion, terms, evidence), reasons)
    return LineDecision(
        line=line,
        conclusion=conclusion,
        total_debits=terms.total_debits,
        table=terms.table,
        table_letter=_letter(kb, terms.table),
        extra_premium_percent=terms.table * kb.rating.table_step_percent,
        flat_extras=terms.flat_extras,
        first_year_flat_extra=flat_extra_amount(terms.flat_extras, sum_assured),
        exclusions=terms.exclusions,
        postpone_months=terms.postpone_months,
        max_sum_assured=max_sum_assured,
        evidence=evidence,
        reasons=tuple(reasons),
        explanation_zh=zh,
        explanation_en=en,
    )


def _letter(kb: KnowledgeBase, table: int) -> str | None:
    """Table 1 = A, Table 2 = B, ...; none at standard or beyond the lettered tables."""
    letters = kb.rating.table_letters
    return letters[table - 1] if 0 < table <= len(letters) else None


def _terms_reasons(kb: KnowledgeBase, line: ProductLine, terms: LineTerms) -> list[Reason]:
    out: list[Reason] = []
    if terms.beyond_limit:
        percent = terms.table * kb.rating.table_step_percent
        outcome = OutcomeKind.DECLINE if terms.conclusion is Conclusion.DECLINED else OutcomeKind.REFER
        out.append(case_reason(kb, ReasonCode.TABLE_BEYOND_LIMIT, line, outcome, "rating", percent=percent))
    if terms.shaved:
        out.append(case_reason(kb, ReasonCode.TABLE_SHAVE, line, OutcomeKind.RATED, "family", tables=terms.shaved))
    return out


def _cap_reason(case: _Case, line: ProductLine, available: Decimal) -> Reason:
    cap = minor_cap(case.kb, case.age) or Decimal(0)
    return case_reason(
        case.kb,
        ReasonCode.MINOR_DEATH_CAP,
        line,
        OutcomeKind.DECLINE,
        "minor_cap",
        cap=f"{cap:,.0f}",
        available=f"{available:,.0f}",
    )


def _evidence(case: _Case, line: ProductLine) -> tuple[tuple[Evidence, ...], list[Reason]]:
    kb = case.kb
    total = cumulative_cover(line, case.insured.covers, case.insured.in_force)
    factor = case.tier.non_medical_limit_factor if case.tier else Decimal(1)
    evidence = evidence_for(kb, case.age, total, factor)
    reasons: list[Reason] = []
    if evidence:
        reasons.append(
            case_reason(kb, ReasonCode.EVIDENCE_REQUIRED, line, None, "limits", total=f"{total:,.0f}", age=case.age)
        )
    elif case.tier is not None and evidence_for(kb, case.age, total, Decimal(1)):
        reasons.append(case_reason(kb, ReasonCode.FAMILY_LIMITS, line, None, "family", detail=case.tier.label))
    return evidence, reasons
