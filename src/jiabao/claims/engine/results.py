"""What the engine returns: reasons, payable lines, premium waivers, the rejection notice and the decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from jiabao.claims.engine.codes import BenefitKind, Complexity, Outcome, ReasonCode, Severity, WaiverBasis


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(Frozen):
    """One finding of one check. ``rule`` is the check that produced it; ``source`` the law or term behind it."""

    code: ReasonCode
    severity: Severity
    rule: str
    source: str
    text_zh: str
    text_en: str
    policy_id: str | None = None
    benefit: BenefitKind | None = None


class PayableLine(Frozen):
    """One amount payable under one policy for one benefit (one line per policy that covers the claim)."""

    policy_id: str
    product_code: str
    product_version: int
    insured_id: str
    benefit: BenefitKind
    amount: Decimal
    advance: bool = False
    """Paid now as a CI advance payment (重疾先赔); the rest of the claim continues."""
    basis: Decimal = Decimal("0.00")
    """What the formula started from: the sum assured, or the out-of-pocket cost for medical lines."""
    deductible_applied: Decimal = Decimal("0.00")
    text_zh: str
    text_en: str


class WaiverGrant(Frozen):
    """A household policy whose premiums are waived (保费豁免) because of this claim."""

    policy_id: str
    product_code: str
    basis: WaiverBasis
    premiums_due_after: date
    """Premiums falling due after this date (the diagnosis date) are waived."""
    trigger_insured_id: str
    trigger_claim_id: str
    text_zh: str
    text_en: str
    source: str


class RejectionNotice(Frozen):
    """The written notice of a (partial) rejection (拒绝赔付通知书, Insurance Law art. 24)."""

    claim_id: str
    policy_ids: tuple[str, ...]
    reasons: tuple[Reason, ...]
    text_zh: str
    text_en: str


class Decision(Frozen):
    claim_id: str
    outcome: Outcome
    complexity: Complexity
    complexity_reasons: tuple[Reason, ...] = ()
    """Why the claim is complex (30-day limit); empty for an ordinary claim (5 working days)."""
    lines: tuple[PayableLine, ...]
    total: Decimal
    advance_total: Decimal
    waivers: tuple[WaiverGrant, ...]
    reasons: tuple[Reason, ...]
    missing_documents: tuple[str, ...]
    rule_version: str
    rule_digest: str
    product_versions: tuple[str, ...]
    """``code@version`` of every product adjudicated."""
    explanation_zh: str
    explanation_en: str
    rejection_notice: RejectionNotice | None
    elapsed_ms: float
    """Wall time of the decision (``time.perf_counter``); the only field that differs between two runs."""

    def codes(self) -> tuple[ReasonCode, ...]:
        return tuple(dict.fromkeys(r.code for r in self.reasons))

    def amount(self, benefit: BenefitKind, policy_id: str | None = None) -> Decimal:
        return sum(
            (x.amount for x in self.lines if x.benefit is benefit and policy_id in (None, x.policy_id)),
            Decimal("0.00"),
        )
