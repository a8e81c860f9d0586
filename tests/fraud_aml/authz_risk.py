"""Authorization rows for the risk routes (fraud queues, model, AML, rings), merged into
tests/api/test_authorization.py's table, and the records their path ids point at."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.db.session import unit_of_work
from jiabao.risk.aml import rules
from jiabao.risk.aml import service as aml
from jiabao.risk.aml.models import AmlCase, AmlCdd
from jiabao.risk.fraud.models import RiskAssessment
from jiabao.runtime import Runtime
from tests.factories import ctx_for

OFFICER = {"risk", "admin"}
READER = {"risk", "admin", "auditor"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/risk/figures"): READER,
    ("GET", "/api/v1/risk/applications"): READER,
    ("POST", "/api/v1/risk/applications/{assessment_id}/decision"): OFFICER,
    ("GET", "/api/v1/risk/claims"): READER,
    ("POST", "/api/v1/risk/claims/{claim_assessment_id}/label"): OFFICER,
    ("GET", "/api/v1/risk/fraud-model"): READER,
    ("POST", "/api/v1/risk/fraud-model"): OFFICER,
    ("GET", "/api/v1/risk/aml/cases"): READER,
    ("POST", "/api/v1/risk/aml/cases/{case_id}/review"): OFFICER,
    ("POST", "/api/v1/risk/aml/scan"): OFFICER,
    ("GET", "/api/v1/risk/aml/reports"): READER,
    ("POST", "/api/v1/risk/aml/reports"): OFFICER,
    ("GET", "/api/v1/risk/aml/reports/{report_id}/file"): OFFICER,
    ("GET", "/api/v1/risk/aml/cdd"): READER,
    ("POST", "/api/v1/risk/aml/cdd/{cdd_id}/complete"): OFFICER,
    ("GET", "/api/v1/risk/rings"): READER,
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/risk/applications/{assessment_id}/decision"): {"clear": True, "note": "核实无误"},
    ("POST", "/api/v1/risk/claims/{claim_assessment_id}/label"): {"fraud": False, "note": "核实无误"},
    ("POST", "/api/v1/risk/aml/cases/{case_id}/review"): {"report": False, "analysis": "资金来源为工资收入，已核实"},
    ("POST", "/api/v1/risk/aml/scan"): {"day_from": "2026-11-01", "day_to": "2026-11-26"},
    ("POST", "/api/v1/risk/aml/reports"): {"kind": "STR"},
}


def ids(runtime: Runtime, person_id: int) -> dict[str, int]:
    """An open suspicious case, a filed large-value report and a due-diligence requirement for the person, and
    the risk assessments the flow created (application: 1, claim: 2 — the only ones in this database)."""
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        day = date(2026, 11, 20)
        common = {"person_id": person_id, "day": day, "amount": Decimal("600000"), "detected_at": ctx.now()}
        lv = AmlCase(
            case_no="LVAUTHZ",
            dedupe_key="authz-lv",
            kind="large_value",
            rule="natural_transfer_500k",
            status="pending",
            due_on=rules.report_due(day),
            retain_until=rules.retain_until(day),
            **common,
        )
        su = AmlCase(case_no="SUAUTHZ", dedupe_key="authz-su", kind="suspicious", rule="third_party_payer",
                     status="open", retain_until=rules.retain_until(day), **common)  # fmt: skip
        cdd = AmlCdd(subject="authz", person_id=person_id, event="claim", level="standard", triggers=[], required=[],
                     status="required", created_at=ctx.now(), retain_until=rules.retain_until(day))  # fmt: skip
        session.add_all([lv, su, cdd])
        session.flush()
        report = aml.generate_report(ctx, "LVTR")
        app_id = session.scalar(select(RiskAssessment.id).where(RiskAssessment.kind == "application"))
        claim_id = session.scalar(select(RiskAssessment.id).where(RiskAssessment.kind == "claim"))
        assert app_id and claim_id
        return {
            "case_id": su.id,
            "report_id": report.id,
            "cdd_id": cdd.id,
            "assessment_id": app_id,
            "claim_assessment_id": claim_id,
        }
