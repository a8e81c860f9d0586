"""Personal data at rest: the raw tables hold no clear ID or phone number, and every clear read is audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.demo.seed import seed_households
from jiabao.family import queries
from jiabao.runtime import Runtime
from tests.factories import add_member, ctx_for, make_family, make_user, resident_id


def _all_text(runtime: Runtime) -> str:
    """Every cell of every table, read with plain SQL (bytes decoded leniently), as one string."""
    chunks = []
    with runtime.engine.connect() as conn:
        tables = [t for t in conn.dialect.get_table_names(conn) if t != "alembic_version"]
        for table in tables:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for cell in row:
                    chunks.append(cell.decode("latin-1") if isinstance(cell, bytes | memoryview) else str(cell))
    return "\n".join(chunks)


def test_raw_tables_hold_no_clear_identity_or_phone(runtime: Runtime) -> None:
    family = make_family(runtime, phone="13812345678")
    child_id = resident_id(date(2016, 9, 9), "M", 3)
    add_member(runtime, family.household_id, name="张小宝", relationship="child", id_number=child_id)
    with unit_of_work(runtime.sessions) as session:
        seed_households(session, runtime.cipher, count=30, now=runtime.clock.now(), seed=7)
    with unit_of_work(runtime.sessions) as session:
        staff = make_user(runtime, "svc", Role.SERVICE)
        heads = [queries.reveal_identity(ctx_for(runtime, session, staff), pid) for pid in range(1, 40)]
    dump = _all_text(runtime)
    clear_values = [h.id_number for h in heads] + [h.phone for h in heads if h.phone] + [child_id, "13812345678"]
    assert len(clear_values) > 60
    leaked = [value for value in clear_values if value in dump]
    assert leaked == []


def test_clear_read_is_audited_with_the_reader(runtime: Runtime) -> None:
    family = make_family(runtime)
    claims = make_user(runtime, "claims1", Role.CLAIMS)
    with unit_of_work(runtime.sessions) as session:
        identity = queries.reveal_identity(ctx_for(runtime, session, claims), family.head_person_id)
    assert identity.id_number == resident_id(date(1985, 3, 14), "M", 1)
    with unit_of_work(runtime.sessions) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "pii.read")).all()
    assert [(e.actor_id, e.actor_role, e.entity_id) for e in entries] == [
        (claims.user_id, "claims", str(family.head_person_id))
    ]
