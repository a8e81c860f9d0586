"""Family account use cases (家庭账户): households, members, life events, search and audited identity reads.

Services receive a :class:`ServiceContext`, enforce access, validate everything before writing anything, and only
``flush``; the adapter's unit of work commits once.
"""

from __future__ import annotations

import dataclasses
import secrets
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from jiabao.core.pii import PiiCipher, mask_id_number, mask_phone
from jiabao.db.context import ServiceContext
from jiabao.family import access, repository
from jiabao.family.enums import LifeEventKind, Relationship, Sex, region_of
from jiabao.family.income import open_income, seal_income
from jiabao.family.lifestage import MemberFacts, age_on, life_stage
from jiabao.family.models import Household, LifeEvent, Member, Person
from jiabao.family.person_input import ValidPerson, validate_contact, validate_person
from jiabao.family.rules import Candidate, ExistingMember, check_head, check_new_member
from jiabao.family.schemas import (
    HouseholdIn,
    HouseholdOut,
    LifeEventIn,
    LifeEventOut,
    MemberIn,
    MemberLeave,
    MemberOut,
    MemberUpdate,
    PersonIn,
)

ID_COLUMN = "persons.id_number"
PHONE_COLUMN = "persons.phone"


def account_number(sequence: int) -> str:
    """``JB`` + 9 digits + a Luhn check digit, so a mistyped account number is caught at once."""
    body = f"{sequence:09d}"
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return f"JB{body}{(10 - total % 10) % 10}"


PROVISIONAL_COLUMN = "persons.id_number.provisional"
"""Blind-index domain of a provisional head (see :func:`create_household`): never equal to a real index."""


def _store_person(ctx: ServiceContext, valid: ValidPerson, *, provisional: bool = False) -> Person:
    _forget(ctx)
    cipher, now = ctx.cipher, ctx.now()
    bidx = cipher.blind_index(ID_COLUMN, valid.id_number)
    if provisional:  # unsearchable until the back office links it to the person already registered
        bidx = cipher.blind_index(PROVISIONAL_COLUMN, f"{valid.id_number}:{secrets.token_hex(16)}")
    elif repository.person_by_id_index(ctx.session, bidx) is not None:
        raise Conflict(
            "A person with this ID number is already registered",
            "该证件号码已登记",
            code="person_exists",
            fields=(
                FieldProblem("id_number", "person_exists", "该证件号码已登记", "This ID number is already registered"),
            ),
        )
    person = Person(
        name=valid.name,
        sex=valid.sex.value,
        birth_date=valid.birth_date,
        id_type=valid.id_type,
        id_number_enc=cipher.encrypt(ID_COLUMN, valid.id_number),
        id_number_bidx=bidx,
        id_number_masked=mask_id_number(valid.id_number),
        region_code=valid.region_code,
        occupation=valid.occupation,
        occupation_class=valid.occupation_class,
        annual_income_enc=seal_income(cipher, valid.annual_income),
        social_insurance=valid.social_insurance,
        created_at=now,
        updated_at=now,
    )
    _set_phone(ctx, person, valid.phone)
    ctx.session.add(person)
    return person


def _set_phone(ctx: ServiceContext, person: Person, phone: str | None) -> None:
    if phone is None:
        person.phone_enc = person.phone_bidx = person.phone_masked = None
        return
    person.phone_enc = ctx.cipher.encrypt(PHONE_COLUMN, phone)
    person.phone_bidx = ctx.cipher.blind_index(PHONE_COLUMN, phone)
    person.phone_masked = mask_phone(phone)


def check_new_head(session: Session, cipher: PiiCipher, data: PersonIn, *, today: date) -> None:
    """Everything :func:`create_household` checks about its head, without writing (sign-up checks the person
    before it spends the SMS code)."""
    valid = validate_person(data, today=today)
    problems = check_head(valid.birth_date, today=today)
    if problems:
        raise InvalidInput(fields=tuple(problems))
    if repository.person_by_id_index(session, cipher.blind_index(ID_COLUMN, valid.id_number)) is not None:
        raise Conflict(
            "A person with this ID number is already registered",
            "该证件号码已登记",
            code="person_exists",
            fields=(
                FieldProblem("id_number", "person_exists", "该证件号码已登记", "This ID number is already registered"),
            ),
        )


def create_household(ctx: ServiceContext, data: HouseholdIn, *, provisional_head: bool = False) -> HouseholdOut:
    """Open a family account with its head (户主).

    ``provisional_head`` (``membership.open_household``, docs/security.md "Opening a household"): the head's ID
    number is already registered and the caller may not learn it, so the head is a new, *provisional* record made
    only of what the caller submitted, with an unsearchable blind index; nothing of the registered person is
    attached until the back office has verified the identity and linked them (``membership.decide``)."""
    today = ctx.clock.today()
    valid = validate_person(data.head, today=today)
    problems = check_head(valid.birth_date, today=today)
    if problems:
        raise InvalidInput(fields=tuple(problems))
    head = _store_person(ctx, valid, provisional=provisional_head)
    ctx.session.flush()
    if ctx.principal.role == "customer" and ctx.principal.person_id is None:
        # Self sign-up (issue 11): the customer opening a family account is its head from now on.
        ctx = dataclasses.replace(ctx, principal=dataclasses.replace(ctx.principal, person_id=head.id))
    number = account_number(secrets.randbelow(10**9))
    while repository.account_no_taken(ctx.session, number):
        number = account_number(secrets.randbelow(10**9))
    partner_id = data.partner_id
    if ctx.principal.role == "partner":
        partner_id = ctx.principal.user_id
    household = Household(
        account_no=number,
        head_person_id=head.id,
        partner_id=partner_id,
        region=region_of(valid.region_code).value,
        created_at=ctx.now(),
    )
    ctx.session.add(household)
    ctx.session.flush()
    ctx.session.add(
        Member(
            household_id=household.id,
            person_id=head.id,
            relationship_to_head=Relationship.SELF,
            joined_on=today,
        )
    )
    ctx.session.flush()
    ctx.audit("household.create", "household", household.id, {"account_no": number})
    return get_overview(ctx, household.id)


def _load(ctx: ServiceContext, household_id: int, *, write: bool) -> Household:
    if write:
        _forget(ctx)
    household = repository.household_with_members(ctx.session, household_id)
    ids = {m.person_id for m in household.members if m.active} if household else set()
    if write:
        return access.ensure_can_write(ctx.principal, household, ids)
    return access.ensure_can_read(ctx.principal, household, ids)


_CACHE = "family.overviews"


def _forget(ctx: ServiceContext) -> None:
    """Drop overviews cached in this unit of work (every family write calls this)."""
    ctx.session.info.pop(_CACHE, None)


forget_overviews = _forget


def _cache_key(ctx: ServiceContext, household_id: int) -> tuple[int, int, str]:
    return (household_id, ctx.principal.user_id, ctx.principal.role.value)


def get_overview(ctx: ServiceContext, household_id: int) -> HouseholdOut:
    """全家保障一览: members with ages, relationships, masked identities, life stage and (later) cover.

    Cached for the rest of the unit of work (other domains ask for it several times per request); any family
    write in the same unit of work drops the cache.
    """
    cache: dict[tuple[int, int, str], HouseholdOut] = ctx.session.info.setdefault(_CACHE, {})
    key = _cache_key(ctx, household_id)
    if key not in cache:
        cache[key] = _build_overview(ctx, household_id)
    return cache[key]


_OVERVIEW = (
    select(
        Household.id.label("household_id"), Household.account_no, Household.region, Household.head_person_id,
        Household.partner_id, Member.id.label("member_id"), Member.relationship_to_head, Member.joined_on,
        Member.left_on, Person.id.label("person_id"), Person.name, Person.sex, Person.birth_date, Person.id_type,
        Person.id_number_masked, Person.phone_masked, Person.occupation, Person.occupation_class,
        Person.social_insurance, Person.retired, Person.annual_income_enc, Person.deceased_on,
    )
    .outerjoin(Member, Member.household_id == Household.id)
    .outerjoin(Person, Person.id == Member.person_id)
    .where(Household.id == bindparam("household_id"))
    .order_by(Member.id)
)  # fmt: skip
"""The overview's one round trip (household, members and persons joined), built once so its compiled form is
cached; no ORM entity is loaded for a read."""


def _build_overview(ctx: ServiceContext, household_id: int) -> HouseholdOut:
    found = ctx.session.execute(_OVERVIEW, {"household_id": household_id}).all()
    household = _HouseholdRow(found[0].partner_id) if found else None
    rows = [r for r in found if r.member_id is not None]
    access.ensure_can_read(ctx.principal, household, {r.person_id for r in rows if r.left_on is None})
    first = found[0]
    today = ctx.clock.today()
    facts = [
        MemberFacts(
            relationship=Relationship(r.relationship_to_head),
            birth_date=r.birth_date,
            active=r.left_on is None,
            deceased=r.deceased_on is not None,
            retired=r.retired,
        )
        for r in rows
    ]
    stage = life_stage(facts, on=today)
    members = [
        MemberOut(
            member_id=r.member_id,
            person_id=r.person_id,
            name=r.name,
            sex=Sex(r.sex),
            birth_date=r.birth_date,
            age=age_on(r.birth_date, today),
            relationship=Relationship(r.relationship_to_head),
            id_type=r.id_type,
            id_number_masked=r.id_number_masked,
            phone_masked=r.phone_masked,
            occupation=r.occupation,
            occupation_class=r.occupation_class,
            social_insurance=r.social_insurance,
            retired=r.retired,
            annual_income=open_income(ctx.cipher, r.annual_income_enc),
            joined_on=r.joined_on,
            left_on=r.left_on,
            active=r.left_on is None,
        )
        for r in rows
    ]
    return HouseholdOut(
        id=first.household_id,
        account_no=first.account_no,
        region=first.region,
        head_person_id=first.head_person_id,
        partner_id=first.partner_id,
        life_stage=stage.stage,
        life_stage_reason=stage.reason,
        members=[m for m in members if m.active],
        former_members=[m for m in members if not m.active],
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _HouseholdRow:
    """What the access rules read of a household (its serving partner), from the overview's row."""

    partner_id: int | None


def _member_out(ctx: ServiceContext, member: Member, today: date) -> MemberOut:
    """The member with the clear income, for in-process use (suitability, advice, risk); the API withholds the
    income from the roles that do not need it (``jiabao.api.redact``)."""
    p = member.person
    return MemberOut(
        member_id=member.id,
        person_id=p.id,
        name=p.name,
        sex=Sex(p.sex),
        birth_date=p.birth_date,
        age=age_on(p.birth_date, today),
        relationship=Relationship(member.relationship_to_head),
        id_type=p.id_type,
        id_number_masked=p.id_number_masked,
        phone_masked=p.phone_masked,
        occupation=p.occupation,
        occupation_class=p.occupation_class,
        social_insurance=p.social_insurance,
        retired=p.retired,
        annual_income=open_income(ctx.cipher, p.annual_income_enc),
        joined_on=member.joined_on,
        left_on=member.left_on,
        active=member.active,
    )


def check_new_member_of(ctx: ServiceContext, household_id: int, data: MemberIn) -> tuple[Household, ValidPerson]:
    """Everything a new member must satisfy that depends only on the submission and on this household (the
    caller's own): identity format, household consistency, not already an active member here. No look-up in
    the rest of the customer file (``family.membership``)."""
    household = _load(ctx, household_id, write=True)
    today = ctx.clock.today()
    valid = validate_person(data, today=today)
    active = [m for m in household.members if m.active]
    head = next(m for m in active if m.relationship_to_head == Relationship.SELF)
    problems = check_new_member(
        Candidate(data.relationship, valid.birth_date, valid.sex),
        head_birth_date=head.person.birth_date,
        existing=[
            ExistingMember(Relationship(m.relationship_to_head), m.person.birth_date)
            for m in active
            if m.relationship_to_head != Relationship.SELF
        ],
        today=today,
    )
    if problems:
        raise InvalidInput(fields=tuple(problems))
    bidx = ctx.cipher.blind_index(ID_COLUMN, valid.id_number)
    if any(m.person.id_number_bidx == bidx for m in active):
        raise Conflict(
            "This person is already a member of the household",
            "此人已是本家庭成员",
            code="already_member",
            fields=(FieldProblem("id_number", "already_member", "此人已是本家庭成员", "Already a member"),),
        )
    return household, valid


def add_member(ctx: ServiceContext, household_id: int, data: MemberIn) -> MemberOut:
    """Add a family member after validating identity and household consistency; nothing is stored on error.
    Staff and the back office only: customers and partners file a request (``family.membership``)."""
    household, valid = check_new_member_of(ctx, household_id, data)
    today = ctx.clock.today()
    person = _store_person(ctx, valid)
    ctx.session.flush()
    member = Member(
        household_id=household.id,
        person_id=person.id,
        relationship_to_head=data.relationship,
        joined_on=today,
    )
    member.person = person
    ctx.session.add(member)
    ctx.session.add(
        LifeEvent(
            household_id=household.id,
            person_id=person.id,
            kind=LifeEventKind.MEMBER_JOINED,
            occurred_on=today,
            recorded_at=ctx.now(),
            recorded_by=ctx.principal.user_id or None,
        )
    )
    ctx.session.flush()
    ctx.audit("member.add", "household", household.id, {"member_id": member.id, "relationship": data.relationship})
    return _member_out(ctx, member, today)


def _load_member(ctx: ServiceContext, member_id: int) -> tuple[Household, Member]:
    _forget(ctx)
    member = repository.member(ctx.session, member_id)
    if member is None:
        raise NotFound("Member not found", "未找到该家庭成员", code="member_not_found")
    household = _load(ctx, member.household_id, write=True)
    return household, next(m for m in household.members if m.id == member_id)


def member_for_edit(ctx: ServiceContext, member_id: int) -> tuple[int, MemberOut]:
    """A member as the edit form shows it (masked identity), with its household id; write access required."""
    household, member = _load_member(ctx, member_id)
    return household.id, _member_out(ctx, member, ctx.clock.today())


def update_member(ctx: ServiceContext, member_id: int, data: MemberUpdate) -> MemberOut:
    _, member = _load_member(ctx, member_id)
    person = member.person
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes or "phone" in changes:
        name, phone = validate_contact(changes.get("name", person.name), changes.get("phone"))
        if "name" in changes:
            person.name = name
        if "phone" in changes:
            _set_phone(ctx, person, phone)
    for field in ("occupation", "occupation_class", "social_insurance", "retired"):
        if field in changes and changes[field] is not None:
            setattr(person, field, changes[field])
    if changes.get("annual_income") is not None:
        person.annual_income_enc = seal_income(ctx.cipher, changes["annual_income"])
    person.updated_at = ctx.now()
    ctx.session.flush()
    ctx.audit("member.update", "person", person.id, {"fields": sorted(changes)})
    return _member_out(ctx, member, ctx.clock.today())


def id_number_index(ctx: ServiceContext, id_number: str) -> str:
    """The blind index of an ID number (to compare numbers without reading any in clear)."""
    return ctx.cipher.blind_index(ID_COLUMN, id_number)


def id_number_owner(ctx: ServiceContext, bidx: str) -> int | None:
    """The person holding the number with this blind index, or None. For back-office checks only: never shown to
    a customer (no client-existence oracle)."""
    person = repository.person_by_id_index(ctx.session, bidx)
    return person.id if person is not None else None


def correct_id_number(
    ctx: ServiceContext,
    member_id: int,
    *,
    id_number: str,
    birth_date: date,
    sex: Sex,
    region_code: str | None,
) -> tuple[MemberOut, MemberOut]:
    """证件号码更正 (after a reviewed request): the encrypted number, its blind index and mask are replaced, and the
    birth date, sex and region follow the number. Returns the member before and after. Refused (``Conflict``)
    when the number is registered to someone else: two people are never merged automatically."""
    _, member = _load_member(ctx, member_id)
    person = member.person
    today = ctx.clock.today()
    before = _member_out(ctx, member, today)
    bidx = ctx.cipher.blind_index(ID_COLUMN, id_number)
    owner = repository.person_by_id_index(ctx.session, bidx)
    if owner is not None and owner.id != person.id:
        raise Conflict(
            "The number is registered to another person; people are never merged automatically",
            "该证件号码已登记在另一客户名下，系统不会自动合并客户，请人工核实",
            code="id_number_registered",
        )
    person.id_number_enc = ctx.cipher.encrypt(ID_COLUMN, id_number)
    person.id_number_bidx = bidx
    person.id_number_masked = mask_id_number(id_number)
    person.birth_date, person.sex = birth_date, sex.value
    if region_code is not None:
        person.region_code = region_code
    person.updated_at = ctx.now()
    ctx.session.flush()
    ctx.audit(
        "member.id_number_corrected",
        "person",
        person.id,
        {"birth_date_changed": before.birth_date != birth_date, "sex_changed": before.sex != sex},
    )
    return before, _member_out(ctx, member, today)


def leave(ctx: ServiceContext, member_id: int, data: MemberLeave) -> MemberOut:
    """A member leaves the household (child leaves home, divorce, death…); history is kept, never deleted."""
    household, member = _load_member(ctx, member_id)
    today = ctx.clock.today()
    if member.relationship_to_head == Relationship.SELF:
        raise Conflict("The head cannot leave the household", "户主不能退出家庭账户", code="head_cannot_leave")
    if not member.active:
        raise Conflict("This member has already left", "该成员已退出家庭", code="member_already_left")
    if data.left_on > today or data.left_on < member.joined_on:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "left_on",
                    "date_out_of_range",
                    "退出日期须在加入日期与今天之间",
                    "The date must be between joining and today",
                ),
            )
        )
    # Conditional update: of two concurrent leaves only one finds the member still active (issue 10, item 3).
    claimed = ctx.session.execute(
        update(Member)
        .where(Member.id == member.id, Member.left_on.is_(None))
        .values(left_on=data.left_on, left_reason=data.reason.value)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 1) != 1:
        raise Conflict("This member has already left", "该成员已退出家庭", code="member_already_left")
    member.left_on = data.left_on
    member.left_reason = data.reason.value
    if data.reason is LifeEventKind.DEATH:
        member.person.deceased_on = data.left_on
    ctx.session.add(
        LifeEvent(
            household_id=household.id,
            person_id=member.person_id,
            kind=data.reason,
            occurred_on=data.left_on,
            recorded_at=ctx.now(),
            recorded_by=ctx.principal.user_id or None,
        )
    )
    ctx.session.flush()
    ctx.audit("member.leave", "household", household.id, {"member_id": member.id, "reason": data.reason})
    return _member_out(ctx, member, today)


def record_event(ctx: ServiceContext, household_id: int, data: LifeEventIn) -> LifeEventOut:
    household = _load(ctx, household_id, write=True)
    today = ctx.clock.today()
    if data.occurred_on > today:
        raise InvalidInput(
            fields=(
                FieldProblem("occurred_on", "date_in_future", "日期不能晚于今天", "The date cannot be in the future"),
            )
        )
    members = {m.person_id: m for m in household.members}
    if data.person_id is not None and data.person_id not in members:
        raise InvalidInput(
            fields=(FieldProblem("person_id", "not_a_member", "此人不是该家庭成员", "This person is not a member"),)
        )
    if data.kind is LifeEventKind.RETIREMENT and data.person_id is not None:
        members[data.person_id].person.retired = True
    event = LifeEvent(
        household_id=household.id,
        person_id=data.person_id,
        kind=data.kind,
        occurred_on=data.occurred_on,
        note=data.note,
        recorded_at=ctx.now(),
        recorded_by=ctx.principal.user_id or None,
    )
    ctx.session.add(event)
    ctx.session.flush()
    ctx.audit("life_event.add", "household", household.id, {"kind": data.kind})
    return _event_out(event)


def _event_out(e: LifeEvent) -> LifeEventOut:
    return LifeEventOut(
        id=e.id, kind=LifeEventKind(e.kind), occurred_on=e.occurred_on, person_id=e.person_id, note=e.note
    )


def timeline(ctx: ServiceContext, household_id: int) -> list[LifeEventOut]:
    if _cache_key(ctx, household_id) not in ctx.session.info.get(_CACHE, {}):
        _load(ctx, household_id, write=False)  # else read access was checked building that overview
    return [_event_out(e) for e in repository.life_events(ctx.session, household_id)]
