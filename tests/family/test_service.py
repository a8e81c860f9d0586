"""Family account use cases against a real database (SQLite or PostgreSQL, per --db)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.family import queries, service
from jiabao.family.enums import LifeEventKind, LifeStage
from jiabao.family.models import Member, Person
from jiabao.family.schemas import LifeEventIn, MemberIn, MemberLeave, MemberUpdate
from jiabao.runtime import Runtime
from tests.factories import add_member, ctx_for, make_family, make_user, resident_id


def count(runtime: Runtime, model: type) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_household_is_opened_with_its_head_and_a_check_digited_account(runtime: Runtime) -> None:
    family = make_family(runtime)
    with unit_of_work(runtime.sessions) as session:
        overview = service.get_overview(ctx_for(runtime, session, family.customer), family.household_id)
    assert overview.account_no.startswith("JB") and len(overview.account_no) == 12
    assert [m.relationship.value for m in overview.members] == ["self"]
    assert overview.members[0].id_number_masked == "110105********" + resident_id(date(1985, 3, 14), "M")[-4:]
    assert overview.members[0].phone_masked == "138****5678"
    assert overview.life_stage is LifeStage.FORMATION


def test_adding_a_child_moves_the_household_to_growth(runtime: Runtime) -> None:
    family = make_family(runtime)
    add_member(runtime, family.household_id, name="李娜", relationship="spouse",
               id_number=resident_id(date(1987, 6, 1), "F", 2))  # fmt: skip
    add_member(runtime, family.household_id, name="张小宝", relationship="child",
               id_number=resident_id(date(2016, 9, 9), "M", 3))  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        overview = service.get_overview(ctx_for(runtime, session), family.household_id)
        events = service.timeline(ctx_for(runtime, session), family.household_id)
    assert overview.life_stage is LifeStage.GROWTH
    assert [m.age for m in overview.members] == [41, 39, 10]
    assert [e.kind for e in events] == [LifeEventKind.MEMBER_JOINED] * 2


def test_invalid_member_changes_nothing_and_reports_every_field(runtime: Runtime) -> None:
    family = make_family(runtime)
    before = (count(runtime, Person), count(runtime, Member), count(runtime, AuditEntry))
    bad_id = resident_id(date(2016, 9, 9), "M", 3)[:-1] + "0"
    with pytest.raises(InvalidInput) as exc:
        add_member(runtime, family.household_id, name="张3", relationship="child", id_number=bad_id,
                   phone="12345678901")  # fmt: skip
    fields = {(p.field, p.code) for p in exc.value.fields}
    assert {("name", "name_invalid"), ("phone", "phone_invalid")} <= fields
    assert ("id_number", "id_checksum") in fields or ("id_number", "id_format") in fields
    assert all(p.message_zh and p.message_en for p in exc.value.fields)
    assert (count(runtime, Person), count(runtime, Member), count(runtime, AuditEntry)) == before


def test_entered_sex_and_birth_date_are_cross_checked(runtime: Runtime) -> None:
    family = make_family(runtime)
    number = resident_id(date(2016, 9, 9), "M", 3)
    with pytest.raises(InvalidInput) as exc:
        add_member(runtime, family.household_id, name="张小宝", relationship="child", id_number=number,
                   sex="F", birth_date=date(2016, 9, 10))  # fmt: skip
    assert {p.code for p in exc.value.fields} == {"id_sex_mismatch", "id_birth_date_mismatch"}


def test_second_spouse_and_duplicate_person_are_refused(runtime: Runtime) -> None:
    family = make_family(runtime)
    spouse_id = resident_id(date(1987, 6, 1), "F", 2)
    add_member(runtime, family.household_id, name="李娜", relationship="spouse", id_number=spouse_id)
    with pytest.raises(InvalidInput) as exc:
        add_member(runtime, family.household_id, name="王芳", relationship="spouse",
                   id_number=resident_id(date(1988, 6, 1), "F", 4))  # fmt: skip
    assert [p.code for p in exc.value.fields] == ["spouse_exists"]
    with pytest.raises(Conflict):
        add_member(runtime, family.household_id, name="李娜", relationship="sibling", id_number=spouse_id)


def test_member_leaves_and_history_is_kept(runtime: Runtime) -> None:
    family = make_family(runtime, birth=date(1970, 1, 1))
    member_id = add_member(runtime, family.household_id, name="张大宝", relationship="child",
                           id_number=resident_id(date(2000, 2, 2), "M", 5))  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, family.customer)
        service.leave(ctx, member_id, MemberLeave(left_on=date(2026, 11, 26), reason=LifeEventKind.CHILD_LEAVES_HOME))
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, family.customer)
        overview = service.get_overview(ctx, family.household_id)
        with pytest.raises(Conflict):
            service.leave(ctx, member_id, MemberLeave(left_on=date(2026, 11, 26)))
    assert [m.name for m in overview.former_members] == ["张大宝"]
    assert overview.life_stage is LifeStage.MATURITY


def test_retirement_event_makes_the_household_sunset(runtime: Runtime) -> None:
    family = make_family(runtime, birth=date(1968, 1, 1))
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, family.customer)
        service.record_event(ctx, family.household_id, LifeEventIn(
            kind=LifeEventKind.RETIREMENT, occurred_on=date(2026, 6, 30), person_id=family.head_person_id))  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        assert service.get_overview(ctx_for(runtime, session), family.household_id).life_stage is LifeStage.SUNSET


def test_update_member_validates_and_reencrypts_phone(runtime: Runtime) -> None:
    family = make_family(runtime)
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, family.customer)
        member_id = service.get_overview(ctx, family.household_id).members[0].member_id
        with pytest.raises(InvalidInput):
            service.update_member(ctx, member_id, MemberUpdate(phone="not a phone"))
        updated = service.update_member(ctx, member_id, MemberUpdate(phone="+86 139-0000-1111"))
    assert updated.phone_masked == "139****1111"


def test_customer_cannot_reach_another_household(runtime: Runtime) -> None:
    mine = make_family(runtime)
    other = make_family(runtime, name="刘洋", seq=9, username="liu", phone="13900001234")
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, mine.customer)
        with pytest.raises(NotFound):
            service.get_overview(ctx, other.household_id)
        with pytest.raises(NotFound):
            service.add_member(ctx, other.household_id, MemberIn(
                name="赵六", relationship="child", id_number=resident_id(date(2015, 1, 1), "M", 7)))  # fmt: skip
        with pytest.raises(NotFound):
            queries.reveal_identity(ctx, other.head_person_id)


def test_staff_search_uses_the_blind_index_and_is_audited(runtime: Runtime) -> None:
    family = make_family(runtime)
    make_family(runtime, name="刘洋", seq=9, username="liu", phone="13900001234")
    service_user = make_user(runtime, "svc", Role.SERVICE)
    number = resident_id(date(1985, 3, 14), "M", 1)
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, service_user)
        by_id = queries.search_households(ctx, number.lower())
        by_phone = queries.search_households(ctx, "+86 138 1234 5678")
        by_name = queries.search_households(ctx, "刘")
        by_partial_id = queries.search_households(ctx, number[:10])
    assert [h.id for h in by_id] == [family.household_id] == [h.id for h in by_phone]
    assert [h.head_name for h in by_name] == ["刘洋"]
    assert by_partial_id == []
    with unit_of_work(runtime.sessions) as session:
        actions = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "household.search")).all()
    assert len(actions) == 4 and all(number not in str(d) for d in actions)


def test_actuary_may_not_search_or_read_clear_identity(runtime: Runtime) -> None:
    family = make_family(runtime)
    actuary = make_user(runtime, "act", Role.ACTUARY)
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, actuary)
        with pytest.raises(PermissionDenied):
            queries.search_households(ctx, "张")
        with pytest.raises(PermissionDenied):
            queries.reveal_identity(ctx, family.head_person_id)
