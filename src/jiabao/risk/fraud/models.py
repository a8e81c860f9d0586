"""Risk assessments of applications and claims, and the trained fraud models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class RiskAssessment(Base):
    """One scoring of an application (核保风控) or a claim (理赔反欺诈), with its reasons and what a person
    decided. A confirmed fraud / not-fraud decision on a claim is the label the model learns from."""

    __tablename__ = "risk_assessments"
    __table_args__ = (Index("ix_risk_assessments_queue", "kind", "status", "created_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # application | claim
    application_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("applications.id"), unique=True, default=None)
    claim_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("claims.id"), unique=True, default=None)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(20))  # pass | review | intercept
    method: Mapped[str] = mapped_column(String(20))  # rules | model
    model_version: Mapped[str | None] = mapped_column(String(40), default=None)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    features: Mapped[list[float]] = mapped_column(JSON, default=list)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    """passed (nothing to do) | open (waiting for a person) | cleared | intercepted | confirmed_fraud"""
    fraud_label: Mapped[bool | None] = mapped_column(Boolean, default=None)
    decided_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    decision_note: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FraudModel(Base):
    """A trained, calibrated claims fraud model with its held-out measures; one is active at a time."""

    __tablename__ = "fraud_models"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    trained_at: Mapped[datetime] = mapped_column(UtcDateTime)
    labels: Mapped[int] = mapped_column(Integer)
    positives: Mapped[int] = mapped_column(Integer)
    auc: Mapped[float] = mapped_column(Float)
    brier: Mapped[float] = mapped_column(Float)
    ece: Mapped[float] = mapped_column(Float)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    blob: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    digest: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class RiskIdentifier(Base):
    """An identifier seen on a household's business, by blind index, for cross-household matching: bank accounts
    (premium payments and claim payees) and hospitals (claims). Phones are matched on ``persons.phone_bidx``."""

    __tablename__ = "risk_identifiers"
    __table_args__ = (Index("ix_risk_identifiers_match", "kind", "bidx"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(60), unique=True)
    """Where it was seen: ``payment:12``, ``claim:7``, ``claim-hospital:7``."""
    kind: Mapped[str] = mapped_column(String(20))  # account | hospital
    bidx: Mapped[str] = mapped_column(String(32))
    masked: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"), index=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("claims.id"), default=None)
    """For hospitals: the claim that named it."""
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
