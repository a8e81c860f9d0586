"""Submitted and displayed shapes of the fraud queues."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jiabao.risk.fraud.models import RiskAssessment

NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class ReasonOut(BaseModel):
    code: str
    points: int
    text_zh: str
    text_en: str
    person_id: int | None = None


class AssessmentOut(BaseModel):
    id: int
    kind: Literal["application", "claim"]
    application_id: int | None
    claim_id: int | None
    household_id: int
    points: int
    score: float
    outcome: str
    method: str
    model_version: str | None
    reasons: list[ReasonOut]
    explanation: list[dict[str, Any]]
    status: str
    fraud_label: bool | None
    decision_note: str | None
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, row: RiskAssessment) -> AssessmentOut:
        return cls(
            id=row.id,
            kind=row.kind,
            application_id=row.application_id,
            claim_id=row.claim_id,
            household_id=row.household_id,
            points=row.points,
            score=row.score,
            outcome=row.outcome,
            method=row.method,
            model_version=row.model_version,
            reasons=[ReasonOut.model_validate(r) for r in row.reasons],
            explanation=row.explanation,
            status=row.status,
            fraud_label=row.fraud_label,
            decision_note=row.decision_note,
            created_at=row.created_at,
            decided_at=row.decided_at,
        )


class ApplicationDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clear: bool
    """True: the application may go on to confirmation; False: intercepted."""
    note: str = Field(min_length=2, max_length=500, pattern=NO_CONTROL)


class ClaimLabelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fraud: bool
    note: str = Field(min_length=2, max_length=500, pattern=NO_CONTROL)
