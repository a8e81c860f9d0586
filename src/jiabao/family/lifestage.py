"""Household life stage (家庭生命周期) — a pure function of the members, used by advice and the overview.

Rules (PRODUCT.md C2 and the issue):
1. 夕阳期 SUNSET: the head is 60 or older, or retired. Checked first: a retired head with a teenager is still
   advised as a retired household (annuity, medical, LTC first).
2. Otherwise, if the head has children (members with relationship ``child``, including those who left home,
   excluding deceased ones): 成长期 GROWTH when the youngest living child is under 18, else 成熟期 MATURITY.
3. Otherwise 形成期 FORMATION: a couple without children (a single adult without children is treated the same,
   and ``reason`` says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jiabao.family.enums import LifeStage, Relationship

ADULT_AGE = 18
SUNSET_AGE = 60


@dataclass(frozen=True, slots=True)
class MemberFacts:
    relationship: Relationship
    birth_date: date
    active: bool = True
    deceased: bool = False
    retired: bool = False


@dataclass(frozen=True, slots=True)
class StageResult:
    stage: LifeStage
    reason: str
    """Stable reason code: head_60_plus, head_retired, youngest_child_minor, children_adult, couple_no_children,
    single_no_children."""


def age_on(birth_date: date, on: date) -> int:
    """Completed years (周岁) on a date; a 29 February birthday counts as 1 March in common years."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def life_stage(members: list[MemberFacts], *, on: date) -> StageResult:
    """Derive the household's life stage on a date from its members (see the module docstring for the rule)."""
    heads = [m for m in members if m.relationship is Relationship.SELF]
    if len(heads) != 1:
        raise ValueError("a household has exactly one head (relationship 'self')")
    head = heads[0]
    if age_on(head.birth_date, on) >= SUNSET_AGE:
        return StageResult(LifeStage.SUNSET, "head_60_plus")
    if head.retired:
        return StageResult(LifeStage.SUNSET, "head_retired")
    children = [m for m in members if m.relationship is Relationship.CHILD and not m.deceased]
    if children:
        youngest = max(children, key=lambda m: m.birth_date)
        if age_on(youngest.birth_date, on) < ADULT_AGE:
            return StageResult(LifeStage.GROWTH, "youngest_child_minor")
        return StageResult(LifeStage.MATURITY, "children_adult")
    has_spouse = any(m.relationship is Relationship.SPOUSE and m.active and not m.deceased for m in members)
    return StageResult(LifeStage.FORMATION, "couple_no_children" if has_spouse else "single_no_children")
