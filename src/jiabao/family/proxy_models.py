"""Family proxies (家人代办授权, issue 12 item 4): an adult member consented to act for another (an adult child for
an elderly parent), with the acts allowed (scope), the period and both parties' consent recorded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class FamilyProxy(Base):
    __tablename__ = "family_proxies"
    __table_args__ = (Index("ix_family_proxies_pair", "principal_person_id", "proxy_person_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    principal_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    """The member acted for (被代理人)."""
    proxy_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    """The adult member who acts (代理人)."""
    scope: Mapped[list[str]] = mapped_column(JSON)
    """The acts allowed: ``claims`` (file claims), ``servicing`` (servicing requests)."""
    starts_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    consent: Mapped[dict[str, Any]] = mapped_column(JSON)
    """{principal_consented_at, proxy_consented_at, recorded_by, method}: both parties' consent."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
