"""One family application (家庭投保单, issue 12 item 3): several members × several products in one application, one
health questionnaire per member, one confirmation, one payment. Each product is still priced, underwritten and
issued as its own application and policy (the rules per product are unchanged); this table ties them together,
and the policies they issue form the family plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class FamilyApplication(Base):
    __tablename__ = "family_applications"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    policyholder_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    status: Mapped[str] = mapped_column(String(30))
    """questionnaire | referred | awaiting_confirmation | awaiting_payment | issued | declined"""
    source: Mapped[str] = mapped_column(String(20))
    """advice_plan | quote"""
    created_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What was confirmed and paid once for all: {confirmed_at, paid_at, payment_key}."""


class FamilyApplicationItem(Base):
    """One product's application inside a family application."""

    __tablename__ = "family_application_items"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    family_application_id: Mapped[int] = mapped_column(IdType, ForeignKey("family_applications.id"), index=True)
    application_id: Mapped[int] = mapped_column(IdType, ForeignKey("applications.id"), unique=True)
