"""Who may see a household's money facts and advice: the family itself, its partner (adviser), service and admin.

Incomes and debts are personal data: underwriters, claims handlers, risk, auditors and actuaries have no need
for them (a 403, before the household's own rules — customers and partners limited to their own — apply)."""

from __future__ import annotations

from jiabao.core.auth import Principal, Role
from jiabao.core.errors import PermissionDenied

ADVICE_ROLES = frozenset({Role.CUSTOMER, Role.PARTNER, Role.SERVICE, Role.ADMIN})


def ensure_may_advise(principal: Principal) -> None:
    if principal.role not in ADVICE_ROLES:
        raise PermissionDenied("Your role may not see a household's finances", "您的角色不能查看家庭财务信息")
