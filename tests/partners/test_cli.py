"""``jiabao commissions``: the monthly run from the command line, its re-run, the statement PDF and the plan
approval that refuses a plan above the filed loading (报行合一)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jiabao.cli import app as cli
from jiabao.config import Settings
from jiabao.runtime import Runtime
from tests.partners.network import approve_plan, network, sell, statement


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
