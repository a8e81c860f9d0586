"""Read-side use cases: household lists, staff search through the blind index, and audited identity reads."""

from __future__ import annotations

from jiabao.core import validation as v
from jiabao.core.auth import CLEAR_PII_ROLES, Role
from jiabao.core.errors import NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import access, repository
from jiabao.family.models import Household, Person
from jiabao.family.person_input import normalise_phone
from jiabao.family.schemas import HouseholdSummary, IdentityOut, MemberOut
from jiabao.family.service import ID_COLUMN, PHONE_COLUMN, get_overview


def _summaries(rows: list[tuple[Household, Person, int]]) -> list[HouseholdSummary]:
    return [
        HouseholdSummary(
            id=h.id,
            account_no=h.account_no,
            region=h.region,
            head_name=p.name,
            head_id_number_masked=p.id_number_masked,
            head_phone_masked=p.phone_masked,
            member_count=n,
        )
        for h, p, n in rows
    ]


def list_households(ctx: ServiceContext, *, limit: int = 50, offset: int = 0) -> list[HouseholdSummary]:
    """The caller's households: a customer's own, a partner's served ones, or (staff) a page of all."""
    principal, session = ctx.principal, ctx.session
    if principal.role is Role.CUSTOMER:
        ids = repository.active_household_ids_of_person(session, principal.person_id) if principal.person_id else []
        return _summaries(repository.summaries_by_ids(session, ids))
    if principal.role is Role.PARTNER:
        return _summaries(repository.summaries_for_partner(session, principal.user_id, limit=limit, offset=offset))
    access.ensure_can_search(principal)
    return _summaries(repository.summaries_page(session, limit=limit, offset=offset))


def households_served(
    ctx: ServiceContext, partner_user_id: int, *, limit: int, offset: int
) -> tuple[list[HouseholdSummary], int]:
    """A page of the households a partner's log-in serves, and how many there are (masked summaries).

    For the partner network's API (``jiabao.partners.views``), which has already checked that the caller may see
    that partner's households (itself or its downline)."""
    rows = repository.summaries_for_partner(ctx.session, partner_user_id, limit=limit, offset=offset)
    return _summaries(rows), repository.count_for_partner(ctx.session, partner_user_id)


def ensure_can_search(ctx: ServiceContext) -> None:
    access.ensure_can_search(ctx.principal)


def search_households(ctx: ServiceContext, query: str) -> list[HouseholdSummary]:
    """Staff search (客户查询) by account number, full ID number, mobile number or name prefix.

    ID numbers and phones are found through the blind index: the database never sees the clear value.
    """
    access.ensure_can_search(ctx.principal)
    q = query.strip()
    session = ctx.session
    if not q:
        return []
    ids: list[int] = []
    if q.upper().startswith("JB"):
        ids = [h.id for h, _, _ in repository.summaries_by_account(session, q.upper())]
    if not ids:
        id_bidx = _id_index(ctx, q)
        phone = normalise_phone(q)
        phone_bidx = ctx.cipher.blind_index(PHONE_COLUMN, phone) if phone else None
        ids = repository.household_ids_by_person_index(session, id_bidx=id_bidx, phone_bidx=phone_bidx)
    if not ids and not any(ch.isdigit() for ch in q):
        ids = repository.household_ids_by_name(session, q)
    ctx.audit("household.search", "household", "*", {"kind": _query_kind(q), "results": len(ids)})
    return _summaries(repository.summaries_by_ids(session, ids))


def _id_index(ctx: ServiceContext, q: str) -> str | None:
    normalised = v.normalise_id_input(q)
    if len(normalised) < 8:
        return None
    if len(normalised) == 15 and normalised.isdigit():
        normalised = v.upgrade_legacy(normalised)
    return ctx.cipher.blind_index(ID_COLUMN, normalised)


def _query_kind(q: str) -> str:
    """What kind of query was made, for the audit log (never the query itself: it may be an ID number)."""
    if q.upper().startswith("JB"):
        return "account_no"
    return "number" if any(ch.isdigit() for ch in q) else "name"


def reveal_identity(ctx: ServiceContext, person_id: int) -> IdentityOut:
    """The clear ID number and phone, for roles whose work needs them; every read is written to the audit log."""
    principal, session = ctx.principal, ctx.session
    if principal.role not in CLEAR_PII_ROLES:
        raise PermissionDenied("Your role may not read clear identity data", "您的角色不能查看完整证件信息")
    person: Person | None = repository.person(session, person_id)
    if person is None:
        raise NotFound("Person not found", "未找到此人", code="person_not_found")
    household_ids = repository.active_household_ids_of_person(session, person_id)
    if principal.role is Role.CUSTOMER:
        visible = any(principal.person_id in repository.active_member_person_ids(session, hid) for hid in household_ids)
        if not visible:
            raise NotFound("Person not found", "未找到此人", code="person_not_found")
    identity = IdentityOut(
        person_id=person.id,
        name=person.name,
        id_type=person.id_type,
        id_number=ctx.cipher.decrypt(ID_COLUMN, person.id_number_enc),
        phone=ctx.cipher.decrypt(PHONE_COLUMN, person.phone_enc) if person.phone_enc else None,
    )
    ctx.audit("pii.read", "person", person.id, {"fields": ["id_number", "phone"]})
    return identity


def person_view(ctx: ServiceContext, person_id: int) -> MemberOut:
    """A person as a member of a household the caller may see (masked identity)."""
    household_ids = repository.active_household_ids_of_person(ctx.session, person_id)
    for household_id in household_ids:
        overview = get_overview(ctx, household_id)
        for member in overview.members:
            if member.person_id == person_id:
                return member
    raise NotFound("Person not found", "未找到此人", code="person_not_found")
