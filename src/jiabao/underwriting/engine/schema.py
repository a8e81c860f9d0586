"""Pydantic schema of the underwriting knowledge base (核保知识库) files.

The YAML files under ``underwriting/kb/<version>/`` are validated against these models when a version is
loaded; an invalid file fails with the file name and the field. ``docs/underwriting.md`` documents the format.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jiabao.underwriting.engine.codes import AnswerType, Channel, Evidence, OutcomeKind, ProductLine, Sex

_CODE = r"^[a-z0-9_]+$"
_IMPAIRMENT_CODE = r"^[A-Z][A-Z0-9_]+$"
_ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")
_SHORTHAND = {"rate", "flat", "years", "exclude", "postpone"}


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Strict):
    """A user-facing text: Simplified Chinese first, then English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Category(StrEnum):
    CARDIOVASCULAR = "cardiovascular"
    NEUROLOGICAL = "neurological"
    ENDOCRINE = "endocrine"
    RESPIRATORY = "respiratory"
    DIGESTIVE = "digestive"
    RENAL = "renal"
    MENTAL = "mental"
    MUSCULOSKELETAL = "musculoskeletal"
    TUMOUR = "tumour"
    BLOOD = "blood"
    IMMUNE = "immune"
    EYE_EAR = "eye_ear"
    SKIN = "skin"
    INFECTIOUS = "infectious"
    REPRODUCTIVE = "reproductive"
    PREGNANCY = "pregnancy"
    CONGENITAL = "congenital"


class Outcome(Strict):
    """One rule's result for one product line.

    YAML shorthand: ``standard`` | ``decline`` | ``refer`` | ``{rate: 50}`` (debits) |
    ``{flat: 2.5, years: 5}`` (flat extra per 1,000 sum assured; no ``years`` = permanent) |
    ``{exclude: EX_THYROID}`` | ``{postpone: 6}`` (months); ``rate``/``flat`` may combine with ``exclude``.
    """

    kind: OutcomeKind
    debits: int = Field(default=0, ge=0, le=1000)
    flat_per_mille: Decimal = Field(default=Decimal(0), ge=0, le=100)
    flat_years: int | None = Field(default=None, ge=1, le=50)
    exclusion: str | None = None
    postpone_months: int | None = Field(default=None, ge=1, le=120)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"kind": value}
        if isinstance(value, dict) and "kind" not in value:
            unknown = set(value) - _SHORTHAND
            if unknown:
                raise ValueError(f"unknown outcome keys {sorted(unknown)}; use {sorted(_SHORTHAND)}")
            return _expand(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Outcome:
        if self.kind is OutcomeKind.RATED and not (self.debits or self.flat_per_mille):
            raise ValueError("a rated outcome needs rate (debits) or flat")
        if self.kind is OutcomeKind.EXCLUSION and not self.exclusion:
            raise ValueError("an exclusion outcome needs an exclusion code")
        if self.kind is OutcomeKind.POSTPONE and not self.postpone_months:
            raise ValueError("a postpone outcome needs months")
        if self.flat_years is not None and not self.flat_per_mille:
            raise ValueError("years without flat")
        return self


def _expand(value: dict[str, Any]) -> dict[str, Any]:
    if "postpone" in value:
        return {"kind": OutcomeKind.POSTPONE, "postpone_months": value["postpone"]}
    rated = "rate" in value or "flat" in value
    return {
        "kind": OutcomeKind.RATED if rated else OutcomeKind.EXCLUSION,
        "debits": value.get("rate", 0),
        "flat_per_mille": Decimal(str(value.get("flat", 0))),
        "flat_years": value.get("years"),
        "exclusion": value.get("exclude"),
    }


class LineOutcomes(Strict):
    """The outcome on every product line; all six must be stated (no silent defaults)."""

    death: Outcome
    ci: Outcome
    medical: Outcome
    accident: Outcome
    ltc: Outcome
    annuity: Outcome

    def for_line(self, line: ProductLine) -> Outcome:
        result: Outcome = getattr(self, line.value)
        return result


class Option(Strict):
    code: str = Field(pattern=_CODE)
    zh: str
    en: str


class Band(Strict):
    """A numeric band: values (or years elapsed, for dates) below ``below``; the last band has none."""

    code: str = Field(pattern=_CODE)
    zh: str
    en: str
    below: Decimal | None = None


class ReflexiveQuestion(Strict):
    """A follow-up asked only after a condition is disclosed (reflexive question, 追问)."""

    id: str = Field(pattern=_CODE)
    text: Text
    type: Literal[AnswerType.CHOICE, AnswerType.YES_NO, AnswerType.NUMBER, AnswerType.DATE]
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    unit: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    @model_validator(mode="after")
    def _shape(self) -> ReflexiveQuestion:
        if self.type is AnswerType.CHOICE and len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        if self.type in (AnswerType.NUMBER, AnswerType.DATE):
            if len(self.bands) < 2 or self.bands[-1].below is not None:
                raise ValueError("number/date questions need >= 2 bands, the last open-ended")
            bounds = [b.below for b in self.bands[:-1]]
            if any(b is None for b in bounds) or bounds != sorted(bounds):  # type: ignore[type-var]
                raise ValueError("band bounds must be given and increasing")
        return self

    def answer_codes(self) -> tuple[str, ...]:
        """The finite set of answer codes (options or bands) that paths can name."""
        if self.type is AnswerType.YES_NO:
            return ("yes", "no")
        if self.type is AnswerType.CHOICE:
            return tuple(o.code for o in self.options)
        return tuple(b.code for b in self.bands)


class Synonyms(Strict):
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()


class AnswerPath(LineOutcomes):
    """One answer path: when every named question's answer is in its list, these outcomes apply."""

    id: str = Field(pattern=_CODE)
    label: Text
    when: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class Impairment(Strict):
    code: str = Field(pattern=_IMPAIRMENT_CODE)
    icd10: tuple[str, ...] = Field(min_length=1)
    name: Text
    synonyms: Synonyms = Synonyms()
    sex: Sex | None = None
    supersedes: tuple[Literal["blood_pressure", "lipids", "build"], ...] = ()
    questions: tuple[str, ...] = ()
    paths: tuple[AnswerPath, ...] = Field(min_length=1)

    @field_validator("icd10")
    @classmethod
    def _icd(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        for code in codes:
            if not _ICD10.match(code):
                raise ValueError(f"{code!r} is not an ICD-10 code like K76.0")
        return codes

    @model_validator(mode="after")
    def _paths(self) -> Impairment:
        if self.paths[-1].when:
            raise ValueError("the last path must have no 'when' (it catches every remaining answer)")
        ids = [p.id for p in self.paths]
        if len(set(ids)) != len(ids):
            raise ValueError("path ids must be unique")
        return self


class ImpairmentFile(Strict):
    category: Category
    impairments: tuple[Impairment, ...]


class ReflexiveFile(Strict):
    questions: tuple[ReflexiveQuestion, ...]


class Exclusion(Strict):
    """Exclusion wording (除外条款); ``{condition}`` is replaced by the disclosed condition's name."""

    code: str = Field(pattern=r"^EX_[A-Z0-9_]+$")
    zh: str
    en: str


class ExclusionFile(Strict):
    exclusions: tuple[Exclusion, ...]


class BaseQuestion(Strict):
    """A base question (健康告知/基础问题), filtered by product line, channel, age and sex."""

    id: str = Field(pattern=_CODE)
    text: Text
    type: AnswerType
    fact: str = Field(pattern=_CODE)
    lines: tuple[ProductLine, ...] = Field(min_length=1)
    channels: tuple[Channel, ...] = tuple(Channel)
    min_age: int = Field(default=0, ge=0)
    max_age: int = Field(default=120, le=130)
    sex: Sex | None = None
    required: bool = True
    options: tuple[Option, ...] = ()
    covers: tuple[str, ...] = ()
    unit: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    integer: bool = False


class BaseQuestionFile(Strict):
    questions: tuple[BaseQuestion, ...]


class FactorBand(LineOutcomes):
    code: str = Field(pattern=_CODE)
    label: Text
    below: Decimal | None = None


class FactorOption(LineOutcomes):
    code: str = Field(pattern=_CODE)
    label: Text


class NumericFactor(Strict):
    fact: str
    min_age: int = 0
    bands: tuple[FactorBand, ...] = Field(min_length=1)


class BloodPressureBand(LineOutcomes):
    code: str = Field(pattern=_CODE)
    label: Text
    systolic_below: int | None = None
    diastolic_below: int | None = None


class BloodPressureFactor(Strict):
    min_age: int = 0
    bands: tuple[BloodPressureBand, ...] = Field(min_length=1)


class ChoiceFactor(Strict):
    fact: str
    options: tuple[FactorOption, ...] = Field(min_length=1)


class FactorsFile(Strict):
    """Build, blood pressure, lipids, smoking, alcohol, occupation, hazardous pursuits, family history."""

    build: NumericFactor
    blood_pressure: BloodPressureFactor
    lipids: NumericFactor
    smoking: NumericFactor
    alcohol: ChoiceFactor
    occupation: ChoiceFactor
    pursuits: ChoiceFactor
    family_history: ChoiceFactor


class LineRating(Strict):
    max_table: int = Field(ge=0, le=16)
    beyond: Literal[OutcomeKind.DECLINE, OutcomeKind.REFER]
    max_flat_per_mille: Decimal = Field(ge=0)


class RatingFile(Strict):
    """Debits → table arithmetic (§1.1–1.2), all configuration."""

    table_step_percent: int = Field(gt=0, le=100)
    rounding: Literal["nearest", "up"]
    table_letters: str = Field(min_length=16)
    lines: dict[ProductLine, LineRating]

    @field_validator("lines")
    @classmethod
    def _all_lines(cls, value: dict[ProductLine, LineRating]) -> dict[ProductLine, LineRating]:
        missing = set(ProductLine) - set(value)
        if missing:
            raise ValueError(f"missing lines {sorted(missing)}")
        return value


class EvidenceTier(Strict):
    up_to: Decimal | None = None
    evidence: tuple[Evidence, ...] = ()


class AgeLimits(Strict):
    min_age: int = Field(ge=0)
    max_age: int = Field(le=130)
    tiers: tuple[EvidenceTier, ...] = Field(min_length=1)


class MinorCap(Strict):
    below_age: int
    cap: Decimal


class LimitsFile(Strict):
    """Non-medical limits grid (免体检额度), minors' death caps, bank-channel age screens."""

    evidence_lines: tuple[ProductLine, ...]
    grid: tuple[AgeLimits, ...] = Field(min_length=1)
    minor_caps: tuple[MinorCap, ...]
    death_cover_lines: tuple[ProductLine, ...]
    bank_max_auto_age_single: int
    bank_max_auto_age_regular: int


class FamilyTier(Strict):
    min_insured_members: int = Field(ge=2)
    non_medical_limit_factor: Decimal = Field(ge=1)
    table_shave: int = Field(default=0, ge=0, le=2)
    shave_up_to_table: int = Field(default=0, ge=0)
    label: Text


class FamilyTermsFile(Strict):
    """Family underwriting terms (家庭核保政策); the tier with the largest qualifying size applies."""

    tiers: tuple[FamilyTier, ...] = ()


class TextsFile(Strict):
    lines: dict[ProductLine, Text]
    conclusions: dict[str, Text]
    reasons: dict[str, Text]
    evidence: dict[Evidence, Text]
    review_right: Text
    nothing_to_report: Text


class Manifest(Strict):
    version: str = Field(pattern=r"^[0-9]{4}\.[0-9]+$")
    effective_from: date
    description: Text
    previous: str | None = None
