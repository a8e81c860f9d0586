"""Household consistency rules (家庭成员一致性校验): pure checks returning every problem found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jiabao.core.errors import FieldProblem
from jiabao.family.enums import Relationship, Sex
from jiabao.family.lifestage import age_on

MAX_ACTIVE_MEMBERS = 20
MIN_GENERATION_GAP = 14
"""Years by which a parent must be older than a child (a lenient plausibility bound, not a legal rule)."""
LEGAL_MARRIAGE_AGE = {Sex.MALE: 22, Sex.FEMALE: 20}
"""Civil Code art. 1047."""
ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class Candidate:
    relationship: Relationship
    birth_date: date
    sex: Sex


@dataclass(frozen=True, slots=True)
class ExistingMember:
    relationship: Relationship
    birth_date: date


def _years_between(older: date, younger: date) -> int:
    return age_on(older, younger)


def _gap_problem(zh: str, en: str) -> FieldProblem:
    return FieldProblem("birth_date", "implausible_age_gap", zh, en)


def check_new_member(
    candidate: Candidate, *, head_birth_date: date, existing: list[ExistingMember], today: date
) -> list[FieldProblem]:
    """Check a member about to join: one head, at most one spouse, parents older than children, plausible ages."""
    problems: list[FieldProblem] = []
    rel = candidate.relationship
    if rel is Relationship.SELF:
        problems.append(
            FieldProblem("relationship", "head_exists", "该家庭已有户主", "The household already has a head")
        )
    if len(existing) >= MAX_ACTIVE_MEMBERS:
        problems.append(
            FieldProblem(
                "relationship",
                "household_full",
                f"家庭成员最多 {MAX_ACTIVE_MEMBERS} 人",
                f"A household has at most {MAX_ACTIVE_MEMBERS} members",
            )
        )
    age = age_on(candidate.birth_date, today)
    if rel is Relationship.SPOUSE:
        if any(m.relationship is Relationship.SPOUSE for m in existing):
            problems.append(
                FieldProblem("relationship", "spouse_exists", "该家庭已登记配偶", "The household already has a spouse")
            )
        minimum = LEGAL_MARRIAGE_AGE[candidate.sex]
        if age < minimum:
            problems.append(
                FieldProblem(
                    "birth_date",
                    "spouse_too_young",
                    f"配偶须年满 {minimum} 周岁",
                    f"A spouse must be at least {minimum} years old",
                )
            )
    problems.extend(_generation_problems(rel, candidate.birth_date, head_birth_date))
    return problems


def _generation_problems(rel: Relationship, birth: date, head_birth: date) -> list[FieldProblem]:
    gap = MIN_GENERATION_GAP
    if rel is Relationship.CHILD and _years_between(head_birth, birth) < gap:
        return [
            _gap_problem(f"子女应比户主至少小 {gap} 岁", f"A child must be at least {gap} years younger than the head")
        ]
    if rel is Relationship.PARENT and _years_between(birth, head_birth) < gap:
        return [
            _gap_problem(f"父母应比户主至少大 {gap} 岁", f"A parent must be at least {gap} years older than the head")
        ]
    if rel is Relationship.GRANDCHILD and _years_between(head_birth, birth) < 2 * gap:
        return [
            _gap_problem(
                f"孙辈应比户主至少小 {2 * gap} 岁",
                f"A grandchild must be at least {2 * gap} years younger than the head",
            )
        ]
    if rel is Relationship.GRANDPARENT and _years_between(birth, head_birth) < 2 * gap:
        return [
            _gap_problem(
                f"祖辈应比户主至少大 {2 * gap} 岁",
                f"A grandparent must be at least {2 * gap} years older than the head",
            )
        ]
    return []


def check_head(birth_date: date, *, today: date) -> list[FieldProblem]:
    """A household head (户主, the account holder) must be an adult with full civil capacity."""
    if age_on(birth_date, today) < ADULT_AGE:
        return [
            FieldProblem("birth_date", "head_minor", "户主须年满 18 周岁", "The household head must be 18 or older")
        ]
    return []
