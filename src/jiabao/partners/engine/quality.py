"""Quality of a partner's business (业务品质): 13- and 25-month persistency, early-claim share, complaint rate,
return-visit failures and mis-selling findings, and the thresholds that put a partner under review.

Persistency (继续率, 人身保险业务经营规范 usage): of the policies whose 13th (25th) month fell in the window, the
share still in force with that year's premium paid. Early-claim share: claims on policies in their first two
policy years over the partner's policies sold. Complaint rate: complaints naming the partner per 1,000 policies in
force. A figure breaching its threshold puts the partner under review (the reasons are listed)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class QualityCounts:
    due_13: int = 0
    kept_13: int = 0
    due_25: int = 0
    kept_25: int = 0
    policies_sold: int = 0
    early_claims: int = 0
    in_force: int = 0
    complaints: int = 0
    return_visits: int = 0
    return_visit_failures: int = 0
    mis_selling: int = 0


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_persistency_13: Decimal = Decimal("0.85")
    min_persistency_25: Decimal = Decimal("0.80")
    max_early_claim_share: Decimal = Decimal("0.10")
    max_complaints_per_1000: Decimal = Decimal("5")
    max_return_visit_failure: Decimal = Decimal("0.10")
    max_mis_selling: int = 0


@dataclass(frozen=True, slots=True)
class QualityFigures:
    persistency_13: Decimal | None
    persistency_25: Decimal | None
    early_claim_share: Decimal | None
    complaints_per_1000: Decimal | None
    return_visit_failure: Decimal | None
    mis_selling: int
    reasons: tuple[str, ...]

    @property
    def under_review(self) -> bool:
        return bool(self.reasons)


def _ratio(num: int, den: int, scale: int = 1) -> Decimal | None:
    if den == 0:
        return None
    return (Decimal(num * scale) / Decimal(den)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def figures(c: QualityCounts, t: Thresholds = Thresholds()) -> QualityFigures:
    p13, p25 = _ratio(c.kept_13, c.due_13), _ratio(c.kept_25, c.due_25)
    early = _ratio(c.early_claims, c.policies_sold)
    complaints = _ratio(c.complaints, c.in_force, 1000)
    visits = _ratio(c.return_visit_failures, c.return_visits)
    reasons: list[str] = []
    if p13 is not None and p13 < t.min_persistency_13:
        reasons.append("persistency_13")
    if p25 is not None and p25 < t.min_persistency_25:
        reasons.append("persistency_25")
    if early is not None and early > t.max_early_claim_share:
        reasons.append("early_claims")
    if complaints is not None and complaints > t.max_complaints_per_1000:
        reasons.append("complaints")
    if visits is not None and visits > t.max_return_visit_failure:
        reasons.append("return_visits")
    if c.mis_selling > t.max_mis_selling:
        reasons.append("mis_selling")
    return QualityFigures(p13, p25, early, complaints, visits, c.mis_selling, tuple(reasons))
