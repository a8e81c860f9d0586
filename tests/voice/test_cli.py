"""The command line other tools rely on: ``jiabao complaints import FILE.csv`` (idempotent by ref, whole-file
refusal naming row and field), ``jiabao report complaints --year --format json`` and
``jiabao report complaint-warnings --month --format json``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiabao import cli_voice
from jiabao.cli import app
from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.factories import make_family, make_user

HEADER = "ref,received_on,channel,category,region,product_line,household_ref,summary"
# The annual report's 2021 mix (PRODUCT.md C11): 45 complaints analysed, sales 48.89 %, claims 35.56 %, …
CATEGORIES = ["sales"] * 22 + ["claims"] * 16 + ["surrender"] * 4 + ["underwriting"] * 2 + ["other"]
REGIONS = (
    ["east"] * 14
    + ["north"] * 8
    + ["central"] * 7
    + ["northwest"] * 5
    + ["northeast"] * 5
    + ["south"] * 3
    + ["southwest"] * 3
)


@pytest.fixture
def cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli_voice, "_runtime", lambda: runtime)
    return CliRunner()


def _rows(household_ref: str = "") -> list[str]:
    channels = ["hotline", "online", "counter", "letter", "regulator"]
    return [
        f"R2021-{i:03d},2021-{1 + i % 12:02d}-{1 + i % 28:02d},{channels[i % 5]},{cat},{reg},ordinary_life,"
        f"{household_ref if i == 0 else ''},投诉内容{i}"
        for i, (cat, reg) in enumerate(zip(CATEGORIES, REGIONS, strict=True))
    ]


def test_import_then_report_by_category_and_region(cli: CliRunner, runtime: Runtime, tmp_path: Path) -> None:
    family = make_family(runtime)
    handler = make_user(runtime, "svc", Role.SERVICE)
    from jiabao.db.session import unit_of_work
    from jiabao.family.models import Household

    with unit_of_work(runtime.sessions) as session:
        account = session.get(Household, family.household_id).account_no  # type: ignore[union-attr]
    path = tmp_path / "batch.csv"
    path.write_text("\n".join([HEADER, *_rows(account)]) + "\n", encoding="utf-8")
    first = cli.invoke(app, ["complaints", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "45 imported" in first.output
    from sqlalchemy import func, select

    from jiabao.voice.models import Complaint, ComplaintEvent

    with unit_of_work(runtime.sessions) as session:
        first_row = session.scalars(select(Complaint).where(Complaint.ref == "R2021-000")).one()
        assert (first_row.household_id, first_row.team, first_row.handler_id, first_row.due_on) == (
            family.household_id,
            "sales_conduct",
            handler.user_id,
            first_row.received_on + timedelta(days=15),
        )
        assert session.scalar(select(func.count(ComplaintEvent.id))) == 90  # received + routed for each
    again = cli.invoke(app, ["complaints", "import", str(path)])
    assert again.exit_code == 0 and "0 imported, 45 already present" in again.output
    out = cli.invoke(app, ["report", "complaints", "--year", "2021", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["year"] == 2021 and data["total"] == 45
    assert data["by_category"]["sales"] == {"count": 22, "share": 48.89}
    assert data["by_category"]["claims"] == {"count": 16, "share": 35.56}
    assert data["by_category"]["surrender"]["share"] == 8.89
    assert data["by_category"]["underwriting"]["share"] == 4.44
    assert data["by_region"]["east"] == {"count": 14, "share": 31.11}
    assert data["by_region"]["north"]["share"] == 17.78 and data["by_region"]["central"]["share"] == 15.56
    assert data["by_region"]["south"]["share"] == 6.67 and data["by_region"]["southwest"]["share"] == 6.67
    regulator = json.loads(
        cli.invoke(app, ["report", "complaints", "--year", "2021", "--channel", "regulator", "--format", "json"]).stdout
    )
    assert regulator["total"] == 9
    assert (
        json.loads(cli.invoke(app, ["report", "complaints", "--year", "2020", "--format", "json"]).stdout)["total"] == 0
    )


@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        ("X-2,2021-02-30,hotline,sales,east,ordinary_life,,日期不存在", "received_on"),
        ("X-2,2021-02-03,fax,sales,east,ordinary_life,,渠道不对", "channel"),
        ("X-2,2021-02-03,hotline,fraud,east,ordinary_life,,类别不对", "category"),
        ("X-2,2021-02-03,hotline,sales,mars,ordinary_life,,地区不对", "region"),
        ("X-2,2021-02-03,hotline,sales,east,ordinary_life,JB000000000,家庭账户不存在", "household_ref"),
        ("X-2,2021-02-03,hotline,sales,east,ordinary_life,,", "summary"),
    ],
)
def test_a_file_with_an_invalid_row_is_refused_whole(
    cli: CliRunner, runtime: Runtime, tmp_path: Path, bad_row: str, field: str
) -> None:
    path = tmp_path / "bad.csv"
    good = "X-1,2021-02-03,hotline,sales,east,ordinary_life,,销售误导"
    path.write_text("\n".join([HEADER, good, bad_row, "X-3,2021-02-04,online,claims,north,medical,,理赔太慢"]) + "\n")
    result = cli.invoke(app, ["complaints", "import", str(path)])
    assert result.exit_code == 1
    assert f"Row 2, field {field}" in result.stderr and f"第2行，字段 {field}" in result.stderr
    out = json.loads(cli.invoke(app, ["report", "complaints", "--year", "2021", "--format", "json"]).stdout)
    assert out["total"] == 0  # nothing imported, not even the good first row


def test_warnings_report_finds_a_planted_cluster(cli: CliRunner, runtime: Runtime, tmp_path: Path) -> None:
    rows = []
    n = 0
    for month in range(1, 13):  # a quiet year: one claims complaint in the east every other month
        if month % 2:
            n += 1
            rows.append(f"W-{n},2025-{month:02d}-10,hotline,claims,east,medical,,理赔慢")
    for day in range(1, 7):  # then six surrender complaints in the northwest in one month
        n += 1
        rows.append(f"W-{n},2026-01-{day:02d},hotline,surrender,northwest,annuity,,退保金额太少")
    path = tmp_path / "w.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    assert cli.invoke(app, ["complaints", "import", str(path)]).exit_code == 0
    out = json.loads(cli.invoke(app, ["report", "complaint-warnings", "--month", "2026-01", "--format", "json"]).stdout)
    assert out["month"] == "2026-01"
    hit = [w for w in out["warnings"] if w["category"] == "surrender" and w["region"] == "northwest"]
    assert hit and hit[0]["observed"] == 6 and hit[0]["expected"] < 1 and hit[0]["method"] == "poisson_chart"
    assert not [w for w in out["warnings"] if w["category"] == "claims"]
    quiet = json.loads(
        cli.invoke(app, ["report", "complaint-warnings", "--month", "2025-12", "--format", "json"]).stdout
    )
    assert quiet == {"month": "2025-12", "warnings": []}


def test_deadline_warnings_before_and_after_the_last_day(cli: CliRunner, runtime: Runtime, tmp_path: Path) -> None:
    # imported on 26 November (today in the tests): the last day is 11 December (15 calendar days)
    path = tmp_path / "d.csv"
    path.write_text(f"{HEADER}\nD-1,{runtime.clock.today().isoformat()},hotline,claims,east,medical,,理赔慢\n")
    assert cli.invoke(app, ["complaints", "import", str(path)]).exit_code == 0
    from datetime import timedelta

    def run() -> str:
        result = cli.invoke(app, ["complaints", "deadlines"])
        assert result.exit_code == 0, result.output
        return result.output

    assert run().startswith("0 ")  # 15 days left
    runtime.clock.advance(timedelta(days=12))  # 3 days left
    assert run().startswith("1 ") and run().startswith("0 ")  # once per level
    runtime.clock.advance(timedelta(days=2))  # the day before
    assert run().startswith("1 ")
    runtime.clock.advance(timedelta(days=2))  # overdue
    assert run().startswith("1 ")
    from sqlalchemy import select

    from jiabao.db.outbox import OutboxMessage
    from jiabao.db.session import unit_of_work

    with unit_of_work(runtime.sessions) as session:
        kinds = [m.payload["kind"] for m in session.scalars(select(OutboxMessage)) if m.topic == "staff"]
    assert kinds == ["complaint_due_in_3_days", "complaint_due_tomorrow", "complaint_overdue"]
