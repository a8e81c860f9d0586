"""Routing (自动分派) and priority of complaints. Pure.

Each category goes to the team that owns the matter; within the team the handler with the fewest open
complaints takes it. **Recusal** (CBIRC Order 2020 No. 3 art. 17): nobody with a direct interest handles it — the
person complained about, the household's agent/partner, whoever decided the matter complained of (the claim's
adjuster, the underwriter). If the whole team is recused the complaint goes to the complaints supervisor (admin).
Queue order: major complaints first, then elderly complainants (T/IAC 54-2025: priority for the elderly), then
the nearest deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from jiabao.core.auth import Role
from jiabao.voice.taxonomy import Category

TEAMS: dict[Category, tuple[str, Role]] = {
    Category.SALES: ("sales_conduct", Role.SERVICE),
    Category.CLAIMS: ("claims", Role.CLAIMS),
    Category.SURRENDER: ("servicing", Role.SERVICE),
    Category.UNDERWRITING: ("underwriting", Role.UNDERWRITER),
    Category.SERVICING: ("servicing", Role.SERVICE),
    Category.RENEWAL: ("servicing", Role.SERVICE),
    Category.OTHER: ("customer_service", Role.SERVICE),
}
TEAM_ZH = {
    "sales_conduct": "销售合规投诉组",
    "claims": "理赔投诉组",
    "servicing": "保全服务投诉组",
    "underwriting": "核保投诉组",
    "customer_service": "客户服务投诉组",
    "supervisor": "投诉管理负责人",
}
SUPERVISOR = ("supervisor", Role.ADMIN)
ELDERLY_AGE = 60


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: int
    role: Role
    open_cases: int


@dataclass(frozen=True, slots=True)
class Routing:
    team: str
    handler_id: int | None
    recused: tuple[int, ...]
    escalated: bool
    """True when no one in the team could take it (all recused or none): the supervisor's queue."""


def route(category: Category, candidates: Iterable[Candidate], interested: Iterable[int | None]) -> Routing:
    team, role = TEAMS[category]
    conflicted = {i for i in interested if i}
    pool = [c for c in candidates if c.role is role]
    recused = tuple(sorted(c.user_id for c in pool if c.user_id in conflicted))
    eligible = sorted((c for c in pool if c.user_id not in conflicted), key=lambda c: (c.open_cases, c.user_id))
    if eligible:
        return Routing(team, eligible[0].user_id, recused, False)
    supervisors = sorted(
        (c for c in candidates if c.role is SUPERVISOR[1] and c.user_id not in conflicted),
        key=lambda c: (c.open_cases, c.user_id),
    )
    return Routing(SUPERVISOR[0], supervisors[0].user_id if supervisors else None, recused, True)


def is_elderly(birth_date: date | None, on: date) -> bool:
    if birth_date is None:
        return False
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return age >= ELDERLY_AGE


def priority_key(*, major: bool, elderly: bool, due: date | None, received_at: datetime) -> tuple[int, int, date, str]:
    """Sort key of the handling queue: major, then elderly, then the nearest deadline, then first received."""
    return (0 if major else 1, 0 if elderly else 1, due or date.max, received_at.isoformat())
