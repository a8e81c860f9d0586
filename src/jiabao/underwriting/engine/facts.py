"""Facts the decision engine takes in: validated answers, requested cover and cover already in force.

These are plain, JSON-serialisable pydantic models: the caller stores them with the decision so that the
decision can be re-run later on the same knowledge-base version. Money is ``Decimal`` yuan.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from jiabao.underwriting.engine.codes import Channel, PremiumMode, ProductLine, Sex

AnswerValue = str | Decimal | date


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Disclosure(Frozen):
    """One disclosed condition (告知的疾病) and the answers to its reflexive questions."""

    impairment: str
    answers: dict[str, AnswerValue] = Field(default_factory=dict)


class CoverRequest(Frozen):
    """Cover applied for on one product line.

    ``death_sum_assured`` is the part that pays on death and counts toward the minors' cap; when omitted it
    equals ``sum_assured`` on the lines the knowledge base lists as death-cover lines, else zero.
    """

    line: ProductLine
    sum_assured: Decimal = Field(ge=0)
    death_sum_assured: Decimal | None = Field(default=None, ge=0)
    premium_mode: PremiumMode = PremiumMode.REGULAR
    product_code: str | None = None


class InForceCover(Frozen):
    """Cover the insured already holds (this household's policies and declared cover elsewhere)."""

    line: ProductLine
    sum_assured: Decimal = Field(ge=0)
    death_sum_assured: Decimal | None = Field(default=None, ge=0)


class InsuredFacts(Frozen):
    """Everything the engine knows about one insured person (被保险人)."""

    insured_id: str
    birth_date: date
    sex: Sex
    height_cm: Decimal | None = None
    weight_kg: Decimal | None = None
    systolic: Decimal | None = None
    diastolic: Decimal | None = None
    total_cholesterol: Decimal | None = None
    cigarettes_per_day: Decimal = Decimal(0)
    alcohol: str | None = None
    occupation_class: str | None = None
    pursuits: tuple[str, ...] = ()
    family_history: tuple[str, ...] = ()
    disclosures: tuple[Disclosure, ...] = ()
    covers: tuple[CoverRequest, ...] = Field(min_length=1)
    in_force: tuple[InForceCover, ...] = ()


class ApplicationFacts(Frozen):
    """A household application (家庭投保单): one policyholder, one channel, one or more insured members.

    ``household_insured_members`` counts the household members insured after this application (this
    application's insureds plus members already insured in force); family terms key on it.
    """

    application_id: str
    as_of: date
    channel: Channel
    policyholder_birth_date: date
    household_insured_members: int = Field(ge=1)
    insureds: tuple[InsuredFacts, ...] = Field(min_length=1)


def age_at(birth_date: date, as_of: date) -> int:
    """Age last birthday (周岁) on ``as_of``; the rule Chinese products and the 2015 minors' caps use."""
    years = as_of.year - birth_date.year
    if (as_of.month, as_of.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
