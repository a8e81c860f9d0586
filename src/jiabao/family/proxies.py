"""Family proxies (家人代办): an adult member may file claims and servicing requests for another member — typically
an adult child for an elderly parent (PRODUCT.md C8, C12: "a child may act for a parent with authorisation") —
once both have consented, within the recorded scope and until the recorded expiry. Every act is audited; an act
outside the scope or after the expiry (or after revocation) is refused (403) and logged (the refused request's
transaction, and so any audit row in it, is rolled back).

Where no proxy is registered for a pair, the existing per-request authorisation (e.g. a claim's
``insured_authorised`` declaration) still applies; a registration, once made, governs that pair.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from jiabao.core.auth import HOUSEHOLD_WRITERS, Role
from jiabao.core.errors import FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.proxy_models import FamilyProxy

log = logging.getLogger(__name__)
ACTS = ("claims", "servicing")
MAX_YEARS = 5
"""A consent lasts at most five years; it can be renewed (the parent consents again)."""


@dataclass(frozen=True)
class ProxyOut:
    id: int
    principal_person_id: int
    principal_name: str
    proxy_person_id: int
    proxy_name: str
    scope: list[str]
    starts_on: date
    expires_on: date
    active: bool
    revoked: bool


def _problem(field: str, code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(fields=(FieldProblem(field, code, zh, en),))


def _out(row: FamilyProxy, names: dict[int, str], today: date) -> ProxyOut:
    active = row.revoked_at is None and row.starts_on <= today <= row.expires_on
    return ProxyOut(
        row.id, row.principal_person_id, names.get(row.principal_person_id, ""), row.proxy_person_id,
        names.get(row.proxy_person_id, ""), list(row.scope), row.starts_on, row.expires_on, active,
        row.revoked_at is not None,
    )  # fmt: skip


def grant(
    ctx: ServiceContext,
    household_id: int,
    *,
    principal_person_id: int,
    proxy_person_id: int,
    scope: list[str],
    expires_on: date,
    principal_consent: bool,
    proxy_consent: bool,
) -> ProxyOut:
    """Record a consented proxy. Both must be active members, the proxy an adult, the scope known, the expiry
    after today and within five years, and both parties' consent given (else a field error, nothing stored)."""
    overview = family.get_overview(ctx, household_id)
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Your role may not record a proxy", "您的角色不能办理代办授权")
    members = {m.person_id: m for m in overview.members}
    today = ctx.clock.today()
    if principal_person_id not in members:
        raise _problem(
            "principal_person_id", "not_a_member", "被代理人须为本家庭成员", "Not a member of this household"
        )
    proxy = members.get(proxy_person_id)
    if proxy is None or proxy_person_id == principal_person_id or proxy.age < 18:
        raise _problem("proxy_person_id", "not_adult_member", "代理人须为本家庭的另一位成年成员",
                       "The proxy must be another adult member of the family")  # fmt: skip
    if not scope or any(s not in ACTS for s in scope):
        raise _problem("scope", "invalid", "请选择代办范围（理赔、保全）", "Choose what the proxy may do")
    if not today < expires_on <= today + timedelta(days=365 * MAX_YEARS + 1):
        raise _problem("expires_on", "invalid", "授权到期日须在今天之后、5年以内",
                       "The expiry must be after today and within five years")  # fmt: skip
    if not (principal_consent and proxy_consent):
        raise _problem("consent", "both_required", "须由被代理人和代理人双方同意",
                       "Both the member and the proxy must consent")  # fmt: skip
    now = ctx.now()
    row = FamilyProxy(
        household_id=household_id,
        principal_person_id=principal_person_id,
        proxy_person_id=proxy_person_id,
        scope=sorted(set(scope)),
        starts_on=today,
        expires_on=expires_on,
        consent={
            "principal_consented_at": now.isoformat(),
            "proxy_consented_at": now.isoformat(),
            "recorded_by": ctx.principal.user_id or None,
            "method": "online" if ctx.principal.role in (Role.CUSTOMER, Role.PARTNER) else "counter",
        },
        created_at=now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit(
        "family.proxy_granted",
        "household",
        household_id,
        {"proxy_id": row.id, "principal": principal_person_id, "proxy": proxy_person_id, "scope": row.scope,
         "expires_on": expires_on.isoformat()},
    )  # fmt: skip
    return _out(row, {m.person_id: m.name for m in overview.members}, today)


def revoke(ctx: ServiceContext, household_id: int, proxy_id: int) -> None:
    family.get_overview(ctx, household_id)
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Your role may not revoke a proxy", "您的角色不能撤销代办授权")
    row = ctx.session.get(FamilyProxy, proxy_id)
    if row is None or row.household_id != household_id:
        raise NotFound("Proxy not found", "未找到该代办授权", code="proxy_not_found")
    if row.revoked_at is None:
        row.revoked_at = ctx.now()
        ctx.audit("family.proxy_revoked", "household", household_id, {"proxy_id": row.id})


def list_for_household(ctx: ServiceContext, household_id: int) -> list[ProxyOut]:
    overview = family.get_overview(ctx, household_id)
    names = {m.person_id: m.name for m in overview.members + overview.former_members}
    stmt = select(FamilyProxy).where(FamilyProxy.household_id == household_id).order_by(FamilyProxy.id.desc())
    return [_out(r, names, ctx.clock.today()) for r in ctx.session.scalars(stmt)]


def check_act(ctx: ServiceContext, household_id: int, principal_person_id: int, act: str) -> bool:
    """Whether the calling customer acts for ``principal_person_id`` under a registered proxy: True (audited) when
    a valid proxy covers ``act``; False when none was ever registered for the pair (the caller's own per-request
    authorisation applies); :class:`PermissionDenied` (logged) when one exists but not for this act or date."""
    person = ctx.principal.person_id
    if ctx.principal.role is not Role.CUSTOMER or person is None or person == principal_person_id:
        return False
    stmt = select(FamilyProxy).where(
        FamilyProxy.household_id == household_id,
        FamilyProxy.principal_person_id == principal_person_id,
        FamilyProxy.proxy_person_id == person,
    )
    rows = list(ctx.session.scalars(stmt))
    if not rows:
        return False
    today = ctx.clock.today()
    valid = [
        r for r in rows if r.revoked_at is None and r.starts_on <= today <= r.expires_on and act in r.scope
    ]  # fmt: skip
    detail = {"principal": principal_person_id, "proxy": person, "act": act}
    if not valid:  # the request's transaction rolls back, so the refusal goes to the log (ids only, no PII)
        log.warning("family proxy refused: household %s %s", household_id, detail)
        raise PermissionDenied(
            "Your authorisation to act for this member does not cover this, or has expired",
            "您的代办授权不包括此项业务或已过期",
        )
    ctx.audit("family.proxy_act", "household", household_id, {**detail, "proxy_id": valid[0].id})
    return True
