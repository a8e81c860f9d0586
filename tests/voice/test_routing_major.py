"""Routing with recusal (CBIRC Order 2020 No. 3 art. 17), queue priority (elderly first, T/IAC 54-2025) and the
major-complaint triggers (art. 29: ≥ 20 people together, regulator-designated, disaster/accident/public health)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from jiabao.core.auth import Role
from jiabao.voice.major import Cause, assess
from jiabao.voice.routing import Candidate, is_elderly, priority_key, route
from jiabao.voice.taxonomy import Category

TEAM = [
    Candidate(1, Role.CLAIMS, 3),
    Candidate(2, Role.CLAIMS, 0),
    Candidate(3, Role.SERVICE, 1),
    Candidate(4, Role.ADMIN, 0),
    Candidate(5, Role.UNDERWRITER, 0),
]


def test_each_category_goes_to_its_team_least_loaded_first() -> None:
    assert route(Category.CLAIMS, TEAM, []).handler_id == 2
    assert route(Category.SALES, TEAM, []).team == "sales_conduct"
    assert route(Category.SALES, TEAM, []).handler_id == 3
    assert route(Category.UNDERWRITING, TEAM, []).handler_id == 5


def test_the_person_complained_about_never_handles_it() -> None:
    routing = route(Category.CLAIMS, TEAM, [2, None])
    assert routing.handler_id == 1 and routing.recused == (2,) and not routing.escalated


def test_whole_team_recused_goes_to_the_supervisor() -> None:
    routing = route(Category.CLAIMS, TEAM, [1, 2])
    assert (routing.team, routing.handler_id, routing.escalated) == ("supervisor", 4, True)
    assert route(Category.CLAIMS, TEAM, [1, 2, 4]).handler_id is None  # nobody left: unassigned, still escalated


def test_elderly_complainants_and_major_complaints_come_first() -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    young_urgent = priority_key(major=False, elderly=False, due=date(2026, 11, 2), received_at=at)
    elderly_later = priority_key(major=False, elderly=True, due=date(2026, 11, 15), received_at=at)
    major = priority_key(major=True, elderly=False, due=date(2026, 11, 16), received_at=at)
    assert sorted([young_urgent, elderly_later, major]) == [major, elderly_later, young_urgent]
    assert is_elderly(date(1966, 11, 26), date(2026, 11, 26)) and not is_elderly(date(1966, 11, 27), date(2026, 11, 26))


def test_major_complaint_triggers() -> None:
    assert not assess(group_size=19, regulator_designated=False, cause=None).major
    assert assess(group_size=20, regulator_designated=False, cause=None).reasons == ("group",)
    assert assess(group_size=1, regulator_designated=True, cause=None).reasons == ("regulator_designated",)
    assert assess(group_size=1, regulator_designated=False, cause=Cause.PUBLIC_HEALTH).reasons == ("public_health",)
