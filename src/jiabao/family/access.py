"""Who may see and change which household: customers their own, partners the households they serve, staff by role."""

from __future__ import annotations

from typing import Protocol, TypeVar

from jiabao.core.auth import HOUSEHOLD_READERS, HOUSEHOLD_SEARCHERS, HOUSEHOLD_WRITERS, Principal, Role
from jiabao.core.errors import NotFound, PermissionDenied


class HouseholdLike(Protocol):
    """What the access rules read of a household: its serving partner (the ORM row, or the overview's row)."""

    @property
    def partner_id(self) -> int | None: ...


H = TypeVar("H", bound=HouseholdLike)


def _own(principal: Principal, household: HouseholdLike, member_person_ids: set[int]) -> bool:
    if principal.role is Role.CUSTOMER:
        return principal.person_id is not None and principal.person_id in member_person_ids
    if principal.role is Role.PARTNER:
        return household.partner_id == principal.user_id
    return True


def ensure_can_read(principal: Principal, household: H | None, member_person_ids: set[int]) -> H:
    """Raise NotFound for a household the caller may not see (no hint that it exists), else return it."""
    if household is None or principal.role not in HOUSEHOLD_READERS:
        raise NotFound("Household not found", "未找到该家庭账户", code="household_not_found")
    if not _own(principal, household, member_person_ids):
        raise NotFound("Household not found", "未找到该家庭账户", code="household_not_found")
    return household


def ensure_can_write(principal: Principal, household: H | None, member_person_ids: set[int]) -> H:
    found = ensure_can_read(principal, household, member_person_ids)
    if principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Your role may not change households", "您的角色不能修改家庭信息")
    return found


def ensure_can_search(principal: Principal) -> None:
    if principal.role not in HOUSEHOLD_SEARCHERS:
        raise PermissionDenied("Your role may not search households", "您的角色不能查询家庭账户")
