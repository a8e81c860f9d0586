from __future__ import annotations

from datetime import date

from jiabao.family.enums import Relationship, Sex
from jiabao.family.rules import Candidate, ExistingMember, check_head, check_new_member

TODAY = date(2026, 11, 26)
HEAD = date(1985, 1, 1)


def codes(candidate: Candidate, existing: list[ExistingMember] | None = None) -> list[str]:
    return [p.code for p in check_new_member(candidate, head_birth_date=HEAD, existing=existing or [], today=TODAY)]


def test_second_spouse_is_refused() -> None:
    existing = [ExistingMember(Relationship.SPOUSE, date(1986, 1, 1))]
    assert codes(Candidate(Relationship.SPOUSE, date(1987, 1, 1), Sex.FEMALE), existing) == ["spouse_exists"]


def test_spouse_below_legal_marriage_age_is_refused() -> None:
    assert codes(Candidate(Relationship.SPOUSE, date(2006, 1, 1), Sex.MALE)) == ["spouse_too_young"]
    assert codes(Candidate(Relationship.SPOUSE, date(2006, 1, 1), Sex.FEMALE)) == []


def test_child_must_be_younger_than_head_by_a_generation() -> None:
    assert codes(Candidate(Relationship.CHILD, date(1995, 1, 1), Sex.MALE)) == ["implausible_age_gap"]
    assert codes(Candidate(Relationship.CHILD, date(2010, 1, 1), Sex.MALE)) == []


def test_parent_must_be_older_than_head() -> None:
    assert codes(Candidate(Relationship.PARENT, date(1980, 1, 1), Sex.MALE)) == ["implausible_age_gap"]
    assert codes(Candidate(Relationship.PARENT, date(1958, 1, 1), Sex.FEMALE)) == []


def test_grandparent_and_grandchild_need_two_generations() -> None:
    assert codes(Candidate(Relationship.GRANDPARENT, date(1960, 1, 1), Sex.MALE)) == ["implausible_age_gap"]
    assert codes(Candidate(Relationship.GRANDCHILD, date(2005, 1, 1), Sex.MALE)) == ["implausible_age_gap"]
    assert codes(Candidate(Relationship.GRANDCHILD, date(2020, 1, 1), Sex.MALE)) == []


def test_a_second_head_is_refused() -> None:
    assert "head_exists" in codes(Candidate(Relationship.SELF, date(1990, 1, 1), Sex.MALE))


def test_full_household_is_refused() -> None:
    existing = [ExistingMember(Relationship.OTHER, date(1990, 1, 1))] * 20
    assert "household_full" in codes(Candidate(Relationship.OTHER, date(1990, 1, 1), Sex.MALE), existing)


def test_head_must_be_adult() -> None:
    assert [p.code for p in check_head(date(2010, 1, 1), today=TODAY)] == ["head_minor"]
    assert check_head(date(2008, 11, 26), today=TODAY) == []
