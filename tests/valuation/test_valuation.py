"""Valuation of the book in force, end to end: policies issued through the API are valued from the database by
household partitions, the run is stored with its assumption set, totals are stable between runs, movements are
analysed, and the actuary (only) sees the aggregates on /valuation."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.batch.executor import SerialExecutor
from jiabao.core.auth import Role
from jiabao.core.errors import Conflict
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime
from jiabao.valuation import service
from jiabao.valuation.assumptions import default_assumptions
from jiabao.valuation.engine import AssumptionSet
from jiabao.valuation.models import AssumptionSetRecord, ValuationGroupResult, ValuationPolicyResult
from tests.factories import cli_environment, make_user
from tests.policies.flow import issue
from tests.web.test_pages import log_in


def _run(runtime: Runtime, on: date, assumptions: AssumptionSet | None = None) -> service.RunSummary:
    with unit_of_work(runtime.sessions) as session:
        return service.run_valuation(
            session,
            runtime.products,
            assumptions or default_assumptions(),
            on,
            now=runtime.clock.now(),
            map_shards=SerialExecutor().run,
            executor="serial",
            partitions=3,
        )


def test_book_valued_stored_stable_and_floored(client: TestClient, runtime: Runtime) -> None:
    annual = issue(client, runtime)
    monthly = issue(client, runtime, username="li", seq=2, frequency="monthly")
    on = runtime.clock.today() + timedelta(days=550)  # a year and a half into the policies
    first = _run(runtime, on)
    assert (first.policies, first.lines) == (2, 4)  # two family policies, two insureds each
    second = _run(runtime, on)
    assert second.totals == first.totals  # same book, same assumptions: the same figures to the fen
    with unit_of_work(runtime.sessions) as session:
        rows = {
            r.policy_id: r
            for r in session.scalars(select(ValuationPolicyResult).where(ValuationPolicyResult.run_id == first.run_id))
        }
        groups = session.scalars(select(ValuationGroupResult).where(ValuationGroupResult.run_id == first.run_id)).all()
        sets = session.scalars(select(AssumptionSetRecord)).all()
    assert len(sets) == 1 and sets[0].version == default_assumptions().version  # versioned once, reused
    for row in rows.values():
        # statutory reserve = FPT floored at the cash value (7号 item 14): never below what surrender pays
        assert row.statutory_fen >= row.cash_value_fen > 0
        assert row.pvr_fen > 0 and row.ra_fen >= 0
    # the monthly payer brings 12 × 0.088 = 1.056 × the annual premium: a lower best-estimate liability
    assert rows[monthly.policy_id].bel_fen < rows[annual.policy_id].bel_fen
    assert {g.cohort for g in groups} == {runtime.clock.today().year}
    for g in groups:  # a group is either profitable (CSM) or onerous (loss component), never both
        assert (g.csm_fen > 0 and g.loss_component_fen == 0) or (g.onerous and g.csm_fen == 0)
    assert first.totals["csm"] == Decimal(sum(g.csm_fen for g in groups)) / 100


def test_assumption_versions_are_immutable(client: TestClient, runtime: Runtime) -> None:
    issue(client, runtime)
    _run(runtime, runtime.clock.today())
    changed = AssumptionSet(version=default_assumptions().version, curve=default_assumptions().curve, ra_stress=0.2)
    with pytest.raises(Conflict):
        _run(runtime, runtime.clock.today(), changed)
    renamed = AssumptionSet(version="BE-2026.12-stress", curve=default_assumptions().curve, ra_stress=0.2)
    first = _run(runtime, runtime.clock.today())
    stressed = _run(runtime, runtime.clock.today(), renamed)
    assert stressed.policies == 1 and stressed.totals["ra"] > first.totals["ra"]  # the new set is used …
    # … but the CSM at initial recognition stays that of the policy's first valuation (IFRS 17 §38: measured once)
    assert (stressed.totals["csm"], stressed.totals["fcf0"]) == (first.totals["csm"], first.totals["fcf0"])


def test_actuary_page_totals_movements_and_charts(client: TestClient, runtime: Runtime) -> None:
    issue(client, runtime)
    log_in(client, "zhang")
    assert client.get("/valuation").status_code == 403  # customers never see the valuation
    make_user(runtime, "wu", Role.ACTUARY)
    log_in(client, "wu")
    empty = client.get("/valuation")
    assert empty.status_code == 200 and 'data-testid="valuation-empty"' in empty.text
    on = runtime.clock.today() + timedelta(days=200)
    _run(runtime, on)
    first = client.get("/valuation").text
    assert 'data-testid="movement-none"' in first
    issue(client, runtime, username="li", seq=2)
    later = _run(runtime, on + timedelta(days=31))
    page = client.get("/valuation").text
    name_zh = runtime.products.catalog.products["family_ci"].name_zh
    assert 'data-product="family_ci"' in page and name_zh in page
    assert f"¥{later.totals['statutory']:,.2f}" in page
    new = re.search(r'data-movement="new_business"><td>[^<]+</td><td>(\d+)</td>', page)
    assert new and new.group(1) == "1"  # the second household's policy is new business
    assert 'data-testid="chart-reserves"' in page and "<svg" in page and 'class="bar-statutory"' in page
    assert 'data-testid="chart-cohorts"' in page
    assert "张伟" not in page and "李娜" not in page  # aggregates only: no personal data
    assert client.get("/valuation?run=999999").status_code == 404


def test_cli_valuation_run_on_a_process_pool(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jiabao valuation run --executor processes` values the same book as the serial service call."""
    from typer.testing import CliRunner

    from jiabao.cli import app

    issue(client, runtime)
    on = runtime.clock.today() + timedelta(days=100)
    serial = _run(runtime, on)
    cli_environment(runtime, monkeypatch)
    result = CliRunner().invoke(
        app, ["valuation", "run", "--executor", "processes", "--workers", "2", "--partitions", "2", "--as-of", str(on)]
    )
    assert result.exit_code == 0, result.output
    assert "1 policies (2 insured lines)" in result.output
    assert f"{serial.totals['statutory']:,.2f}" in result.output and "processes" in result.output
