"""The bulk seed's household ledger (issue 16 item 1): every first premium it writes has the journal and entries the
issuance posts, so the daily reconciliation finds nothing to report, the family statement lists the premiums, the
ledger balances journal by journal, the partner commission run reads the premiums (with their seller), and a run
interrupted inside a chunk's transaction or between chunks resumes without a duplicate or a missing journal."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, text

from jiabao.core.auth import Role
from jiabao.core.money import from_fen, to_fen
from jiabao.db.session import unit_of_work
from jiabao.demo import bulk
from jiabao.demo.bulk import Summary, bulk_seed
from jiabao.demo.bulk_book import BookRows, IdCursor, premium_journal
from jiabao.ledger.models import LedgerEntry, LedgerJournal
from jiabao.ledger.statement import statement
from jiabao.partners.models import CommissionLine
from jiabao.partners.schemas import PartnerIn
from jiabao.partners.sources import premium_events
from jiabao.policies.common.models import Instalment, Payment
from jiabao.runtime import Runtime
from tests.factories import PASSWORD, ctx_for, make_user
from tests.ledger.helpers import assert_balanced, reconcile_on
from tests.partners.network import PLAN_RULES, approve_plan, enrol, registration, run
from tests.policies.flow import issue


def test_the_bulk_journal_is_the_one_the_issuance_posts(client: TestClient, runtime: Runtime) -> None:
    """Same movement, source, value date, policy, payer, payment, memo and lines (accounts, policies, signed fen)."""
    issued = issue(client, runtime)
    with unit_of_work(runtime.sessions) as session:
        payment = session.scalars(select(Payment).where(Payment.policy_id == issued.policy_id)).one()
        journal = session.scalars(select(LedgerJournal).where(LedgerJournal.payment_id == payment.id)).one()
        entries = session.scalars(
            select(LedgerEntry).where(LedgerEntry.journal_id == journal.id).order_by(LedgerEntry.id)
        ).all()
        first = session.scalars(
            select(Instalment).where(Instalment.policy_id == issued.policy_id, Instalment.seq == 1)
        ).one()
        posted = (
            journal.household_id, journal.movement, journal.source, journal.occurred_on, journal.policy_id,
            journal.person_id, journal.payment_id, journal.memo,
        )  # fmt: skip
        posted_lines = [(e.household_id, e.account, e.policy_id, e.fen) for e in entries]
        assert journal.posted_at == payment.created_at
        made = (payment.holder_person_id, payment.id, to_fen(payment.amount), payment.created_at, first.id)
    holder, payment_id, amount, at, instalment_id = made
    out = BookRows()
    premium_journal(
        out, IdCursor({"ledger_journals": 1, "ledger_entries": 1}), household_id=issued.household_id,
        policy_id=issued.policy_id, person_id=holder, payment_id=payment_id, amount=amount,
        instalment_id=instalment_id, on=runtime.clock.today(), at=at,
    )  # fmt: skip
    (row,) = out.rows["ledger_journals"]
    assert row[5] == at
    memo = json.loads(row[9])
    assert (row[1], row[2], row[3], row[4], row[6], row[7], row[8], memo) == posted
    assert [(e[2], e[3], e[4], int(e[5])) for e in out.rows["ledger_entries"]] == posted_lines
    assert all(e[1] == row[0] for e in out.rows["ledger_entries"])


# --- the loader on PostgreSQL -----------------------------------------------------------------------------------


def _load(runtime: Runtime, households: int, partner_id: int | None = None, **kw: object) -> Summary:
    s = runtime.settings
    return bulk_seed(
        runtime.engine, runtime.cipher, households=households, now=runtime.clock.now(), pii_keys=s.pii_keys,
        blind_index_key=s.blind_index_key, tables_dir=str(s.tables_dir) if s.tables_dir else None, seed=11,
        chunk_size=40, workers=0, partner_id=partner_id, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _network_partner(runtime: Runtime) -> tuple[int, int]:
    """The demo ``partner`` user enrolled as a network partner (a regional partner, licensed): (user id, partner id)."""
    partner = enrol(
        runtime,
        PartnerIn(username="partner", password=PASSWORD, name="王经理", kind="regional", joined_on=date(2025, 1, 1),
                  licences=[registration("REG-R-0090")]),
    )  # fmt: skip
    return partner.user_id, partner.id


def _plan_for_every_product(runtime: Runtime) -> None:
    """An approved plan paying 1% of every product's first-year premium, whatever the payment term."""
    catalog = runtime.products.catalog
    rates = {code: {str(t): ["0.01"] for t in p.payment.terms} for code, p in catalog.products.items()}
    approve_plan(runtime, PLAN_RULES | {"rates": rates, "overrides": {}, "persistency": {}}, effective=date(2025, 1, 1))


def _ledger_matches_payments(conn: Connection) -> int:
    """Exactly one journal per payment, for its amount, on its day; four balanced lines each. Returns the count."""
    payments = conn.execute(text("SELECT COUNT(*) FROM payments")).scalar_one()
    assert payments > 0
    assert conn.execute(
        text(
            "SELECT COUNT(*), COUNT(DISTINCT j.source), COUNT(DISTINCT j.payment_id) FROM ledger_journals j "
            "JOIN payments p ON p.id = j.payment_id AND j.source = 'payment:' || p.id "
            "AND j.movement = 'premium_received' AND j.posted_at = p.created_at AND j.policy_id = p.policy_id "
            "AND j.person_id = p.holder_person_id"
        )
    ).one() == (payments, payments, payments)
    assert conn.execute(text("SELECT COUNT(*) FROM ledger_journals")).scalar_one() == payments
    unbalanced = conn.execute(
        text(
            "SELECT COUNT(*) FROM (SELECT journal_id FROM ledger_entries GROUP BY journal_id "
            "HAVING SUM(fen) <> 0 OR COUNT(*) <> 4) x"
        )
    ).scalar_one()
    assert unbalanced == 0
    bank = conn.execute(
        text(
            "SELECT COUNT(*) FROM payments p JOIN ledger_journals j ON j.payment_id = p.id "
            "JOIN ledger_entries e ON e.journal_id = j.id AND e.account = 'family_bank' WHERE e.fen = p.amount"
        )
    ).scalar_one()
    assert bank == payments
    return int(payments)


def _reconciles_every_day(runtime: Runtime) -> int:
    with runtime.engine.connect() as conn:
        days = conn.execute(
            text("SELECT DISTINCT occurred_on FROM ledger_journals ORDER BY 1")
        ).scalars().all()  # fmt: skip
    assert len(days) > 10
    for day in days:
        report = reconcile_on(runtime, day)
        assert report.clean, (day, report.differences[:5])
        assert report.payments == report.journals > 0
    return len(days)


def test_a_bulk_seeded_book_reconciles_and_is_on_the_statement(runtime: Runtime, db_kind: str) -> None:
    if db_kind != "postgresql":
        pytest.skip("the bulk loader is PostgreSQL's COPY path")
    user_id, seller = _network_partner(runtime)
    summary = _load(runtime, 120, partner_id=user_id)
    assert summary.chunks_done == 3 and not summary.stopped
    with runtime.engine.connect() as conn:
        count = _ledger_matches_payments(conn)
        assert summary.rows == sum(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in bulk.TABLES)
        attributed = conn.execute(
            text(
                "SELECT COUNT(*) FROM partner_attributions a JOIN applications x ON x.id = a.subject_id "
                "AND a.subject = 'application' AND a.household_id = x.household_id "
                "AND a.selling_partner_id = :s AND a.servicing_partner_id = :s"
            ),
            {"s": seller},
        ).scalar_one()
        partner_policies = conn.execute(text("SELECT COUNT(*) FROM policies WHERE channel = 'partner'")).scalar_one()
        assert attributed == partner_policies > 0
        assert conn.execute(text("SELECT COUNT(*) FROM partner_attributions")).scalar_one() == partner_policies
    _reconciles_every_day(runtime)
    assert len(assert_balanced(runtime)) == count

    staff = make_user(runtime, "service1", Role.SERVICE)
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, staff)
        by_household: dict[int, list[Payment]] = defaultdict(list)
        holders = dict(session.execute(text("SELECT id, household_id FROM policies")).all())
        for p in session.scalars(select(Payment).order_by(Payment.id)):
            by_household[holders[p.policy_id or 0]].append(p)
        household, paid = max(by_household.items(), key=lambda kv: len(kv[1]))
        assert len(paid) >= 2
        sheet = statement(ctx, household, date(2025, 1, 1), runtime.clock.today())
        assert [(r.policy_id, r.on, r.movement.value) for r in sheet.rows] == sorted(
            ((p.policy_id, p.created_at.date(), "premium_received") for p in paid), key=lambda r: (r[1], r[0] or 0)
        )
        assert {r.policy_id: from_fen(r.amount_in) for r in sheet.rows} == {p.policy_id: p.amount for p in paid}
        total = sum((p.amount for p in paid), Decimal("0.00"))
        assert from_fen(sheet.closing.paid_in) == total and sheet.closing.paid_out == 0
        assert sheet.closing.outstanding == 0 and sheet.balanced
        assert sum(sheet.by_policy[r.policy_no][0] for r in sheet.rows) == to_fen(total)

        # the commission run's source: one premium event per payment, the partner's policies with their seller
        events = premium_events(session, date(2025, 1, 1), runtime.clock.today())
        payments = {p.id: p for ps in by_household.values() for p in ps}
        assert sorted(e.ref for e in events) == sorted(f"payment:{i}" for i in payments)
        channel = dict(session.execute(text("SELECT id, channel FROM policies")).all())
        for e in events:
            payment = payments[int(e.ref.split(":")[1])]
            assert e.kind == "premium" and e.policy_id == payment.policy_id and e.amount == payment.amount
            assert e.seller_id == (seller if channel[e.policy_id] == "partner" else None)
            assert e.policy_year == 1 and e.first_of_year
        sold = {e.policy_id: (e.on.strftime("%Y-%m"), e.amount) for e in events if channel[e.policy_id] == "partner"}
    # the commission run over the bulk-seeded book credits the partner with its policies' premiums, month by month
    _plan_for_every_product(runtime)
    assert sold
    for month in sorted({m for m, _ in sold.values()}):
        summary = run(runtime, month)
        assert summary.events == sum(1 for e in events if e.on.strftime("%Y-%m") == month)
        with unit_of_work(runtime.sessions) as session:
            credited = session.execute(
                select(CommissionLine.policy_id, CommissionLine.base, CommissionLine.amount).where(
                    CommissionLine.month == month,
                    CommissionLine.kind == "first_year",
                    CommissionLine.partner_id == seller,
                )
            ).all()
        expected = {pol: amount for pol, (m, amount) in sold.items() if m == month}
        assert {pol: base for pol, base, _ in credited} == expected
        assert all(amount == (base * Decimal("0.01")).quantize(Decimal("0.01")) for _, base, amount in credited)


class Killed(Exception):
    """Stands for the process dying inside a chunk's transaction, after its rows were sent."""


def test_an_interrupted_seed_resumes_without_duplicate_or_missing_journals(
    runtime: Runtime, db_kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db_kind != "postgresql":
        pytest.skip("the bulk loader is PostgreSQL's COPY path")
    write = bulk._write

    def dies_in_chunk_two(conn: Connection, plan: bulk.Plan, chunk: bulk.Chunk, cipher: Any) -> int:
        renumbered = write(conn, plan, chunk, cipher)  # every COPY of the chunk sent, journals included
        if chunk.k == 2:
            raise Killed
        return renumbered

    monkeypatch.setattr(bulk, "_write", dies_in_chunk_two)
    with pytest.raises(Killed):
        _load(runtime, 200)
    monkeypatch.setattr(bulk, "_write", write)
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM households")).scalar_one() == 80  # chunks 0 and 1
        assert _ledger_matches_payments(conn) > 0  # chunk 2's journals rolled back with its payments
        assert conn.execute(text("SELECT chunk FROM seed_chunks ORDER BY 1")).scalars().all() == [0, 1]
    stopped = _load(runtime, 200, stop_after=1)  # chunk 2, then stopped between chunks
    assert stopped.stopped and stopped.chunks_skipped == 2 and stopped.chunks_done == 1
    resumed = _load(runtime, 200)
    assert resumed.chunks_skipped == 3 and resumed.chunks_done == 2 and not resumed.stopped
    again = _load(runtime, 200)
    assert again.chunks_done == 0 and again.chunks_skipped == 5
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM households")).scalar_one() == 200
        count = _ledger_matches_payments(conn)
        policies = conn.execute(text("SELECT COUNT(*) FROM policies")).scalar_one()
        assert count == policies
        assert conn.execute(text("SELECT COUNT(*) FROM seed_dropped_ddl")).scalar_one() == 0
        # the unique source is back: posting a seeded payment again is refused by the database itself
        journal = conn.execute(text("SELECT household_id, source FROM ledger_journals LIMIT 1")).one()
    with pytest.raises(Exception, match="uq_ledger_journals_source"), runtime.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ledger_journals (household_id, movement, source, occurred_on, posted_at, memo) "
                "VALUES (:h, 'premium_received', :s, :d, :t, '{}')"
            ),
            {"h": journal.household_id, "s": journal.source, "d": date(2026, 1, 1), "t": runtime.clock.now()},
        )
    _reconciles_every_day(runtime)
    # the ledger's sequence is past the loaded ids: the platform posts its next journal after them
    with runtime.engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(id) FROM ledger_journals")).scalar_one()
        nxt = conn.execute(text("SELECT nextval(pg_get_serial_sequence('ledger_journals', 'id'))")).scalar_one()
        assert nxt > last
