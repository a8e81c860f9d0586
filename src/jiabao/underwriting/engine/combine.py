"""Combining all outcomes on one product line into its terms (table rating, flat extras, exclusions)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from jiabao.underwriting.engine.codes import Conclusion, OutcomeKind, ProductLine
from jiabao.underwriting.engine.kb import KnowledgeBase
from jiabao.underwriting.engine.rating import Contribution
from jiabao.underwriting.engine.results import ExclusionTerm, FlatExtra
from jiabao.underwriting.engine.schema import FamilyTier, RatingFile

_PRECEDENCE = (
    (OutcomeKind.DECLINE, Conclusion.DECLINED),
    (OutcomeKind.POSTPONE, Conclusion.POSTPONED),
    (OutcomeKind.REFER, Conclusion.REFERRED),
)


@dataclass(frozen=True, slots=True)
class LineTerms:
    """The combined result on one line before limits, caps and channel rules are applied."""

    conclusion: Conclusion
    total_debits: int = 0
    table: int = 0
    shaved: int = 0
    flat_extras: tuple[FlatExtra, ...] = ()
    exclusions: tuple[ExclusionTerm, ...] = ()
    postpone_months: int | None = None
    beyond_limit: bool = False
    decisive: tuple[Contribution, ...] = ()


def table_for(debits: int, rating: RatingFile) -> int:
    """Table rating for the total debits: debits ÷ step (25 → Table 1 = +25%), rounded per configuration.

    ``nearest`` rounds half up (37 debits → Table 1, 38 → Table 2); ``up`` takes the ceiling. Source: the
    table system of regulation.md §1.2 (each table +25% of standard mortality); the step is configuration.
    """
    step = rating.table_step_percent
    if debits <= 0:
        return 0
    if rating.rounding == "up":
        return -(-debits // step)
    return (2 * debits + step) // (2 * step)


def combine(kb: KnowledgeBase, line: ProductLine, items: list[Contribution], tier: FamilyTier | None) -> LineTerms:
    """Combine every contribution on ``line``: decline > postpone (longest) > refer > accept with terms.

    Accepted terms add up: debits are summed across all disclosures and factors and converted to one table
    rating; flat extras of the same duration are summed; exclusions are all kept. A table above the line's
    maximum, or flat extras above its maximum, give the line's configured ``beyond`` outcome (§1.2).
    """
    for kind, conclusion in _PRECEDENCE:
        decisive = tuple(c for c in items if c.outcome.kind is kind)
        if decisive:
            months = max((c.outcome.postpone_months or 0) for c in decisive) or None
            return LineTerms(conclusion, postpone_months=months, decisive=decisive)
    return _accept(kb, line, items, tier)


def _accept(kb: KnowledgeBase, line: ProductLine, items: list[Contribution], tier: FamilyTier | None) -> LineTerms:
    limits = kb.rating.lines[line]
    debits = sum(c.outcome.debits for c in items)
    table = table_for(debits, kb.rating)
    shaved = 0
    if tier is not None and 0 < table <= tier.shave_up_to_table:
        shaved = min(tier.table_shave, table)
        table -= shaved
    flats = _flat_extras(items)
    exclusions = _exclusions(kb, items)
    decisive = tuple(c for c in items if c.outcome.kind is not OutcomeKind.STANDARD)
    total_flat = sum((f.per_mille for f in flats), Decimal(0))
    if table > limits.max_table or total_flat > limits.max_flat_per_mille:
        beyond = Conclusion.DECLINED if limits.beyond is OutcomeKind.DECLINE else Conclusion.REFERRED
        return LineTerms(beyond, debits, table, shaved, flats, exclusions, beyond_limit=True, decisive=decisive)
    rated = table > 0 or bool(flats)
    if rated and exclusions:
        conclusion = Conclusion.RATED_WITH_EXCLUSION
    elif rated:
        conclusion = Conclusion.RATED
    elif exclusions:
        conclusion = Conclusion.EXCLUSION
    else:
        conclusion = Conclusion.STANDARD
    return LineTerms(conclusion, debits, table, shaved, flats, exclusions, decisive=decisive)


def _flat_extras(items: list[Contribution]) -> tuple[FlatExtra, ...]:
    by_years: dict[int | None, Decimal] = defaultdict(Decimal)
    for c in items:
        if c.outcome.flat_per_mille:
            by_years[c.outcome.flat_years] += c.outcome.flat_per_mille
    ordered = sorted(by_years.items(), key=lambda kv: (kv[0] is not None, kv[0] or 0))
    return tuple(FlatExtra(per_mille=amount, years=years) for years, amount in ordered)


def _exclusions(kb: KnowledgeBase, items: list[Contribution]) -> tuple[ExclusionTerm, ...]:
    seen: dict[tuple[str, str], ExclusionTerm] = {}
    for c in items:
        code = c.outcome.exclusion
        if code is None:
            continue
        wording = kb.exclusions[code]
        subject = c.rule.subject_name
        key = (code, subject.zh if "{condition}" in wording.zh else "")
        if key not in seen:
            seen[key] = ExclusionTerm(
                code=code,
                subject=c.rule.subject,
                wording_zh=wording.zh.replace("{condition}", subject.zh),
                wording_en=wording.en.replace("{condition}", subject.en),
            )
    return tuple(seen.values())


def flat_extra_amount(flats: tuple[FlatExtra, ...], sum_assured: Decimal) -> Decimal:
    """First-year flat extra premium in yuan: Σ per-mille rates × sum assured ÷ 1,000, to the fen."""
    total = sum((f.per_mille for f in flats), Decimal(0))
    return (total * sum_assured / 1000).quantize(Decimal("0.01"))
