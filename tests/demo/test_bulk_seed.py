"""The bulk loader (``jiabao seed --bulk``, issue 16 item 1) on PostgreSQL: resumable chunks without duplicates,
personal data encrypted and blind-indexed as every other write (PIPL art. 51: encryption of personal information),
policies priced by the platform's own quoting engine and laid out as the issuance writes them, the schema's
indexes and constraints restored and the sequences past the loaded ids."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from jiabao.actuarial.tables import Sex as TableSex
from jiabao.core.auth import Role
from jiabao.core.validation import parse_id_number
from jiabao.core.validation.dates import age_on
from jiabao.db.session import unit_of_work
from jiabao.demo.bulk import bulk_seed
from jiabao.demo.bulk_book import _rated_by_health
from jiabao.family import queries
from jiabao.family.models import Person
from jiabao.family.service import ID_COLUMN, PHONE_COLUMN
from jiabao.policies.common.models import Instalment, Payment, Policy, PolicyInsured
from jiabao.policies.common.payments import ACCOUNT_COLUMN
from jiabao.policies.rules.schedule import Frequency as ScheduleFrequency
from jiabao.policies.rules.schedule import due_date, instalment_count
from jiabao.products.limits import MemberRequest, ProductSelection
from jiabao.products.quoting import quote_household
from jiabao.runtime import Runtime
from tests.factories import ctx_for, make_family, make_user


def _load(runtime: Runtime, households: int, **kw: object) -> object:
    s = runtime.settings
    return bulk_seed(
        runtime.engine, runtime.cipher, households=households, now=runtime.clock.now(), pii_keys=s.pii_keys,
        blind_index_key=s.blind_index_key, tables_dir=str(s.tables_dir) if s.tables_dir else None, seed=7,
        chunk_size=40, workers=0, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _schema(runtime: Runtime) -> set[tuple[str, str]]:
    with runtime.engine.connect() as conn:
        indexes = conn.execute(text("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"))
        constraints = conn.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace"
            )
        )
        return {(a, b) for a, b in indexes} | {(a, b) for a, b in constraints}


def test_bulk_seed_resumes_after_a_stop_without_duplicates(runtime: Runtime, db_kind: str) -> None:
    if db_kind != "postgresql":
        pytest.skip("the bulk loader is PostgreSQL's COPY path")
    before = _schema(runtime)
    first = _load(runtime, 120, stop_after=1)
    assert first.stopped and first.chunks_done == 1 and first.households == 40  # type: ignore[attr-defined]
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM households")).scalar_one() == 40
        assert conn.execute(text("SELECT COUNT(*) FROM seed_dropped_ddl")).scalar_one() > 0  # still dropped
    second = _load(runtime, 120)
    assert not second.stopped and second.chunks_skipped == 1 and second.chunks_done == 2  # type: ignore[attr-defined]
    third = _load(runtime, 120)  # a finished run re-run: nothing to do, nothing added
    assert third.chunks_done == 0 and third.chunks_skipped == 3  # type: ignore[attr-defined]
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*), COUNT(DISTINCT id), MIN(id), MAX(id) FROM households")).one() == (
            120, 120, 1, 120,
        )  # fmt: skip
        assert conn.execute(text("SELECT COUNT(*) - COUNT(DISTINCT id_number_bidx) FROM persons")).scalar_one() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM seed_dropped_ddl")).scalar_one() == 0
    assert _schema(runtime) == before  # every index and constraint back, as the migrations built them

    # sequences are past the loaded ids: the ordinary services insert afterwards
    family = make_family(runtime, name="赵敏", seq=7, username="zhaomin")
    assert family.household_id == 121
    with runtime.engine.connect() as conn:
        others = conn.execute(text("SELECT MAX(id) FROM persons WHERE id <> :i"), {"i": family.head_person_id})
        assert family.head_person_id > others.scalar_one()


def test_bulk_rows_are_encrypted_searchable_and_priced_by_the_engine(runtime: Runtime, db_kind: str) -> None:
    if db_kind != "postgresql":
        pytest.skip("the bulk loader is PostgreSQL's COPY path")
    _load(runtime, 80)
    staff = make_user(runtime, "service1", Role.SERVICE)
    catalog, tables = runtime.products.catalog, runtime.products.tables
    with unit_of_work(runtime.sessions) as session:
        persons = session.scalars(select(Person).order_by(Person.id)).all()
        assert len(persons) > 150
        for person in persons[:60]:
            number = runtime.cipher.decrypt(ID_COLUMN, person.id_number_enc)
            doc = parse_id_number("resident_id", number, today=runtime.clock.today())
            assert doc.birth_date == person.birth_date
            assert person.id_number_bidx == runtime.cipher.blind_index(ID_COLUMN, number)
            assert person.id_number_masked.endswith(number[-4:]) and number not in person.id_number_masked
        ctx = ctx_for(runtime, session, staff)
        sample = persons[5]
        number = runtime.cipher.decrypt(ID_COLUMN, sample.id_number_enc)
        member_of = dict(session.execute(text("SELECT person_id, household_id FROM members")).all())
        assert member_of[sample.id] in {h.id for h in queries.search_households(ctx, number)}
        with_phone = next(p for p in persons if p.phone_enc is not None)
        phone = runtime.cipher.decrypt(PHONE_COLUMN, with_phone.phone_enc)  # type: ignore[arg-type]
        assert member_of[with_phone.id] in {h.id for h in queries.search_households(ctx, phone)}

        policies = session.scalars(select(Policy).order_by(Policy.id)).all()
        assert {p.product_code for p in policies} == set(catalog.products)  # every catalog product in force
        insureds: dict[int, list[PolicyInsured]] = defaultdict(list)
        for row in session.scalars(select(PolicyInsured).order_by(PolicyInsured.id)):
            insureds[row.policy_id].append(row)
        schedule: dict[int, list[Instalment]] = defaultdict(list)
        for inst in session.scalars(select(Instalment).order_by(Instalment.policy_id, Instalment.seq)):
            schedule[inst.policy_id].append(inst)
        payments = {p.policy_id: p for p in session.scalars(select(Payment))}
        by_id = {p.id: p for p in persons}
        relation_of = {
            pid: rel if rel in ("self", "spouse", "child", "parent") else "other"
            for pid, rel in session.execute(text("SELECT person_id, relationship_to_head FROM members"))
        }
        for policy in policies:
            product = catalog.products[policy.product_code]
            rows = insureds[policy.id]
            main = policy.details.get("main_cover")
            assert (main is not None) == bool(product.rider_of)
            requests = []
            for row, stored_member in zip(rows, policy.details["quote"]["members"], strict=True):
                assert stored_member["person_id"] == row.person_id
                person = by_id[row.person_id]
                selection = ProductSelection(
                    product_code=product.code, sum_assured=row.sum_assured, coverage=policy.cover_years,
                    payment_term=policy.payment_term, frequency=policy.frequency,
                    social_insurance=person.social_insurance if product.medical else None,
                    occupation_class=(person.occupation_class or 1) if product.occupation_classes else None,
                    payout_age=policy.details.get("payout_age"),
                    health_rating="standard" if _rated_by_health(product) else None,
                )  # fmt: skip
                selections = [selection]
                if main:
                    assert main["product"] in product.rider_of
                    selections.insert(
                        0,
                        ProductSelection(
                            product_code=main["product"], sum_assured=Decimal(main["sum_assured"]),
                            coverage=main["coverage"], payment_term=main["payment_term"], frequency=main["frequency"],
                        ),
                    )  # fmt: skip
                requests.append(
                    MemberRequest(
                        member_id=str(row.person_id), age=age_on(person.birth_date, policy.effective_date),
                        sex=TableSex(person.sex), relation=relation_of[row.person_id],  # type: ignore[arg-type]
                        selections=selections,
                    )
                )  # fmt: skip
            quote = quote_household(
                members=requests, catalog=catalog, tables=tables, as_of=policy.effective_date, new_business=False
            )
            engine_premiums = {
                int(m.member_id): line.annual_premium
                for m in quote.members
                for line in m.lines
                if line.product_code == product.code
            }
            assert {r.person_id: r.annual_premium for r in rows} == engine_premiums, policy.policy_no
            modal = sum(
                (line.instalment for m in quote.members for line in m.lines if line.product_code == product.code),
                Decimal("0.00"),
            )
            assert policy.instalment == modal and policy.annual_premium == sum(engine_premiums.values())
            stored = [
                Decimal(line["annual_premium"]) for m in policy.details["quote"]["members"] for line in m["lines"]
            ]
            assert stored == [r.annual_premium for r in rows]
            # the schedule the issuance writes: every instalment, the first paid by the first premium payment
            frequency = ScheduleFrequency(policy.frequency)
            plan = schedule[policy.id]
            assert len(plan) == instalment_count(policy.payment_term, frequency)
            assert [i.due_date for i in plan] == [
                due_date(policy.effective_date, frequency, n) for n in range(len(plan))
            ]
            assert all(i.amount == policy.instalment for i in plan)
            assert plan[0].paid_on == policy.effective_date and all(i.paid_on is None for i in plan[1:])
            payment = payments[policy.id]
            assert plan[0].payment_id == payment.id and payment.amount == policy.instalment
            account = runtime.cipher.decrypt(ACCOUNT_COLUMN, payment.account_enc)
            assert account.startswith("62") and payment.account_masked.endswith(account[-4:])
            assert policy.effective_date <= runtime.clock.today() and all(
                i.due_date > runtime.clock.today() for i in plan[1:]
            )
