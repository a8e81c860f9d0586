"""The daily reconciliation job (``jiabao ledger reconcile --date``): clean on an honest day; a record broken on
purpose — a payment's amount changed behind the ledger's back, a payment with no journal — is reported, with
the source and both figures, and the job exits non-zero. The ledger itself cannot be edited (append-only)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from jiabao import cli_ledger
from jiabao.cli import app
from jiabao.core.money import to_fen
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.ledger.helpers import journals, reconcile_on
from tests.policies.flow import issue
from tests.policies.test_billing_helpers import payments

ISSUED = date(2026, 11, 26)


@pytest.fixture
def cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli_ledger, "_runtime", lambda: runtime)
    return CliRunner()


def test_job_is_clean_then_reports_a_corrupted_payment(client: TestClient, runtime: Runtime, cli: CliRunner) -> None:
    issued = issue(client, runtime)
    clean = cli.invoke(app, ["ledger", "reconcile", "--date", ISSUED.isoformat()])
    assert clean.exit_code == 0, clean.output
    assert "no difference" in clean.output

    first = payments(runtime, issued.policy_id)[0]
    with runtime.engine.begin() as conn:  # someone edits the payment row directly, by one fen
        conn.execute(text("UPDATE payments SET amount = amount + 1 WHERE id = :id"), {"id": first.id})
    report = reconcile_on(runtime, ISSUED)
    assert [(d.source, d.problem) for d in report.differences] == [(f"payment:{first.id}", "amount_mismatch")]
    assert report.differences[0].expected_fen == to_fen(first.amount) + 1
    assert report.differences[0].ledger_fen == to_fen(first.amount)
    broken = cli.invoke(app, ["ledger", "reconcile", "--date", ISSUED.isoformat()])
    assert broken.exit_code == 1
    assert f"payment:{first.id}" in broken.output and "amount_mismatch" in broken.output


def test_a_payment_without_its_journal_is_reported(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    first = payments(runtime, issued.policy_id)[0]
    with unit_of_work(runtime.sessions) as session:  # money moved by a path that forgot the ledger
        session.add(
            Payment(
                idempotency_key="rogue-refund-0001",
                kind="refund",
                direction="out",
                policy_id=issued.policy_id,
                amount=first.amount,
                account_enc=first.account_enc,
                account_masked=first.account_masked,
                holder_person_id=first.holder_person_id,
                status="pending",
                created_at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC),
                details={},
            )
        )
    report = reconcile_on(runtime, ISSUED)
    assert [d.problem for d in report.differences] == ["missing_journal"]
    assert report.differences[0].expected_fen == -to_fen(first.amount) and report.differences[0].ledger_fen is None


def test_the_ledger_refuses_updates_and_deletes(client: TestClient, runtime: Runtime) -> None:
    """Append-only at the database itself: a correction is a new journal, never an edit."""
    issue(client, runtime)
    journal = journals(runtime)[0]
    for statement in (
        "UPDATE ledger_entries SET fen = fen + 1 WHERE journal_id = :id",
        "DELETE FROM ledger_entries WHERE journal_id = :id",
        "UPDATE ledger_journals SET occurred_on = occurred_on WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"), runtime.engine.begin() as conn:
            conn.execute(text(statement), {"id": journal.id})
    assert journals(runtime)[0] == journal


def test_bad_date_is_a_clear_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["ledger", "reconcile", "--date", "2026-13-01"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_monthly_family_bills_job_collects_once(client: TestClient, runtime: Runtime, cli: CliRunner) -> None:
    from jiabao.policies.billing import family as family_billing
    from tests.factories import ctx_for
    from tests.policies.test_billing_helpers import on

    issued = issue(client, runtime, frequency="monthly")
    with unit_of_work(runtime.sessions) as session:
        family_billing.designate_account(
            ctx_for(runtime, session), issued.household_id, account="6222021234567890128", holder_person_id=issued.head
        )
    on(runtime, date(2026, 12, 26))
    for _ in range(2):
        result = cli.invoke(app, ["ledger", "family-bills", "--month", "2026-12"])
        assert result.exit_code == 0, result.output
    assert "1 bills" in result.output
    assert [p.kind for p in payments(runtime, issued.policy_id)] == ["first_premium", "family_bill"]
    assert cli.invoke(app, ["ledger", "reconcile", "--date", "2026-12-26"]).exit_code == 0
