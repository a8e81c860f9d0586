"""On the demo data, ``jiabao report kpi`` and the dashboard agree; the demo complaints reproduce the annual
report's 2020/2021 totals; the ESG report PDF renders in Chinese (its text extracted with pypdf)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from jiabao import cli_voice
from jiabao.cli import app as cli_app
from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.demo.seed import seed_households
from jiabao.demo.users import ensure_demo_users
from jiabao.runtime import Runtime
from tests.factories import make_user
from tests.web.test_pages import log_in


@pytest.fixture
def demo(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    with unit_of_work(runtime.sessions) as session:
        seed_households(session, runtime.cipher, count=300, now=runtime.clock.now())
        ensure_demo_users(session, now=runtime.clock.now())
    monkeypatch.setattr(cli_voice, "_runtime", lambda: runtime)
    cli_voice.seed_demo(runtime)
    cli_voice.seed_demo(runtime)  # idempotent
    return CliRunner()


def test_kpi_command_and_dashboard_agree_on_demo_data(demo: CliRunner, client: TestClient, runtime: Runtime) -> None:
    year = runtime.clock.today().year
    result = demo.invoke(cli_app, ["report", "kpi", "--year", str(year), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    kpis = report["kpis"]
    assert kpis["family_accounts_total"]["value"] == 300
    assert kpis["complaints_total"]["value"] > 0
    assert kpis["risk_screenings"] == kpis["risk_screenings"] | {"value": None, "available": False}
    make_user(runtime, "boss", Role.ADMIN)
    log_in(client, "boss")
    html = client.get(f"/dashboard?year={year}").text
    shown = dict(re.findall(r'data-kpi="([a-z0-9_]+)" data-value="([^"]*)"', html))
    assert set(shown) == set(kpis)
    for code, item in kpis.items():
        expected = "" if item["value"] is None else str(item["value"])
        assert shown[code] == expected, code
    for category, cell in kpis["complaints_total"]["by_category"].items():
        assert f"{cell['share']:g}%" in html or cell["count"] == 0, category


def test_demo_complaints_match_the_annual_report_totals(demo: CliRunner) -> None:
    for year, total in ((2020, 76), (2021, 98)):
        out = json.loads(demo.invoke(cli_app, ["report", "complaints", "--year", str(year), "--format", "json"]).stdout)
        assert out["total"] == total
        # the report's proportions (PRODUCT.md C11), to within one complaint's rounding
        for category, share in {"sales": 48.89, "claims": 35.56, "surrender": 8.89, "underwriting": 4.44}.items():
            assert abs(out["by_category"][category]["share"] - share) < 100 / total, category
        for region, share in {"east": 31.11, "north": 17.78, "central": 15.56, "south": 6.67}.items():
            assert abs(out["by_region"][region]["share"] - share) < 100 / total, region
        assert sum(v["count"] for v in out["by_region"].values()) == total


def test_demo_warning_last_month_and_esg_pdf_in_chinese(demo: CliRunner, runtime: Runtime, tmp_path: Path) -> None:
    today = runtime.clock.today()
    last = (
        today.replace(day=1).replace(month=today.month - 1)
        if today.month > 1
        else today.replace(year=today.year - 1, month=12, day=1)
    )
    out = json.loads(
        demo.invoke(cli_app, ["report", "complaint-warnings", "--month", f"{last:%Y-%m}", "--format", "json"]).stdout
    )
    assert any(w["category"] == "surrender" and w["region"] == "northwest" for w in out["warnings"])
    target = tmp_path / "esg.pdf"
    result = demo.invoke(cli_app, ["report", "esg", "--year", str(today.year), "--output", str(target)])
    assert result.exit_code == 0, result.output
    pdf = target.read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{today.year}年度环境、社会及治理（ESG）报告" in text
    for words in (
        "家庭账户总数",
        "保全E化率",
        "线上理赔率",
        "消费者权益保护",
        "按投诉类别",
        "华东",
        "销售纠纷",
        "风险拦截率",
    ):
        assert words in text, words
