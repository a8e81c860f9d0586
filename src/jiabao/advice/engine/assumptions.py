"""The versioned assumptions of the needs analysis (``advice/assumptions/<version>.yaml``; docs/planning.md).

Pure: reads only the packaged YAML files. Every result records the version it was computed with.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from jiabao.advice.engine.model import GapKind, Tier


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Roles(_Strict):
    child_below_age: int = Field(ge=1, le=30)
    elder_from_age: int = Field(ge=40, le=90)
    retirement_age: dict[Literal["M", "F"], int]


class DeathAssumptions(_Strict):
    income_replacement_ratio: Decimal = Field(ge=0, le=1)
    child_independent_age: int = Field(ge=16, le=30)
    dependant_years: int = Field(ge=0, le=40)
    no_dependant_years: int = Field(ge=0, le=40)
    discount_rate: Decimal = Field(ge=0, le=Decimal("0.1"))
    final_expenses: Decimal = Field(ge=0)
    debts_shared_by_income: bool = True


class CiAssumptions(_Strict):
    income_years: Decimal = Field(ge=0, le=10)
    treatment_cost: Decimal = Field(ge=0)
    treatment_cost_child: Decimal = Field(ge=0)
    treatment_cost_elder: Decimal = Field(ge=0)


class MedicalAssumptions(_Strict):
    catastrophic_bill: Decimal = Field(ge=0)
    social_insurance_share: Decimal = Field(ge=0, le=1)


class AccidentAssumptions(_Strict):
    income_multiple: Decimal = Field(ge=0, le=20)
    min_adult: Decimal = Field(ge=0)
    elder: Decimal = Field(ge=0)
    child: Decimal = Field(ge=0)


class PensionAssumptions(_Strict):
    target_replacement: Decimal = Field(ge=0, le=1)
    social_pension_replacement: Decimal = Field(ge=0, le=1)


class ScoreAssumptions(_Strict):
    kind_weights: dict[GapKind, Decimal]
    member_weights: dict[Tier, Decimal]
    reasons: int = Field(ge=1, le=10)


class MinorCap(_Strict):
    below_age: int = Field(ge=1, le=18)
    cap: Decimal = Field(gt=0)


class ProductChoice(_Strict):
    code: str
    coverage: list[int] = Field(default_factory=list)
    payment_terms: list[int] = Field(min_length=1)
    payout_ages: list[int] = Field(default_factory=list)
    health_rating: str | None = None


class RecommendAssumptions(_Strict):
    budget_share_of_income: Decimal = Field(gt=0, le=1)
    min_fraction_of_gap: Decimal = Field(ge=0, le=1)
    minor_death_caps: list[MinorCap]
    kind_order: list[GapKind]
    tiers: list[Tier]
    products: dict[GapKind, list[ProductChoice]]


class Assumptions(_Strict):
    version: str
    effective_from: date
    roles: Roles
    death: DeathAssumptions
    ci: CiAssumptions
    medical: MedicalAssumptions
    accident: AccidentAssumptions
    pension: PensionAssumptions
    score: ScoreAssumptions
    cover_mapping: dict[str, dict[GapKind, Decimal]]
    recommend: RecommendAssumptions

    def minor_death_cap(self, age: int) -> Decimal | None:
        """保监发〔2015〕90号: ¥200,000 under 10, ¥500,000 for 10–17 (figures from the file), else None."""
        for cap in sorted(self.recommend.minor_death_caps, key=lambda c: c.below_age):
            if age < cap.below_age:
                return cap.cap
        return None


DEFAULT_VERSION = "2026.1"


def available_versions() -> list[str]:
    folder = resources.files("jiabao.advice").joinpath("assumptions")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


@cache
def load_assumptions(version: str = DEFAULT_VERSION) -> Assumptions:
    """Load and validate one version (cached); an unknown version raises ``KeyError``."""
    if version not in available_versions():
        raise KeyError(f"no advice assumptions version {version!r}")
    text = resources.files("jiabao.advice").joinpath("assumptions", f"{version}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    found = Assumptions.model_validate(data)
    if found.version != version:
        raise ValueError(f"assumptions file {version}.yaml declares version {found.version}")
    return found
