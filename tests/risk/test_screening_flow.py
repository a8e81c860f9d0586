"""Screening in the business flow, the review queue and list versions (issue 13, items 1 and 3).

AML Law 2024 art. 35 (no tipping off): the customer-facing text of a stop never mentions lists or sanctions.
Anti-Insurance-Fraud Work Measures (金规〔2024〕10号): risk data is checked at underwriting and at claims."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jiabao.cli import app as cli
from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.risk.lists.formats import ParsedEntry
from jiabao.risk.lists.models import WatchListChange, WatchListEntry, WatchListVersion
from jiabao.risk.lists.service import import_list
from jiabao.risk.screening import service as screening
from jiabao.risk.screening.models import ScreeningCase
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import child_with_outpatient_cover, outpatient_claim, with_uploads
from tests.factories import cli_environment, ctx_for, make_user
from tests.policies.flow import application, confirm_body
from tests.web.test_pages import log_in

TIPPING_OFF_WORDS = ("名单", "制裁", "洗钱", "sanction", "list", "OFAC", "terror", "恐怖", "风险")


def load(runtime: Runtime, *entries: ParsedEntry, code: str = "internal") -> int:
    with unit_of_work(runtime.sessions) as session:
        summary = import_list(ctx_for(runtime, session), code=code, name="内部黑名单", kind="internal",
                              entries=list(entries), source=f"test {len(entries)}")  # fmt: skip
    return summary.version_id


def no_tipping_off(body: dict[str, object]) -> None:
    text = str(body)
    assert not any(word.lower() in text.lower() for word in TIPPING_OFF_WORDS), text


def test_a_new_version_keeps_the_old_and_records_the_changes(runtime: Runtime) -> None:
    first = load(runtime, ParsedEntry("A", "individual", "王五"), ParsedEntry("B", "individual", "赵六"))
    second = load(runtime, ParsedEntry("A", "individual", "王五", birth_dates=["1970"]),
                  ParsedEntry("C", "individual", "钱七"))  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        versions = session.scalars(select(WatchListVersion).order_by(WatchListVersion.id)).all()
        assert [(v.version_no, v.current, v.added, v.changed, v.removed) for v in versions] == [
            (1, False, 2, 0, 0), (2, True, 1, 1, 1)]  # fmt: skip
        changes = session.execute(select(WatchListChange.entry_id, WatchListChange.change)
                                  .where(WatchListChange.version_id == second)).all()  # fmt: skip
        assert sorted(tuple(c) for c in changes) == [("A", "changed"), ("B", "removed"), ("C", "added")]
        old = session.scalars(select(WatchListEntry.entry_id).where(WatchListEntry.version_id == first)).all()
        assert sorted(old) == ["A", "B"]  # the old version is kept
        assert all(
            name.startswith(("王", "赵", "钱")) and "*" in name
            for name in session.scalars(select(WatchListEntry.primary_name))
        )  # internal lists: masked


def test_a_hit_stops_the_application_without_tipping_off(client: TestClient, runtime: Runtime) -> None:
    household_id, app_id, head, _wife, headers = application(client, runtime)
    load(runtime, ParsedEntry("F-1", "individual", "张伟", birth_dates=["1985-03-14"], nationalities=["CN"]))
    body = confirm_body(client, app_id, headers)
    stopped = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert stopped.status_code == 409 and stopped.json()["error"]["code"] == "service_unavailable_for_customer"
    no_tipping_off(stopped.json())
    assert client.get(f"/api/v1/applications/{app_id}", headers=headers).json()["status"] == "accepted"
    with unit_of_work(runtime.sessions) as session:
        case = session.scalars(select(ScreeningCase)).one()
        assert (case.person_id, case.decision, case.status, case.occasion) == (head, "hit", "stopped", "application")
        assert case.household_id == household_id


def test_a_review_waits_for_the_risk_reviewer_then_passes(client: TestClient, runtime: Runtime) -> None:
    _household, app_id, _head, wife, headers = application(client, runtime)
    load(runtime, ParsedEntry("F-2", "individual", "李娜"))  # a name only: the spouse needs a person's look
    body = confirm_body(client, app_id, headers)
    pending = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert pending.status_code == 409 and pending.json()["error"]["code"] == "additional_check_pending"
    no_tipping_off(pending.json())
    again = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert again.status_code == 409  # still waiting; no second case for the same step
    make_user(runtime, "risker", Role.RISK)
    risk = token_for(client, "risker")
    (case,) = client.get("/api/v1/screening/cases", headers=risk).json()
    detail = client.get(f"/api/v1/screening/cases/{case['id']}", headers=risk).json()
    assert detail["subject"]["name"] == "李娜" and detail["matches"][0]["entry"]["entry_id"] == "F-2"
    assert detail["matches"][0]["reasons"] == ["name_exact"]
    refused = client.post(f"/api/v1/screening/cases/{case['id']}/review", json={"decision": "maybe", "note": "x"},
                          headers=risk)  # fmt: skip
    assert refused.status_code == 422
    cleared = client.post(f"/api/v1/screening/cases/{case['id']}/review",
                          json={"decision": "clear", "note": "身份证出生日期与名单记录不符"}, headers=risk)  # fmt: skip
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    twice = client.post(f"/api/v1/screening/cases/{case['id']}/review",
                        json={"decision": "confirm", "note": "再次"}, headers=risk)  # fmt: skip
    assert twice.status_code == 409
    confirmed = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "awaiting_payment"
    with unit_of_work(runtime.sessions) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "screening_case")).all()
        assert "screening.review" in actions and "screening.case_read" in actions
        assert session.scalar(select(ScreeningCase.person_id)) == wife


def test_claim_payment_is_held_for_review(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    load(runtime, ParsedEntry("F-3", "individual", "张小宝"))
    today = runtime.clock.today()
    response = client.post(f"/api/v1/households/{covered.household_id}/claims",
                           json=with_uploads(client, covered.household_id, covered.headers,
                                             outpatient_claim(covered.child, today)), headers=covered.headers | {
                               "Idempotency-Key": "screening-claim-1"})  # fmt: skip
    assert response.status_code == 201, response.text
    claim = response.json()
    assert claim["status"] == "referred" and claim["paid_amount"] in ("0", "0.00")
    # the uploaded documents' kinds (e.g. "expense_list") are the claimant's own checklist, not a tip-off
    no_tipping_off({k: v for k, v in claim.items() if k not in ("hospital", "documents")})
    with unit_of_work(runtime.sessions) as session:
        case = session.scalars(select(ScreeningCase)).one()
        assert (case.occasion, case.status, case.context) == ("claim_payment", "open", f"claim:{claim['id']}")


def test_everyone_is_rescreened_against_the_changed_entries(client: TestClient, runtime: Runtime) -> None:
    application(client, runtime)
    load(runtime, ParsedEntry("X", "individual", "王二麻"))
    version = load(runtime, ParsedEntry("X", "individual", "王二麻"),
                   ParsedEntry("Y", "individual", "张伟", birth_dates=["1985-03-14"]))  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        outcome = screening.rescreen_customers(ctx_for(runtime, session), version)
    assert (outcome.entries, outcome.hit) == (1, 1) and outcome.subjects >= 2  # only entry Y, every person
    with unit_of_work(runtime.sessions) as session:
        case = session.scalars(select(ScreeningCase)).one()
        assert (case.occasion, case.status, case.decision) == ("list_change", "open", "hit")


def test_command_line_import_and_batch_screening(runtime: Runtime, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli_environment(runtime, monkeypatch)  # the command line must start with this database's keys (key canary)
    sdn = tmp_path / "SDN.csv"
    null = b"-0- ,"
    sdn.write_bytes(
        b'16318,"ZHANG, Lei","individual","SDNTK",' + null * 7 + b'"DOB 03 Jan 1976; citizen China."\r\n'
        b'12113,"MORTEZAVI, Hasan","individual","SDGT",' + null * 7 + b"-0- \r\n\x1a"
    )
    runner = CliRunner()
    loaded = runner.invoke(cli, ["lists", "import", "ofac", str(sdn)])
    assert loaded.exit_code == 0, loaded.output
    names = tmp_path / "in.csv"
    names.write_text("ref,name,birth_date,nationality\nc1,張磊,1976-01-03,CN\nc2,Hassan Mortezavi,,\nc3,王芳,,\n",
                     encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.csv"
    screened = runner.invoke(cli, ["screen", "names", str(names), "--output", str(out), "--processes", "1"])
    assert screened.exit_code == 0, screened.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["ref", "decision", "list", "entry_id", "matched_name", "score"]
    assert [(r["ref"], r["decision"], r["entry_id"]) for r in rows] == [
        ("c1", "hit", "16318"), ("c2", "review", "12113"), ("c3", "pass", "")]  # fmt: skip
    assert date.fromisoformat("1976-01-03")


def test_a_held_claim_reads_as_an_ordinary_referral_not_as_approved(client: TestClient, runtime: Runtime) -> None:
    """AML Law 2024 art. 35 (no tipping off) and Insurance Law art. 23 (the insured is told the state of the claim):
    a straight-through claim held by a watch-list hit is told "under review", in the words of any referral — never
    "approved automatically" (which it was not) and never why."""
    covered = child_with_outpatient_cover(client, runtime)
    today = runtime.clock.today()

    def file(key: str) -> dict[str, object]:
        claim = outpatient_claim(covered.child, today, invoice=f"INV-{key}")
        body = with_uploads(client, covered.household_id, covered.headers, claim)
        response = client.post(f"/api/v1/households/{covered.household_id}/claims", json=body,
                               headers=covered.headers | {"Idempotency-Key": key})  # fmt: skip
        assert response.status_code == 201, response.text
        return dict(response.json())

    paid = file("claim-not-held-0001")  # the same claim, nobody listed: paid straight through, and says so
    assert paid["status"] == "paid" and str(paid["explanation_zh"]).startswith("您的理赔申请已自动审核通过")
    load(runtime, ParsedEntry("F-4", "individual", "张小宝"))
    held = file("claim-held-000001")
    assert held["status"] == "referred" and held["paid_amount"] in ("0", "0.00")
    zh, en = str(held["explanation_zh"]), str(held["explanation_en"])
    assert zh.startswith("您的理赔申请将由理赔人员审核") and en.startswith("An adjuster will review your claim")
    assert "通过" not in zh and "approved" not in en.lower() and "paid" not in en.lower()
    no_tipping_off({k: v for k, v in held.items() if k not in ("hospital", "documents")})
    log_in(client, "zhang")
    page = client.get(f"/claims/{held['id']}")
    assert page.status_code == 200 and "将由理赔人员审核" in page.text  # the customer's page: the same neutral text
    assert "自动审核通过" not in page.text
