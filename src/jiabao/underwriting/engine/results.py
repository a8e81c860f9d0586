"""What the decision engine returns: per line, per insured and per application."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from jiabao.underwriting.engine.codes import Conclusion, Evidence, OutcomeKind, ProductLine, ReasonCode


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(Frozen):
    """One rule that contributed to a line's conclusion (reason code with its subject and effect)."""

    code: ReasonCode
    subject: str  # impairment code, factor band or rule name
    path: str | None = None  # the answer path taken, for impairments
    line: ProductLine
    outcome: OutcomeKind | None  # None for case-level rules that set no outcome (evidence, family limits)
    debits: int = 0
    decisive: bool = True  # shown to the customer as a reason for the outcome
    text_zh: str
    text_en: str


class FlatExtra(Frozen):
    """A flat extra premium per 1,000 sum assured per year; ``years`` None = for the whole term."""

    per_mille: Decimal
    years: int | None = None


class ExclusionTerm(Frozen):
    code: str
    subject: str
    wording_zh: str
    wording_en: str


class LineDecision(Frozen):
    """The conclusion (承保结论) for one product line of one insured."""

    line: ProductLine
    conclusion: Conclusion
    total_debits: int = 0
    table: int = 0
    table_letter: str | None = None
    extra_premium_percent: int = 0
    flat_extras: tuple[FlatExtra, ...] = ()
    first_year_flat_extra: Decimal = Decimal("0.00")
    exclusions: tuple[ExclusionTerm, ...] = ()
    postpone_months: int | None = None
    max_sum_assured: Decimal | None = None
    evidence: tuple[Evidence, ...] = ()
    reasons: tuple[Reason, ...] = ()
    explanation_zh: str
    explanation_en: str


class InsuredDecision(Frozen):
    """The decision for one insured person; ``automated`` is False whenever a person must decide."""

    insured_id: str
    age: int
    lines: tuple[LineDecision, ...]
    automated: bool
    referred: bool
    reason_codes: tuple[ReasonCode, ...]
    kb_version: str
    kb_digest: str
    elapsed_ms: float
    explanation_zh: str
    explanation_en: str
    review_right_zh: str
    review_right_en: str

    def line(self, line: ProductLine) -> LineDecision:
        for item in self.lines:
            if item.line is line:
                return item
        raise KeyError(line)


class ApplicationDecision(Frozen):
    application_id: str
    insureds: tuple[InsuredDecision, ...]
    automated: bool
    kb_version: str
    kb_digest: str
    elapsed_ms: float
