"""``jiabao commissions``: the monthly run from the command line, its re-run, the statement PDF and the plan
approval that refuses a plan above the filed loading (报行合一); ``jiabao partners``: a move and a departure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jiabao.cli import app as cli
from jiabao.config import Settings
from jiabao.core.errors import PermissionDenied
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.partners import service as partners
from jiabao.partners.schemas import MoveIn, PartnerIn
from jiabao.runtime import Runtime
from tests.factories import PASSWORD, ctx_for
from tests.partners.network import approve_plan, enrol, network, principal, registration, sell, statement


def _env(settings: Settings) -> dict[str, str]:
    return {
        "JIABAO_DATABASE_URL": settings.database_url,
        "JIABAO_DATA_DIR": str(settings.data_dir),
        "JIABAO_SECRET_KEY": settings.secret_key,
        "JIABAO_PII_KEYS": settings.pii_keys,
        "JIABAO_BLIND_INDEX_KEY": settings.blind_index_key,
        "JIABAO_ENVIRONMENT": "test",
    }


def test_run_rerun_approve_and_statement_pdf(
    client: TestClient, runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    net = network(runtime)
    approve_plan(runtime)
    sell(client, runtime, net.individual_user)
    env = _env(settings)
    first = CliRunner().invoke(cli, ["commissions", "run", "--month", "2026-11"], env=env)
    assert first.exit_code == 0, first.output
    assert "#1: 1 premium events, 3 lines written" in first.output
    again = CliRunner().invoke(cli, ["commissions", "run", "--month", "2026-11"], env=env)
    assert again.exit_code == 0 and "#2: 1 premium events, 0 lines written" in again.output
    shards = ["--shards", "3", "--executor", "processes", "--workers", "2"]
    sharded = CliRunner().invoke(cli, ["commissions", "run", "--month", "2026-11", *shards], env=env)
    assert sharded.exit_code == 0 and "#3: 1 premium events, 0 lines written" in sharded.output, sharded.output
    approved = CliRunner().invoke(cli, ["commissions", "approve", "--month", "2026-11"], env=env)
    assert approved.exit_code == 0 and "3 payment instructions" in approved.output, approved.output
    pdf = tmp_path / "statement.pdf"
    shown = CliRunner().invoke(
        cli, ["commissions", "statement", "--month", "2026-11", "--partner", str(net.team), "--pdf", str(pdf)], env=env
    )
    assert shown.exit_code == 0, shown.output
    assert pdf.read_bytes().startswith(b"%PDF") and "override" in shown.output
    assert statement(runtime, "2026-11", net.team).status == "approved"


def test_bad_month_and_a_plan_above_the_loading_are_refused(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    env = _env(settings)
    bad = CliRunner().invoke(cli, ["commissions", "run", "--month", "2026-13"], env=env)
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
    rules = tmp_path / "rich.yaml"
    rules.write_text('rates:\n  family_ci: {20: ["0.75"]}\ntax: {method: none}\n', encoding="utf-8")
    added = CliRunner().invoke(
        cli,
        ["commissions", "plan-add", "--code", "rich", "--effective-from", "2026-01-01", "--file", str(rules)],
        env=env,
    )
    assert added.exit_code == 0 and "(id 1)" in added.output, added.output
    refused = CliRunner().invoke(cli, ["commissions", "plan-approve", "--id", "1"], env=env)
    assert refused.exit_code == 2 and "报行合一" in refused.output and "rates.family_ci.20.1" in refused.output


def test_a_partner_moves_and_leaves_from_the_command_line(
    client: TestClient, runtime: Runtime, settings: Settings
) -> None:
    """Staff move a partner in the hierarchy and record a departure: its orphan policies pass to the successor and
    each policyholder is told (an SMS in the outbox); a second departure, a bad date or a non-staff call refuse."""
    net = network(runtime)
    sold = sell(client, runtime, net.individual_user)
    zhou = enrol(runtime, PartnerIn(username="agent_zhou", password=PASSWORD, name="周倩", kind="individual",
                                    licences=[registration("REG-I-0003")]),
                 by=principal(runtime, "team_wang"))  # fmt: skip
    zhao = enrol(runtime, PartnerIn(username="team_zhao", password=PASSWORD, name="赵团队", kind="team",
                                    parent_id=net.regional, licences=[registration("REG-T-0002")]))  # fmt: skip
    env = _env(settings)
    moved = CliRunner().invoke(
        cli, ["partners", "move", "--partner", str(zhou.id), "--parent", str(zhao.id), "--on", "2026-12-01"], env=env
    )
    assert moved.exit_code == 0, moved.output
    bad = CliRunner().invoke(cli, ["partners", "move", "--partner", str(zhou.id), "--parent", str(zhao.id),
                                   "--on", "2026-12-32"], env=env)  # fmt: skip
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    args = ["partners", "leave", "--partner", str(net.individual), "--successor", str(zhou.id), "--on", "2026-11-30"]
    left = CliRunner().invoke(cli, args, env=env)
    assert left.exit_code == 0 and "1 policies now serviced by" in left.output, left.output
    again = CliRunner().invoke(cli, args, env=env)
    assert again.exit_code == 2 and "partner_left" in again.output
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        assert partners.parent_of(ctx, zhou.id, date(2026, 12, 1)) == zhao.id
        assert partners.servicing_partner_of_policy(ctx, sold.policy_id) == zhou.id
        told = [m.payload["body"] for m in session.scalars(select(OutboxMessage))
                if m.payload.get("kind") == "partner_reassigned"]  # fmt: skip
        assert len(told) == 1 and "周倩" in told[0] and sold.policy_no in told[0]
        team = ctx_for(runtime, session, principal(runtime, "team_wang"))
        with pytest.raises(PermissionDenied):
            partners.move(team, zhou.id, MoveIn(parent_id=net.team, on=date(2026, 12, 20)))
