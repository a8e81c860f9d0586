"""Submitted and displayed shapes of the AML pages and API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jiabao.risk.aml.models import AmlCase, AmlCdd, AmlReport
from jiabao.risk.fraud.schemas import NO_CONTROL


class CaseOut(BaseModel):
    id: int
    case_no: str
    kind: Literal["large_value", "suspicious"]
    rule: str
    person_id: int
    day: date
    amount: Decimal
    direction: str | None
    policy_ids: list[int]
    evidence: dict[str, Any]
    status: str
    due_on: date | None
    overdue: bool
    analysis: str | None
    report_id: int | None
    retain_until: date

    @classmethod
    def of(cls, row: AmlCase, today: date) -> CaseOut:
        return cls(
            id=row.id,
            case_no=row.case_no,
            kind=row.kind,
            rule=row.rule,
            person_id=row.person_id,
            day=row.day,
            amount=row.amount,
            direction=row.direction,
            policy_ids=row.policy_ids,
            evidence=row.evidence,
            status=row.status,
            due_on=row.due_on,
            overdue=row.status in ("pending", "to_report") and row.due_on is not None and row.due_on < today,
            analysis=row.analysis,
            report_id=row.report_id,
            retain_until=row.retain_until,
        )


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report: bool
    """True: report to the monitoring centre; False: do not, for the reason recorded in ``analysis``."""
    analysis: str = Field(min_length=10, max_length=2000, pattern=NO_CONTROL)


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day_from: date = Field(ge=date(2004, 1, 1), le=date(2100, 12, 31))
    day_to: date = Field(ge=date(2004, 1, 1), le=date(2100, 12, 31))


class ScanOut(BaseModel):
    transactions: int
    large_value: int
    suspicious: int
    cdd: int


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["LVTR", "STR"]


class ReportOut(BaseModel):
    id: int
    report_no: str
    kind: str
    generated_at: datetime
    filed_on: date
    records: int
    on_time: bool
    digest: str
    retain_until: date

    @classmethod
    def of(cls, row: AmlReport) -> ReportOut:
        return cls(
            id=row.id,
            report_no=row.report_no,
            kind=row.kind,
            generated_at=row.generated_at,
            filed_on=row.filed_on,
            records=row.records,
            on_time=row.on_time,
            digest=row.digest,
            retain_until=row.retain_until,
        )


class CddOut(BaseModel):
    id: int
    subject: str
    person_id: int
    event: str
    level: str
    triggers: list[str]
    required: list[str]
    status: str
    created_at: datetime
    completed_at: datetime | None

    @classmethod
    def of(cls, row: AmlCdd) -> CddOut:
        return cls(
            id=row.id,
            subject=row.subject,
            person_id=row.person_id,
            event=row.event,
            level=row.level,
            triggers=row.triggers,
            required=row.required,
            status=row.status,
            created_at=row.created_at,
            completed_at=row.completed_at,
        )
